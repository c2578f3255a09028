#!/bin/bash
# make mutants: break the source one small change at a time and check that
# the tests named for each change catch it.
#
# usage: tests/mutants/run.sh [LIST] [ID...]   (as root; LIST: tests/mutants/list)
#
# The tracked files are copied once into a scratch tree and built there
# (reaper, helpers, unit tests); each mutant gets a copy of that tree, its one
# change, an incremental build, and only its tests. Results: caught, SURVIVED,
# N/A (the text is not in the file once: the list needs updating), BUILD (the
# mutant does not compile: fix the mutant). Exit 0 only if every one is caught.
set -u
export LC_ALL=C
top=$(cd "$(dirname "$0")/../.." && pwd)
list=${1:-$top/tests/mutants/list}
[ $# -gt 0 ] && shift
want_ids=" $* "
work=$(mktemp -d /tmp/reaper-mutants.XXXXXX) || exit 1
trap 'rm -rf "$work"' EXIT
jobs=${MUTANT_JOBS:-2}

# The base: the tracked files as they are now (what a fresh clone holds).
mkdir -p "$work/base"
git -C "$top" ls-files -z | tar -C "$top" --null -T - -cf - | tar -C "$work/base" -xf - || exit 1
echo "mutants: building the base tree in $work/base"
if ! make -C "$work/base" -j"$jobs" build/reaper ns unit >"$work/base.log" 2>&1; then
	tail -n 20 "$work/base.log"
	echo "mutants: the unmutated tree does not build"
	exit 1
fi

# Undo \n, \t and \\ in a find/with value.
unescape() { printf '%b' "$1"; }	# %b: escapes in the argument; a % there is plain

# Apply one change to tree $1; 0 applied, 1 text not there exactly once.
apply() {
	python3 - "$1/$2" "$(unescape "$3")" "$(unescape "$4")" <<-'PY'
	import sys
	path, old, new = sys.argv[1:4]
	try:
	    s = open(path).read()
	except OSError:
	    sys.exit(1)
	if s.count(old) != 1:
	    sys.exit(1)
	open(path, "w").write(s.replace(old, new))
	PY
}

# Run one test spec in tree $1: unit:NAME, ns:PATTERN, SUITE:t_a,t_b, sh:SCRIPT.
run_spec() {
	local tree=$1 spec=$2 kind arg env
	kind=${spec%%:*}
	arg=${spec#*:}
	env=(REAPER="$tree/build/reaper" HELPERS="$tree/build/helpers")
	case $kind in
	unit)
		make -C "$tree" -s "build/host/$arg" >>"$tree/mutant.log" 2>&1 || return 2
		"$tree/build/host/$arg" ;;
	ns)	(cd "$tree" && env "${env[@]}" bash tests/ns/run.sh "$arg") ;;
	system | ctl | ready | kmsg | hard | cgroup | conf | prefix | user)
		(cd "$tree" && env "${env[@]}" ONLY="${arg//,/ }" bash "tests/ns/$kind.sh") ;;
	sh)	(cd "$tree" && sh "$arg") ;;
	*)	echo "unknown test kind '$kind'"; return 2 ;;
	esac
}

# One mutant: prints its result word.
mutant() {
	local id=$1 file=$2 find=$3 with=$4 tests=$5 tree=$work/m-$1 spec rc caught=
	cp -a "$work/base" "$tree"
	if ! apply "$tree" "$file" "$find" "$with"; then
		rm -rf "$tree"
		echo "N/A"
		return
	fi
	if ! make -C "$tree" -j"$jobs" build/reaper ns >"$tree/mutant.log" 2>&1; then
		cp "$tree/mutant.log" "$work/$id.build.log"
		rm -rf "$tree"
		echo "BUILD"
		return
	fi
	IFS=';' read -ra specs <<<"$tests"
	for spec in "${specs[@]}"; do
		spec=$(echo "$spec" | sed 's/^ *//; s/ *$//')
		[ -n "$spec" ] || continue
		run_spec "$tree" "$spec" >"$tree/test.log" 2>&1
		rc=$?
		if [ "$rc" = 2 ] && [ "${spec%%:*}" = unit ] && ! [ -x "$tree/build/host/${spec#*:}" ]; then
			echo "BUILD"
			rm -rf "$tree"
			return
		fi
		if [ "$rc" != 0 ]; then
			caught=$spec
			break
		fi
	done
	rm -rf "$tree"
	if [ -n "$caught" ]; then
		echo "caught by $caught"
	else
		echo "SURVIVED"
	fi
}

# The list: blocks of "key: value" lines (id, what, file, find, with, tests),
# a blank line between; # starts a comment line.
total=0 bad=0
printf '%-20s %-16s %s\n' ID FILE RESULT
flush() {
	[ -n "$id" ] || return 0
	if [ "$want_ids" != "  " ] && [[ $want_ids != *" $id "* ]]; then
		id=
		return 0
	fi
	if [ -z "$file" ] || [ -z "$find" ] || [ -z "$tests" ]; then
		res="N/A (incomplete entry)"
	else
		res=$(mutant "$id" "$file" "$find" "$with" "$tests")
	fi
	total=$((total + 1))
	case $res in caught*) ;; *) bad=$((bad + 1)) ;; esac
	printf '%-20s %-16s %s\n' "$id" "$file" "$res"
	id=
}
id= file= find= with= tests=
while IFS= read -r line || [ -n "$line" ]; do
	case $line in
	'#'*) continue ;;
	'') flush; file= find= with= tests= ;;
	id:*) id=${line#id: } ;;
	file:*) file=${line#file: } ;;
	find:*) find=${line#find: } ;;
	with:*) with=${line#with:}; with=${with# } ;;
	tests:*) tests=${line#tests: } ;;
	what:*) ;;
	*) echo "mutants: $list: cannot read '$line'"; exit 1 ;;
	esac
done <"$list"
flush
echo "mutants: $((total - bad)) caught, $bad not caught (survived, not applicable or not built), of $total"
[ "$total" -gt 0 ] && [ "$bad" = 0 ]
