# seq and expr.
# needs: fork
seq 4
seq 2 3 11
seq -s , 5
expr 6 \* 7
expr 17 / 5
expr length hello
expr substr abcdef 2 3
expr 3 \< 4
expr 5 = 6; echo "expr false status $?"
