# Files of any size are scanned (in bounded chunks): a key in the last line
# of a 200 MB log is found.  Whatever is skipped (binary, over an explicit
# --max-file-size) is summed up in one line on stderr, listed under -v.
yes 'INFO 2024-01-01T00:00:00Z GET /api/v1/items 200 served in 12 ms' | head -c 200000000 > big.log
ward-fake --seed 3 'deploy token=ghp_%{crc62:30}' >> big.log
ward scan big.log; echo "exit $?"
printf 'k\0\1\2' > data.bin
ward scan --max-file-size 1M big.log data.bin; echo "exit $?"
ward scan data.bin; echo "exit $?"
ward scan -v --max-file-size 1M big.log data.bin; echo "exit $?"
