#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""Generate the cpio test corpus (tools/testing/cpio_test.c reads it).

good-*.cpio come from GNU cpio (`cpio -o -H newc` and `-H crc`) over a small
tree; bad-*.cpio are built here, each with one defect. The host-test build
writes them to $(objtree)/tools/testing/corpus/cpio:
    tools/testing/corpus/cpio/make-corpus.py OUTDIR
"""
import os
import random
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))


def gnu_archive(fmt):
    with tempfile.TemporaryDirectory() as root:
        os.makedirs(os.path.join(root, "etc"))
        os.makedirs(os.path.join(root, "bin"))
        with open(os.path.join(root, "etc", "hello.txt"), "w") as f:
            f.write("hello, mosaic\n")
        with open(os.path.join(root, "bin", "busybox"), "wb") as f:
            f.write(bytes(range(7)))
        open(os.path.join(root, "empty"), "w").close()
        os.symlink("busybox", os.path.join(root, "bin", "sh"))
        for p, _, _ in os.walk(root):
            os.utime(p, (0, 0))
        names = subprocess.run(["find", ".", "-mindepth", "0"], cwd=root, check=True,
                               capture_output=True, text=True).stdout
        names = "\n".join(sorted(names.split())) + "\n"
        return subprocess.run(["cpio", "-o", "-H", fmt, "--quiet", "--reproducible"],
                              cwd=root, input=names.encode(), check=True,
                              capture_output=True).stdout


def header(name, mode=0o100644, size=0, namesize=None, magic=b"070701", check=0):
    namesize = len(name) + 1 if namesize is None else namesize
    fields = [1, mode, 0, 0, 1, 0, size, 0, 0, 0, 0, namesize, check]
    return magic + b"".join(b"%08X" % f for f in fields)


def pad4(b):
    return b + b"\0" * (-len(b) % 4)


def entry(name, data=b"", mode=0o100644, **kw):
    return pad4(header(name, mode, len(data), **kw) + name + b"\0") + pad4(data)


TRAILER = entry(b"TRAILER!!!", mode=0)


def bad_archives(good):
    hello = entry(b"hello", b"hi\n")
    yield "bad-empty", b""
    yield "bad-random", bytes(random.Random(7).randrange(256) for _ in range(300))
    yield "bad-magic", b"070707" + good[6:]
    yield "bad-hex-digit", good[:14] + b"g" + good[15:]
    yield "bad-trunc-header", good[:50]
    yield "bad-trunc-name", hello[:112]
    yield "bad-trunc-data", hello[:-3]
    yield "bad-no-trailer", hello
    yield "bad-namesize-zero", header(b"x", namesize=0) + b"x\0\0\0" + TRAILER
    yield "bad-namesize-huge", header(b"x", namesize=0xFFFFFFFF) + b"x\0\0\0" + TRAILER
    yield "bad-filesize-huge", pad4(header(b"f", size=0xFFFFFFFF) + b"f\0") + b"data" + TRAILER
    yield "bad-name-no-nul", pad4(header(b"ab", namesize=2) + b"ab") + TRAILER
    yield "bad-name-inner-nul", entry(b"a\0b") + TRAILER
    yield "bad-dotdot", entry(b"etc/../../x", b"x") + TRAILER
    yield "bad-long-component", entry(b"d/" + b"n" * 256, b"") + TRAILER
    yield "bad-nonzero-padding", (header(b"ab") + b"ab\0X") + TRAILER
    yield "bad-dir-with-data", entry(b"d", b"data", mode=0o040755) + TRAILER
    yield "bad-symlink-empty", entry(b"l", b"", mode=0o120777) + TRAILER
    yield "bad-crc-mismatch", entry(b"c", b"abc", magic=b"070702", check=1) + TRAILER


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else HERE
    os.makedirs(out, exist_ok=True)
    for fmt, name in (("newc", "good-gnu-newc"), ("crc", "good-gnu-crc")):
        with open(os.path.join(out, name + ".cpio"), "wb") as f:
            f.write(gnu_archive(fmt))
    with open(os.path.join(out, "good-gnu-newc.cpio"), "rb") as f:
        good = f.read()
    for name, data in bad_archives(good):
        with open(os.path.join(out, name + ".cpio"), "wb") as f:
            f.write(data)


if __name__ == "__main__":
    main()
