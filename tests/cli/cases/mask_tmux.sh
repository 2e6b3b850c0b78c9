# ward mask in a real terminal (tmux): the screen shows the mask and never
# the secret; colour output is kept; the command's exit status comes through.
ward-fake --seed 11 'TOKEN=ghp_%{crc62:30}' > .env
tok=$(cut -d= -f2 .env)
sock=ward-test-$$
cleanup() { tmux -L "$sock" kill-server 2>/dev/null; }
trap cleanup EXIT
wait_for() { # text, seconds
  for _ in $(seq 1 $(( $2 * 20 ))); do
    tmux -L "$sock" capture-pane -p -e 2>/dev/null | grep -qF -- "$1" && return 0
    sleep 0.05
  done
  return 1
}
tmux -L "$sock" new-session -d -x 120 -y 20 \
  "ward mask -- bash --norc --noprofile; echo \"status \$?\" > status.txt; sleep 5"
tmux -L "$sock" send-keys 'echo ready-$((40+2))' Enter
wait_for 'ready-42' 30 || echo "the shell did not start"
tmux -L "$sock" send-keys 'cat .env; export $(cat .env); echo "[$TOKEN]"; env | grep ^TOKEN=' Enter
tmux -L "$sock" send-keys 'printf "\033[31mred:%s\033[0m\n" "$TOKEN"' Enter
wait_for 'red:●' 30 || echo "no output"  # the output, not the echoed command line
screen=$(tmux -L "$sock" capture-pane -p -e)
case $screen in *"$tok"*) echo "LEAK: the token is on screen" ;; *) echo "token not on screen" ;; esac
printf '%s\n' "$screen" | grep -c '●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●●' | sed 's/^/masked lines: /'
printf '%s\n' "$screen" | grep -q $'\033\[31mred:●' && echo "colour kept"
tmux -L "$sock" send-keys 'exit 3' Enter
for _ in $(seq 1 600); do [ -s status.txt ] && break; sleep 0.05; done
cat status.txt
