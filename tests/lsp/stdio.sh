#!/usr/bin/env bash
# `ward lsp` as a process: exit statuses, end of input, --help.
#   stdio.sh BUILD_DIR
set -u
ward=$1/ward
fail=0 pass=0
frame() { printf 'Content-Length: %d\r\n\r\n%s' "${#1}" "$1"; }
expect() { # name, want status, got status
  if [ "$2" = "$3" ]; then pass=$((pass + 1)); else echo "FAIL $1: status $3, want $2"; fail=$((fail + 1)); fi
}
init='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"capabilities":{}}}'
shut='{"jsonrpc":"2.0","id":2,"method":"shutdown"}'
exit_='{"jsonrpc":"2.0","method":"exit"}'

"$ward" lsp --help | grep -q -- '--config'; expect help 0 $?
"$ward" lsp --bogus 2>/dev/null; expect bad-option 2 $?
"$ward" lsp </dev/null; expect eof-at-once 0 $?
out=$({ frame "$init"; frame "$shut"; frame "$exit_"; } | "$ward" lsp); expect shutdown-exit 0 $?
[ "$(grep -o '"id":[0-9]*' <<<"$out" | tr '\n' ' ')" = '"id":1 "id":2 ' ]; expect two-replies 0 $?
{ frame "$init"; frame "$exit_"; } | "$ward" lsp >/dev/null; expect exit-without-shutdown 1 $?
# garbage, a lying length, then the client goes away: errors, no hang
out=$({ printf 'junk\r\n\r\n'; frame '{"jsonrpc":'; printf 'Content-Length: 99\r\n\r\n{}'; } |
  timeout 10 "$ward" lsp); expect garbage-eof 0 $?
grep -q -- '-32700' <<<"$out"; expect parse-error-reported 0 $?
# the client's end closed while the server writes: no crash
{ frame "$init"; sleep 0.2; } | "$ward" lsp | head -c 10 >/dev/null; expect closed-output 0 $?
# a workspace scan runs on its own thread: its answer comes through the loop
ws=$(mktemp -d); trap 'rm -rf "$ws"' EXIT
mkdir "$ws/root"; printf 'nothing here\n' >"$ws/root/a.txt"
winit='{"jsonrpc":"2.0","id":1,"method":"initialize","params":{"rootUri":"file://'$ws/root'","capabilities":{}}}'
scan='{"jsonrpc":"2.0","id":3,"method":"workspace/executeCommand","params":{"command":"ward.scanWorkspace"}}'
# (the answer is awaited before shutdown, which would cancel the scan)
mkfifo "$ws/in"
timeout 60 "$ward" lsp <"$ws/in" >"$ws/out" &
pid=$!
exec 3>"$ws/in"
frame "$winit" >&3; frame "$scan" >&3
for _ in $(seq 600); do grep -q '"id":3,' "$ws/out" 2>/dev/null && break; sleep 0.1; done
frame "$shut" >&3; frame "$exit_" >&3; exec 3>&-
wait $pid; expect scan-exit 0 $?
grep -q '"id":3,"result":{"findings":0,"files":0' "$ws/out"; expect scan-answered 0 $?
echo "$pass passed, $fail failed"
[ $fail = 0 ]
