#!/bin/sh
# Fetch the kernel for the VM from Debian's archive: resolve linux-image-amd64,
# apt-get download it and dpkg -x it into OUT. It is never installed.
# usage: qemu/kernel.sh OUT    (prints the path of the kernel image)
set -eu
out=$1
resolve() {
	apt-cache depends linux-image-amd64 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\).*/\1/p' | head -n 1
}
pkg=$(resolve)
if [ -z "$pkg" ]; then	# a fresh machine has no package lists yet
	apt-get update -q >/dev/null
	pkg=$(resolve)
fi
[ -n "$pkg" ] || { echo "qemu/kernel.sh: cannot resolve linux-image-amd64" >&2; exit 1; }
if [ ! -e "$out/kernel/.$pkg" ]; then
	rm -rf "$out/dl" "$out/kernel"
	mkdir -p "$out/dl" "$out/kernel"
	(cd "$out/dl" && apt-get download -q "$pkg" >&2)
	dpkg -x "$out"/dl/"$pkg"_*.deb "$out/kernel"
	rm -rf "$out/dl"
	touch "$out/kernel/.$pkg"
fi
ls "$out"/kernel/boot/vmlinuz-* | head -n 1
