# ward mask killed by SIGTERM while idle, running a shell that ignores
# SIGTERM (an interactive bash): ward passes the signal on, and when the
# command does not end within a moment ward ends anyway, leaving the
# terminal as it found it (stty -a before and after), with 128+15.
sock=ward-test-$$
cleanup() { tmux -L "$sock" kill-server 2>/dev/null; }
trap cleanup EXIT
wait_for() { # text, seconds
  for _ in $(seq 1 $(( $2 * 20 ))); do
    tmux -L "$sock" capture-pane -p 2>/dev/null | grep -qF -- "$1" && return 0
    sleep 0.05
  done
  return 1
}
wait_file() { # file, seconds
  for _ in $(seq 1 $(( $2 * 20 ))); do [ -s "$1" ] && return 0; sleep 0.05; done
  return 1
}
tmux -L "$sock" new-session -d -x 100 -y 20 "bash --norc --noprofile"
tmux -L "$sock" send-keys 'stty -a > before.txt; ward mask -- bash --norc --noprofile; echo "status $?" > status.txt; stty -a > after.txt' Enter
tmux -L "$sock" send-keys 'echo $PPID > ward.pid; echo ready-$((40+2))' Enter
wait_for 'ready-42' 30 || echo "the shell did not start"
wait_file ward.pid 5 || echo "no pid"
# a window-size change reaches the command's terminal
tmux -L "$sock" resize-window -x 90 -y 15
sleep 0.3
tmux -L "$sock" send-keys 'echo "size $(stty size)"' Enter
wait_for 'size 15 90' 10 && echo "resized" || echo "not resized"
start=$(date +%s%N)
kill -TERM "$(cat ward.pid)"
wait_file after.txt 10 || echo "ward did not end within 10 s"
ms=$(( ($(date +%s%N) - start) / 1000000 ))
[ "$ms" -lt 5000 ] && echo "ended promptly" || echo "took $ms ms"
cat status.txt
# the settings, not the size (the window was resized on purpose)
grep -v rows before.txt > before.mode; grep -v rows after.txt > after.mode
cmp -s before.mode after.mode && echo "terminal restored" || diff before.mode after.mode
