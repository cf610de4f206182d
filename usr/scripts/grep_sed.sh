# grep and sed.
# needs: fork
cd /tmp
printf 'alpha 1\nbeta 2\ngamma 3\nALPHA 4\n' > words.txt
grep alpha words.txt
grep -i alpha words.txt
grep -c a words.txt
grep -v a words.txt || echo "grep -v found nothing"
grep -n '^[bg]' words.txt
grep -q delta words.txt; echo "grep -q status $?"
sed 's/a/A/g' words.txt
sed -n '2p' words.txt
sed '/gamma/d' words.txt
echo "hello world" | sed -e 's/\(hello\) \(world\)/\2 \1/'
