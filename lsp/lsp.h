/* lsp.h - the language server's internal interface.
 *
 * The server is a plain object fed with bytes (lsp_feed) that writes its
 * replies through a callback, so the stdio loop (cmd_lsp.c), the protocol
 * tests, the fuzz target and the benchmark all drive the same code in-process.
 * It uses libward only through <ward.h>, and cJSON for JSON.
 */
#ifndef WARD_LSP_H
#define WARD_LSP_H

#include <stddef.h>
#include <stdint.h>
#include <ward.h>

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

/* Receives one complete outgoing message (header and body); return 0. */
typedef int (*lsp_write_fn)(const char *buf, size_t len, void *user);

/* ---- framing (jsonrpc.c) ------------------------------------------- */

/* Splits a byte stream into message bodies.  Memory is bounded by
 * LSP_MAX_MESSAGE + LSP_MAX_HEADER; larger messages are skipped. */
typedef struct rpc_reader {
    char *buf;
    size_t len, cap;
    size_t need;      /* body length being waited for, when in_body */
    int in_body;
    size_t scanned;   /* body bytes already searched for a next header */
    uint64_t skip;    /* bytes of an oversized body still to discard */
} rpc_reader;

typedef struct rpc_sink {
    void (*message)(void *user, const char *body, size_t len);
    void (*error)(void *user, int code, const char *msg); /* no id known */
    void *user;
} rpc_sink;

void rpc_reader_init(rpc_reader *r);
void rpc_reader_free(rpc_reader *r);
/* Consumes n bytes, calling sink for each message or framing error.
 * Returns 0, or -1 when out of memory. */
int rpc_reader_feed(rpc_reader *r, const char *data, size_t n, const rpc_sink *sink);

/* ---- positions and documents (document.c) -------------------------- */

typedef enum { ENC_UTF8 = 0, ENC_UTF16 = 1 } lsp_encoding;

/* Units of `enc` in the bytes s[0..n). */
uint64_t enc_units(const char *s, size_t n, lsp_encoding enc);
/* Bytes of the line s[0..n) (no newline inside) spanned by `units` units of
 * enc, clamped to the line and to a character boundary. */
size_t enc_bytes(const char *s, size_t n, uint64_t units, lsp_encoding enc);

/* Byte offset of the start of 0-based line `line` in text (len if past the
 * end), and of (line, character) in enc, clamped as the spec says. */
size_t text_line_start(const char *text, size_t len, uint64_t line);
size_t text_offset(const char *text, size_t len, uint64_t line, uint64_t character,
                   lsp_encoding enc);
/* The 0-based line and character of byte offset off. */
void text_position(const char *text, size_t len, size_t off, lsp_encoding enc,
                   uint64_t *line, uint64_t *character);

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
int doc_replace(lsp_doc *d, size_t start, size_t end, const char *rep, size_t n);
void doc_free(lsp_doc *d);
void doc_clear_findings(lsp_doc *d);

/* file:// URI <-> path (percent-decoding and -encoding); malloc'd, or NULL
 * when uri is not a file URI. */
char *uri_to_path(const char *uri);
char *path_to_uri(const char *path);

/* ---- the server (lsp.c) -------------------------------------------- */

typedef struct lsp_server lsp_server;

typedef struct lsp_options {
    const char *config_path; /* --config: overrides the workspace's .ward.toml */
    int no_config;           /* --no-config */
    unsigned threads;        /* workspace scan threads; 0 = all CPUs */
    int dry_run;             /* never write a file or walk a folder (fuzzing) */
} lsp_options;

/* Makes a server writing through out.  Returns NULL when out of memory or
 * the built-in catalog cannot be loaded (errbuf then says why). */
lsp_server *lsp_server_new(const lsp_options *opts, lsp_write_fn out, void *user,
                           char *errbuf, size_t errlen);
void lsp_server_free(lsp_server *s);
/* Feeds bytes read from the client.  Returns 0 to go on, 1 once the client
 * sent `exit` (lsp_exit_status then tells the process's status). */
int lsp_feed(lsp_server *s, const char *buf, size_t len);
/* 0 when shutdown came before exit or EOF, 1 otherwise (per the spec). */
int lsp_exit_status(const lsp_server *s);

/* ---- quick fixes (actions.c) --------------------------------------- */

typedef enum {
    CMT_NONE = 0, CMT_HASH, CMT_SLASH, CMT_DASH, CMT_SEMI, CMT_BLOCK, CMT_XML
} lsp_comment;

lsp_comment comment_style(const char *language, const char *path);
/* " # ward:allow", " // ward:allow", ...; "" for CMT_NONE. */
const char *comment_text(lsp_comment c);

typedef enum { ENV_NONE = 0, ENV_PYTHON, ENV_JS, ENV_GO, ENV_RUBY, ENV_SHELL } lsp_envlang;
lsp_envlang env_language(const char *language, const char *path);

/* Finds the literal around the secret text[off..off+len) and a variable
 * name for it.  On success lit_start and lit_end span what to replace (the
 * quotes included), name gets an upper-case identifier and *replacement a
 * malloc'd lookup expression; returns -1 when there is no clean literal. */
int env_plan(lsp_envlang lang, const char *text, size_t tlen, size_t off, size_t len,
             const char *rule_id, size_t *lit_start, size_t *lit_end, char *name,
             size_t name_cap, char **replacement);

#endif
