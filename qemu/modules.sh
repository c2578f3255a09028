#!/bin/sh
# Put kernel modules, and the modules they depend on, from an unpacked Debian
# kernel package (qemu/kernel.sh) into a rootfs overlay where busybox modprobe
# finds them: OUT/lib/modules/VERSION/ with the package's own paths and a
# modules.dep made here from each module's depends= field (the package ships
# none: depmod runs when it is installed, and it never is), and OUT/etc/modules
# naming the modules to load, in order (rootfs/sbin/load-modules reads it).
# A module built into the kernel (modules.builtin) needs no loading and is
# left out, said on stderr; a name that is neither fails the build.
# usage: qemu/modules.sh KERNELDIR OUT MODULE...
set -eu
kdir=$1
out=$2
shift 2
set -- "$@" ""	# the loop below reads one more than it is given
mods=$(ls -d "$kdir"/lib/modules/*/ | head -n 1)
mods=${mods%/}
dest=$out/lib/modules/${mods##*/}
mkdir -p "$dest" "$out/etc"
: >"$dest/modules.dep"
: >"$out/etc/modules"

# The module's path under the version folder ("kernel/drivers/..."), or nothing;
# - and _ are the same in a module's name.
rel_of() {
	for n in "$(echo "$1" | tr - _)" "$(echo "$1" | tr _ -)"; do
		r=$(cd "$mods" && find kernel -name "$n.ko" | head -n 1)
		[ -n "$r" ] && { echo "$r"; return 0; }
	done
	return 0
}

builtin() {
	grep -q -e "/$(echo "$1" | tr - _)\.ko\$" -e "/$(echo "$1" | tr _ -)\.ko\$" \
		"$mods/modules.builtin"
}

# A module, after what it depends on; state is in the files, so the
# recursion can run in subshells.
add() {
	rel=$(rel_of "$1")
	if [ -z "$rel" ]; then
		echo "qemu/modules.sh: no module $1 in $mods" >&2
		exit 1
	fi
	grep -q "^$rel:" "$dest/modules.dep" && return 0
	deps=$(tr '\0' '\n' <"$mods/$rel" | sed -n 's/^depends=//p' | tr , ' ')
	line=""
	for d in $deps; do
		(add "$d") || exit 1
		drel=$(rel_of "$d")
		# depmod's form: every module it needs, the ones loaded first last.
		line="$line $drel$(sed -n "s|^$drel:||p" "$dest/modules.dep")"
	done
	mkdir -p "$dest/${rel%/*}"
	cp "$mods/$rel" "$dest/$rel"
	echo "$rel:$line" >>"$dest/modules.dep"
}

while [ -n "$1" ]; do
	if builtin "$1"; then
		echo "qemu/modules.sh: $1 is built into the kernel" >&2
	else
		(add "$1")
		echo "$1" >>"$out/etc/modules"
	fi
	shift
done
