# Bad command lines: a message naming the problem, exit 2.
ward scan --bogus; echo "exit $?"
ward scan --format xml .; echo "exit $?"
ward scan --threads; echo "exit $?"
ward scan --max-file-size 12Q .; echo "exit $?"
ward frobnicate; echo "exit $?"
ward; echo "exit $?"
