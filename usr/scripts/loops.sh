# Loops, case, functions and variables.
# needs: nothing (builtins only)
for w in alpha beta gamma; do echo "for $w"; done
n=0
while [ $n -lt 3 ]; do n=$((n + 1)); echo "while $n"; done
until [ $n -eq 0 ]; do n=$((n - 1)); done; echo "until done at $n"
for x in 1 2 3 4 5 6; do
	[ $x -eq 2 ] && continue
	[ $x -eq 5 ] && break
	echo "body $x"
done
greet() { echo "hello, $1 ($#)"; return 3; }
greet world extra; echo "returned $?"
for f in apple.c notes.txt Makefile; do
	case $f in
	*.c) echo "$f: C source" ;;
	*.txt) echo "$f: text" ;;
	*) echo "$f: other" ;;
	esac
done
set -- one two three
echo "args: $# first $1 all $*"
shift; echo "after shift: $@"
