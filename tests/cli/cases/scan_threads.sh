# ward scan -j4 with progress on (a forced terminal; it shows once the scan
# is slow enough, as under ThreadSanitizer) finds the same as -j1,
# in the same order: 120 files over 6 folders, each with a token in clear,
# one inside base64 and one in a generic assignment, so that threads share
# the engine, the decoder and the filters.  The ThreadSanitizer tree of
# tests/run runs this case to catch data races between scanner threads.
for d in 0 1 2 3 4 5; do
  mkdir -p "tree/d$d"
  for f in $(seq 0 19); do
    seed=$((d * 100 + f))
    {
      ward-fake --seed "$seed" 'GITHUB_TOKEN=ghp_%{crc62:30}'
      ward-fake --seed "$seed" 'export NPM_TOKEN=npm_%{crc62:30}' | base64
      ward-fake --seed "$seed" 'db_password = "%{a62:24}"'
      seq 1 200
    } > "tree/d$d/f$f.txt"
  done
done
WARD_FORCE_TTY=1 WARD_PROGRESS_DELAY_MS=0 ward scan --no-config -j4 -f json tree > j4.json 2> j4.err
echo "exit -j4: $?"
ward scan --no-config -j1 -f json tree > j1.json; echo "exit -j1: $?"
echo "findings: $(wc -l < j4.json)"
jq -r '.rule + " " + (.encoding // "plain")' j4.json | sort | uniq -c
cmp -s j1.json j4.json && echo "-j4 output equals -j1"
