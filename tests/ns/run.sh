#!/bin/bash
# Namespace tests: the real reaper binary as PID 1 of a new PID namespace and as a plain subreaper.
#
# usage: tests/ns/run.sh [PATTERN]...    (as root; PATTERN: run only the tests whose name contains one)
# env:   REAPER (default build/reaper), HELPERS (default build/helpers),
#        NS_TIMEOUT (default 20 s per reaper run), NS_TEST_LIMIT (default 60 s per test)
#
# Prints "ok - NAME" or "not ok - NAME: reason" per test, then "ns: N passed, N failed" last.
# Every wait is a bounded poll; every reaper run is under timeout(1).

set -u
export LC_ALL=C

HERE=$(cd "$(dirname "$0")" && pwd)
REAPER=${REAPER:-build/reaper}
HELPERS=${HELPERS:-build/helpers}
TMO=${NS_TIMEOUT:-20}
PY=${PYTHON:-/usr/bin/python3}
PATTERNS=("$@")
POLL_TRIES=200			# 200 x 50 ms = 10 s for every wait
TEST_LIMIT=${NS_TEST_LIMIT:-60}	# seconds for a whole test, whatever hangs

REAPER=$(realpath -m "$REAPER")
REAPER_EXE=$(realpath -m "${REAPER_EXE:-$REAPER}")	# what /proc/PID/exe shows (differs only for a wrapper)
HELPERS=$(realpath -m "$HELPERS")
H=$HELPERS
ROOT=$(mktemp -d /tmp/reaper-ns.XXXXXX) || exit 1
PASSED=0
FAILED=0
NT=0

# --- prerequisites: a missing one fails every test, it never skips one ---

missing() {
	local m="" t
	[ "$(id -u)" = 0 ] || m+=" root"
	[ -x "$REAPER" ] || m+=" $REAPER"
	for t in sigcatch orphans termignore sigexec sigrec; do
		[ -x "$H/$t" ] || m+=" $H/$t"
	done
	for t in "$PY" unshare nsenter setsid timeout awk grep sh bash ls readlink; do
		command -v "$t" >/dev/null 2>&1 || m+=" $t"
	done
	[ -r /proc/$$/task/$$/children ] || m+=" /proc/PID/task/PID/children"
	echo "${m# }"
}
MISSING=$(missing)

# Inherited fds would show up in the fd tests and could keep a caller's pipe open
# in a leftover: close them (bash reads this script on 255).
for fd in $(ls /proc/$$/fd); do
	[ "$fd" -gt 2 ] && [ "$fd" != 255 ] && eval "exec $fd>&-"
done

. "$HERE/lib.sh"

# --- the tests; each runs in its own subshell, in its own directory $T ---

t_exit_codes() {
	local mode=$1 c got bad=""
	for c in 0 1 2 3 42 100 125 126 127 128 200 254 255; do
		rr "$mode" sh -c "exit $c" >out 2>err
		got=$?
		[ "$got" = "$c" ] || bad+=" exit $c gave $got;"
		[ -s err ] && bad+=" exit $c: stderr '$(head -c 100 err)';"
	done
	[ -z "$bad" ] || fail "$bad"
}

t_signal_deaths() {
	local mode=$1 s n got bad=""
	for s in KILL TERM SEGV ABRT INT HUP USR1; do
		n=$(kill -l "$s")
		rr "$mode" sh -c "ulimit -c 0; kill -$s \$\$; exit 99" >out 2>err
		got=$?
		[ "$got" = $((128 + n)) ] || bad+=" $s gave $got, want $((128 + n));"
	done
	[ -z "$bad" ] || fail "$bad"
}

t_exec_failures() {
	local mode=$1 rc
	rr "$mode" no-such-command-rns >out 2>err
	rc=$?
	[ "$rc" = 127 ] || fail "command not found: exit $rc, want 127"
	[ "$(cat err)" = "reaper: error: unable to run no-such-command-rns: No such file or directory" ] ||
		fail "command not found: stderr '$(head -c 200 err)'"
	rr "$mode" ./missing-file >out 2>err
	rc=$?
	[ "$rc" = 127 ] || fail "./missing-file: exit $rc, want 127"
	printf 'echo hi\n' >noexec
	chmod 644 noexec
	rr "$mode" ./noexec >out 2>err
	rc=$?
	[ "$rc" = 126 ] || fail "not executable: exit $rc, want 126"
	[ "$(nlines err)" = 1 ] && grep -q '^reaper: error: unable to run ./noexec: Permission denied$' err ||
		fail "not executable: stderr '$(head -c 200 err)'"
	rr "$mode" "$T" >out 2>err
	rc=$?
	[ "$rc" = 126 ] || fail "a directory: exit $rc, want 126"
}

t_exit_remap() {
	local mode=$1 rc spec
	# each: expected status | reaper options and command
	while IFS='|' read -r want spec; do
		eval "rr $mode $spec" >out 2>err
		rc=$?
		[ "$rc" = "$want" ] || fail "reaper $spec: exit $rc, want $want"
	done <<'EOF'
0|-e 3 sh -c 'exit 3'
4|-e 3 sh -c 'exit 4'
0|-e 3 -e 5 sh -c 'exit 5'
0|-e 3 -e 5 sh -c 'exit 3'
7|-e 3 -e 5 sh -c 'exit 7'
0|-e 255 sh -c 'exit 255'
0|-e 143 sh -c 'kill -TERM $$'
143|-e 3 sh -c 'kill -TERM $$'
0|-e 137 -- sh -c 'kill -KILL $$'
0|-e 127 no-such-command-rns
EOF
}

t_argv() {
	local mode=$1 rc
	rr "$mode" sh -c 'exit 7' >out 2>err
	rc=$?
	[ "$rc" = 7 ] || fail "reaper sh -c 'exit 7': exit $rc"
	rr "$mode" -- sh -c 'exit 7' >out 2>err
	rc=$?
	[ "$rc" = 7 ] || fail "reaper -- sh -c 'exit 7': exit $rc"
	rr "$mode" printf '%s|' -v -g -- -t 5 -e >out 2>err
	rc=$?
	[ "$rc" = 0 ] && [ "$(cat out)" = '-v|-g|--|-t|5|-e|' ] ||
		fail "reaper printf ... -v -g -- -t 5 -e: exit $rc, printed '$(cat out)'"
	rr "$mode" -t 1s -e 9 -- printf '%s|' -- -h >out 2>err
	rc=$?
	[ "$rc" = 0 ] && [ "$(cat out)" = '--|-h|' ] ||
		fail "reaper -t 1s -e 9 -- printf ... -- -h: exit $rc, printed '$(cat out)'"
	touch listed
	rr "$mode" ls -l listed >out 2>err
	rc=$?
	[ "$rc" = 0 ] && grep -q '^-rw.* listed$' out || fail "reaper ls -l listed: exit $rc, printed '$(head -c 200 out)'"
}

t_usage_errors() {
	local mode=$1 rc args why bad=""
	while IFS= read -r args; do
		[ "$mode" = pid1 ] && [ -z "$args" ] && continue	# PID 1 without a command is system mode
		eval "rr $mode $args" >out 2>err
		rc=$?
		why=$(usage_error "reaper $args" "$rc" out err) || bad+=" $why;"
	done <<'EOF'
-Z true
--bogus true
-t abc true
-t 5x true
-t
-e 256 true
-e -1 true
-e abc true
-e
-r USR1 true
-r NOPE:USR2 true
-r USR1:NOPE true
-r 65:1 true
-D TERM true
-D TERM:abc true
-D NOPE:1s true
-p NOPE true
-P sleep 1
-P -- true

EOF
	[ -z "$bad" ] || fail "$bad"
}

t_help_version() {
	local opt rc
	for opt in -h --help -V --version; do
		timeout -k 2 "$TMO" "$REAPER" "$opt" >out 2>err
		rc=$?
		[ "$rc" = 0 ] || fail "reaper $opt: exit $rc"
		[ -s err ] && fail "reaper $opt: wrote on stderr: $(head -c 200 err)"
		grep -q reaper out || fail "reaper $opt: stdout does not name reaper: '$(head -c 200 out)'"
	done
	timeout -k 2 "$TMO" "$REAPER" --help >out 2>err
	grep -qi usage out || fail "--help has no usage line"
}

t_forward_all() {
	local mode=$1 s i=0 rc r want="" got
	rr "$mode" -- "$H/sigcatch" -s stop out ready >stdout 2>stderr &
	local bg=$!
	poll test -e ready || fail "sigcatch never got ready"
	r=$(find_reaper "$bg") || fail "reaper not found"
	for s in 1 2 3 4 5 6 7 8 10 11 12 13 14 15 16 18 20 21 22 23 24 25 26 27 28 29 30 31 34 35 64; do
		kill -"$s" "$r" || fail "kill -$s reaper failed (reaper gone?)"
		want+="$s "
		i=$((i + 1))
		poll has_lines out "$i" || fail "signal $s never reached the child (got: $(flat out))"
		alive "$r" || fail "reaper died of signal $s"
	done
	got=$(flat out)
	[ "$got" = "${want% }" ] || fail "child received '$got', want '${want% }'"
	alive "$r" || fail "reaper is gone"
	stop_with stop 42
	wait "$bg"
	rc=$?
	[ "$rc" = 42 ] || fail "exit $rc after the signals, want 42 (the child's)"
}

t_rt_queued() {
	local mode=$1 rc r i
	rr "$mode" -- "$H/sigcatch" -s stop out ready >stdout 2>stderr &
	local bg=$!
	poll test -e ready || fail "sigcatch never got ready"
	r=$(find_reaper "$bg") || fail "reaper not found"
	for i in 1 2 3 4 5; do kill -34 "$r"; done
	for i in 1 2 3; do kill -64 "$r"; done
	poll has_lines out 8 || fail "got $(nlines out) signals, want 8 (got: $(flat out))"
	[ "$(grep -cx 34 out)" = 5 ] && [ "$(grep -cx 64 out)" = 3 ] ||
		fail "want five 34 and three 64, got: $(flat out)"
	stop_with stop 0
	wait "$bg"
	rc=$?
	[ "$rc" = 0 ] || fail "exit $rc"
}

t_rewrite() {
	local mode=$1 rc r
	rr "$mode" -r USR1:USR2 -r 21:RTMIN+2 -r SIGHUP:TERM -- "$H/sigcatch" -s stop out ready >stdout 2>stderr &
	local bg=$!
	poll test -e ready || fail "sigcatch never got ready"
	r=$(find_reaper "$bg") || fail "reaper not found (rewrite rules refused?): $(head -c 200 stderr)"
	kill -USR1 "$r"
	poll has_lines out 1 || fail "nothing arrived for USR1"
	[ "$(flat out)" = 12 ] || fail "USR1 with -r USR1:USR2 arrived as '$(flat out)', want 12"
	kill -HUP "$r"
	poll has_lines out 2 || fail "nothing arrived for HUP"
	[ "$(flat out)" = "12 15" ] || fail "HUP with -r SIGHUP:TERM arrived as '$(flat out)'"
	kill -21 "$r"
	poll has_lines out 3 || fail "nothing arrived for TTIN"
	case $(flat out) in
	"12 15 36" | "12 15 37") ;;	# RTMIN is 34 for glibc, 35 for musl
	*) fail "TTIN with -r 21:RTMIN+2 arrived as '$(flat out)', want RTMIN+2" ;;
	esac
	kill -USR2 "$r"
	poll has_lines out 4 || fail "nothing arrived for USR2"
	stop_with stop 0
	wait "$bg"
	rc=$?
	[ "$rc" = 0 ] || fail "exit $rc"

	rm -f out ready stop
	rr "$mode" -r USR1:0 -r HUP:0 -- "$H/sigcatch" -s stop out ready >stdout 2>stderr &
	bg=$!
	poll test -e ready || fail "sigcatch never got ready (drop rules)"
	r=$(find_reaper "$bg") || fail "reaper not found (drop rules refused?): $(head -c 200 stderr)"
	kill -USR1 "$r"
	kill -HUP "$r"
	kill -USR2 "$r"
	poll has_lines out 1 || fail "USR2 never arrived"
	kill -TERM "$r"
	poll has_lines out 2 || fail "TERM never arrived"
	[ "$(flat out)" = "12 15" ] || fail "with USR1 and HUP dropped the child got '$(flat out)', want '12 15'"
	alive "$r" || fail "reaper died"
	stop_with stop 0
	wait "$bg"
}

# Held signals are checked by their order of arrival, not by a clock: USR1
# (not held) first, then USR2 (held 200 ms), then TERM (held 1 s, though
# sent first).
t_delay() {
	local mode=$1 rc r
	rr "$mode" -D TERM:1s -D USR2:200ms -- "$H/sigcatch" -s stop out ready >stdout 2>stderr &
	local bg=$!
	poll test -e ready || fail "sigcatch never got ready"
	r=$(find_reaper "$bg") || fail "reaper not found: $(head -c 200 stderr)"
	kill -TERM "$r"
	kill -USR2 "$r"
	kill -USR1 "$r"
	poll has_lines out 1 || fail "nothing arrived"
	[ "$(flat out)" = 10 ] || fail "first arrival '$(flat out)', want 10 (USR1 before the held ones)"
	poll has_lines out 3 || fail "the held signals never arrived (got: $(flat out))"
	[ "$(flat out)" = "10 12 15" ] || fail "child got '$(flat out)', want '10 12 15'"
	stop_with stop 0
	wait "$bg"
	rc=$?
	[ "$rc" = 0 ] || fail "exit $rc"
}

t_group() {
	local mode=$1 rc r
	rr "$mode" -g -t 500ms -- sh -c "'$H/sigcatch' out ready & wait" >stdout 2>stderr &
	local bg=$!
	poll test -e ready || fail "sigcatch never got ready (-g)"
	r=$(find_reaper "$bg") || fail "reaper not found (-g)"
	kill -USR1 "$r"
	poll grep -qx 10 out || fail "-g: USR1 did not reach the grandchild (got: $(flat out))"
	wait "$bg"
	rc=$?
	[ "$rc" = 138 ] || fail "-g: exit $rc, want 138 (sh killed by USR1)"

	rm -f out ready
	rr "$mode" -t 500ms -- sh -c "'$H/sigcatch' out ready & wait" >stdout 2>stderr &
	bg=$!
	poll test -e ready || fail "sigcatch never got ready"
	r=$(find_reaper "$bg") || fail "reaper not found"
	kill -USR1 "$r"
	wait "$bg"
	rc=$?
	[ "$rc" = 138 ] || fail "exit $rc, want 138 (sh killed by USR1)"
	grep -qx 10 out && fail "without -g USR1 reached the grandchild too"
	grep -qx 15 out || fail "the grandchild got no TERM at the end (got: $(flat out))"
	return 0
}

t_group_env() {
	local mode=$1 rc r v
	for v in REAPER_KILL_PROCESS_GROUP TINI_KILL_PROCESS_GROUP; do
		rm -f out ready
		export "$v=1"
		rr "$mode" -t 500ms -- sh -c "'$H/sigcatch' out ready & wait" >stdout 2>stderr &
		local bg=$!
		unset "$v"
		poll test -e ready || fail "$v: sigcatch never got ready"
		r=$(find_reaper "$bg") || fail "$v: reaper not found"
		kill -USR1 "$r"
		poll grep -qx 10 out || fail "$v=1: USR1 did not reach the grandchild (got: $(flat out))"
		wait "$bg"
		rc=$?
		[ "$rc" = 138 ] || fail "$v: exit $rc, want 138"
	done
}

t_pdeathsig() {
	local mode=$1 r p
	rr_bare "$mode" -p SIGUSR1 -- "$H/sigcatch" -s stop out ready >stdout 2>stderr &
	local bg=$!
	poll test -e ready || fail "sigcatch never got ready"
	r=$(find_reaper "$bg") || fail "reaper not found"
	# reaper's parent: a plain sh (sub) or unshare (pid1).
	p=$(stat_field "$r" 4)
	[ "$p" != "$TEST_PID" ] && [ "$p" != "$$" ] || fail "reaper's parent is the test itself"
	kill -KILL "$p" || fail "cannot kill reaper's parent $p"
	poll grep -qx 10 out || fail "USR1 did not reach the child after reaper's parent died (got: $(flat out))"
	alive "$r" || fail "reaper died with its parent"
	stop_with stop 0
	poll gone "$r" || fail "reaper did not exit after its child"
}

t_orphans_1000() {
	local mode=$1 rc r
	rr "$mode" -- sh -c "echo \$PPID >rpid && '$H/orphans' -p ppids 1000 pids && touch created &&
		while [ ! -e go ]; do sleep 0.05; done; exit 9" >stdout 2>stderr &
	local bg=$!
	r=$(find_reaper "$bg") || fail "reaper not found"
	POLL_TRIES=600 poll test -e created || fail "orphans were not created: $(head -c 200 stderr)"
	[ "$(nlines pids)" = 1000 ] || fail "orphans made $(nlines pids) orphans"
	# Each orphan noted its new parent (as seen in its namespace) before it exited.
	poll has_lines ppids 1000 || fail "only $(nlines ppids) orphans were reparented"
	[ "$(sort -u ppids)" = "$(cat rpid)" ] ||
		fail "orphans were reparented to $(sort -u ppids | tr '\n' ' '), not to reaper ($(cat rpid))"
	poll no_zombies_of "$r" || fail "$(zombies_of "$r") zombies of reaper remain"
	alive "$r" || fail "reaper died"
	touch go
	wait "$bg"
	rc=$?
	[ "$rc" = 9 ] || fail "exit $rc, want 9"
}

t_warn_orphans() {
	local mode=$1 rc r p tp
	rr "$mode" -w -t 0 -- sh -c "'$H/termignore' -d tomb >tpid && '$H/orphans' -c 3 20 pids && touch created &&
		while [ ! -e go ]; do sleep 0.05; done; exit 0" >stdout 2>stderr &
	local bg=$!
	r=$(find_reaper "$bg") || fail "reaper not found"
	poll test -e created || fail "orphans were not created: $(head -c 200 stderr)"
	poll eval '[ "$(grep -c "reaped orphan" stderr)" -ge 20 ]' ||
		fail "$(grep -c "reaped orphan" stderr) orphans logged, want 20: $(head -c 300 stderr)"
	for p in $(cat pids); do
		grep -qx "reaper: warning: reaped orphan $p (orphan-kid): exited 3" stderr ||
			fail "no line 'reaper: warning: reaped orphan $p (orphan-kid): exited 3' in: $(head -c 300 stderr)"
	done
	touch go
	wait "$bg"
	rc=$?
	[ "$rc" = 0 ] || fail "exit $rc"
	tp=$(cat tpid)
	grep -Eqx "reaper: warning: reaped orphan $tp \(termignore\): killed by signal 9 \((SIG)?KILL\)" stderr ||
		fail "no 'killed by signal 9' line for the killed leftover $tp in: $(grep -v 'orphan-kid' stderr | head -c 300)"
	[ "$(grep -c 'reaped orphan' stderr)" = 21 ] ||
		fail "$(grep -c 'reaped orphan' stderr) reaped lines, want 21 (the main child is no orphan)"

	# At -vv (without -w) the same news comes as debug lines.
	rm -f pids created go
	rr "$mode" -vv -- sh -c "'$H/orphans' -c 4 3 pids && touch created &&
		while [ ! -e go ]; do sleep 0.05; done; exit 0" >stdout 2>stderr &
	bg=$!
	poll test -e created || fail "-vv: orphans were not created: $(head -c 200 stderr)"
	for p in $(cat pids); do
		poll grep -qx "reaper: debug: reaped orphan $p (orphan-kid): exited 4" stderr ||
			fail "-vv: no line 'reaper: debug: reaped orphan $p (orphan-kid): exited 4' in: $(head -c 300 stderr)"
	done
	touch go
	wait "$bg"
}

# The host pid of this test's process named $1 (its pid inside a namespace differs).
tagged_named() {
	local p
	for p in $(tagged "$T"); do
		[ "$(cat "/proc/$p/comm" 2>/dev/null)" = "$1" ] && { echo "$p"; return 0; }
	done
	return 1
}

# Start reaper OPTS... on a main child that leaves a daemon (termignore -d),
# trace the daemon with sigrec, let the main child exit with CODE, and check
# reaper's status; the signals the daemon got are in the file sig.
grace_run() {
	local mode=$1 code=$2 r d rc
	shift 2
	rm -f rec sig traced go
	rr "$mode" "$@" -- sh -c "'$H/termignore' -d rec >/dev/null &&
		while [ ! -e go ]; do sleep 0.05; done; exit $code" >stdout 2>stderr &
	local bg=$!
	r=$(find_reaper "$bg") || fail "reaper $*: not found"
	d=$(poll tagged_named termignore) || fail "reaper $*: no daemon"
	"$H/sigrec" "$d" "$r" sig traced 2>sigrec.err &
	poll test -e traced || fail "sigrec: $(cat sigrec.err)"
	touch go
	wait "$bg"
	rc=$?
	[ "$rc" = "$code" ] || fail "reaper $*: exit $rc, want $code"
	poll grep -q '^killed\|^exited' sig || fail "reaper $*: the daemon outlived reaper: $(flat sig)"
}

# The grace is checked by what the leftover received, as its tracer saw it:
# TERM and CONT, then a SIGKILL that reaper sent while running ("alive"; when
# PID 1 exits the kernel's own SIGKILL says "exiting"). Its length is the
# unit tests' (test_ep, test_opt), on a fake clock.
t_grace() {
	local mode=$1 rc left
	# An orphaned daemon (another session) that ignores TERM: TERM, then KILL.
	grace_run "$mode" 3 -t 1s
	[ "$(flat sig)" = "sig 15 sig 18 killed 9 alive" ] || fail "-t 1s: the leftover received: $(flat sig)"
	left=$(tagged "$T")
	[ -z "$left" ] || fail "-t 1s: leftovers remain: $left"

	# The default grace is one too.
	grace_run "$mode" 0
	[ "$(flat sig)" = "sig 15 sig 18 killed 9 alive" ] || fail "default grace: the leftover received: $(flat sig)"

	# -t 0 kills at once: no TERM first.
	grace_run "$mode" 4 -t 0
	[ "$(flat sig)" = "killed 9 alive" ] || fail "-t 0: the leftover received: $(flat sig)"
	left=$(tagged "$T")
	[ -z "$left" ] || fail "-t 0: leftovers remain: $left"

	# In the main child's own process group, orphaned when sh exits: TERM and
	# CONT to the group and to every descendant, then KILL.
	rm -f rec
	rr "$mode" -t 1s -- sh -c "'$H/termignore' rec ready & while [ ! -e ready ]; do sleep 0.05; done; exit 5" \
		>stdout 2>stderr
	rc=$?
	[ "$rc" = 5 ] || fail "group leftover: exit $rc, want 5"
	grep -qx 15 rec || fail "group leftover never got TERM"
	left=$(tagged "$T")
	[ -z "$left" ] || fail "group leftover: leftovers remain: $left"

	# A leftover that obeys TERM ends the grace, even a stopped one (reaper
	# sends CONT too): with -t 10m a grace waited out shows as timeout's 124.
	rm -f rec
	rr "$mode" -t 10m -- sh -c "p=\$('$H/termignore' -d -o rec) && kill -STOP \$p &&
		while ! grep -q '^State:.*T' /proc/\$p/status; do sleep 0.05; done; exit 6" >stdout 2>stderr
	rc=$?
	[ "$rc" = 6 ] || fail "stopped leftover obeying TERM with -t 10m: exit $rc, want 6"
	grep -qx 15 rec || fail "stopped leftover never handled TERM (no SIGCONT?)"
	left=$(tagged "$T")
	[ -z "$left" ] || fail "stopped leftover: leftovers remain: $left"
}

t_all_descendants() {
	local mode=$1 rc r left
	rr "$mode" -a -- sh -c "'$H/sigcatch' -d -s stop out ready >/dev/null && touch mainexit; exit 6" \
		>stdout 2>stderr &
	local bg=$!
	r=$(find_reaper "$bg") || fail "reaper not found"
	poll test -e mainexit || fail "the daemon did not start"
	# A measurement window: without -a the daemon would get TERM at once.
	sleep 1
	alive "$r" || fail "-a: reaper exited while a daemon was still running"
	[ -s out ] && fail "-a: the daemon got signals '$(flat out)' while reaper waited"
	stop_with stop 0
	wait "$bg"
	rc=$?
	[ "$rc" = 6 ] || fail "-a: exit $rc, want 6 (the main child's)"
	left=$(tagged "$T")
	[ -z "$left" ] || fail "-a: leftovers remain: $left"

	rm -f out ready stop mainexit
	rr "$mode" -t 500ms -- sh -c "'$H/sigcatch' -d -s stop out ready >/dev/null; exit 6" >stdout 2>stderr
	rc=$?
	[ "$rc" = 6 ] || fail "without -a: exit $rc, want 6"
	grep -qx 15 out || fail "without -a the daemon got no TERM (got: $(flat out))"
}

t_pause() {
	local mode=$1 rc r s
	for s in TERM INT; do
		rr "$mode" -P >stdout 2>stderr &
		local bg=$!
		r=$(find_reaper "$bg") || fail "reaper -P not found"
		if [ "$mode" = pid1 ] && [ "$s" = TERM ]; then
			rm -f pids
			timeout -k 2 "$TMO" nsenter -t "$r" -p "$H/orphans" 50 pids || fail "cannot make orphans inside"
			[ "$(nlines pids)" = 50 ] || fail "made $(nlines pids) orphans"
			poll no_zombies_of "$r" || fail "-P: $(zombies_of "$r") zombies of reaper remain"
		fi
		alive "$r" || fail "reaper -P exited by itself"
		kill -"$s" "$r"
		wait "$bg"
		rc=$?
		[ "$rc" = 0 ] || fail "reaper -P: exit $rc on $s, want 0"
	done
	rr "$mode" -P true >stdout 2>stderr
	rc=$?
	usage_error "reaper -P true" "$rc" stdout stderr >/dev/null || fail "reaper -P true: exit $rc, want a usage error"
}

t_sigmask() {
	local mode=$1 a b rc pre=()
	[ "$mode" = pid1 ] && pre=(unshare --pid --fork --mount-proc --kill-child)
	a=$(timeout -k 2 "$TMO" "${pre[@]}" "$H/sigexec" -b 1,12,15,37 -i 2,3,10,13,22 -- \
		grep -E '^Sig(Blk|Ign)' /proc/self/status 2>&1)
	b=$(timeout -k 2 "$TMO" "${pre[@]}" "$H/sigexec" -b 1,12,15,37 -i 2,3,10,13,22 -- \
		"$REAPER" -- grep -E '^Sig(Blk|Ign)' /proc/self/status 2>&1)
	case $a in *SigBlk:*0000000000000000*) fail "sigexec did not block anything: $a" ;; esac
	[ "$a" = "$b" ] || fail "with reaper: $(echo $b), without: $(echo $a)"
	a=$(timeout -k 2 "$TMO" "${pre[@]}" grep -E '^Sig(Blk|Ign)' /proc/self/status 2>&1)
	b=$(timeout -k 2 "$TMO" "${pre[@]}" "$REAPER" -- grep -E '^Sig(Blk|Ign)' /proc/self/status 2>&1)
	[ "$a" = "$b" ] || fail "plain start: with reaper: $(echo $b), without: $(echo $a)"
}

t_sigchld_ignored() {
	local mode=$1 a b rc pre=()
	[ "$mode" = pid1 ] && pre=(unshare --pid --fork --mount-proc --kill-child)
	timeout -k 2 "$TMO" "${pre[@]}" "$H/sigexec" -i 17 -- "$REAPER" -- sh -c 'exit 7' >out 2>err
	rc=$?
	[ "$rc" = 7 ] || fail "started with SIGCHLD ignored: exit $rc, want 7 ($(head -c 200 err))"
	a=$(timeout -k 2 "$TMO" "${pre[@]}" "$H/sigexec" -i 17 -- grep -E '^Sig(Blk|Ign)' /proc/self/status 2>&1)
	b=$(timeout -k 2 "$TMO" "${pre[@]}" "$H/sigexec" -i 17 -- "$REAPER" -- grep -E '^Sig(Blk|Ign)' /proc/self/status 2>&1)
	[ "$a" = "$b" ] || fail "with reaper: $(echo $b), without: $(echo $a)"
}

t_fds() {
	local mode=$1 a b rc pre=()
	[ "$mode" = pid1 ] && pre=(unshare --pid --fork --mount-proc --kill-child)
	echo three >f3
	echo five >f5
	timeout -k 2 "$TMO" "${pre[@]}" ls /proc/self/fd >out 2>err 3<f3 5<f5
	a=$(cat out)
	timeout -k 2 "$TMO" "${pre[@]}" "$REAPER" -- ls /proc/self/fd >out 2>err 3<f3 5<f5
	b=$(cat out)
	[ "$a" = "$b" ] || fail "child fds with reaper: $(echo $b), without: $(echo $a)"
	timeout -k 2 "$TMO" "${pre[@]}" ls /proc/self/fd >out 2>err
	a=$(cat out)
	timeout -k 2 "$TMO" "${pre[@]}" "$REAPER" -- ls /proc/self/fd >out 2>err
	b=$(cat out)
	[ "$a" = "$b" ] || fail "child fds (none inherited) with reaper: $(echo $b), without: $(echo $a)"
	# Started with stdin closed: the child must not find one of reaper's fds there.
	timeout -k 2 "$TMO" "${pre[@]}" ls -l /proc/self/fd/ >out 2>err <&-
	a=$(sed -n 's/.* \([0-9]* -> \)/\1/p' out | sed 's/-> \/proc\/[0-9]*\/fd$/-> self/')
	timeout -k 2 "$TMO" "${pre[@]}" "$REAPER" -- ls -l /proc/self/fd/ >out 2>err <&-
	b=$(sed -n 's/.* \([0-9]* -> \)/\1/p' out | sed 's/-> \/proc\/[0-9]*\/fd$/-> self/')
	[ "$a" = "$b" ] || fail "child fds with stdin closed, with reaper: $(echo $b), without: $(echo $a)"

	# reaper drops its copies of inherited fds and moves to /; the child keeps both.
	rr "$mode" -- sh -c '
		i=0
		while ls -l /proc/$PPID/fd/ | grep -q "/f[35]$"; do
			i=$((i + 1)); [ $i -lt 200 ] || { echo "reaper still holds: $(ls -l /proc/$PPID/fd/)"; exit 90; }
			sleep 0.05
		done
		echo "fd3=$(readlink /proc/$$/fd/3) fd5=$(readlink /proc/$$/fd/5)"
		echo "reapercwd=$(readlink /proc/$PPID/cwd)"
		echo "cwd=$(pwd -P)"' >out 2>err 3<f3 5<f5
	rc=$?
	[ "$rc" = 0 ] || fail "$(head -c 300 out)"
	grep -qx "fd3=$T/f3 fd5=$T/f5" out || fail "child lost its inherited fds: $(head -c 300 out)"
	grep -qx "reapercwd=/" out || fail "reaper's cwd is not /: $(grep reapercwd out)"
	grep -qx "cwd=$T" out || fail "child's cwd changed: $(grep '^cwd' out)"
}

t_env() {
	local mode=$1 a b pre=()
	[ "$mode" = pid1 ] && pre=(unshare --pid --fork --mount-proc --kill-child)
	a=$(RNS_X='a b' LISTEN_FDS=2 timeout -k 2 "$TMO" "${pre[@]}" env 2>&1 | sort)
	b=$(RNS_X='a b' LISTEN_FDS=2 timeout -k 2 "$TMO" "${pre[@]}" "$REAPER" -- env 2>&1 | sort)
	[ "$a" = "$b" ] || fail "environment differs: $(diff <(echo "$a") <(echo "$b") | head -c 300)"
}

t_listen_pid() {
	local mode=$1 out pre=() a b c
	[ "$mode" = pid1 ] && pre=(unshare --pid --fork --mount-proc --kill-child)
	out=$(timeout -k 2 "$TMO" "${pre[@]}" sh -c 'LISTEN_PID=$$ LISTEN_FDS=1 exec "$1" -- sh -c "echo \$LISTEN_PID \$\$ \$LISTEN_FDS"' \
		sh "$REAPER" 2>&1)
	read -r a b c <<<"$out"
	[ -n "$a" ] && [ "$a" = "$b" ] && [ "$c" = 1 ] ||
		fail "LISTEN_PID naming reaper: child saw '$out', want LISTEN_PID = its own pid, LISTEN_FDS=1"
	out=$(LISTEN_PID=$$ timeout -k 2 "$TMO" "${pre[@]}" "$REAPER" -- sh -c 'echo $LISTEN_PID' 2>&1)
	[ "$out" = "$$" ] || fail "LISTEN_PID naming another pid ($$) became '$out'"
}

t_subreaper() {
	local mode=$1 out opt
	for opt in -- -s; do
		out=$(rr "$mode" $opt sh -c "p=\$('$H/termignore' -d -o rec) || exit 1
			s=\$(cat /proc/\$p/stat); set -- \${s##*) }; echo \$2 \$PPID" 2>&1)
		set -- $out
		[ $# = 2 ] && [ "$1" = "$2" ] || fail "reaper $opt: orphan's parent / reaper: '$out'"
	done
}

t_idle() {
	local mode=$1 r s a b
	rr "$mode" -- sleep 60 >stdout 2>stderr &
	local bg=$!
	r=$(find_reaper "$bg") || fail "reaper not found"
	poll child_named "$r" sleep || fail "sleep never started"
	ctxt() { grep -E '^(non)?voluntary_ctxt_switches' "/proc/$r/status" | awk '{ n += $2 } END { print n }'; }
	a=$(ctxt)
	sleep 2	# the measurement window
	b=$(ctxt)
	if [ "$a" != "$b" ]; then
		a=$b	# a second window, in case start-up work was still going on
		sleep 2
		b=$(ctxt)
	fi
	[ "$a" = "$b" ] || fail "reaper woke up $((b - a)) times in 2 s while its child slept"
	kill -TERM "$r"
	wait "$bg"
	s=$?
	[ "$s" = 143 ] || fail "exit $s after TERM, want 143"
}

# The fast wait: a reaped orphan costs reaper one wait (waitid sleeping until
# it comes), where a signal wait, a drain and a last empty wait cost three.
# Counted from strace of reaper alone (no -f), not timed.
t_one_wait() {
	local n=500 rc r waits
	command -v strace >/dev/null || fail "strace is missing (make deps installs it)"
	timeout -k 2 "$TMO" strace -o trace -e trace=wait4,waitid "$REAPER" -- sh -c \
		"'$H/orphans' $n pids && touch created && while [ ! -e go ]; do sleep 0.05; done; exit 4" \
		>stdout 2>stderr &
	local bg=$!
	POLL_TRIES=600 poll test -e created || fail "orphans were not created: $(head -c 200 stderr)"
	r=$(find_reaper "$bg") || fail "reaper not found"
	poll no_zombies_of "$r" || fail "$(zombies_of "$r") zombies of reaper remain"
	POLL_TRIES=600 poll reaped_all "$n" || fail "reaper reaped $(reaped_in trace) of $n"
	touch go
	wait "$bg"
	rc=$?
	[ "$rc" = 4 ] || fail "exit $rc, want 4"
	waits=$(grep -c '^wait' trace)
	[ "$waits" -le $((n + 20)) ] || fail "$waits waits for $n orphans, want one each (+20)"
}
# Children reaped in an strace of wait4 (returns the pid) and waitid (writes it).
reaped_in() { grep -Ec '^wait4.* = [1-9][0-9]*$|^waitid.*si_pid=[1-9]' "$1"; }
reaped_all() { [ "$(reaped_in trace)" -ge "$1" ]; }

t_pty() {
	timeout -k 2 60 "$PY" "$HERE/ptytest.py" "$@" "$REAPER" >out 2>&1 || fail "$(tail -c 400 out)"
}

# --- driver ---

# Run one test in a subshell in a fresh directory; kill whatever it left behind.
run_test() {
	local name=$1 rc why p i tp wd done
	shift
	if ((${#PATTERNS[@]})); then
		for p in "${PATTERNS[@]}"; do
			case $name in *"$p"*) break ;; esac
		done
		case $name in *"$p"*) ;; *) return ;; esac
	fi
	NT=$((NT + 1))
	T=$ROOT/$NT
	mkdir -p "$T"
	if [ -n "$MISSING" ]; then
		rc=1
		echo "missing:$MISSING" >"$T/.why"
	else
		(
			export RNS_TAG=$T
			TEST_PID=$BASHPID
			cd "$T" || exit 1
			"$@"
		) </dev/null >"$T/.log" 2>&1 &
		tp=$!
		sleep "$TEST_LIMIT" </dev/null >/dev/null 2>&1 &
		wd=$!
		wait -n -p done "$tp" "$wd"
		rc=$?
		if [ "$done" = "$wd" ]; then
			kill -KILL "$tp" 2>/dev/null
			wait "$tp" 2>/dev/null
			rc=1
			echo "the test took more than $TEST_LIMIT s" >"$T/.why"
		else
			kill "$wd"
			wait "$wd"
		fi
	fi
	for i in 1 2 3 4 5; do
		p=$(TEST_PID=$$ tagged "$T")
		[ -z "$p" ] && break
		kill -KILL $p 2>/dev/null
		sleep 0.05
	done
	if [ "$rc" = 0 ]; then
		PASSED=$((PASSED + 1))
		echo "ok - $name"
	else
		why=$(head -c 600 "$T/.why" 2>/dev/null | tr '\n' ' ')
		[ -n "$why" ] || why="exit $rc: $(tail -c 300 "$T/.log" | tr '\n' ' ')"
		FAILED=$((FAILED + 1))
		echo "not ok - $name: $why"
	fi
}

for mode in pid1 sub; do
	run_test "exit codes 0..255 [$mode]" t_exit_codes $mode
	run_test "exit 128+signal [$mode]" t_signal_deaths $mode
	run_test "exec failures 126/127 [$mode]" t_exec_failures $mode
	run_test "-e remaps exit codes [$mode]" t_exit_remap $mode
	run_test "options are not permuted [$mode]" t_argv $mode
	run_test "usage errors [$mode]" t_usage_errors $mode
	run_test "every signal is forwarded [$mode]" t_forward_all $mode
	run_test "realtime signals are queued [$mode]" t_rt_queued $mode
	run_test "-r rewrites and drops [$mode]" t_rewrite $mode
	run_test "-D holds a signal [$mode]" t_delay $mode
	run_test "-g signals the process group [$mode]" t_group $mode
	run_test "-p parent-death signal [$mode]" t_pdeathsig $mode
	run_test "1000 orphans reaped [$mode]" t_orphans_1000 $mode
	run_test "-w logs reaped orphans [$mode]" t_warn_orphans $mode
	run_test "grace TERM then KILL [$mode]" t_grace $mode
	run_test "-a waits for daemons [$mode]" t_all_descendants $mode
	run_test "-P pause mode [$mode]" t_pause $mode
	run_test "signal mask and dispositions [$mode]" t_sigmask $mode
	run_test "inherited SIGCHLD ignore [$mode]" t_sigchld_ignored $mode
	run_test "no leaked fds, cwd [$mode]" t_fds $mode
	run_test "environment unchanged [$mode]" t_env $mode
	run_test "LISTEN_PID [$mode]" t_listen_pid $mode
	run_test "orphans reparented to reaper [$mode]" t_subreaper $mode
	run_test "no wake-ups while idle [$mode]" t_idle $mode
	run_test "pty Ctrl-C [$mode]" t_pty ctrlc $mode
done
run_test "env KILL_PROCESS_GROUP [sub]" t_group_env sub
run_test "one wait per reaped orphan [sub]" t_one_wait
run_test "help and version" t_help_version
run_test "pty Ctrl-Z and fg [sub]" t_pty ctrlz sub
run_test "pty background start [sub]" t_pty background sub

[ -n "${KEEP:-}" ] || rm -rf "$ROOT"
echo "ns: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
