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
echo "== demo: orphans PID 1 adopted and reaped so far: $(dmesg | grep -c 'reaped orphan') =="
dmesg | grep 'reaped orphan' | tail -n 3
echo "== demo: poweroff =="
poweroff
