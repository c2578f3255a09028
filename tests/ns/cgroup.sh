#!/bin/bash
# cgroups (SPEC section 9, issue #15): reaper -f FILE as PID 1 of a PID
# namespace, given a cgroup of its own by tests/helpers/cgns (a fresh cgroup
# under the host's cgroup2 tree, its own cgroup and mount namespaces, cgroup2
# at /sys/fs/cgroup), or not (the fallback). Containment and provenance are
# tested here; limits need controllers and are tested in the VM. Prints
# "ok - NAME" / "not ok - NAME: why" and "cgroup: N passed, N failed" last.
# Every wait is a bounded poll; orders come from what the processes write
# and what /proc says, never from elapsed times. Every cgroup made is
# removed at the end, passed or not.

. "$(dirname "$0")/syslib.sh"
CTL=$(dirname "$REAPER")/reaperctl
PY=${PYTHON:-/usr/bin/python3}

ctl() { "$CTL" --socket "$T/sock" "$@"; }
# The STATE column of NAME in the text status.
tstate() { ctl status 2>/dev/null | awk -v n="$1" '$1 == n { print $3 }'; }
state_is() { [ "$(tstate "$1")" = "$2" ]; }
count() { grep -c -- "$1" "$T/log"; }

# The host's cgroup2 tree (the mount that shows its root) and this shell's
# cgroup in it: the tests' cgroups go below, in a folder of this run.
CGM=$(awk '{ for (i = 7; i <= NF; i++) if ($i == "-") break;
	if ($(i + 1) == "cgroup2" && $4 == "/") { print $5; exit } }' /proc/self/mountinfo)
SELF=$(sed -n 's/^0:://p' /proc/self/cgroup)
[ "$SELF" = / ] && SELF=
CGBASE=${CGM:+$CGM$SELF/reaper-cgtest.$$}
CG=

# Kill what is left in the tests' cgroups and remove them, deepest first.
cg_cleanup() {
	local p
	[ -n "$CGBASE" ] && [ -d "$CGBASE" ] || return 0
	find "$CGBASE" -name cgroup.procs -exec cat {} + 2>/dev/null | while read -r p; do
		kill -KILL "$p" 2>/dev/null
	done
	POLL_TRIES=100 poll cg_rmtree || echo "cgroup: unable to remove $CGBASE" >&2
}
cg_rmtree() {
	find "$CGBASE" -depth -type d -exec rmdir {} + 2>/dev/null
	[ ! -d "$CGBASE" ]
}
trap 'cg_cleanup; cleanup' EXIT
trap 'exit 130' INT TERM

# Start reaper (stdin: its config) as PID 1 with a cgroup of its own,
# $CGBASE/NAME; with -r its cgroup2 tree is mounted read-only, with -s cgns
# shares the cgroup with it (from outside its PID namespace).
cgstart() {
	local ro=${2:-}
	T=$ROOT/$1
	CG=$CGBASE/$1
	mkdir -p "$T"
	{ echo "set control=$T/sock"; cat; } >"$T/conf"
	timeout -k 2 30 "$H/cgns" ${ro:+"$ro"} "$CG" "$REAPER" -f "$T/conf" >"$T/out" 2>"$T/log" &
	UPID=$!
	RPID=
	poll find_reaper || return 1
}

# status and its JSON say cgroups are off, and why ($1).
off_said() {
	ctl status | grep -qxF "cgroups: off ($1)" &&
		ctl status --json | "$PY" -c 'import json, sys; c = json.load(sys.stdin)["cgroups"]
assert c == {"on": False, "reason": sys.argv[1]}, c' "$1"
}

# The session of host pid $1.
sid_of() { ps -o sid= -p "$1" | tr -d ' '; }

# A service's script that leaves an orphan: leak.sh DIR TAG plain|setsid N.
# A child forks the orphan (in a session of its own with setsid) and exits,
# so reaper adopts it; the orphan writes its session, waits for DIR/gate.TAG,
# then runs `sleep 0`. DIR/orphan.TAG is the orphan's pid, DIR/main.TAG the
# service's (its session), as reaper's namespace numbers them.
write_leak() {
	mkdir -p "$1"
	cat >"$1/orphan.sh" <<-'EOF'
	awk '{ print $6 }' /proc/$$/stat >"$1/sid.$2"
	while [ ! -e "$1/gate.$2" ]; do sleep 0.05; done
	exec sleep 0
	EOF
	cat >"$1/leak.sh" <<-'EOF'
	d=$1 t=$2
	if [ "$3" = setsid ]; then run=setsid; else run=; fi
	sh -c "$run sh $d/orphan.sh $d $t & echo \$! >$d/orphan.$t"
	echo $$ >"$d/main.$t"
	exec sleep "$4"
	EOF
}

# The orphan of TAG (started by leak.sh) is there and waits; let it end.
orphan_ready() { [ -s "$T/orphan.$1" ] && [ -s "$T/sid.$1" ] && [ -s "$T/main.$1" ]; }
orphan_line() { echo "reaped orphan $(cat "$T/orphan.$1") (sleep) from $2: exited 0"; }

# 1. The daemon leaves the service's session; reaperctl stop still ends it,
# and its cgroup goes once the entry is stopped for good.
t_daemon_stop() {
	local n="a double-forking setsid daemon is gone after reaperctl stop" d m
	cgstart daemon <<-EOF || { result "$n" "reaper did not start"; return; }
	service daemon sh -c 'setsid sh -c "exec sleep 2201" & exec sleep 2202'
	EOF
	poll sleeper 2201 >/dev/null && poll sleeper 2202 >/dev/null ||
		{ result "$n" "the daemon did not start"; return; }
	in_log "cgroups: on, in /sys/fs/cgroup" || { result "$n" "cgroups not on"; return; }
	d=$(sleeper 2201) m=$(sleeper 2202)
	[ "$(sid_of "$d")" != "$(sid_of "$m")" ] || { result "$n" "the daemon kept the service's session"; return; }
	grep -qx "$d" "$CG/svc-daemon/cgroup.procs" 2>/dev/null ||
		{ result "$n" "the daemon is not in $CG/svc-daemon"; return; }
	grep -qx "$RPID" "$CG/reaper/cgroup.procs" 2>/dev/null ||
		{ result "$n" "reaper is not in its own leaf"; return; }
	ctl stop daemon >/dev/null || { result "$n" "reaperctl stop: exit $?"; return; }
	poll state_is daemon stopped || { result "$n" "state $(tstate daemon), not stopped"; return; }
	no_sleeper 2201 || { result "$n" "the daemon outlived the stop"; return; }
	no_sleeper 2202 || { result "$n" "the main process outlived the stop"; return; }
	poll test ! -d "$CG/svc-daemon" || { result "$n" "$CG/svc-daemon is still there"; return; }
	result "$n" ""
}

# 2. A daemon that ignores the stop signal: the entry is stopping, never
# stopped, for as long as it lives; SIGKILL at stop-timeout ends it.
t_stopped_when_gone() {
	local n="stopped only once the cgroup is empty" i seen=0 st
	cgstart stubborn <<-EOF || { result "$n" "reaper did not start"; return; }
	service daemon stop-timeout=1s sh -c 'setsid sh -c "trap \"\" TERM; exec sleep 2203" & exec sleep 2204'
	EOF
	poll sleeper 2203 >/dev/null && poll sleeper 2204 >/dev/null ||
		{ result "$n" "the daemon did not start"; return; }
	ctl stop daemon >/dev/null || { result "$n" "reaperctl stop: exit $?"; return; }
	for ((i = 0; i < 200; i++)); do
		st=$(tstate daemon)
		sleeper 2203 >/dev/null || break
		[ "$st" = stopped ] && { result "$n" "stopped while its daemon lives"; return; }
		[ "$st" = stopping ] && seen=$((seen + 1))
		sleep 0.05
	done
	no_sleeper 2203 || { result "$n" "the daemon survived SIGKILL"; return; }
	[ "$seen" -gt 0 ] || { result "$n" "never seen stopping while the daemon lived"; return; }
	poll state_is daemon stopped || { result "$n" "state $(tstate daemon), not stopped"; return; }
	in_log "daemon did not stop in 1000 ms; sending SIGKILL" || { result "$n" "no SIGKILL line"; return; }
	in_log "daemon stopped" || { result "$n" "no 'daemon stopped' line"; return; }
	poll test ! -d "$CG/svc-daemon" || { result "$n" "$CG/svc-daemon is still there"; return; }
	result "$n" ""
}

# 3. Each run leaves a setsid child that ignores SIGTERM and exits; each new
# run looks in /proc for the children of the runs before: none may be alive.
t_restart_no_overlap() {
	local n="a restart does not overlap the old instance's leftovers" d=$ROOT/flap
	mkdir -p "$d"
	cat >"$d/flap.sh" <<-'EOF'
	d=$1
	for f in "$d"/kid.*; do
		[ -e "$f" ] || continue
		s=$(cut -d' ' -f3 "/proc/$(cat "$f")/stat" 2>/dev/null)
		[ -n "$s" ] && [ "$s" != Z ] && echo "$f: $s" >>"$d/overlap"
	done
	k=$(ls "$d" | grep -c '^kid\.')
	setsid sh -c 'trap "" TERM; : >"$1/armed.$2"; exec sleep 2205' sh "$d" "$k" &
	echo $! >"$d/kid.$k"
	echo "$k" >>"$d/starts"
	# Only once the child ignores SIGTERM: then only SIGKILL ends it.
	i=0
	while [ ! -e "$d/armed.$k" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
	exit 1
	EOF
	cgstart flap <<-EOF || { result "$n" "reaper did not start"; return; }
	service flap restart-delay=50ms stop-timeout=300ms sh $d/flap.sh $d
	EOF
	poll lines "$T/starts" 4 || { result "$n" "starts: $(flat "$T/starts")"; return; }
	[ -e "$T/overlap" ] && { result "$n" "alive at a new start: $(flat "$T/overlap")"; return; }
	in_log "flap: stopping what is left of it" || { result "$n" "the leftovers were not stopped"; return; }
	in_log "flap did not stop in 300 ms; sending SIGKILL" || { result "$n" "no SIGKILL for the leftovers"; return; }
	result "$n" ""
}

# 4. Two services leak an orphan each, one from a session of its own: each
# reaped orphan is named after the service it came from.
t_orphans_named() {
	local n="orphans of two services are attributed right, one setsid" l1 l2
	write_leak "$ROOT/orph"
	cgstart orph <<-EOF || { result "$n" "reaper did not start"; return; }
	service leak1 sh $ROOT/orph/leak.sh $ROOT/orph one plain 2206
	service leak2 sh $ROOT/orph/leak.sh $ROOT/orph two setsid 2207
	EOF
	poll orphan_ready one && poll orphan_ready two || { result "$n" "no orphans"; return; }
	poll sleeper 2206 >/dev/null && poll sleeper 2207 >/dev/null ||
		{ result "$n" "the services did not run"; return; }
	[ "$(cat "$T/sid.one")" = "$(cat "$T/main.one")" ] || { result "$n" "orphan one left its session"; return; }
	[ "$(cat "$T/sid.two")" != "$(cat "$T/main.two")" ] || { result "$n" "orphan two kept its session"; return; }
	# Alive and adopted: drawn under the service each leaked from.
	ctl tree >"$T/tree"
	awk '/\[service leak1\]/ { s = 1; next } s && /^    sh\([0-9]+\)  \[adopted orphan from leak1\]/ { f = 1 }
	    /^  [^ ]/ { s = 0 } END { exit !f }' "$T/tree" ||
		{ result "$n" "tree: no orphan under leak1: $(tr '\n' '|' <"$T/tree")"; return; }
	grep -q "^    sh([0-9]*)  \[adopted orphan from leak2\]" "$T/tree" ||
		{ result "$n" "tree: no orphan under leak2: $(tr '\n' '|' <"$T/tree")"; return; }
	# A follower connected now hears of the reaps to come.
	ctl events --follow >"$T/follow" 2>&1 &
	FPID=$!
	poll test -s "$T/follow" || { result "$n" "the follower printed nothing"; return; }
	: >"$T/gate.one"
	: >"$T/gate.two"
	l1=$(orphan_line one leak1) l2=$(orphan_line two leak2)
	poll in_log "$l1" || { result "$n" "no '$l1': $(grep 'reaped orphan' "$T/log" | tr '\n' '|')"; return; }
	poll in_log "$l2" || { result "$n" "no '$l2': $(grep 'reaped orphan' "$T/log" | tr '\n' '|')"; return; }
	poll grep -q "orphan-reaped *sleep from leak1 *pid $(cat "$T/orphan.one") " "$T/follow" &&
		poll grep -q "orphan-reaped *sleep from leak2 *pid $(cat "$T/orphan.two") " "$T/follow" ||
		{ result "$n" "follower: $(grep orphan "$T/follow" | tr '\n' '|')"; kill "$FPID"; return; }
	kill "$FPID" 2>/dev/null
	ctl events --json | "$PY" -c '
import json, sys
e = [x for x in json.load(sys.stdin) if x["kind"] == "orphan-reaped"]
assert sorted(x["from"] for x in e) == ["leak1", "leak2"], e' ||
		{ result "$n" "events --json: $(ctl events --json)"; return; }
	ctl status >"$T/status"
	grep -qx "cgroups: on (/sys/fs/cgroup)" "$T/status" || { result "$n" "status: no cgroups line"; return; }
	[ "$(grep -c '^    .*orphans 1' "$T/status")" = 2 ] ||
		{ result "$n" "status: orphans per entry: $(tr '\n' '|' <"$T/status")"; return; }
	ctl status --json | "$PY" -c '
import json, sys
j = json.load(sys.stdin)
assert j["cgroups"] == {"on": True, "dir": "/sys/fs/cgroup"}, j["cgroups"]
s = {x["name"]: x for x in j["services"]}
assert s["leak1"]["orphans"] == 1 and s["leak2"]["orphans"] == 1, s
for x in s.values():
    assert x["memory_bytes"] is None and x["memory_peak_bytes"] is None, x  # no memory controller here
    assert isinstance(x["cpu_usec"], int) and x["cpu_usec"] > 0, x
    assert x["last_exit_oom"] is False, x' ||
		{ result "$n" "status --json: $(ctl status --json)"; return; }
	result "$n" ""
}

# 5. No cgroup namespace (the other suites' plain unshare): said once, and
# the system mode works as before: a stop and a start, and an orphan named
# by its session. No cgroup is made in the host's tree.
t_fallback_no_ns() {
	local n="no cgroup namespace: said once, services and provenance by session" l
	write_leak "$ROOT/nons"
	start nons <<-EOF || { result "$n" "reaper did not start"; return; }
	service s1 sleep 2208
	service leak sh $ROOT/nons/leak.sh $ROOT/nons one plain 2209
	EOF
	poll sleeper 2208 >/dev/null || { result "$n" "s1 did not start"; return; }
	poll in_log "cgroups off: no cgroup namespace of its own; services are kept by process group" ||
		{ result "$n" "no fallback line: $(grep cgroups "$T/log" | tr '\n' '|')"; return; }
	[ "$(count "cgroups off")" = 1 ] || { result "$n" "said $(count "cgroups off") times"; return; }
	[ -n "$CGM" ] && [ -e "$CGM$SELF/svc-s1" ] && { result "$n" "a cgroup made in the host's tree"; return; }
	off_said "no cgroup namespace of its own" || { result "$n" "status: $(ctl status | sed -n 2p)"; return; }
	ctl stop s1 >/dev/null && poll state_is s1 stopped && poll no_sleeper 2208 ||
		{ result "$n" "stop s1: $(tstate s1)"; return; }
	ctl start s1 >/dev/null && poll state_is s1 running && poll sleeper 2208 >/dev/null ||
		{ result "$n" "start s1: $(tstate s1)"; return; }
	poll orphan_ready one || { result "$n" "no orphan"; return; }
	poll sleeper 2209 >/dev/null || { result "$n" "leak did not run"; return; }
	: >"$T/gate.one"
	l=$(orphan_line one leak)
	poll in_log "$l" || { result "$n" "no '$l': $(grep 'reaped orphan' "$T/log" | tr '\n' '|')"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# 6. A read-only cgroup2 tree: reaper cannot make its leaf; said once with
# the reason, and services run as without cgroups.
t_fallback_ro() {
	local n="a read-only cgroup2 tree: said why, services still run" l
	write_leak "$ROOT/ro"
	cgstart ro -r <<-EOF || { result "$n" "reaper did not start"; return; }
	service s1 sleep 2210
	service leak sh $ROOT/ro/leak.sh $ROOT/ro one plain 2211
	EOF
	poll sleeper 2210 >/dev/null || { result "$n" "s1 did not start"; return; }
	in_log "cgroups off: unable to make /sys/fs/cgroup/reaper: Read-only file system" ||
		{ result "$n" "no reason: $(grep cgroups "$T/log" | tr '\n' '|')"; return; }
	off_said "unable to make /sys/fs/cgroup/reaper: Read-only file system" ||
		{ result "$n" "status: $(ctl status | sed -n 2p)"; return; }
	[ "$(count "cgroups off")" = 1 ] || { result "$n" "said $(count "cgroups off") times"; return; }
	ctl stop s1 >/dev/null && poll state_is s1 stopped && poll no_sleeper 2210 ||
		{ result "$n" "stop s1: $(tstate s1)"; return; }
	ctl start s1 >/dev/null && poll state_is s1 running && poll sleeper 2210 >/dev/null ||
		{ result "$n" "start s1: $(tstate s1)"; return; }
	poll orphan_ready one || { result "$n" "no orphan"; return; }
	poll sleeper 2211 >/dev/null || { result "$n" "leak did not run"; return; }
	: >"$T/gate.one"
	l=$(orphan_line one leak)
	poll in_log "$l" || { result "$n" "no '$l'"; return; }
	result "$n" ""
}

# 6b. No cgroup2 at all (a kernel or machine without it): said once with
# the reason; services, their stop and start, and provenance by session work.
t_fallback_none() {
	local n="no cgroup2 at all: said why, services and provenance by session" l
	write_leak "$ROOT/none"
	cgstart none -n <<-EOF || { result "$n" "reaper did not start"; return; }
	service s1 sleep 2213
	service leak sh $ROOT/none/leak.sh $ROOT/none one plain 2214
	EOF
	poll sleeper 2213 >/dev/null || { result "$n" "s1 did not start"; return; }
	in_log "cgroups off: no cgroup2 mount shows reaper's cgroup /; services are kept by process group" ||
		{ result "$n" "no reason: $(grep cgroups "$T/log" | tr '\n' '|')"; return; }
	[ "$(count "cgroups off")" = 1 ] || { result "$n" "said $(count "cgroups off") times"; return; }
	off_said "no cgroup2 mount shows reaper's cgroup /" ||
		{ result "$n" "status: $(ctl status | sed -n 2p)"; return; }
	ctl stop s1 >/dev/null && poll state_is s1 stopped && poll no_sleeper 2213 ||
		{ result "$n" "stop s1: $(tstate s1)"; return; }
	ctl start s1 >/dev/null && poll state_is s1 running && poll sleeper 2213 >/dev/null ||
		{ result "$n" "start s1: $(tstate s1)"; return; }
	poll orphan_ready one || { result "$n" "no orphan"; return; }
	poll sleeper 2214 >/dev/null || { result "$n" "leak did not run"; return; }
	: >"$T/gate.one"
	l=$(orphan_line one leak)
	poll in_log "$l" || { result "$n" "no '$l'"; return; }
	result "$n" ""
}

# 7. Another process in reaper's cgroup (one it cannot even see): the cgroup
# is not reaper's to divide; said once, and services run as without cgroups.
t_fallback_shared() {
	local n="a cgroup shared with another process: said why, services still run"
	cgstart shared -s <<-EOF || { result "$n" "reaper did not start"; return; }
	service s1 sleep 2212
	EOF
	poll sleeper 2212 >/dev/null || { result "$n" "s1 did not start"; return; }
	in_log "cgroups off: other processes share reaper's cgroup; services are kept by process group" ||
		{ result "$n" "no reason: $(grep cgroups "$T/log" | tr '\n' '|')"; return; }
	[ "$(count "cgroups off")" = 1 ] || { result "$n" "said $(count "cgroups off") times"; return; }
	[ -e "$CG/svc-s1" ] && { result "$n" "a cgroup made in a shared one"; return; }
	off_said "other processes share reaper's cgroup" || { result "$n" "status: $(ctl status | sed -n 2p)"; return; }
	ctl stop s1 >/dev/null && poll state_is s1 stopped && poll no_sleeper 2212 ||
		{ result "$n" "stop s1: $(tstate s1)"; return; }
	ctl start s1 >/dev/null && poll state_is s1 running && poll sleeper 2212 >/dev/null ||
		{ result "$n" "start s1: $(tstate s1)"; return; }
	result "$n" ""
}

prereq() {
	echo "not ok - prerequisites: $1"
	echo "cgroup: 0 passed, 1 failed"
	exit 1
}
for x in "$CTL" "$H/cgns"; do
	[ -x "$x" ] || prereq "$x is missing (build with make ns)"
done
[ -n "$CGM" ] || prereq "no cgroup2 tree on this host"
mkdir "$CGBASE" 2>/dev/null || prereq "unable to make $CGBASE"

for t in ${ONLY:-t_daemon_stop t_stopped_when_gone t_restart_no_overlap t_orphans_named \
	t_fallback_no_ns t_fallback_ro t_fallback_none t_fallback_shared}; do
	"$t"
done
echo "cgroup: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
