/* server.h - what the language server's files share (not for programs:
 * they use lsp.h).
 *
 * server.c    the server object, dispatch, lifecycle, text synchronisation
 * output.c    framing replies and notifications, small JSON helpers
 * diagnostics.c  scanning open documents and publishing what was found
 * actions.c   code actions and the edits they carry
 * lang.c      language knowledge for the quick fixes (comments, env lookups)
 * workspace.c roots, configuration and baseline reloads, ward.addToBaseline
 * scan.c      the workspace scan
 * serve.c     the stdio loop (lsp_serve)
 * document.c  open documents, positions, file URIs
 * jsonrpc.c   Content-Length framing
 */
#ifndef WARD_LSP_SERVER_H
#define WARD_LSP_SERVER_H

#include <cjson/cJSON.h>

#include "lsp.h"

#define LSP_MAX_MESSAGE (64u << 20) /* bytes of one message body, at most */
#define LSP_MAX_HEADER 8192         /* bytes of one header block, at most */
#define LSP_MAX_DOCUMENT (64u << 20) /* bytes of one open document, at most */

/* JSON-RPC and LSP error codes. */
enum {
    RPC_PARSE_ERROR = -32700,
    RPC_INVALID_REQUEST = -32600,
    RPC_METHOD_NOT_FOUND = -32601,
    RPC_INVALID_PARAMS = -32602,
    RPC_INTERNAL_ERROR = -32603,
    RPC_SERVER_NOT_INITIALIZED = -32002,
    RPC_REQUEST_FAILED = -32803
};

/* ---- framing (jsonrpc.c) ------------------------------------------- */

/* Splits a byte stream into message bodies.  Memory is bounded by
 * LSP_MAX_MESSAGE + LSP_MAX_HEADER; larger messages are skipped. */
typedef struct lsp_reader {
    char *buf;
    size_t len, cap;
    size_t need;      /* body length being waited for, when in_body */
    int in_body;
    size_t scanned;   /* body bytes already searched for a next header */
    uint64_t skip;    /* bytes of an oversized body still to discard */
} lsp_reader;

typedef struct lsp_sink {
    void (*message)(void *user, const char *body, size_t len);
    void (*error)(void *user, int code, const char *msg); /* no id known */
    void *user;
} lsp_sink;

void lsp_reader_init(lsp_reader *r);
void lsp_reader_free(lsp_reader *r);
/* Consumes n bytes, calling sink for each message or framing error.
 * Returns 0, or -1 when out of memory. */
int lsp_reader_feed(lsp_reader *r, const char *data, size_t n, const lsp_sink *sink);

/* ---- positions and documents (document.c) -------------------------- */

typedef enum { ENC_UTF8 = 0, ENC_UTF16 = 1 } lsp_encoding;

/* Units of `enc` in the bytes s[0..n). */
uint64_t lsp_enc_units(const char *s, size_t n, lsp_encoding enc);
/* Bytes of the line s[0..n) (no newline inside) spanned by `units` units of
 * enc, clamped to the line and to a character boundary. */
size_t lsp_enc_bytes(const char *s, size_t n, uint64_t units, lsp_encoding enc);

/* Byte offset of the start of 0-based line `line` in text (len if past the
 * end), and of (line, character) in enc, clamped as the spec says. */
size_t lsp_line_start(const char *text, size_t len, uint64_t line);
size_t lsp_text_offset(const char *text, size_t len, uint64_t line, uint64_t character,
                   lsp_encoding enc);
/* Walks a text's positions forward, so converting N sorted offsets costs
 * one pass over the text instead of N.  Start it zeroed. */
typedef struct lsp_pos_cursor {
    size_t off, ls;
    uint64_t line;
} lsp_pos_cursor;

/* The 0-based line and character of byte offset off.  cur may be NULL;
 * given, it carries the walk from the previous (smaller) offset. */
void lsp_text_position(const char *text, size_t len, size_t off, lsp_encoding enc,
                       lsp_pos_cursor *cur, uint64_t *line, uint64_t *character);

typedef struct lsp_finding {
    char *rule_id;
    char *message;      /* "description, reason": never the secret */
    char fingerprint[WARD_FINGERPRINT_LEN + 1];
    ward_confidence confidence;
    size_t offset, length;   /* the secret, in bytes */
} lsp_finding;

typedef struct lsp_doc {
    char *uri, *path, *language;
    char *text;
    size_t len, cap;
    int64_t version;
    lsp_finding *findings;
    size_t n_findings, cap_findings;
    struct lsp_doc *next;
} lsp_doc;

/* Replaces text[start..end) with rep; returns -1 when it would exceed
 * LSP_MAX_DOCUMENT or memory runs out (the document is then unchanged). */
int lsp_doc_replace(lsp_doc *d, size_t start, size_t end, const char *rep, size_t n);
void lsp_doc_free(lsp_doc *d);
void lsp_doc_clear_findings(lsp_doc *d);

/* file:// URI <-> path (percent-decoding and -encoding); malloc'd, or NULL
 * when uri is not a file URI. */
char *lsp_uri_to_path(const char *uri);
char *lsp_path_to_uri(const char *path);

/* ---- the server object (server.c) --------------------------------- */

enum { ST_UNINIT = 0, ST_READY, ST_SHUTDOWN, ST_EXITED };

struct lsp_server {
    lsp_write_fn out;
    void *out_user;
    int out_broken;
    lsp_reader rd;
    lsp_options opts;
    ward_engine *engine;
    ward_scanner *scanner;
    int state, exit_status;
    lsp_encoding enc;
    /* client capabilities */
    int cap_pull, cap_progress, cap_doc_changes, cap_create, cap_watch, cap_refresh;
    int used_offset_encoding;
    int push_open; /* push diagnostics for open documents */
    int sev[3];    /* LSP severity per confidence */
    char *init_config;
    char **roots;
    size_t n_roots;
    lsp_doc *docs;
    ward_baseline *baseline; /* the roots' .ward-baseline files, or NULL */
    /* workspace scan */
    long next_id;
    long pending_create;   /* id of our workDoneProgress/create, or 0 */
    cJSON *pending_req_id; /* the executeCommand waiting for it */
    char **scan_uris;      /* published by the last workspace scan */
    size_t n_scan_uris;
    struct lsp_scan *scan; /* the running (or stopping) scan, or NULL */
    int wake[2];           /* a pipe: the scan thread writes, the loop polls */
};

/* ---- output and JSON helpers (output.c) --------------------------- */

void lsp_send_result(lsp_server *s, const cJSON *id, cJSON *result);
void lsp_send_error(lsp_server *s, const cJSON *id, int code, const char *text);
void lsp_send_notification(lsp_server *s, const char *method, cJSON *params);
/* Sends a request to the client; returns its id. */
long lsp_send_request(lsp_server *s, const char *method, cJSON *params);
void lsp_show_message(lsp_server *s, int type, const char *text);
/* A $/progress notification (kind "begin", "report" or "end"); nothing
 * when token is NULL. */
void lsp_progress(lsp_server *s, const char *token, const char *kind, const char *title,
                  const char *message);

const char *lsp_jstr(const cJSON *o, const char *key);
cJSON *lsp_jobj(const cJSON *o, const char *key);
/* A non-negative number member, or -1. */
double lsp_jnum(const cJSON *o, const char *key);
/* Whether the member at "a.b.c" is true or an object. */
int lsp_jtrue(const cJSON *o, const char *path);
const cJSON *lsp_jpath(const cJSON *o, const char *path);
int lsp_array_has(const cJSON *a, const char *s);
/* Reads a (parameter) position; -1 when malformed. */
int lsp_get_position(const cJSON *p, uint64_t *line, uint64_t *ch);
cJSON *lsp_make_range(uint64_t l0, uint64_t c0, uint64_t l1, uint64_t c1);

/* ---- diagnostics (diagnostics.c) ----------------------------------- */

/* "description, reason", malloc'd: never the secret. */
char *lsp_finding_message(const ward_finding *f);
/* Scans the document again (its findings are replaced). */
void lsp_analyze(lsp_server *s, lsp_doc *d);
cJSON *lsp_finding_range(const lsp_server *s, const lsp_doc *d, const lsp_finding *f,
                         lsp_pos_cursor *c);
cJSON *lsp_make_diagnostic(const lsp_server *s, cJSON *range, const char *rule,
                           const char *message, ward_confidence conf, const char *fp);
/* Sends diagnostics (when push) and ward/secretRanges; takes diags and
 * ranges.  version < 0 sends none (files not open). */
void lsp_publish_raw(lsp_server *s, const char *uri, int64_t version, cJSON *diags,
                     cJSON *ranges, int push);
void lsp_publish(lsp_server *s, lsp_doc *d);
lsp_doc *lsp_find_doc(lsp_server *s, const char *uri);
void lsp_reanalyze_all(lsp_server *s);
cJSON *lsp_h_diagnostic(lsp_server *s, const cJSON *params, int *code, const char **msg);

/* ---- code actions (actions.c) -------------------------------------- */

cJSON *lsp_h_code_action(lsp_server *s, const cJSON *params, int *code, const char **msg);

/* ---- workspace (workspace.c) --------------------------------------- */

/* The file's bytes (NUL-terminated, at most about max), or NULL. */
char *lsp_read_file(const char *path, size_t *len, size_t max);
int lsp_file_exists(const char *path);
/* path relative to its workspace root (for path rules and the baseline). */
const char *lsp_rel_path(const lsp_server *s, const char *path);
/* The folder where .env and the baseline go: the file's root, else its
 * folder.  Malloc'd. */
char *lsp_home_dir(const lsp_server *s, const char *path);
void lsp_add_root(lsp_server *s, const char *uri);
void lsp_free_baseline(lsp_server *s);
void lsp_load_baseline(lsp_server *s);
int lsp_in_baseline(lsp_server *s, const ward_finding *f, const char *rel);
/* Reloads the rules; on failure keeps the previous ones and tells the client. */
void lsp_reload_config(lsp_server *s);
void lsp_on_did_save(lsp_server *s, const cJSON *params);
void lsp_on_watched(lsp_server *s, const cJSON *params);
void lsp_on_folders(lsp_server *s, const cJSON *params);
cJSON *lsp_add_to_baseline(lsp_server *s, const cJSON *args, int *code, const char **msg);

/* ---- the workspace scan (scan.c) ----------------------------------- */

/* A request handler's answer meaning "the reply is sent later". */
extern cJSON lsp_deferred;
#define LSP_DEFERRED (&lsp_deferred)

/* workspace/executeCommand: may answer LSP_DEFERRED. */
cJSON *lsp_h_execute(lsp_server *s, const cJSON *params, const cJSON *id, int *code,
                     const char **msg);
/* A response from the client to one of our requests. */
void lsp_on_response(lsp_server *s, const cJSON *msg);
/* $/cancelRequest and window/workDoneProgress/cancel. */
void lsp_on_cancel_request(lsp_server *s, const cJSON *params);
void lsp_on_progress_cancel(lsp_server *s, const cJSON *params);
/* Answers a running scan as cancelled (the thread stops soon after). */
void lsp_scan_cancel(lsp_server *s);
/* Cancels and waits for the scan thread (when freeing the server). */
void lsp_scan_stop(lsp_server *s);
/* A reload replaces the engine old: returns 1 when the running scan still
 * uses it and takes it over (freed after the thread ends). */
int lsp_scan_keep_engine(lsp_server *s, ward_engine *old);

/* ---- language knowledge (lang.c) --------------------------------------- */

typedef enum {
    CMT_NONE = 0, CMT_HASH, CMT_SLASH, CMT_DASH, CMT_SEMI, CMT_BLOCK, CMT_XML
} lsp_comment;

lsp_comment lsp_comment_style(const char *language, const char *path);
/* " # ward:allow", " // ward:allow", ...; "" for CMT_NONE. */
const char *lsp_comment_text(lsp_comment c);

typedef enum { ENV_NONE = 0, ENV_PYTHON, ENV_JS, ENV_GO, ENV_RUBY, ENV_SHELL } lsp_envlang;
lsp_envlang lsp_env_language(const char *language, const char *path);

/* Finds the literal around the secret text[off..off+len) and a variable
 * name for it.  On success lit_start and lit_end span what to replace (the
 * quotes included), name gets an upper-case identifier and *replacement a
 * malloc'd lookup expression; returns -1 when there is no clean literal. */
int lsp_env_plan(lsp_envlang lang, const char *text, size_t tlen, size_t off, size_t len,
             const char *rule_id, size_t *lit_start, size_t *lit_end, char *name,
             size_t name_cap, char **replacement);

#endif
