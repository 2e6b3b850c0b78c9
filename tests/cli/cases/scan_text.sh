# Text output: path:line:col, rule, confidence, redacted secret, reason.
mkdir -p app/src
ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > app/.env
ward-fake --seed 8 'aws_key = "AKIA%{b32:16}"' > app/src/config.py
echo "nothing to see" > app/README
ward scan app
