# mkdir, cp, mv, rm, ls and find on the writable file store.
# needs: fork
d=/tmp/files-test
rm -rf $d
mkdir -p $d/sub/deeper
echo data > $d/a.txt
cp $d/a.txt $d/b.txt
mv $d/b.txt $d/sub/c.txt
echo more > $d/sub/deeper/d.txt
ls $d
ls $d/sub
cat $d/sub/c.txt
find $d | sort
find $d -name '*.txt' | sort
find $d -type d | sort
rm $d/a.txt
ls $d
rm -r $d/sub
ls $d
rmdir $d
[ -e $d ] || echo "gone"
