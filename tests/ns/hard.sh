#!/bin/bash
# Real faults and load, and security checks, on the real binary as PID 1 of
# a new PID namespace: fork and fd limits, a signal storm, 20,000 orphans,
# broken config files, stubborn services; fds, privileges, the control
# socket, no shell, config ownership. Prints "ok - NAME" or "not ok - NAME:
# why" per test and "hard: N passed, N failed" last. Every wait is a
# bounded poll.

. "$(dirname "$0")/syslib.sh"
CTL=$(dirname "$REAPER")/reaperctl
# A uid of our own: RLIMIT_NPROC counts every process of the real uid.
U=$((40000 + $$ % 20000))

ctl() { "$CTL" --socket "$T/sock" "$@"; }
# For the heavy steps (20,000 forks, 100,000 signals) on a busy machine: up to 60 s.
poll_long() { POLL_TRIES=1200 poll "$@"; }
field() { ctl status | awk -v n="$1" -v f="$2" '$1 == n { print $f }'; }
state_is() { [ "$(field "$1" 3)" = "$2" ]; }
orphans_reaped() { ctl status | sed -n 's/.*orphans adopted and reaped: \([0-9]*\).*/\1/p'; }
count_in_log() { grep -c -- "$1" "$T/log"; }
log_has_n() { [ "$(count_in_log "$1")" -ge "$2" ]; }

# Like start, with a wrapper (setpriv, prlimit) between unshare and reaper.
start_as() {
	T=$ROOT/$1
	shift
	mkdir -p "$T"
	chmod 777 "$T"
	{ echo "set control=$T/sock"; cat; } >"$T/conf"
	[ -z "${CONF_MODE:-}" ] || chmod "$CONF_MODE" "$T/conf"
	timeout -k 2 60 unshare --pid --fork --mount-proc --kill-child "$@" "$REAPER" \
		-f "$T/conf" >"$T/out" 2>"$T/log" &
	UPID=$!
	RPID=
	poll find_reaper || return 1
}

zombies_of() {
	awk -v p="$1" '{ sub(/^.*\) /, ""); if ($1 == "Z" && $2 == p) n++ } END { print n + 0 }' \
		/proc/[0-9]*/stat 2>/dev/null
}
no_zombies() { [ "$(zombies_of "$RPID")" = 0 ]; }
fds_of() { ls "/proc/$1/fd" 2>/dev/null | sort -n | tr '\n' ' ' | sed 's/ $//'; }

# --- real faults and load ---

t_nproc() {
	local n="RLIMIT_NPROC: forks fail, services back off, reaper recovers"
	local REAPER=$PUB/reaper	# run as uid $U: the copy it can reach
	start_as nproc setpriv --reuid=$U --regid=$U --clear-groups prlimit --nproc=3 <<-EOF ||
	service a sleep 3001
	service b sleep 3002
	service c restart-delay=50ms backoff-max=200ms sleep 3003
	EOF
		{ result "$n" "reaper did not start"; return; }
	poll in_log "unable to start c: fork: Resource temporarily unavailable" ||
		{ result "$n" "no fork failure logged"; return; }
	poll state_is c backoff || { result "$n" "c is $(field c 3), want backoff"; return; }
	[ -n "$(sleeper 3001)" ] && [ -n "$(sleeper 3002)" ] || { result "$n" "a or b not running"; return; }
	ctl stop a >/dev/null || { result "$n" "reaperctl stop a failed"; return; }
	poll sleeper 3003 >/dev/null || { result "$n" "c did not start once a freed its slot"; return; }
	poll state_is c running || { result "$n" "c is $(field c 3)"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_fd_limit() {
	local n="fd limit 16: reaper works; at its limit it says what fails, then recovers" i ok=0
	start_as fds prlimit --nofile=16 <<-EOF || { result "$n" "reaper did not start"; return; }
	service web sleep 3101
	service crash restart-delay=50ms backoff-max=100ms sh -c 'exit 1'
	EOF
	poll sleeper 3101 >/dev/null || { result "$n" "web did not start"; return; }
	local pids=()
	for i in $(seq 30); do
		ctl status >"$T/st.$i" 2>&1 &
		pids+=($!)
	done
	wait "${pids[@]}"
	for i in $(seq 30); do grep -q "^web " "$T/st.$i" && ok=$((ok + 1)); done
	[ "$ok" = 30 ] || { result "$n" "$ok of 30 parallel status answered"; return; }
	echo "service more sleep 3102" >>"$T/conf"
	kill -HUP "$RPID"
	poll sleeper 3102 >/dev/null || { result "$n" "reload under the limit did not start 'more'"; return; }
	grep -q "unable to start\|accept: " "$T/log" && { result "$n" "ran out of fds at 16"; return; }
	# Down to the fds it holds: a spawn's pipe and an accept must fail, and say so.
	ls -l "/proc/$RPID/fd" >"$T/fds"
	prlimit --pid "$RPID" --nofile="$(ls "/proc/$RPID/fd" | wc -l)":16 ||
		{ result "$n" "prlimit failed"; return; }
	# (musl says EMFILE as "No file descriptors available")
	poll in_log "unable to start crash: pipe: " ||
		{ result "$n" "no pipe failure logged"; return; }
	ctl status >/dev/null 2>&1 &	# waits in the backlog meanwhile
	poll in_log "control socket: accept: " ||
		{ result "$n" "no accept failure logged; fds: $(awk '{ print $9, $11 }' "$T/fds" | tr "\n" " ")"; return; }
	prlimit --pid "$RPID" --nofile=16:16 || { result "$n" "prlimit failed"; return; }
	i=$(count_in_log "started crash")
	poll log_has_n "started crash" $((i + 2)) || { result "$n" "crash not restarted after the limit rose"; return; }
	poll ctl status >/dev/null || { result "$n" "reaperctl does not work again"; return; }
	[ -n "$(sleeper 3101)" ] || { result "$n" "web lost"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

count_is() { [ "$(cat "$1" 2>/dev/null)" = "$2" ]; }

# reaper (entrypoint mode) found by its command line; its pid in RPID.
reaper_of() {
	local p
	for p in $(pgrep -f -- "$1"); do
		[ "$(readlink "/proc/$p/exe")" = "$REAPER" ] && RPID=$p && return 0
	done
	return 1
}

t_signal_storm() {
	local n="100,000 realtime signals at reaper: every one forwarded" rc
	T=$ROOT/storm
	mkdir -p "$T"
	timeout -k 2 90 unshare --pid --fork --mount-proc --kill-child "$REAPER" -- \
		"$H/rtcount" 40 100000 "$T/count" >"$T/out" 2>"$T/log" &
	UPID=$!
	RPID=
	poll reaper_of "$H/rtcount 40 100000 $T/count" || { result "$n" "reaper did not start"; return; }
	poll test -e "$T/count.ready" || { result "$n" "counter not ready"; return; }
	"$H/storm" "$RPID" 40 100000 >"$T/sent" 2>&1 || { result "$n" "storm: $(cat "$T/sent")"; return; }
	alive "$RPID" || count_is "$T/count" 100000 || { result "$n" "reaper died in the storm"; return; }
	poll_long count_is "$T/count" 100000 || {
		kill -TERM "$RPID"
		poll test -e "$T/count"
		result "$n" "counted $(cat "$T/count" 2>/dev/null) of 100000 ($(cat "$T/sent"))"
		return
	}
	wait "$UPID"
	rc=$?
	UPID=
	[ "$rc" = 0 ] || { result "$n" "exit status $rc"; return; }
	grep -q "unable to forward" "$T/log" && { result "$n" "$(grep -m1 'unable to forward' "$T/log")"; return; }
	result "$n" ""
}

alive() { [ -e "/proc/$1" ] && [ "$(awk '{ sub(/^.*\) /, ""); print $1 }' "/proc/$1/stat" 2>/dev/null)" != Z ]; }
reaped_all() { local k; k=$(orphans_reaped); [ "${k:-0}" -ge 20000 ]; }

t_orphans() {
	local n="20,000 orphans at once: all reaped, no zombie, reaper alive"
	start_as horde <<-EOF || { result "$n" "reaper did not start"; return; }
	service keep sleep 3201
	once horde $H/horde 20000
	EOF
	poll_long in_log "horde exited with status" || { result "$n" "horde did not end"; return; }
	in_log "horde exited with status 0" || { result "$n" "horde: $(cat "$T/out")"; return; }
	grep -q "made 20000" "$T/out" || { result "$n" "horde: $(cat "$T/out")"; return; }
	poll_long reaped_all || { result "$n" "only $(orphans_reaped) orphans reaped"; return; }
	poll_long no_zombies || { result "$n" "$(zombies_of "$RPID") zombies left"; return; }
	[ -n "$(sleeper 3201)" ] || { result "$n" "keep lost"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# The broken files, made once.
bad_files() {
	B=$ROOT/bad
	mkdir -p "$B"
	head -c 20000 /dev/urandom >"$B/random"
	head -c 10485760 /dev/zero | tr '\0' 's' >"$B/10mb"
	seq 100000 | sed 's/^/# line /' >"$B/lines"
	printf 'service a sleep 3303\nservice b sl\0eep 1\n\0\nservice c sleep 3304\n' >"$B/nul"
}

t_bad_check() {
	local n="reaper -n on random bytes, 10 MB, 100,000 lines, NUL bytes" f rc
	T=$ROOT/bad
	for f in random 10mb lines nul; do
		"$REAPER" -n -f "$B/$f" >"$T/$f.out" 2>"$T/$f.err"
		rc=$?
		[ "$rc" = 1 ] || { result "$n" "$f: exit $rc, want 1"; return; }
		grep -q "^reaper: error: $B/$f:[0-9]*: " "$T/$f.err" || { result "$n" "$f: no FILE:LINE error"; return; }
		LC_ALL=C grep -q $'[\x01-\x09\x0b-\x1f\x7f]' "$T/$f.err" &&
			{ result "$n" "$f: control characters in the errors"; return; }
	done
	grep -q "$B/10mb:1: file too large (limit 65536 bytes)" "$T/10mb.err" || { result "$n" "10mb: $(head -1 "$T/10mb.err")"; return; }
	grep -q "$B/lines:1: file too large" "$T/lines.err" || { result "$n" "lines: $(head -1 "$T/lines.err")"; return; }
	[ "$(grep -c "NUL byte" "$T/nul.err")" = 2 ] || { result "$n" "nul: $(cat "$T/nul.err")"; return; }
	result "$n" ""
}

t_bad_boot() {
	local n="booting on a file with NUL bytes: errors named, good entries run"
	start nulboot < "$B/nul" || { result "$n" "reaper did not start"; return; }
	poll sleeper 3303 >/dev/null && poll sleeper 3304 >/dev/null || { result "$n" "good entries not running"; return; }
	in_log "$T/conf:3: NUL byte" && in_log "$T/conf:4: NUL byte" || { result "$n" "errors not named"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_bad_reload() {
	local n="reload onto each broken file loses nothing" f i=0 web
	start badreload <<-EOF || { result "$n" "reaper did not start"; return; }
	service web sleep 3301
	EOF
	web=$(poll sleeper 3301) || { result "$n" "web did not start"; return; }
	cp "$T/conf" "$T/good"
	for f in random 10mb lines nul; do
		cp "$B/$f" "$T/conf"
		kill -HUP "$RPID"
		i=$((i + 1))
		poll log_has_n "nothing changed" $i || { result "$n" "$f: reload not refused"; return; }
		[ "$(sleeper 3301)" = "$web" ] || { result "$n" "$f: web changed"; return; }
		state_is web running || { result "$n" "$f: reaperctl says $(field web 3)"; return; }
	done
	cp "$T/good" "$T/conf"
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_term_ignored() {
	local n="a service that ignores SIGTERM is killed after its stop-timeout"
	start stub <<-EOF || { result "$n" "reaper did not start"; return; }
	service stub stop-timeout=300ms $H/termignore $ROOT/stub/rec $ROOT/stub/ready
	service web sleep 3401
	EOF
	poll test -e "$T/ready" || { result "$n" "stub not ready"; return; }
	ctl stop stub >/dev/null || { result "$n" "reaperctl stop failed"; return; }
	poll in_log "stub did not stop in 300 ms; sending SIGKILL" || { result "$n" "no SIGKILL"; return; }
	poll in_log "stub exited with status 137" || { result "$n" "not killed"; return; }
	poll state_is stub stopped || { result "$n" "stub is $(field stub 3)"; return; }
	grep -q 15 "$T/rec" || { result "$n" "no SIGTERM first"; return; }
	[ -n "$(sleeper 3401)" ] || { result "$n" "web lost"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_die_in_shutdown() {
	local n="services dying during shutdown: none restarted, shutdown completes"
	# s3 stops only once s1 and then s2 are dead and reaped (kill -0 fails
	# only after the reap), so both die while reaper is shutting down.
	mkdir -p "$ROOT/dying"
	cat >"$ROOT/dying/stop" <<-EOF
	touch $ROOT/dying/going
	while kill -0 \$(cat $ROOT/dying/r1) 2>/dev/null; do sleep 0.02; done
	kill -9 \$(cat $ROOT/dying/r2pid)
	while kill -0 \$(cat $ROOT/dying/r2pid) 2>/dev/null; do sleep 0.02; done
	exit 0
	EOF
	start dying <<-EOF || { result "$n" "reaper did not start"; return; }
	service s1 restart-delay=10ms sh -c 'echo \$\$ > $ROOT/dying/r1; while [ ! -e $ROOT/dying/going ]; do sleep 0.02; done; exit 3'
	service s2 restart-delay=10ms sh -c 'echo \$\$ > $ROOT/dying/r2pid; exec sleep 3501'
	service s3 after=s1,s2 sh -c 'trap ". $ROOT/dying/stop" TERM; echo > $ROOT/dying/r3; while :; do sleep 0.02; done'
	shutdown last sh -c 'echo > $ROOT/dying/last'
	EOF
	poll test -e "$T/r1" && poll test -e "$T/r3" && poll sleeper 3501 >/dev/null ||
		{ result "$n" "services not ready"; return; }
	# s3 (after= the others) is stopped first; meanwhile s1 exits 3 and s2
	# is killed by SIGKILL.
	stop_with TERM || { result "$n" "exit status $?"; return; }
	in_log "s1 exited with status 3" || { result "$n" "s1 did not die during shutdown"; return; }
	in_log "s2 exited with status 137" || { result "$n" "s2 was not killed during shutdown"; return; }
	grep -q "restarting" "$T/log" && { result "$n" "$(grep -m1 restarting "$T/log")"; return; }
	[ "$(grep -c "started s1" "$T/log")" = 1 ] || { result "$n" "s1 restarted"; return; }
	test -e "$T/last" || { result "$n" "shutdown entry did not run"; return; }
	result "$n" ""
}

# --- security ---

t_no_fd_leak() {
	local n="children inherit no reaper fd" p f
	start fdleak 9<"$REAPER" <<-EOF || { result "$n" "reaper did not start"; return; }
	service web sleep 3601
	EOF
	p=$(poll sleeper 3601) || { result "$n" "web did not start"; return; }
	f=$(fds_of "$p")
	[ "$f" = "0 1 2" ] || { result "$n" "service fds: $f"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	# Entrypoint mode: the child keeps what reaper inherited (fd 9), nothing of reaper's.
	T=$ROOT/fdleak
	timeout -k 2 30 unshare --pid --fork --mount-proc --kill-child "$REAPER" -- sleep 3602 \
		9<"$REAPER" >/dev/null 2>"$T/log2" &
	UPID=$!
	poll reaper_of "$REAPER -- sleep 3602" || { result "$n" "entrypoint reaper did not start"; return; }
	p=$(poll sleeper 3602) || { result "$n" "entrypoint child did not start"; return; }
	f=$(fds_of "$p")
	case " $f " in *" 9 "*) ;; *) result "$n" "entrypoint child lost fd 9: $f"; return ;; esac
	for f in /proc/"$p"/fd/*; do
		case $(readlink "$f") in
		*signalfd* | socket:*) result "$n" "entrypoint child holds $(readlink "$f")"; return ;;
		esac
	done
	result "$n" ""
}

status_line() { awk -v k="$2:" '$1 == k { $1 = ""; sub(/^ /, ""); print }' "/proc/$1/status"; }
sorted() { tr ' ' '\n' | grep . | sort -n | tr '\n' ' ' | sed 's/ $//'; }

# Uid, Gid, Groups and capabilities of pid, against user and group ids.
ids_are() {
	local p=$1 uid=$2 gid=$3 groups=$4
	[ "$(status_line "$p" Uid | tr -s '\t ' ' ')" = "$uid $uid $uid $uid" ] || { echo "Uid: $(status_line "$p" Uid)"; return 1; }
	[ "$(status_line "$p" Gid | tr -s '\t ' ' ')" = "$gid $gid $gid $gid" ] || { echo "Gid: $(status_line "$p" Gid)"; return 1; }
	[ "$(status_line "$p" Groups | sorted)" = "$(echo "$groups" | sorted)" ] || { echo "Groups: $(status_line "$p" Groups), want $groups"; return 1; }
	[ "$(status_line "$p" CapPrm)" = 0000000000000000 ] || { echo "CapPrm: $(status_line "$p" CapPrm)"; return 1; }
	[ "$(status_line "$p" CapEff)" = 0000000000000000 ] || { echo "CapEff: $(status_line "$p" CapEff)"; return 1; }
}

# A user with supplementary groups in /etc/group (postgres: ssl-cert here), else nobody.
member_user() {
	local u
	for u in $(awk -F: '$4 != "" { print $4 }' /etc/group | tr ',' '\n'); do
		id "$u" >/dev/null 2>&1 && [ "$u" != root ] && { echo "$u"; return; }
	done
	echo nobody
}

t_privileges() {
	local n="privilege drop: uid, gid, groups as configured, no way back" p why mu
	mu=$(member_user)
	cp "$H/noroot" "$ROOT/noroot"
	start priv <<-EOF || { result "$n" "reaper did not start"; return; }
	service a user=nobody sleep 3701
	service b user=$mu sleep 3702
	service c user=$U group=$((U + 1)) sleep 3703
	service d user=nobody group=daemon sleep 3704
	once back user=nobody stdout=$ROOT/priv/back $ROOT/noroot
	EOF
	p=$(poll sleeper 3701) || { result "$n" "a did not start"; return; }
	why=$(ids_are "$p" "$(id -u nobody)" "$(id -g nobody)" "$(id -G nobody)") || { result "$n" "nobody: $why"; return; }
	p=$(poll sleeper 3702) || { result "$n" "b did not start"; return; }
	why=$(ids_are "$p" "$(id -u "$mu")" "$(id -g "$mu")" "$(id -G "$mu")") || { result "$n" "$mu: $why"; return; }
	p=$(poll sleeper 3703) || { result "$n" "c did not start"; return; }
	why=$(ids_are "$p" "$U" "$((U + 1))" "$((U + 1))") || { result "$n" "numeric: $why"; return; }
	p=$(poll sleeper 3704) || { result "$n" "d did not start"; return; }
	why=$(ids_are "$p" "$(id -u nobody)" "$(id -g daemon)" "$(id -g daemon) $(id -G nobody | tr ' ' '\n' | grep -vx "$(id -g nobody)")") ||
		{ result "$n" "nobody:daemon: $why"; return; }
	poll in_log "back exited with status" || { result "$n" "noroot did not end"; return; }
	in_log "back exited with status 0" || { result "$n" "a way back to root: $(flat "$T/back")"; return; }
	grep -q "^setuid(0): Operation not permitted" "$T/back" || { result "$n" "noroot: $(flat "$T/back")"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

as_user() { setpriv --reuid=$U --regid=$U --clear-groups "$PUB/reaperctl" --socket "$T/sock" "$@"; }

t_socket_others() {
	local n="the control socket refuses other users" rc web
	start sockperm <<-EOF || { result "$n" "reaper did not start"; return; }
	service web sleep 3801
	EOF
	web=$(poll sleeper 3801) || { result "$n" "web did not start"; return; }
	[ "$(stat -c %a "$T/sock")" = 600 ] || { result "$n" "socket mode $(stat -c %a "$T/sock")"; return; }
	for req in status "stop web" poweroff; do
		as_user $req >"$T/o" 2>"$T/e"
		rc=$?
		[ "$rc" = 1 ] || { result "$n" "uid $U '$req': exit $rc, want 1"; return; }
		grep -q "refused" "$T/e" || { result "$n" "uid $U '$req': $(cat "$T/e")"; return; }
	done
	[ "$(sleeper 3801)" = "$web" ] || { result "$n" "web changed"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

t_no_shell() {
	local n="commands are exec'd literally, a shell only with sh -c"
	start noshell <<-EOF || { result "$n" "reaper did not start"; return; }
	once semi stdout=$ROOT/noshell/semi /bin/echo a;touch $ROOT/noshell/m1
	once subst stdout=$ROOT/noshell/subst /bin/echo '\$(touch $ROOT/noshell/m2)' '\`touch $ROOT/noshell/m3\`'
	once glob stdout=$ROOT/noshell/glob /bin/echo $ROOT/noshell/*
	once shell sh -c 'touch $ROOT/noshell/m4'
	EOF
	poll test -e "$T/m4" || { result "$n" "sh -c did not run"; return; }
	poll lines "$T/glob" 1 && poll lines "$T/subst" 1 && poll lines "$T/semi" 1 || { result "$n" "echo did not run"; return; }
	[ "$(cat "$T/semi")" = "a;touch $T/m1" ] || { result "$n" "semi: $(cat "$T/semi")"; return; }
	[ "$(cat "$T/subst")" = "\$(touch $T/m2) \`touch $T/m3\`" ] || { result "$n" "subst: $(cat "$T/subst")"; return; }
	[ "$(cat "$T/glob")" = "$T/*" ] || { result "$n" "glob: $(cat "$T/glob")"; return; }
	for m in m1 m2 m3; do
		[ -e "$T/$m" ] && { result "$n" "$m created: a shell ran"; return; }
	done
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

# -n FILE's stderr after chown/chmod: the warning, or none.
owner_warns() {
	local f=$T/conf.$1 want=$4
	echo "service web sleep 1" >"$f"
	chown "$2" "$f" && chmod "$3" "$f" || return 1
	"$REAPER" -n -f "$f" 2>"$f.err" || { echo "exit $?"; return 1; }
	if [ -z "$want" ]; then
		[ -s "$f.err" ] && { echo "$1: $(cat "$f.err")"; return 1; }
	else
		grep -q "^reaper: warning: config $f $want" "$f.err" || { echo "$1: $(cat "$f.err")"; return 1; }
	fi
	return 0
}

t_config_owner() {
	local n="a config writable by others than root is warned about" why
	T=$ROOT/owner
	mkdir -p "$T"
	why=$(owner_warns ok 0:0 644 "") &&
	why=$(owner_warns rootgroup 0:0 664 "") &&
	why=$(owner_warns world 0:0 646 "is writable by everyone (mode 0646)") &&
	why=$(owner_warns group 0:$U 664 "is writable by group $U (mode 0664)") &&
	why=$(owner_warns user $U:0 644 "is owned by uid $U, not root") || { result "$n" "$why"; return; }
	# And at boot, in the log.
	CONF_MODE=666 start_as ownerboot <<-EOF || { result "$n" "reaper did not start"; return; }
	service web sleep 3901
	EOF
	poll sleeper 3901 >/dev/null || { result "$n" "web did not start"; return; }
	in_log "warning: config $T/conf is writable by everyone" || { result "$n" "no warning at boot"; return; }
	stop_with TERM || { result "$n" "exit status $?"; return; }
	result "$n" ""
}

bad_files
# With arguments or ONLY="t_a t_b", only the tests named (make mutants, debugging).
for t in ${*:-${ONLY:-t_nproc t_fd_limit t_signal_storm t_orphans t_bad_check t_bad_boot t_bad_reload t_term_ignored t_die_in_shutdown t_no_fd_leak t_privileges t_socket_others t_no_shell t_config_owner}}; do
	"$t"
done
echo "hard: $PASSED passed, $FAILED failed"
[ "$FAILED" = 0 ]
