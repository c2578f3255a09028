#!/bin/sh
# In-guest watchdog checks: armed with the asked timeout, petted past the
# timeout with the system up; then either a clean poweroff (which must not
# set the watchdog off) or PID 1 frozen (which must).
# usage: watchdog.sh poweroff|hang
. /test/lib.sh

keepalives() {
	n=$(reaperctl status | sed -n 's/^watchdog .*, \([0-9]*\) keepalives,.*/\1/p')
	[ "${n:-0}" -ge "$1" ]
}

if wait_for logged "watchdog /dev/watchdog armed: timeout 4 s"; then
	pass "watchdog armed after the boot tasks loaded its driver"
else
	fail "watchdog armed" "$(dmesg | grep -i watchdog | tail -n 3)"
fi
# Pets every 2 s from the arming: the fifth comes 8 s in, twice the timeout.
if wait_for keepalives 5; then
	pass "petted past its timeout (QEMU still running)"
else
	fail "petted past its timeout" "$(reaperctl status | grep watchdog)"
fi
reaperctl status --json | grep -q '"watchdog":{"device":"/dev/watchdog","armed":true,"timeout_s":4' &&
	pass "reaperctl status --json shows the watchdog" ||
	fail "reaperctl status --json shows the watchdog" "$(reaperctl status --json | head -c 300)"
summary watchdog
case $1 in
poweroff) poweroff ;;
hang) echo "FREEZING PID 1"; exec /test/freeze 1 ;;
esac
