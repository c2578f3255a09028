#!/bin/sh
# Boot the VM: "demo" runs the demo config and powers off by itself;
# "interactive" gives a shell on the serial console (leave with poweroff,
# or Ctrl-A then X to kill QEMU).
# usage: qemu/boot.sh demo|interactive KERNEL INITRD
set -eu
mode=$1
kernel=$2
initrd=$3
kvm=""
[ "${QEMU_KVM:-0}" = 1 ] && [ -w /dev/kvm ] && kvm="-enable-kvm -cpu host"
case $mode in
demo)
	# loglevel=6 shows reaper's lines (notice) but not the kernel's info.
	append="console=ttyS0 panic=-1 loglevel=6 printk.devkmsg=on -- -f /etc/scenarios/demo.conf"
	# shellcheck disable=SC2086
	exec timeout -k 5 120 qemu-system-x86_64 -nographic -no-reboot -m 256 $kvm \
		-kernel "$kernel" -initrd "$initrd" -append "$append" </dev/null
	;;
interactive)
	echo "reaper VM: a shell on the serial console; 'poweroff' (or Ctrl-A X) leaves."
	append="console=ttyS0 panic=-1 loglevel=5 printk.devkmsg=on"
	# shellcheck disable=SC2086
	exec qemu-system-x86_64 -nographic -no-reboot -m 256 $kvm \
		-kernel "$kernel" -initrd "$initrd" -append "$append"
	;;
*)
	echo "usage: qemu/boot.sh demo|interactive KERNEL INITRD" >&2
	exit 2
	;;
esac
