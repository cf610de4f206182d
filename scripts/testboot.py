# SPDX-License-Identifier: GPL-2.0
"""One test boot of Mosaic, shared by scripts/run-user-tests and
scripts/run-busybox-tests.

  boot(settings, cmdline, log) -> the console text

settings carries objtree, accel, smp, mem, timeout and cluster (None, or
scripts/cluster options as one string, e.g. "--memory-nodes 2"). Without
cluster the kernel boots in one QEMU through scripts/mosaic-run; with it,
scripts/cluster boots a processor plus memory/storage nodes on a VDE switch
and the processor gets cmdline, so every page and file of the programs
crosses the Ethernet transport. Either way the (processor's) console ends up
in log, and the memory nodes' consoles in log + ".nodes/".
"""
import os
import shlex
import subprocess

SCRIPTS = os.path.dirname(os.path.abspath(__file__))


def _common_options(settings):
    return ["--kernel", os.path.join(settings.objtree, "mosaic.elf"),
            "--initrd", os.path.join(settings.objtree, "initramfs.cpio"),
            "--accel", settings.accel, "--smp", str(settings.smp), "--mem", settings.mem,
            "--timeout", str(settings.timeout)]


def _boot_cluster(settings, cmdline, log):
    """scripts/cluster prints the processor's console on its stdout: into log."""
    cmd = [os.path.join(SCRIPTS, "cluster")] + _common_options(settings) + \
        shlex.split(settings.cluster) + ["--logdir", log + ".nodes", "--", cmdline]
    with open(log, "w") as out:
        subprocess.call(cmd, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT)


def _boot_single(settings, cmdline, log):
    cmd = [os.path.join(SCRIPTS, "mosaic-run")] + _common_options(settings) + \
        ["--append", cmdline, "--quiet", "--log", log]
    subprocess.call(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                    stderr=subprocess.DEVNULL)


def boot(settings, cmdline, log):
    """Boot with the kernel command line cmdline; returns the console text ("" if none)."""
    (_boot_cluster if settings.cluster else _boot_single)(settings, cmdline, log)
    try:
        with open(log, errors="replace") as f:
            return f.read()
    except OSError:
        return ""


def add_arguments(ap, timeout):
    """The options every user of boot() takes (argparse), with its default timeout."""
    ap.add_argument("--objtree", default="build")
    ap.add_argument("--timeout", type=int, default=timeout, help="seconds per boot")
    ap.add_argument("--smp", type=int, default=2)
    ap.add_argument("--mem", default="512M")
    ap.add_argument("--accel", default=os.environ.get("MOSAIC_ACCEL", "tcg"))
    ap.add_argument("--cluster", metavar="OPTS",
                    help="boot clusters: scripts/cluster OPTS (e.g. '--memory-nodes 2')")
