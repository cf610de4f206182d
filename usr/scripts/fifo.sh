# Named pipes: mkfifo, then a background writer and a reader meet at the name.
# needs: fork
mkfifo pipe.fifo
ls -l pipe.fifo | cut -c1
test -p pipe.fifo && echo "test -p says fifo"
echo "through the fifo" > pipe.fifo &
cat pipe.fifo
wait
seq 3 > pipe.fifo & wc -l < pipe.fifo
wait
rm pipe.fifo
