# In-guest checks of the chain scenario (chain.conf): each link starts only
# once the one it needs is ready, in order, told by the stamps the links
# write themselves; a notification from outside a's session is not heard.
# Ends with a busybox poweroff; the host checks the stop order.
. /test/lib.sh
log=/run/chain.log

state() { reaperctl status | awk -v n="$1" '$1 == n && $2 == "service" { print $3 }'; }
states() { echo "a $(state a), b $(state b), c $(state c)"; }
stamps() { cut -d' ' -f1 $log 2>/dev/null | tr '\n' ' '; }
has() { grep -q "^$1" $log 2>/dev/null; }

# a runs, not ready: b and c wait, and neither has started
if wait_for has a-start && [ "$(states)" = "a starting, b waiting, c waiting" ] &&
	[ "$(stamps)" = "a-start " ]; then
	pass "a starting, b and c waiting before a is ready"
else
	fail "a starting, b and c waiting" "$(states); stamps: $(stamps)"
fi

# ready=notify: an abstract address for a alone
addr=$(sed -n 's/^a-start notify=\([^ ]*\) .*/\1/p' $log)
case $addr in
@?*) pass "a has an abstract NOTIFY_SOCKET ($addr)" ;;
*) fail "a has an abstract NOTIFY_SOCKET" "NOTIFY_SOCKET='$addr'" ;;
esac

# READY=1 from a process of another session (this one) is dropped; the
# sender stays alive: one already gone is not heard either, so only a live
# one shows that the session is what is refused
NOTIFY_SOCKET=$addr /test/notify READY=1 -- sleep 100000 &
foreign=$!
if wait_for logged "a: ignored a notification from pid $foreign, not of its session" &&
	[ "$(state a)" = starting ] && ! has b-start; then
	pass "READY=1 from outside a's session is ignored"
else
	fail "READY=1 from outside a's session is ignored" "$(states); stamps: $(stamps)"
fi
kill "$foreign"

# a notifies: b starts (fd 3 a pipe, no notify socket), c still waits
touch /run/a.go
if wait_for has b-start && [ "$(states)" = "a running, b starting, c waiting" ] &&
	grep -q "^b-start notify=none fd3=pipe$" $log && ! has c-start; then
	pass "a ready by notify, then b starting with fd 3, c waiting"
else
	fail "a ready by notify, then b starting" "$(states); $(grep '^b-start' $log)"
fi

# b writes its newline: c starts; the whole order from the stamps
touch /run/b.go
if wait_for has c-start && wait_for eval '[ "$(states)" = "a running, b running, c running" ]' &&
	[ "$(stamps)" = "a-start a-ready b-start b-ready c-start " ] &&
	grep -q "^c-start notify=none fd3=none$" $log; then
	pass "start order a, a ready, b, b ready, c; all running"
else
	fail "start order" "$(states); stamps: $(stamps)"
fi

summary chain
poweroff
