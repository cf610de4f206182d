#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate the malformed-ELF corpus that usr/tests/elf_corpus.c executes.

  usr/corpus/make-elf-corpus.py OUTDIR BASE

BASE is a good static x86-64 program (the build's /musl/hello). Each case
is BASE with one defect (or a file that is not an ELF at all), written as
OUTDIR/NAME; OUTDIR/expected lists "NAME ERRNO" per case: the errno
execve() must fail with (0: it must run and exit 0, the control case).
The initramfs packs OUTDIR as /corpus/elf. The ELF checks behind these
errors are managers/memory/elf.c (host-tested in tools/testing/elf_test.c).
"""
import os
import struct
import sys

ENOEXEC, EACCES = 8, 13

# Offsets in the ELF64 header.
EI_CLASS, EI_DATA = 4, 5
E_TYPE, E_MACHINE, E_ENTRY, E_PHOFF = 16, 18, 24, 32
E_PHENTSIZE, E_PHNUM = 54, 56
PHDR_SIZE = 56
PT_LOAD, PT_INTERP = 1, 3


def put(data, fmt, off, value):
    struct.pack_into("<" + fmt, data, off, value)


def phdrs(data):
    """(offset of each program header, its p_type)."""
    phoff = struct.unpack_from("<Q", data, E_PHOFF)[0]
    phnum = struct.unpack_from("<H", data, E_PHNUM)[0]
    return [(phoff + i * PHDR_SIZE, struct.unpack_from("<I", data, phoff + i * PHDR_SIZE)[0])
            for i in range(phnum)]


def first(data, p_type):
    return next(off for off, t in phdrs(data) if t == p_type)


def last_load(data):
    return [off for off, t in phdrs(data) if t == PT_LOAD][-1]


def not_load(data):
    return next(off for off, t in phdrs(data) if t != PT_LOAD)


def set_interp(data):
    put(data, "I", not_load(data), PT_INTERP)


def no_loads(data):
    for off, t in phdrs(data):
        if t == PT_LOAD:
            put(data, "I", off, 0)


def filesz_over_memsz(data):
    off = last_load(data)
    memsz = struct.unpack_from("<Q", data, off + 40)[0]
    put(data, "Q", off + 32, memsz + 0x10000)


# name -> (edit of a bytearray copy of BASE, expected errno)
CASES = {
    "control": (lambda d: None, 0),
    "bad-magic": (lambda d: put(d, "B", 1, ord("X")), ENOEXEC),
    "class-32": (lambda d: put(d, "B", EI_CLASS, 1), ENOEXEC),
    "big-endian": (lambda d: put(d, "B", EI_DATA, 2), ENOEXEC),
    "machine-i386": (lambda d: put(d, "H", E_MACHINE, 3), ENOEXEC),
    "type-rel": (lambda d: put(d, "H", E_TYPE, 1), ENOEXEC),
    "type-core": (lambda d: put(d, "H", E_TYPE, 4), ENOEXEC),
    "phentsize-32": (lambda d: put(d, "H", E_PHENTSIZE, 32), ENOEXEC),
    "phnum-0": (lambda d: put(d, "H", E_PHNUM, 0), ENOEXEC),
    "phnum-65535": (lambda d: put(d, "H", E_PHNUM, 65535), ENOEXEC),
    "phoff-beyond": (lambda d: put(d, "Q", E_PHOFF, len(d) + 4096), ENOEXEC),
    "phoff-wraps": (lambda d: put(d, "Q", E_PHOFF, (1 << 64) - 8), ENOEXEC),
    "entry-nowhere": (lambda d: put(d, "Q", E_ENTRY, 0x10), ENOEXEC),
    "pt-interp": (set_interp, ENOEXEC),
    "no-pt-load": (no_loads, ENOEXEC),
    "filesz-over-memsz": (filesz_over_memsz, ENOEXEC),
    "memsz-huge": (lambda d: put(d, "Q", last_load(d) + 40, 1 << 46), ENOEXEC),
    "memsz-wraps": (lambda d: put(d, "Q", last_load(d) + 40, (1 << 64) - 0x1000), ENOEXEC),
    "vaddr-kernel": (lambda d: put(d, "Q", last_load(d) + 16, 0xffff800000000000), ENOEXEC),
    "offset-misaligned": (lambda d: put(d, "Q", last_load(d) + 8,
                                        struct.unpack_from("<Q", d, last_load(d) + 8)[0] + 1),
                          ENOEXEC),
}

# Files that are not an ELF image at all: name -> (bytes or a length of BASE, errno, mode)
WHOLE_FILES = {
    "empty": (b"", ENOEXEC, 0o755),
    "header-only-10-bytes": (10, ENOEXEC, 0o755),
    "truncated-ehdr": (40, ENOEXEC, 0o755),
    "truncated-half": (None, ENOEXEC, 0o755),	# segments reach past the end
    "text-no-shebang": (b"echo this is not a program\n", ENOEXEC, 0o755),
    "not-executable": (0, EACCES, 0o644),	# the whole program, mode 0644
}


def write(outdir, name, data, mode=0o755):
    path = os.path.join(outdir, name)
    with open(path, "wb") as f:
        f.write(data)
    os.chmod(path, mode)


def whole_file(base, spec):
    if isinstance(spec, bytes):
        return spec
    if spec is None:
        return base[:len(base) // 2]
    return base[:spec] if spec else base


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: make-elf-corpus.py OUTDIR BASE")
    outdir, base_path = sys.argv[1:]
    with open(base_path, "rb") as f:
        base = f.read()
    os.makedirs(outdir, exist_ok=True)
    expected = []
    for name, (edit, err) in CASES.items():
        data = bytearray(base)
        edit(data)
        write(outdir, name, bytes(data))
        expected.append("%s %d" % (name, err))
    for name, (spec, err, mode) in WHOLE_FILES.items():
        write(outdir, name, whole_file(base, spec), mode)
        expected.append("%s %d" % (name, err))
    with open(os.path.join(outdir, "expected"), "w") as f:
        f.write("\n".join(expected) + "\n")


if __name__ == "__main__":
    main()
