# In the benchmark VM: the kernel's timestamps of the hand-over to PID 1 and
# of the first service, then power off (tests/bench/vm.py reads the console).
dmesg | grep -e 'Run /init as init process' -e 'bench-first-service'
echo "bench: poweroff now"
exec poweroff
