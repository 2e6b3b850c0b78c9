/* test_git.c - history and staged scans on repositories made in a temporary
 * folder with the git program: a secret added then deleted, a rename, a
 * binary blob, an oversized blob, a corrupt and a missing object, a shallow
 * clone, a bare repository, a submodule, revision selection, thread-count
 * independence, and what `staged` must and must not see.  Fake tokens are
 * made at run time from templates. */
#define _GNU_SOURCE
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <ward.h>

#include "check.h"

static char root[] = "/tmp/ward-git-XXXXXX";
static ward_engine *E;
static uint64_t seed = 42;

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[4096];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof cmd, fmt, ap);
    va_end(ap);
    char full[4600];
    snprintf(full, sizeof full,
             "cd '%s' && export GIT_CONFIG_NOSYSTEM=1 HOME='%s' GIT_AUTHOR_NAME='Ann Dev' "
             "GIT_AUTHOR_EMAIL=ann@example.com GIT_COMMITTER_NAME='Ann Dev' "
             "GIT_COMMITTER_EMAIL=ann@example.com GIT_AUTHOR_DATE='2024-01-02T03:04:05+0100' "
             "GIT_COMMITTER_DATE='2024-01-02T03:04:05+0100' && (%s) >/dev/null 2>&1",
             root, root, cmd);
    return system(full);
}

/* Writes a fake token line made from tmpl to root/rel; returns the secret
 * in a static buffer. */
static const char *plant(const char *rel, const char *tmpl, int append)
{
    static char out[8][512];
    static int k;
    k = (k + 1) % 8;
    size_t len, so, sl;
    if (ward_example_expand(tmpl, &seed, out[k], sizeof out[k], &len, &so, &sl))
        return NULL;
    char p[512];
    snprintf(p, sizeof p, "%s/%s", root, rel);
    FILE *f = fopen(p, append ? "ab" : "wb");
    fprintf(f, "%s\n", out[k]);
    fclose(f);
    return out[k];
}

typedef struct log {
    int findings, errors, skips, shallow, submodule, binary, big, notes, partial;
    char paths[64][128];
    char shas[64][41];
    char authors[64][64];
    uint64_t lines[64];
    int commits_null;
    char errtext[2048];
    uint64_t files;
    int stop_after;
} log_t;

static int on_finding(const ward_finding *f, const ward_commit *c, void *user)
{
    log_t *l = user;
    if (l->findings < 64) {
        snprintf(l->paths[l->findings], 128, "%s", f->path);
        snprintf(l->shas[l->findings], 41, "%s", c ? c->sha : "");
        snprintf(l->authors[l->findings], 64, "%s <%s> %lld %d", c ? c->author : "",
                 c ? c->email : "", c ? (long long)c->time : 0LL, c ? c->tz_minutes : 0);
        l->lines[l->findings] = f->line;
    }
    if (!c)
        l->commits_null++;
    l->findings++;
    return l->stop_after && l->findings >= l->stop_after;
}

static void on_event(const ward_event *ev, void *user)
{
    log_t *l = user;
    if (ev->kind == WARD_EV_ERROR) {
        l->errors++;
        size_t n = strlen(l->errtext);
        snprintf(l->errtext + n, sizeof l->errtext - n, "%s '%s': %s\n", ev->what, ev->path,
                 ev->message);
    } else if (ev->kind == WARD_EV_NOTE) {
        l->notes++;
    } else {
        l->skips++;
        l->partial += strstr(ev->message, "partial clone") != NULL;
        l->shallow += strstr(ev->message, "shallow") != NULL;
        l->submodule += !strcmp(ev->message, "submodule");
        l->binary += !strcmp(ev->message, "binary file");
        l->big += strstr(ev->message, "size limit") != NULL;
    }
}

static void on_progress(const ward_progress *p, void *user)
{
    if (p->done)
        ((log_t *)user)->files = p->files;
}

static int count_finding(const ward_finding *f, void *user)
{
    (void)f;
    ++*(int *)user;
    return 0;
}

static ward_status hist(const char *repo, const ward_git_options *o, log_t *l)
{
    memset(l, 0, sizeof *l);
    ward_git_callbacks cb = {.on_finding = on_finding, .on_event = on_event,
                             .on_progress = on_progress, .user = l};
    char p[512], err[512];
    snprintf(p, sizeof p, "%s/%s", root, repo);
    return ward_scan_git(E, p, o, &cb, err, sizeof err);
}

static void rev(const char *repo, const char *spec, char *out)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "git -C '%s/%s' rev-parse '%s'", root, repo, spec);
    FILE *f = popen(cmd, "r");
    out[0] = '\0';
    if (f) {
        if (!fgets(out, 41, f))
            out[0] = '\0';
        pclose(f);
    }
    out[strcspn(out, "\n")] = '\0';
}

/* r: one; two adds .env with a token; three deletes it; four renames
 * a.txt; five adds a second token to b.txt. */
static void make_main_repo(void)
{
    sh("git init -q r && echo hello > r/a.txt && git -C r add . && git -C r commit -qm one");
    plant("r/.env", "GITHUB_TOKEN=ghp_%{crc62:30}", 0);
    sh("git -C r add . && git -C r commit -qm two && git -C r rm -q .env && "
       "git -C r commit -qm three && git -C r mv a.txt b.txt && git -C r commit -qm four");
    plant("r/b.txt", "k: npm_%{crc62:30}", 1);
    sh("git -C r add . && git -C r commit -qm five");
}

static void test_deleted_secret_found_once_with_commit(void)
{
    log_t l;
    CHECK_INT(hist("r", NULL, &l), WARD_OK);
    CHECK_INT(l.findings, 2);
    CHECK_INT(l.errors, 0);
    char two[41], five[41];
    rev("r", "HEAD~3", two);
    rev("r", "HEAD", five);
    CHECK_STR(l.paths[0], ".env");
    CHECK_STR(l.shas[0], two);
    CHECK_STR(l.authors[0], "Ann Dev <ann@example.com> 1704161045 60");
    CHECK_STR(l.paths[1], "b.txt");
    CHECK_STR(l.shas[1], five);
    CHECK_INT(l.lines[1], 2);
    /* hello (a.txt, renamed: same blob), .env, b.txt v2: three distinct blobs */
    CHECK_INT(l.files, 3);
}

/* The same history packed by git gc reads through ward's pack reader: the
 * same findings, commits and counts as from loose objects; a damaged blob
 * in the pack is named and the rest is still scanned. */
/* Scans repo and checks it gives what the loose history gave. */
static void check_same_history(const char *repo, const log_t *loose)
{
    log_t packed;
    CHECK_INT(hist(repo, NULL, &packed), WARD_OK);
    CHECK_INT(packed.findings, loose->findings);
    CHECK_INT(packed.files, loose->files);
    for (int i = 0; i < loose->findings && i < 64; i++) {
        CHECK_STR(packed.paths[i], loose->paths[i]);
        CHECK_STR(packed.shas[i], loose->shas[i]);
        CHECK_STR(packed.authors[i], loose->authors[i]);
        CHECK_INT(packed.lines[i], loose->lines[i]);
    }
}

static void test_packed_history(void)
{
    log_t loose, packed;
    CHECK_INT(hist("r", NULL, &loose), WARD_OK);
    CHECK_INT(sh("cp -r r pk && git -C pk gc -q && "
                 "test -z \"$(ls pk/.git/objects | grep -v '^pack$' | grep -v '^info$')\""),
              0);
    check_same_history("pk", &loose);
    /* a history spread over several packs (as fetches leave it) reads the
     * same */
    CHECK_INT(sh("cp -r r mp && cd mp && "
                 "git rev-list --objects HEAD~3 | git pack-objects -q .git/objects/pack/pack && "
                 "git rev-list --objects HEAD~3..HEAD~1 | git pack-objects -q .git/objects/pack/pack && "
                 "git rev-list --objects HEAD~1..HEAD | git pack-objects -q .git/objects/pack/pack && "
                 "git prune-packed && test $(ls .git/objects/pack/*.pack | wc -l) -eq 3 && "
                 "test -z \"$(find .git/objects -type f -path '*/objects/[0-9a-f][0-9a-f]/*')\""),
              0);
    check_same_history("mp", &loose);
    /* an index of version 1 is not ward's to read: libgit2 reads that pack */
    CHECK_INT(sh("cp -r pk pk1 && cd pk1/.git/objects/pack && for p in pack-*.pack; do "
                 "rm -f ${p%%.pack}.idx && git index-pack --index-version=1 $p; done"),
              0);
    check_same_history("pk1", &loose);
    char blob[41], cmd[1024], p[512];
    rev("pk", "HEAD~3:.env", blob);
    snprintf(cmd, sizeof cmd,
             "cd '%s/pk' && git verify-pack -v .git/objects/pack/pack-*.idx | "
             "awk '$1 == \"%s\" {print $4, $5}' && ls .git/objects/pack/pack-*.pack",
             root, blob);
    FILE *f = popen(cmd, "r");
    unsigned long long in_pack = 0, off = 0;
    char pack[256] = "";
    if (f) {
        if (fscanf(f, "%llu %llu %255s", &in_pack, &off, pack) != 3)
            in_pack = 0;
        pclose(f);
    }
    CHECK(in_pack > 8);
    snprintf(p, sizeof p, "%s/pk/%s", root, pack);
    chmod(p, 0644);
    FILE *pf = fopen(p, "r+b");
    CHECK(pf != NULL);
    if (!pf || in_pack <= 8) {
        if (pf)
            fclose(pf);
        return;
    }
    fseek(pf, (long)(off + in_pack - 6), SEEK_SET);
    int c = fgetc(pf);
    fseek(pf, (long)(off + in_pack - 6), SEEK_SET);
    fputc(c ^ 0x5a, pf);
    fclose(pf);
    CHECK_INT(hist("pk", NULL, &packed), WARD_EPARTIAL);
    CHECK_INT(packed.errors, 1);
    CHECK(strstr(packed.errtext, blob) != NULL);
    CHECK(strstr(packed.errtext, "'.env'") != NULL);
    CHECK_INT(packed.findings, loose.findings - 1);
}

static ward_engine *engine_with(const char *text, char *err, size_t errlen)
{
    ward_engine_options o = {.size = sizeof o, .config_text = text, .config_len = strlen(text), .cache_dir = ""};
    ward_engine *e = NULL;
    if (ward_engine_new(&o, &e, err, errlen) != WARD_OK) {
        ward_engine_free(e);
        return NULL;
    }
    return e;
}

/* History findings with engine e in place of the default one. */
static ward_status hist_with(ward_engine *e, const char *repo, log_t *l)
{
    ward_engine *saved = E;
    E = e;
    ward_status st = hist(repo, NULL, l);
    E = saved;
    return st;
}

/* gitleaks' allowlist `commits`: a finding in a listed commit (a full id
 * or a prefix of seven or more) is allowed; with condition AND every other
 * criterion must hold too; outside history the criterion never holds. */
static void test_allowlist_commits(void)
{
    char two[41], text[512], err[256];
    rev("r", "HEAD~3", two);
    log_t l;
    for (int k = 0; k < 2; k++) {
        snprintf(text, sizeof text, "[[allowlists]]\ncommits = [\"%.*s\"]\n", k ? 12 : 40, two);
        ward_engine *e = engine_with(text, err, sizeof err);
        CHECK(e != NULL);
        CHECK_INT(hist_with(e, "r", &l), WARD_OK);
        CHECK_INT(l.findings, 1);
        CHECK_STR(l.paths[0], "b.txt");
        ward_engine_free(e);
    }
    snprintf(text, sizeof text,
             "[[allowlists]]\ncondition = \"AND\"\ncommits = [\"%s\"]\npaths = ['^nowhere$']\n",
             two);
    ward_engine *e = engine_with(text, err, sizeof err);
    CHECK(e != NULL);
    CHECK_INT(hist_with(e, "r", &l), WARD_OK);
    CHECK_INT(l.findings, 2);
    ward_engine_free(e);
    /* ward scan knows no commit: the same token is still a finding */
    snprintf(text, sizeof text, "[[allowlists]]\ncommits = [\"%s\"]\n", two);
    e = engine_with(text, err, sizeof err);
    ward_scanner *sc = NULL;
    CHECK_INT(ward_scanner_new(e, &sc), WARD_OK);
    char body[256];
    size_t bl, so, sl;
    ward_example_expand("GITHUB_TOKEN=ghp_%{crc62:30}", &seed, body, sizeof body, &bl, &so, &sl);
    int n = 0;
    CHECK_INT(ward_scan_buffer(sc, body, bl, ".env", count_finding, &n), WARD_OK);
    CHECK_INT(n, 1);
    ward_scanner_free(sc);
    ward_engine_free(e);
    /* not a commit id */
    CHECK(engine_with("[[allowlists]]\ncommits = [\"abc\"]\n", err, sizeof err) == NULL);
    CHECK(strstr(err, "commits") != NULL);
}

static void test_revision_selection(void)
{
    log_t l;
    ward_git_options o = WARD_INIT(ward_git_options);
    o.range = "HEAD~1..HEAD";
    CHECK_INT(hist("r", &o, &l), WARD_OK);
    CHECK_INT(l.findings, 1);
    CHECK_STR(l.paths[0], "b.txt");
    CHECK_INT(l.files, 1); /* only the changed blob, not the whole tree */
    o = WARD_INIT(ward_git_options);
    o.since_commit = "HEAD~3";
    CHECK_INT(hist("r", &o, &l), WARD_OK);
    CHECK_INT(l.findings, 1);
    o = WARD_INIT(ward_git_options);
    o.branch = "HEAD~2";
    CHECK_INT(hist("r", &o, &l), WARD_OK);
    CHECK_INT(l.findings, 1);
    CHECK_STR(l.paths[0], ".env");
    o = WARD_INIT(ward_git_options);
    o.branch = "no-such-branch";
    CHECK_INT(hist("r", &o, &l), WARD_EINVAL);
    o = WARD_INIT(ward_git_options);
    o.range = "HEAD";
    CHECK_INT(hist("r", &o, &l), WARD_EINVAL);
}

static void test_side_branch_and_tags(void)
{
    sh("git clone -q r r2 && git -C r2 checkout -qb side HEAD~4");
    plant("r2/side.txt", "x = ghp_%{crc62:30}", 0);
    sh("git -C r2 add . && git -C r2 commit -qm side && git -C r2 checkout -q master 2>/dev/null "
       "|| git -C r2 checkout -q main");
    log_t l;
    CHECK_INT(hist("r2", NULL, &l), WARD_OK);
    CHECK_INT(l.findings, 3); /* all refs are walked, not only HEAD */
    ward_git_options o = WARD_INIT(ward_git_options);
    o.branch = "HEAD";
    CHECK_INT(hist("r2", &o, &l), WARD_OK);
    CHECK_INT(l.findings, 2);
}

static void test_threads_do_not_change_output(void)
{
    sh("git init -q m");
    for (int c = 0; c < 6; c++) {
        for (int i = 0; i < 40; i++) {
            char rel[64];
            snprintf(rel, sizeof rel, "m/f%02d.txt", i);
            if ((i + c) % 3 == 0)
                plant(rel, "v = ghp_%{crc62:30}", 1);
            else
                plant(rel, "plain text %{lower:12}", 1);
        }
        sh("git -C m add . && git -C m commit -qm c%d", c);
    }
    log_t a, b;
    ward_git_options o = WARD_INIT(ward_git_options);
    o.threads = 1;
    CHECK_INT(hist("m", &o, &a), WARD_OK);
    o.threads = 7;
    CHECK_INT(hist("m", &o, &b), WARD_OK);
    CHECK(a.findings > 60);
    CHECK_INT(a.findings, b.findings);
    int same = 1;
    for (int i = 0; i < 64 && i < a.findings; i++)
        same &= !strcmp(a.paths[i], b.paths[i]) && !strcmp(a.shas[i], b.shas[i]) &&
                a.lines[i] == b.lines[i];
    CHECK(same);
}

static void test_binary_and_big_blobs(void)
{
    sh("git init -q bin");
    char p[512];
    snprintf(p, sizeof p, "%s/bin/blob.bin", root);
    FILE *f = fopen(p, "wb");
    fputc(0, f);
    fclose(f);
    plant("bin/blob.bin", "\nk = ghp_%{crc62:30}", 1);
    plant("bin/big.txt", "k = ghp_%{crc62:30} %{lower:200}", 0);
    sh("git -C bin add . && git -C bin commit -qm bin");
    log_t l;
    ward_git_options o = WARD_INIT(ward_git_options);
    o.max_file_size = 100;
    CHECK_INT(hist("bin", &o, &l), WARD_OK);
    CHECK_INT(l.findings, 0);
    CHECK_INT(l.binary, 1);
    CHECK_INT(l.big, 1);
    o.scan_binary = 1;
    o.max_file_size = 0;
    CHECK_INT(hist("bin", &o, &l), WARD_OK);
    CHECK_INT(l.findings, 2);
}

static void test_corrupt_and_missing_objects(void)
{
    sh("cp -r r c");
    char blob[41], tree[41], p[512];
    rev("c", "HEAD~3:.env", blob);
    snprintf(p, sizeof p, "%s/c/.git/objects/%.2s/%s", root, blob, blob + 2);
    chmod(p, 0644);
    FILE *f = fopen(p, "wb");
    CHECK(f != NULL);
    if (f) {
        fputs("this is not a zlib stream", f);
        fclose(f);
    }
    log_t l;
    CHECK_INT(hist("c", NULL, &l), WARD_EPARTIAL);
    CHECK_INT(l.errors, 1);
    CHECK_INT(l.findings, 1); /* the rest of history is still scanned */
    CHECK(strstr(l.errtext, blob) != NULL);
    CHECK(strstr(l.errtext, "'.env'") != NULL);
    /* a missing tree (the tree of commits one and three) */
    rev("c", "HEAD~2^{tree}", tree);
    snprintf(p, sizeof p, "%s/c/.git/objects/%.2s/%s", root, tree, tree + 2);
    CHECK_INT(unlink(p), 0);
    CHECK_INT(hist("c", NULL, &l), WARD_EPARTIAL);
    CHECK(strstr(l.errtext, tree) != NULL);
    CHECK_INT(l.findings, 1);
}

/* A clone made with --filter=blob:none holds only the blobs it checked
 * out: the others are skipped, said once in a note, and are not errors. */
static void test_partial_clone(void)
{
    CHECK_INT(sh("git -C r config uploadpack.allowFilter true && "
                 "git clone -q --no-local --filter=blob:none file://%s/r part && "
                 "ls part/.git/objects/pack/*.promisor",
                 root),
              0);
    log_t l;
    CHECK_INT(hist("part", NULL, &l), WARD_OK);
    CHECK_INT(l.errors, 0);
    CHECK_INT(l.findings, 1); /* b.txt, checked out; .env left history before */
    CHECK_STR(l.paths[0], "b.txt");
    CHECK(l.partial >= 1);
    CHECK_INT(l.notes, 1);
}

static void test_shallow_clone(void)
{
    CHECK_INT(sh("git clone -q --depth 1 file://%s/r sh", root), 0);
    log_t l;
    CHECK_INT(hist("sh", NULL, &l), WARD_OK);
    CHECK_INT(l.errors, 0);
    CHECK_INT(l.shallow, 1);
    CHECK_INT(l.findings, 1);
    CHECK_STR(l.paths[0], "b.txt");
}

static void test_bare_repository(void)
{
    CHECK_INT(sh("git clone -q --bare r bare.git"), 0);
    log_t l;
    CHECK_INT(hist("bare.git", NULL, &l), WARD_OK);
    CHECK_INT(l.findings, 2);
}

static void test_submodule_is_skipped(void)
{
    CHECK_INT(sh("git init -q sup && cd sup && echo x > x && git add x && "
                 "git -c protocol.file.allow=always submodule add -q ../r sub && "
                 "git commit -qm sub"), 0);
    log_t l;
    CHECK_INT(hist("sup", NULL, &l), WARD_OK);
    CHECK_INT(l.submodule, 1);
    CHECK_INT(l.findings, 0);
}

static void test_not_a_repository(void)
{
    sh("mkdir -p plain");
    char p[512], err[512];
    snprintf(p, sizeof p, "%s/plain", root);
    log_t l = {0};
    ward_git_callbacks cb = {.on_finding = on_finding, .on_event = on_event,
                             .on_progress = NULL, .user = &l};
    CHECK_INT(ward_scan_git(E, p, NULL, &cb, err, sizeof err), WARD_EIO);
    CHECK(strstr(err, "' is not a git repository") != NULL);
    CHECK_INT(ward_scan_staged(E, p, NULL, &cb, err, sizeof err), WARD_EIO);
    snprintf(p, sizeof p, "%s/nowhere", root);
    CHECK_INT(ward_scan_git(E, p, NULL, &cb, err, sizeof err), WARD_EIO);
    CHECK(strstr(err, "cannot open '") == err);
    CHECK_INT(ward_scan_git(E, p, NULL, NULL, err, sizeof err), WARD_EINVAL);
}

static void test_abort(void)
{
    log_t l;
    memset(&l, 0, sizeof l);
    l.stop_after = 1;
    ward_git_callbacks cb = {.on_finding = on_finding, .on_event = on_event,
                             .on_progress = NULL, .user = &l};
    char p[512], err[512];
    snprintf(p, sizeof p, "%s/m", root);
    CHECK_INT(ward_scan_git(E, p, NULL, &cb, err, sizeof err), WARD_EABORT);
    CHECK_INT(l.findings, 1);
}

static ward_status staged(const char *repo, log_t *l)
{
    memset(l, 0, sizeof *l);
    ward_git_callbacks cb = {.on_finding = on_finding, .on_event = on_event,
                             .on_progress = NULL, .user = l};
    char p[512], err[512];
    snprintf(p, sizeof p, "%s/%s", root, repo);
    return ward_scan_staged(E, p, NULL, &cb, err, sizeof err);
}

static void test_staged_sees_only_added_lines(void)
{
    sh("git init -q st");
    /* before the first commit: everything staged is new */
    plant("st/old.txt", "k = ghp_%{crc62:30}", 0);
    log_t l;
    sh("git -C st add old.txt");
    CHECK_INT(staged("st", &l), WARD_OK);
    CHECK_INT(l.findings, 1);
    CHECK_INT(l.commits_null, 1);
    sh("git -C st commit -qm one");
    CHECK_INT(staged("st", &l), WARD_OK);
    CHECK_INT(l.findings, 0);
    /* an old secret stays silent when lines are added elsewhere in its file */
    sh("printf 'top\\n' | cat - st/old.txt > st/t && mv st/t st/old.txt && git -C st add .");
    CHECK_INT(staged("st", &l), WARD_OK);
    CHECK_INT(l.findings, 0);
    /* a new secret on an added line is found, at its line */
    plant("st/old.txt", "n = npm_%{crc62:30}", 1);
    sh("git -C st add .");
    CHECK_INT(staged("st", &l), WARD_OK);
    CHECK_INT(l.findings, 1);
    CHECK_INT(l.lines[0], 3);
    CHECK_STR(l.paths[0], "old.txt");
    sh("git -C st commit -qm two");
    /* unstaged edits are not looked at */
    plant("st/old.txt", "u = ghp_%{crc62:30}", 1);
    plant("st/untracked.txt", "u = ghp_%{crc62:30}", 0);
    CHECK_INT(staged("st", &l), WARD_OK);
    CHECK_INT(l.findings, 0);
    /* a pure rename adds no line */
    sh("git -C st checkout -q -- old.txt && rm st/untracked.txt && git -C st mv old.txt new.txt");
    CHECK_INT(staged("st", &l), WARD_OK);
    CHECK_INT(l.findings, 0);
    /* a copy into another file is new */
    sh("cp st/new.txt st/copy.txt && git -C st add copy.txt");
    CHECK_INT(staged("st", &l), WARD_OK);
    CHECK_INT(l.findings, 2);
}

static void test_staged_bare_is_an_error(void)
{
    log_t l;
    CHECK_INT(staged("bare.git", &l), WARD_EINVAL);
}

/* ward_git_locate: in r, .env's token came in at two and went out at three
 * (HEAD~2); b.txt's token is still at HEAD, on branch main (or master). */
static void test_locate(void)
{
    char blob[41], repo[600], two[41], three[41], head[41];
    char cmd[700];
    snprintf(cmd, sizeof cmd, "git -C '%s/r' rev-parse HEAD~3:.env", root);
    FILE *p = popen(cmd, "r");
    CHECK(p != NULL);
    blob[0] = '\0';
    if (p) {
        if (!fgets(blob, sizeof blob, p))
            blob[0] = '\0';
        pclose(p);
    }
    CHECK_INT(strlen(blob), 40);
    rev("r", "HEAD~3", two);
    rev("r", "HEAD~2", three);
    rev("r", "HEAD", head);
    unsigned char id[1][20];
    for (int i = 0; i < 20; i++)
        sscanf(blob + 2 * i, "%2hhx", &id[0][i]);
    snprintf(repo, sizeof repo, "%s/r", root);
    ward_git_history *h = NULL;
    char err[256];
    CHECK_INT(ward_git_locate(repo, ".env", (const unsigned char(*)[20])id, 1, &h, err,
                              sizeof err),
              WARD_OK);
    CHECK(h != NULL);
    if (!h)
        return;
    CHECK_INT(h->present, 0);
    CHECK_STR(h->removed_in, three);
    CHECK(h->last != NULL);
    CHECK_STR(h->last ? h->last->sha : NULL, two);
    CHECK_STR(h->last ? h->last->author : NULL, "Ann Dev");
    CHECK_INT(h->n_refs, 0);
    CHECK_INT(h->versions, 1);
    ward_git_history_free(h);

    /* b.txt at HEAD holds its current blob */
    snprintf(cmd, sizeof cmd, "git -C '%s/r' rev-parse HEAD:b.txt", root);
    p = popen(cmd, "r");
    blob[0] = '\0';
    if (p) {
        if (!fgets(blob, sizeof blob, p))
            blob[0] = '\0';
        pclose(p);
    }
    for (int i = 0; i < 20; i++)
        sscanf(blob + 2 * i, "%2hhx", &id[0][i]);
    h = NULL;
    CHECK_INT(ward_git_locate(repo, "b.txt", (const unsigned char(*)[20])id, 1, &h, err,
                              sizeof err),
              WARD_OK);
    CHECK(h && h->present && !h->removed_in && h->n_refs == 1);
    CHECK_STR(h && h->last ? h->last->sha : NULL, head);
    ward_git_history_free(h);
    CHECK_INT(ward_git_locate("/nonexistent-ward-repo", "x", NULL, 0, &h, err, sizeof err),
              WARD_EIO);
    CHECK(h == NULL);
}

int main(void)
{
    if (!mkdtemp(root))
        return 1;
    char err[256];
    if (ward_engine_new(NULL, &E, err, sizeof err)) {
        fprintf(stderr, "engine: %s\n", err);
        return 1;
    }
    make_main_repo();
    RUN(test_deleted_secret_found_once_with_commit);
    RUN(test_packed_history);
    RUN(test_allowlist_commits);
    RUN(test_revision_selection);
    RUN(test_side_branch_and_tags);
    RUN(test_threads_do_not_change_output);
    RUN(test_binary_and_big_blobs);
    RUN(test_corrupt_and_missing_objects);
    RUN(test_partial_clone);
    RUN(test_shallow_clone);
    RUN(test_bare_repository);
    RUN(test_submodule_is_skipped);
    RUN(test_not_a_repository);
    RUN(test_locate);
    RUN(test_abort);
    RUN(test_staged_sees_only_added_lines);
    RUN(test_staged_bare_is_an_error);
    ward_engine_free(E);
    char cmd[300];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", root);
    if (system(cmd) != 0)
        return 1;
    return check_summary();
}
