# ward git hands findings between threads: each must carry its own secret,
# not a view into a buffer the scanner has reused since (the UTF-16
# transcoding buffer, the base64 decoder's output).  Two histories: ten
# UTF-16LE scripts of 20-200 KB, and 60 files of base64-encoded tokens.
# Every thread count must report exactly the planted secrets.
export GIT_AUTHOR_NAME=a GIT_AUTHOR_EMAIL=a@example.com GIT_COMMITTER_NAME=a GIT_COMMITTER_EMAIL=a@example.com
export GIT_AUTHOR_DATE='2024-01-02T03:04:05+0000' GIT_COMMITTER_DATE='2024-01-02T03:04:05+0000'
git init -q utf16 && cd utf16
for i in $(seq 1 10); do
  tok=$(ward-fake --seed $i 'ghp_%{crc62:30}')
  echo "$tok" >> ../utf16.want
  { printf '\xff\xfe'
    { for k in $(seq 1 $((i * 300))); do echo "Write-Host \"step $k of the install\""; done
      echo "\$token = \"$tok\""
      for k in $(seq 1 $((i * 100))); do echo "# trailing comment $k"; done
    } | iconv -f UTF-8 -t UTF-16LE; } > "script$i.ps1"
done
git add . && git commit -qm scripts && cd ..
git init -q b64 && cd b64
for i in $(seq 1 60); do
  tok=$(ward-fake --seed $((100 + i)) 'ghp_%{crc62:30}')
  echo "$tok" >> ../b64.want
  { for k in $(seq 1 $((i * 7))); do echo "line $k"; done
    printf 'payload: %s\n' "$(printf 'GITHUB_TOKEN=%s' "$tok" | base64 -w0)"; } > "f$i.txt"
done
git add . && git commit -qm blobs && cd ..
sort -o utf16.want utf16.want; sort -o b64.want b64.want
for repo in utf16 b64; do
  for j in 1 2 4; do
    ward git --no-config --show-secrets -f json -j$j $repo > out.json; rc=$?
    jq -r .secret out.json | sort > got
    if cmp -s got $repo.want; then r=right; else r=WRONG; fi
    echo "$repo -j$j: exit $rc, $(wc -l < got) findings, secrets $r"
  done
done
