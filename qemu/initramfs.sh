#!/bin/sh
# Build the VM's initramfs: rootfs/ plus busybox-static (its applets as links),
# reaper as /sbin/init and /init, and the reaperctl link. Devices come from
# the devtmpfs that reaper mounts, not from the archive. OVERLAY, if given, is
# a folder copied over the result (kernel modules, test programs).
# usage: qemu/initramfs.sh REAPER OUT.cpio.gz [OVERLAY]
set -eu
reaper=$1
out=$2
overlay=${3:-}
bb=/bin/busybox
root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
cp -a rootfs/. "$root/"
mkdir -p "$root/bin" "$root/sbin" "$root/usr/bin" "$root/usr/sbin" \
	"$root/proc" "$root/sys" "$root/dev" "$root/run" "$root/tmp" "$root/root"
cp "$bb" "$root/bin/busybox"
for app in $("$bb" --list-full); do
	case $app in bin/busybox | sbin/init | linuxrc) continue ;; esac
	[ -e "$root/$app" ] || ln -s /bin/busybox "$root/$app"
done
cp "$reaper" "$root/sbin/reaper"
ln -sf reaper "$root/sbin/init"
ln -sf reaper "$root/sbin/reaperctl"
ln -sf /sbin/reaper "$root/init"
[ -z "$overlay" ] || cp -a "$overlay/." "$root/"
chmod 1777 "$root/tmp"
(cd "$root" && find . | LC_ALL=C sort | cpio -o -H newc --quiet) | gzip -9 >"$out.tmp"
mv "$out.tmp" "$out"
