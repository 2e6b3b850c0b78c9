# Findings are still printed, the scan goes on, and the error wins the exit
# status; --allow-errors lets findings decide.
mkdir app
ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > app/.env
ward scan app missing.txt
echo "exit $?"
ward scan --allow-errors missing.txt app
echo "exit $?"
