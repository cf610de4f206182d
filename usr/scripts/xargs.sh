# xargs.
# needs: fork
printf 'a\nb\nc\n' | xargs echo
printf '1 2 3 4 5\n' | xargs -n 2 echo pair
seq 3 | xargs -I{} echo "item {}"
