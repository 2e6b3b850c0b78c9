# Inside a git repository .gitignore is honoured; --no-ignore scans all;
# .git itself is never scanned.
git init -q repo
printf 'secrets/\n*.log\n' > repo/.gitignore
mkdir -p repo/secrets repo/src
ward-fake --seed 1 'a=ghp_%{crc62:30}' > repo/secrets/a.txt
ward-fake --seed 2 'b=ghp_%{crc62:30}' > repo/src/debug.log
ward-fake --seed 3 'c=ghp_%{crc62:30}' > repo/src/main.c
ward-fake --seed 4 'd=ghp_%{crc62:30}' > repo/.git/description
echo "default:"
ward scan repo
echo "no-ignore:"
ward scan --no-ignore repo
echo "named ignored file:"
ward scan repo/src/debug.log
exit 0
