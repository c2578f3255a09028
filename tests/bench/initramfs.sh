#!/bin/sh
# The VM benchmark's images: the test VM's initramfs with a small second
# archive appended (the kernel unpacks both in turn, the later files over
# the earlier). All get the same /bench scripts and the /dev/console and
# /dev/kmsg nodes (busybox init mounts no devtmpfs before its first
# service). bench-reaper.gz gets /etc/bench.conf and /etc/stubborn.conf
# and /etc/powerkey.conf (the kernel command line picks one);
# bench-busybox.gz gets /etc/inittab and busybox as /init,
# bench-busybox-stubborn.gz the same with the inittab of three TERM-ignoring
# services (busybox init reads no other), and bench-busybox-acpid.gz the
# inittab that runs busybox's acpid, with its power-key action.
# usage: tests/bench/initramfs.sh BASE.gz OUTDIR
set -eu
base=$1
out=$2
for image in reaper busybox busybox-stubborn busybox-acpid; do
	root=$(mktemp -d)
	mkdir -p "$root/dev" "$root/etc" "$root/bench"
	mknod -m 600 "$root/dev/console" c 5 1
	mknod -m 644 "$root/dev/kmsg" c 1 11
	cp tests/bench/vm/report.sh tests/bench/vm/stubborn.sh tests/bench/vm/press.sh "$root/bench/"
	case $image in
	busybox*)
		# A file, not a link: the unpacker replaces a link only with another type.
		cp /bin/busybox "$root/init"
		inittab=tests/bench/vm/inittab${image#busybox}
		cp "$inittab" "$root/etc/inittab"
		if [ "$image" = busybox-acpid ]; then
			mkdir -p "$root/etc/acpi/PWRF"
			cp tests/bench/vm/acpi-power "$root/etc/acpi/PWRF/00000080"
			chmod 755 "$root/etc/acpi/PWRF/00000080"
		fi
		;;
	*)
		cp tests/bench/vm/bench.conf "$root/etc/bench.conf"
		cp tests/bench/vm/stubborn.conf "$root/etc/stubborn.conf"
		cp tests/bench/vm/powerkey.conf "$root/etc/powerkey.conf"
		;;
	esac
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -9 >"$out/extra-$image.gz"
	rm -rf "$root"
	cat "$base" "$out/extra-$image.gz" >"$out/bench-$image.gz.tmp"
	mv "$out/bench-$image.gz.tmp" "$out/bench-$image.gz"
	rm -f "$out/extra-$image.gz"
done
