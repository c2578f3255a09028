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

summary main
# From here reaper's info lines reach the console too: the host reads from
# them which signal the TERM-ignoring leftover got at the end of the grace.
echo "STUBBORN $(cat /run/stubborn.pid)"
echo 7 > /proc/sys/kernel/printk
poweroff
