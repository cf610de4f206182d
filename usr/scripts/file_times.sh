# File times: touch sets them, ls -l and stat show them, a write moves mtime.
# A new file is stamped by the clock that date reads, even when the file
# lives on a storage node whose clock differs (a cluster).
# needs: fork
touch -d '2001-02-03 04:05:06' old
ls -l old | awk '{ print $6, $7, $8 }'
stat -c '%X %Y' old
echo more >> old
[ "$(stat -c %Y old)" -gt 1000000000 ] && echo "a write makes mtime recent"
touch -d '2001-02-03 04:05:06' old
touch -r old copy
stat -c '%Y' copy
rm old copy
before=$(date +%s)
touch new
after=$(date +%s)
stamped=$(stat -c %Y new)
[ "$stamped" -ge "$before" ] && [ "$stamped" -le "$after" ] && echo "a new file has the time date shows"
rm new
