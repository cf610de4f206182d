#!/bin/busybox sh
# SPDX-License-Identifier: GPL-2.0
#
# /init of the Linux comparison guest (scripts/bench-linux packs it over
# Mosaic's initramfs, so the same /glibc/bench/* and /musl/bench/* programs
# run on both kernels). Settings come from the kernel command line:
#   bench.progs=P1;P2;...   programs to run, in order (';' separated)
#   bench.limit=SIZE        run them in a memory cgroup with memory.max=SIZE
#   bench.swap=zram|none    zram swap (default; also without a limit, so that
#                           MADV_PAGEOUT has somewhere to page out to) or none
# Every program's output goes to the serial console; scripts/bench reads the
# "bench: NAME METRIC VALUE UNIT" rows. The last line is "bench-linux: done".
# The first line is the boot mark scripts/bench-compare times (as on Mosaic,
# where usr/bench/boot_mark prints it).
echo "bench-boot: first user line"
/bin/busybox --install -s /bin
mkdir -p /proc /sys /dev
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev 2>/dev/null

arg() {	# the value of kernel parameter $1, or empty
	for kv in $(cat /proc/cmdline); do
		case "$kv" in "$1="*) echo "${kv#*=}"; return;; esac
	done
}

setup_zram_swap() {	# $1: swap size
	insmod /lib/modules/zsmalloc.ko && insmod /lib/modules/zram.ko || return 1
	echo "$1" > /sys/block/zram0/disksize || return 1
	mkswap /dev/zram0 >/dev/null && swapon /dev/zram0
}

enter_memory_cgroup() {	# $1: memory.max for this shell and its children
	mkdir -p /sys/fs/cgroup
	mount -t cgroup2 none /sys/fs/cgroup || return 1
	echo +memory > /sys/fs/cgroup/cgroup.subtree_control || return 1
	mkdir /sys/fs/cgroup/bench
	echo "$1" > /sys/fs/cgroup/bench/memory.max || return 1
	echo $$ > /sys/fs/cgroup/bench/cgroup.procs
}

limit=$(arg bench.limit)
swap=$(arg bench.swap)
if [ "$swap" != none ]; then
	setup_zram_swap 2G || echo "bench-linux: zram swap setup failed"
fi
if [ -n "$limit" ]; then
	enter_memory_cgroup "$limit" || echo "bench-linux: memory cgroup setup failed"
fi
echo "bench-linux: memory.max=${limit:-none} swap=${swap:-zram}"
echo "bench-linux: cpu $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2)"

progs=$(arg bench.progs)
IFS=';'
for prog in $progs; do
	unset IFS
	echo "bench-linux: run $prog"
	$prog
	echo "bench-linux: $prog exited with status $?"
done
unset IFS
echo "bench-linux: done"
poweroff -f
