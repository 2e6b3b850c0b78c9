# Redacted by default in every format; --show-secrets reveals.
tok=$(ward-fake --seed 7 'ghp_%{crc62:30}')
echo "t = $tok" > f.txt
for fmt in text json sarif; do
  printf '%s default: %s\n' $fmt "$(ward scan -f $fmt f.txt | grep -c "$tok")"
  printf '%s shown: %s\n' $fmt "$(ward scan -f $fmt --show-secrets f.txt | grep -c "$tok")"
done
