#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Turn `nm -n` output of the kernel into an assembler symbol table.

The table (in section .kallsyms) holds the sorted addresses of text symbols
and their names, so panic() and backtraces can print function+offset.
Usage: nm -n mosaic.elf | kallsyms.py -   (or kallsyms.py /dev/null for an
empty table used by the first link).
"""
import sys


def text_symbols(lines):
    syms = []
    for line in lines:
        parts = line.split()
        if len(parts) != 3 or parts[1] not in "tTwW":
            continue
        addr = int(parts[0], 16)
        if addr < 0xffffffff80000000:
            continue  # 32-bit boot code and absolute symbols
        syms.append((addr, parts[2]))
    return syms


def emit(syms):
    out = ['\t.section .kallsyms, "a"', "\t.balign 8",
           "\t.globl kallsyms_num, kallsyms_addrs, kallsyms_offsets, kallsyms_names",
           "kallsyms_num:", "\t.quad %d" % len(syms), "kallsyms_addrs:"]
    out += ["\t.quad 0x%x" % a for a, _ in syms]
    out.append("kallsyms_offsets:")
    off = 0
    for _, name in syms:
        out.append("\t.long %d" % off)
        off += len(name) + 1
    out.append("kallsyms_names:")
    out += ['\t.asciz "%s"' % n for _, n in syms]
    out.append("\t.balign 8")
    return "\n".join(out) + "\n"


def main():
    src = sys.stdin if sys.argv[1:] == ["-"] else open(sys.argv[1])
    sys.stdout.write(emit(text_symbols(src)))


if __name__ == "__main__":
    main()
