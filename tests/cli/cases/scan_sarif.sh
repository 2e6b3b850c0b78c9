# SARIF 2.1.0: rules used, results with regions and fingerprints.
mkdir app
ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > "app/my file.env"
ward scan -f sarif app
