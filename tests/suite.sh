# suite(): how tests/check.sh counts a suite (sourced; tests/suite_test.sh tries it).
# It adds to passed, failed, skipped and status, which the caller sets.
# A suite prints "WORD: N passed, N failed" (and ", N skipped" if it can
# skip) as its last summary line. It fails if it exits non-zero, prints no
# summary, fails a test, or ran no test at all (a typo, a selection such as
# ONLY= left in the environment, or every test skipped). A skip is counted
# apart: never a pass.
suite() {	# name log command...
	name=$1; log=$2; shift 2
	echo "== $name"
	# A selection left in the environment (ONLY=t_x) is not passed on.
	{ env -u ONLY "$@" 2>&1; echo $? >"$log.rc"; } | tee "$log"
	rc=$(cat "$log.rc")
	line=$(grep -E '^[a-z0-9-]+: [0-9]+ passed, [0-9]+ failed' "$log" | tail -n 1)
	if [ -z "$line" ]; then
		echo "$name printed no summary (exit $rc)"
		status=1; failed=$((failed + 1))
		return
	fi
	p=$(echo "$line" | sed 's/^[a-z0-9-]*: \([0-9]*\) passed.*/\1/')
	f=$(echo "$line" | sed 's/.* \([0-9]*\) failed.*/\1/')
	k=$(echo "$line" | sed -n 's/.* failed, \([0-9]*\) skipped.*/\1/p')
	passed=$((passed + p)); failed=$((failed + f)); skipped=$((${skipped:-0} + ${k:-0}))
	[ "$f" -eq 0 ] || status=1
	if [ "$p" -eq 0 ] && [ "$f" -eq 0 ]; then
		echo "$name ran no test"
		status=1; failed=$((failed + 1))
	elif [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		echo "$name exited $rc after '$line'"
		status=1; failed=$((failed + 1))
	fi
}
