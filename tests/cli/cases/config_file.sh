# .ward.toml at the repository root: custom rules and allowlists (gitleaks
# schema) extend the built-in catalog.
git init -q repo
cat > repo/.ward.toml <<'TOML'
[extend]
useDefault = true

[[rules]]
id = "acme-key"
description = "ACME internal key"
regex = '''acme_([a-z0-9]{20})'''
keywords = ["acme_"]

[allowlist]
description = "test fixtures"
paths = ['''(^|/)fixtures/''']
TOML
mkdir -p repo/fixtures repo/src
ward-fake --seed 1 'a=ghp_%{crc62:30}' > repo/fixtures/sample.txt
ward-fake --seed 2 'k = "acme_%{lalnum:20}"' > repo/src/app.py
cd repo && ward scan
