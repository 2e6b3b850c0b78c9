# --help and ward(1) agree for git, staged, hook and report: every option of one
# appears in the other; the baseline options are on scan too.
for cmd in git staged hook report; do
  for opt in $(ward $cmd --help | grep -o -- '--[a-z-]*' | sort -u); do
    ward --man | sed 's/\\-/-/g' | grep -q -- "$opt" || echo "missing from man: $cmd $opt"
  done
done
ward scan --help | grep -o -- '--baseline[a-z-]*\|--report-unused' | sort -u
ward git --help | head -3
