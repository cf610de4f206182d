# echo and printf, the shell's own: quoting, escapes, formats.
# needs: nothing (builtins only)
echo plain words   squeezed
echo "double  quoted   spaces"
echo 'single $quoted'
echo -n "no newline; "
echo next
printf '%s=%d\n' answer 42
printf '[%5s][%-5s][%05d]\n' ab cd 7
printf '%x %o %c\n' 255 8 Z
printf 'a\tb\\n\n'
echo "tab:	end"
