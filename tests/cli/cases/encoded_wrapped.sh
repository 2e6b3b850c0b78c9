# base64 wrapped at 76 columns (base64(1), MIME) or 64 (indented in a YAML
# block), with LF or CRLF line ends: a secret straddling two lines is found,
# reported from its first encoded character to its last.
tok=$(ward-fake --seed 5 'export GITHUB_TOKEN=ghp_%{crc62:30}')
printf 'NAME=%s\n%s\n' xxxxxxxxxxxxxxxxxxxx "$tok" | base64 > wrapped76.txt
{ echo 'data: |'; printf 'LOG=debug\nNAME=%s\n%s\n' xxxxxxxxxx "$tok" | base64 -w 64 | sed 's/^/    /'; } > wrapped64.yaml
printf 'NAME=%s\n%s\n' xxxxxxxxxxxxxxxxxxxx "$tok" | base64 | sed 's/$/\r/' > crlf.txt
ward scan --format json wrapped76.txt wrapped64.yaml crlf.txt | jq -c '[.path, .rule, .line, .column, .end_line, .end_column, .encoding]'
# lines of equal width that decode to binary: nothing, and no hang
head -c 3000 /dev/zero | tr '\0' '\377' | base64 > binary.txt
ward scan binary.txt; echo "exit $?"
