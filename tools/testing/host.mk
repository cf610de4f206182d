# SPDX-License-Identifier: GPL-2.0
#
# Host unit tests (included by scripts/Makefile.run). Every
# tools/testing/NAME_test.c is one test program. A line in it names the kernel
# files it tests, which are compiled for the host with the same shim:
#
#   // test-sources: lib/kstrto.c lib/string.c
#
# Output: $(objtree)/tools/testing/NAME_test (plus obj/ for the kernel files).
#   make test-host            build and run them all (TAP on stdout)
#   make host-tests           only build them
#   make host-test T=kstrto   build and run one

HOST_DIR := $(srctree)/tools/testing
HOST_OUT := $(objtree)/tools/testing
HOST_CC ?= gcc
HOST_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
HOST_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer $(HOST_SAN) \
	-Wall -Wextra -Wno-unused-parameter -Wno-sign-compare \
	-Wno-missing-field-initializers \
	-I$(HOST_DIR)/shim -I$(objtree)/include -I$(srctree)/include \
	-I$(HOST_DIR)/shim/fallback \
	-include $(HOST_DIR)/shim/host.h -include $(srctree)/include/mosaic/kconfig.h
ifneq ($(CI),)
HOST_CFLAGS += -Werror
endif

host-test-names := $(notdir $(basename $(wildcard $(HOST_DIR)/*_test.c)))
host-test-bins := $(addprefix $(HOST_OUT)/,$(host-test-names))
# The kernel files a test names on its "// test-sources:" line, plus the
# kernel's string and printf code, which every kernel file may call (shim/host.h
# renames memcpy, snprintf, ... to the kernel's versions in every test).
HOST_ALWAYS := lib/string.c lib/vsprintf.c
host-test-sources = $(sort $(HOST_ALWAYS) \
	$(shell sed -n 's|^// *test-sources: *||p' $(HOST_DIR)/$(1).c))
host-test-objs = $(addprefix $(HOST_OUT)/obj/,$(patsubst %.c,%.o,$(call host-test-sources,$(1))))
HOST_AUTOCONF := $(objtree)/include/generated/autoconf.h

# Kernel files are compiled without builtins so the kernel's own memcpy,
# strlen, ... are what runs (renamed mosaic_* by shim/host.h).
$(HOST_OUT)/obj/%.o: $(srctree)/%.c $(HOST_AUTOCONF)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $*.o"
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -fno-builtin -MMD -MP -c $< -o $@

$(HOST_OUT)/shim/stubs.o: $(HOST_DIR)/shim/stubs.c $(HOST_AUTOCONF)
	@mkdir -p $(dir $@)
	$(Q)$(HOST_CC) $(HOST_CFLAGS) -MMD -MP -c $< -o $@

define host_test_rule
$(HOST_OUT)/$(1): $(HOST_DIR)/$(1).c $(call host-test-objs,$(1)) $(HOST_OUT)/shim/stubs.o
	@echo "  HOSTLD  tools/testing/$(1)"
	$$(Q)$$(HOST_CC) $$(HOST_CFLAGS) -MMD -MP -o $$@ $$(filter %.c %.o,$$^)
endef
$(foreach t,$(host-test-names),$(eval $(call host_test_rule,$(t))))

# The cpio parser's corpus is generated (GNU cpio + a script), not kept in git.
HOST_CPIO_CORPUS := $(HOST_OUT)/corpus/cpio
$(HOST_CPIO_CORPUS)/.stamp: $(HOST_DIR)/corpus/cpio/make-corpus.py
	@echo "  CORPUS  tools/testing/corpus/cpio"
	$(Q)$(PYTHON) $< $(HOST_CPIO_CORPUS) && touch $@
$(HOST_OUT)/cpio_test: $(HOST_CPIO_CORPUS)/.stamp
$(HOST_OUT)/cpio_test: HOST_CFLAGS += -DCPIO_CORPUS_DIR='"$(HOST_CPIO_CORPUS)"'

-include $(shell find $(HOST_OUT) -name '*.d' 2>/dev/null)

.PHONY: host-tests test-host host-test
host-tests: $(host-test-bins)

test-host: host-tests
	@fail=0; for t in $(host-test-bins); do \
		echo "# $$(basename $$t)"; $$t || fail=1; done; exit $$fail

host-test: $(HOST_OUT)/$(T)_test
	$(HOST_OUT)/$(T)_test
include $(HOST_DIR)/fuzz/fuzz.mk
