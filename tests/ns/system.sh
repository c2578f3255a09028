#!/bin/bash
# System-mode tests: reaper -f FILE as PID 1 of a new PID namespace, with a
# temporary config each. Prints "ok - NAME" or "not ok - NAME: why" per test
# and "system: N passed, N failed" last. Every wait is a bounded poll.

. "$(dirname "$0")/syslib.sh"

t_boot_order() {
	start boot <<-EOF || { result "$FUNCNAME" "reaper did not start"; return; }
	sysinit a sh -c 'sleep 0.3; echo a >> $ROOT/boot/order'
	sysinit b sh -c 'echo b >> $ROOT/boot/order'
	service c sh -c 'echo c >> $ROOT/boot/order; exec sleep 1000'
	once d sh -c 'echo d >> $ROOT/boot/order'
	EOF
	poll lines "$T/order" 4 || { result "sysinit in order, then services" "order: $(flat "$T/order")"; return; }
	local o; o=$(flat "$T/order")
	case $o in
	"a b c d" | "a b d c") ;;
	*) result "sysinit in order, then services" "order: $o"; return ;;
	esac
	stop_with TERM || { result "sysinit in order, then services" "exit status $?"; return; }
	result "sysinit in order, then services" ""
}

t_crash_backoff() {
	start crash <<-EOF || { result "crash loop backs off" "reaper did not start"; return; }
	service crash restart-delay=50ms sh -c 'exit 3'
	service lim restart-delay=10ms restart-limit=2/1m sh -c 'exit 1'
	EOF
	poll in_log "crash: restarting in 400 ms" || { result "crash loop backs off" "no 400 ms restart"; return; }
	local d; d=$(grep -o 'crash: restarting in [0-9]* ms' "$T/log" | grep -o '[0-9]* ms' | head -4 | tr '\n' ' ')
	[ "$d" = "50 ms 100 ms 200 ms 400 ms " ] || { result "crash loop backs off" "delays: $d"; return; }
	poll in_log "lim: 2 restarts within 60000 ms; giving up" || { result "crash loop backs off" "restart-limit did not give up"; return; }
	[ "$(grep -c 'started lim' "$T/log")" = 3 ] || { result "crash loop backs off" "lim started $(grep -c 'started lim' "$T/log") times"; return; }
	stop_with TERM || { result "crash loop backs off" "exit status $?"; return; }
	result "crash loop backs off, restart-limit gives up" ""
}

t_bad_line() {
	start bad <<-EOF || { result "a bad line leaves the rest running" "reaper did not start"; return; }
	service good sh -c 'echo up > $ROOT/bad/good; exec sleep 1000'
	service bad frob=1 x
	EOF
	poll in_log "$T/conf:3: unknown option 'frob'" || { result "a bad line leaves the rest running" "no FILE:LINE error"; return; }
	poll test -e "$T/good" || { result "a bad line leaves the rest running" "good service did not run"; return; }
	stop_with TERM || { result "a bad line leaves the rest running" "exit status $?"; return; }
	result "a bad line leaves the rest running" ""
}

t_shutdown_order() {
	local s w='trap "echo $0 >> '"$ROOT"'/down/stops; exit 0" TERM; echo $0 >> '"$ROOT"'/down/ready; while :; do sleep 0.05; done'
	start down <<-EOF || { result "shutdown: dependency order backwards, then shutdown entries" "reaper did not start"; return; }
	service s1 sh -c '$w' s1
	service s2 after=s1 sh -c '$w' s2
	service s3 after=s2 sh -c '$w' s3
	shutdown z sh -c 'echo z >> $ROOT/down/stops'
	EOF
	poll lines "$T/ready" 3 || { result "shutdown: dependency order backwards, then shutdown entries" "services not ready"; return; }
	stop_with TERM || { result "shutdown: dependency order backwards, then shutdown entries" "exit status $?"; return; }
	s=$(flat "$T/stops")
	[ "$s" = "s3 s2 s1 z" ] || { result "shutdown: dependency order backwards, then shutdown entries" "stops: $s"; return; }
	result "shutdown: dependency order backwards, then shutdown entries" ""
}

# Nothing left when the kill phase starts: no waiting out the grace (with a
# 10-minute grace a regression shows as the 30 s timeout of start()).
t_no_grace_when_alone() {
	local n="shutdown with nothing left skips the grace"
	start alone <<-EOF || { result "$n" "reaper did not start"; return; }
	set grace=10m shutdown-timeout=10m
	service quick sleep 2101
	EOF
	poll sleeper 2101 >/dev/null || { result "$n" "service did not start"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	in_log "grace of" && { result "$n" "a grace was waited out"; return; }
	result "$n" ""
}

# A watchdog named in a container is disarmed when reaper exits: a plain
# file stands in (its ioctls fail, so it is petted every second), and the
# magic 'V' must be what it holds at the end.
t_watchdog_exit() {
	local n="a container's exit disarms the watchdog (magic close)"
	mkdir -p "$ROOT/wdexit" && : >"$ROOT/wdexit/wd"
	start wdexit <<-EOF || { result "$n" "reaper did not start"; return; }
	set watchdog=$ROOT/wdexit/wd watchdog-timeout=2s
	service web sleep 2102
	EOF
	poll sleeper 2102 >/dev/null || { result "$n" "service did not start"; return; }
	poll in_log "watchdog $T/wd armed: timeout 0 s, keepalive every 1000 ms" ||
		{ result "$n" "not armed"; return; }
	[ -s "$T/wd" ] && { result "$n" "written before the end"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	[ "$(cat "$T/wd")" = V ] || { result "$n" "device holds '$(cat "$T/wd")'"; return; }
	result "$n" ""
}

t_stop_timeout() {
	start stubborn <<-EOF || { result "stop-timeout escalates to SIGKILL" "reaper did not start"; return; }
	service stub stop-timeout=300ms sh -c 'trap "" TERM; echo r > $ROOT/stubborn/ready; while :; do sleep 0.05; done'
	EOF
	poll test -e "$T/ready" || { result "stop-timeout escalates to SIGKILL" "not ready"; return; }
	stop_with TERM || { result "stop-timeout escalates to SIGKILL" "exit status $?"; return; }
	in_log "stub did not stop in 300 ms; sending SIGKILL" || { result "stop-timeout escalates to SIGKILL" "no SIGKILL line"; return; }
	in_log "stub exited with status 137" || { result "stop-timeout escalates to SIGKILL" "not killed"; return; }
	result "stop-timeout escalates to SIGKILL" ""
}

t_sysinit_timeout() {
	start slow <<-EOF || { result "a hung sysinit is killed, boot goes on" "reaper did not start"; return; }
	sysinit slow timeout=300ms sleep 100
	service after sh -c 'echo x > $ROOT/slow/after; exec sleep 1000'
	EOF
	poll test -e "$T/after" || { result "a hung sysinit is killed, boot goes on" "boot stuck"; return; }
	in_log "slow timed out after 300 ms" || { result "a hung sysinit is killed, boot goes on" "no timeout line"; return; }
	# Killed, not only given up on: sleep 100 would outlast every poll.
	poll no_sleeper 100 || { result "a hung sysinit is killed, boot goes on" "the hung sysinit still runs"; return; }
	stop_with TERM || { result "a hung sysinit is killed, boot goes on" "exit status $?"; return; }
	result "a hung sysinit is killed, boot goes on" ""
}

t_paused() {
	local p
	start pause <<-EOF || { result "SIGSTOP/SIGCONT: paused, continued, no restart" "reaper did not start"; return; }
	service p sh -c 'echo \$\$ > $ROOT/pause/pid; exec sleep 1000'
	EOF
	poll test -s "$T/pid" || { result "SIGSTOP/SIGCONT: paused, continued, no restart" "no pid"; return; }
	p=$(cat "$T/pid")
	kill -STOP "$(pgrep -P "$RPID" sleep || echo "$p")" 2>/dev/null
	poll in_log "p ([0-9]*) paused" || { result "SIGSTOP/SIGCONT: paused, continued, no restart" "no paused line"; return; }
	kill -CONT "$(pgrep -P "$RPID" sleep)"
	poll in_log "p ([0-9]*) continued" || { result "SIGSTOP/SIGCONT: paused, continued, no restart" "no continued line"; return; }
	[ "$(grep -c 'started p' "$T/log")" = 1 ] || { result "SIGSTOP/SIGCONT: paused, continued, no restart" "restarted"; return; }
	stop_with TERM || { result "SIGSTOP/SIGCONT: paused, continued, no restart" "exit status $?"; return; }
	result "SIGSTOP/SIGCONT: paused, continued, no restart" ""
}

reaped_at_least() { [ "$(grep -c 'reaped orphan [0-9]* (orphan-kid) from maker: exited 0' "$T/log")" -ge "$1" ]; }

# The zombies whose parent is reaper, as the host sees them.
zombies_of() {
	local f st
	for f in /proc/[0-9]*/stat; do
		st=$(cat "$f" 2>/dev/null) || continue
		st=${st##*) }
		set -- $st
		[ "$1" = Z ] && [ "$2" = "$RPID" ] && echo "${f//[^0-9]/}"
	done
}

no_zombies() { [ -z "$(zombies_of)" ]; }

t_orphans() {
	start orph <<-EOF || { result "orphans of a service are reaped" "reaper did not start"; return; }
	once maker $H/orphans -n orphan-kid 1000
	EOF
	poll reaped_at_least 1000 ||
		{ result "orphans of a service are reaped" "$(grep -c 'reaped orphan' "$T/log") reaped"; return; }
	poll no_zombies || { result "orphans of a service are reaped" "zombies left: $(zombies_of | head -3)"; return; }
	stop_with TERM || { result "orphans of a service are reaped" "exit status $?"; return; }
	result "orphans of a service are reaped" ""
}

t_check() {
	T=$ROOT/check
	mkdir -p "$T"
	printf 'service a /bin/true\n' >"$T/good"
	printf 'service a /bin/true\nservice a /bin/false\n' >"$T/bad"
	"$REAPER" -n -f "$T/good" 2>"$T/log" || { result "-n checks a file" "good file refused"; return; }
	"$REAPER" -n -f "$T/bad" 2>"$T/log" && { result "-n checks a file" "bad file accepted"; return; }
	grep -q "$T/bad:2: duplicate name 'a' (first on line 1)" "$T/log" || { result "-n checks a file" "no FILE:LINE error"; return; }
	result "-n checks a file" ""
}


t_reload() {
	local keep change gone n="SIGHUP reload"
	start reload <<-EOF || { result "$n" "reaper did not start"; return; }
	service keep sleep 1001
	service change sleep 1002
	service gone sleep 1003
	EOF
	poll sleeper 1003 >/dev/null || { result "$n" "services not up"; return; }
	keep=$(sleeper 1001) change=$(sleeper 1002) gone=$(sleeper 1003)
	# A broken new file changes nothing.
	printf 'service keep sleep 1001\nservice oops bad=1 x\n' >"$T/conf"
	kill -HUP "$RPID"
	poll in_log "reload: 1 errors in $T/conf; nothing changed" || { result "$n" "broken file not refused"; return; }
	[ "$(sleeper 1003)" = "$gone" ] || { result "$n" "a broken file changed something"; return; }
	printf 'service keep sleep 1001\nservice change restart-delay=1s sleep 1002\nservice fresh sleep 1004\n' >"$T/conf"
	kill -HUP "$RPID"
	poll in_log "config reloaded" || { result "$n" "no reload"; return; }
	poll sleeper 1004 >/dev/null || { result "$n" "new service not started"; return; }
	poll no_sleeper 1003 || { result "$n" "removed service still runs"; return; }
	still() { local p; p=$(sleeper 1002); [ -n "$p" ] && [ "$p" != "$change" ]; }
	poll still || { result "$n" "changed service not restarted"; return; }
	[ "$(sleeper 1001)" = "$keep" ] || { result "$n" "unchanged service got a new pid"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n: keeps, restarts, stops, starts; a broken file changes nothing" ""
}

# A reload that changes only user= replaces the service: the new process
# runs as the new user.
uid_of() { local p; p=$(sleeper "$1") && [ "$(stat -c %u "/proc/$p")" = "$2" ]; }
t_reload_user() {
	local n="reload: a changed user= restarts the service as the new user" old
	start reuser <<-EOF || { result "$n" "reaper did not start"; return; }
	service w user=nobody sleep 1031
	EOF
	poll uid_of 1031 "$(id -u nobody)" || { result "$n" "not running as nobody"; return; }
	old=$(sleeper 1031)
	printf 'set control=%s/sock\nservice w user=daemon sleep 1031\n' "$T" >"$T/conf"
	kill -HUP "$RPID"
	poll in_log "config reloaded" || { result "$n" "no reload"; return; }
	poll uid_of 1031 "$(id -u daemon)" || { result "$n" "still runs as uid $(stat -c %u "/proc/$(sleeper 1031)")"; return; }
	[ "$(sleeper 1031)" != "$old" ] || { result "$n" "same process"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_combined() {
	local n="combined mode exits with the command's status" rc
	T=$ROOT/combined
	mkdir -p "$T"
	cat >"$T/conf" <<-EOF
	set control=$T/sock
	service web sh -c 'trap "echo web >> $T/stops; exit 0" TERM; echo up > $T/up; while :; do sleep 0.05; done'
	shutdown bye sh -c 'echo bye >> $T/stops'
	EOF
	timeout -k 2 30 unshare --pid --fork --mount-proc --kill-child "$REAPER" -f "$T/conf" -- \
		sh -c "while [ ! -e $T/up ]; do sleep 0.05; done; exit 42" >"$T/out" 2>"$T/log"
	rc=$?
	[ "$rc" = 42 ] || { result "$n" "status $rc"; return; }
	[ "$(flat "$T/stops")" = "web bye" ] || { result "$n" "stops: $(flat "$T/stops")"; return; }
	# The command comes after the services' exec, never before.
	grep -q "started web as" "$T/log" || { result "$n" "web never started"; return; }
	[ "$(grep -n "started web as\|started sh as" "$T/log" | head -n 1 | grep -c "started web")" = 1 ] ||
		{ result "$n" "the command started before web: $(grep started "$T/log" | tr '\n' ' ')"; return; }
	result "$n" ""
}

t_user() {
	local n="user=nobody: uid, gid and groups dropped"
	local want
	want=$(echo $(id -u nobody) $(id -g nobody) $(id -G nobody | tr ' ' '\n' | sort -n))
	start user <<-EOF || { result "$n" "reaper did not start"; return; }
	once who user=nobody stdout=$ROOT/user/ids sh -c 'echo \$(id -u) \$(id -g) \$(id -G | tr " " "\\n" | sort -n)'
	EOF
	poll in_log "who exited with status 0" || { result "$n" "did not run: $(tail -n 2 "$T/log")"; return; }
	[ "$(cat "$T/ids")" = "$want" ] || { result "$n" "got '$(cat "$T/ids")', want '$want'"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_stdout_file() {
	local n="stdout= and stderr= files capture output"
	start out <<-EOF || { result "$n" "reaper did not start"; return; }
	once talk stdout=$ROOT/out/o.log stderr=$ROOT/out/e.log sh -c 'echo to-out; echo to-err >&2; touch $ROOT/out/done'
	EOF
	poll test -e "$T/done" || { result "$n" "did not run"; return; }
	[ "$(cat "$T/o.log")" = to-out ] || { result "$n" "stdout: $(cat "$T/o.log")"; return; }
	[ "$(cat "$T/e.log")" = to-err ] || { result "$n" "stderr: $(cat "$T/e.log")"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_start_failure() {
	local n="a command that cannot start is logged and backed off"
	start fail <<-EOF || { result "$n" "reaper did not start"; return; }
	service ghost restart-delay=50ms /no/such/program
	service badcwd cwd=/no/such/dir restart-delay=50ms /bin/true
	EOF
	poll in_log "unable to start ghost: exec: No such file or directory" || { result "$n" "no exec line"; return; }
	poll in_log "unable to start badcwd: cwd: No such file or directory" || { result "$n" "no cwd line"; return; }
	poll in_log "ghost: restarting in 100 ms" || { result "$n" "no backoff"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# What the leftover received, as its tracer saw it (sigrec): SIGTERM and
# SIGCONT at the start of the grace, then death by a SIGKILL that reaper sent
# while still running. Without reaper's own SIGKILL the leftover dies only
# when PID 1 exits ("killed 9 exiting"), which would hide a wrong signal.
t_leftovers() {
	local n="shutdown kills leftovers after the grace, and ends" p got
	start left <<-EOF || { result "$n" "reaper did not start"; return; }
	set grace=500ms
	once daemon sh -c '(trap "" TERM; echo r > $ROOT/left/ready; exec sleep 1005) &'
	EOF
	poll test -e "$T/ready" || { result "$n" "no leftover"; return; }
	p=$(poll sleeper 1005) || { result "$n" "no sleep 1005"; return; }
	"$H/sigrec" "$p" "$RPID" "$T/rec" "$T/traced" 2>"$T/sigrec.err" &
	poll test -e "$T/traced" || { result "$n" "sigrec: $(cat "$T/sigrec.err")"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	wait $!
	got=$(flat "$T/rec")
	[ "$got" = "sig 15 sig 18 killed 9 alive" ] || { result "$n" "leftover received: $got"; return; }
	[ -z "$(sleeper 1005)" ] || { result "$n" "leftover survived"; return; }
	result "$n" ""
}

t_emergency() {
	local n="no config in a container: keep reaping, stop on SIGTERM"
	T=$ROOT/emerg
	mkdir -p "$T"
	timeout -k 2 30 unshare --pid --fork --mount-proc --kill-child "$REAPER" -f "$T/missing.conf" \
		>"$T/out" 2>"$T/log" &
	UPID=$!
	poll in_log "no emergency shell here; only reaping orphans" || { result "$n" "no log line"; return; }
	grep -q "unable to read $T/missing.conf: No such file or directory" "$T/log" || { result "$n" "no read error"; return; }
	poll find_reaper "$T/missing.conf" || { result "$n" "reaper gone"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}


# Every stop request of SPEC section 5 ends reaper in a container; ctrlaltdel=ignore
# makes SIGINT (Ctrl-Alt-Del) do nothing.
t_signal_table() {
	local n="USR1, USR2, PWR and INT each stop a container; ctrlaltdel=ignore" sig
	for sig in USR1 USR2 PWR INT; do
		start "sig$sig" <<-EOF || { result "$n" "reaper did not start"; return; }
		service s sleep 1006
		EOF
		poll sleeper 1006 >/dev/null || { result "$n" "no service"; return; }
		stop_with "$sig" || { result "$n" "$sig: exit status $?"; return; }
	done
	start cad <<-EOF || { result "$n" "reaper did not start"; return; }
	set ctrlaltdel=ignore
	service s sleep 1007
	EOF
	poll sleeper 1007 >/dev/null || { result "$n" "no service"; return; }
	kill -INT "$RPID"
	poll int_taken || { result "$n" "SIGINT never read"; return; }
	# Read and acted on: a reload now works only if SIGINT did not start a shutdown.
	kill -HUP "$RPID"
	poll in_log "config reloaded" || { result "$n" "SIGINT was not ignored"; return; }
	stop_with USR2 || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# The spawn times of a crashing service, read by the service itself: each gap at
# least the backoff delay, which doubles.
t_backoff_times() {
	local n="crash loop: restart delays grow 100, 200, 400 ms, each start after the last exit"
	start gaps <<-EOF || { result "$n" "reaper did not start"; return; }
	service crash restart-delay=100ms sh -c 'echo start >> $ROOT/gaps/times; exit 1'
	EOF
	poll lines "$T/times" 4 || { result "$n" "only $(nlines "$T/times") starts"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	# The delays as reaper chose them, in order, each followed by the next start:
	# the delays' real length is the fake clock's to test (test_svc), not a clock here.
	awk '/crash: restarting in / { d[++n] = $(NF - 1) } /started crash as/ { s[n]++ }
	    END { exit !(d[1] == 100 && d[2] == 200 && d[3] == 400 && s[1] && s[2] && s[3]) }' "$T/log" ||
		{ result "$n" "$(grep -E 'restarting in|started crash' "$T/log" | tr '\n' '|')"; return; }
	result "$n" ""
}

# SIGINT (bit 2) no longer pending for reaper: its loop has read it.
int_taken() {
	local m
	m=$(awk '/^ShdPnd/ { print $2 }' "/proc/$RPID/status") || return 1
	(((0x$m & 2) == 0))
}

nlines() { if [ -e "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# ONLY="t_a t_b": just those tests (make mutants, debugging).
for t in ${ONLY:-t_signal_table t_backoff_times t_reload t_reload_user t_combined t_user t_stdout_file t_start_failure t_leftovers t_emergency \
	t_boot_order t_crash_backoff t_bad_line t_shutdown_order t_no_grace_when_alone t_watchdog_exit t_stop_timeout \
	t_sysinit_timeout t_paused t_orphans t_check}; do
	"$t"
done
echo "system: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
