# Tools for tests/ns/system.sh and ctl.sh: reaper -f FILE as PID 1 of a new
# PID namespace, bounded polls, results (sourced, not run).
# shellcheck shell=bash
set -u
export LC_ALL=C
REAPER=$(realpath -m "${REAPER:-build/reaper}")
H=$(realpath -m "${HELPERS:-build/helpers}")
ROOT=$(mktemp -d /tmp/reaper-sys.XXXXXX) || exit 1
PASSED=0
FAILED=0
UPID=
RPID=

cleanup() {
	[ -n "$RPID" ] && kill -KILL "$RPID" 2>/dev/null	# PID 1 gone: its namespace goes
	[ -n "$UPID" ] && kill -KILL "$UPID" 2>/dev/null
	rm -rf "$ROOT"
}
trap cleanup EXIT

# What a test runs as another user (setpriv, prlimit under a uid of its own)
# must be reachable by that user, and the clone may sit under a folder of mode
# 0700 (root's home). So those runs use copies of the build in $PUB, a folder
# every user may enter; the copies are the same bytes as the build.
PUB=$ROOT/pub
mkdir -p "$PUB" && chmod 755 "$ROOT" "$PUB" || exit 1
for b in "$REAPER" "$(dirname "$REAPER")/reaperctl"; do
	[ -e "$b" ] && { install -m 755 "$b" "$PUB/" || exit 1; }
done

# Run "$@" every 50 ms until it succeeds, at most POLL_TRIES times (200: 10 s).
poll() {
	local i
	for ((i = 0; i < ${POLL_TRIES:-200}; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

in_log() { grep -q -- "$1" "$T/log"; }
lines() { [ -e "$1" ] && [ "$(wc -l <"$1")" -ge "$2" ]; }
flat() { [ -e "$1" ] && tr '\n' ' ' <"$1" | sed 's/ $//'; }

# Start reaper as PID 1 of a new namespace on the config read from stdin;
# its stdout goes to $OUT if set (a flood to /dev/null), else to $T/out.
start() {
	T=$ROOT/$1
	mkdir -p "$T"
	# Each test's own control socket: the host's /run is not for tests.
	{ echo "set control=$T/sock"; cat; } >"$T/conf"
	timeout -k 2 30 unshare --pid --fork --mount-proc --kill-child "$REAPER" -f "$T/conf" \
		>"${OUT:-$T/out}" 2>"${ERR:-$T/log}" &
	UPID=$!
	RPID=
	poll find_reaper || return 1
}

# reaper's pid as the host sees it: the process whose exe is reaper, on the
# config file $1 (default: the test's own).
find_reaper() {
	local p
	for p in $(pgrep -f -- "-f ${1:-$T/conf}"); do
		if [ "$(readlink "/proc/$p/exe")" = "$REAPER" ]; then
			RPID=$p
			return 0
		fi
	done
	return 1
}

# Ask for a shutdown with SIGNAL and give reaper's exit status.
stop_with() {
	kill -"$1" "$RPID"
	wait "$UPID"
	local rc=$?
	UPID=
	return $rc
}

result() {	# name, then "" for a pass or the reason
	if [ -z "$2" ]; then
		echo "ok - $1"
		PASSED=$((PASSED + 1))
	else
		echo "not ok - $1: $2"
		sed 's/^/    # /' "$T/log" 2>/dev/null | tail -n 15
		FAILED=$((FAILED + 1))
	fi
	[ -n "$UPID" ] && [ -n "$RPID" ] && kill -KILL "$RPID" 2>/dev/null
	[ -n "$UPID" ] && kill -KILL "$UPID" 2>/dev/null && wait "$UPID" 2>/dev/null
	UPID=
}


# The host pid of the process running "sleep N" in the current reaper's PID
# namespace (each test uses its own N; the namespace check keeps other runs out).
sleeper() {
	local p ns
	ns=$(readlink "/proc/$RPID/ns/pid" 2>/dev/null) || return 1
	for p in $(pgrep -f "^sleep $1\$"); do
		if [ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" = "$ns" ]; then
			echo "$p"
			return 0
		fi
	done
	return 1
}
no_sleeper() { [ -z "$(sleeper "$1")" ]; }
