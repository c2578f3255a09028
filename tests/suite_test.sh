#!/bin/sh
# tests/suite.sh's suite() on made-up suites: a suite that exits non-zero,
# says "0 passed, 0 failed", skipped all, prints no summary, or was filtered
# by ONLY= fails; skips are counted apart.
# Prints "suite: N passed, N failed" last.
. "$(dirname "$0")/suite.sh"
tmp=$(mktemp -d /tmp/reaper-suite.XXXXXX) || exit 1
trap 'rm -rf "$tmp"' EXIT
ok=0; bad=0

# judge WANT NAME SCRIPT: run SCRIPT as a suite; WANT is its status, 0 or 1.
judge() {
	passed=0; failed=0; status=0
	suite "$2" "$tmp/log" sh -c "$3" >/dev/null
	if [ "$status" = "$1" ]; then
		echo "ok - $2"; ok=$((ok + 1))
	else
		echo "not ok - $2: status $status, want $1"; bad=$((bad + 1))
	fi
}

judge 0 "a passing suite passes" 'echo "x: 3 passed, 0 failed"'
judge 1 "a failed test fails" 'echo "x: 3 passed, 1 failed"; exit 1'
judge 1 "a non-zero exit fails" 'echo "x: 3 passed, 0 failed"; exit 1'
judge 1 "no summary fails" 'echo hello'
judge 1 "a suite that ran nothing fails" 'echo "x: 0 passed, 0 failed"'
judge 1 "a suite that skipped everything fails" 'echo "x: 0 passed, 0 failed, 2 skipped"'
judge 0 "a suite with a skip passes" 'echo "x: 3 passed, 0 failed, 1 skipped"'
passed=0; failed=0; skipped=0; status=0
suite "skips are counted" "$tmp/log" sh -c 'echo "x: 3 passed, 0 failed, 2 skipped"' >/dev/null
if [ "$passed $failed $skipped" = "3 0 2" ]; then
	echo "ok - skips are counted apart"; ok=$((ok + 1))
else
	echo "not ok - skips are counted apart: $passed passed, $failed failed, $skipped skipped"
	bad=$((bad + 1))
fi
# What ctl.sh and ready.sh do with ONLY=: check.sh must not pass it on.
ONLY=t_no_such_test
export ONLY
judge 0 "a suite that obeys ONLY= runs everything" \
	'for t in ${ONLY:-a b}; do case $t in a|b) n=$((${n:-0} + 1));; esac; done; echo "x: ${n:-0} passed, 0 failed"'
unset ONLY
echo "suite: $ok passed, $bad failed"
[ "$bad" -eq 0 ]
