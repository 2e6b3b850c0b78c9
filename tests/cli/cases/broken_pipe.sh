# A reader that goes away ends the scan quietly: no error message.
for i in $(seq 1 300); do ward-fake --seed $i 'k=ghp_%{crc62:30}'; done > many.txt
ward scan many.txt | head -n 2 | cut -d: -f1-3
echo "status ${PIPESTATUS[0]}"
