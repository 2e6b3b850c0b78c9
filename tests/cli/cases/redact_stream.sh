# ward redact: masks in files and streams; clean bytes pass unchanged; CRLF,
# colour codes and binary input; a writer that dies mid-stream loses nothing.
ward-fake --seed 21 'line one' 'key=npm_%{crc62:30}' > a.txt
printf 'crlf\r\n' >> a.txt
ward-fake --seed 22 $'\033[1mbold %{hex:8}\033[0m token: ghp_%{crc62:30}' >> a.txt
ward redact a.txt | od -c | sed 's/  */ /g' | head -20
echo "exit ${PIPESTATUS[0]}"
head -c 100000 /dev/urandom > bin.dat
ward redact < bin.dat | cmp - bin.dat && echo "binary passes unchanged"
ward redact --style fixed a.txt | sed -n 2p
ward redact --style prefix a.txt | sed -n 2p
sh -c 'ward-fake --seed 23 "x=ghp_%{crc62:30}"; printf "partial line without newline"; kill -9 $$' | ward redact
echo
echo "exit $?"
ward redact missing.txt; echo "exit $?"
