# Baselines: --baseline-write records rule, fingerprint and path (never the
# secret); with --baseline a moved line stays known, the same secret in
# another file is new; --report-unused lists stale entries.
mkdir app
ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > app/a.env
ward-fake --seed 8 'npm: npm_%{crc62:30}' > app/b.env
echo "write:"
ward scan --baseline-write base.txt app; echo "exit $?"
cat base.txt
grep -c ghp_ base.txt
echo "unchanged:"
ward scan --baseline base.txt app; echo "exit $?"
printf 'line\nline\n' | cat - app/a.env > t && mv t app/a.env
cp app/a.env app/c.env
rm app/b.env
echo "moved, copied, removed:"
ward scan --baseline base.txt --report-unused app; echo "exit $?"
echo "rewrite keeps it sorted:"
ward scan --baseline-write base.txt app >/dev/null; echo "exit $?"
cat base.txt
echo "errors:"
ward scan --baseline missing.txt app; echo "exit $?"
echo bad > bad.txt
ward scan --baseline bad.txt app; echo "exit $?"
ward scan --report-unused app; echo "exit $?"
