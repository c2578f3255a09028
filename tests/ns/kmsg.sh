#!/bin/bash
# stdout=kmsg / stderr=kmsg: services' output cut into lines, each written
# with the service's name to the kernel log. Here a plain file stands in for
# /dev/kmsg (set kmsg=PATH); the VM tests read the real one. Prints
# "ok - NAME" / "not ok - NAME: why" and "kmsg: N passed, N failed" last.

. "$(dirname "$0")/syslib.sh"
CTL=$(dirname "$REAPER")/reaperctl

# The stand-in for /dev/kmsg: a file that exists, as a device would.
fake_kmsg() { mkdir -p "$ROOT/$1" && : >"$ROOT/$1/kmsg"; }
has() { grep -qxF -- "$2" "$1" 2>/dev/null; }
ctl() { "$CTL" --socket "$T/sock" "$@"; }

t_lines() {
	local n="lines named, info for stdout, warning for stderr, partial line at the end"
	fake_kmsg lines
	start lines <<-EOF || { result "$n" "reaper did not start"; return; }
	set kmsg=$ROOT/lines/kmsg
	service talk stdout=kmsg stderr=kmsg sh -c 'echo one; echo two >&2; printf "three\\nfour"; exec sleep 7101'
	EOF
	poll has "$T/kmsg" "<6>talk: three" || { result "$n" "no three: $(flat "$T/kmsg")"; return; }
	poll has "$T/kmsg" "<4>talk: two" || { result "$n" "no two on warning level"; return; }
	# "four" has no newline yet: it waits for the end of the stream.
	has "$T/kmsg" "<6>talk: four" && { result "$n" "partial line sent early"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	[ "$(grep '^<6>' "$T/kmsg" | tr '\n' ' ')" = "<6>talk: one <6>talk: three <6>talk: four " ] ||
		{ result "$n" "stdout records: $(flat "$T/kmsg")"; return; }
	[ "$(wc -l <"$T/kmsg")" = 4 ] || { result "$n" "records: $(flat "$T/kmsg")"; return; }
	result "$n" ""
}

t_default() {
	local n="set log=kmsg is every service's default; stdout= still wins"
	fake_kmsg default
	start default <<-EOF || { result "$n" "reaper did not start"; return; }
	set log=kmsg kmsg=$ROOT/default/kmsg
	service quiet sh -c 'echo hidden; exec sleep 7102'
	service loud stdout=$ROOT/default/file sh -c 'echo to-file; echo to-kmsg >&2; exec sleep 7103'
	EOF
	poll has "$T/kmsg" "<6>quiet: hidden" || { result "$n" "no quiet line: $(flat "$T/kmsg")"; return; }
	poll has "$T/kmsg" "<4>loud: to-kmsg" || { result "$n" "no loud stderr line"; return; }
	poll has "$T/file" "to-file" || { result "$n" "stdout= file not used"; return; }
	grep -q "to-file" "$T/kmsg" && { result "$n" "stdout= file line also in kmsg"; return; }
	# A service's fds: 0-2 only, none of PID 1's pipes' read ends.
	local p fds; p=$(sleeper 7102)
	fds=$(ls "/proc/$p/fd" | sort -n | tr '\n' ' ')
	[ "$fds" = "0 1 2 " ] || { result "$n" "service fds: $fds"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# 10 MB in 100,000 numbered lines: every one arrives, once, in order.
t_ten_mb() {
	local n="10 MB of output: every line, in order"
	fake_kmsg tenmb
	start tenmb <<-EOF || { result "$n" "reaper did not start"; return; }
	set kmsg=$ROOT/tenmb/kmsg
	service flood restart=never stdout=kmsg seq -f '%0100g' 1 100000
	EOF
	poll_long in_log "flood exited with status 0" || { result "$n" "flood did not end"; return; }
	poll_long lines "$T/kmsg" 100000 || { result "$n" "$(wc -l <"$T/kmsg") records"; return; }
	seq -f '<6>flood: %0100g' 1 100000 | cmp -s - "$T/kmsg" ||
		{ result "$n" "records differ from the output"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}
poll_long() { POLL_TRIES=1200 poll "$@"; }	# 60 s, for the 10 MB

# A service that never stops talking: PID 1 still reaps and answers.
ours() {	# host pids of the processes named $1 in this reaper's namespace
	local p ns; ns=$(readlink "/proc/$RPID/ns/pid")
	for p in $(pgrep -x "$1"); do
		[ "$(readlink "/proc/$p/ns/pid" 2>/dev/null)" = "$ns" ] && echo "$p"
	done
}
orphan_reaped() { ctl events | grep -q "orphan-reaped *kmsg-orphan from orph *pid [0-9]"; }

t_flood_alive() {
	local n="an endless flood does not stop reaping or reaperctl" y
	start flood <<-EOF || { result "$n" "reaper did not start"; return; }
	set kmsg=/dev/null
	service flood stdout=kmsg yes 'a line of output that goes on and on'
	service web sleep 7104
	once orph $H/orphans -n kmsg-orphan 3
	EOF
	poll sleeper 7104 >/dev/null || { result "$n" "web did not start"; return; }
	y=$(ours yes)
	[ -n "$y" ] || { result "$n" "flood not running"; return; }
	ctl status | grep -q "^flood  *service  *running" || { result "$n" "status: $(ctl status | tail -2)"; return; }
	poll orphan_reaped || { result "$n" "no orphan reaped during the flood"; return; }
	kill -KILL "$(sleeper 7104)"
	poll in_log "web exited with status 137" || { result "$n" "a killed service was not reaped"; return; }
	[ "$(ours yes)" = "$y" ] || { result "$n" "the flood ended or restarted"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# ONLY="t_a t_b": just those tests (make mutants, debugging).
for t in ${ONLY:-t_lines t_default t_ten_mb t_flood_alive}; do
	"$t"
done
echo "kmsg: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
