# Every second, start a worker that forks a sleeper and exits at once:
# the sleeper outlives its parent and PID 1 adopts it, then reaps it.
while :; do
	sh -c 'sleep 1.5 & exit 0'
	sleep 1
done
