# One link of the chain scenario (chain.conf): stamps its start in
# /run/chain.log, waits for the check's go (a and b), says it is ready its
# own way, and on SIGTERM stamps its stop on the console with whether the
# link that needs it was already gone.
# usage: chainsvc.sh a|b|c, or chainsvc.sh hold NAME (a, once it notified)
log=/run/chain.log

gone() { ! kill -0 "$(cat "/run/$1.pid" 2>/dev/null)" 2>/dev/null; }
stop() {
	case $name in
	a) before=b ;;
	b) before=c ;;
	c) before= ;;
	esac
	seen=
	[ -n "$before" ] && { gone "$before" && seen=" $before-gone" || seen=" $before-alive"; }
	echo "chain-stop-$name$seen" >/dev/console
	exit 0
}
hold() { trap stop TERM; sleep 100000 & wait; }

if [ "$1" = hold ]; then
	name=$2
	hold
	exit 0
fi
name=$1
trap stop TERM
echo $$ >"/run/$name.pid"
fd3=none
[ -p /proc/self/fd/3 ] && fd3=pipe
echo "$name-start notify=${NOTIFY_SOCKET:-none} fd3=$fd3" >>$log
case $name in
a | b)
	while [ ! -e "/run/$name.go" ]; do sleep 0.1; done
	echo "$name-ready" >>$log
	;;
esac
case $name in
a) exec /test/notify READY=1 "STATUS=serving the chain" -- sh /test/chainsvc.sh hold a ;;
b) echo >&3 ;;
esac
hold
