# Progress on a terminal (tmux): `ward git` on a history that takes a while
# shows "history: N blobs, X MB, N findings" on stderr, rewritten in place,
# and clears it before it exits; with -q, or when stderr is not a terminal,
# there is none. (WARD_PROGRESS_DELAY_MS=0: show it from the first update,
# since this history takes well under a second.)
git init -q --bare repo.git
awk -v n=6000 'BEGIN { srand(3); for (i = 1; i <= n; i++) {
  print "commit refs/heads/main"; print "committer t <t@example.com> " (1600000000 + i) " +0000";
  print "data 1"; print "c";
  for (k = 0; k < 3; k++) { body = "";
    for (l = 0; l < 100; l++) body = body sprintf("line %d %08x %08x\n", l, int(rand() * 2^31), int(rand() * 2^31));
    printf "M 100644 inline f%d.txt\ndata %d\n%s\n", k, length(body), body } } }' |
  git -C repo.git fast-import --quiet
sock=ward-test-$$
cleanup() { tmux -L "$sock" kill-server 2>/dev/null; }
trap cleanup EXIT
run_in_tmux() { # command; the pane's bytes go to pane.log
  rm -f pane.log status.txt go
  # the command waits until the pane's output is being recorded
  tmux -L "$sock" new-session -d -x 120 -y 20 \
    "while [ ! -e go ]; do sleep 0.05; done; $1; echo \"status \$?\" > status.txt; sleep 5"
  tmux -L "$sock" pipe-pane -o 'cat >> pane.log'
  touch go
  for _ in $(seq 1 1200); do [ -s status.txt ] && break; sleep 0.05; done
  cat status.txt
  sleep 0.2
  tmux -L "$sock" kill-server 2>/dev/null
}
run_in_tmux 'WARD_PROGRESS_DELAY_MS=0 ward git --no-config repo.git'
grep -aq 'history: [0-9]* blobs, [0-9.]* MB, 0 findings' pane.log && echo "progress shown"
# the line is cleared before the closing summary
grep -aq $'\r\033\\[Kward: 0 findings' pane.log && echo "progress cleared before the summary"
run_in_tmux 'WARD_PROGRESS_DELAY_MS=0 ward git --no-config -q repo.git'
grep -aq 'history:' pane.log || echo "none with -q"
WARD_PROGRESS_DELAY_MS=0 ward git --no-config repo.git 2> err.txt; echo "exit $?"
[ -s err.txt ] || echo "none when stderr is a file"
