# File times: touch sets them, ls -l and stat show them, a write moves mtime.
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
