# SPDX-License-Identifier: GPL-2.0
#
# Mosaic top-level Makefile: a non-recursive build. Each source folder has a
# small "Makefile" fragment that adds objects to obj-y (or obj-$(CONFIG_X)).
# Out-of-tree builds: make O=dir (default: build/).
#
#   make defconfig | menuconfig | olddefconfig | savedefconfig
#   make            build $(O)/mosaic.elf and $(O)/initramfs.cpio
#   make iso        build $(O)/mosaic.iso (GRUB, multiboot2)
#   make run        boot it in QEMU
#   make test       host tests, boot self-tests, ... ; ends "N passed, N failed"

srctree := $(CURDIR)
O ?= build
objtree := $(abspath $(O))
export srctree objtree

ARCH := x86
CROSS_COMPILE ?=
CC := $(CROSS_COMPILE)gcc
LD := $(CROSS_COMPILE)ld
NM := $(CROSS_COMPILE)nm
OBJCOPY := $(CROSS_COMPILE)objcopy
PYTHON ?= python3

KCONFIG_CONFIG := $(objtree)/.config
export KCONFIG_CONFIG
# kconfig-conf writes include/config/ and include/generated/ below its working
# directory, so it runs in $(objtree) and finds sources through $srctree.
KCONFIG_ENV := cd $(objtree) && srctree=$(srctree) KCONFIG_CONFIG=$(KCONFIG_CONFIG)
DEFCONFIG ?= arch/x86/configs/defconfig

Q := $(if $(V),,@)

.DEFAULT_GOAL := all
config-targets := defconfig menuconfig olddefconfig savedefconfig oldconfig %_defconfig
.PHONY: all defconfig menuconfig olddefconfig savedefconfig oldconfig clean distclean \
	iso run test test-host test-ktest bench check-tools help

# ---------------------------------------------------------------- $(srctree)/Kconfig
KCONF := kconfig-conf
KMCONF := kconfig-mconf

$(objtree)/include/config $(objtree)/include/generated:
	$(Q)mkdir -p $@

defconfig: | $(objtree)/include/config $(objtree)/include/generated
	$(Q)$(KCONFIG_ENV) $(KCONF) --defconfig=$(srctree)/$(DEFCONFIG) $(srctree)/Kconfig >/dev/null
	$(Q)$(KCONFIG_ENV) $(KCONF) --silentoldconfig $(srctree)/Kconfig
	@echo "  CONFIG  $(KCONFIG_CONFIG) from $(DEFCONFIG)"

%_defconfig: | $(objtree)/include/config $(objtree)/include/generated
	$(Q)$(KCONFIG_ENV) $(KCONF) --defconfig=$(srctree)/arch/x86/configs/$@ $(srctree)/Kconfig >/dev/null
	$(Q)$(KCONFIG_ENV) $(KCONF) --silentoldconfig $(srctree)/Kconfig

menuconfig: | $(objtree)/include/config $(objtree)/include/generated
	$(Q)$(KCONFIG_ENV) $(KMCONF) $(srctree)/Kconfig
	$(Q)$(KCONFIG_ENV) $(KCONF) --silentoldconfig $(srctree)/Kconfig

olddefconfig oldconfig: | $(objtree)/include/config $(objtree)/include/generated
	$(Q)$(KCONFIG_ENV) $(KCONF) --olddefconfig $(srctree)/Kconfig
	$(Q)$(KCONFIG_ENV) $(KCONF) --silentoldconfig $(srctree)/Kconfig

savedefconfig:
	$(Q)$(KCONFIG_ENV) $(KCONF) --savedefconfig=$(objtree)/defconfig $(srctree)/Kconfig
	@echo "  SAVED   $(objtree)/defconfig (copy it to $(DEFCONFIG) to keep it)"

# A build without a configuration starts from the default one.
$(KCONFIG_CONFIG):
	$(Q)$(MAKE) --no-print-directory defconfig

# auto.conf follows .config whenever .config or a Kconfig file changes. A
# new symbol is asked for at a terminal; without one (CI, scripts) it takes
# its default, as `make olddefconfig` would, instead of aborting the build.
$(objtree)/include/config/auto.conf $(objtree)/include/generated/autoconf.h: $(KCONFIG_CONFIG) $(shell find $(srctree) -name Kconfig -not -path '*/build*')
	$(Q)mkdir -p $(objtree)/include/config $(objtree)/include/generated
	$(Q)if [ ! -t 0 ]; then $(KCONFIG_ENV) $(KCONF) --olddefconfig $(srctree)/Kconfig; fi
	$(Q)$(KCONFIG_ENV) $(KCONF) --silentoldconfig $(srctree)/Kconfig

ifeq ($(filter $(config-targets) clean distclean help check-tools test-host,$(MAKECMDGOALS)),)
-include $(objtree)/include/config/auto.conf
endif

# ---------------------------------------------------------------- flags
KBUILD_CFLAGS := -std=gnu11 -O2 -g -Wall -Wextra -Wno-unused-parameter \
	-Wno-sign-compare -Wno-missing-field-initializers \
	-ffreestanding -fno-builtin -nostdinc -fno-pic -fno-pie -mno-red-zone \
	-mcmodel=kernel -mno-sse -mno-sse2 -mno-mmx -mno-80387 -mno-avx \
	-fno-stack-protector -fno-omit-frame-pointer -fno-strict-aliasing \
	-fno-asynchronous-unwind-tables -fno-common -ffunction-sections \
	-I$(srctree)/include -I$(objtree)/include \
	-include $(srctree)/include/mosaic/kconfig.h
KBUILD_AFLAGS := -D__ASSEMBLY__ -I$(srctree)/include -I$(objtree)/include \
	-include $(srctree)/include/mosaic/kconfig.h
ifeq ($(CONFIG_WERROR),y)
KBUILD_CFLAGS += -Werror
endif
ifneq ($(CI),)
KBUILD_CFLAGS += -Werror
endif
LDFLAGS := -nostdlib -z max-page-size=0x1000 -z noexecstack --no-warn-rwx-segments

# ---------------------------------------------------------------- objects
# Each folder's fragment appends to obj-y; we prefix its path.
src-dirs := arch/x86/boot arch/x86/kernel arch/x86/lib kernel kernel/sched mm lib drivers/serial drivers/misc drivers/rtc drivers/pci drivers/net net fs \
	managers/processor managers/processor/pcache managers/storage managers/memory

define add_dir
obj-y :=
include $(srctree)/$(1)/Makefile
kernel-objs += $$(addprefix $(objtree)/$(1)/,$$(obj-y))
endef
kernel-objs :=
$(foreach d,$(src-dirs),$(eval $(call add_dir,$(d))))

-include $(kernel-objs:.o=.d)

$(objtree)/%.o: $(srctree)/%.c $(objtree)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  CC      $*.o"
	$(Q)$(CC) $(KBUILD_CFLAGS) -MMD -MP -c $< -o $@

$(objtree)/%.o: $(srctree)/%.S $(objtree)/include/generated/autoconf.h
	@mkdir -p $(dir $@)
	@echo "  AS      $*.o"
	$(Q)$(CC) $(KBUILD_AFLAGS) -MMD -MP -c $< -o $@

# ---------------------------------------------------------------- link
# Two links: the first with an empty symbol table, then the table generated
# from it. Text comes first in the image, so its addresses do not move.
LDS := $(srctree)/arch/x86/kernel/mosaic.lds
KERNEL := $(objtree)/mosaic.elf

$(objtree)/.tmp_kallsyms0.o: $(srctree)/scripts/kallsyms.py
	@mkdir -p $(dir $@)
	$(Q)$(PYTHON) $(srctree)/scripts/kallsyms.py /dev/null > $(objtree)/.tmp_kallsyms0.S
	$(Q)$(CC) $(KBUILD_AFLAGS) -c $(objtree)/.tmp_kallsyms0.S -o $@

$(KERNEL): $(kernel-objs) $(LDS) $(objtree)/.tmp_kallsyms0.o $(srctree)/scripts/kallsyms.py
	@echo "  LD      mosaic.elf"
	$(Q)$(LD) $(LDFLAGS) -T $(LDS) -o $(objtree)/.tmp_mosaic1 $(kernel-objs) $(objtree)/.tmp_kallsyms0.o
	$(Q)$(NM) -n $(objtree)/.tmp_mosaic1 | $(PYTHON) $(srctree)/scripts/kallsyms.py - > $(objtree)/.tmp_kallsyms1.S
	$(Q)$(CC) $(KBUILD_AFLAGS) -c $(objtree)/.tmp_kallsyms1.S -o $(objtree)/.tmp_kallsyms1.o
	$(Q)$(LD) $(LDFLAGS) -T $(LDS) -o $@ $(kernel-objs) $(objtree)/.tmp_kallsyms1.o
	$(Q)$(NM) -n $(objtree)/.tmp_mosaic1 | awk '$$2 ~ /[tT]/' > $(objtree)/.tmp_t1
	$(Q)$(NM) -n $@ | awk '$$2 ~ /[tT]/' > $(objtree)/.tmp_t2
	$(Q)cmp -s $(objtree)/.tmp_t1 $(objtree)/.tmp_t2 || { echo "kallsyms: text moved between links" >&2; rm -f $@; exit 1; }

all: $(KERNEL)

include $(srctree)/usr/Makefile.usr
include $(srctree)/scripts/Makefile.run

clean:
	rm -rf $(objtree)

distclean: clean
	rm -rf build build-*

help:
	@sed -n '2,12p' Makefile
