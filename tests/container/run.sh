#!/bin/bash
# Container tests: the real static reaper in podman (runc), as --init, as
# ENTRYPOINT, in combined and service-only mode, as another user, read-only,
# and in a Kubernetes pod (kube play) beside and as the infra container.
#
# usage: tests/container/run.sh [PATTERN]...    (as root; PATTERN: run only the
#        checks whose name contains one)
# env:   REAPER (default build/reaper); KEEP=1 keeps the work folder.
#
# Everything lives in a folder of its own under the build folder: its own
# containers.conf and storage.conf (the store, run root, podman's tmp dir and
# file locks), so it never meets another podman user's images, containers or
# locks; names carry the run's pid as well. The images are made offline:
# `podman import` of a busybox-static rootfs with reaper in it, and `podman
# build --pull=never` on top. All is removed at the end, passed or not.
#
# Prints "ok - NAME", "not ok - NAME: why" or "skip - NAME: why" per check,
# then "containers: N passed, N failed, N skipped" last. A check that cannot
# run here is skipped, never passed. Every wait is a bounded poll.

set -u
export LC_ALL=C

HERE=$(cd "$(dirname "$0")" && pwd)
REAPER=$(realpath -m "${REAPER:-build/reaper}")
B=$(dirname "$REAPER")
PATTERNS=("$@")
POLL_TRIES=200			# lib.sh's poll: 200 x 50 ms, for what the host sees alone
WAIT_S=15			# within: seconds for a wait that asks podman each time
PM_TMO=90			# seconds for any one podman command
PASSED=0
FAILED=0
SKIPPED=0
. "$HERE/../ns/lib.sh"

# Run "$@" every 50 ms until it succeeds, for at most $1 seconds (a try that
# asks podman takes a tenth of a second or more, so a count of tries is no bound).
within() {
	local end=$(($(now_ms) + $1 * 1000))
	shift
	while :; do
		"$@" && return 0
		[ "$(now_ms)" -lt "$end" ] || return 1
		sleep 0.05
	done
}

# --- results ---

selected() {
	local p
	((${#PATTERNS[@]})) || return 0
	for p in "${PATTERNS[@]}"; do
		case $1 in *"$p"*) return 0 ;; esac
	done
	return 1
}

# result NAME WHY [CONTAINER]: WHY empty is a pass; on a failure the
# container's last log lines follow, as comments.
result() {
	if [ -z "$2" ]; then
		echo "ok - $1"
		PASSED=$((PASSED + 1))
	else
		echo "not ok - $1: $2"
		FAILED=$((FAILED + 1))
		[ -n "${3:-}" ] && pm logs "$3" 2>&1 | tail -n 15 | sed 's/^/    # /'
	fi
	return 0
}

skip() {
	echo "skip - $1: $2"
	SKIPPED=$((SKIPPED + 1))
}

# --- prerequisites: what is missing skips every check, and says so ---

missing() {
	local m="" t
	[ "$(id -u)" = 0 ] || m+=" root"
	[ -x "$REAPER" ] || m+=" $REAPER"
	[ -L "$B/reaperctl" ] || m+=" $B/reaperctl"
	for t in podman runc conmon timeout tar python3 findmnt; do
		command -v "$t" >/dev/null 2>&1 || m+=" $t"
	done
	echo "${m# }"
}

# --- podman, on the suite's own store ---

RUN=rt$$
W=
OURS=				# set once podman is seen to use the suite's store
pm() {
	timeout -k 5 "$PM_TMO" podman "$@"
}

# The host pid of a container's first process.
cpid() {
	pm inspect --format '{{.State.Pid}}' "$1" 2>/dev/null
}

# A path inside a running container, from the host: its root through /proc.
inside() {
	local p
	p=$(cpid "$1") && [ "$p" -gt 0 ] 2>/dev/null && echo "/proc/$p/root$2"
}

has_file() {
	local f
	f=$(inside "$1" "$2") && [ -s "$f" ]
}

exit_code() {
	pm inspect --format '{{.State.ExitCode}}' "$1" 2>/dev/null
}

running() {
	[ "$(pm inspect --format '{{.State.Running}}' "$1" 2>/dev/null)" = true ]
}

logs_have() {	# CONTAINER LINE: that exact line in podman logs
	pm logs "$1" 2>&1 | grep -qxF -- "$2"
}

logs_have_all() {	# CONTAINER LINE...
	local c=$1 l log
	shift
	log=$(pm logs "$c" 2>&1) || return 1
	for l in "$@"; do
		grep -qxF -- "$l" <<<"$log" || return 1
	done
}

# reaperctl status in the container: NAME's state (the third column).
ctl_state() {
	pm exec "$1" reaperctl status 2>/dev/null | awk -v n="$2" '$1 == n { print $3 }'
}

state_is() {
	[ "$(ctl_state "$1" "$2")" = "$3" ]
}

# The "control" field of reaperctl status --json in the container.
ctl_control() {
	pm exec "$1" reaperctl status --json 2>/dev/null |
		python3 -c 'import json, sys; print(json.load(sys.stdin).get("control", "(none)"))' 2>/dev/null
}

gone_ctr() {
	pm rm -f -t 0 "$@" >/dev/null 2>&1
}

cleanup() {
	local m
	if [ -n "$W" ] && [ -d "$W" ]; then
		# "All" is the suite's own store only; never another one.
		if [ -n "$OURS" ]; then
			pm pod rm -f -a -t 0 >/dev/null 2>&1
			pm rm -f -a -t 0 >/dev/null 2>&1
			pm rmi -f -a >/dev/null 2>&1
		fi
		# What podman still has mounted in its store goes before the folder.
		for m in $(findmnt -rn -o TARGET | grep -F "$W/" | sort -r); do
			umount -l "$m" 2>/dev/null
		done
		[ -n "${KEEP:-}" ] || rm -rf --one-file-system "$W"
	fi
}

# Its own containers.conf and storage.conf: the settings this machine needs
# (DEVELOPERS.md), the store, podman's tmp dir and its file locks under $W.
setup_podman() {
	W=$(mktemp -d "$B/container.XXXXXX") || return 1
	chmod 755 "$W"
	mkdir -p "$W/tmp" "$W/run"
	cat >"$W/containers.conf" <<-EOF
	[containers]
	default_ulimits = ["nofile=1024:1024", "nproc=4096:4096"]
	netns = "none"
	log_driver = "k8s-file"

	[engine]
	runtime = "runc"
	cgroup_manager = "cgroupfs"
	events_logger = "file"
	events_logfile_path = "$W/events.log"
	lock_type = "file"
	tmp_dir = "$W/tmp"
	static_dir = "$W/store/libpod"
	volume_path = "$W/store/volumes"
	# kube play takes the infra image's ENTRYPOINT (it ignores infra_command).
	infra_image = "localhost/reaper-test-pause:$RUN"
	EOF
	cat >"$W/storage.conf" <<-EOF
	[storage]
	driver = "overlay"
	graphroot = "$W/store"
	runroot = "$W/run"
	EOF
	export CONTAINERS_CONF=$W/containers.conf CONTAINERS_STORAGE_CONF=$W/storage.conf
	local root
	root=$(pm info --format '{{.Store.GraphRoot}}' 2>&1)
	if [ "$root" != "$W/store" ]; then
		echo "podman does not use the suite's store: $root" >&2
		return 1
	fi
	OURS=1
}

BASE=localhost/reaper-test-base:$RUN
EP=localhost/reaper-test-entry:$RUN
COMB=localhost/reaper-test-comb:$RUN
PAUSE=localhost/reaper-test-pause:$RUN

# The images: a busybox-static rootfs with reaper (the reaperctl symlink
# beside it), the test scripts and configs of tests/container/image, imported;
# then built on top of it, offline.
make_images() {
	local r=$W/rootfs a
	mkdir -p "$r/bin" "$r/sbin" "$r/etc/reaper.d" "$r/tmp" "$r/run" "$r/proc" "$r/sys" \
		"$r/dev" "$r/root" || return 1
	cp /bin/busybox "$r/bin/busybox" || return 1
	for a in $(/bin/busybox --list); do
		[ -e "$r/bin/$a" ] || ln -s busybox "$r/bin/$a"
	done
	cp "$REAPER" "$r/sbin/reaper" && ln -s reaper "$r/sbin/reaperctl" || return 1
	cp -R "$HERE/image/." "$r/" || return 1
	printf 'root:x:0:0:root:/root:/bin/sh\n' >"$r/etc/passwd"
	printf 'root:x:0:\n' >"$r/etc/group"
	chmod 1777 "$r/tmp"
	chmod -R go-w "$r/etc" "$r/usr"
	tar -C "$r" --owner=0 --group=0 -cf "$W/rootfs.tar" . || return 1
	pm import -q --change 'ENV PATH=/usr/local/bin:/sbin:/bin' "$W/rootfs.tar" "$BASE" >/dev/null ||
		return 1
	mkdir -p "$W/ctx"
	printf 'FROM %s\nENTRYPOINT ["/sbin/reaper", "--"]\n' "$BASE" >"$W/ctx/Containerfile.entry"
	printf 'FROM %s\nENTRYPOINT ["/sbin/reaper", "-P"]\n' "$BASE" >"$W/ctx/Containerfile.pause"
	pm build -q --pull=never -f "$W/ctx/Containerfile.entry" -t "$EP" "$W/ctx" >/dev/null &&
		pm build -q --pull=never -f "$W/ctx/Containerfile.pause" -t "$PAUSE" "$W/ctx" >/dev/null &&
		pm build -q --pull=never --build-arg "BASE=$BASE" -t "$COMB" "$HERE/layer" >/dev/null
}

# --- 1. podman run --init --init-path=reaper ---

INIT=(run --rm --pull=never --init "--init-path=$REAPER" "$BASE")

c_init_exit() {
	local c got bad=""
	for c in 0 1 42 255; do
		pm "${INIT[@]}" sh -c "exit $c" >/dev/null 2>&1
		got=$?
		[ "$got" = "$c" ] || bad+=" exit $c gave $got;"
	done
	result "$1" "$bad"
}

c_init_signal() {
	local s n got bad=""
	for s in TERM USR1 SEGV; do
		n=$(kill -l "$s")
		pm "${INIT[@]}" sh -c "ulimit -c 0; kill -$s \$\$; exit 99" >/dev/null 2>&1
		got=$?
		[ "$got" = $((128 + n)) ] || bad+=" $s gave $got, want $((128 + n));"
	done
	result "$1" "$bad"
}

# The main command leaves three orphans (PID 1's now), lets them go and sees
# them reaped, from inside, before it exits.
c_init_orphans() {
	local out rc
	out=$(pm "${INIT[@]}" sh -c 'head -c 17 /proc/1/cmdline | tr "\0" " "; echo;
		orphans 3 /tmp/o && reapcheck 1 /tmp/o 3' 2>&1)
	rc=$?
	if [ "$rc" != 0 ] || [ "$(echo "$out" | sed -n 2p)" != "reaped 3 orphans of 1" ]; then
		result "$1" "exit $rc: $(echo "$out" | tr '\n' '|')"
	elif [ "$(echo "$out" | sed -n 1p)" != "/run/podman-init " ]; then
		result "$1" "PID 1 is not podman's init: $(echo "$out" | sed -n 1p)"
	else
		result "$1" ""
	fi
}

# --- 2. reaper as ENTRYPOINT ---

TRAPPER='trap "echo usr1 >>/tmp/got" USR1; trap "exit 42" TERM; echo ready >/tmp/ready;
	while :; do sleep 0.1; done'

c_entry_kill() {
	local n=$RUN-entry
	pm run -d --pull=never --name "$n" "$EP" sh -c "$TRAPPER" >/dev/null 2>&1 ||
		{ result "$1" "podman run failed"; return; }
	within "$WAIT_S" has_file "$n" /tmp/ready || { result "$1" "the main command never got ready" "$n"; return; }
	pm kill -s USR1 "$n" >/dev/null || { result "$1" "podman kill failed" "$n"; return; }
	within "$WAIT_S" has_file "$n" /tmp/got || { result "$1" "USR1 never reached the main command" "$n"; return; }
	running "$n" || { result "$1" "the container ended on USR1" "$n"; return; }
	result "$1" ""
}

# After c_entry_kill, on the same container (or a new one if that was not run).
c_entry_stop() {
	local n=$RUN-entry t0 ms c
	if ! running "$n"; then
		gone_ctr "$n"
		pm run -d --pull=never --name "$n" "$EP" sh -c "$TRAPPER" >/dev/null 2>&1 ||
			{ result "$1" "podman run failed"; return; }
	fi
	within "$WAIT_S" has_file "$n" /tmp/ready || { result "$1" "the main command never got ready" "$n"; return; }
	t0=$(now_ms)
	pm stop -t 30 "$n" >/dev/null || { result "$1" "podman stop failed" "$n"; return; }
	ms=$(($(now_ms) - t0))
	c=$(exit_code "$n")
	if [ "$c" != 42 ]; then
		result "$1" "exit code $c, want 42 (the TERM trap's), after $ms ms" "$n"
	elif [ "$ms" -gt 10000 ]; then
		result "$1" "podman stop took $ms ms" "$n"
	else
		result "$1" ""
	fi
	gone_ctr "$n"
}

# --- 3, 4 and 6: combined mode, the image's ENTRYPOINT ---

COMBC=$RUN-comb

# Start a combined-mode container NAME (podman options after it) and wait
# for the main command, which starts once the services are up.
comb_start() {
	local n=$1
	shift
	gone_ctr "$n"
	pm run -d --pull=never --name "$n" "$@" "$COMB" >/dev/null 2>&1 || return 1
	within "$WAIT_S" logs_have "$n" "main up"
}

comb_up() {
	running "$COMBC" && return 0
	comb_start "$COMBC" -e FOO=bar -e RUNVAR=from-run
}

c_comb_logs() {
	local l want=() miss=""
	comb_up || { result "$1" "the main command never started" "$COMBC"; return; }
	want=("$(printf '%-10s | %s' web "hello from web")" "$(printf '%-10s | %s' web "second line")"
		"$(printf '%-10s | %s' db-primary "hello from db")")
	within "$WAIT_S" logs_have_all "$COMBC" "${want[@]}"
	for l in "${want[@]}"; do
		logs_have "$COMBC" "$l" || miss+=" '$l'"
	done
	result "$1" "${miss:+not in podman logs:$miss}" "${miss:+$COMBC}"
}

c_comb_status() {
	local s bad=""
	comb_up || { result "$1" "the main command never started" "$COMBC"; return; }
	for s in web db-primary; do
		state_is "$COMBC" "$s" running || bad+=" $s: '$(ctl_state "$COMBC" "$s")';"
	done
	result "$1" "${bad:+reaperctl status:$bad}" "${bad:+$COMBC}"
}

c_env_run() {
	local o
	comb_up || { result "$1" "the main command never started" "$COMBC"; return; }
	within "$WAIT_S" has_file "$COMBC" /tmp/envy.out || { result "$1" "the envy service did not run" "$COMBC"; return; }
	o=$(cat "$(inside "$COMBC" /tmp/envy.out)")
	case " $o " in
	*" FOO=bar "*) result "$1" "" ;;
	*) result "$1" "the service saw: $o" ;;
	esac
}

# Reaper's environment < the env-file < env=.
c_env_file() {
	local o
	comb_up || { result "$1" "the main command never started" "$COMBC"; return; }
	within "$WAIT_S" has_file "$COMBC" /tmp/envy.out || { result "$1" "the envy service did not run" "$COMBC"; return; }
	o=$(cat "$(inside "$COMBC" /tmp/envy.out)")
	case " $o " in
	*" FILE1=from-file RUNVAR=from-file BOTH=from-env "*) result "$1" "" ;;
	*) result "$1" "the service saw: $o; want FILE1=from-file RUNVAR=from-file BOTH=from-env" ;;
	esac
}

c_include() {
	comb_up || { result "$1" "the main command never started" "$COMBC"; return; }
	within "$WAIT_S" has_file "$COMBC" /tmp/extra.out ||
		{ result "$1" "the service of /etc/reaper.d/extra.conf did not run" "$COMBC"; return; }
	state_is "$COMBC" extra running ||
		{ result "$1" "reaperctl status: extra is '$(ctl_state "$COMBC" extra)'" "$COMBC"; return; }
	result "$1" ""
}

c_comb_stop() {
	local t0 ms c
	comb_up || { result "$1" "the main command never started" "$COMBC"; return; }
	t0=$(now_ms)
	pm stop -t 30 "$COMBC" >/dev/null || { result "$1" "podman stop failed" "$COMBC"; return; }
	ms=$(($(now_ms) - t0))
	c=$(exit_code "$COMBC")
	if [ "$c" != 42 ]; then
		result "$1" "exit code $c, want 42 (the main command's), after $ms ms" "$COMBC"
	elif [ "$ms" -gt 10000 ]; then
		result "$1" "podman stop took $ms ms" "$COMBC"
	elif ! logs_have "$COMBC" "main stopping"; then
		result "$1" "the main command's TERM trap did not run" "$COMBC"
	else
		result "$1" ""
	fi
	gone_ctr "$COMBC"
}

# --- 5. a service-only container that a failed service ends ---

c_failure_action() {
	local n=$RUN-fail t0 rc ms
	t0=$(now_ms)
	PM_TMO=20 pm run --pull=never --name "$n" --entrypoint '["/sbin/reaper", "-f", "/etc/fail.conf"]' \
		"$BASE" >/dev/null 2>&1
	rc=$?
	ms=$(($(now_ms) - t0))
	if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
		result "$1" "the container did not end by itself within 20 s" "$n"
	elif [ "$rc" != 3 ] || [ "$(exit_code "$n")" != 3 ]; then
		result "$1" "podman run gave $rc, exit code $(exit_code "$n"), want 3" "$n"
	elif ! logs_have "$n" "reaper: error: crit failed; failure-action=poweroff"; then
		result "$1" "no 'crit failed; failure-action=poweroff' error line" "$n"
	else
		result "$1" ""
	fi
	gone_ctr "$n"
}

# --- 6. not root; read-only ---

all_running() {	# CONTAINER: every service of the image's config, by reaperctl status
	local s
	for s in web db-primary envy extra; do
		state_is "$1" "$s" running || return 1
	done
}

c_user() {
	local n=$RUN-user c u
	comb_start "$n" --user 1000 || { result "$1" "the main command never started" "$n"; gone_ctr "$n"; return; }
	if ! within "$WAIT_S" all_running "$n"; then
		result "$1" "reaperctl status: $(pm exec "$n" reaperctl status 2>&1 | tail -n 5 | tr '\n' '|')" "$n"
	elif u=$(awk '/^Uid:/ { print $2 }' "/proc/$(cpid "$n")/status") && [ "$u" != 1000 ]; then
		result "$1" "reaper runs as uid $u" "$n"
	elif c=$(ctl_control "$n") && [ "$c" != /tmp/reaper-1000/reaper.sock ]; then
		result "$1" "control socket '$c', want /tmp/reaper-1000/reaper.sock" "$n"
	elif ! logs_have "$n" \
		"reaper: control socket at /tmp/reaper-1000/reaper.sock (/run/reaper.sock: Permission denied)"; then
		result "$1" "no log line naming the fallback socket and why" "$n"
	else
		result "$1" ""
	fi
	gone_ctr "$n"
}

c_read_only() {
	local n=$RUN-ro c
	comb_start "$n" --read-only || { result "$1" "the main command never started" "$n"; gone_ctr "$n"; return; }
	if ! within "$WAIT_S" all_running "$n"; then
		result "$1" "reaperctl status: $(pm exec "$n" reaperctl status 2>&1 | tail -n 5 | tr '\n' '|')" "$n"
	elif c=$(ctl_control "$n") && [ "$c" != /run/reaper.sock ]; then
		result "$1" "control socket '$c', want /run/reaper.sock" "$n"
	elif ! touch "$(inside "$n" /tmp/written)" || touch "$(inside "$n" /etc/written)" 2>/dev/null; then
		result "$1" "the root is not read-only, or its /tmp not writable" "$n"
	else
		result "$1" ""
	fi
	gone_ctr "$n"
}

# --- 7. a Kubernetes pod with one process namespace ---

POD=$RUN-pod

pod_up() {
	[ "$(pm pod inspect --format '{{.State}}' "$POD" 2>/dev/null)" = Running ] && return 0
	cat >"$W/pod.yaml" <<-EOF
	apiVersion: v1
	kind: Pod
	metadata:
	  name: $POD
	spec:
	  shareProcessNamespace: true
	  restartPolicy: Never
	  containers:
	  - name: sup
	    image: $BASE
	    imagePullPolicy: Never
	    command: ["/sbin/reaper", "-s", "--", "sh", "-c", "orphans 2 /tmp/o; exec sleep 2147483"]
	  - name: other
	    image: $BASE
	    imagePullPolicy: Never
	    command: ["sh", "-c", "orphans 2 /tmp/o; exec sleep 2147483"]
	EOF
	pm kube play --network none "$W/pod.yaml" >"$W/play.log" 2>&1
}

# reaper -s in one container: not PID 1 (the infra container's process is),
# yet the orphans below it are its own, and it reaps them.
c_pod_sub() {
	local p ns out
	pod_up || { result "$1" "kube play: $(tail -n 3 "$W/play.log" | tr '\n' '|')"; return; }
	p=$(cpid "$POD-sup")
	ns=$(awk '/^NSpid:/ { print $NF }' "/proc/$p/status" 2>/dev/null)
	[ -n "$ns" ] && [ "$ns" != 1 ] || { result "$1" "reaper's pid in the pod: '$ns'" "$POD-sup"; return; }
	out=$(pm exec "$POD-sup" reapcheck "$ns" /tmp/o 2 2>&1)
	[ "$out" = "reaped 2 orphans of $ns" ] || { result "$1" "$out" "$POD-sup"; return; }
	result "$1" ""
}

# reaper -P as PID 1 of the pod: the orphans of another container are its.
c_pod_infra() {
	local ic one out
	pod_up || { result "$1" "kube play: $(tail -n 3 "$W/play.log" | tr '\n' '|')"; return; }
	ic=$(pm pod inspect --format '{{.InfraContainerID}}' "$POD" 2>/dev/null)
	[ "$(pm inspect --format '{{.ImageName}}' "$ic" 2>/dev/null)" = "$PAUSE" ] ||
		{ result "$1" "the infra container is not of $PAUSE"; return; }
	one=$(pm exec "$POD-other" cat /proc/1/cmdline 2>&1 | tr '\0' ' ')
	[ "$one" = "/sbin/reaper -P " ] || { result "$1" "PID 1 of the pod: '$one'"; return; }
	out=$(pm exec "$POD-other" reapcheck 1 /tmp/o 2 2>&1)
	[ "$out" = "reaped 2 orphans of 1" ] || { result "$1" "$out" "$POD-other"; return; }
	result "$1" ""
}

# --- driver ---

CHECKS=(
	"--init: the exit code passes through|c_init_exit"
	"--init: a command killed by a signal gives 128+signal|c_init_signal"
	"--init: orphans are reaped, no zombie left|c_init_orphans"
	"ENTRYPOINT: podman kill -s USR1 reaches the main command|c_entry_kill"
	"ENTRYPOINT: podman stop gives the TERM trap's status, long before the timeout|c_entry_stop"
	"combined mode: podman logs shows 'NAME | line' from two services|c_comb_logs"
	"combined mode: podman exec reaperctl status lists the services|c_comb_status"
	"podman run -e reaches a service|c_env_run"
	"env-file= reaches a service, between reaper's environment and env=|c_env_file"
	"include of a drop-in added by a later image layer|c_include"
	"combined mode: podman stop gives the main command's status|c_comb_stop"
	"service-only: failure-action=poweroff ends the container with the service's status 3|c_failure_action"
	"--user 1000: services run, reaperctl status on the fallback socket|c_user"
	"--read-only: services run, reaperctl status on /run/reaper.sock|c_read_only"
	"kube play, shareProcessNamespace: reaper -s (not PID 1) reaps the orphans below it|c_pod_sub"
	"kube play, shareProcessNamespace: reaper -P as the infra container reaps other containers' orphans|c_pod_infra"
)

trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
why=$(missing)
if [ -z "$why" ]; then
	if ! setup_podman 2>"$B/container-setup.log"; then
		why="podman set-up failed: $(tail -n 2 "$B/container-setup.log" | tr '\n' ' ')"
	elif ! make_images >"$B/container-setup.log" 2>&1; then
		why="making the images failed: $(tail -n 3 "$B/container-setup.log" | tr '\n' ' ')"
		echo "not ok - the images: $why"
		FAILED=$((FAILED + 1))
	fi
fi
for c in "${CHECKS[@]}"; do
	name=${c%|*}
	selected "$name" || continue
	if [ -n "$why" ]; then
		skip "$name" "$why"
	elif [[ ${c##*|} = c_pod_* ]] && ! pm kube play --help >/dev/null 2>&1; then
		skip "$name" "this podman has no kube play"
	else
		"${c##*|}" "$name"
	fi
done
echo "containers: $PASSED passed, $FAILED failed, $SKIPPED skipped"
[ "$FAILED" = 0 ]
