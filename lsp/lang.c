/* lang.c - language knowledge for the quick fixes: which comment syntax a
 * file uses (for a `ward:allow` comment), and how to replace a string literal
 * with an environment lookup ("move to .env").
 *
 * The language comes from the client's languageId, else from the file's
 * extension.  Everything here is pure text work; actions.c builds the edits.
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "server.h"

typedef struct lang_row {
    const char *names; /* space-separated languageIds and .extensions */
    lsp_comment comment;
    lsp_envlang env;
} lang_row;

static const lang_row langs[] = {
    {"python .py .pyw .pyi", CMT_HASH, ENV_PYTHON},
    {"ruby .rb .rake .gemspec", CMT_HASH, ENV_RUBY},
    {"shellscript sh bash zsh .sh .bash .zsh .ksh", CMT_HASH, ENV_SHELL},
    {"javascript javascriptreact typescript typescriptreact .js .mjs .cjs .jsx .ts .mts .cts "
     ".tsx",
     CMT_SLASH, ENV_JS},
    {"go .go", CMT_SLASH, ENV_GO},
    {"yaml toml perl r dockerfile makefile properties dotenv powershell elixir julia "
     "coffeescript terraform hcl nix conf cmake .yml .yaml .toml .pl .r .env .properties "
     ".ps1 .ex .exs .jl .tf .hcl .nix .conf .cfg .mk .cmake",
     CMT_HASH, ENV_NONE},
    {"c cpp csharp java rust swift kotlin scala php dart groovy jsonc objective-c "
     "objective-cpp zig proto .c .h .cc .cpp .hpp .cs .java .rs .swift .kt .kts .scala .php "
     ".dart .groovy .gradle .jsonc .m .zig .proto",
     CMT_SLASH, ENV_NONE},
    {"sql lua haskell elm ada plsql .sql .lua .hs .elm .adb .ads", CMT_DASH, ENV_NONE},
    {"ini lisp clojure scheme asm elisp .ini .lisp .clj .scm .asm .el", CMT_SEMI, ENV_NONE},
    {"css scss less .css .scss .less", CMT_BLOCK, ENV_NONE},
    {"html xml markdown xhtml svg vue .html .htm .xml .md .markdown .xhtml .svg .vue",
     CMT_XML, ENV_NONE},
};

static int word_in(const char *list, const char *w, size_t wn)
{
    for (const char *p = list; *p;) {
        const char *e = strchr(p, ' ');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        if (n == wn && !strncasecmp(p, w, n))
            return 1;
        p += n;
        while (*p == ' ')
            p++;
    }
    return 0;
}

static const lang_row *find_lang(const char *language, const char *path)
{
    size_t nl = sizeof langs / sizeof langs[0];
    if (language && *language)
        for (size_t i = 0; i < nl; i++)
            if (word_in(langs[i].names, language, strlen(language)))
                return &langs[i];
    if (path) {
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        const char *dot = strrchr(base, '.');
        if (!strcasecmp(base, "Dockerfile") || !strcasecmp(base, "Makefile"))
            dot = ".mk";
        else if (!strncmp(base, ".env", 4))
            dot = ".env";
        if (dot)
            for (size_t i = 0; i < nl; i++)
                if (word_in(langs[i].names, dot, strlen(dot)))
                    return &langs[i];
    }
    return NULL;
}

lsp_comment lsp_comment_style(const char *language, const char *path)
{
    const lang_row *r = find_lang(language, path);
    return r ? r->comment : CMT_NONE;
}

const char *lsp_comment_text(lsp_comment c)
{
    switch (c) {
    case CMT_HASH: return " # ward:allow";
    case CMT_SLASH: return " // ward:allow";
    case CMT_DASH: return " -- ward:allow";
    case CMT_SEMI: return " ; ward:allow";
    case CMT_BLOCK: return " /* ward:allow */";
    case CMT_XML: return " <!-- ward:allow -->";
    default: return "";
    }
}

lsp_envlang lsp_env_language(const char *language, const char *path)
{
    const lang_row *r = find_lang(language, path);
    return r ? r->env : ENV_NONE;
}

static int ident_char(int c)
{
    return isalnum(c) || c == '_' || c == '$';
}

/* Upper-cases an identifier, splitting camelCase with '_':
 * apiKey -> API_KEY, github-pat -> GITHUB_PAT.  Returns its length. */
static size_t env_name(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n && o + 2 < cap; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isalnum(c)) {
            if (isupper(c) && i > 0 && islower((unsigned char)s[i - 1]) && o && out[o - 1] != '_')
                out[o++] = '_';
            out[o++] = (char)toupper(c);
        } else if (o && out[o - 1] != '_') {
            out[o++] = '_';
        }
    }
    while (o && out[o - 1] == '_')
        o--;
    if (o && isdigit((unsigned char)out[0]) && o + 1 < cap) {
        memmove(out + 1, out, o);
        out[0] = '_';
        o++;
    }
    out[o] = '\0';
    return o;
}

/* The name assigned to the literal starting at lit on its line:
 * `name = "..."`, `name := "..."`, `"name": "..."`, `name: "..."`,
 * `NAME="..."`.  Returns 0 and the span, or -1. */
static int assigned_name(const char *text, size_t lit, size_t *ns, size_t *ne)
{
    size_t i = lit;
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
        i--;
    if (i == 0 || !strchr("=:", text[i - 1]))
        return -1;
    i--;
    if (i > 0 && text[i - 1] == ':') /* := */
        i--;
    while (i > 0 && (text[i - 1] == ' ' || text[i - 1] == '\t'))
        i--;
    if (i > 0 && (text[i - 1] == '"' || text[i - 1] == '\'')) /* "key": */
        i--;
    size_t e = i;
    while (i > 0 && (ident_char((unsigned char)text[i - 1]) || text[i - 1] == '-' ||
                     text[i - 1] == '.'))
        i--;
    if (i == e)
        return -1;
    /* keep the last part of a dotted name: config.apiKey -> apiKey */
    const char *dot = memrchr(text + i, '.', e - i);
    if (dot)
        i = (size_t)(dot - text) + 1;
    *ns = i;
    *ne = e;
    return i < e ? 0 : -1;
}

int lsp_env_plan(lsp_envlang lang, const char *text, size_t tlen, size_t off, size_t len,
             const char *rule_id, size_t *lit_start, size_t *lit_end, char *name,
             size_t name_cap, char **replacement)
{
    if (lang == ENV_NONE || off == 0 || off + len > tlen || !len || name_cap < 8)
        return -1;
    char q = text[off - 1];
    int quoted = (q == '"' || q == '\'' || (q == '`' && lang == ENV_JS)) &&
                 off + len < tlen && text[off + len] == q;
    if (!quoted && lang != ENV_SHELL)
        return -1;
    if (memchr(text + off, '\n', len))
        return -1; /* a multi-line secret (a PEM block) is not a simple literal */
    *lit_start = quoted ? off - 1 : off;
    *lit_end = quoted ? off + len + 1 : off + len;
    size_t ns, ne;
    size_t nlen = 0;
    if (assigned_name(text, *lit_start, &ns, &ne) == 0)
        nlen = env_name(text + ns, ne - ns, name, name_cap);
    if (!nlen)
        nlen = env_name(rule_id, strlen(rule_id), name, name_cap);
    if (!nlen)
        return -1;
    size_t cap = nlen + 32;
    char *r = malloc(cap);
    if (!r)
        return -1;
    switch (lang) {
    case ENV_PYTHON: snprintf(r, cap, "os.environ[\"%s\"]", name); break;
    case ENV_JS: snprintf(r, cap, "process.env.%s", name); break;
    case ENV_GO: snprintf(r, cap, "os.Getenv(\"%s\")", name); break;
    case ENV_RUBY: snprintf(r, cap, "ENV[\"%s\"]", name); break;
    default: snprintf(r, cap, "\"$%s\"", name); break;
    }
    *replacement = r;
    return 0;
}
