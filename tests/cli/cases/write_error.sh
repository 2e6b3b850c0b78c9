# A write error on standard output is an error (exit 2, one message); only a
# closed pipe is quiet (broken_pipe.sh).  /dev/full fails every write with
# ENOSPC.
ward-fake --seed 7 'token=ghp_%{crc62:30}' > a.txt
printf 'nothing here\n' > clean.txt
for f in text json sarif; do
  ward scan -f $f a.txt > /dev/full; echo "scan -f $f: $?"
done
ward scan -f sarif clean.txt > /dev/full; echo "scan -f sarif, no finding: $?"
ward rules > /dev/full; echo "rules: $?"
ward rules -f json > /dev/full; echo "rules -f json: $?"
ward redact a.txt > /dev/full; echo "redact file: $?"
ward redact < a.txt > /dev/full; echo "redact stdin: $?"
ward --version > /dev/full; echo "version: $?"
ward help scan > /dev/full; echo "help: $?"
# history and staged scans write through the same reporters
git init -q repo && cp a.txt repo/ && (cd repo && git add a.txt &&
  git -c user.name=t -c user.email=t@example.com commit -qm one)
ward git repo > /dev/full; echo "git: $?"
(cd repo && ward-fake --seed 8 'token=ghp_%{crc62:30}' > b.txt && git add b.txt &&
  ward staged > /dev/full; echo "staged: $?")
# standard output closed
ward scan a.txt >&-; echo "scan, stdout closed: $?"
