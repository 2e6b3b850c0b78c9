# An unreadable path is an error on stderr and exit 2.
ward scan nope.txt
