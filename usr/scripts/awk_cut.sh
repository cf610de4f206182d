# awk and cut.
# needs: fork
cd /tmp
printf 'ann:30:paris\nbob:25:rome\ncy:35:oslo\n' > people.txt
cut -d: -f1 people.txt
cut -d: -f2,3 people.txt
echo "abcdef" | cut -c2-4
awk -F: '{ print $3 " " $1 }' people.txt
awk -F: '{ sum += $2 } END { print "total", sum, "avg", sum / NR }' people.txt
awk -F: '$2 > 28 { print $1 }' people.txt
echo "3 4" | awk '{ printf "%d*%d=%d\n", $1, $2, $1 * $2 }'
