/* ward.h - the public interface of libward, a local secret scanner.
 *
 * This is the only header the programs (the `ward` CLI, the language server,
 * benchmarks) use.  The simple API comes first: load an engine, scan a buffer
 * or a set of paths, receive findings in a callback.  The advanced API follows.
 *
 * Conventions:
 *  - Fallible calls return a ward_status.  Values are only ever added.
 *  - Whoever calls *_new owns the result and frees it with *_free;
 *    *_free(NULL) is a no-op.
 *  - Inputs are borrowed for the duration of a call and never retained.
 *  - Findings reach a callback as borrowed views, valid only during the call.
 *  - The library never prints and never exits.
 *
 * ABI policy: structs that cross the API and may grow begin with a size.
 *  - ward_engine_options, ward_walk_options, ward_git_options (filled in by
 *    the caller) and ward_finding (filled in by the library, or by a caller
 *    handing one back) start with `size_t size`, the sizeof of the struct as
 *    the side that filled it in knew it.  Set it with WARD_INIT:
 *        ward_walk_options wo = WARD_INIT(ward_walk_options);
 *    A size of 0 is refused with WARD_EINVAL.
 *  - Fields are only ever added at the end.  The library reads the fields an
 *    older caller did not know as zero; a newer caller's extra fields are
 *    accepted when zero, refused (WARD_EINVAL) otherwise, since this library
 *    cannot honour them.  Before reading a field added after 0.1, a caller
 *    asks WARD_HAS(ward_finding, f, field).
 *  - The callback tables (ward_callbacks, ward_git_callbacks) and the view
 *    structs the library fills in for one call (ward_rule_info, ward_event,
 *    ward_commit ...) never change: a new callback or field comes as a new
 *    struct and function.  Enumerations only gain values.
 *  - Anything else that breaks a program built against an older ward.h
 *    (a removed or retyped field or function) changes the soname's number
 *    (libward.so.N, WARD_SOVERSION in CMakeLists.txt).
 */
#ifndef WARD_H
#define WARD_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* What libward exports: the functions marked WARD_API here and nothing else
 * (it is built with -fvisibility=hidden; tests/install.sh checks it). */
#if defined(__GNUC__)
#define WARD_API __attribute__((visibility("default")))
#else
#define WARD_API
#endif

#define WARD_VERSION "0.1.0"

/* A struct that begins with its size, ready to fill in (see ABI policy). */
#define WARD_INIT(type) ((type){.size = sizeof(type)})
/* Whether *p, a struct of that type, is large enough to hold field. */
#define WARD_HAS(type, p, field) \
    ((p)->size >= offsetof(type, field) + sizeof(((type *)0)->field))

typedef enum ward_status {
    WARD_OK = 0,
    WARD_ENOMEM = 1,    /* an allocation failed */
    WARD_EINVAL = 2,    /* a bad argument */
    WARD_ECONFIG = 3,   /* a configuration or rule could not be loaded */
    WARD_EIO = 4,       /* a file could not be read */
    WARD_EREGEX = 5,    /* a rule's regex could not be compiled */
    WARD_ESCAN = 6,     /* the matcher failed while scanning */
    WARD_ETOOBIG = 7,   /* an input exceeded a hard limit */
    WARD_EABORT = 8,    /* a callback asked to stop */
    WARD_EPARTIAL = 9   /* the scan finished, but some inputs had errors */
} ward_status;

/* A static, human-readable description of a status; never NULL. */
WARD_API const char *ward_strerror(ward_status st);

typedef enum ward_confidence {
    WARD_CONF_LOW = 0,    /* generic rules: entropy assigned to a secret-like name */
    WARD_CONF_MEDIUM = 1, /* a provider-specific format without internal proof */
    WARD_CONF_HIGH = 2    /* the token's own structure proves it */
} ward_confidence;

/* "low", "medium" or "high". */
WARD_API const char *ward_confidence_name(ward_confidence c);

/* ---------------------------------------------------------------------
 * Engine: a compiled rule set.  Immutable once made; share it freely
 * between threads.
 * ------------------------------------------------------------------- */

typedef struct ward_engine ward_engine;

typedef struct ward_engine_options {
    size_t size;               /* sizeof, set by WARD_INIT (ABI policy above) */
    /* Path of a TOML configuration (gitleaks schema plus ward's additions),
     * or NULL.  Without `[extend] useDefault = true` a config that defines
     * rules replaces the built-in catalog; one that only has allowlists
     * extends it. */
    const char *config_path;
    /* Configuration text given directly (used when config_path is NULL). */
    const char *config_text;
    size_t config_len;
    /* Set to ignore the built-in catalog entirely. */
    int no_default_rules;
    /* Where to cache compiled databases of custom rule sets; NULL picks
     * $XDG_CACHE_HOME/ward (or ~/.cache/ward); "" disables the cache. */
    const char *cache_dir;
    /* Layers of encoding looked through (base64, %-encoding, string
     * escapes; a base64 blob inside a JSON string is two): 0 means the
     * default, 1; negative means none; at most WARD_MAX_DECODE_DEPTH. */
    int decode_depth;
} ward_engine_options;

#define WARD_MAX_DECODE_DEPTH 3

/* Loads the rules and their compiled matcher.  With opts NULL (or fresh
 * from WARD_INIT) it loads the built-in catalog from the database serialised at build time,
 * in a few milliseconds.  On failure *out is NULL and, when errbuf is given,
 * it holds a one-line reason ("rules.toml:12: unterminated string"). */
WARD_API ward_status ward_engine_new(const ward_engine_options *opts, ward_engine **out,
                            char *errbuf, size_t errlen);
WARD_API void ward_engine_free(ward_engine *e);

/* Warnings produced while loading (a rule that fell back to PCRE2-only
 * matching, an unsupported config key); index from 0, NULL past the end. */
WARD_API const char *ward_engine_warning(const ward_engine *e, size_t i);

/* ---------------------------------------------------------------------
 * Rules: read-only views of the loaded catalog.
 * ------------------------------------------------------------------- */

typedef struct ward_rule_info {
    const char *id;
    const char *description;
    const char *regex;        /* NULL for a path-only rule */
    const char *validator;    /* offline validator name, or NULL */
    ward_confidence confidence; /* before validation */
    double entropy;           /* minimum Shannon entropy of the secret; 0 = none */
    size_t n_keywords;
    const char *const *keywords;
    size_t n_positive, n_negative; /* example templates (see ward_example_expand) */
    const char *const *positive;
    const char *const *negative;
    /* Where the owner revokes or rotates the credential: a URL or one
     * line of text; NULL when the rule does not say. */
    const char *revoke;
    /* The provider's prefix in another length or alphabet: matches are
     * reported at medium at most, "shape differs from the documented
     * format"; NULL when the rule has no such tier. */
    const char *loose;
} ward_rule_info;

WARD_API size_t ward_engine_rule_count(const ward_engine *e);
/* Fills *info for rule i; returns WARD_EINVAL when i is out of range.  The
 * strings belong to the engine. */
WARD_API ward_status ward_engine_rule(const ward_engine *e, size_t i, ward_rule_info *info);

/* ---------------------------------------------------------------------
 * Findings.
 * ------------------------------------------------------------------- */

#define WARD_FINGERPRINT_LEN 32 /* hex characters, NUL not included */

typedef struct ward_finding {
    size_t size;               /* sizeof, set by WARD_INIT (ABI policy above) */
    const char *rule_id;
    const char *description;
    size_t rule_index;
    ward_confidence confidence;
    const char *reason;       /* why this confidence, e.g. "checksum valid" */
    const char *path;         /* as given or walked; "-" for stdin; may be NULL */

    /* The secret itself (a capture group of the rule, or the whole match). */
    const char *secret;
    size_t secret_len;
    /* Byte offsets in the input: the secret, and the whole rule match. */
    uint64_t offset, length;
    uint64_t match_offset, match_length;
    /* 1-based positions of the secret; columns count bytes; end_column is
     * the column just past the secret's last byte (exclusive). */
    uint64_t line, column, end_line, end_column;
    /* The full text of the line the secret starts on (without newline),
     * capped at a few KiB; useful for context and for SARIF columns. */
    const char *line_text;
    size_t line_len;
    size_t line_col0;         /* offset of the secret's start inside line_text */

    double entropy;           /* Shannon entropy of the secret, bits per byte */
    /* Hash of rule id and secret, lowercase hex: identifies a secret without
     * revealing it, independent of its position. */
    char fingerprint[WARD_FINGERPRINT_LEN + 1];
    /* NULL, or how the secret was encoded where it was found: "base64",
     * "percent" or "json-escape", or "utf-16le"/"utf-16be" for a buffer
     * that starts with a UTF-16 byte-order mark (scanned transcoded to
     * UTF-8; line, columns and line_text then describe the UTF-8 text).
     * Then offset and length are the encoded span in the input, and secret
     * is the decoded secret. */
    const char *encoding;
    /* The rule's revoke text (see ward_rule_info), or NULL. */
    const char *revoke;
} ward_finding;

/* Return 0 to go on, non-zero to stop the scan (it then returns WARD_EABORT). */
typedef int (*ward_finding_fn)(const ward_finding *f, void *user);

/* A display preview of a secret (nothing to do with ward_redactor_*, which
 * masks streams): writes a redacted form of secret into out: the first few characters (at
 * most 4, none for secrets under 8; for a PEM block its BEGIN line, which
 * holds no key material) then "…(N chars)".  Never more than
 * outlen-1 bytes; always NUL-terminated when outlen > 0.  Returns out. */
WARD_API char *ward_redact_preview(const char *secret, size_t len, char *out, size_t outlen);

/* ---------------------------------------------------------------------
 * Scanning a buffer.  A scanner holds per-thread scratch space: one per
 * thread, reused for any number of buffers.
 * ------------------------------------------------------------------- */

typedef struct ward_scanner ward_scanner;

WARD_API ward_status ward_scanner_new(const ward_engine *e, ward_scanner **out);
WARD_API void ward_scanner_free(ward_scanner *s);

/* Scans len bytes, calling fn for each finding in order of position.  path
 * (may be NULL) selects path-specific rules and allowlists and is copied into
 * findings.  Any bytes are accepted (invalid UTF-8, NULs). */
WARD_API ward_status ward_scan_buffer(ward_scanner *s, const char *buf, size_t len,
                             const char *path, ward_finding_fn fn, void *user);

/* ---------------------------------------------------------------------
 * Scanning files and folders with a worker pool.
 * ------------------------------------------------------------------- */

typedef struct ward_walk_options {
    size_t size;               /* sizeof, set by WARD_INIT (ABI policy above) */
    unsigned threads;          /* 0 = number of online CPUs */
    int follow_symlinks;       /* follow symbolic links (loops are detected) */
    int no_ignore;             /* do not honour .gitignore */
    int scan_binary;           /* scan files that look binary */
    /* 0 = no limit (files are read in bounded chunks, so any size is
     * scanned); larger files are skipped with a WARD_SKIP_SIZE event */
    uint64_t max_file_size;
    /* When set, the scan stops soon after *cancel becomes non-zero (read
     * atomically; another thread sets it) and returns WARD_EABORT. */
    const int *cancel;
} ward_walk_options;

typedef enum ward_event_kind {
    WARD_EV_ERROR = 0,   /* a path could not be read; counts as an error */
    WARD_EV_SKIPPED = 1, /* a path was passed over on purpose (binary, too big) */
    WARD_EV_NOTE = 2     /* worth telling the user, not an error: what a scan
                          * could not cover (a partial clone's missing blobs) */
} ward_event_kind;

/* Why a WARD_EV_SKIPPED event passed something over, for summaries. */
typedef enum ward_skip_kind {
    WARD_SKIP_OTHER = 0,  /* a symbolic link loop, a submodule, a shallow boundary ... */
    WARD_SKIP_BINARY = 1, /* looks binary (scan_binary scans it) */
    WARD_SKIP_SIZE = 2,   /* over max_file_size */
    WARD_SKIP_ABSENT = 3  /* not in this partial clone (a WARD_EV_NOTE sums them up) */
} ward_skip_kind;

typedef struct ward_event {
    ward_event_kind kind;
    const char *path;
    const char *what;     /* "cannot open", "cannot read", "skipped", ... */
    const char *message;  /* "Permission denied", "binary file", ... */
    ward_skip_kind skip;  /* for WARD_EV_SKIPPED */
} ward_event;

typedef struct ward_progress {
    uint64_t files, bytes, findings, errors;
    int done;             /* 1 on the final call */
} ward_progress;

typedef struct ward_callbacks {
    ward_finding_fn on_finding;                       /* required */
    void (*on_event)(const ward_event *ev, void *user); /* may be NULL */
    /* Called from the delivering thread roughly every 100 ms, and once at the
     * end with done set; may be NULL. */
    void (*on_progress)(const ward_progress *p, void *user);
    void *user;
} ward_callbacks;

/* Scans files and folders ("-" reads standard input).  Folders are walked in
 * sorted order; files are scanned in parallel but findings and events are
 * delivered in walk order, from one thread at a time, so output is the same
 * for any thread count.  Returns WARD_OK, WARD_EPARTIAL when some path had
 * an error (each was reported through on_event), or another error. */
WARD_API ward_status ward_scan_paths(const ward_engine *e, const char *const *paths,
                            size_t n_paths, const ward_walk_options *opts,
                            const ward_callbacks *cb);

/* ---------------------------------------------------------------------
 * Redacting a stream: bytes in, the same bytes out with every secret
 * masked.  Used by `ward redact` and `ward mask`.  Memory is bounded: at
 * most WARD_REDACT_HOLD bytes are ever held back.
 * ------------------------------------------------------------------- */

#define WARD_REDACT_HOLD (1u << 20)

typedef enum ward_mask_style {
    WARD_MASK_DOTS = 0,   /* each character of the secret becomes U+25CF */
    WARD_MASK_PREFIX = 1, /* the first 4 characters stay, the rest become U+25CF */
    WARD_MASK_FIXED = 2   /* the secret becomes "[REDACTED:rule-id]" */
} ward_mask_style;

/* Receives output; return 0 to go on, non-zero to stop (the call that
 * wrote then returns WARD_EABORT). */
typedef int (*ward_write_fn)(const char *buf, size_t len, void *user);

/* How much a flush may release.  A program calls SHORT after a few
 * milliseconds without input, LONG after some tens, STALE after about a
 * second (ward uses 3 ms, 30 ms, 1 s), END at end of input. */
typedef enum ward_flush_level {
    WARD_FLUSH_SHORT = 0, /* a short pause: release all but a trailing run of
                           * token characters (it could still be the start of
                           * a secret) and an unfinished private-key block */
    WARD_FLUSH_LONG = 1,  /* a long pause: release everything held but a
                           * trailing run that looks like the start of a
                           * secret (a provider's token prefix such as
                           * "ghp_", or a value after a secret-like
                           * assignment: "token=", "password: ",
                           * "Authorization: Bearer ") and an unfinished
                           * private-key block; so a prompt goes out, and
                           * half a token never does */
    WARD_FLUSH_END = 2,   /* end of input: release everything */
    WARD_FLUSH_STALE = 3  /* what LONG held waited long enough: release
                           * everything, that run and key block masked (the
                           * characters that continue the run later are
                           * masked too, up to the next delimiter) */
} ward_flush_level;

typedef struct ward_redactor ward_redactor;

WARD_API ward_status ward_redactor_new(const ward_engine *e, ward_mask_style style,
                              ward_redactor **out);
WARD_API void ward_redactor_free(ward_redactor *r);

/* Takes len bytes.  Complete lines are scanned and written through out at
 * once; a partial last line is held until its newline arrives or a flush.
 * ANSI escape sequences are looked through (a secret with colour codes
 * inside it is still found) and passed on unchanged.  With no secret in the
 * input, the output is byte-identical to it. */
WARD_API ward_status ward_redactor_write(ward_redactor *r, const char *buf, size_t len,
                                ward_write_fn out, void *user);
/* Releases held bytes as the level allows.  WARD_EINVAL for an unknown
 * level. */
WARD_API ward_status ward_redactor_flush(ward_redactor *r, ward_flush_level level,
                                ward_write_fn out, void *user);
/* Bytes held back now, and secrets masked so far. */
WARD_API size_t ward_redactor_pending(const ward_redactor *r);
WARD_API uint64_t ward_redactor_masked(const ward_redactor *r);

/* ---------------------------------------------------------------------
 * Git: a repository's whole history, and what is staged for a commit.
 * ------------------------------------------------------------------- */

struct ward_git_history;

/* The commit that introduced a blob at a path.  Strings are borrowed views,
 * valid during the callback only. */
typedef struct ward_commit {
    const char *sha;          /* 40 lowercase hex digits */
    const char *author;       /* author name, "" when absent */
    const char *email;        /* author email, "" when absent */
    int64_t time;             /* author time, seconds since the epoch (UTC) */
    int tz_minutes;           /* the author's UTC offset, in minutes */
    /* History scans that summarise (the default): what became of the
     * secret after this commit brought it in; NULL otherwise. */
    const struct ward_git_history *history;
} ward_commit;

/* One secret at one place across a history: a history scan reports each
 * (rule, fingerprint, path) once, with the commit that introduced it (the
 * ward_commit), and this.  Borrowed, valid during the callback only. */
typedef struct ward_git_history {
    const ward_commit *last;  /* the last commit in which the path held it */
    uint64_t versions;        /* how many blob versions at this path held it */
    /* 1 when HEAD's tree (or the scanned branch's) still holds it at this
     * path; 0 when it was removed: removed_in is then the commit that took
     * it out (NULL when that commit is not on HEAD's first-parent line). */
    int present;
    const char *removed_in;
    /* The branches (refs/heads/..., and HEAD) whose tips still hold it. */
    size_t n_refs;
    const char *const *refs;
    /* The blobs that held it at this path (20-byte ids), oldest first. */
    size_t n_blobs;
    const unsigned char (*blobs)[20];
} ward_git_history;

typedef struct ward_git_options {
    size_t size;               /* sizeof, set by WARD_INIT (ABI policy above) */
    unsigned threads;          /* 0 = one per online CPU but the walking one */
    int scan_binary;           /* scan blobs that look binary */
    uint64_t max_file_size;    /* 0 = no limit; larger blobs are skipped (WARD_SKIP_SIZE) */
    /* What to walk (history scans only).  All NULL: every ref and HEAD.
     * branch: one revision ("main", "v1.2", a sha) and its ancestors.
     * range: "A..B", the commits reachable from B but not from A.
     * since_commit: the walked commits minus that commit and its ancestors. */
    const char *branch;
    const char *range;
    const char *since_commit;
    /* Every blob version's findings as they are scanned, each with the
     * commit that introduced that blob (history NULL), instead of one
     * summarised finding per (rule, fingerprint, path) at the end. */
    int all_occurrences;
    /* Commits (ids or revisions) whose ancestry is not walked: the tips an
     * earlier scan covered, for an incremental scan.  n_hide of them. */
    const char *const *hide;
    size_t n_hide;
} ward_git_options;

/* Like ward_finding_fn, with the commit (NULL for ward_scan_staged). */
typedef int (*ward_git_finding_fn)(const ward_finding *f, const ward_commit *c, void *user);

typedef struct ward_git_callbacks {
    ward_git_finding_fn on_finding;                     /* required */
    void (*on_event)(const ward_event *ev, void *user); /* may be NULL */
    void (*on_progress)(const ward_progress *p, void *user); /* files = blobs */
    void *user;
    /* Incremental scans (may be NULL): blob_known returns 1 for a blob
     * scanned before, which is then neither read nor scanned; it is called
     * from the walking thread only.  blob_scanned is called, in order and
     * one thread at a time, for every blob read and scanned (with or
     * without findings; not for skipped ones), so a store can record it. */
    int (*blob_known)(const unsigned char id[20], void *user);
    void (*blob_scanned)(const unsigned char id[20], void *user);
} ward_git_callbacks;

/* Scans the history of the repository at repo (a working tree or a bare
 * repository; NULL or "." also searches the parent folders).  Commits are
 * visited oldest first (parents before children); each distinct blob is
 * read once from the object database and scanned once, its findings tied
 * to the first commit that introduced it and to its path there.  Blobs are
 * scanned in parallel and delivered in that order from one thread at a time.
 * Findings' paths are relative to the repository root.  A whole history
 * (every ref, packed, no rule with a path) is swept first: every blob is
 * scanned in pack order with no path, and the walk then reads only the
 * blobs that may hold something (docs/git.md); the results are the same.
 * Memory: a set of 20-byte object ids plus a window of blobs in flight; or,
 * with a sweep, 9 bytes per packed object and 8 per tree while it runs, 5
 * per object after, plus a few records per commit.
 *
 * By default each (rule, fingerprint, path) is delivered once, after the
 * walk, with the commit that introduced it and its history (ward_commit's
 * history: last commit, versions, present at HEAD or removed and where);
 * opts->all_occurrences delivers every blob version's findings as found.
 *
 * Missing or corrupt objects are reported through on_event (WARD_EV_ERROR,
 * path = the object id) and the scan goes on; the boundary of a shallow
 * clone, submodules, binary and oversized blobs are WARD_EV_SKIPPED events.
 * In a partial clone (--filter), objects it left out are WARD_EV_SKIPPED,
 * not errors, and one WARD_EV_NOTE at the end says how many there were.
 * Returns WARD_OK, WARD_EPARTIAL when some object could not be read,
 * WARD_EIO with "'x' is not a git repository" (or similar) in errbuf when
 * the repository or a revision cannot be opened, or libgit2 cannot be
 * loaded (libward loads it on the first call that needs a repository:
 * "cannot load 'libgit2.so.1.5': reason"), WARD_EINVAL for a bad range,
 * WARD_ETOOBIG past 4 G commits, or WARD_EABORT.  There is no limit on the
 * number of objects (WARD_GIT_MAX_OBJECTS, 5 M, was one before soname 1;
 * the name stays for programs that print it). */
#define WARD_GIT_MAX_OBJECTS (5u << 20)
WARD_API ward_status ward_scan_git(const ward_engine *e, const char *repo, const ward_git_options *opts,
                          const ward_git_callbacks *cb, char *errbuf, size_t errlen);

/* Where a secret known to have been in the blobs `blobs` at `path` stands
 * now in the repository at repo (as for ward_scan_git): fills history's
 * present, removed_in, refs and last (strings and arrays owned by *out,
 * freed by ward_git_history_free; versions, blobs and n_blobs are copied
 * from the arguments).  Used after an incremental scan, to bring findings
 * of earlier scans up to date.  Errors as for ward_scan_git. */
WARD_API ward_status ward_git_locate(const char *repo, const char *path, const unsigned char (*blobs)[20],
                            size_t n_blobs, struct ward_git_history **out, char *errbuf,
                            size_t errlen);
WARD_API void ward_git_history_free(struct ward_git_history *h);

/* Scans what is staged in the repository at repo (NULL or "." searches the
 * parent folders): the index against HEAD, or against nothing before the
 * first commit.  Only findings on lines that the index adds or changes are
 * delivered; unstaged edits and history are not looked at.  Renames are
 * followed, so a moved file reports only its edited lines.  Errors as for
 * ward_scan_git; the commit passed to on_finding is NULL. */
WARD_API ward_status ward_scan_staged(const ward_engine *e, const char *repo,
                             const ward_git_options *opts, const ward_git_callbacks *cb,
                             char *errbuf, size_t errlen);

/* What names a repository in a report (SARIF's versionControlProvenance).
 * Each string is malloc'd, or NULL when there is none. */
typedef struct ward_repo_info {
    /* The "origin" remote as a URI, with any user name and password taken
     * out ("git@host:org/x.git" becomes "ssh://host/org/x.git"); without a
     * remote, the file: URI of the repository's folder. */
    char *uri;
    char *revision;           /* HEAD's commit (40 hex digits); NULL before the first */
    char *branch;             /* HEAD's branch ("refs/heads/main"); NULL when detached */
    char *workdir;            /* the work tree's absolute path, no trailing '/'; NULL if bare */
} ward_repo_info;

/* Fills *info for the repository at repo (as for ward_scan_git).  Errors:
 * WARD_EIO (not a repository, or libgit2 cannot be loaded), WARD_ENOMEM. */
WARD_API ward_status ward_repo_info_get(const char *repo, ward_repo_info *info);
WARD_API void ward_repo_info_free(ward_repo_info *info);

/* Where the repository at repo (as for ward_scan_git) keeps its hooks:
 * core.hooksPath when set ("~/" is $HOME, a relative path is the work
 * tree's, as git takes it), else the hooks folder of its git directory.
 * On WARD_OK, *hooks (no trailing '/') and *workdir (the work tree with a
 * trailing '/', NULL for a bare repository) are malloc'd and the caller's;
 * otherwise both are NULL.  Errors: WARD_EIO (not a repository, or libgit2
 * cannot be loaded; why in errbuf), WARD_ENOMEM, WARD_EINVAL. */
WARD_API ward_status ward_repo_hooks_dir(const char *repo, char **hooks, char **workdir,
                                         char *errbuf, size_t errlen);

/* ---------------------------------------------------------------------
 * Datastore: what incremental history scans remember, in one SQLite file
 * (schema in docs/datastore.md, its version in PRAGMA user_version).  It
 * keeps the refs and blobs already scanned and each finding (rule,
 * fingerprint, path, repository) with its first and last sighting; never a
 * secret, only its fingerprint and redacted preview.  Written in
 * transactions: a scan killed half-way leaves a consistent store, and the
 * next scan of that repository skips what was already recorded.  Not
 * thread-safe, except as the callbacks below say.
 * ------------------------------------------------------------------- */

#define WARD_STORE_SCHEMA 1
/* Blob ids loaded into memory for one repository, at most. */
#define WARD_STORE_MAX_BLOBS (1u << 26)

typedef struct ward_store ward_store;
typedef struct ward_store_scan ward_store_scan;

/* Opens (create: creating if absent) the datastore at path.  WARD_EIO when it
 * cannot be opened or is not a datastore, WARD_ECONFIG for a schema version
 * this build does not know; the reason in errbuf. */
WARD_API ward_status ward_store_open(const char *path, int create, ward_store **out, char *errbuf,
                            size_t errlen);
WARD_API void ward_store_free(ward_store *s);

/* Starts a scan of the repository at repo, recorded under name: records the
 * scan, reads the ref tips (stored at the end if it succeeds) and loads the
 * ids of the blobs scanned before into memory.  Errors as for
 * ward_store_open, WARD_EIO when repo is not a repository. */
WARD_API ward_status ward_store_scan_begin(ward_store *s, const char *name, const char *repo,
                                  ward_store_scan **out, char *errbuf, size_t errlen);
/* The commits earlier scans covered, for ward_git_options.hide; owned by
 * the scan. */
WARD_API const char *const *ward_store_scan_hide(const ward_store_scan *sc, size_t *n);
/* How many blobs earlier scans of the repository recorded. */
WARD_API size_t ward_store_scan_known(const ward_store_scan *sc);
/* For ward_git_callbacks: blob_known (from the walking thread) and
 * blob_scanned (from the delivering thread).  A history scan must deliver
 * a blob's findings before its blob_scanned call, and the store must be
 * fed every occurrence (ward_git_options.all_occurrences). */
WARD_API int ward_store_blob_known(ward_store_scan *sc, const unsigned char id[20]);
WARD_API void ward_store_blob_scanned(ward_store_scan *sc, const unsigned char id[20]);
/* Records one occurrence (delivering thread).  0, or -1 when the store
 * failed: ward_store_scan_end then reports it. */
WARD_API int ward_store_scan_finding(ward_store_scan *sc, const ward_finding *f, const ward_commit *c);
/* Ends the scan with the history scan's status.  On WARD_OK or
 * WARD_EPARTIAL it brings every stored finding of the repository up to
 * date (present, removed_in, refs, last commit, as ward_git_locate says) and
 * stores the ref tips; otherwise it keeps what was recorded and marks the
 * scan failed.  Returns a store error (reason in errbuf), else WARD_OK. */
WARD_API ward_status ward_store_scan_end(ward_store_scan *sc, ward_status scan_status, char *errbuf,
                                size_t errlen);
/* Frees the scan; one not ended is ended as failed. */
WARD_API void ward_store_scan_free(ward_store_scan *sc);

/* A stored finding, as borrowed views valid during the callback only.  The
 * finding's secret is the redacted preview (line_text is "" and
 * rule_index 0: the store knows no engine); commit->history is set. */
typedef struct ward_store_finding {
    const char *repository;
    const ward_finding *finding;
    const ward_commit *commit;
    int64_t first_seen, last_seen; /* start times of the scans that saw it first, last */
    int is_new;               /* first seen by the scan given to ward_store_findings */
} ward_store_finding;
typedef int (*ward_store_finding_fn)(const ward_store_finding *f, void *user);

/* Every stored finding, ordered by repository, introduction date and path;
 * with new_in set, only those of its repository, and only the ones first
 * seen after that repository's previous successful scan unless all is set.
 * A non-zero return from fn stops with WARD_EABORT. */
WARD_API ward_status ward_store_findings(ward_store *s, const ward_store_scan *new_in, int all,
                                ward_store_finding_fn fn, void *user, char *errbuf,
                                size_t errlen);

/* ---------------------------------------------------------------------
 * Baselines: known findings that must not block work.  An entry is
 * (rule id, fingerprint, path): no line number, so moving a line or
 * editing above it keeps it known, and never the secret.  The file has
 * one entry per line, "rule<TAB>fingerprint<TAB>path", sorted and without
 * duplicates so that it merges cleanly; lines starting with '#' are
 * comments.  Tabs, newlines and backslashes in paths are written as \t,
 * \n and \\.  Not thread-safe: callers serialise (finding callbacks
 * already are).
 * ------------------------------------------------------------------- */

#define WARD_BASELINE_MAX_ENTRIES (1u << 22)

typedef struct ward_baseline ward_baseline;

/* An empty baseline; WARD_ENOMEM on failure. */
WARD_API ward_status ward_baseline_new(ward_baseline **out);
WARD_API void ward_baseline_free(ward_baseline *b);

/* Adds the entries of the file at path (capped at 256 MiB and
 * WARD_BASELINE_MAX_ENTRIES).  WARD_EIO when it cannot be read, WARD_ECONFIG
 * for a malformed line, with "path:line: reason" or the system's reason in
 * errbuf. */
WARD_API ward_status ward_baseline_load(ward_baseline *b, const char *path, char *errbuf,
                               size_t errlen);

/* 1 when the finding's (rule, fingerprint, path) is in the baseline, which
 * then counts the entry as used; 0 otherwise. */
WARD_API int ward_baseline_match(ward_baseline *b, const ward_finding *f);

/* Records the finding's entry (a duplicate is kept once).  WARD_ENOMEM, or
 * WARD_ETOOBIG past WARD_BASELINE_MAX_ENTRIES. */
WARD_API ward_status ward_baseline_add(ward_baseline *b, const ward_finding *f);

/* Writes every entry, sorted, to path (through a temporary file renamed
 * into place).  WARD_EIO with the reason in errbuf. */
WARD_API ward_status ward_baseline_write(ward_baseline *b, const char *path, char *errbuf,
                                size_t errlen);

/* Entries, in sorted order: fills the borrowed strings of entry i (valid
 * until the baseline changes) and says whether it matched anything.
 * WARD_EINVAL past the end. */
typedef struct ward_baseline_entry {
    const char *rule_id;
    const char *fingerprint;
    const char *path;
    int used;
} ward_baseline_entry;
WARD_API size_t ward_baseline_count(ward_baseline *b);
WARD_API ward_status ward_baseline_get(ward_baseline *b, size_t i, ward_baseline_entry *out);


/* ---------------------------------------------------------------------
 * Advanced: example templates, used by tests and benchmarks to make fake
 * tokens at run time (so no realistic token is ever stored).
 *
 * A template is text with directives: %{a62:N} (N characters of [A-Za-z0-9]),
 * %{hex:N}, %{HEX:N}, %{lower:N}, %{upper:N}, %{digit:N}, %{lalnum:N},
 * %{ualnum:N}, %{b32:N}, %{b64:N}, %{b64url:N}, %{crc62:N} (N base62
 * characters then their 6-character base62 CRC32, as GitHub and npm tokens
 * end), %{jwt}, %{pem:LABEL} (a PEM block whose body is DER),
 * %{pemjson:LABEL} (the same, newlines written as the two characters \n, as
 * inside a JSON string), %{uuid}, %{bech32:N} and %{BECH32:N} (the bech32
 * alphabet, lower and upper case), %{pypi} (a PyPI token whose macaroon
 * decodes), %{glsa} (a Grafana service account token with its CRC32 tail),
 * %{atlassian:PREFIX} (an Atlassian-style token ending "=" and a hex CRC32),
 * %{gitlabrt:PREFIX} (a GitLab routable token with its base36 length and
 * CRC32), %{<} and %{>} (mark where the secret starts and ends), and %% for
 * a literal percent sign.
 * ------------------------------------------------------------------- */

/* Expands tmpl with the pseudo-random state *seed (advanced on return).
 * Writes at most cap-1 bytes and a NUL to out; *out_len gets the length.
 * When the template marks the secret, *secret_off and *secret_len get its
 * span, otherwise both are set to (size_t)-1 and 0.  Returns WARD_EINVAL for
 * an unknown directive, WARD_ETOOBIG when out is too small. */
WARD_API ward_status ward_example_expand(const char *tmpl, uint64_t *seed, char *out,
                                size_t cap, size_t *out_len,
                                size_t *secret_off, size_t *secret_len);

#ifdef __cplusplus
}
#endif
#endif /* WARD_H */
