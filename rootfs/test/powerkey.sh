# In-guest part of the power-key scenario (powerkey.conf); the host runs each
# step from the console shell once the one before has shown its line.
# usage: powerkey.sh ready|ignored|set reboot|set default|slow
. /test/lib.sh
conf=/etc/scenarios/powerkey.conf
case $(uname -m) in
aarch64) driver=gpio_keys name=gpio-keys ;;
*) driver=button name="Power Button" ;;
esac

watching() { reaperctl status | grep -q "^power key: $1; watching .*/dev/input/event[0-9]* ($name)"; }
first_line() { dmesg | grep -n -m 1 -- "$1" | cut -d: -f1; }

case $1 in
ready)
	# Watched once the sysinit entry loaded the driver: seen come, after reaper started.
	if wait_for watching ignore; then
		started=$(first_line "started drivers as")
		seen=$(first_line "power key: watching /dev/input/event[0-9]* ($name)")
		if [ -n "$started" ] && [ -n "$seen" ] && [ "$seen" -gt "$started" ]; then
			pass "the $name device is watched once a sysinit entry loaded $driver"
		else
			fail "device watched after the sysinit load" "dmesg line of the start ${started:-?}, of the watch ${seen:-?}"
		fi
	else
		fail "device watched after the sysinit load" "$(reaperctl status | grep 'power key')"
	fi
	reaperctl status --json | grep -q "\"power_key\":{\"action\":\"ignore\",\"presses\":0,\"devices\":\[.*{\"path\":\"/dev/input/event[0-9]*\",\"name\":\"$name\"}" &&
		pass "reaperctl status --json lists the power-key device" ||
		fail "reaperctl status --json lists the power-key device" "$(reaperctl status --json | head -c 400)"
	echo PK-READY
	;;
ignored)
	[ -e /run/pk-ignored ] && { echo "PK-ANSWER $((6 * 7))"; exit 0; }
	: >/run/pk-ignored
	if logged "power key pressed (/dev/input/event[0-9]*): ignored (powerkey=ignore)" &&
		! logged "shutting down" && reaperctl status | grep -q '^web  *service  *running' &&
		reaperctl status | grep -q '^power key: ignore; .*presses: 1$' &&
		reaperctl events | grep -q 'power-key *event[0-9]* *pid 0 *0$'; then
		pass "powerkey=ignore: the press is logged, recorded, and nothing stops"
	else
		fail "powerkey=ignore" "$(reaperctl status | head -n 4)"
	fi
	# The device goes away (its driver unloaded): dropped without a word; back, seen again.
	rmmod "$driver"
	if wait_for eval '! reaperctl status | grep -q "($name)"' &&
		! dmesg | grep -q -e 'power key: reading' -e 'power key: unable'; then
		pass "a power-key device that goes away is dropped quietly"
	else
		fail "device that goes away" "$(reaperctl status | grep 'power key'; dmesg | grep 'power key' | tail -n 2)"
	fi
	modprobe "$driver"
	if wait_for watching ignore; then
		pass "loaded again, the device is picked up again"
	else
		fail "device loaded again" "$(reaperctl status | grep 'power key')"
	fi
	echo "PK-ANSWER $((6 * 7))"
	;;
set)
	# Reload with powerkey=ACTION, or with no powerkey= for the default (poweroff).
	want=$2
	if [ "$2" = default ]; then
		want=poweroff
		sed -i 's/ powerkey=[a-z]*//' $conf
		: >/run/pk-twice		# the slow service waits for the second press
		echo 7 >/proc/sys/kernel/printk	# reaper's info lines on the console too
	else
		sed -i "s/ powerkey=[a-z]*/ powerkey=$2/" $conf
	fi
	reaperctl reload >/dev/null
	if wait_for watching $want; then
		echo "PK-SET $want"
	else
		fail "reload to powerkey=$want" "$(reaperctl status | grep 'power key')"
	fi
	;;
slow)
	# Stopped: with /run/pk-twice, only once the second press was heard (a
	# bound of wait_for, not a delay), so that it comes while shutting down.
	stop() {
		if [ -e /run/pk-twice ]; then
			if wait_for logged "power key pressed (/dev/input/event[0-9]*): already shutting down"; then
				echo pk-slow-saw-second-press >/dev/console
			fi
		fi
		exit 0
	}
	trap stop TERM
	sleep 100000 &
	wait
	;;
esac
