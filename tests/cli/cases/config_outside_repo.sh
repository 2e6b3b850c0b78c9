# Outside any git work tree, `ward scan` uses the .ward.toml of the folder it
# runs in (inside one, the work tree's root holds it).
mkdir proj && cd proj
ward-fake --seed 4 'TOKEN=ghp_%{crc62:30}' > fixture.env
ward scan -q .; echo "without config: exit $?"
printf '[allowlist]\npaths = [%s]\n' "'''fixture\.env'''" > .ward.toml
ward scan -q .; echo "with config: exit $?"
