# Allowlist paths in a config at the repository root match paths relative
# to it as well as paths as printed, so '^vendor/' holds whether ward scan
# runs at the root, in a subfolder, or on an absolute path.
git init -q repo && cd repo
mkdir -p vendor/lib app
ward-fake --seed 3 'GITHUB_TOKEN=ghp_%{crc62:30}' > vendor/lib/x.env
ward-fake --seed 4 'GITHUB_TOKEN=ghp_%{crc62:30}' > app/y.env
printf '[[allowlists]]\npaths = ['\''^vendor/'\'']\n' > .ward.toml
echo "at the root:"; ward scan .; echo "exit $?"
echo "absolute:"; ward scan "$(pwd)" | sed "s#$(pwd)#REPO#"; echo "exit ${PIPESTATUS[0]}"
echo "from app/:"; (cd app && ward scan ..); echo "exit $?"
echo "from vendor/lib:"; (cd vendor/lib && ward scan .); echo "exit $?"
echo "a rule path, relative to the config too:"
printf '[[rules]]\nid = "envfile"\ndescription = "an env file under app"\npath = '\''^app/.*\\.env$'\''\n' > /tmp/rule-$$.toml
cp /tmp/rule-$$.toml .ward.toml && rm -f /tmp/rule-$$.toml
(cd app && ward scan --no-default-rules .); echo "exit $?"
