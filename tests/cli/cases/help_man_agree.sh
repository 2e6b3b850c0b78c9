# --help and ward(1) come from one table: every option of each appears in
# the other.
for cmd in scan rules; do
  for opt in $(ward $cmd --help | grep -o -- '--[a-z-]*' | sort -u); do
    ward --man | sed 's/\\-/-/g' | grep -q -- "$opt" || echo "missing from man: $cmd $opt"
  done
done
echo checked
for cmd in redact mask; do
  for opt in $(ward $cmd --help | grep -o -- '--[a-z-]*' | sort -u); do
    ward --man | sed 's/\\-/-/g' | grep -q -- "$opt" || echo "missing from man: $cmd $opt"
  done
done
echo checked redact and mask
