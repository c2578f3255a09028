#!/bin/bash
# Not root: reaper as PID 1 of a PID namespace, run as uid 1000 (podman run
# --user 1000), with the control socket's fallback. Each run has private
# /tmp and /run (tmpfs in a mount namespace of its own): the host's stay
# untouched. Prints "ok - NAME" / "not ok - NAME: why" and
# "user: N passed, N failed" last. Every wait is a bounded poll.

. "$(dirname "$0")/syslib.sh"
PY=${PYTHON:-/usr/bin/python3}
U=1000
AS="setpriv --reuid=$U --regid=$U --clear-groups"
SOCK=/tmp/reaper-$U/reaper.sock

# Boot reaper on the config from stdin: usage ustart NAME AS SETUP [ARG...].
# In a new mount namespace /run and /tmp become fresh tmpfs, /tmp/bin holds
# copies of reaper and reaperctl that uid 1000 can run, SETUP runs as root
# (plant a symlink...), then reaper runs as AS (a setpriv, or "" for root).
ustart() {
	local name=$1 as=$2 setup=$3
	shift 3
	T=$ROOT/$name
	mkdir -p "$T/priv"
	cat >"$T/conf"
	cat >"$T/boot.sh" <<-EOF
	set -e
	mount -t tmpfs -o mode=755 tmpfs /run
	mount -t tmpfs -o mode=1777 tmpfs $T/priv
	mkdir $T/priv/bin
	cp $PUB/reaper $T/conf $T/priv/bin/
	ln -s reaper $T/priv/bin/reaperctl
	chmod 755 $T/priv/bin
	mount --bind $T/priv /tmp
	$setup
	exec env -u XDG_RUNTIME_DIR \${XDG:+XDG_RUNTIME_DIR=\$XDG} $as /tmp/bin/reaper -f /tmp/bin/conf $*
	EOF
	timeout -k 2 30 unshare --mount --propagation private --pid --fork --mount-proc \
		--kill-child sh "$T/boot.sh" >"$T/out" 2>"$T/log" &
	UPID=$!
	RPID=
	poll find_ureaper || return 1
	poll in_log "system up"
}

# The host pid of this run's reaper: the child of the unshare under $UPID.
find_ureaper() {
	local u p
	for u in $(pgrep -P "$UPID" -x unshare); do
		for p in $(pgrep -P "$u"); do
			[ "$(readlink "/proc/$p/exe")" = /tmp/bin/reaper ] && { RPID=$p; return 0; }
		done
	done
	return 1
}

# Run "$@" in reaper's mount namespace (its /tmp), as uid 1000 with no XDG_RUNTIME_DIR.
inside() { nsenter -t "$RPID" -m env -u XDG_RUNTIME_DIR $AS "$@"; }
uctl() { inside /tmp/bin/reaperctl "$@"; }
web_pid() { uctl status | awk '$1 == "web" && $3 == "running" { print $4 }'; }
web_moved() { local p; p=$(web_pid); [ -n "$p" ] && [ "$p" != "$1" ]; }
running() { [ -n "$(web_pid)" ]; }

t_fallback() {
	local n="uid 1000, no set control=: /tmp/reaper-1000/reaper.sock, found by reaperctl" st
	ustart fallback "$AS" "" <<-EOF || { result "$n" "reaper did not start: $(tail -n 3 "$T/log")"; return; }
	service web sleep 7401
	EOF
	[ "$(stat -c %u "/proc/$RPID")" = $U ] || { result "$n" "reaper not uid $U"; return; }
	in_log "control socket at $SOCK (/run/reaper.sock: Permission denied)" ||
		{ result "$n" "no info line: $(grep -i control "$T/log")"; return; }
	st=$(nsenter -t "$RPID" -m stat -c '%a %u %F' /tmp/reaper-$U)
	[ "$st" = "700 $U directory" ] || { result "$n" "folder: $st"; return; }
	poll running || { result "$n" "status (no --socket) failed: $(uctl status 2>&1 | tail -n 2)"; return; }
	uctl status | grep -qx "control: $SOCK" || { result "$n" "no control: line: $(uctl status | head -n 4)"; return; }
	uctl status --json | "$PY" -c "import json,sys; assert json.load(sys.stdin)['control'] == '$SOCK'" ||
		{ result "$n" "status --json control"; return; }
	# reaper's own user may change things too (it could signal them anyway).
	st=$(web_pid)
	[ -n "$st" ] || { result "$n" "no web pid: $(uctl status | head -n 3)"; return; }
	uctl restart web >"$T/ctl.out" 2>&1 || { result "$n" "restart: $(cat "$T/ctl.out")"; return; }
	poll web_moved "$st" || { result "$n" "web not restarted: $(uctl status | head -n 3)"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# Each folder that is not a private one of uid 1000's: refused, one warning, reaper runs on.
refused() {	# test-name setup why
	local n="$1"
	ustart refused-$RANDOM "$AS" "$2" <<-EOF || { result "$n" "reaper did not start: $(tail -n 3 "$T/log")"; return; }
	service web sleep 7402
	EOF
	in_log "warning: no control socket: $3 (/run/reaper.sock: Permission denied)" ||
		{ result "$n" "no warning: $(grep -i control "$T/log")"; return; }
	[ "$(grep -c "control socket" "$T/log")" = 1 ] || { result "$n" "more than one line"; return; }
	uctl status >"$T/ctl.out" 2>"$T/ctl.err" && { result "$n" "reaperctl reached something"; return; }
	grep -qF "$3" "$T/ctl.err" || { result "$n" "reaperctl: $(cat "$T/ctl.err")"; return; }
	nsenter -t "$RPID" -m sh -c '[ -z "$(ls -A /tmp/elsewhere 2>/dev/null)" ]' ||
		{ result "$n" "a socket went through the symlink"; return; }
	poll sleeper 7402 >/dev/null || { result "$n" "web does not run"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }	# alive, and ends cleanly
	result "$n" ""
}

t_symlink() {
	refused "a symlinked /tmp/reaper-1000 is refused; reaper runs on" \
		"mkdir /tmp/elsewhere; chown $U /tmp/elsewhere; ln -s /tmp/elsewhere /tmp/reaper-$U" \
		"/tmp/reaper-$U is a symlink"
}

t_not_owned() {
	refused "a /tmp/reaper-1000 of root's is refused" "mkdir -m 700 /tmp/reaper-$U" \
		"/tmp/reaper-$U belongs to uid 0, not $U"
}

t_open_mode() {
	refused "a /tmp/reaper-1000 with group or other bits is refused" \
		"mkdir -m 750 /tmp/reaper-$U; chown $U /tmp/reaper-$U" \
		"/tmp/reaper-$U is open to others: mode 0750"
}

t_tmp_open() {
	refused "a /tmp that is not sticky is refused" "chmod 777 /tmp" \
		"/tmp may be written by others and is not sticky: mode 0777"
}

t_explicit() {
	local n="set control=PATH never falls back"
	ustart explicit "$AS" "" <<-EOF || { result "$n" "reaper did not start: $(tail -n 3 "$T/log")"; return; }
	set control=/run/r.sock
	service web sleep 7403
	EOF
	in_log "unable to listen on /run/r.sock; no reaperctl: Permission denied" ||
		{ result "$n" "no warning: $(grep -i control "$T/log")"; return; }
	nsenter -t "$RPID" -m test -e /tmp/reaper-$U && { result "$n" "/tmp/reaper-$U made"; return; }
	# reaperctl: no folder, so nothing to connect to there (nor anything made).
	uctl status >/dev/null 2>"$T/ctl.err" && { result "$n" "reaperctl reached something"; return; }
	grep -qF "cannot reach reaper at /run/reaper.sock: No such file or directory, nor at $SOCK: No such file or directory" "$T/ctl.err" ||
		{ result "$n" "reaperctl: $(cat "$T/ctl.err")"; return; }
	nsenter -t "$RPID" -m test -e /tmp/reaper-$U && { result "$n" "reaperctl made /tmp/reaper-$U"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_xdg() {
	local n="XDG_RUNTIME_DIR of uid 1000's: the socket there, reaperctl finds it"
	XDG=/tmp/xdg ustart xdg "$AS" "mkdir -m 700 /tmp/xdg; chown $U /tmp/xdg" <<-EOF ||
	service web sleep 7404
	EOF
		{ result "$n" "reaper did not start: $(tail -n 3 "$T/log")"; return; }
	in_log "control socket at /tmp/xdg/reaper.sock (/run/reaper.sock: Permission denied)" ||
		{ result "$n" "no info line: $(grep -i control "$T/log")"; return; }
	nsenter -t "$RPID" -m env XDG_RUNTIME_DIR=/tmp/xdg $AS /tmp/bin/reaperctl status |
		grep -qx "control: /tmp/xdg/reaper.sock" || { result "$n" "reaperctl did not find it"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# reaper with no XDG_RUNTIME_DIR, reaperctl with one: it tries there, then /tmp/reaper-1000.
t_xdg_client() {
	local n="reaperctl with an XDG_RUNTIME_DIR reaper did not have finds /tmp/reaper-1000"
	ustart xdgc "$AS" "mkdir -m 700 /tmp/xdg; chown $U /tmp/xdg" <<-EOF ||
	service web sleep 7409
	EOF
		{ result "$n" "reaper did not start: $(tail -n 3 "$T/log")"; return; }
	in_log "control socket at $SOCK (/run/reaper.sock: Permission denied)" ||
		{ result "$n" "no info line: $(grep -i control "$T/log")"; return; }
	nsenter -t "$RPID" -m env XDG_RUNTIME_DIR=/tmp/xdg $AS /tmp/bin/reaperctl status >"$T/ctl.out" 2>&1 ||
		{ result "$n" "reaperctl: $(cat "$T/ctl.out")"; return; }
	grep -qx "control: $SOCK" "$T/ctl.out" || { result "$n" "control: $(head -n 4 "$T/ctl.out")"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_root() {
	local n="root keeps /run/reaper.sock; a read-only /run sends it to /tmp/reaper-0"
	ustart root "" "" <<-EOF || { result "$n" "reaper did not start: $(tail -n 3 "$T/log")"; return; }
	service web sleep 7405
	EOF
	grep -qi "control socket" "$T/log" && { result "$n" "said: $(grep -i control "$T/log")"; return; }
	nsenter -t "$RPID" -m /tmp/bin/reaperctl status | grep -qx "control: /run/reaper.sock" ||
		{ result "$n" "not at /run/reaper.sock"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	ustart rootro "" "mount -o remount,ro /run" <<-EOF || { result "$n" "reaper did not start: $(tail -n 3 "$T/log")"; return; }
	service web sleep 7405
	EOF
	in_log "control socket at /tmp/reaper-0/reaper.sock (/run/reaper.sock: Read-only file system)" ||
		{ result "$n" "read-only /run: $(grep -i control "$T/log")"; return; }
	nsenter -t "$RPID" -m env -u XDG_RUNTIME_DIR /tmp/bin/reaperctl status |
		grep -qx "control: /tmp/reaper-0/reaper.sock" || { result "$n" "reaperctl did not find it"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_combined() {
	local n="combined mode as uid 1000: the command reaches reaper with no --socket" rc
	T=$ROOT/combined
	mkdir -p "$T/priv"
	cat >"$T/conf" <<-EOF
	service web sleep 7406
	EOF
	cat >"$T/boot.sh" <<-EOF
	set -e
	mount -t tmpfs -o mode=755 tmpfs /run
	mount -t tmpfs -o mode=1777 tmpfs $T/priv
	mkdir $T/priv/bin
	cp $PUB/reaper $T/conf $T/priv/bin/
	ln -s reaper $T/priv/bin/reaperctl
	chmod 755 $T/priv/bin
	mount --bind $T/priv /tmp
	exec env -u XDG_RUNTIME_DIR $AS /tmp/bin/reaper -f /tmp/bin/conf -- /tmp/bin/reaperctl status
	EOF
	timeout -k 2 30 unshare --mount --propagation private --pid --fork --mount-proc \
		--kill-child sh "$T/boot.sh" >"$T/out" 2>"$T/log"
	rc=$?
	[ "$rc" = 0 ] || { result "$n" "status $rc: $(tail -n 3 "$T/log")"; return; }
	grep -qx "control: $SOCK" "$T/out" || { result "$n" "out: $(head -n 4 "$T/out")"; return; }
	grep -q "^web  *service  *running" "$T/out" || { result "$n" "web not running: $(flat "$T/out")"; return; }
	result "$n" ""
}

# control-group as uid 1000: a group it is not in is not taken (one warning,
# the socket 0600 where it is, no stale file, no other path); its own is.
t_group() {
	local n="uid 1000 with control-group=root: 0600 for uid 1000, one warning; its own group is taken" st g
	ustart group "$AS" "" <<-EOF || { result "$n" "reaper did not start: $(tail -n 3 "$T/log")"; return; }
	set control-group=root
	service web sleep 7407
	EOF
	in_log "warning: control-group root is not taken (Operation not permitted): $SOCK is uid $U's only" ||
		{ result "$n" "no warning: $(grep -i control "$T/log")"; return; }
	in_log "control socket at $SOCK (/run/reaper.sock: Permission denied)" ||
		{ result "$n" "no info line: $(grep -i control "$T/log")"; return; }
	[ "$(grep -c "control" "$T/log")" = 2 ] || { result "$n" "lines: $(grep control "$T/log")"; return; }
	st=$(nsenter -t "$RPID" -m stat -c '%a %u %F' $SOCK)
	[ "$st" = "600 $U socket" ] || { result "$n" "socket: $st"; return; }
	poll running || { result "$n" "reaperctl: $(uctl status 2>&1 | tail -n 2)"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	g=$(getent group $U | cut -d: -f1)
	[ -n "$g" ] || { result "$n" ""; return; }	# no name for gid 1000 here
	ustart group-own "$AS" "" <<-EOF || { result "$n" "reaper did not start: $(tail -n 3 "$T/log")"; return; }
	set control-group=$g
	service web sleep 7407
	EOF
	grep -q "control-group" "$T/log" && { result "$n" "own group: $(grep control-group "$T/log")"; return; }
	st=$(nsenter -t "$RPID" -m stat -c '%a %g' $SOCK)
	[ "$st" = "660 $U" ] || { result "$n" "own group: socket $st"; return; }
	poll running || { result "$n" "own group: reaperctl: $(uctl status 2>&1 | tail -n 2)"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# /run/reaper.sock of root's (the host's reaper), that uid 1000 may neither ask nor remove.
t_foreign() {
	local n="a /run/reaper.sock of root's: uid 1000 uses its own path, reaperctl finds it"
	ustart foreign "$AS" "$PY -c 'import socket; socket.socket(socket.AF_UNIX).bind(\"/run/reaper.sock\")'; chmod 600 /run/reaper.sock" <<-EOF ||
	service web sleep 7408
	EOF
		{ result "$n" "reaper did not start: $(tail -n 3 "$T/log")"; return; }
	in_log "control socket at $SOCK (/run/reaper.sock: Permission denied)" ||
		{ result "$n" "no info line: $(grep -i control "$T/log")"; return; }
	nsenter -t "$RPID" -m test -S /run/reaper.sock || { result "$n" "root's socket gone"; return; }
	poll running || { result "$n" "reaperctl: $(uctl status 2>&1 | tail -n 2)"; return; }
	uctl status | grep -qx "control: $SOCK" || { result "$n" "control: $(uctl status | head -n 4)"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# ONLY="t_a t_b": just those tests (make mutants, debugging).
for t in ${ONLY:-t_fallback t_symlink t_not_owned t_open_mode t_tmp_open t_explicit t_xdg t_xdg_client t_root t_combined t_group t_foreign}; do
	"$t"
done
echo "user: $PASSED passed, $FAILED failed"
[ "$FAILED" -eq 0 ]
