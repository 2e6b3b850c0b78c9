# A rule's `revoke` (where the owner revokes the credential) is shown by
# `ward rules ID`, in JSON rules and findings and in SARIF's rule help; a
# rule written as `near` + `value` shows the regex ward generated for it.
cat > .ward.toml <<'TOML'
[[rules]]
id = "kucoin-api-secret"
description = "KuCoin API secret"
near = ["kucoin"]
value = '''[a-f0-9]{40}'''
revoke = "https://www.kucoin.com/account/api"
TOML
ward-fake --seed 3 'KUCOIN_SECRET=%{hex:40}' > app.env
ward rules --config .ward.toml kucoin-api-secret
ward rules --config .ward.toml --format json kucoin-api-secret
ward scan --config .ward.toml --format json app.env
ward scan --config .ward.toml --format sarif app.env | grep -o '"help":{[^}]*},"helpUri":"[^"]*"'
