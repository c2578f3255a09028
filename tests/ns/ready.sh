#!/bin/bash
# Readiness and ordering (SPEC section 8, issue #14): reaper -f FILE as PID 1
# of a PID namespace, with services that say when they are ready and depend on
# each other. Prints "ok - NAME" / "not ok - NAME: why" and "ready: N passed,
# N failed" last. Every wait is a bounded poll; every order is read from stamps
# and files the services write themselves, never from elapsed times. A service
# that must stay not ready waits on a gate file the test creates only after it
# has seen the states it checks, so nothing depends on a race.

. "$(dirname "$0")/syslib.sh"
CTL=$(dirname "$REAPER")/reaperctl
PY=${PYTHON:-/usr/bin/python3}

ctl() { "$CTL" --socket "$T/sock" "$@"; }

# Fields of services from one `status --json` answer, blank-separated:
# `js db.state web.state` prints "starting waiting". Lists are joined by
# commas, booleans are true/false, a missing field is <none>.
js() {
	ctl status --json 2>/dev/null | "$PY" -c '
import json, sys
s = {x["name"]: x for x in json.load(sys.stdin)["services"]}
out = []
for a in sys.argv[1:]:
    name, f = a.split(".", 1)
    v = s[name].get(f, "<none>") if name in s else "<no entry>"
    if isinstance(v, bool):
        v = "true" if v else "false"
    elif isinstance(v, list):
        v = ",".join(v)
    out.append(str(v))
print(" ".join(out))' "$@"
}
# is WANT FIELD...: one status answer gives WANT for the fields.
is() { local want=$1; shift; [ "$(js "$@")" = "$want" ]; }
# The text status's STATE column of NAME.
tstate() { ctl status | awk -v n="$1" '$1 == n { print $3 }'; }

nlines() { if [ -e "$1" ]; then wc -l <"$1"; else echo 0; fi; }

# A fresh folder for a test, so that its scripts exist before reaper starts.
prep() { T=$ROOT/$1; mkdir -p "$T"; }
# Services in this suite wait on a gate like this (the test creates it).
gate() { echo "while [ ! -e $T/$1 ]; do sleep 0.05; done"; }
open_gate() { : >"$T/$1"; }

# A stamp a service wrote (ns since the epoch), or empty.
stamp() { [ -s "$T/$1" ] && cat "$T/$1"; }
# before A B: stamp A exists, stamp B exists, and A < B.
before() {
	local a b
	a=$(stamp "$1") && b=$(stamp "$2") || return 1
	[ "$a" -lt "$b" ]
}

# The zombies whose parent is reaper, as the host sees them.
zombies_of_reaper() {
	awk -v p="$RPID" '{ sub(/^.*\) /, ""); if ($1 == "Z" && $2 == p) n++ } END { print n + 0 }' \
		/proc/[0-9]*/stat 2>/dev/null
}
no_zombies() { [ "$(zombies_of_reaper)" = 0 ]; }

# Number of processes running "sleep N" in the current reaper's namespace.
sleepers() {
	local p ns n=0
	ns=$(readlink "/proc/$RPID/ns/pid" 2>/dev/null) || { echo 0; return; }
	for p in $(pgrep -f "^sleep $1\$"); do
		[ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" = "$ns" ] && n=$((n + 1))
	done
	echo "$n"
}

# Start reaper as PID 1 on $T/conf (written by the test) with reaper's own
# extra arguments, in the background: like start() of syslib.sh, for the
# tests that need `-- COMMAND` or a file of their own.
launch() {
	timeout -k 2 30 unshare --pid --fork --mount-proc --kill-child "$REAPER" -f "$T/conf" "$@" \
		>"$T/out" 2>"$T/log" &
	UPID=$!
	RPID=
	poll find_reaper
}

# 1. ready=fd:3 and needs=: web waits for db's newline.
t_fd_needs() {
	local n="ready=fd:3: web needs=db starts after db's line; db starting, web waiting meanwhile" p
	prep fd
	cat >"$T/db.sh" <<-EOF
	$(gate go)
	date +%s%N >$T/stamp_db_ready
	echo >&3
	exec sleep 1101
	EOF
	cat >"$T/web.sh" <<-EOF
	date +%s%N >$T/stamp_web
	exec sleep 1102
	EOF
	# web first in the file: file order alone would start it first.
	start fd <<-EOF || { result "$n" "reaper did not start"; return; }
	service web needs=db sh $T/web.sh
	service db ready=fd:3 sh $T/db.sh
	EOF
	poll is "starting waiting" db.state web.state ||
		{ result "$n" "db, web: $(js db.state web.state), want starting waiting"; return; }
	is "false false fd:3 exec db" db.up web.up db.ready web.ready web.needs ||
		{ result "$n" "db.up web.up db.ready web.ready web.needs: $(js db.up web.up db.ready web.ready web.needs)"; return; }
	[ "$(tstate db) $(tstate web)" = "starting waiting" ] ||
		{ result "$n" "text status: db $(tstate db), web $(tstate web)"; return; }
	[ -e "$T/stamp_web" ] && { result "$n" "web ran before db was ready"; return; }
	open_gate go
	poll is "running running true true" db.state web.state db.up web.up ||
		{ result "$n" "after db's line: $(js db.state web.state db.up web.up)"; return; }
	poll test -s "$T/stamp_web" || { result "$n" "web wrote no stamp"; return; }
	before stamp_db_ready stamp_web ||
		{ result "$n" "web started at $(stamp stamp_web), db ready at $(stamp stamp_db_ready)"; return; }
	# fd 3 is db's alone: web (ready=exec) has only 0, 1 and 2.
	p=$(poll sleeper 1102) || { result "$n" "no web process"; return; }
	[ "$(ls "/proc/$p/fd" | sort -n | tr '\n' ' ')" = "0 1 2 " ] ||
		{ result "$n" "web has fds $(ls "/proc/$p/fd" | tr '\n' ' ')"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# 2. ready=notify, the service's main process speaking (as a daemon linked
# with sd_notify does): STATUS= shown while starting, READY=1 makes it running.
t_notify() {
	local n="ready=notify: STATUS= shown while starting, READY=1 makes it running"
	prep notify
	cat >"$T/nt.sh" <<-EOF
	echo "\$NOTIFY_SOCKET" >$T/addr
	exec $H/notify -s "STATUS=warming up" -w $T/go -k READY=1
	EOF
	start notify <<-EOF || { result "$n" "reaper did not start"; return; }
	service nt ready=notify sh $T/nt.sh
	EOF
	poll is "warming up" nt.status_text || { result "$n" "status_text: '$(js nt.status_text)'"; return; }
	is "starting false notify" nt.state nt.up nt.ready ||
		{ result "$n" "state up ready: $(js nt.state nt.up nt.ready), want starting false notify"; return; }
	case $(cat "$T/addr") in
	@?*) ;;
	*) result "$n" "NOTIFY_SOCKET is '$(cat "$T/addr")', want @..."; return ;;
	esac
	ctl status | grep -q "warming up" || { result "$n" "text status does not show the STATUS= text"; return; }
	[ "$(tstate nt)" = starting ] || { result "$n" "text status: $(tstate nt)"; return; }
	open_gate go
	poll is "running true" nt.state nt.up || { result "$n" "after READY=1: $(js nt.state nt.up)"; return; }
	is "warming up" nt.status_text || { result "$n" "STATUS= not kept after READY=1: '$(js nt.status_text)'"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# 3. ready=notify from a helper of the service's session that sends and
# exits at once, as a shell script's `systemd-notify READY=1` does (a child,
# and with -f a grandchild, of the service). reaper is held stopped while the
# helper sends and ends, so that it reads each datagram only after its sender
# is gone, every run alike: the scheduling that would otherwise happen only
# sometimes.
held() { [ "$(stat_field "$RPID" 3)" = T ]; }
send_held() {	# GATE SENT: let the service send while reaper is stopped
	kill -STOP "$RPID" && poll held || return 1
	open_gate "$1"
	poll test -e "$T/$2"
	local rc=$?
	kill -CONT "$RPID"
	return $rc
}
stat_field() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	set -- "$2" $s
	local i=$(($1 - 1))
	echo "${!i}"
}

t_notify_child() {
	local n="ready=notify: short-lived senders: heard with BARRIER=1, not once gone"
	prep nchild
	cat >"$T/nc.sh" <<-EOF
	$(gate go1)
	$H/notify "STATUS=ghost" || exit 1
	: >$T/sent1
	$(gate go2)
	$H/notify -b "STATUS=warming up" || exit 1
	$H/notify -b -f READY=1 || exit 1
	: >$T/sent2
	exec sleep 1112
	EOF
	start nchild <<-EOF || { result "$n" "reaper did not start"; return; }
	service nc ready=notify sh $T/nc.sh
	EOF
	poll is "starting" nc.state || { result "$n" "state: $(js nc.state), want starting"; return; }
	# Gone (and reaped by its shell) before reaper reads it: not to be told
	# from a stranger, so not heard.
	send_held go1 sent1 || { result "$n" "the child sent no STATUS="; return; }
	poll in_log "nc: ignored a notification from pid" ||
		{ result "$n" "a sender gone before its datagram was read was heard"; return; }
	is "" nc.status_text || { result "$n" "status_text '$(js nc.status_text)', want none"; return; }
	# With a barrier the sender waits until reaper has read it: heard.
	open_gate go2
	poll test -e "$T/sent2" || { result "$n" "the barrier senders did not return"; return; }
	poll is "running true warming up" nc.state nc.up nc.status_text ||
		{ result "$n" "barrier senders: $(js nc.state nc.up nc.status_text)"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# 4. A READY=1 from another entry's process and from the host is not heard.
# Datagrams on one socket are read in order: once the service's own later
# STATUS=own shows, the foreign ones before it have been read (and ignored).
t_notify_foreign() {
	local n="ready=notify: READY=1 from a foreign process is ignored" rc
	prep foreign
	cat >"$T/quiet.sh" <<-EOF
	echo "\$NOTIFY_SOCKET" >$T/addr.tmp && mv $T/addr.tmp $T/addr
	exec $H/notify -w $T/go -s STATUS=own -w $T/go2 -k READY=1
	EOF
	cat >"$T/other.sh" <<-EOF
	while [ ! -e $T/addr ]; do sleep 0.05; done
	$H/notify -a "\$(cat $T/addr)" READY=1 "STATUS=from other" 2>$T/other_err
	echo \$? >$T/other_sent
	exec sleep 1122
	EOF
	start foreign <<-EOF || { result "$n" "reaper did not start"; return; }
	service quiet ready=notify sh $T/quiet.sh
	service other sh $T/other.sh
	EOF
	poll test -s "$T/other_sent" || { result "$n" "the other entry sent nothing"; return; }
	[ "$(cat "$T/other_sent")" = 0 ] || { result "$n" "the other entry could not send: $(cat "$T/other_err")"; return; }
	"$H/notify" -a "$(cat "$T/addr")" READY=1 "STATUS=from host" 2>"$T/host_err"
	rc=$?
	[ "$rc" = 0 ] || { result "$n" "the host could not send: $(cat "$T/host_err")"; return; }
	open_gate go
	poll is "own" quiet.status_text || { result "$n" "status_text: '$(js quiet.status_text)', want own"; return; }
	is "starting false" quiet.state quiet.up ||
		{ result "$n" "after foreign READY=1: $(js quiet.state quiet.up), want starting false"; return; }
	# Its own READY=1 still works.
	open_gate go2
	poll is "running" quiet.state || { result "$n" "own READY=1: $(js quiet.state)"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# 5. ready-check: starting until the probe passes; no zombie of probes left.
t_check() {
	local n="ready-check: starting until the file exists, then running; no zombie"
	prep check
	start check <<-EOF || { result "$n" "reaper did not start"; return; }
	service chk ready-check="sh -c 'echo p >>$T/probes; test -f $T/flag'" ready-interval=100ms sleep 1131
	EOF
	poll lines "$T/probes" 3 || { result "$n" "probes run: $(nlines "$T/probes")"; return; }
	is "starting false check" chk.state chk.up chk.ready ||
		{ result "$n" "while failing probes: $(js chk.state chk.up chk.ready)"; return; }
	: >"$T/flag"
	poll is "running true" chk.state chk.up || { result "$n" "after the file: $(js chk.state chk.up)"; return; }
	poll no_zombies || { result "$n" "$(zombies_of_reaper) zombies under reaper"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

restarted_twice() { [ "$(js never.restarts)" -ge 2 ] 2>/dev/null && lines "$T/starts" 3; }

# 6. ready-timeout: never ready, stopped, restarted with backoff.
t_ready_timeout() {
	local n="ready-timeout=1s: never ready, stopped and restarted with backoff" d
	prep rtimeout
	cat >"$T/never.sh" <<-EOF
	echo \$\$ >>$T/starts
	exec sleep 1141
	EOF
	start rtimeout <<-EOF || { result "$n" "reaper did not start"; return; }
	service never ready=fd:3 ready-timeout=1s restart-delay=100ms sh $T/never.sh
	EOF
	poll is starting never.state || { result "$n" "state: $(js never.state)"; return; }
	POLL_TRIES=400 poll restarted_twice ||
		{ result "$n" "restarts $(js never.restarts), starts $(nlines "$T/starts")"; return; }
	[ "$(sleepers 1141)" -le 1 ] || { result "$n" "$(sleepers 1141) copies run at once: the old one not stopped"; return; }
	is false never.up || { result "$n" "shown up"; return; }
	ctl events | grep -q "restart *never" || { result "$n" "no restart event: $(ctl events | tail -n 5 | tr '\n' '|')"; return; }
	d=$(grep -o 'never: restarting in [0-9]* ms' "$T/log" | grep -o '[0-9]* ms' | head -n 2 | tr '\n' ' ')
	[ "$d" = "100 ms 200 ms " ] || { result "$n" "restart delays: '$d', want 100 ms 200 ms"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# 7. once migrate, exit 0: releases web needs=migrate.
t_once_ok() {
	local n="once migrate exit 0 releases web needs=migrate"
	prep onceok
	cat >"$T/mig.sh" <<-EOF
	$(gate go)
	date +%s%N >$T/stamp_mig
	exit 0
	EOF
	cat >"$T/web.sh" <<-EOF
	date +%s%N >$T/stamp_web
	exec sleep 1151
	EOF
	start onceok <<-EOF || { result "$n" "reaper did not start"; return; }
	service web needs=migrate sh $T/web.sh
	once migrate sh $T/mig.sh
	EOF
	poll is "waiting false" web.state migrate.up || { result "$n" "while migrating: $(js web.state migrate.up)"; return; }
	[ -e "$T/stamp_web" ] && { result "$n" "web ran during the migration"; return; }
	open_gate go
	poll is "done running" migrate.state web.state || { result "$n" "after it: $(js migrate.state web.state)"; return; }
	poll test -s "$T/stamp_web" || { result "$n" "web wrote no stamp"; return; }
	before stamp_mig stamp_web || { result "$n" "web at $(stamp stamp_web), migrate ended at $(stamp stamp_mig)"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# 8. once migrate, exit 1: web needs=migrate stays waiting, api after=migrate starts.
t_once_fail() {
	local n="once migrate exit 1: web needs= stays waiting, api after= starts"
	prep oncefail
	cat >"$T/mig.sh" <<-EOF
	$(gate go)
	exit 1
	EOF
	start oncefail <<-EOF || { result "$n" "reaper did not start"; return; }
	service web needs=migrate sh -c 'date +%s%N >$T/stamp_web; exec sleep 1161'
	service api after=migrate sh -c 'date +%s%N >$T/stamp_api; exec sleep 1162'
	once migrate sh $T/mig.sh
	EOF
	poll is "waiting waiting" web.state api.state ||
		{ result "$n" "while migrating: web, api $(js web.state api.state)"; return; }
	open_gate go
	poll is failed migrate.state || { result "$n" "migrate: $(js migrate.state)"; return; }
	poll is "running" api.state || { result "$n" "api after=migrate: $(js api.state)"; return; }
	poll test -s "$T/stamp_api" || { result "$n" "api wrote no stamp"; return; }
	is "waiting false" web.state web.up || { result "$n" "web needs=migrate: $(js web.state web.up)"; return; }
	[ "$(tstate web)" = waiting ] || { result "$n" "text status: web $(tstate web)"; return; }
	[ -e "$T/stamp_web" ] && { result "$n" "web ran"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# 9. reaperctl stop db stops web first; start web starts db first.
t_stop_start() {
	local n="reaperctl stop db stops web first; start web starts db first" out
	prep stopstart
	# db is ready only once it has written its start line (fd:3), so web's
	# start line always follows it.
	cat >"$T/svc.sh" <<-EOF
	trap "echo \$1 >>$T/stops; exit 0" TERM
	echo \$1 >>$T/starts
	[ "\$1" = db ] && echo >&3
	while :; do sleep 0.05; done
	EOF
	start stopstart <<-EOF || { result "$n" "reaper did not start"; return; }
	service web needs=db sh $T/svc.sh web
	service db ready=fd:3 sh $T/svc.sh db
	service solo sh $T/svc.sh solo
	EOF
	poll is "running running running" db.state web.state solo.state ||
		{ result "$n" "boot: $(js db.state web.state solo.state)"; return; }
	[ "$(grep -v solo "$T/starts" | tr '\n' ' ')" = "db web " ] || { result "$n" "boot starts: $(flat "$T/starts")"; return; }
	out=$(ctl stop solo) || { result "$n" "stop solo: exit $?"; return; }
	[ "$out" = "stop solo: stopping" ] || { result "$n" "stop solo answered '$out'"; return; }
	out=$(ctl stop db) || { result "$n" "stop db: exit $?"; return; }
	[ "$out" = "stop db: stopping; stopping first: web" ] || { result "$n" "stop db answered '$out'"; return; }
	# web needs db: it is down while db is stopped, and shown waiting.
	poll is "stopped waiting" db.state web.state || { result "$n" "after stop db: $(js db.state web.state)"; return; }
	[ "$(grep -v solo "$T/stops" | tr '\n' ' ')" = "web db " ] || { result "$n" "stop order: $(flat "$T/stops")"; return; }
	# Both stopped for good, then a start of web brings db up first.
	ctl stop web >/dev/null || { result "$n" "stop web (waiting): exit $?"; return; }
	poll is "stopped stopped" db.state web.state || { result "$n" "after stop web: $(js db.state web.state)"; return; }
	: >"$T/starts"
	out=$(ctl start web) || { result "$n" "start web: exit $?"; return; }
	[ "$out" = "start web: waiting; starting first: db" ] || { result "$n" "start web answered '$out'"; return; }
	poll is "running running" db.state web.state || { result "$n" "after start web: $(js db.state web.state)"; return; }
	[ "$(flat "$T/starts")" = "db web" ] || { result "$n" "start order: $(flat "$T/starts")"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# 10. A cycle: reported with its path and FILE:LINE; its entries failed; the rest runs.
t_cycle() {
	local n="a dependency cycle is reported with its path; the rest runs" re
	prep cycle
	start cycle <<-EOF || { result "$n" "reaper did not start"; return; }
	service web needs=db sh -c 'echo x >$T/ran_web; exec sleep 1171'
	service db needs=web sh -c 'echo x >$T/ran_db; exec sleep 1172'
	service solo sleep 1173
	EOF
	# start() puts a set line first: web is on line 2, db on line 3.
	re="$T/conf:(2: dependency cycle: web -> db -> web|3: dependency cycle: db -> web -> db)"
	poll grep -Eq "$re" "$T/log" || { result "$n" "log: $(grep -i cycle "$T/log" | head -n 2)"; return; }
	poll is "running" solo.state || { result "$n" "solo: $(js solo.state)"; return; }
	is "failed failed" web.state db.state || { result "$n" "web, db: $(js web.state db.state)"; return; }
	[ -e "$T/ran_web" ] || [ -e "$T/ran_db" ] && { result "$n" "an entry of the cycle ran"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	"$REAPER" -n -f "$T/conf" >"$T/n.out" 2>"$T/n.err"
	local rc=$?
	[ "$rc" = 1 ] || { result "$n" "reaper -n exit $rc, want 1"; return; }
	grep -Eq "$re" "$T/n.err" || { result "$n" "reaper -n said: $(head -c 300 "$T/n.err")"; return; }
	result "$n" ""
}

# 11. Three independent TERM-ignoring services: each gets SIGTERM before any
# is killed. Each one, when its TERM comes, looks in /proc at the other two:
# had one been killed (and reaped) first, it is seen dead. Exact, no timing.
t_parallel_stop() {
	local n="shutdown: three TERM-ignoring services all get SIGTERM before any SIGKILL" s
	prep par
	cat >"$T/ign.sh" <<-EOF
	me=\$1
	echo \$\$ >$T/pid_\$me.tmp && mv $T/pid_\$me.tmp $T/pid_\$me
	on_term() {
		dead=
		for f in $T/pid_*; do
			o=\${f##*/pid_}
			[ "\$o" = "\$me" ] && continue
			st=\$(cut -d' ' -f3 /proc/\$(cat \$f)/stat 2>/dev/null)
			case \$st in ""|Z|X) dead="\$dead \$o" ;; esac
		done
		echo "\$me dead:\$dead" >>$T/terms
	}
	trap on_term TERM
	echo \$me >>$T/ready
	while :; do sleep 0.05; done
	EOF
	start par <<-EOF || { result "$n" "reaper did not start"; return; }
	service s1 stop-timeout=2s sh $T/ign.sh s1
	service s2 stop-timeout=2s sh $T/ign.sh s2
	service s3 stop-timeout=2s sh $T/ign.sh s3
	EOF
	poll lines "$T/ready" 3 || { result "$n" "not all three ran"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	for s in s1 s2 s3; do
		grep -q "^$s dead:" "$T/terms" || { result "$n" "$s never got SIGTERM: $(flat "$T/terms")"; return; }
		grep -q "$s did not stop in 2000 ms; sending SIGKILL" "$T/log" ||
			{ result "$n" "$s was not killed: no SIGKILL line"; return; }
	done
	grep -q "dead: " "$T/terms" && { result "$n" "killed before another's SIGTERM: $(grep "dead: " "$T/terms" | tr '\n' '|')"; return; }
	[ "$(wc -l <"$T/terms")" = 3 ] || { result "$n" "terms: $(flat "$T/terms")"; return; }
	result "$n" ""
}

# 12. Shutdown along a chain: c needs b, b needs a: c, then b, then a.
t_chain_stop() {
	local n="shutdown along a chain c -> b -> a stops c, b, a"
	prep chain
	cat >"$T/tr.sh" <<-EOF
	trap "echo \$1 >>$T/stops; exit 0" TERM
	echo \$1 >>$T/ready
	while :; do sleep 0.05; done
	EOF
	# a last in the file: reverse file order would stop it first.
	start chain <<-EOF || { result "$n" "reaper did not start"; return; }
	service c needs=b sh $T/tr.sh c
	service b needs=a sh $T/tr.sh b
	service a sh $T/tr.sh a
	EOF
	poll lines "$T/ready" 3 || { result "$n" "not all ran: $(flat "$T/ready")"; return; }
	poll is "running running running" a.state b.state c.state || { result "$n" "a b c: $(js a.state b.state c.state)"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	[ "$(flat "$T/stops")" = "c b a" ] || { result "$n" "stops: $(flat "$T/stops")"; return; }
	result "$n" ""
}

# 13. reaperctl wait: 0 once up; 1 on a timeout; 1 on a failed entry.
t_wait() {
	local n="reaperctl wait: 0 once ready, 1 on timeout, 1 on failure" wp rc lp
	prep wait
	cat >"$T/db.sh" <<-EOF
	$(gate go)
	echo >&3
	exec sleep 1181
	EOF
	cat >"$T/late.sh" <<-EOF
	$(gate go2)
	exit 1
	EOF
	start wait <<-EOF || { result "$n" "reaper did not start"; return; }
	service db ready=fd:3 sh $T/db.sh
	service never ready=fd:3 ready-timeout=0 sleep 1182
	once bad sh -c 'exit 1'
	once late sh $T/late.sh
	EOF
	poll is "failed starting" bad.state db.state || { result "$n" "bad, db: $(js bad.state db.state)"; return; }
	timeout 10 "$CTL" --socket "$T/sock" wait bad >/dev/null 2>"$T/err"
	rc=$?
	[ "$rc" = 1 ] || { result "$n" "wait on a failed entry: exit $rc, want 1"; return; }
	[ -s "$T/err" ] || { result "$n" "wait on a failed entry: nothing on stderr"; return; }
	timeout 10 "$CTL" --socket "$T/sock" wait --timeout 1s never >/dev/null 2>"$T/err"
	rc=$?
	[ "$rc" = 1 ] || { result "$n" "wait --timeout 1s never: exit $rc, want 1"; return; }
	[ -s "$T/err" ] || { result "$n" "wait --timeout: nothing on stderr"; return; }
	timeout 10 "$CTL" --socket "$T/sock" wait >/dev/null 2>&1
	rc=$?
	[ "$rc" = 2 ] || { result "$n" "wait with no name: exit $rc, want 2"; return; }
	timeout 20 "$CTL" --socket "$T/sock" wait db >"$T/wout" 2>"$T/werr" &
	wp=$!
	timeout 20 "$CTL" --socket "$T/sock" wait late >/dev/null 2>"$T/lerr" &
	lp=$!
	# Parked: neither answers while db is starting and late runs.
	poll is "starting" db.state || { result "$n" "db: $(js db.state)"; return; }
	kill -0 "$wp" 2>/dev/null || { wait "$wp"; result "$n" "wait db returned $? while db was starting"; return; }
	kill -0 "$lp" 2>/dev/null || { wait "$lp"; result "$n" "wait late returned $? while late ran"; return; }
	open_gate go
	wait "$wp"
	rc=$?
	[ "$rc" = 0 ] || { result "$n" "wait db: exit $rc, want 0 ($(cat "$T/werr"))"; return; }
	is "running true" db.state db.up || { result "$n" "wait returned with db $(js db.state db.up)"; return; }
	open_gate go2
	wait "$lp"
	rc=$?
	[ "$rc" = 1 ] || { result "$n" "wait late (it fails meanwhile): exit $rc, want 1"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# 14. Combined mode: the command starts once the services are up.
t_combined_ready() {
	local n="combined mode: the command starts after db is ready" rc
	prep comb
	cat >"$T/db.sh" <<-EOF
	$(gate go)
	date +%s%N >$T/stamp_db_ready
	echo >&3
	exec sleep 1191
	EOF
	printf 'set control=%s/sock\nservice db ready=fd:3 sh %s/db.sh\n' "$T" "$T" >"$T/conf"
	if ! launch -- sh -c "date +%s%N >$T/stamp_cmd; exit 7"; then
		[ -e "$T/stamp_cmd" ] && { result "$n" "the command ran (and reaper ended) before db was ready"; return; }
		result "$n" "reaper did not start"
		return
	fi
	poll is starting db.state || { result "$n" "db: $(js db.state)"; return; }
	[ -e "$T/stamp_cmd" ] && { result "$n" "the command ran before db was ready"; return; }
	open_gate go
	wait "$UPID"
	rc=$?
	UPID=
	[ "$rc" = 7 ] || { result "$n" "exit status $rc, want the command's 7"; return; }
	before stamp_db_ready stamp_cmd ||
		{ result "$n" "command at '$(stamp stamp_cmd)', db ready at '$(stamp stamp_db_ready)'"; return; }
	result "$n" ""
}

# 15. Combined mode: a needed once entry fails: exit 1, the command never runs.
t_combined_fail() {
	local n="combined mode: a failed once entry: exit 1, the command not run" rc
	prep combfail
	cat >"$T/conf" <<-EOF
	set control=$T/sock
	once migrate sh -c 'exit 1'
	service web needs=migrate sleep 1192
	EOF
	timeout -k 2 30 unshare --pid --fork --mount-proc --kill-child "$REAPER" -f "$T/conf" -- \
		sh -c "touch $T/ran" >"$T/out" 2>"$T/log"
	rc=$?
	[ "$rc" = 1 ] || { result "$n" "exit status $rc, want 1"; return; }
	[ -e "$T/ran" ] && { result "$n" "the command ran"; return; }
	# stderr says so: a line naming migrate that is not just its exit.
	grep migrate "$T/log" | grep -v "exited with status" | grep -qiE "command|not start|without" ||
		{ result "$n" "stderr does not say why: $(grep migrate "$T/log" | tr '\n' '|')"; return; }
	result "$n" ""
}

for x in "$CTL" "$H/notify" "$PY"; do
	[ -x "$x" ] && continue
	echo "not ok - prerequisites: $x is missing (build with make ns)"
	echo "ready: 0 passed, 1 failed"
	exit 1
done

for t in ${ONLY:-t_fd_needs t_notify t_notify_child t_notify_foreign t_check t_ready_timeout t_once_ok t_once_fail \
	t_stop_start t_cycle t_parallel_stop t_chain_stop t_wait t_combined_ready t_combined_fail}; do
	"$t"
done
echo "ready: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
