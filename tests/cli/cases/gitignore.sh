# Inside a git repository .gitignore is honoured, whatever the root is
# called on the command line ("repo", "repo/src/", "..", an anchored
# pattern); --no-ignore scans all; .git itself is never scanned.
git init -q repo
printf 'secrets/\n*.log\n/src/gen/\n' > repo/.gitignore
mkdir -p repo/secrets repo/src
ward-fake --seed 1 'a=ghp_%{crc62:30}' > repo/secrets/a.txt
ward-fake --seed 2 'b=ghp_%{crc62:30}' > repo/src/debug.log
ward-fake --seed 3 'c=ghp_%{crc62:30}' > repo/src/main.c
mkdir -p repo/src/gen && ward-fake --seed 5 'e=ghp_%{crc62:30}' > repo/src/gen/out.c
ward-fake --seed 4 'd=ghp_%{crc62:30}' > repo/.git/description
echo "default:"
ward scan repo
echo "no-ignore:"
ward scan --no-ignore repo
echo "the subfolder as root:"
ward scan repo/src/
echo "from a subfolder, its parent as root:"
(cd repo/src && ward scan ..)
echo "named ignored file:"
ward scan repo/src/debug.log
exit 0
