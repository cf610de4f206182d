# Redirections with shell builtins: >, >>, <, 2>&1, here-documents, read.
# needs: nothing (builtins only; a here-document goes through a pipe)
f=/tmp/redir.txt
echo first > $f
echo second >> $f
while read line; do echo "read: $line"; done < $f
echo "to stderr" 2>&1 >&2
echo truncated > $f
read one < $f; echo "now: $one"
while read a b; do echo "$b $a"; done <<END
hello world
left right
END
exec 3> /tmp/redir3.txt
echo "through fd 3" >&3
exec 3>&-
read three < /tmp/redir3.txt; echo "$three"
{ echo grouped; echo lines; } > $f
while read g; do echo "group: $g"; done < $f
