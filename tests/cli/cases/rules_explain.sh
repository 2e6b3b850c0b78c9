# `ward rules ID` explains a rule; an unknown id is an error.
ward rules github-pat
ward rules no-such-rule; echo "exit $?"
ward rules | grep -c . >/dev/null && echo "listed"
