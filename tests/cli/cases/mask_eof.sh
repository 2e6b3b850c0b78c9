# ward mask with standard input that is not a terminal: the input reaches the
# command once (no echo from the pseudo-terminal), end of input is passed on
# so the command ends, and its exit status comes through.  Every run is
# bounded by timeout, so a hang fails the case instead of the suite.
echo hi | timeout 10 ward mask -- cat | tr -d '\r'; echo "status ${PIPESTATUS[1]}"
printf 'first\nno newline at the end' | timeout 10 ward mask -- cat | tr -d '\r'
st=${PIPESTATUS[1]}; echo; echo "status $st"
timeout 10 ward mask -- cat < /dev/null; echo "empty input: status $?"
echo | timeout 10 ward mask -- sh -c 'read x; exit 3'; echo "exit 3: status $?"
# more input than the terminal buffers, while the command writes back
seq 1 20000 | timeout 20 ward mask -- cat | tr -d '\r' | tail -n 1; echo "big: status ${PIPESTATUS[1]}"
ward-fake --seed 12 'TOKEN=ghp_%{crc62:30}' > .env
tok=$(cut -d= -f2 .env)
out=$(timeout 10 ward mask -- cat < .env)
case $out in *"$tok"*) echo "LEAK" ;; *●●●●*) echo "masked" ;; *) echo "unexpected: $out" ;; esac
