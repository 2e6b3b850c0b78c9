# UTF-16 text with a byte-order mark (Windows PowerShell's Out-File,
# regedit exports) is not binary: it is transcoded and scanned, in files,
# on stdin and in git history. Offsets are bytes of the original file;
# line and column count the text; the finding says "utf-16le" or "-be".
tok=$(ward-fake --seed 5 'ghp_%{crc62:30}')
{ printf '\377\376'; printf 'h\303\251llo \360\237\230\200\r\n$env:GITHUB_TOKEN = "%s"\r\n' "$tok" | iconv -f UTF-8 -t UTF-16LE; } > le.ps1
{ printf '\376\377'; printf 'x\nGITHUB_TOKEN=%s\n' "$tok" | iconv -f UTF-8 -t UTF-16BE; } > be.txt
# the same bytes without a mark are binary, and skipped
tail -c +3 le.ps1 > nomark.txt
ward scan -v le.ps1 be.txt nomark.txt; echo "exit $?"
ward scan --format json le.ps1 be.txt | jq -c '[.path, .line, .column, .end_column, .offset, .length, .encoding]'
ward scan - < le.ps1; echo "exit $?"
export GIT_AUTHOR_DATE=2024-01-01T10:00:00+0000 GIT_COMMITTER_DATE=2024-01-01T10:00:00+0000
git init -q repo && cp le.ps1 repo/ && git -C repo add . &&
  git -C repo -c user.name=a -c user.email=a@example.com commit -qm one
ward git --no-config repo | sed 's/commit [0-9a-f]*/commit SHA/'
