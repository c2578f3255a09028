#!/bin/sh
# Run each libFuzzer target for a bounded time on its seed corpus; any crash,
# leak, sanitizer report or broken invariant fails it. New inputs the fuzzer
# finds go to BUILDDIR/fuzz/work/TARGET, never into tests/fuzz/corpus.
# usage: tests/fuzz/run.sh BUILDDIR SECONDS [TARGET...]  (default: every fuzz_*.c)
b=$1; secs=$2; shift 2
dir=$(dirname "$0")
if [ $# -eq 0 ]; then
	for f in "$dir"/fuzz_*.c; do
		f=${f##*/fuzz_}
		set -- "$@" "${f%.c}"
	done
fi
passed=0; failed=0

for t in "$@"; do
	work=$b/fuzz/work/$t; art=$b/fuzz/artifacts/$t
	mkdir -p "$work" "$art"
	dict=""
	[ -f "$dir/$t.dict" ] && dict=-dict=$dir/$t.dict
	# Past CONF_FILE_MAX, so that a long campaign reaches the file size limit.
	maxlen=8192
	[ "$t" = conf ] && maxlen=70000
	echo "== fuzz_$t: ${secs}s"
	# The first corpus directory receives new inputs; the seeds are only read.
	"$b/fuzz/fuzz_$t" -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 \
		-max_len=$maxlen -print_final_stats=1 -artifact_prefix="$art/" ${dict:+"$dict"} \
		"$work" "$dir/corpus/$t" >"$b/fuzz/$t.log" 2>&1
	rc=$?
	grep -E '^(#[0-9]+ *DONE|stat::number_of_executed_units|stat::peak_rss_mb)' \
		"$b/fuzz/$t.log"
	if [ "$rc" -eq 0 ] && ! grep -q '^==[0-9]*==ERROR\|runtime error:' "$b/fuzz/$t.log"; then
		echo "ok - fuzz_$t"
		passed=$((passed + 1))
	else
		echo "not ok - fuzz_$t: exit $rc; input kept in $art"
		grep -E 'ERROR|runtime error|SUMMARY|Test unit written' "$b/fuzz/$t.log" | head -n 10
		failed=$((failed + 1))
	fi
done
echo "fuzz: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
