# Helpers for the in-guest checks (busybox sh): PASS/FAIL lines and bounded waits.
passed=0
failed=0

pass() { echo "PASS $1"; passed=$((passed + 1)); }
fail() { echo "FAIL $1: $2"; failed=$((failed + 1)); }

# Run "$@" every 0.1 s until it succeeds, at most 120 s (emulated CPUs are slow;
# this is a bound, not an expectation).
wait_for() {
	i=0
	while [ $i -lt 1200 ]; do
		"$@" && return 0
		sleep 0.1
		i=$((i + 1))
	done
	return 1
}

logged() { dmesg | grep -q -- "$1"; }
count_logged() { dmesg | grep -c -- "$1"; }
at_least() { [ "$(count_logged "$1")" -ge "$2" ]; }
alive() { kill -0 "$1" 2>/dev/null; }

# Zombies left anywhere: their pids, one a line.
zombies() {
	for f in /proc/[0-9]*/stat; do
		read -r line <"$f" 2>/dev/null || continue
		case ${line##*) } in Z*) echo "${f%/stat}" ;; esac
	done
}
no_zombies() { [ -z "$(zombies)" ]; }

summary() { echo "SUMMARY $1 passed=$passed failed=$failed"; }
