# ps over /proc/PID, and stopping and continuing a background job.
# needs: fork
sleep 30 &
pid=$!
# Until the child has exec'd sleep (before, it is a copy of this shell).
until [ "$(cat /proc/$pid/comm 2>/dev/null)" = sleep ]; do :; done
ps -o pid,args | awk -v p=$pid '$1 == p { print "ps shows", $2, $3 }'
ps -o pid,comm | awk -v p=$pid '$1 == p { print "comm", $2 }'
tr '\0' ' ' < /proc/$pid/cmdline; echo
grep -E '^(Name|PPid):' /proc/$pid/status | sed "s/$$/PARENT/"
ls /proc | grep -qx $pid && echo "ls /proc lists it"
case $(readlink /proc/self) in [0-9]*) echo "/proc/self is a pid";; esac
kill -STOP $pid
until [ "$(cut -d' ' -f3 /proc/$pid/stat)" = T ]; do :; done
# Only the state letter: busybox adds W for a process without a vsize (Mosaic reports none).
ps -o pid,stat | awk -v p=$pid '$1 == p { print "stopped:", substr($2, 1, 1) }'
kill -CONT $pid
until [ "$(cut -d' ' -f3 /proc/$pid/stat)" != T ]; do :; done
echo continued
kill $pid
# Mosaic's ash says "Terminated" here and the host's does not: not what this tests.
wait $pid 2>/dev/null
echo "sleep ended with $?"
