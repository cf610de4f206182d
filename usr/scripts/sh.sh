# The shell language: expansions, subshells, command substitution, exit codes.
# needs: fork
v=value; echo "${v} ${unset:-default} ${#v} ${v%ue} ${v#va}"
r=$(echo inner; echo second); echo "subst: $r"
( cd /; echo "subshell in $(pwd)" )
echo "status $(false; echo $?)"
sh -c 'exit 7'; echo "child exit $?"
sh -c 'echo from a child shell'
x=outer; (x=inner); echo "x still $x"
