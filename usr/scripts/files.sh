# mkdir, cp, mv, rm, ls and find on the writable file store.
# needs: fork
# ls -1: on Mosaic stdout is the console, a tty, where ls would print columns
d=/tmp/files-test
rm -rf $d
mkdir -p $d/sub/deeper
echo data > $d/a.txt
cp $d/a.txt $d/b.txt
mv $d/b.txt $d/sub/c.txt
echo more > $d/sub/deeper/d.txt
ls -1 $d
ls -1 $d/sub
cat $d/sub/c.txt
find $d | sort
find $d -name '*.txt' | sort
find $d -type d | sort
rm $d/a.txt
ls -1 $d
rm -r $d/sub
ls -1 $d
rmdir $d
[ -e $d ] || echo "gone"
