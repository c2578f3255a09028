# In-guest checks of the cgroups scenario (cgroups.conf): reaper is PID 1 on
# the real kernel with every controller, so each entry gets a cgroup of its
# own, limits are enforced, leftovers are contained and orphans are named.
# Checks go by what the cgroup files and reaper's log say, and in what
# order, never by how long anything took. Ends with a busybox poweroff.
. /test/lib.sh
conf=/etc/scenarios/cgroups.conf
cg=/sys/fs/cgroup

# reaper's own log lines, oldest first, without the kernel's stamp and level word
rlog() {
	dmesg | sed -n -e '/\] reaper: /!d' -e 's/^.*\] reaper: //' -e 's/^warning: //' \
		-e 's/^error: //' -e p
}
# Whether the log has lines starting with each argument, in this order
# (other lines may come between).
in_order() {
	rlog | awk -v want="$(printf '%s\n' "$@")" '
		BEGIN { n = split(want, w, "\n"); i = 1 }
		i <= n && index($0, w[i]) == 1 { i++ }
		END { exit i <= n }'
}
count() { rlog | grep -c -- "$1"; }
row() { reaperctl status "$1" | head -n 1; }	# its row; a second line may follow
state() { row "$1" | awk '{ print $3 }'; }
mainpid() { row "$1" | awk '{ print $4 }'; }
restarts() { row "$1" | awk '{ print $6 }'; }
# Running: there, and not a zombie (a zombie has already left its cgroup).
running() { [ -e "/proc/$1" ] && ! grep -q '^[0-9]* ([^)]*) Z' "/proc/$1/stat" 2>/dev/null; }
session() { sed 's/^[0-9]* ([^)]*) //' "/proc/$1/stat" | awk '{ print $4 }'; }
cgroup_of() { sed -n 's/^0:://p' "/proc/$1/cgroup"; }

# cgroups on: reaper in a leaf of its own, one cgroup per running entry,
# the controllers given to them, each process in its entry's cgroup
wait_for test -s /run/web.pid
web=$(cat /run/web.pid)
ok=1
why=""
logged "reaper: cgroups: on, in $cg" || { ok=0; why="$why no 'cgroups: on' line;"; }
[ "$(cat $cg/reaper/cgroup.procs)" = 1 ] ||
	{ ok=0; why="$why reaper/cgroup.procs: $(cat $cg/reaper/cgroup.procs | tr '\n' ' ');"; }
for name in web bomb weighted capped daemon leaker check; do
	[ -d "$cg/svc-$name" ] || { ok=0; why="$why no svc-$name;"; }
done
for c in cpu memory pids; do
	grep -qw $c $cg/cgroup.subtree_control || { ok=0; why="$why no +$c in subtree_control;"; }
done
[ "$(cgroup_of "$web")" = /svc-web ] || { ok=0; why="$why web in $(cgroup_of "$web");"; }
grep -qx "$web" $cg/svc-web/cgroup.procs || { ok=0; why="$why $web not in svc-web;"; }
[ "$(cgroup_of $$)" = /svc-check ] || { ok=0; why="$why this check in $(cgroup_of $$);"; }
[ "$(cat /run/sysinit.cgroup)" = 0::/svc-where ] ||
	{ ok=0; why="$why the sysinit entry ran in $(cat /run/sysinit.cgroup);"; }
[ ! -d $cg/svc-where ] || { ok=0; why="$why svc-where is left after the sysinit entry;"; }
[ $ok = 1 ] && pass "cgroups on: reaper alone in $cg/reaper, svc-NAME per entry" ||
	fail "cgroups on" "$why"

# bad limit values are config errors with FILE:LINE; those entries never run
ok=1
for what in "19: bad value for memory-max=: '12X'" "20: bad value for memory-max=: '2000000G'" \
	"21: bad value for pids-max=: '0'" "22: bad value for cpu-weight=: '10001'"; do
	logged "error: $conf:$what" || { ok=0; why="no '$conf:$what'"; }
done
for name in badsize hugesize nopids heavy; do
	[ ! -d "$cg/svc-$name" ] || { ok=0; why="svc-$name exists"; }
done
[ $ok = 1 ] && pass "bad memory-max=, pids-max=, cpu-weight= are errors at $conf:LINE" ||
	fail "bad limit values are config errors" "$why"

# the limits are in the cgroups' files
lim="$(cat $cg/svc-capped/memory.max $cg/svc-capped/pids.max \
	$cg/svc-bomb/pids.max $cg/svc-weighted/cpu.weight 2>/dev/null | tr '\n' ' ')"
if [ "$lim" = "50331648 4096 16 42 " ] && [ "$(cat $cg/svc-web/memory.max)" = max ] &&
	[ "$(cat $cg/svc-web/pids.max)" = max ] && [ "$(cat $cg/svc-web/cpu.weight)" = 100 ]; then
	pass "memory-max=48M, pids-max=, cpu-weight=42 are in memory.max, pids.max, cpu.weight"
else
	fail "limits in the cgroup files" "capped memory.max pids.max, bomb pids.max, weighted cpu.weight: $lim"
fi

# memory-max: the hog (64 MiB in one buffer, 16 MiB allowed) is OOM-killed
# each run, said so, and restarted with a growing backoff until the limit
if wait_for logged "hog: 3 restarts within 60000 ms; giving up" &&
	in_order "started hog as" "hog exited with status 137, out of memory" \
		"hog: restarting in 100 ms" "started hog as" \
		"hog exited with status 137, out of memory" "hog: restarting in 200 ms" \
		"started hog as" "hog exited with status 137, out of memory" \
		"hog: restarting in 400 ms" "started hog as" \
		"hog exited with status 137, out of memory" \
		"hog: 3 restarts within 60000 ms; giving up" &&
	[ "$(count 'hog exited')" = 4 ] && [ "$(count 'hog exited with status 137, out of memory')" = 4 ] &&
	[ "$(state hog)" = failed ] && [ "$(restarts hog)" = 3 ]; then
	pass "memory-max: the hog is killed out of memory, restarted after 100, 200, 400 ms, given up"
else
	fail "memory-max stops the hog" "$(rlog | grep '^hog' | tr '\n' ';'); status: $(row hog)"
fi
# the entry failed for good: its cgroup is gone once empty
wait_for eval '[ ! -d $cg/svc-hog ]' && pass "the given-up hog's cgroup is removed" ||
	fail "the given-up hog's cgroup is removed" "$cg/svc-hog is still there"

# pids-max: the fork bomb fills its cgroup and no more; the rest keep running
if wait_for test -s /run/bomb.refused && [ "$(cat /run/bomb.refused)" = "refused EAGAIN" ] &&
	[ "$(cat $cg/svc-bomb/pids.current)" = 16 ] &&
	[ "$(sed -n 's/^max //p' $cg/svc-bomb/pids.events)" -gt 0 ]; then
	pass "pids-max=16 contains the fork bomb: 16 processes, fork refused with EAGAIN"
else
	fail "pids-max contains the fork bomb" "$(cat /run/bomb.refused 2>&1), \
pids.current $(cat $cg/svc-bomb/pids.current), $(cat $cg/svc-bomb/pids.events)"
fi
n=$(reaperctl status | grep -c ' service  running ')
if running "$web" && [ "$(state bomb)" = running ] && [ "$(state weighted)" = running ] &&
	[ "$n" -ge 6 ] && reaperctl tree >/dev/null; then
	pass "during the bomb: the other services run, reaperctl status and tree answer"
else
	fail "other services keep running during the bomb" "web $(running "$web" && echo up), $n running"
fi
bomb=$(mainpid bomb)
reaperctl stop bomb >/dev/null
if wait_for eval '[ "$(state bomb)" = stopped ]' && ! running "$bomb" &&
	wait_for eval '[ ! -d $cg/svc-bomb ]' &&
	wait_for eval '[ "$(count "reaped orphan [0-9]* (bomb) from bomb: killed by signal 15")" = 15 ]'; then
	pass "reaperctl stop bomb: all 16 gone, 15 orphans reaped from bomb, cgroup removed"
else
	fail "reaperctl stop bomb" "$(row bomb); $(count '(bomb) from bomb') orphans from bomb"
fi

# a double-forking setsid daemon: outside the service's session and process
# group, inside its cgroup, and gone after reaperctl stop
wait_for test -s /run/daemon.pid
d=$(cat /run/daemon.pid)
main=$(mainpid daemon)
if running "$d" && [ "$(cgroup_of "$d")" = /svc-daemon ] &&
	[ "$(session "$d")" != "$(session "$main")" ]; then
	pass "the setsid daemon $d is in a session of its own and in svc-daemon"
else
	fail "the setsid daemon" "pid $d, cgroup $(cgroup_of "$d"), session $(session "$d") vs $(session "$main")"
fi
reaperctl stop daemon >/dev/null
if wait_for eval '[ "$(state daemon)" = stopped ]' && ! running "$d" && ! running "$main" &&
	wait_for logged "reaped orphan $d (sleep) from daemon: killed by signal 15 (TERM)" &&
	wait_for eval '[ ! -d $cg/svc-daemon ]' &&
	in_order "reaperctl: stop daemon" "daemon exited with status 143"; then
	pass "reaperctl stop daemon: the double-forked daemon is gone, reaped from daemon"
else
	fail "the setsid daemon is gone after stop" "$(row daemon); $d running: $(running "$d" && echo yes)"
fi

# a main process that exits leaving a setsid daemon: the rest is stopped,
# and only then the restart (never beside the old leftover)
if wait_for logged "leaves: 1 restarts within 60000 ms; giving up"; then
	set -- $(cat /run/leaves.pids)
	if [ $# = 2 ] && ! running "$1" && ! running "$2" &&
		in_order "started leaves as" "leaves exited with status 0" \
			"leaves: stopping what is left of it" "leaves stopped" \
			"leaves: restarting in 100 ms" "started leaves as" \
			"leaves exited with status 0" "leaves: stopping what is left of it" \
			"leaves stopped" "leaves: 1 restarts within 60000 ms; giving up" &&
		in_order "reaped orphan $1 (sleep) from leaves: killed by signal 15" "started leaves as" &&
		wait_for logged "reaped orphan $2 (sleep) from leaves: killed by signal 15"; then
		pass "a leftover daemon is stopped before the restart; both reaped from leaves"
	else
		fail "leftovers stopped before the restart" "pids $*; $(rlog | grep 'leaves' | tr '\n' ';')"
	fi
else
	fail "leftovers stopped before the restart" "$(rlog | grep 'leaves' | tr '\n' ';')"
fi

# provenance: orphans of a running service, one in a session of its own
if wait_for logged "reaped orphan [0-9]* (sleep) from leaker: exited 0" &&
	wait_for logged "reaped orphan [0-9]* (usleep) from leaker: exited 0"; then
	pass "orphans are reaped 'from leaker', the setsid one too"
else
	fail "orphans named by their service" "$(rlog | grep 'reaped orphan' | tail -n 3 | tr '\n' ';')"
fi
[ "$(count 'reaped orphan [0-9]* ([a-z]*): ')" = 0 ] &&
	pass "every orphan reaped here names its entry" ||
	fail "every orphan names its entry" "$(rlog | grep 'reaped orphan [0-9]* ([a-z]*): ' | head -n 3)"

# status: cgroups on, and what an entry's cgroup used (busybox: no JSON tool,
# so the fields are cut out of capped's object)
json_of() { reaperctl status --json | tr '{' '\n' | grep "^\"name\":\"$1\""; }
num_of() { echo "$1" | sed -n "s/.*\"$2\":\([0-9][0-9]*\).*/\1/p"; }
j=$(json_of capped)
mem=$(num_of "$j" memory_bytes) cpu=$(num_of "$j" cpu_usec)
jw=$(json_of web)
if reaperctl status | grep -qx "cgroups: on (/sys/fs/cgroup)" &&
	[ "${mem:-0}" -gt 0 ] && [ -n "$(num_of "$j" memory_peak_bytes)" ] &&
	[ -n "$cpu" ] && [ "$(num_of "$jw" cpu_usec)" -gt 0 ] 2>/dev/null &&
	reaperctl status capped | grep -q "memory [0-9.]* [KMG]iB (peak [0-9.]* [KMG]iB); cpu [0-9.]* s"; then
	pass "status: cgroups on; memory ($mem bytes), its peak and CPU time per entry"
else
	fail "usage in status" "capped: $j; web: $jw"
fi
if json_of hog | grep -q '"last_exit_oom":true' &&
	reaperctl status hog | grep -q "signal 9, out of memory"; then
	pass "status shows the hog's last exit as out of memory"
else
	fail "out of memory in status" "$(json_of hog); $(reaperctl status hog | head -n 1)"
fi

summary cgroups
poweroff
