# wc, sort and uniq.
# needs: fork
cd /tmp
printf 'pear\napple\nfig\napple\nbanana\nfig\napple\n' > fruit.txt
wc -l < fruit.txt
wc -w fruit.txt
sort fruit.txt
sort -r fruit.txt | head -n 2
sort fruit.txt | uniq
sort fruit.txt | uniq -c
printf '10\n9\n100\n' | sort -n
