# Binary files and files over the size limit are passed over (said with -v);
# --binary and --max-file-size change that.
ward-fake --seed 5 'k=ghp_%{crc62:30}' > data.bin
printf '\0\1\2' >> data.bin
ward-fake --seed 6 'k=ghp_%{crc62:30}' > big.txt
head -c 2000 /dev/zero | tr '\0' 'x' >> big.txt
ward scan -v --max-file-size 1K data.bin big.txt; echo "exit $?"
ward scan --binary --max-file-size 1M data.bin big.txt; echo "exit $?"
