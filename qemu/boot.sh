#!/bin/sh
# Boot the VM: "demo" runs the demo config and ends with the host pressing
# the power key (QEMU's system_powerdown);
# "interactive" gives a shell on the serial console (leave with poweroff,
# or Ctrl-A then X to kill QEMU). ARCH is amd64 (default) or arm64.
# usage: qemu/boot.sh demo|interactive KERNEL INITRD [ARCH]
set -eu
mode=$1
kernel=$2
initrd=$3
arch=${4:-amd64}
kvm=""
case $arch in
amd64)
	qemu=qemu-system-x86_64 console=ttyS0
	[ "${QEMU_KVM:-0}" = 1 ] && [ -w /dev/kvm ] && kvm="-enable-kvm -cpu host"
	;;
arm64)	# the virt board: PL011 serial, PSCI for power off and reset
	qemu="qemu-system-aarch64 -M virt -cpu cortex-a57" console=ttyAMA0
	;;
*)
	echo "qemu/boot.sh: unknown architecture $arch" >&2
	exit 2
	;;
esac
case $mode in
demo)
	# loglevel=6 shows reaper's lines (notice) but not the kernel's info.
	append="console=$console panic=-1 loglevel=6 printk.devkmsg=on -- -f /etc/scenarios/demo.conf"
	# The demo ends when the host presses the power key: the guest asks for
	# it on the console, and system_powerdown goes in through the monitor,
	# a pipe pair (QEMU opens both ends itself, so nothing here blocks).
	dir=$(mktemp -d)
	trap 'rm -rf "$dir"' EXIT
	mkfifo "$dir/mon.in" "$dir/mon.out"
	# shellcheck disable=SC2086
	{ timeout -k 5 120 $qemu -nographic -no-reboot -m 256 $kvm \
		-kernel "$kernel" -initrd "$initrd" -append "$append" \
		-monitor "pipe:$dir/mon" </dev/null; echo $? >"$dir/rc"; } |
		while IFS= read -r line; do
			printf '%s\n' "$line"
			case $line in
			*"the host presses the power key now"*)
				echo "== host: system_powerdown through the QEMU monitor =="
				echo system_powerdown >"$dir/mon.in"
				;;
			esac
		done
	exit "$(cat "$dir/rc")"
	;;
interactive)
	echo "reaper VM: a shell on the serial console; 'poweroff' (or Ctrl-A X) leaves;"
	echo "Ctrl-A C, then system_powerdown, presses the power key (Ctrl-A C again: back)."
	append="console=$console panic=-1 loglevel=5 printk.devkmsg=on"
	# shellcheck disable=SC2086
	exec $qemu -nographic -no-reboot -m 256 $kvm \
		-kernel "$kernel" -initrd "$initrd" -append "$append"
	;;
*)
	echo "usage: qemu/boot.sh demo|interactive KERNEL INITRD [ARCH]" >&2
	exit 2
	;;
esac
