# ward git on a shallow clone (the boundary is noted under -v), a bare
# repository, and a submodule (skipped, noted under -v).
export GIT_AUTHOR_NAME='Ann Dev' GIT_AUTHOR_EMAIL=ann@example.com
export GIT_COMMITTER_NAME='Ann Dev' GIT_COMMITTER_EMAIL=ann@example.com
export GIT_AUTHOR_DATE='2024-01-02T03:04:05+0100' GIT_COMMITTER_DATE='2024-01-02T03:04:05+0100'
git init -q repo
ward-fake --seed 7 'GITHUB_TOKEN=ghp_%{crc62:30}' > repo/old.env
git -C repo add . && git -C repo commit -qm one
ward-fake --seed 8 'npm: npm_%{crc62:30}' > repo/new.env
git -C repo add . && git -C repo commit -qm two
git clone -q --depth 1 "file://$PWD/repo" shallow
echo "shallow:"
ward git -v shallow 2>&1 | sed 's/[0-9a-f]\{40\}/SHA/; s/commit [0-9a-f]\{12\}/commit SHA/'
git clone -q --bare repo bare.git
echo "bare:"
ward git bare.git; echo "exit $?"
git init -q sup && echo x > sup/x && git -C sup add x
git -C sup -c protocol.file.allow=always submodule add -q ../repo sub 2>/dev/null
git -C sup commit -qm sub
echo "submodule:"
ward git -v sup; echo "exit $?"
