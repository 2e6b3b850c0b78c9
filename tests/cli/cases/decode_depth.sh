# --decode-depth N: how many layers of encoding ward looks through. A token
# in base64 is found at the default depth (1) and not at 0; one base64'd
# twice (a Kubernetes secret holding a base64 config) needs 2; 4 is refused.
tok=$(ward-fake --seed 5 'export GITHUB_TOKEN=ghp_%{crc62:30}')
once=$(printf '%s\n' "$tok" | base64 -w0)
twice=$(printf '%s' "$once" | base64 -w0)
echo "data: \"$once\"" > once.yaml
echo "data: \"$twice\"" > twice.yaml
ward scan once.yaml; echo "exit $?"
ward scan --decode-depth 0 once.yaml; echo "exit $?"
ward scan twice.yaml; echo "exit $?"
ward scan --decode-depth 2 twice.yaml; echo "exit $?"
ward scan --decode-depth 4 twice.yaml; echo "exit $?"
