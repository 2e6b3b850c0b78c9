# Nothing found: no output, exit 0.
mkdir app
printf 'def main():\n    return 0\n' > app/main.py
ward scan app
