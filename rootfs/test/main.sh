# In-guest checks of the main scenario; ends with a busybox poweroff.
. /test/lib.sh
conf=/etc/scenarios/main.conf

# boot: API filesystems, sysinit, services, hostname
ok=1
for m in /proc /sys /dev /dev/pts /run; do
	grep -q " $m " /proc/mounts || { fail boot "$m not mounted"; ok=0; }
done
[ -e /run/sysinit ] || { fail boot "sysinit did not run"; ok=0; }
wait_for test -s /run/web.pid && alive "$(cat /run/web.pid)" || { fail boot "web not running"; ok=0; }
[ "$(hostname)" = reaper-vm ] || { fail boot "hostname is $(hostname)"; ok=0; }
[ $ok = 1 ] && pass boot

# a bad line: reported with file and line, the good services run
if logged "$conf:8: unknown option 'frob'" && alive "$(cat /run/web.pid)"; then
	pass bad-line
else
	fail bad-line "no $conf:8 error, or web not running"
fi

# orphans: 2000 reaped by PID 1, no zombie left, the log names them and the
# entry they came from (a once's leftovers live on after it exits)
if wait_for test -e /run/orphans.done &&
	wait_for at_least "reaped orphan [0-9]* (sleep) from orphans: " 2000 &&
	wait_for no_zombies; then
	pass orphans
else
	fail orphans "$(count_logged 'reaped orphan') reaped, zombies: $(zombies | head -n 3 | tr '\n' ' ')"
fi

# reaperctl: status counts the orphans, tree marks a live one as adopted
# from its entry, events name the reaped ones with pid, command and entry
n=$(reaperctl status | sed -n 's/.*orphans adopted and reaped: \([0-9]*\).*/\1/p')
if [ "${n:-0}" -ge 2000 ] && wait_for test -s /run/stubborn.pid &&
	reaperctl tree | grep -q "sleep($(cat /run/stubborn.pid))  \[adopted orphan from stubborn\]" &&
	reaperctl events | grep -q "orphan-reaped *sleep from orphans *pid [0-9]" &&
	reaperctl status --json | grep -q '"orphans_reaped":[0-9]'; then
	pass reaperctl
else
	fail reaperctl "status counted ${n:-none}, or tree/events lack the orphans"
fi

# supervision: growing gaps, then restart-limit gives up
if wait_for logged "crash: 4 restarts within 60000 ms; giving up"; then
	gaps=$(awk 'NR > 1 { printf "%d ", ($1 - p) * 1000 } { p = $1 }' /run/crash.times)
	set -- $gaps
	if [ $# -ge 3 ] && [ "$1" -ge 100 ] && [ "$2" -ge 200 ] && [ "$3" -ge 400 ]; then
		pass supervision
	else
		fail supervision "gaps in ms: $gaps"
	fi
else
	fail supervision "restart-limit never gave up"
fi

# stop and continue: paused and continued, not restarted
p=$(cat /run/pausy.pid)
kill -STOP "$p"
if wait_for logged "pausy ($p) paused"; then
	kill -CONT "$p"
	if wait_for logged "pausy ($p) continued" && [ "$(count_logged 'started pausy')" = 1 ]; then
		pass stop-continue
	else
		fail stop-continue "no continued line, or restarted"
	fi
else
	fail stop-continue "no paused line"
fi

# reload: web unchanged (same pid), pausy removed, fresh added; a broken file changes nothing
web=$(cat /run/web.pid)
cp $conf /run/good.conf
echo 'service oops bad=1 x' >> $conf
kill -HUP 1
if wait_for logged "reload: 2 errors in $conf; nothing changed" && alive "$p"; then
	sed -e '/^service pausy/d' -e '/^service bad/d' /run/good.conf > $conf
	echo "service fresh sh -c 'echo \$\$ > /run/fresh.pid; exec sleep 100003'" >> $conf
	kill -HUP 1
	if wait_for logged "config reloaded" && wait_for test -s /run/fresh.pid &&
		wait_for eval '! alive $p' && alive "$web"; then
		pass reload
	else
		fail reload "fresh not started, pausy alive, or web restarted"
	fi
else
	fail reload "a broken file was not refused"
fi

# stdout=kmsg, stderr=kmsg: the real /dev/kmsg, one record a line, named, in
# order; user facility at info (<14>) for stdout and warning (<12>) for stderr
# (two pipes: the stderr line's place among the others is not fixed)
talk() { dmesg | sed -n 's/.*\] \(talk: kmsg-line-.*\)/\1/p' | tr '\n' ' '; }
want="talk: kmsg-line-1 talk: kmsg-line-2 talk: kmsg-line-3 talk: kmsg-line-4 talk: kmsg-line-5 "
if wait_for logged "talk: kmsg-err" && [ "$(talk)" = "$want" ] &&
	dmesg -r | grep -q "^<14>.*talk: kmsg-line-1" && dmesg -r | grep -q "^<12>.*talk: kmsg-err"; then
	pass kmsg-output
else
	fail kmsg-output "dmesg has: $(talk)"
fi

# entrypoint on this kernel and architecture: reaper -- COMMAND as a child
# subreaper sleeps in its wait; each USR1 is forwarded while it sleeps there,
# the 300 orphans are reaped, the command's status is reaper's
cat >/run/ep.sh <<'EOS'
n=0
trap 'n=$((n + 1)); echo $n >/run/ep.n' USR1
i=0
while [ $i -lt 300 ]; do (sleep 0 &); i=$((i + 1)); done
echo $$ >/run/ep.pid
while [ ! -e /run/ep.stop ]; do sleep 0.1; done
exit 7
EOS
reaper -- sh /run/ep.sh &
ep=$!
why=""
wait_for test -s /run/ep.pid || why="the command never started"
for k in 1 2 3; do
	[ -n "$why" ] && break
	kill -USR1 "$ep"
	wait_for grep -qx "$k" /run/ep.n || why="USR1 number $k never arrived"
done
touch /run/ep.stop
wait "$ep"
rc=$?
[ -n "$why" ] || [ "$rc" = 7 ] || why="reaper exited $rc, want 7"
[ -n "$why" ] || no_zombies || why="zombies: $(zombies | head -n 3 | tr '\n' ' ')"
if [ -z "$why" ]; then pass entrypoint; else fail entrypoint "$why"; fi

summary main
# From here reaper's info lines reach the console too: the host reads from
# them which signal the TERM-ignoring leftover got at the end of the grace.
echo "STUBBORN $(cat /run/stubborn.pid)"
echo 7 > /proc/sys/kernel/printk
poweroff
