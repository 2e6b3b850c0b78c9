# Colour with --color=always or on a terminal; never with NO_COLOR or
# --color=never.
ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > .env
ward scan --color=always .env
TERM=xterm WARD_FORCE_TTY=1 ward scan .env | grep -c $'\033' 
NO_COLOR=1 WARD_FORCE_TTY=1 ward scan .env
WARD_FORCE_TTY=1 ward scan --color=never .env
exit 0
