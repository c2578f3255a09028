# Tools for tests/ns/run.sh: polls, process lookups, reaper runs (sourced, not run).
# shellcheck shell=bash

# Report the reason of the current test's failure and leave its subshell.
fail() {
	printf '%s\n' "$*" >"$T/.why"
	exit 1
}

# Run "$@" every 50 ms until it succeeds, at most POLL_TRIES times (run.sh sets 200:
# 10 s; a test may raise it for one slow wait, as t_orphans_1000 does).
poll() {
	local i
	for ((i = 0; i < POLL_TRIES; i++)); do
		"$@" && return 0
		sleep 0.05
	done
	return 1
}

now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

nlines() {
	if [ -e "$1" ]; then
		wc -l <"$1"
	else
		echo 0
	fi
}

has_lines() {
	[ "$(nlines "$1")" -ge "$2" ]
}

# One line: the file's lines joined by blanks.
flat() {
	[ -e "$1" ] && tr '\n' ' ' <"$1" | sed 's/ $//'
}

# Run reaper in MODE (pid1: PID 1 of a new PID namespace; sub: a plain child) under timeout.
rr() {
	local mode=$1
	shift
	if [ "$mode" = pid1 ]; then
		timeout -k 2 "$TMO" unshare --pid --fork --mount-proc --kill-child "$REAPER" "$@"
	else
		timeout -k 2 "$TMO" "$REAPER" "$@"
	fi
}

# Like rr, but reaper's own parent is a plain process (no timeout, no --kill-child) so
# that the test can kill it; the caller bounds the run itself.
rr_bare() {
	local mode=$1
	shift
	if [ "$mode" = pid1 ]; then
		unshare --pid --fork --mount-proc "$REAPER" "$@"
	else
		sh -c '"$0" "$@"; exit $?' "$REAPER" "$@"
	fi
}

children() {
	cat "/proc/$1/task/$1/children" 2>/dev/null
}

# True if PID has a child whose command name is NAME.
child_named() {
	local c
	for c in $(children "$1"); do
		[ "$(cat "/proc/$c/comm" 2>/dev/null)" = "$2" ] && return 0
	done
	return 1
}

# Print the descendants of a pid, breadth first.
descendants() {
	local queue=("$1") p c
	while ((${#queue[@]})); do
		p=${queue[0]}
		queue=("${queue[@]:1}")
		for c in $(children "$p"); do
			echo "$c"
			queue+=("$c")
		done
	done
}

reaper_below() {
	local c
	for c in $(descendants "$1"); do
		if [ "$(readlink "/proc/$c/exe" 2>/dev/null)" = "$REAPER_EXE" ]; then
			echo "$c"
			return 0
		fi
	done
	return 1
}

# True once PID blocks or catches SIGTERM, i.e. reaper has set up its signal handling.
# (In sigtimedwait() the waited-for signals do not show as blocked, hence the wchan.)
sig_ready() {
	local k v blk="" cgt=""
	[ "$(readlink "/proc/$1/exe" 2>/dev/null)" = "$REAPER_EXE" ] || return 1
	case $(cat "/proc/$1/wchan" 2>/dev/null) in *sigtimedwait*) return 0 ;; esac
	while read -r k v; do
		case $k in
		SigBlk:) blk=$v ;;
		SigCgt:) cgt=$v ;;
		esac
	done 2>/dev/null <"/proc/$1/status"
	[ -n "$blk" ] && [ -n "$cgt" ] && (( ((0x$blk | 0x$cgt) >> 14) & 1 ))
}

# Host pid of the reaper started (in the background) as a descendant of $1, once it handles signals.
find_reaper() {
	local r
	r=$(poll reaper_below "$1") || return 1
	poll sig_ready "$r" || return 1
	echo "$r"
}

# Field N (3 = state, 4 = ppid, 5 = pgrp, 8 = tpgid) of /proc/PID/stat, comm skipped safely.
stat_field() {
	local s
	s=$(cat "/proc/$1/stat" 2>/dev/null) || return 1
	s=${s##*) }
	set -- "$2" $s
	local n=$(($1 - 1))
	echo "${!n}"
}

# Number of zombies whose parent is PID.
zombies_of() {
	awk -v p="$1" '{ sub(/^.*\) /, ""); if ($1 == "Z" && $2 == p) n++ } END { print n + 0 }' \
		/proc/[0-9]*/stat 2>/dev/null
}

no_zombies_of() {
	[ "$(zombies_of "$1")" = 0 ]
}

alive() {
	[ -e "/proc/$1" ] && [ "$(stat_field "$1" 3)" != Z ]
}

gone() {
	! alive "$1"
}

# Pids (other than the test's own shells) started under the current test: they carry its tag.
tagged() {
	local f p kv
	for f in /proc/[0-9]*/environ; do
		p=${f#/proc/}
		p=${p%/environ}
		[ "$p" = "$TEST_PID" ] || [ "$p" = "$BASHPID" ] && continue
		while IFS= read -r -d '' kv; do
			if [ "$kv" = "RNS_TAG=$1" ]; then
				echo "$p"
				break
			fi
		done 2>/dev/null <"$f"
	done
}

# Write a stop file for sigcatch -s, atomically.
stop_with() {
	echo "$2" >"$1.tmp" && mv "$1.tmp" "$1"
}

# Exactly one line on stderr, nothing on stdout, status 2.
usage_error() {
	local what=$1 rc=$2 out=$3 err=$4
	[ "$rc" = 2 ] || { echo "$what: exit $rc, want 2"; return 1; }
	[ -s "$out" ] && { echo "$what: printed on stdout"; return 1; }
	[ "$(nlines "$err")" = 1 ] || { echo "$what: $(nlines "$err") lines on stderr, want 1"; return 1; }
	grep -q '^reaper: ' "$err" || { echo "$what: stderr not prefixed 'reaper: ': $(head -c 200 "$err")"; return 1; }
	grep -q -- '--help' "$err" || { echo "$what: no pointer to --help: $(head -c 200 "$err")"; return 1; }
	return 0
}
