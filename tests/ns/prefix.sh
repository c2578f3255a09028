#!/bin/bash
# stdout=prefix / stderr=prefix: services' lines on reaper's own stdout and
# stderr as "NAME | text", names padded to the longest, with reaper as PID 1
# of a PID namespace. Prints "ok - NAME" / "not ok - NAME: why" and
# "prefix: N passed, N failed" last. Every wait is a bounded poll.

. "$(dirname "$0")/syslib.sh"
CTL=$(dirname "$REAPER")/reaperctl
PY=${PYTHON:-/usr/bin/python3}
HERE=$(cd "$(dirname "$0")" && pwd)

has() { grep -qxF -- "$2" "$1" 2>/dev/null; }
ctl() { "$CTL" --socket "$T/sock" "$@"; }
poll_long() { POLL_TRIES=1200 poll "$@"; }	# 60 s, for the floods

t_padded() {
	local n="two services: padded names, stdout to fd 1, stderr to fd 2, last line flushed"
	start padded <<-EOF || { result "$n" "reaper did not start"; return; }
	service db stdout=prefix stderr=prefix sh -c 'echo hello; echo oops >&2; printf "no newline"; exec sleep 7201'
	service web-frontend stdout=prefix sh -c 'echo hi there; echo raw >&2; exec sleep 7202'
	service console-only-with-a-long-name sh -c 'echo plain; exec sleep 7203'
	EOF
	poll has "$T/out" "db           | hello" || { result "$n" "out: $(flat "$T/out")"; return; }
	poll has "$T/out" "web-frontend | hi there" || { result "$n" "out: $(flat "$T/out")"; return; }
	poll has "$T/log" "db           | oops" || { result "$n" "no stderr line on fd 2"; return; }
	poll has "$T/log" "raw" || { result "$n" "stderr=console not raw on fd 2"; return; }
	poll has "$T/out" "plain" || { result "$n" "stdout=console not raw on fd 1"; return; }
	grep -q "no newline" "$T/out" && { result "$n" "partial line sent early"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	has "$T/out" "db           | no newline" || { result "$n" "partial line not flushed: $(flat "$T/out")"; return; }
	grep -q $'\033' "$T/out" "$T/log" && { result "$n" "escape bytes, though no terminal"; return; }
	# Every line: a prefixed one, or the console service's own.
	grep -vxE '(db {10}|web-frontend) [|] .*|plain' "$T/out" | grep -q . &&
		{ result "$n" "odd line: $(grep -vxE '(db {10}|web-frontend) [|] .*|plain' "$T/out" | head -n 1)"; return; }
	[ "$(wc -l <"$T/out")" = 4 ] || { result "$n" "out: $(flat "$T/out")"; return; }
	result "$n" ""
}

# 2 x 50,000 lines at once: each output line is one whole line of one
# service, each service's lines all there, in order.
TAIL=abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxyz0123456789
t_two_floods() {
	local n="two floods at once: never mixed inside a line, none lost, in order" bad
	start floods <<-EOF || { result "$n" "reaper did not start"; return; }
	service one restart=never stdout=prefix seq -f 'one %08g $TAIL' 1 50000
	service second restart=never stdout=prefix seq -f 'second %08g $TAIL' 1 50000
	EOF
	poll_long in_log "one exited with status 0" || { result "$n" "one did not end"; return; }
	poll_long in_log "second exited with status 0" || { result "$n" "second did not end"; return; }
	poll_long lines "$T/out" 100000 || { result "$n" "$(wc -l <"$T/out") lines"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	bad=$(grep -cvxE "one {4}[|] one [0-9]{8} $TAIL|second [|] second [0-9]{8} $TAIL" "$T/out")
	[ "$bad" = 0 ] || { result "$n" "$bad malformed lines, as: $(grep -vxE "(one {4}|second) [|] .*" "$T/out" | head -c 200)"; return; }
	grep '^one ' "$T/out" | cut -c10- | cmp -s - <(seq -f "one %08g $TAIL" 1 50000) ||
		{ result "$n" "one's lines differ from its output"; return; }
	grep '^second ' "$T/out" | cut -c10- | cmp -s - <(seq -f "second %08g $TAIL" 1 50000) ||
		{ result "$n" "second's lines differ from its output"; return; }
	[ "$(wc -l <"$T/out")" = 100000 ] || { result "$n" "$(wc -l <"$T/out") lines"; return; }
	result "$n" ""
}

# 2,000,123 bytes with no newline: pieces of 400, each after the first marked '+'.
t_no_newline() {
	local n="a line without end: pieces of 400 marked '+', the rest flushed at its end"
	start nonl <<-EOF || { result "$n" "reaper did not start"; return; }
	service long restart=never stdout=prefix sh -c 'head -c 2000123 /dev/zero | tr "\\0" x'
	EOF
	poll_long in_log "long exited with status 0" || { result "$n" "long did not end"; return; }
	poll_long lines "$T/out" 5001 || { result "$n" "$(wc -l <"$T/out") lines"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	[ "$(wc -l <"$T/out")" = 5001 ] || { result "$n" "$(wc -l <"$T/out") lines, want 5001"; return; }
	[ "$(head -n 1 "$T/out")" = "long | $(printf 'x%.0s' $(seq 400))" ] ||
		{ result "$n" "first piece: $(head -c 60 "$T/out")"; return; }
	[ "$(sed -n '2,5000p' "$T/out" | sort -u)" = "long + $(printf 'x%.0s' $(seq 400))" ] ||
		{ result "$n" "middle pieces: $(sed -n '2,5000p' "$T/out" | sort -u | head -c 100)"; return; }
	[ "$(tail -n 1 "$T/out")" = "long + $(printf 'x%.0s' $(seq 123))" ] ||
		{ result "$n" "last piece: $(tail -n 1 "$T/out" | head -c 60)"; return; }
	result "$n" ""
}

# Endless floods (to /dev/null): PID 1 still answers, reaps and restarts.
ours() {	# host pids of the processes named $1 in this reaper's namespace
	local p ns; ns=$(readlink "/proc/$RPID/ns/pid")
	for p in $(pgrep -x "$1"); do
		[ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" = "$ns" ] && echo "$p"
	done
}
orphan_reaped() { ctl events | grep -q "orphan-reaped *prefix-orphan from orph *pid [0-9]"; }

t_flood_alive() {
	local n="two endless floods do not stop reaperctl or reaping" y i
	OUT=/dev/null start alive <<-EOF || { result "$n" "reaper did not start"; return; }
	service flood stdout=prefix yes 'a line of output that goes on and on'
	service flood2 stdout=prefix yes 'another line, from another service'
	service web sleep 7204
	once orph $H/orphans -n prefix-orphan 3
	EOF
	poll sleeper 7204 >/dev/null || { result "$n" "web did not start"; return; }
	y=$(ours yes | sort | tr '\n' ' ')
	[ "$(echo $y | wc -w)" = 2 ] || { result "$n" "floods not running: $y"; return; }
	for i in 1 2 3 4 5; do
		timeout 5 "$CTL" --socket "$T/sock" status | grep -q "^flood2  *service  *running" ||
			{ result "$n" "status $i: no answer, or flood2 not running"; return; }
	done
	poll orphan_reaped || { result "$n" "no orphan reaped during the floods"; return; }
	kill -KILL "$(sleeper 7204)"
	poll in_log "web exited with status 137" || { result "$n" "a killed service was not reaped"; return; }
	poll sleeper 7204 >/dev/null || { result "$n" "web not restarted"; return; }
	[ "$(ours yes | sort | tr '\n' ' ')" = "$y" ] || { result "$n" "a flood ended or restarted"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# The reader of reaper's stdout stops (a stalled log reader, Ctrl-S, a serial
# line held by flow control): PID 1 keeps its line and stops reading the
# floods' pipes, so they wait on theirs; it still answers, reaps and stops.
# The reader goes on: PID 1 does too; every line that comes is whole.
flood_sh() {	# host pids of the floods' shells in this reaper's namespace
	local p ns; ns=$(readlink "/proc/$RPID/ns/pid")
	for p in $(pgrep -f "^sh -c while :; do echo [xy]+; done"); do
		[ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" = "$ns" ] && echo "$p"
	done
}
floods_wait() {	# both floods sleep in a pipe write: the pressure reached them
	local p n=0
	for p in $(flood_sh); do
		grep -q pipe_write "/proc/$p/wchan" 2>/dev/null || return 1
		n=$((n + 1))
	done
	[ "$n" = 2 ]
}
grown() { [ "$(stat -c %s "$T/out")" -ge "$1" ]; }
gone() { [ ! -e "/proc/$1" ]; }
stall_orphan() { ctl events | grep -q "orphan-reaped *stall-orphan"; }

t_stalled_reader() {
	local n="a stalled stdout reader: back-pressure, PID 1 answers, reaps, stops; lines whole" \
		cpid size i rc bad
	T=$ROOT/stall
	mkdir -p "$T"
	mkfifo "$T/fifo"
	cat "$T/fifo" >"$T/out" &
	cpid=$!
	stall_fail() { kill -KILL "$cpid"; wait "$cpid" 2>/dev/null; result "$n" "$1"; }
	OUT=$T/fifo start stall <<-EOF || { stall_fail "reaper did not start"; return; }
	service flood stdout=prefix sh -c 'while :; do echo xxxxxxxx; done'
	service flood2 stdout=prefix sh -c 'while :; do echo yyyyyyyyyyyy; done'
	EOF
	poll lines "$T/out" 1000 || { stall_fail "no lines"; return; }
	for i in 1 2; do	# stalled, resumed, stalled again
		kill -STOP "$cpid"
		poll floods_wait || { stall_fail "stall $i: floods never wait"; return; }
		grep -q pipe_write "/proc/$RPID/wchan" &&
			{ stall_fail "stall $i: PID 1 sleeps in a pipe write"; return; }
		for _ in 1 2 3; do
			timeout 5 "$CTL" --socket "$T/sock" status | grep -q "^flood2  *service  *running" ||
				{ stall_fail "stall $i: status: no answer"; return; }
		done
		[ "$i" = 2 ] && break
		timeout 5 nsenter -t "$RPID" -p -- "$H/orphans" -n stall-orphan 2 ||
			{ stall_fail "no orphans made"; return; }
		poll stall_orphan || { stall_fail "no orphan reaped while stalled"; return; }
		# Going on: more than the fifo and both pipes hold comes through.
		size=$(stat -c %s "$T/out")
		kill -CONT "$cpid"
		poll_long grown $((size + 400000)) ||
			{ stall_fail "no more lines after the reader went on"; return; }
	done
	kill -TERM "$RPID"
	poll gone "$RPID" || { stall_fail "SIGTERM did not stop it while stalled"; return; }
	wait "$UPID"
	rc=$?
	UPID=
	[ "$rc" = 0 ] || { stall_fail "exit status $rc"; return; }
	kill -CONT "$cpid"
	poll gone "$cpid" || { stall_fail "the reader never saw the end"; return; }
	wait "$cpid"
	bad=$(grep -cvxE 'flood  [|] xxxxxxxx|flood2 [|] yyyyyyyyyyyy' "$T/out")
	[ "$bad" = 0 ] || { result "$n" "$bad malformed lines, as: $(grep -vxE 'flood2? +[|] [xy]+' "$T/out" | head -c 200)"; return; }
	grep -q '^flood  ' "$T/out" && grep -q '^flood2 ' "$T/out" || { result "$n" "a flood's lines are missing"; return; }
	# At the end, fd 1 still full: the flush gave its line up, and said so once.
	[ "$(grep -c "output line lost: unable to write stdout" "$T/log")" = 1 ] ||
		{ result "$n" "the lost lines at the end not said once"; return; }
	result "$n" ""
}

# reaper's own lines into a stalled pipe: PID 1 never waits in the write;
# the lines it could not write are counted and said once the reader reads.
restarts_over() { ctl status --json | "$PY" -c "import json,sys; s=[e for e in json.load(sys.stdin)['services'] if e['name']=='crash'][0]; sys.exit(s['restarts'] < $1)"; }
t_stalled_log() {
	local n="reaper's own log into a stalled pipe: PID 1 answers and reaps; the loss is said" cpid rc
	T=$ROOT/stalllog
	mkdir -p "$T"
	mkfifo "$T/fifo"
	cat "$T/fifo" >"$T/err" &
	cpid=$!
	slog_fail() { kill -KILL "$cpid"; wait "$cpid" 2>/dev/null; result "$n" "$1"; }
	ERR=$T/fifo start stalllog <<-EOF || { slog_fail "reaper did not start"; return; }
	service crash restart-delay=10ms backoff-max=10ms sh -c 'exit 1'
	EOF
	kill -STOP "$cpid"	# only now: the fifo's open waits for its reader
	# Each restart logs two lines of about 60 bytes: 1200 of them overfill the 64 KiB pipe.
	POLL_TRIES=1200 poll restarts_over 1200 || { slog_fail "crash did not restart 1200 times"; return; }
	grep -q pipe_write "/proc/$RPID/wchan" && { slog_fail "PID 1 sleeps in a pipe write"; return; }
	timeout 5 nsenter -t "$RPID" -p -- "$H/orphans" -n stall-orphan 2 ||
		{ slog_fail "no orphans made"; return; }
	poll stall_orphan || { slog_fail "no orphan reaped while stalled"; return; }
	kill -CONT "$cpid"
	poll has_sub "$T/err" "log lines lost: their reader was not reading" ||
		{ slog_fail "the loss not said: $(tail -c 300 "$T/err")"; return; }
	kill -TERM "$RPID"
	poll gone "$RPID" || { slog_fail "SIGTERM did not stop it"; return; }
	wait "$UPID"
	rc=$?
	UPID=
	[ "$rc" = 0 ] || { slog_fail "exit status $rc"; return; }
	poll gone "$cpid" || { slog_fail "the reader never saw the end"; return; }
	wait "$cpid"
	result "$n" ""
}
has_sub() { grep -qF -- "$2" "$1" 2>/dev/null; }

# A reload pads to the new config's longest name.
t_reload_pads() {
	local n="a reload pads to the new config's longest prefixed name"
	start repad <<-EOF || { result "$n" "reaper did not start"; return; }
	service a stdout=prefix sh -c 'while :; do echo tick; sleep 0.1; done'
	EOF
	poll has "$T/out" "a | tick" || { result "$n" "out: $(tail -n 2 "$T/out")"; return; }
	cat >>"$T/conf" <<-EOF
	service much-longer-name stderr=prefix sleep 7205
	EOF
	kill -HUP "$RPID"
	poll in_log "config reloaded" || { result "$n" "no reload"; return; }
	poll has "$T/out" "a                | tick" || { result "$n" "not repadded: $(tail -n 2 "$T/out")"; return; }
	[ "$(grep -c "started a as" "$T/log")" = 1 ] || { result "$n" "a was restarted"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_combined() {
	local n="combined mode (-f FILE -- CMD): services' lines prefixed" rc
	T=$ROOT/combined
	mkdir -p "$T"
	cat >"$T/conf" <<-EOF
	set control=$T/sock log=prefix
	service web sh -c 'echo serving; exec sleep 7206'
	EOF
	timeout -k 2 30 unshare --pid --fork --mount-proc --kill-child "$REAPER" -f "$T/conf" -- \
		sh -c "while ! grep -q serving $T/out; do sleep 0.05; done; echo main-done" \
		>"$T/out" 2>"$T/log"
	rc=$?
	[ "$rc" = 0 ] || { result "$n" "status $rc"; return; }
	has "$T/out" "web | serving" || { result "$n" "out: $(flat "$T/out")"; return; }
	has "$T/out" "main-done" || { result "$n" "the command's own output: $(flat "$T/out")"; return; }
	result "$n" ""
}

# Through a terminal: colours by entry index; NO_COLOR=1 takes them away.
t_colour() {
	local n="colours on a terminal, none with NO_COLOR=1"
	T=$ROOT/colour
	mkdir -p "$T"
	timeout -k 2 60 "$PY" "$HERE/ptytest.py" prefix color "$REAPER" >"$T/log" 2>&1 ||
		{ result "$n" "colour: $(tail -c 400 "$T/log")"; return; }
	timeout -k 2 60 "$PY" "$HERE/ptytest.py" prefix nocolor "$REAPER" >"$T/log" 2>&1 ||
		{ result "$n" "NO_COLOR: $(tail -c 400 "$T/log")"; return; }
	result "$n" ""
}

# ONLY="t_a t_b": just those tests (make mutants, debugging).
for t in ${ONLY:-t_padded t_two_floods t_no_newline t_flood_alive t_stalled_reader t_stalled_log t_reload_pads t_combined t_colour}; do
	"$t"
done
echo "prefix: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
