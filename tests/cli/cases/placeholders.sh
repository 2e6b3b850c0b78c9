# Placeholders, references and documented examples are not findings.
cat > conf.env <<'ENV'
AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE
GITHUB_TOKEN=${GITHUB_TOKEN}
api_key = "your_api_key_here"
password = "<PASSWORD>"
secret = "{{ vault_secret }}"
token = "%API_TOKEN%"
password = "changeme"
api_key = os.environ["API_KEY"]
token: process.env.TOKEN
password = "xxxxxxxxxxxxxxxx"
client_secret = "0123456789abcdef0123"
ENV
ward scan conf.env; echo "exit $?"
