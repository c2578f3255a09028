#!/bin/sh
# Download one Debian package (PKG may name an architecture: busybox-static:arm64)
# with apt-get download and unpack it with dpkg -x under DIR. It is never
# installed. A stamp named after PKG makes a second call do nothing.
# usage: qemu/fetch.sh PKG DIR
set -eu
pkg=$1
dir=$2
[ -e "$dir/.$pkg" ] && exit 0
rm -rf "$dir" "$dir.dl"
mkdir -p "$dir" "$dir.dl"
(cd "$dir.dl" && apt-get download -q "$pkg" >&2)
dpkg -x "$dir".dl/*.deb "$dir"
rm -rf "$dir.dl"
touch "$dir/.$pkg"
