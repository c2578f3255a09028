#!/bin/sh
# The boot benchmark's two VM images: the test VM's initramfs with a small
# second archive appended (the kernel unpacks both in turn, the later files
# over the earlier). Both get the same /bench/report.sh and the /dev/console
# and /dev/kmsg nodes (busybox init mounts no devtmpfs before its first
# service); bench-reaper.gz gets /etc/bench.conf, bench-busybox.gz gets
# /etc/inittab and busybox as /init.
# usage: tests/bench/initramfs.sh BASE.gz OUTDIR
set -eu
base=$1
out=$2
for init in reaper busybox; do
	root=$(mktemp -d)
	mkdir -p "$root/dev" "$root/etc" "$root/bench"
	mknod -m 600 "$root/dev/console" c 5 1
	mknod -m 644 "$root/dev/kmsg" c 1 11
	cp tests/bench/vm/report.sh "$root/bench/report.sh"
	if [ "$init" = busybox ]; then
		# A file, not a link: the unpacker replaces a link only with another type.
		cp /bin/busybox "$root/init"
		cp tests/bench/vm/inittab "$root/etc/inittab"
	else
		cp tests/bench/vm/bench.conf "$root/etc/bench.conf"
	fi
	(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -9 >"$out/extra-$init.gz"
	rm -rf "$root"
	cat "$base" "$out/extra-$init.gz" >"$out/bench-$init.gz.tmp"
	mv "$out/bench-$init.gz.tmp" "$out/bench-$init.gz"
	rm -f "$out/extra-$init.gz"
done
