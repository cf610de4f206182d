# SPDX-License-Identifier: GPL-2.0
#
# libFuzzer harnesses for the kernel's pure parsers (included by host.mk).
# Every tools/testing/fuzz/NAME_fuzz.c is one harness; like a host test it
# names the kernel files it needs on a "// test-sources:" line, and they are
# compiled for the host with the same shim, by clang with
# -fsanitize=fuzzer,address,undefined.
#
#   make fuzz-host [FUZZ_SECONDS=15]   build and run each harness for that long
#   make fuzz-hosts                    only build them
#
# Each run starts from the seeds (fuzz.mk makes them: the cpio corpus, two
# stripped static musl test programs, a few command lines) plus the inputs
# it kept from earlier runs ($(objtree)/tools/testing/fuzz/corpus-NAME), and
# first replays every regression case in tools/testing/fuzz/regressions/NAME/.
# A crash leaves its input as $(objtree)/tools/testing/fuzz/crash-NAME-*.
# Output: "PASS fuzz/NAME (...)", "FAIL fuzz/NAME (...)" or, without clang,
# "SKIP fuzz-host (...)"; the exit status is 1 if any harness failed.

FUZZ_DIR := $(HOST_DIR)/fuzz
FUZZ_OUT := $(HOST_OUT)/fuzz
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 15
FUZZ_CFLAGS := $(filter-out $(HOST_SAN),$(HOST_CFLAGS)) -fsanitize=address,undefined \
	-fno-sanitize-recover=all -Wno-macro-redefined

fuzz-names := $(notdir $(basename $(wildcard $(FUZZ_DIR)/*_fuzz.c)))
fuzz-bins := $(addprefix $(FUZZ_OUT)/,$(fuzz-names))
fuzz-sources = $(sort $(HOST_ALWAYS) \
	$(shell sed -n 's|^// *test-sources: *||p' $(FUZZ_DIR)/$(1).c))
fuzz-objs = $(addprefix $(FUZZ_OUT)/obj/,$(patsubst %.c,%.o,$(call fuzz-sources,$(1))))

$(FUZZ_OUT)/obj/%.o: $(srctree)/%.c $(HOST_AUTOCONF)
	@mkdir -p $(dir $@)
	@echo "  FUZZCC  $*.o"
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link -fno-builtin -MMD -MP -c $< -o $@

$(FUZZ_OUT)/obj/stubs.o: $(HOST_DIR)/shim/stubs.c $(HOST_AUTOCONF)
	@mkdir -p $(dir $@)
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) -MMD -MP -c $< -o $@

define fuzz_rule
$(FUZZ_OUT)/$(1): $(FUZZ_DIR)/$(1).c $(call fuzz-objs,$(1)) $(FUZZ_OUT)/obj/stubs.o
	@echo "  FUZZLD  tools/testing/fuzz/$(1)"
	$$(Q)$$(FUZZ_CC) $$(FUZZ_CFLAGS) -fsanitize=fuzzer -o $$@ $$(filter %.c %.o,$$^)
endef
$(foreach f,$(fuzz-names),$(eval $(call fuzz_rule,$(f))))

# Seeds, rebuilt with the corpora they come from.
$(FUZZ_OUT)/seeds/.stamp: $(HOST_CPIO_CORPUS)/.stamp $(FUZZ_DIR)/fuzz.mk
	$(Q)rm -rf $(FUZZ_OUT)/seeds && mkdir -p $(addprefix $(FUZZ_OUT)/seeds/,$(fuzz-names))
	$(Q)cp $(HOST_CPIO_CORPUS)/*.cpio $(FUZZ_OUT)/seeds/cpio_fuzz/ 2>/dev/null || true
	$(Q)for p in $(wildcard $(objtree)/usr/musl/hello $(objtree)/usr/musl/fork); do \
		strip -o $(FUZZ_OUT)/seeds/elf_fuzz/musl-$$(basename $$p) $$p; done
	$(Q)printf 'pcache=4M count=3 flag name="a b"' > $(FUZZ_OUT)/seeds/cmdline_fuzz/good
	$(Q)printf 'count=99999999999 pcache=banana flag=maybe x= ="" "' > $(FUZZ_OUT)/seeds/cmdline_fuzz/bad
	$(Q)touch $@

.PHONY: fuzz-hosts fuzz-host
ifeq ($(shell command -v $(FUZZ_CC)),)
fuzz-hosts fuzz-host:
	@echo "SKIP fuzz-host ($(FUZZ_CC) not found: Debian package clang)"
else
fuzz-hosts: $(fuzz-bins)

fuzz-host: $(fuzz-bins) $(FUZZ_OUT)/seeds/.stamp
	$(Q)$(srctree)/tools/testing/fuzz/run-fuzzers --out $(FUZZ_OUT) \
		--regressions $(FUZZ_DIR)/regressions --seconds $(FUZZ_SECONDS) $(fuzz-bins)
endif
