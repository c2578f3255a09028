#!/bin/sh
# make check: run the unit tests and the namespace tests, then one summary line.
# usage: tests/check.sh BUILDDIR UNIT...
b=$1; shift
passed=0; failed=0; status=0

for t in "$@"; do
	echo "== unit: $t"
	"$b/host/$t" >"$b/$t.log" 2>&1; rc=$?
	cat "$b/$t.log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$b/$t.log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$b/$t.log" | tail -n 1)
	passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ] || [ -z "$p" ]; then
		status=1
		[ -z "$f" ] && [ "$rc" -ne 0 ] && failed=$((failed + 1))
	fi
done

echo "== namespace tests"
REAPER=$b/reaper HELPERS=$b/helpers bash tests/ns/run.sh 2>&1 | tee "$b/ns.log"
line=$(grep -E '^ns: [0-9]+ passed, [0-9]+ failed' "$b/ns.log" | tail -n 1)
if [ -z "$line" ]; then
	echo "namespace tests printed no summary"
	status=1; failed=$((failed + 1))
else
	p=$(echo "$line" | sed 's/^ns: \([0-9]*\) passed.*/\1/')
	f=$(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')
	passed=$((passed + p)); failed=$((failed + f))
	[ "$f" -eq 0 ] || status=1
fi

[ "$failed" -eq 0 ] || status=1
echo "$passed passed, $failed failed"
exit $status
