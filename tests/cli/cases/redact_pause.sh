# Output that pauses in the middle of a token: the first half is held, not
# shown in clear, and goes out masked when the token completes or after
# about a second; a prompt with no such run at its end shows at once.
tok=$(ward-fake --seed 3 'ghp_%{crc62:30}')
half=${tok:0:22} rest=${tok:22}
leaks() { grep -c -e "${tok:4:12}" -e "${tok:22:12}" "$1"; }
{ printf 'token=%s' "$half"; sleep 0.3; printf '%s\n' "$rest"; } | timeout 10 ward redact > short.txt
echo "short pause: $(leaks short.txt) leaks, $(tr -d '\n' < short.txt | sed 's/●/./g')"
{ printf 'token=%s' "$half"; sleep 1.6; printf '%s\n' "$rest"; } | timeout 10 ward redact > long.txt
echo "long pause: $(leaks long.txt) leaks, $(tr -d '\n' < long.txt | sed 's/●/./g')"
# the same from a command under ward mask, which shows what arrives at once
timeout 10 ward mask -- sh -c 'printf "token=%s" "$1"; sleep 0.3; printf "%s\n" "$2"' sh \
  "$half" "$rest" < /dev/null | tr -d '\r' > mask.txt
echo "mask: $(leaks mask.txt) leaks, $(tr -d '\n' < mask.txt | sed 's/●/./g')"
start=$(date +%s%N)
{ printf 'Enter name: '; sleep 3; echo bob; } | timeout 10 ward redact | {
  IFS= read -r -n 12 p
  ms=$(( ($(date +%s%N) - start) / 1000000 ))
  [ "$ms" -lt 1500 ] && echo "prompt at once: '$p'" || echo "prompt after $ms ms"
  cat > /dev/null
}
