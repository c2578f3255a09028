#!/bin/sh
# make check: run the unit tests and the other suites, then one summary line.
# usage: tests/check.sh BUILDDIR UNIT...
b=$1; shift
passed=0; failed=0; skipped=0; status=0

for t in "$@"; do
	echo "== unit: $t"
	"$b/host/$t" >"$b/$t.log" 2>&1; rc=$?
	cat "$b/$t.log"
	p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$b/$t.log" | tail -n 1)
	f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$b/$t.log" | tail -n 1)
	passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
	if [ "$rc" -ne 0 ] || [ "${p:-0}" -eq 0 ]; then	# none passed: none ran
		status=1
		[ -z "$f" ] && [ "$rc" -ne 0 ] && failed=$((failed + 1))
	fi
done

. tests/suite.sh

suite "check.sh's own counting" "$b/suite.log" sh tests/suite_test.sh
suite "install" "$b/install.log" sh tests/install.sh
suite "namespace tests" "$b/ns.log" env REAPER="$b/reaper" HELPERS="$b/helpers" \
	bash tests/ns/run.sh
suite "system mode" "$b/system.log" env REAPER="$b/reaper" HELPERS="$b/helpers" \
	bash tests/ns/system.sh
suite "include, env-file, failure-action" "$b/conf.log" env REAPER="$b/reaper" HELPERS="$b/helpers" \
	bash tests/ns/conf.sh
suite "reaperctl" "$b/ctl.log" env REAPER="$b/reaper" HELPERS="$b/helpers" \
	bash tests/ns/ctl.sh
suite "readiness and ordering" "$b/ready.log" env REAPER="$b/reaper" HELPERS="$b/helpers" \
	bash tests/ns/ready.sh
suite "cgroups" "$b/cgroup.log" env REAPER="$b/reaper" HELPERS="$b/helpers" \
	bash tests/ns/cgroup.sh
suite "kernel log output" "$b/kmsg.log" env REAPER="$b/reaper" HELPERS="$b/helpers" \
	bash tests/ns/kmsg.sh
suite "prefixed output" "$b/prefix.log" env REAPER="$b/reaper" HELPERS="$b/helpers" \
	bash tests/ns/prefix.sh
suite "not root" "$b/user.log" env REAPER="$b/reaper" HELPERS="$b/helpers" \
	bash tests/ns/user.sh
suite "faults, load, security" "$b/hard.log" env REAPER="$b/reaper" HELPERS="$b/helpers" \
	bash tests/ns/hard.sh
suite "containers" "$b/container.log" env REAPER="$b/reaper" bash tests/container/run.sh
suite "valgrind memcheck" "$b/valgrind.log" env REAPER="$b/vg/reaper" bash tests/ns/valgrind.sh
suite "fuzzing" "$b/fuzz.log" sh tests/fuzz/run.sh "$b" "${FUZZ_TIME:-45}"
suite "VM tests" "$b/qemu.log" python3 tests/qemu/run.py "$b/qemu/vmlinuz" \
	"$b/qemu/initramfs.gz" "$b/qemu/logs"
suite "arm64 VM tests" "$b/arm64/qemu.log" python3 tests/qemu/run.py --arch arm64 \
	"$b/arm64/qemu/vmlinuz" "$b/arm64/qemu/initramfs.gz" "$b/arm64/qemu/logs"

[ "$failed" -eq 0 ] || status=1
sk=""; [ "$skipped" -eq 0 ] || sk=", $skipped skipped (never counted as passed)"
echo "$passed passed, $failed failed$sk"
exit $status
