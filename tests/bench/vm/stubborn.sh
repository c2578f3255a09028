# A service that ignores SIGTERM (the disposition survives the exec), so
# only SIGKILL ends it; it says it runs with a file /tmp/stubborn.N.
# usage: stubborn.sh N
trap '' TERM
: >"/tmp/stubborn.$1"
exec sleep 100000
