# Symbolic links are not followed unless --follow; loops are cut.
mkdir -p d/real
ward-fake --seed 3 'k=ghp_%{crc62:30}' > d/real/a.txt
ln -s ../real d/real/loop
ln -s real/a.txt d/alias.txt
ward scan d; echo "exit $?"
ward scan -v --follow d; echo "exit $?"
