#!/bin/bash
# reaperctl tests: reaper -f FILE as PID 1 of a PID namespace, asked and told
# things over its control socket. Prints "ok - NAME" / "not ok - NAME: why"
# and "ctl: N passed, N failed" last. Every wait is a bounded poll.

. "$(dirname "$0")/syslib.sh"
CTL=$(dirname "$REAPER")/reaperctl
PY=${PYTHON:-/usr/bin/python3}

ctl() { "$CTL" --socket "$T/sock" "$@"; }
field() { ctl status | awk -v n="$1" -v f="$2" '$1 == n { print $f }'; }
state_is() { [ "$(field "$1" 3)" = "$2" ]; }

boot() {	# a small system with a service, a crasher and an orphan maker
	start "$1" <<-EOF
	service web sleep 1011
	service fam sh -c 'sleep 1016 & wait'
	service crash restart-delay=50ms restart-limit=2/1m sh -c 'exit 3'
	once orph sh -c '$H/orphans -n orphan-one 1; (sleep 1012 &) ; exit 0'
	EOF
	poll sleeper 1011 >/dev/null && poll sleeper 1012 >/dev/null && poll sleeper 1016 >/dev/null &&
		poll state_is crash failed
}

t_status() {
	local n="status, status --json and tree agree with /proc" web js
	boot status || { result "$n" "no boot"; return; }
	web=$(sleeper 1011)
	state_is web running || { result "$n" "web: $(field web 3)"; return; }
	# The pid shown is the namespace's: the last NSpid of the host's process.
	[ "$(field web 4)" = "$(awk '/^NSpid/ { print $NF }' "/proc/$web/status")" ] ||
		{ result "$n" "web pid $(field web 4)"; return; }
	state_is orph done || { result "$n" "orph: $(field orph 3)"; return; }
	[ "$(field crash 6)" = 2 ] || { result "$n" "crash restarts: $(field crash 6)"; return; }
	js=$(ctl status --json) || { result "$n" "status --json failed"; return; }
	"$PY" - "$js" "$(ctl status)" <<-'PY' || { result "$n" "JSON and text differ"; return; }
	import json, sys
	j = json.loads(sys.argv[1])
	rows = {l.split()[0]: l.split() for l in sys.argv[2].splitlines()[4:] if l.strip()}
	assert j["mode"] == "container" and j["pid"] == 1
	for s in j["services"]:
	    r = rows[s["name"]]
	    assert r[1] == s["kind"] and r[2] == s["state"] and int(r[3]) == s["pid"], (r, s)
	assert any(a["comm"] == "sleep" for a in j["adopted"]), j["adopted"]
	PY
	ctl tree | grep -q "sleep([0-9]*)  \[service web\]" || { result "$n" "tree: no service web"; return; }
	# Its once is over: the orphan it leaked is drawn at the top, and named.
	ctl tree | grep -q "^  sleep([0-9]*)  \[adopted orphan from orph\]" ||
		{ result "$n" "tree: no adopted orphan from orph"; return; }
	ctl tree | grep -q "^    sleep([0-9]*)  \[child of fam\]" || { result "$n" "tree: no child of fam"; return; }
	[ "$(sleeper 1011)" = "$web" ] || { result "$n" "web restarted"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

orphan_seen() { ctl events | grep -q "orphan-reaped *orphan-one from orph *pid [0-9]"; }

t_events() {
	local n="orphans counted in status and named in events"
	boot events || { result "$n" "no boot"; return; }
	poll orphan_seen || { result "$n" "no orphan-reaped event"; return; }
	ctl status | grep -q "orphans adopted and reaped: [1-9]" || { result "$n" "not counted"; return; }
	ctl events --json | "$PY" -c 'import json,sys; e=json.load(sys.stdin); assert any(x["kind"]=="orphan-reaped" and x["name"]=="orphan-one" and x["from"]=="orph" and x["pid"]>0 for x in e)' ||
		{ result "$n" "events --json"; return; }
	ctl events | grep -q "gave-up *crash" || { result "$n" "no gave-up event"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_control() {
	local n="stop, start, restart, reload and poweroff" old
	boot control || { result "$n" "no boot"; return; }
	ctl stop web >/dev/null || { result "$n" "stop failed"; return; }
	poll state_is web stopped || { result "$n" "web not stopped: $(field web 3)"; return; }
	poll no_sleeper 1011 || { result "$n" "web still runs"; return; }
	ctl start web >/dev/null && poll state_is web running || { result "$n" "start failed"; return; }
	old=$(field web 4)
	ctl restart web >/dev/null || { result "$n" "restart failed"; return; }
	newpid() { local p; p=$(field web 4); [ "$p" != "$old" ] && [ "$p" -gt 0 ] && state_is web running; }
	poll newpid || { result "$n" "restart kept pid $old"; return; }
	old=$(field web 4)
	ctl reload >/dev/null || { result "$n" "reload failed"; return; }
	in_log "config reloaded" && [ "$(field web 4)" = "$old" ] || { result "$n" "reload changed web"; return; }
	ctl stop nope 2>/dev/null; [ $? = 1 ] || { result "$n" "unknown entry not 1"; return; }
	ctl frobnicate 2>/dev/null; [ $? = 2 ] || { result "$n" "unknown request not 2"; return; }
	ctl poweroff >/dev/null || { result "$n" "poweroff failed"; return; }
	wait "$UPID" || { result "$n" "exit status $?"; UPID=; return; }
	UPID=
	"$CTL" --socket "$T/sock" status 2>/dev/null; [ $? = 3 ] || { result "$n" "gone reaper not 3"; return; }
	result "$n" ""
}

as_nobody() { setpriv --reuid=65534 --regid=65534 --clear-groups "$PUB/reaperctl" --socket "$T/sock" "$@"; }

t_security() {
	local n="nobody is refused and changes nothing; control-group members may" web
	boot secure || { result "$n" "no boot"; return; }
	web=$(sleeper 1011)
	for req in "stop web" "start web" "restart web" reload poweroff reboot halt; do
		as_nobody $req >/dev/null 2>&1
		[ $? = 1 ] || { result "$n" "nobody: '$req' not refused"; return; }
	done
	[ "$(sleeper 1011)" = "$web" ] && state_is web running || { result "$n" "something changed"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	start group <<-EOF || { result "$n" "no boot"; return; }
	set control-group=nogroup
	service web sleep 1013
	EOF
	poll sleeper 1013 >/dev/null || { result "$n" "no web"; return; }
	[ "$(stat -c %a:%G "$T/sock")" = "660:nogroup" ] || { result "$n" "socket mode $(stat -c %a:%G "$T/sock")"; return; }
	as_nobody status >/dev/null || { result "$n" "member cannot read"; return; }
	setpriv --reuid=65534 --regid=65534 --clear-groups "$PUB/reaperctl" --socket "$T/sock" stop web >/dev/null ||
		{ result "$n" "member refused"; return; }
	poll no_sleeper 1013 || { result "$n" "member's stop did nothing"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# A peer that can connect but is neither root nor in control-group: a uid of
# its own with CAP_DAC_OVERRIDE passes the socket file's mode, so the refusal
# must come from reaper's own SO_PEERCRED check, for every request that
# changes something; what only reads is answered.
U=$((40000 + $$ % 20000))
as_dac() {
	setpriv --reuid=$U --regid=$U --clear-groups --inh-caps=+dac_override \
		--ambient-caps=+dac_override "$PUB/reaperctl" --socket "$T/sock" "$@"
}
peer_refused() {	# what the peer may not do, with web's pid
	local req rc web=$1
	for req in "stop web" "start web" "restart web" reload poweroff reboot halt; do
		as_dac $req >"$T/o" 2>"$T/e"
		rc=$?
		[ "$rc" = 1 ] || { echo "'$req': exit $rc, want 1"; return 1; }
		grep -q "^refused: only root, reaper's own user or control-group may ${req%% *}" "$T/e" ||
			{ echo "'$req' not refused by reaper: $(cat "$T/e")"; return 1; }
	done
	[ "$(sleeper "$2")" = "$web" ] && state_is web running || { echo "something changed"; return 1; }
	in_log "config reloaded" && { echo "reloaded"; return 1; }
	return 0
}

t_peercred() {
	local n="a peer past the socket's mode is refused by reaper itself" web why
	start peer <<-EOF || { result "$n" "no boot"; return; }
	service web sleep 1021
	EOF
	web=$(poll sleeper 1021) || { result "$n" "no web"; return; }
	as_dac status >/dev/null || { result "$n" "uid $U with CAP_DAC_OVERRIDE cannot connect"; return; }
	why=$(peer_refused "$web" 1021) || { result "$n" "$why"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	# With control-group, one who is not in it.
	start peergroup <<-EOF || { result "$n" "no boot"; return; }
	set control-group=daemon
	service web sleep 1022
	EOF
	web=$(poll sleeper 1022) || { result "$n" "no web"; return; }
	as_dac status >/dev/null || { result "$n" "control-group: uid $U cannot connect"; return; }
	why=$(peer_refused "$web" 1022) || { result "$n" "control-group: $why"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_robust() {
	local n="50 clients, a silent one, 10000 bad requests" i ok=0
	boot robust || { result "$n" "no boot"; return; }
	"$PY" - "$T/sock" <<-'PY' || { result "$n" "clients failed"; return; }
	import os, random, socket, sys, time
	path = sys.argv[1]
	def ask(req):
	    s = socket.socket(socket.AF_UNIX); s.settimeout(10); s.connect(path)
	    s.sendall(req); s.shutdown(socket.SHUT_WR); data = b""
	    while True:
	        d = s.recv(65536)
	        if not d: break
	        data += d
	    s.close(); return data
	silent = socket.socket(socket.AF_UNIX); silent.connect(path)   # says nothing
	assert ask(b"status\n").startswith(b"0\n")
	# Answered while the silent client still holds its slot: had reaper
	# waited on it, its read timeout would have dropped it first.
	silent.setblocking(False)
	try:
	    d = silent.recv(64)
	    raise AssertionError("the silent client was dropped before another was answered: %r" % d)
	except BlockingIOError:
	    pass
	socks = []
	for _ in range(50):                       # 50 at once: all connected first
	    s = socket.socket(socket.AF_UNIX); s.settimeout(20); s.connect(path)
	    s.sendall(b"status --json\n"); socks.append(s)
	for s in socks:
	    data = b""
	    while True:
	        d = s.recv(65536)
	        if not d: break
	        data += d
	    assert data.startswith(b"0\n{"), data[:40]
	    s.close()
	rnd = random.Random(7)
	for i in range(10000):
	    kind = i % 4
	    if kind == 0: req = bytes(rnd.randrange(256) for _ in range(rnd.randrange(1, 64)))
	    elif kind == 1: req = b"x" * rnd.randrange(256, 2000)
	    elif kind == 2: req = b"status " + b"A" * rnd.randrange(0, 300) + b"\n"
	    else: req = b"stop \xff\xfe\n"
	    try: ask(req)
	    except OSError: pass
	assert ask(b"status\n").startswith(b"0\n")
	silent.close()
	PY
	state_is web running || { result "$n" "web disturbed"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

stays_stopped() { state_is web stopped && [ -z "$(sleeper 1011)" ]; }

t_requests_edge() {
	local n="restart then stop stays stopped; sysinit refused; names escaped"
	start edge <<-EOF || { result "$n" "no boot"; return; }
	sysinit early true
	service web sleep 1011
	once odd sh -c '$H/orphans -n "\$(printf "a\\nb")" 1'
	EOF
	poll sleeper 1011 >/dev/null || { result "$n" "no web"; return; }
	ctl restart web >/dev/null && ctl stop web >/dev/null || { result "$n" "requests failed"; return; }
	poll stays_stopped || { result "$n" "web: $(field web 3)"; return; }
	ctl start early >/dev/null 2>&1; [ $? = 1 ] || { result "$n" "start of a sysinit entry not refused"; return; }
	poll in_log "reaped orphan" || { result "$n" "no orphan"; return; }
	ctl events | grep -q "orphan-reaped *a?b from odd *pid" || { result "$n" "name not escaped: $(ctl events | grep orphan)"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_socket_safety() {
	local n="only its own socket: a file is never removed, a stale socket is replaced"
	T=$ROOT/safe
	mkdir -p "$T"
	echo keep >"$T/file"
	printf 'set control=%s/file\nservice web sleep 1017\n' "$T" >"$T/conf"
	timeout -k 2 30 unshare --pid --fork --mount-proc --kill-child "$REAPER" -f "$T/conf" \
		>"$T/out" 2>"$T/log" &
	UPID=$!
	poll find_reaper && poll in_log "unable to listen on $T/file" || { result "$n" "listened on a file?"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	[ "$(cat "$T/file")" = keep ] || { result "$n" "the file was touched"; return; }
	"$PY" -c 'import socket,sys; s=socket.socket(socket.AF_UNIX); s.bind(sys.argv[1])' "$T/stale"
	printf 'set control=%s/stale\nservice web sleep 1018\n' "$T" >"$T/conf"
	timeout -k 2 30 unshare --pid --fork --mount-proc --kill-child "$REAPER" -f "$T/conf" \
		>"$T/out" 2>"$T/log" &
	UPID=$!
	poll find_reaper || { result "$n" "no reaper"; return; }
	stale_ok() { "$CTL" --socket "$T/stale" status >/dev/null 2>&1; }
	poll stale_ok || { result "$n" "stale socket not replaced"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	[ ! -e "$T/stale" ] || { result "$n" "socket left behind"; return; }
	result "$n" ""
}

# The LAST EXIT column of NAME's row: "-", "exit N" or "signal N".
last_exit() { ctl status "$1" | sed 's/.*  //'; }

t_last_exit() {
	local n="last exit: exit 200 and exit 137 are exits, SIGKILL is signal 9"
	start lastexit <<-EOF || { result "$n" "no boot"; return; }
	service e200 restart=never sh -c 'exit 200'
	service e137 restart=never sh -c 'exit 137'
	service k restart=never sleep 1019
	EOF
	poll state_is e200 failed && poll state_is e137 failed ||
		{ result "$n" "e200: $(field e200 3), e137: $(field e137 3)"; return; }
	poll sleeper 1019 >/dev/null || { result "$n" "no sleep 1019"; return; }
	[ "$(last_exit k)" = - ] || { result "$n" "k before its end: $(last_exit k)"; return; }
	kill -KILL "$(sleeper 1019)"
	poll state_is k failed || { result "$n" "k: $(field k 3)"; return; }
	[ "$(last_exit e200)" = "exit 200" ] || { result "$n" "e200: $(last_exit e200)"; return; }
	[ "$(last_exit e137)" = "exit 137" ] || { result "$n" "e137: $(last_exit e137)"; return; }
	[ "$(last_exit k)" = "signal 9" ] || { result "$n" "k: $(last_exit k)"; return; }
	"$PY" - "$(ctl status --json)" 2>"$T/why" <<-'PY' || { result "$n" "JSON: $(tail -n 1 "$T/why")"; return; }
	import json, sys
	s = {x["name"]: x for x in json.loads(sys.argv[1])["services"]}
	def end(name):
	    x = s[name]
	    return x["last_exit"], x["last_exit_kind"], x["last_exit_code"], x["last_exit_signal"]
	assert end("e200") == (200, "exited", 200, None), end("e200")
	assert end("e137") == (137, "exited", 137, None), end("e137")
	assert end("k") == (137, "killed", None, 9), end("k")
	PY
	in_log "k exited with status 137" || { result "$n" "log: $(grep 'k exited' "$T/log")"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# reaper's voluntary and involuntary context switches so far.
switches() { awk '/ctxt_switches/ { n += $2 } END { print n }' "/proc/$RPID/status"; }

t_combined() {
	local n="combined mode: reaperctl answers, and reaper sleeps between" a b
	T=$ROOT/comb
	mkdir -p "$T"
	printf 'set control=%s/sock\nservice web sleep 1014\n' "$T" >"$T/conf"
	timeout -k 2 30 unshare --pid --fork --mount-proc --kill-child "$REAPER" -f "$T/conf" -- \
		sleep 1015 >"$T/out" 2>"$T/log" &
	UPID=$!
	poll find_reaper || { result "$n" "no reaper"; return; }
	poll sleeper 1015 >/dev/null || { result "$n" "no main command"; return; }
	ctl status | grep -q "combined mode" || { result "$n" "status: $(ctl status 2>&1 | head -n 2)"; return; }
	ctl tree | grep -q "sleep([0-9]*)  \[main command\]" || { result "$n" "tree has no main command"; return; }
	a=$(switches)
	sleep 1	# a measurement window: an idle reaper is not woken at all
	b=$(switches)
	[ "$a" = "$b" ] || { result "$n" "reaper woke $((b - a)) times while idle"; return; }
	kill "$(sleeper 1015)"
	wait "$UPID"
	[ $? = 143 ] || { result "$n" "exit status not 143"; UPID=; return; }
	UPID=
	result "$n" ""
}

# Whether every once n1..nN is failed, per one status answer.
all_failed() {
	local st=$1 i
	for i in $(seq "$2"); do
		[ "$(awk -v n="n$i" '$1 == n { print $3 }' <<<"$st")" = failed ] || return 1
	done
}

# A start never blocks PID 1: 32 commands that do not exist, and one whose
# child hangs before exec (its user is looked up in an /etc/passwd that is
# a FIFO nobody writes, as a hung name service would), while reaperctl is
# answered and the other services run.
t_starts() {
	local n="32 failed starts and a hung one: reaperctl answered meanwhile" i st p
	T=$ROOT/starts
	mkdir -p "$T"
	mkfifo "$T/passwd"
	{
		echo "set control=$T/sock"
		for i in $(seq 32); do echo "once n$i /nonexistent/cmd$i"; done
		echo "service hung user=nobody sleep 1091"
		echo "service web sleep 1092"
	} >"$T/conf"
	timeout -k 2 60 unshare --pid --fork --mount-proc --kill-child sh -c \
		'mount --bind "$1" /etc/passwd && exec "$2" -f "$3"' sh "$T/passwd" "$REAPER" \
		"$T/conf" >"$T/out" 2>"$T/log" &
	UPID=$!
	RPID=
	poll find_reaper || { result "$n" "reaper did not start"; return; }
	poll sleeper 1092 >/dev/null || { result "$n" "web did not start"; return; }
	st=$(timeout 10 "$CTL" --socket "$T/sock" status) || { result "$n" "status not answered"; return; }
	[ "$(awk '$1 == "hung" { print $3 }' <<<"$st")" = starting ] ||
		{ result "$n" "hung is $(awk '$1 == "hung" { print $3 }' <<<"$st"), want starting"; return; }
	poll eval 'all_failed "$(ctl status)" 32' || { result "$n" "not every nI failed: $(ctl status | tr '\n' ' ')"; return; }
	for i in $(seq 32); do
		in_log "unable to start n$i: exec: No such file or directory" ||
			{ result "$n" "no 'unable to start n$i' line"; return; }
	done
	state_is hung starting || { result "$n" "hung is $(field hung 3) before its passwd came"; return; }
	cat /etc/passwd >"$T/passwd"	# the name service answers at last
	poll state_is hung running || { result "$n" "hung is $(field hung 3) after its passwd came"; return; }
	p=$(poll sleeper 1091) || { result "$n" "no sleep 1091"; return; }
	[ "$(stat -c %u "/proc/$p")" = "$(id -u nobody)" ] || { result "$n" "hung runs as $(stat -c %u "/proc/$p")"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# reaperctl events "$@", for a follower in the background: its pid in $! is reaperctl's.
follow() { exec "$CTL" --socket "$T/sock" events "$@"; }

# The lines of follower output $1 that match $2, at least $3 of them (a
# follower in the background may not have made its file yet).
has() { local c; c=$(grep -c -- "$2" "$1" 2>/dev/null); [ "${c:-0}" -ge "$3" ]; }

# A follower in the background (pid in fp) into $T/again, once it is let
# in: the slots of followers just killed are free once reaper has seen
# them hang up, which may come after our connect.
follow_again() {
	follow -f >"$T/again" 2>&1 &
	fp=$!
	poll has "$T/again" . 1 || return 1
	grep -q "too many followers" "$T/again" || return 0
	wait "$fp"
	return 1
}

# Whether every orphan of the horde is in follower output $1: shown, or
# counted in a {"missed":N} line; each line whole JSON.
all_told() {
	"$PY" - "$1" <<-'PY'
	import json, sys
	seen = 0
	for line in open(sys.argv[1]).read().splitlines()[1:]:
	    o = json.loads(line)
	    seen += o.get("missed", 0) + (o.get("name") == "horde")
	sys.exit(0 if seen == 1000 else 1)
	PY
}

orphans_reaped() { ctl status | grep -q "orphans adopted and reaped: $1\$"; }

# events --follow, connected first, prints what happens next; a follower
# stopped by SIGSTOP, that never reads, holds up neither reaping nor others.
t_follow() {
	local n="events --follow streams new events; a stopped follower stalls nothing" fp sp
	mkdir -p "$ROOT/follow" && mkfifo "$ROOT/follow/go"
	start follow <<-EOF || { result "$n" "no boot"; return; }
	service web sleep 1021
	service hordes restart=never sh -c 'read x <$ROOT/follow/go && exec $H/horde 1000'
	EOF
	poll sleeper 1021 >/dev/null || { result "$n" "no web"; return; }
	follow --follow >"$T/follow" 2>&1 &
	fp=$!
	poll has "$T/follow" "spawned  *web " 1 || { result "$n" "no ring: $(flat "$T/follow")"; kill "$fp"; return; }
	ctl restart web >/dev/null || { result "$n" "restart failed"; kill "$fp"; return; }
	poll has "$T/follow" "spawned  *web " 2 && has "$T/follow" "stop  *web " 1 &&
		has "$T/follow" "exited  *web " 1 ||
		{ result "$n" "restart not followed: $(flat "$T/follow")"; kill "$fp"; return; }
	[ "$(head -n 1 "$T/follow" | grep -c 'stop  *web ')" = 0 ] || { result "$n" "ring not first"; kill "$fp"; return; }
	follow -f --json >"$T/stopped" 2>&1 &
	sp=$!
	poll has "$T/stopped" '"kind":"spawned"' 1 || { result "$n" "no JSON ring"; kill "$fp" "$sp"; return; }
	kill -STOP "$sp"
	ctl events -f 2>"$T/third"; [ $? = 1 ] && grep -q "too many followers" "$T/third" ||
		{ result "$n" "a third follower: $(cat "$T/third")"; kill -KILL "$fp" "$sp"; return; }
	timeout 10 sh -c 'echo go >"$1"' sh "$ROOT/follow/go" || { result "$n" "hordes never read"; kill -KILL "$fp" "$sp"; return; }
	poll orphans_reaped 1000 || { result "$n" "reaped: $(ctl status | head -n 1)"; kill -KILL "$fp" "$sp"; return; }
	ctl status | grep -q "^web  *service  *running" || { result "$n" "status: $(ctl status | tr '\n' ' ')"; kill -KILL "$fp" "$sp"; return; }
	kill -CONT "$sp"
	poll all_told "$T/stopped" || { result "$n" "stopped follower: $(tail -n 3 "$T/stopped" | tr '\n' ' ')"; kill "$fp" "$sp"; return; }
	kill "$fp" "$sp"
	wait "$fp" "$sp" 2>/dev/null
	poll follow_again && poll has "$T/again" "orphan-reaped *horde " 1 ||
		{ result "$n" "no follower after: $(flat "$T/again")"; kill "$fp"; return; }
	stop_with TERM || { result "$n" "exit status $?"; kill "$fp"; return; }
	wait "$fp" || { result "$n" "follower status $? at reaper's end"; return; }
	result "$n" ""
}

for t in ${ONLY:-t_status t_events t_control t_security t_peercred t_robust t_combined \
	t_requests_edge t_socket_safety t_last_exit t_starts t_follow}; do
	"$t"
done
echo "ctl: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
