#!/bin/bash
# valgrind memcheck of a host build of reaper (glibc, -O1 -g, no ASan) as PID 1
# of a PID namespace: boot, a crash loop with backoff, reaperctl requests
# (reaperctl itself under memcheck too), a refused and a real reload, and a
# shutdown. Zero memcheck errors, no leak, and no fd left open at exit but
# the signalfd. Children are not traced (--trace-children=no): their code up
# to execve is reaper's and is checked, the programs they run are not ours.
# Prints "ok - NAME" / "not ok - NAME: why" and "valgrind: N passed, N failed".

export REAPER=${REAPER:-build/vg/reaper}
# shellcheck source=tests/ns/syslib.sh
. "$(dirname "$0")/syslib.sh"
CTLBIN=$(dirname "$REAPER")/reaperctl
VGERR=99	# memcheck's exit status when it found errors
VG=(valgrind --error-exitcode="$VGERR" --leak-check=full --track-fds=yes
	--trace-children=no --child-silent-after-fork=no)
T=$ROOT/vg
mkdir -p "$T"

# Under memcheck everything is slower: polls wait up to 60 s, still bounded.
POLL_TRIES=1200

check() {	# name, then "" for a pass or the reason
	if [ -z "$2" ]; then
		echo "ok - $1"
		PASSED=$((PASSED + 1))
	else
		echo "not ok - $1: $2"
		FAILED=$((FAILED + 1))
	fi
}

# reaperctl under memcheck; its own errors make it exit VGERR.
ctl() {
	"${VG[@]}" -q --log-file="$T/vgctl.%p" "$CTLBIN" --socket "$T/sock" "$@"
}
field() { ctl status | awk -v n="$1" -v f="$2" '$1 == n { print $f }'; }
state_is() { [ "$(field "$1" 3)" = "$2" ]; }

# The namespace's PID 1: NSpid ends in 1 and it runs on our config.
find_pid1() {
	local p
	for p in $(pgrep -f -- "-f $T/conf"); do
		if awk '/^NSpid:/ { exit !($NF == 1 && NF > 2) }' "/proc/$p/status" 2>/dev/null; then
			RPID=$p
			return 0
		fi
	done
	return 1
}

write_conf() {	# the config, from stdin, with the test's control socket
	{ echo "set control=$T/sock"; cat; } >"$T/conf.new" && mv "$T/conf.new" "$T/conf"
}

: >"$T/kmsg"	# stands in for /dev/kmsg: stdout=kmsg lines come here
write_conf <<EOF2
set kmsg=$T/kmsg
sysinit init sh -c 'echo booted > $T/booted'
service web sleep 3011
service talk stdout=kmsg stderr=kmsg sh -c 'echo to-kmsg; echo err >&2; exec sleep 3015'
service crash restart-delay=50ms restart-limit=3/1m sh -c 'exit 3'
service loop restart-delay=300ms backoff-max=2s sh -c 'exit 4'
once orph sh -c '(sleep 3012 &) ; exit 0'
shutdown bye sh -c 'echo bye > $T/bye'
EOF2
timeout -k 2 240 unshare --pid --fork --mount-proc --kill-child \
	"${VG[@]}" --log-file="$T/vg.%p" "$REAPER" -f "$T/conf" >"$T/out" 2>"$T/log" &
UPID=$!

# 1. Boot: sysinit ran, services up, the orphan adopted, the crasher given up.
why=""
poll find_pid1 || why="no reaper"
[ -z "$why" ] && { poll test -S "$T/sock" || why="no control socket"; }
[ -z "$why" ] && { poll sleeper 3011 >/dev/null || why="web not started"; }
[ -z "$why" ] && { poll sleeper 3012 >/dev/null || why="no orphan"; }
[ -z "$why" ] && { [ -s "$T/booted" ] || why="sysinit did not run"; }
[ -z "$why" ] && { poll grep -q "^<4>talk: err" "$T/kmsg" || why="no kmsg line"; }
[ -z "$why" ] && { poll state_is crash failed || why="crash: $(field crash 3)"; }
# Asked at once: the loop's spawns and exits push it out of the last 64 events in time.
[ -z "$why" ] && { ctl events | grep -q "gave-up *crash" || why="no gave-up event"; }
[ -z "$why" ] && { [ "$(field crash 6)" = 3 ] || why="crash restarts: $(field crash 6)"; }
check "boot and a crash loop that gives up, under memcheck" "$why"

# 2. Every reading request, a bad one, and stop/start/restart.
why=""
for req in "status" "status web" "status --json" "tree" "events" "events --json"; do
	# shellcheck disable=SC2086
	ctl $req >"$T/ans" || { why="'$req' failed ($?)"; break; }
	[ -s "$T/ans" ] || { why="'$req': empty answer"; break; }
done
if [ -z "$why" ]; then
	ctl frob >/dev/null 2>&1
	rc=$?
	[ "$rc" = 2 ] || why="unknown request: exit $rc"
fi
[ -z "$why" ] && { ctl stop web >/dev/null && poll no_sleeper 3011 || why="stop web"; }
[ -z "$why" ] && { ctl start web >/dev/null && poll sleeper 3011 >/dev/null || why="start web"; }
if [ -z "$why" ]; then
	old=$(field web 4)
	newpid() { local p; p=$(field web 4); [ "$p" != "$old" ] && [ "$p" -gt 0 ]; }
	ctl restart web >/dev/null && poll newpid || why="restart web kept pid $old"
fi
check "reaperctl requests, stop, start, restart" "$why"

# 3. A broken file is refused whole; then SIGHUP applies an edited one.
why=""
cp "$T/conf" "$T/conf.good"
echo "service broken frob=1 x" >>"$T/conf"
ctl reload >/dev/null 2>&1
rc=$?
[ "$rc" = 1 ] || why="broken reload: exit $rc"
write_conf <<EOF2
sysinit init sh -c 'echo booted > $T/booted'
service web sleep 3014
service added sleep 3013
service loop restart-delay=300ms backoff-max=2s sh -c 'exit 4'
shutdown bye sh -c 'echo bye > $T/bye'
EOF2
[ -z "$why" ] && kill -HUP "$RPID"
[ -z "$why" ] && { poll in_log "config reloaded" || why="no reload"; }
[ -z "$why" ] && { poll sleeper 3013 >/dev/null || why="added not started"; }
[ -z "$why" ] && { poll sleeper 3014 >/dev/null && poll no_sleeper 3011 || why="web not restarted"; }
[ -z "$why" ] && { poll state_is loop backoff || why="loop: $(field loop 3)"; }
check "a refused reload, then SIGHUP reload" "$why"

# 4. Shutdown: services stop, the shutdown entry runs, reaper exits 0.
why=""
kill -TERM "$RPID"
wait "$UPID"
rc=$?
UPID=
[ "$rc" = 0 ] || why="exit status $rc"
[ -z "$why" ] && { [ -s "$T/bye" ] || why="shutdown entry did not run"; }
[ -z "$why" ] && { no_sleeper 3013 && no_sleeper 3014 || why="services left"; }
check "shutdown" "$why"

# 5. What memcheck saw, in reaper, in each forked child before its exec,
# and in every reaperctl.
why=""
main=$T/vg.$(sed -n 's/^==\([0-9]*\)== Parent PID: 0$/\1/p' "$T"/vg.* | head -n 1)
if ! grep -q "ERROR SUMMARY: 0 errors" "$main" 2>/dev/null; then
	why="no clean summary for reaper"
elif grep -lE "ERROR SUMMARY: [1-9]|Invalid (read|write|free)|uninitialised|Syscall param|overlap|definitely lost|indirectly lost|Mismatched" \
	"$T"/vg.* "$T"/vgctl.* >"$T/bad" 2>/dev/null; then
	why="errors in $(tr '\n' ' ' <"$T/bad")"
	while read -r f; do sed 's/^/    # /' "$f"; done <"$T/bad" | head -n 40
fi
check "memcheck: no errors, no leaks (reaper, children before exec, reaperctl)" "$why"

# 6. No fd left open at exit but the std ones and the signalfd.
why=""
n=$(sed -n 's/^==[0-9]*== FILE DESCRIPTORS: \([0-9]*\) open (3 std) at exit.$/\1/p' "$main")
if [ -z "$n" ]; then
	why="no fd report"
elif [ "$n" != 4 ] || ! grep -A2 "Open file descriptor" "$main" | grep -q sys_signalfd; then
	why="$n fds open at exit"
	sed -n '/FILE DESCRIPTORS/,/HEAP SUMMARY/p' "$main" | sed 's/^/    # /' | head -n 30
fi
check "fds at exit: the std ones and the signalfd only" "$why"

[ "$FAILED" = 0 ] || sed 's/^/    # /' "$T/log" | tail -n 20
echo "valgrind: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
