# Make $1 orphans: each a grandchild whose parent exits at once, so PID 1 adopts it.
n=$1
i=0
while [ $i -lt "$n" ]; do
	( sleep 0.2 & ) &
	wait $!
	i=$((i + 1))
done
echo made > /run/orphans.done
