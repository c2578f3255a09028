#!/bin/sh
# Fetch the kernel for the VM from Debian's archive: resolve linux-image-ARCH,
# apt-get download it and dpkg -x it into OUT. It is never installed.
# A foreign ARCH (arm64 on an amd64 host) needs it added to dpkg: make deps.
# usage: qemu/kernel.sh OUT [ARCH]    (ARCH amd64 or arm64, default amd64;
#        prints the path of the kernel image)
set -eu
out=$1
arch=${2:-amd64}
resolve() {
	apt-cache depends "linux-image-$arch" 2>/dev/null |
		sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\).*/\1/p' | head -n 1
}
pkg=$(resolve)
if [ -z "$pkg" ]; then	# a fresh machine has no package lists yet
	apt-get update -q >/dev/null
	pkg=$(resolve)
fi
[ -n "$pkg" ] || { echo "qemu/kernel.sh: cannot resolve linux-image-$arch" >&2; exit 1; }
sh "$(dirname "$0")/fetch.sh" "$pkg" "$out/kernel"
ls "$out"/kernel/boot/vmlinuz-* | head -n 1
