# Drives the demo: pause and continue a service, show the adopted orphans,
# then power off (busybox poweroff signals PID 1).
sleep 3
p=$(cat /run/napper.pid)
echo "== demo: SIGSTOP to napper ($p) =="
kill -STOP "$p"
sleep 1
echo "== demo: SIGCONT to napper ($p) =="
kill -CONT "$p"
sleep 2
echo "== demo: reaperctl status =="
reaperctl status
echo "== demo: reaperctl tree (a sleeper adopted by PID 1 is marked) =="
reaperctl tree
echo "== demo: reaperctl events, the last few =="
reaperctl events | tail -n 6
echo "== demo: dmesg: the orphans PID 1 reaped, and the service each leaked from =="
dmesg | grep 'reaped orphan' | tail -n 3
echo "== demo: poweroff =="
poweroff
