# cat, head and tail on a file the script writes.
# needs: fork
cd /tmp
for i in 1 2 3 4 5 6 7 8 9 10; do echo "line $i"; done > lines.txt
cat lines.txt | head -n 2
head -n 3 lines.txt
tail -n 2 lines.txt
tail -n +9 lines.txt
cat -n lines.txt | tail -n 1
echo one > a.txt; echo two > b.txt; cat a.txt b.txt
