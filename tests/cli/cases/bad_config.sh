# A broken configuration is a clear error, exit 2.
printf '[[rules]]\nid = "x"\nregex = "unterminated\n' > bad.toml
ward scan --config bad.toml .
echo "exit $?"
printf '[[rules]]\nid = "x"\nregex = "(a"\n' > badre.toml
ward scan --config badre.toml .
echo "exit $?"
ward scan --config missing.toml .
echo "exit $?"
