/* lsp.h - the language server's entry points.
 *
 * The server is a plain object fed with bytes (lsp_feed) that writes its
 * replies through a callback, so the stdio loop (lsp_serve, used by the
 * `ward lsp` command in cli/cmd_lsp.c), the protocol tests, the fuzz target
 * and the benchmark all drive the same code in-process.  It uses libward
 * only through <ward.h>, and cJSON for JSON.  The pieces behind this header
 * share lsp/server.h.
 */
#ifndef WARD_LSP_H
#define WARD_LSP_H

#include <stddef.h>
#include <stdint.h>
#include <ward.h>

/* Receives one complete outgoing message (header and body); return 0. */
typedef int (*lsp_write_fn)(const char *buf, size_t len, void *user);

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

/* The workspace scan runs on its own thread: this descriptor becomes
 * readable when it has results, and lsp_pump (called from the thread that
 * feeds the server) sends them.  lsp_pump returns 1 while a scan is still
 * running, 0 otherwise. */
int lsp_wake_fd(const lsp_server *s);
int lsp_pump(lsp_server *s);

/* Runs the server on in_fd/out_fd until the client sends `exit` or goes
 * away.  Returns the process's status (0, or 1 for an exit without
 * shutdown), or -1 with errbuf saying why it could not run. */
int lsp_serve(const lsp_options *opts, int in_fd, int out_fd, char *errbuf, size_t errlen);

#endif
