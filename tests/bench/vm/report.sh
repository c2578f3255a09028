# In the benchmark VM: once the N TERM-ignoring services run (stubborn.sh,
# N given), the kernel's timestamps of the hand-over to PID 1 and of the
# first service, then power off (tests/bench/vm.py reads the console).
# usage: report.sh [N]
n=${1:-0}
i=1
while [ "$i" -le "$n" ]; do
	t=0	# a bound, not a goal: the guest runs under emulation
	while [ ! -e "/tmp/stubborn.$i" ] && [ $t -lt 1200 ]; do sleep 0.1; t=$((t + 1)); done
	[ -e "/tmp/stubborn.$i" ] || { echo "bench: stubborn service $i never ran"; exec poweroff; }
	i=$((i + 1))
done
dmesg | grep -e 'Run /init as init process' -e 'bench-first-service'
echo "bench: poweroff now"
exec poweroff
