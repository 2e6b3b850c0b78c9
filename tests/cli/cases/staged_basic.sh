# ward staged: only added or changed lines of what is staged; not unstaged
# edits, not history, not a renamed file's old lines.
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
git init -q repo && cd repo
ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > old.env
git add . 
echo "before the first commit:"
ward staged; echo "exit $?"
git commit -qm one
echo "nothing staged:"
ward staged; echo "exit $?"
ward-fake --seed 8 'npm: npm_%{crc62:30}' >> old.env
ward-fake --seed 9 'x = ghp_%{crc62:30}' > untracked.env
echo "unstaged only:"
ward staged; echo "exit $?"
git add old.env
echo "staged addition:"
ward staged -f json; echo "exit $?"
git commit -qm two
git mv old.env moved.env
echo "rename:"
ward staged; echo "exit $?"
mkdir sub && cd sub
echo "from a subfolder:"
cp ../untracked.env ../new.env && git add ../new.env && ward staged; echo "exit $?"
