# test / [ and arithmetic expansion.
# needs: nothing (builtins only)
[ 3 -lt 5 ] && echo "3 < 5"
[ 5 -le 4 ] || echo "not 5 <= 4"
test abc = abc && echo "strings equal"
test -z "" && echo "empty is -z"
test -n "x" && echo "x is -n"
[ ! -e /no/such/file ] && echo "no such file"
[ -d / ] && echo "/ is a directory"
[ -f /bin/busybox ] && echo "busybox is a file"
[ 1 -eq 1 -a 2 -ne 3 ] && echo "-a works"
echo "sum $((2 + 3 * 4))"
echo "mod $((17 % 5)) shift $((1 << 10)) neg $((-7 / 2))"
i=5; i=$((i * i)); echo "square $i"
