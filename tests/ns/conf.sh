#!/bin/bash
# include, env-file= and failure-action= (issue #16): reaper -f FILE as PID 1
# of a new PID namespace (a container: not a machine). Prints "ok - NAME" or
# "not ok - NAME: why" per test and "conf: N passed, N failed" last. Every
# wait is a bounded poll.

. "$(dirname "$0")/syslib.sh"

# Like start, for a run that ends by itself: reaper in the foreground, its
# exit status in RC.
run_until_end() {
	T=$ROOT/$1
	mkdir -p "$T"
	{ echo "set control=$T/sock"; cat; } >"$T/conf"
	timeout -k 2 30 unshare --pid --fork --mount-proc --kill-child "$REAPER" -f "$T/conf" \
		>"$T/out" 2>"$T/log"
	RC=$?
}

# Two included files of a glob directory: both services run; the files not
# matched, and hidden ones, are left out.
t_include_glob() {
	local n="include d/*.conf: every match runs, others are left out"
	mkdir -p "$ROOT/inc/d"
	echo "service one sh -c 'echo 1 > $ROOT/inc/one; exec sleep 1101'" >"$ROOT/inc/d/a.conf"
	echo "service two sh -c 'echo 2 > $ROOT/inc/two; exec sleep 1102'" >"$ROOT/inc/d/b.conf"
	echo "service txt sh -c 'echo x > $ROOT/inc/txt; exec sleep 1103'" >"$ROOT/inc/d/c.txt"
	echo "service hid sh -c 'echo x > $ROOT/inc/hid; exec sleep 1104'" >"$ROOT/inc/d/.h.conf"
	start inc <<-EOF || { result "$n" "reaper did not start"; return; }
	include d/*.conf
	EOF
	poll test -e "$T/one" || { result "$n" "one did not run"; return; }
	poll test -e "$T/two" || { result "$n" "two did not run"; return; }
	poll sleeper 1102 >/dev/null || { result "$n" "two is not up"; return; }
	[ -e "$T/txt" ] || [ -e "$T/hid" ] && { result "$n" "an unmatched file ran"; return; }
	in_log "error" && { result "$n" "errors: $(grep error "$T/log" | head -2)"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# reaper -n checks the included files: an error names the included file
# and its own line; a good set passes.
t_include_check() {
	local n="reaper -n: an included file's error names its own path:line"
	T=$ROOT/inccheck
	mkdir -p "$T/d"
	printf 'service main /bin/true\ninclude %s/d/*.conf\n' "$T" >"$T/conf"
	printf 'service a /bin/true\n' >"$T/d/a.conf"
	"$REAPER" -n -f "$T/conf" 2>"$T/log" || { result "$n" "a good set refused: $(cat "$T/log")"; return; }
	printf '# a comment\nservice b /bin/true\nservice c frob=1 /bin/true\nservice main /bin/x\n' >"$T/d/b.conf"
	"$REAPER" -n -f "$T/conf" 2>"$T/log" && { result "$n" "a bad included file accepted"; return; }
	in_log "$T/d/b.conf:3: unknown option 'frob'" || { result "$n" "no path:line: $(cat "$T/log")"; return; }
	in_log "$T/d/b.conf:4: duplicate name 'main' (first at $T/conf:1)" ||
		{ result "$n" "no duplicate across files: $(cat "$T/log")"; return; }
	printf 'include /etc/*.conf\n' >"$T/d/b.conf"
	"$REAPER" -n -f "$T/conf" 2>"$T/log" && { result "$n" "a nested include accepted"; return; }
	in_log "$T/d/b.conf:1: include in an included file" || { result "$n" "nesting: $(cat "$T/log")"; return; }
	result "$n" ""
}

# A reload reads the include lines again: a file added since runs.
t_include_reload() {
	local n="a reload reads the included files again"
	mkdir -p "$ROOT/increl/d"
	echo "service old sleep 1111" >"$ROOT/increl/d/a.conf"
	start increl <<-EOF || { result "$n" "reaper did not start"; return; }
	include d/*.conf
	EOF
	poll sleeper 1111 >/dev/null || { result "$n" "old did not run"; return; }
	echo "service new sleep 1112" >"$T/d/b.conf"
	kill -HUP "$RPID"
	poll in_log "config reloaded" || { result "$n" "no reload: $(tail -n 3 "$T/log")"; return; }
	poll sleeper 1112 >/dev/null || { result "$n" "the new file's service did not start"; return; }
	[ "$(grep -c 'started old' "$T/log")" = 1 ] || { result "$n" "old was restarted"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# env-file: the file's variables reach the service, a later file over an
# earlier one, env= over both, reaper's own environment under all; a bare
# KEY passes reaper's value. Read at each start: an edit shows at the next.
t_env_file() {
	local n="env-file: reaches the service, env= wins, read at each start"
	mkdir -p "$ROOT/envf"
	printf '# web settings\nA=from-file\nB=from-file\nC=from-file\nQ="kept quotes"\nRNS_PASS\n' \
		>"$ROOT/envf/one.env"
	printf 'B=later-file\nV=first\n' >"$ROOT/envf/two.env"
	export C=reaper D=reaper RNS_PASS=passed
	start envf <<-EOF || { unset C D RNS_PASS; result "$n" "reaper did not start"; return; }
	service web env-file=one.env env-file=$ROOT/envf/two.env env=C=conf restart=always sh -c 'echo "\$A \$B \$C \$D \$Q \$RNS_PASS" > $ROOT/envf/got; echo "\$V" >> $ROOT/envf/seen; exec sleep 1121'
	EOF
	unset C D RNS_PASS
	poll test -s "$T/got" || { result "$n" "web did not run: $(tail -n 3 "$T/log")"; return; }
	[ "$(cat "$T/got")" = 'from-file later-file conf reaper "kept quotes" passed' ] ||
		{ result "$n" "got: $(cat "$T/got")"; return; }
	# No reload: the next start reads the file again.
	printf 'B=later-file\nV=second\n' >"$T/two.env"
	kill "$(poll sleeper 1121)"
	poll grep -qx second "$T/seen" || { result "$n" "the restart saw: $(flat "$T/seen")"; return; }
	in_log "config reloaded" && { result "$n" "reloaded"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# A missing env file, or a bad line in one, is a failed start of that entry,
# restarted per restart=, and says which file (and line).
t_env_file_fails() {
	local n="env-file missing or bad: a failed start naming file and line"
	mkdir -p "$ROOT/envbad"
	printf 'OK=1\n=oops\n' >"$ROOT/envbad/bad.env"
	start envbad <<-EOF || { result "$n" "reaper did not start"; return; }
	service nofile env-file=$ROOT/envbad/missing.env restart-delay=50ms sh -c 'echo ran > $ROOT/envbad/ran'
	once badline env-file=$ROOT/envbad/bad.env sh -c 'echo ran > $ROOT/envbad/ran2'
	service fine sleep 1131
	EOF
	poll in_log "nofile: env-file $T/missing.env: No such file or directory" ||
		{ result "$n" "no missing-file line: $(grep nofile "$T/log" | head -2)"; return; }
	poll in_log "badline: env-file $T/bad.env:2: no variable name" ||
		{ result "$n" "no bad-line line: $(grep badline "$T/log" | head -2)"; return; }
	poll in_log "nofile: restarting in 100 ms" || { result "$n" "not backed off"; return; }
	poll sleeper 1131 >/dev/null || { result "$n" "the others did not run"; return; }
	[ -e "$T/ran" ] || [ -e "$T/ran2" ] && { result "$n" "a command ran anyway"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# failure-action=poweroff outside a machine: a service that exits 3 with
# restart=never stops everything (the other service gets its stop signal)
# and reaper exits 3.
t_failure_action_exit() {
	local n="failure-action=poweroff in a container: everything stops, exit 3"
	run_until_end fa <<-EOF
	service other sh -c 'trap "echo stopped > $ROOT/fa/other; exit 0" TERM; echo up > $ROOT/fa/up; while :; do sleep 0.05; done'
	service bad restart=never failure-action=poweroff after=other sh -c 'while [ ! -e $ROOT/fa/up ]; do sleep 0.05; done; exit 3'
	shutdown bye sh -c 'echo bye > $ROOT/fa/bye'
	EOF
	[ "$RC" = 3 ] || { result "$n" "exit status $RC"; return; }
	in_log "error: bad failed; failure-action=poweroff" || { result "$n" "no failure-action line"; return; }
	[ "$(cat "$T/other" 2>/dev/null)" = stopped ] || { result "$n" "other was not stopped"; return; }
	[ -e "$T/bye" ] || { result "$n" "the shutdown entry did not run"; return; }
	result "$n" ""
}

# Killed by a signal: 128+signal; and failure-action=none (the default) changes nothing.
t_failure_action_signal() {
	local n="failure-action: a sysinit killed by SIGKILL exits 137; none keeps running"
	run_until_end fasig <<-EOF
	once quiet sh -c 'exit 4'
	sysinit boom failure-action=halt sh -c 'kill -KILL \$\$'
	service never sh -c 'echo ran > $ROOT/fasig/never'
	EOF
	[ "$RC" = 137 ] || { result "$n" "exit status $RC"; return; }
	[ -e "$T/never" ] && { result "$n" "the boot went on"; return; }
	in_log "quiet failed" && { result "$n" "quiet ran"; return; }
	start fanone <<-EOF || { result "$n" "reaper did not start"; return; }
	once quiet sh -c 'exit 4'
	service keep sleep 1141
	EOF
	poll in_log "quiet exited with status 4" || { result "$n" "quiet did not run"; return; }
	poll sleeper 1141 >/dev/null || { result "$n" "keep did not run"; return; }
	in_log "failure-action" && { result "$n" "none acted"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# Combined mode (-f FILE -- CMD). A once with failure-action that fails
# before the command: the command never starts, reaper exits with the
# once's status (not 1). A service that fails after it started: the
# command gets SIGTERM, and reaper exits with the service's status, not
# the command's. The command's SIGTERM comes at once, before the shutdown
# entries (a shutdown entry waits up to 3 s to see it), not at the kill phase.
t_failure_action_combined() {
	local n="combined mode: a failure-action ends the command, the entry's status wins" rc
	T=$ROOT/facomb
	mkdir -p "$T"
	cat >"$T/conf" <<-EOF
	set control=$T/sock
	once prep failure-action=poweroff sh -c 'exit 5'
	EOF
	timeout -k 2 30 unshare --pid --fork --mount-proc --kill-child "$REAPER" -f "$T/conf" -- \
		sh -c "echo ran > $T/cmd1" >"$T/out" 2>"$T/log"
	rc=$?
	[ "$rc" = 5 ] || { result "$n" "once: exit status $rc"; return; }
	[ -e "$T/cmd1" ] && { result "$n" "the command ran after the once failed"; return; }
	cat >"$T/conf" <<-EOF
	set control=$T/sock
	service db restart=never failure-action=reboot sh -c 'while [ ! -e $T/cmd-up ]; do sleep 0.05; done; exit 7'
	shutdown check sh -c 'i=0; while [ ! -e $T/cmd-term ] && [ \$i -lt 60 ]; do sleep 0.05; i=\$((i + 1)); done; [ -e $T/cmd-term ] && echo yes > $T/seen'
	EOF
	timeout -k 2 30 unshare --pid --fork --mount-proc --kill-child "$REAPER" -f "$T/conf" -- \
		sh -c "trap 'echo termed > $T/cmd-term; exit 42' TERM; echo up > $T/cmd-up; while :; do sleep 0.05; done" \
		>"$T/out" 2>"$T/log"
	rc=$?
	[ "$rc" = 7 ] || { result "$n" "service: exit status $rc"; return; }
	[ "$(cat "$T/cmd-term" 2>/dev/null)" = termed ] || { result "$n" "the command got no SIGTERM"; return; }
	# At the failure, not only at the end (the kill phase, after shutdown entries).
	[ -e "$T/seen" ] || { result "$n" "the command was still running during the shutdown entries"; return; }
	in_log "db failed; failure-action=reboot" || { result "$n" "no failure-action line"; return; }
	result "$n" ""
}

# ONLY="t_a t_b": just those tests.
for t in ${ONLY:-t_include_glob t_include_check t_include_reload t_env_file t_env_file_fails \
	t_failure_action_exit t_failure_action_signal t_failure_action_combined}; do
	"$t"
done
echo "conf: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
