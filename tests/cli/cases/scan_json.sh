# JSON Lines: one object per finding, secret redacted.
mkdir app
ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' 'npm_token: npm_%{crc62:30}' > app/.env
ward scan --format json app
