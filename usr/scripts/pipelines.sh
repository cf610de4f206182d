# Pipelines: several processes connected by pipes, exit status, large data.
# needs: fork
echo "one two three" | tr ' ' '\n' | sort | head -n 2
seq 1000 | wc -l
seq 20000 | awk '{ s += $1 } END { print s }'
seq 5 | while read n; do echo "got $n"; done
false | true; echo "status of the last: $?"
echo hello | { read w; echo "group read $w"; }
yes | head -n 3
cat /etc/passwd | grep -c root
