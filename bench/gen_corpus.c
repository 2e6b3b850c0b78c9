/* gen_corpus.c - writes a seeded, source-like corpus with fake secrets in it,
 * for benchmarking ward (throughput, memory, recall) against a known answer.
 *
 *   gen_corpus [--seed N] [--size 200M] [--files 2000] [--rate 200K]
 *              [--manifest PATH] [--threads N] [-q] OUTDIR
 *
 * Approach.  Everything is drawn from our own splitmix64 streams (never
 * rand()), derived from --seed: one for the plan of the files and, for each
 * file, one for its text and one for its secrets.  A file thus depends only
 * on the seed and its index, so the same arguments give byte-identical output
 * whatever the number of threads.  The plan gives each file a language
 * (Python, JavaScript, minified JavaScript, TypeScript, Go, Java, C, YAML,
 * JSON, .env, shell, Markdown, INI, TOML, Dockerfile), a path in nested
 * project folders and a heavy-tailed size, scaled so that the sizes add up to
 * exactly --size.  Threads then build each file in memory from word lists
 * with small per-language generators (imports, functions, classes, config
 * trees, comments, prose, long and minified lines, UUIDs, digests and base64
 * blobs that are not secrets, placeholders such as os.environ["DB_PASSWORD"])
 * and write it with one write().  Between blocks, at exponential gaps of mean
 * --rate bytes, a fake secret is planted on a line of its own: one of the
 * built-in rules' positive example templates (ward_engine_rule) is expanded
 * with ward_example_expand, and the manifest gets path, byte offset and rule
 * (the offset of the secret when the template marks it with %{<}, else of the
 * template).  Two more files hold pathological inputs that once made ward
 * slow (see PATHO): a JavaScript module with a 2.5 MiB base64 run without a
 * break, then a planted secret, and a 4 MiB line of random printable text
 * without any newline; they are part of --size (when --size is at least
 * 28 MiB and --files at least 8) and made like any other file, from the
 * seed and their index.  Only <ward.h> is used.  Text is made at about 600 MB/s per
 * core, mostly memcpy of words; the kernel's page-cache writes cost about as
 * much again.
 *
 * The manifest (default OUTDIR/../manifest.tsv) has a '#' header line, then
 * one line per planted secret, tab-separated: path (relative to OUTDIR),
 * offset, rule id, length of the span, "secret" or "template" (what offset
 * and length mark), then offset and length of the whole expanded template.
 */
#define _POSIX_C_SOURCE 200809L
#include <dirent.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <fcntl.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <ward.h>

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static void die(const char *what, const char *detail)
{
    fprintf(stderr, "gen_corpus: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(2);
}

/* ------------------------------------------------------------------ PRNG */

typedef struct Rng {
    uint64_t s;
} Rng;

static inline uint64_t rnext(Rng *r)
{
    uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
}

/* Uniform below n (multiply-shift; the bias is n / 2^32, irrelevant here). */
static inline uint32_t below(Rng *r, uint32_t n)
{
    return (uint32_t)(((rnext(r) >> 32) * (uint64_t)n) >> 32);
}

static inline int pct(Rng *r, unsigned p)
{
    return below(r, 100) < p;
}

static inline uint32_t between(Rng *r, uint32_t lo, uint32_t hi)
{
    return lo + below(r, hi - lo + 1);
}

static uint64_t derive(uint64_t seed, uint64_t stream)
{
    Rng r = {seed ^ (stream * 0xD1B54A32D192ED03ull)};
    rnext(&r);
    return rnext(&r);
}

/* ---------------------------------------------------------------- buffer */

typedef struct Buf {
    char *p;
    size_t n, cap;
} Buf;

static void grow(Buf *b, size_t need)
{
    size_t c = b->cap ? b->cap : (size_t)1 << 16;
    while (c - b->n < need)
        c *= 2;
    char *p = realloc(b->p, c);
    if (!p)
        die("out of memory", NULL);
    b->p = p;
    b->cap = c;
}

static inline char *room(Buf *b, size_t n)
{
    if (b->cap - b->n < n)
        grow(b, n);
    return b->p + b->n;
}

static inline void put(Buf *b, const char *s, size_t n)
{
    memcpy(room(b, n), s, n);
    b->n += n;
}

static inline void pc(Buf *b, char c)
{
    *room(b, 1) = c;
    b->n++;
}

#define PL(b, lit) put((b), "" lit, sizeof(lit) - 1)

typedef struct Str {
    const char *s;
    size_t n;
} Str;
#define S_(x) {x, sizeof(x) - 1}
#define PICK(r, a) ((a)[below((r), (uint32_t)NELEM(a))])

static inline void ps(Buf *b, Str s)
{
    put(b, s.s, s.n);
}

static inline void pz(Buf *b, const char *s)
{
    put(b, s, strlen(s));
}

static void pnum(Buf *b, uint64_t v)
{
    char t[24];
    int i = 24;
    do {
        t[--i] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    put(b, t + i, (size_t)(24 - i));
}

static void pspaces(Buf *b, size_t n)
{
    memset(room(b, n), ' ', n);
    b->n += n;
}

static inline char upc(char c)
{
    return c >= 'a' && c <= 'z' ? (char)(c - 32) : c;
}

/* mode 0 as is, 1 Capitalised, 2 UPPER */
static void pword(Buf *b, Str w, int mode)
{
    char *d = room(b, w.n);
    memcpy(d, w.s, w.n);
    if (mode == 1)
        d[0] = upc(d[0]);
    else if (mode == 2)
        for (size_t i = 0; i < w.n; i++)
            d[i] = upc(d[i]);
    b->n += w.n;
}

static const char HEX[] = "0123456789abcdef";
static const char B64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

static void rhex(Buf *b, Rng *r, size_t n)
{
    char *d = room(b, n);
    for (size_t i = 0; i < n;) {
        uint64_t x = rnext(r);
        for (int k = 0; k < 16 && i < n; k++, i++, x >>= 4)
            d[i] = HEX[x & 15];
    }
    b->n += n;
}

static void rb64(Buf *b, Rng *r, size_t n)
{
    char *d = room(b, n);
    for (size_t i = 0; i < n;) {
        uint64_t x = rnext(r);
        for (int k = 0; k < 10 && i < n; k++, i++, x >>= 6)
            d[i] = B64[x & 63];
    }
    b->n += n;
}

static void ruuid(Buf *b, Rng *r)
{
    rhex(b, r, 8);
    pc(b, '-');
    rhex(b, r, 4);
    PL(b, "-4");
    rhex(b, r, 3);
    pc(b, '-');
    pc(b, "89ab"[below(r, 4)]);
    rhex(b, r, 3);
    pc(b, '-');
    rhex(b, r, 12);
}

/* ------------------------------------------------------------ word lists */

/* No word here is secret-like (password, token, secret, key, credential):
 * those appear only in deliberate placeholders and planted examples. */
static const Str NOUNS[] = {
    S_("user"), S_("account"), S_("order"), S_("item"), S_("cart"), S_("payment"),
    S_("invoice"), S_("session"), S_("request"), S_("response"), S_("config"), S_("setting"),
    S_("cache"), S_("queue"), S_("worker"), S_("job"), S_("task"), S_("event"),
    S_("message"), S_("handler"), S_("client"), S_("server"), S_("node"), S_("cluster"),
    S_("metric"), S_("report"), S_("file"), S_("path"), S_("buffer"), S_("stream"),
    S_("record"), S_("entry"), S_("table"), S_("index"), S_("schema"), S_("model"),
    S_("view"), S_("route"), S_("product"), S_("customer"), S_("address"), S_("profile"),
    S_("group"), S_("role"), S_("tenant"), S_("region"), S_("bucket"), S_("object"),
    S_("image"), S_("upload"), S_("download"), S_("hook"), S_("notice"), S_("email"),
    S_("template"), S_("page"), S_("widget"), S_("layout"), S_("component"), S_("service"),
    S_("store"), S_("state"), S_("action"), S_("reducer"), S_("logger"), S_("parser"),
    S_("builder"), S_("factory"), S_("manager"), S_("provider"), S_("adapter"), S_("context"),
    S_("option"), S_("result"), S_("error"), S_("status"), S_("limit"), S_("offset"),
    S_("count"), S_("batch"), S_("chunk"), S_("frame"), S_("packet"), S_("socket"),
    S_("channel"), S_("peer"), S_("host"), S_("port"), S_("timeout"), S_("retry"),
    S_("shard"), S_("replica"), S_("snapshot"), S_("backup"), S_("migration"), S_("version"),
    S_("release"), S_("build"), S_("artifact"), S_("pipeline"), S_("stage"), S_("step"),
    S_("container"), S_("volume"), S_("network"), S_("policy"), S_("rule"), S_("filter"),
    S_("query"), S_("cursor"), S_("ledger"), S_("balance"), S_("currency"), S_("price"),
    S_("discount"), S_("coupon"), S_("shipment"), S_("warehouse"), S_("inventory"), S_("vendor"),
    S_("catalog"), S_("label"), S_("tag"), S_("comment"), S_("thread"), S_("feed"),
    S_("score"), S_("rating"), S_("sample"), S_("window"), S_("column"), S_("row"),
};
static const Str VERBS[] = {
    S_("get"), S_("set"), S_("load"), S_("save"), S_("parse"), S_("build"), S_("create"),
    S_("update"), S_("delete"), S_("fetch"), S_("send"), S_("handle"), S_("process"),
    S_("validate"), S_("render"), S_("compute"), S_("resolve"), S_("init"), S_("start"),
    S_("stop"), S_("reset"), S_("apply"), S_("merge"), S_("split"), S_("encode"), S_("decode"),
    S_("read"), S_("write"), S_("open"), S_("close"), S_("flush"), S_("sync"), S_("check"),
    S_("find"), S_("list"), S_("map"), S_("sort"), S_("register"), S_("dispatch"), S_("emit"),
    S_("subscribe"), S_("publish"), S_("schedule"), S_("cancel"), S_("commit"), S_("rollback"),
    S_("normalize"), S_("transform"), S_("serialize"), S_("format"), S_("track"), S_("notify"),
    S_("refresh"), S_("attach"), S_("detach"), S_("collect"), S_("prepare"), S_("ensure"),
};
static const Str ADJS[] = {
    S_("default"), S_("max"), S_("min"), S_("current"), S_("next"), S_("prev"), S_("total"),
    S_("pending"), S_("active"), S_("cached"), S_("local"), S_("remote"), S_("raw"), S_("base"),
    S_("new"), S_("old"), S_("primary"), S_("internal"), S_("public"), S_("shared"),
    S_("global"), S_("temp"), S_("last"), S_("first"), S_("parsed"), S_("initial"),
};
static const Str TYPESUFFIX[] = {
    S_("service"), S_("handler"), S_("manager"), S_("config"), S_("client"), S_("repository"),
    S_("factory"), S_("error"), S_("options"), S_("event"), S_("state"), S_("view"),
};
static const Str ENGLISH[] = {
    S_("the"), S_("a"), S_("of"), S_("to"), S_("and"), S_("in"), S_("is"), S_("it"),
    S_("that"), S_("for"), S_("on"), S_("with"), S_("as"), S_("this"), S_("be"), S_("by"),
    S_("we"), S_("not"), S_("are"), S_("from"), S_("or"), S_("when"), S_("if"), S_("so"),
    S_("only"), S_("each"), S_("every"), S_("once"), S_("before"), S_("after"), S_("still"),
    S_("value"), S_("request"), S_("cache"), S_("retry"), S_("later"), S_("here"),
    S_("should"), S_("must"), S_("can"), S_("will"), S_("may"), S_("returns"), S_("keeps"),
    S_("handles"), S_("ignores"), S_("writes"), S_("reads"), S_("checks"), S_("waits"),
    S_("because"), S_("otherwise"), S_("instead"), S_("already"), S_("empty"), S_("missing"),
    S_("invalid"), S_("slow"), S_("fast"), S_("safe"), S_("simple"), S_("legacy"),
    S_("temporary"), S_("workaround"), S_("upstream"), S_("downstream"), S_("caller"),
    S_("server"), S_("client"), S_("database"), S_("queue"), S_("message"), S_("user"),
    S_("order"), S_("field"), S_("list"), S_("loop"), S_("thread"), S_("lock"), S_("timeout"),
    S_("payload"), S_("header"), S_("response"), S_("error"), S_("path"), S_("file"),
    S_("deployment"), S_("release"), S_("version"), S_("build"), S_("test"), S_("fixture"),
    S_("migration"), S_("schema"), S_("index"), S_("query"), S_("page"), S_("limit"),
    S_("we"), S_("need"), S_("want"), S_("avoid"), S_("keep"), S_("make"), S_("sure"),
    S_("first"), S_("then"), S_("again"), S_("all"), S_("any"), S_("some"), S_("no"),
    S_("new"), S_("old"), S_("same"), S_("other"), S_("next"), S_("last"), S_("one"), S_("two"),
};
static const Str HOSTS[] = {
    S_("api.example.com"), S_("example.org"), S_("cdn.example.net"), S_("docs.example.com"),
    S_("localhost:8080"), S_("registry.npmjs.org"), S_("github.com"), S_("docs.python.org"),
    S_("storage.example.com"), S_("status.example.io"), S_("127.0.0.1:5000"),
    S_("metrics.internal.example.com:9090"), S_("auth.example.com"), S_("pkg.go.dev"),
};
static const Str PY_MODS[] = {
    S_("os"), S_("sys"), S_("json"), S_("logging"), S_("re"), S_("time"), S_("datetime"),
    S_("pathlib"), S_("collections"), S_("itertools"), S_("functools"), S_("subprocess"),
    S_("asyncio"), S_("dataclasses"), S_("typing"), S_("hashlib"), S_("uuid"), S_("argparse"),
    S_("requests"), S_("numpy as np"), S_("pandas as pd"), S_("yaml"), S_("click"), S_("sqlalchemy"),
};
static const Str NPM_PKGS[] = {
    S_("react"), S_("lodash"), S_("express"), S_("axios"), S_("dayjs"), S_("zod"), S_("uuid"),
    S_("redux"), S_("chalk"), S_("commander"), S_("debug"), S_("ws"), S_("pg"), S_("ioredis"),
    S_("classnames"), S_("prop-types"), S_("rxjs"), S_("yargs"), S_("semver"), S_("glob"),
};
static const Str GO_PKGS[] = {
    S_("context"), S_("fmt"), S_("errors"), S_("net/http"), S_("encoding/json"), S_("time"),
    S_("strings"), S_("sync"), S_("io"), S_("os"), S_("sort"), S_("strconv"), S_("log"),
    S_("github.com/acme/platform/internal/store"), S_("go.uber.org/zap"),
    S_("github.com/prometheus/client_golang/prometheus"), S_("google.golang.org/grpc"),
};
static const Str JAVA_IMPORTS[] = {
    S_("java.util.List"), S_("java.util.Map"), S_("java.util.Optional"), S_("java.util.UUID"),
    S_("java.time.Instant"), S_("java.time.Duration"), S_("java.io.IOException"),
    S_("org.slf4j.Logger"), S_("org.slf4j.LoggerFactory"), S_("java.util.concurrent.ExecutorService"),
    S_("org.springframework.stereotype.Service"), S_("com.fasterxml.jackson.databind.ObjectMapper"),
};
static const Str C_HEADERS[] = {
    S_("stdio.h"), S_("stdlib.h"), S_("string.h"), S_("stdint.h"), S_("stddef.h"), S_("errno.h"),
    S_("unistd.h"), S_("fcntl.h"), S_("sys/types.h"), S_("sys/stat.h"), S_("pthread.h"),
    S_("stdbool.h"), S_("assert.h"), S_("limits.h"), S_("time.h"), S_("signal.h"),
};
static const Str IMAGES[] = {
    S_("debian:bookworm-slim"), S_("python:3.12-slim"), S_("node:20-alpine"), S_("golang:1.22"),
    S_("eclipse-temurin:21-jre"), S_("alpine:3.19"), S_("ubuntu:24.04"), S_("nginx:1.25"),
    S_("postgres:16"), S_("redis:7"), S_("gcr.io/distroless/static-debian12"),
};
static const Str APT_PKGS[] = {
    S_("ca-certificates"), S_("curl"), S_("git"), S_("build-essential"), S_("libssl-dev"),
    S_("pkg-config"), S_("tzdata"), S_("unzip"), S_("jq"), S_("libpq-dev"), S_("gnupg"),
    S_("python3-venv"), S_("openssh-client"), S_("locales"), S_("make"), S_("gcc"),
};
/* Secret-like names for placeholders, whose values are never secrets. */
static const Str SECRET_NAMES[][2] = {
    {S_("db"), S_("password")},     {S_("api"), S_("key")},       {S_("auth"), S_("token")},
    {S_("client"), S_("secret")},   {S_("secret"), S_("key")},    {S_("access"), S_("token")},
    {S_("webhook"), S_("secret")},  {S_("smtp"), S_("password")}, {S_("github"), S_("token")},
    {S_("stripe"), S_("api_key")}, {S_("jwt"), S_("secret")},    {S_("redis"), S_("password")},
};
/* Names for values that look random but are not secrets. */
static const Str DATA_NAMES[][2] = {
    {S_("request"), S_("id")},    {S_("trace"), S_("id")},    {S_("checksum"), S_("sha256")},
    {S_("commit"), S_("sha")},    {S_("image"), S_("digest")}, {S_("etag"), S_("value")},
    {S_("build"), S_("id")},      {S_("tenant"), S_("id")},   {S_("fixture"), S_("blob")},
    {S_("icon"), S_("png")},      {S_("sample"), S_("payload")}, {S_("content"), S_("hash")},
};

/* ------------------------------------------------------------ languages */

enum {
    L_PY, L_JS, L_MINJS, L_TS, L_GO, L_JAVA, L_C, L_YAML, L_JSON, L_ENV, L_SH, L_MD,
    L_INI, L_TOML, L_DOCKER, L_COUNT,
    /* pathological inputs, never drawn by the plan (see PATHO) */
    L_B64RUN = L_COUNT, L_LONGLINE
};
/* Share of files (per mille) and relative size of each language. */
static const unsigned LANG_WEIGHT[L_COUNT] = {140, 100, 15, 95, 100, 75, 95, 90, 70, 30, 50, 75, 20, 20, 25};
static const double LANG_SCALE[L_COUNT] = {1.0, 1.0, 3.0, 1.0, 1.0, 1.0, 1.0, 0.6, 1.5, 0.03, 0.3, 0.7, 0.15, 0.15, 0.04};

enum { ST_SNAKE, ST_CAMEL, ST_PASCAL, ST_USNAKE, ST_KEBAB };
enum { K_VAR, K_FUNC, K_TYPE, K_CONST };

static void words_styled(Buf *b, const Str *w, int n, int style)
{
    for (int i = 0; i < n; i++) {
        if (i && (style == ST_SNAKE || style == ST_USNAKE))
            pc(b, '_');
        else if (i && style == ST_KEBAB)
            pc(b, '-');
        int mode = style == ST_USNAKE ? 2 : style == ST_PASCAL ? 1 : style == ST_CAMEL ? (i > 0) : 0;
        pword(b, w[i], mode);
    }
}

static void ident(Buf *b, Rng *r, int style, int kind)
{
    Str w[4];
    int n = 0;
    switch (kind) {
    case K_FUNC:
        w[n++] = PICK(r, VERBS);
        w[n++] = PICK(r, NOUNS);
        if (pct(r, 30))
            w[n++] = PICK(r, NOUNS);
        break;
    case K_TYPE:
        w[n++] = PICK(r, NOUNS);
        if (pct(r, 50))
            w[n++] = PICK(r, NOUNS);
        if (pct(r, 40))
            w[n++] = PICK(r, TYPESUFFIX);
        style = ST_PASCAL;
        break;
    case K_CONST:
        if (pct(r, 60))
            w[n++] = PICK(r, ADJS);
        w[n++] = PICK(r, NOUNS);
        if (pct(r, 40))
            w[n++] = PICK(r, NOUNS);
        style = ST_USNAKE;
        break;
    default:
        if (pct(r, 25))
            w[n++] = PICK(r, ADJS);
        w[n++] = PICK(r, NOUNS);
        if (pct(r, 25))
            w[n++] = PICK(r, NOUNS);
        break;
    }
    words_styled(b, w, n, style);
}

static int idstyle(int lang)
{
    switch (lang) {
    case L_JS: case L_MINJS: case L_TS: case L_GO: case L_JAVA: return ST_CAMEL;
    default: return ST_SNAKE;
    }
}

static void sentence(Buf *b, Rng *r, unsigned lo, unsigned hi)
{
    unsigned n = between(r, lo, hi);
    for (unsigned i = 0; i < n; i++) {
        if (i)
            pc(b, ' ');
        pword(b, PICK(r, ENGLISH), i == 0);
    }
    pc(b, '.');
}

static void purl(Buf *b, Rng *r)
{
    PL(b, "https://");
    ps(b, PICK(r, HOSTS));
    unsigned n = between(r, 1, 4);
    for (unsigned i = 0; i < n; i++) {
        pc(b, '/');
        if (i == 0 && pct(r, 40)) {
            PL(b, "v");
            pnum(b, between(r, 1, 3));
        } else {
            ident(b, r, ST_KEBAB, K_VAR);
        }
    }
    if (pct(r, 20)) {
        PL(b, "?page=");
        pnum(b, below(r, 50));
    }
}

static void pversion(Buf *b, Rng *r)
{
    pnum(b, below(r, 12));
    pc(b, '.');
    pnum(b, below(r, 30));
    pc(b, '.');
    pnum(b, below(r, 40));
}

/* Text inside a string literal: words, a URL, a path or a format string. */
static void strbody(Buf *b, Rng *r)
{
    unsigned k = below(r, 10);
    if (k < 5) {
        unsigned n = between(r, 1, 6);
        for (unsigned i = 0; i < n; i++) {
            if (i)
                pc(b, ' ');
            ps(b, PICK(r, ENGLISH));
        }
    } else if (k < 7) {
        purl(b, r);
    } else if (k < 9) {
        PL(b, "/var/lib/");
        ident(b, r, ST_KEBAB, K_VAR);
        pc(b, '/');
        ident(b, r, ST_SNAKE, K_VAR);
        PL(b, ".json");
    } else {
        ident(b, r, ST_SNAKE, K_VAR);
        PL(b, ": %s");
    }
}

static void pstrlit(Buf *b, Rng *r, int lang)
{
    char q = '"';
    if ((lang == L_PY || lang == L_JS || lang == L_TS) && pct(r, 40))
        q = '\'';
    pc(b, q);
    strbody(b, r);
    pc(b, q);
}

/* A value that looks random but is an identifier, digest or blob. */
static void datavalue(Buf *b, Rng *r, int which)
{
    switch (which % 6) {
    case 0: ruuid(b, r); break;
    case 1: rhex(b, r, 40); break;
    case 2: PL(b, "sha256:"); rhex(b, r, 64); break;
    case 3: rhex(b, r, 64); break;
    case 4: PL(b, "sha512-"); rb64(b, r, 86); PL(b, "=="); break;
    default: PL(b, "data:image/png;base64,iVBORw0KGgo"); rb64(b, r, between(r, 60, 3000)); PL(b, "=="); break;
    }
}

/* ------------------------------------------------------- code languages */

static void pind(Buf *b, int lang, int level)
{
    if (level <= 0)
        return;
    if (lang == L_GO) {
        memset(room(b, (size_t)level), '\t', (size_t)level);
        b->n += (size_t)level;
    } else {
        pspaces(b, (size_t)level * (lang == L_JS || lang == L_TS || lang == L_SH || lang == L_YAML ? 2 : 4));
    }
}

static const char *cprefix(int lang)
{
    switch (lang) {
    case L_JS: case L_MINJS: case L_TS: case L_GO: case L_JAVA: case L_C: return "// ";
    case L_MD: case L_JSON: return "";
    default: return "# ";
    }
}

static void ptype(Buf *b, Rng *r, int lang)
{
    static const Str TS_T[] = {S_("string"), S_("number"), S_("boolean"), S_("Record<string, number>"), S_("string[]")};
    static const Str JAVA_T[] = {S_("String"), S_("int"), S_("long"), S_("boolean"), S_("Map<String, Object>")};
    static const Str GO_T[] = {S_("string"), S_("int"), S_("int64"), S_("bool"), S_("[]string"), S_("time.Duration"), S_("map[string]interface{}")};
    static const Str C_T[] = {S_("int "), S_("size_t "), S_("const char *"), S_("uint64_t "), S_("double "), S_("bool ")};
    int custom = pct(r, 30);
    switch (lang) {
    case L_TS:
        if (custom) { ident(b, r, ST_PASCAL, K_TYPE); if (pct(r, 30)) PL(b, "[]"); }
        else ps(b, PICK(r, TS_T));
        break;
    case L_JAVA:
        if (custom) {
            if (pct(r, 30)) { PL(b, "List<"); ident(b, r, ST_PASCAL, K_TYPE); pc(b, '>'); }
            else ident(b, r, ST_PASCAL, K_TYPE);
        } else ps(b, PICK(r, JAVA_T));
        break;
    case L_GO:
        if (custom) { pc(b, '*'); ident(b, r, ST_PASCAL, K_TYPE); }
        else ps(b, PICK(r, GO_T));
        break;
    case L_C:
        if (custom) { PL(b, "struct "); ident(b, r, ST_SNAKE, K_VAR); PL(b, " *"); }
        else ps(b, PICK(r, C_T));
        break;
    case L_PY:
        if (custom) ident(b, r, ST_PASCAL, K_TYPE);
        else pz(b, (const char *[]){"str", "int", "bool", "dict", "list[str]", "Optional[str]"}[below(r, 6)]);
        break;
    default: break;
    }
}

static void expr(Buf *b, Rng *r, int lang, int depth);

static void args(Buf *b, Rng *r, int lang, int depth)
{
    pc(b, '(');
    unsigned n = below(r, 4);
    for (unsigned i = 0; i < n; i++) {
        if (i)
            PL(b, ", ");
        expr(b, r, lang, depth + 1);
    }
    pc(b, ')');
}

static void expr(Buf *b, Rng *r, int lang, int depth)
{
    int st = idstyle(lang);
    switch (below(r, depth >= 2 ? 6 : 10)) {
    case 0: case 1: ident(b, r, st, K_VAR); break;
    case 2: pnum(b, pct(r, 70) ? below(r, 100) : below(r, 100000)); break;
    case 3: pstrlit(b, r, lang); break;
    case 4:
        ident(b, r, st, K_VAR);
        if (lang == L_C) PL(b, "->"); else pc(b, '.');
        ident(b, r, st, K_VAR);
        break;
    case 5:
        switch (lang) {
        case L_PY: pz(b, (const char *[]){"None", "True", "False", "[]", "{}"}[below(r, 5)]); break;
        case L_GO: pz(b, (const char *[]){"nil", "true", "false", "ctx"}[below(r, 4)]); break;
        case L_C: pz(b, (const char *[]){"NULL", "true", "false", "0", "-1"}[below(r, 5)]); break;
        default: pz(b, (const char *[]){"null", "true", "false", "this"}[below(r, 4)]); break;
        }
        break;
    case 6:
        ident(b, r, lang == L_GO && pct(r, 50) ? ST_PASCAL : st, K_FUNC);
        args(b, r, lang, depth);
        break;
    case 7:
        ident(b, r, st, K_VAR);
        if (lang == L_C) {
            PL(b, "_");
            ident(b, r, ST_SNAKE, K_FUNC);
        } else {
            pc(b, '.');
            ident(b, r, lang == L_GO ? ST_PASCAL : st, K_FUNC);
        }
        args(b, r, lang, depth);
        break;
    case 8:
        expr(b, r, lang, depth + 1);
        if (lang == L_PY)
            pz(b, (const char *[]){" + ", " - ", " * ", " == ", " != ", " < ", " and ", " or "}[below(r, 8)]);
        else
            pz(b, (const char *[]){" + ", " - ", " * ", " == ", " != ", " < ", " && ", " || "}[below(r, 8)]);
        expr(b, r, lang, depth + 1);
        break;
    default: {
        unsigned n = between(r, 1, 4);
        if (lang == L_GO) PL(b, "[]string{");
        else if (lang == L_JAVA) PL(b, "List.of(");
        else if (lang == L_C) { ident(b, r, ST_SNAKE, K_FUNC); pc(b, '('); }
        else pc(b, '[');
        for (unsigned i = 0; i < n; i++) {
            if (i)
                PL(b, ", ");
            if (lang == L_GO) pstrlit(b, r, lang); else expr(b, r, lang, depth + 1);
        }
        pc(b, lang == L_GO ? '}' : (lang == L_JAVA || lang == L_C) ? ')' : ']');
        break;
    }
    }
}

static inline void semi(Buf *b, int lang)
{
    if (lang != L_PY && lang != L_GO)
        pc(b, ';');
    pc(b, '\n');
}

/* "const x = ", "x := ", "final String x = " ... then the value follows. */
static void decl_start(Buf *b, Rng *r, int lang, int level, const Str *name, int nname)
{
    int st = idstyle(lang);
    pind(b, lang, level);
    switch (lang) {
    case L_JS: PL(b, "const "); break;
    case L_TS: PL(b, "const "); break;
    case L_JAVA: PL(b, "final "); ptype(b, r, lang); pc(b, ' '); break;
    case L_C: ptype(b, r, lang); break;
    default: break;
    }
    if (name) words_styled(b, name, nname, st);
    else ident(b, r, st, K_VAR);
    if (lang == L_TS && pct(r, 50)) { PL(b, ": "); ptype(b, r, lang); }
    if (lang == L_GO) PL(b, " := "); else PL(b, " = ");
}

static void comment_line(Buf *b, Rng *r, int lang, int level)
{
    pind(b, lang, level);
    pz(b, cprefix(lang));
    if (pct(r, 8)) {
        PL(b, "TODO(");
        ps(b, PICK(r, NOUNS));
        PL(b, "): ");
    }
    sentence(b, r, 4, 16);
    pc(b, '\n');
}

static void stmt(Buf *b, Rng *r, int lang, int level, int depth);

static void body(Buf *b, Rng *r, int lang, int level, int depth, unsigned lo, unsigned hi)
{
    unsigned n = between(r, lo, hi);
    for (unsigned i = 0; i < n; i++)
        stmt(b, r, lang, level, depth);
}

static void open_brace_block(Buf *b, int lang)
{
    if (lang == L_PY) PL(b, ":\n"); else PL(b, " {\n");
}

static void close_brace_block(Buf *b, int lang, int level)
{
    if (lang == L_PY)
        return;
    pind(b, lang, level);
    PL(b, "}\n");
}

static void stmt(Buf *b, Rng *r, int lang, int level, int depth)
{
    int st = idstyle(lang);
    unsigned u = below(r, 100);
    if (depth >= 3 && u >= 46 && u < 60)
        u = 20;
    if (u < 28) {
        decl_start(b, r, lang, level, NULL, 0);
        expr(b, r, lang, 0);
        semi(b, lang);
        if (lang == L_GO && pct(r, 20)) {
            pind(b, lang, level);
            PL(b, "if err != nil {\n");
            pind(b, lang, level + 1);
            PL(b, "return nil, fmt.Errorf(\"");
            ident(b, r, ST_SNAKE, K_FUNC);
            PL(b, ": %w\", err)\n");
            pind(b, lang, level);
            PL(b, "}\n");
        }
    } else if (u < 46) {
        pind(b, lang, level);
        expr(b, r, lang, 1);
        semi(b, lang);
    } else if (u < 54) {
        pind(b, lang, level);
        if (lang == L_PY || lang == L_GO) { PL(b, "if "); expr(b, r, lang, 1); }
        else { PL(b, "if ("); expr(b, r, lang, 1); pc(b, ')'); }
        open_brace_block(b, lang);
        body(b, r, lang, level + 1, depth + 1, 1, 4);
        if (pct(r, 30)) {
            if (lang == L_PY) { pind(b, lang, level); PL(b, "else:\n"); }
            else { pind(b, lang, level); PL(b, "} else {\n"); }
            body(b, r, lang, level + 1, depth + 1, 1, 3);
        }
        close_brace_block(b, lang, level);
    } else if (u < 60) {
        pind(b, lang, level);
        switch (lang) {
        case L_PY: PL(b, "for "); ident(b, r, st, K_VAR); PL(b, " in "); ident(b, r, st, K_VAR); PL(b, "s"); break;
        case L_GO: PL(b, "for _, "); ident(b, r, st, K_VAR); PL(b, " := range "); ident(b, r, st, K_VAR); PL(b, "s"); break;
        case L_JAVA: PL(b, "for (final "); ptype(b, r, lang); pc(b, ' '); ident(b, r, st, K_VAR); PL(b, " : "); ident(b, r, st, K_VAR); PL(b, "s)"); break;
        case L_C: PL(b, "for (size_t i = 0; i < n_"); ident(b, r, st, K_VAR); PL(b, "s; i++)"); break;
        default: PL(b, "for (const "); ident(b, r, st, K_VAR); PL(b, " of "); ident(b, r, st, K_VAR); PL(b, "s)"); break;
        }
        open_brace_block(b, lang);
        body(b, r, lang, level + 1, depth + 1, 1, 4);
        close_brace_block(b, lang, level);
    } else if (u < 70) {
        pind(b, lang, level);
        switch (lang) {
        case L_PY: PL(b, "logger."); pz(b, (const char *[]){"info", "debug", "warning"}[below(r, 3)]); PL(b, "(\""); sentence(b, r, 2, 7); PL(b, " %s\", "); ident(b, r, st, K_VAR); PL(b, ")\n"); break;
        case L_GO: PL(b, "log.Printf(\""); sentence(b, r, 2, 7); PL(b, " %v\\n\", "); ident(b, r, st, K_VAR); PL(b, ")\n"); break;
        case L_JAVA: PL(b, "LOG.info(\""); sentence(b, r, 2, 7); PL(b, " {}\", "); ident(b, r, st, K_VAR); PL(b, ");\n"); break;
        case L_C: PL(b, "fprintf(stderr, \""); sentence(b, r, 2, 7); PL(b, " %s\\n\", "); ident(b, r, st, K_VAR); PL(b, ");\n"); break;
        default: PL(b, "console.log(`"); sentence(b, r, 2, 7); PL(b, " ${"); ident(b, r, st, K_VAR); PL(b, "}`);\n"); break;
        }
    } else if (u < 78) {
        comment_line(b, r, lang, level);
    } else if (u < 84) {
        pind(b, lang, level);
        PL(b, "return ");
        expr(b, r, lang, 1);
        if (lang == L_GO) PL(b, ", nil");
        semi(b, lang);
    } else if (u < 89) {
        unsigned k = below(r, (uint32_t)NELEM(DATA_NAMES));
        decl_start(b, r, lang, level, DATA_NAMES[k], 2);
        pc(b, '"');
        datavalue(b, r, below(r, 6));
        pc(b, '"');
        semi(b, lang);
    } else if (u < 92) {
        /* A secret-like name whose value comes from the environment. */
        const Str *nm = SECRET_NAMES[below(r, (uint32_t)NELEM(SECRET_NAMES))];
        if (lang == L_C) {
            pind(b, lang, level);
            PL(b, "const char *");
            words_styled(b, nm, 2, ST_SNAKE);
            PL(b, " = ");
        } else if (lang == L_JAVA) {
            pind(b, lang, level);
            PL(b, "final String ");
            words_styled(b, nm, 2, ST_CAMEL);
            PL(b, " = ");
        } else {
            decl_start(b, r, lang == L_TS ? L_JS : lang, level, nm, 2);
        }
        switch (lang) {
        case L_PY: PL(b, "os.environ.get(\""); words_styled(b, nm, 2, ST_USNAKE); PL(b, "\")"); break;
        case L_GO: PL(b, "os.Getenv(\""); words_styled(b, nm, 2, ST_USNAKE); PL(b, "\")"); break;
        case L_JAVA: PL(b, "System.getenv(\""); words_styled(b, nm, 2, ST_USNAKE); PL(b, "\")"); break;
        case L_C: PL(b, "getenv(\""); words_styled(b, nm, 2, ST_USNAKE); PL(b, "\")"); break;
        default: PL(b, "process.env."); words_styled(b, nm, 2, ST_USNAKE); PL(b, " ?? ''"); break;
        }
        semi(b, lang);
    } else {
        unsigned n = between(r, 2, 6);
        switch (lang) {
        case L_PY: decl_start(b, r, lang, level, NULL, 0); PL(b, "{\n"); break;
        case L_GO: decl_start(b, r, lang, level, NULL, 0); PL(b, "map[string]interface{}{\n"); break;
        case L_JAVA: decl_start(b, r, lang, level, NULL, 0); PL(b, "Map.of(\n"); break;
        case L_C: pind(b, lang, level); PL(b, "static const struct "); ident(b, r, ST_SNAKE, K_VAR); pc(b, ' '); ident(b, r, ST_SNAKE, K_VAR); PL(b, "[] = {\n"); break;
        default: decl_start(b, r, lang, level, NULL, 0); PL(b, "{\n"); break;
        }
        for (unsigned i = 0; i < n; i++) {
            pind(b, lang, level + 1);
            if (lang == L_C) { PL(b, "{ \""); ident(b, r, ST_SNAKE, K_VAR); PL(b, "\", "); expr(b, r, lang, 2); PL(b, " },\n"); continue; }
            if (lang == L_JS || lang == L_TS) ident(b, r, st, K_VAR);
            else { pc(b, '"'); ident(b, r, st, K_VAR); pc(b, '"'); }
            pz(b, lang == L_JAVA ? ", " : ": ");
            expr(b, r, lang, 2);
            if (lang != L_JAVA || i + 1 < n) pc(b, ',');
            pc(b, '\n');
        }
        pind(b, lang, level);
        if (lang == L_PY) PL(b, "}\n");
        else if (lang == L_JAVA) PL(b, ");\n");
        else if (lang == L_GO) PL(b, "}\n");
        else PL(b, "};\n");
    }
}

static void params(Buf *b, Rng *r, int lang, int self)
{
    int st = idstyle(lang);
    unsigned n = below(r, 4);
    pc(b, '(');
    if (self)
        pz(b, n ? "self, " : "self");
    if (lang == L_GO && pct(r, 60))
        pz(b, n ? "ctx context.Context, " : "ctx context.Context");
    for (unsigned i = 0; i < n; i++) {
        if (i)
            PL(b, ", ");
        if (lang == L_JAVA || lang == L_C) { ptype(b, r, lang); if (lang == L_JAVA) pc(b, ' '); }
        ident(b, r, st, K_VAR);
        if (lang == L_GO || lang == L_TS) { pz(b, lang == L_GO ? " " : ": "); ptype(b, r, lang); }
        if (lang == L_PY && pct(r, 25)) PL(b, "=None");
    }
    pc(b, ')');
}

static void function(Buf *b, Rng *r, int lang, int level, int method)
{
    int st = idstyle(lang);
    switch (lang) {
    case L_PY:
        pind(b, lang, level);
        if (pct(r, 10)) PL(b, "async ");
        PL(b, "def ");
        ident(b, r, ST_SNAKE, K_FUNC);
        params(b, r, lang, method);
        if (pct(r, 50)) { PL(b, " -> "); ptype(b, r, lang); }
        PL(b, ":\n");
        if (pct(r, 60)) { pind(b, lang, level + 1); PL(b, "\"\"\""); sentence(b, r, 4, 14); PL(b, "\"\"\"\n"); }
        body(b, r, lang, level + 1, 1, 2, 10);
        pc(b, '\n');
        break;
    case L_JS: case L_TS:
        pind(b, lang, level);
        if (!method) {
            if (pct(r, 50)) PL(b, "export ");
            if (pct(r, 25)) PL(b, "async ");
            PL(b, "function ");
        }
        ident(b, r, st, K_FUNC);
        params(b, r, lang, 0);
        if (lang == L_TS && pct(r, 60)) { PL(b, ": "); ptype(b, r, lang); }
        PL(b, " {\n");
        body(b, r, lang, level + 1, 1, 2, 9);
        pind(b, lang, level);
        PL(b, "}\n\n");
        break;
    case L_GO:
        if (pct(r, 40)) { PL(b, "// "); ident(b, r, ST_PASCAL, K_FUNC); pc(b, ' '); sentence(b, r, 4, 12); pc(b, '\n'); }
        PL(b, "func ");
        if (pct(r, 50)) { PL(b, "(s *"); ident(b, r, ST_PASCAL, K_TYPE); PL(b, ") "); }
        ident(b, r, pct(r, 60) ? ST_PASCAL : ST_CAMEL, K_FUNC);
        params(b, r, lang, 0);
        PL(b, " (");
        ptype(b, r, lang);
        PL(b, ", error) {\n");
        body(b, r, lang, 1, 1, 2, 9);
        PL(b, "\treturn nil, nil\n}\n\n");
        break;
    case L_JAVA:
        if (pct(r, 40)) { pind(b, lang, 1); PL(b, "/** "); sentence(b, r, 4, 12); PL(b, " */\n"); }
        pind(b, lang, 1);
        pz(b, (const char *[]){"public ", "private ", "protected ", "public static "}[below(r, 4)]);
        if (pct(r, 30)) PL(b, "void "); else { ptype(b, r, lang); pc(b, ' '); }
        ident(b, r, st, K_FUNC);
        params(b, r, lang, 0);
        if (pct(r, 20)) PL(b, " throws IOException");
        PL(b, " {\n");
        body(b, r, lang, 2, 1, 2, 9);
        pind(b, lang, 1);
        PL(b, "}\n\n");
        break;
    default: /* C */
        if (pct(r, 50)) { PL(b, "/* "); sentence(b, r, 5, 14); PL(b, " */\n"); }
        if (pct(r, 70)) PL(b, "static ");
        ptype(b, r, lang);
        pc(b, '\n');
        ident(b, r, ST_SNAKE, K_FUNC);
        params(b, r, lang, 0);
        PL(b, "\n{\n");
        body(b, r, lang, 1, 1, 2, 10);
        PL(b, "}\n\n");
        break;
    }
}

static void code_header(Buf *b, Rng *r, int lang, int hfile)
{
    unsigned n = between(r, 2, 8);
    switch (lang) {
    case L_PY:
        if (pct(r, 30)) PL(b, "#!/usr/bin/env python3\n");
        if (pct(r, 50)) { PL(b, "\"\"\""); sentence(b, r, 5, 15); PL(b, "\"\"\"\n\n"); }
        for (unsigned i = 0; i < n; i++) { PL(b, "import "); ps(b, PICK(r, PY_MODS)); pc(b, '\n'); }
        PL(b, "from typing import Any, Dict, List, Optional\n");
        if (pct(r, 60)) { PL(b, "from ."); ident(b, r, ST_SNAKE, K_VAR); PL(b, " import "); ident(b, r, ST_PASCAL, K_TYPE); PL(b, ", "); ident(b, r, ST_SNAKE, K_FUNC); pc(b, '\n'); }
        PL(b, "\nlogger = logging.getLogger(__name__)\n\n");
        break;
    case L_JS: case L_TS:
        if (lang == L_JS && pct(r, 40)) PL(b, "'use strict';\n\n");
        for (unsigned i = 0; i < n; i++) {
            if (lang == L_JS && pct(r, 40)) { PL(b, "const "); ident(b, r, ST_CAMEL, K_VAR); PL(b, " = require('"); ps(b, PICK(r, NPM_PKGS)); PL(b, "');\n"); }
            else if (pct(r, 50)) { PL(b, "import "); ident(b, r, ST_CAMEL, K_VAR); PL(b, " from '"); ps(b, PICK(r, NPM_PKGS)); PL(b, "';\n"); }
            else { PL(b, "import { "); ident(b, r, ST_PASCAL, K_TYPE); PL(b, ", "); ident(b, r, ST_CAMEL, K_FUNC); PL(b, " } from '../"); ident(b, r, ST_KEBAB, K_VAR); PL(b, "';\n"); }
        }
        pc(b, '\n');
        break;
    case L_GO:
        PL(b, "// Package ");
        ps(b, PICK(r, NOUNS));
        pc(b, ' ');
        sentence(b, r, 4, 12);
        PL(b, "\npackage ");
        ps(b, PICK(r, NOUNS));
        PL(b, "\n\nimport (\n");
        for (unsigned i = 0; i < n; i++) { PL(b, "\t\""); ps(b, PICK(r, GO_PKGS)); PL(b, "\"\n"); }
        PL(b, ")\n\n");
        break;
    case L_JAVA:
        PL(b, "package com.acme.");
        ps(b, PICK(r, NOUNS));
        PL(b, ";\n\n");
        for (unsigned i = 0; i < n; i++) { PL(b, "import "); ps(b, PICK(r, JAVA_IMPORTS)); PL(b, ";\n"); }
        PL(b, "\n/**\n * ");
        sentence(b, r, 6, 16);
        PL(b, "\n */\n@Service\npublic class ");
        ident(b, r, ST_PASCAL, K_TYPE);
        PL(b, " {\n\n    private static final Logger LOG = LoggerFactory.getLogger(");
        ident(b, r, ST_PASCAL, K_TYPE);
        PL(b, ".class);\n\n");
        break;
    default:
        PL(b, "/* ");
        ident(b, r, ST_SNAKE, K_VAR);
        pz(b, hfile ? ".h - " : ".c - ");
        sentence(b, r, 5, 14);
        PL(b, "\n *\n * Copyright (c) 2024 Acme Inc.  SPDX-License-Identifier: MIT\n */\n");
        if (hfile) PL(b, "#ifndef ACME_HEADER_H\n#define ACME_HEADER_H\n\n");
        for (unsigned i = 0; i < n; i++) { PL(b, "#include <"); ps(b, PICK(r, C_HEADERS)); PL(b, ">\n"); }
        PL(b, "#include \"");
        ident(b, r, ST_SNAKE, K_VAR);
        PL(b, ".h\"\n\n");
        break;
    }
}

static void code_block(Buf *b, Rng *r, int lang)
{
    unsigned u = below(r, 100);
    int st = idstyle(lang);
    if (u < 62) {
        function(b, r, lang, lang == L_JAVA ? 1 : 0, 0);
    } else if (u < 78) {
        /* a class, struct or type with members */
        unsigned n = between(r, 2, 6);
        switch (lang) {
        case L_PY:
            PL(b, "class ");
            ident(b, r, ST_PASCAL, K_TYPE);
            if (pct(r, 40)) { pc(b, '('); ident(b, r, ST_PASCAL, K_TYPE); pc(b, ')'); }
            PL(b, ":\n    \"\"\"");
            sentence(b, r, 5, 14);
            PL(b, "\"\"\"\n\n    def __init__(self, ");
            for (unsigned i = 0; i < 2; i++) { if (i) PL(b, ", "); ident(b, r, st, K_VAR); }
            PL(b, "):\n");
            body(b, r, lang, 2, 1, 1, 4);
            pc(b, '\n');
            for (unsigned i = 0; i < n; i++) function(b, r, lang, 1, 1);
            break;
        case L_JS: case L_TS:
            PL(b, "export class ");
            ident(b, r, ST_PASCAL, K_TYPE);
            PL(b, " {\n  constructor(");
            ident(b, r, st, K_VAR);
            PL(b, ") {\n");
            body(b, r, lang, 2, 1, 1, 3);
            PL(b, "  }\n\n");
            for (unsigned i = 0; i < n; i++) function(b, r, lang, 1, 1);
            PL(b, "}\n\n");
            break;
        case L_GO:
            PL(b, "type ");
            ident(b, r, ST_PASCAL, K_TYPE);
            PL(b, " struct {\n");
            for (unsigned i = 0; i < n + 2; i++) {
                pc(b, '\t');
                Str w[2] = {PICK(r, NOUNS), PICK(r, NOUNS)};
                words_styled(b, w, 2, ST_PASCAL);
                pc(b, ' ');
                ptype(b, r, lang);
                PL(b, " `json:\"");
                words_styled(b, w, 2, ST_SNAKE);
                PL(b, ",omitempty\"`\n");
            }
            PL(b, "}\n\n");
            break;
        case L_JAVA:
            for (unsigned i = 0; i < n; i++) {
                pind(b, lang, 1);
                PL(b, "private ");
                ptype(b, r, lang);
                pc(b, ' ');
                ident(b, r, st, K_VAR);
                PL(b, ";\n");
            }
            pc(b, '\n');
            break;
        default:
            PL(b, "struct ");
            ident(b, r, ST_SNAKE, K_VAR);
            PL(b, " {\n");
            for (unsigned i = 0; i < n + 2; i++) {
                PL(b, "    ");
                ptype(b, r, lang);
                ident(b, r, st, K_VAR);
                PL(b, ";");
                if (pct(r, 40)) { PL(b, " /* "); sentence(b, r, 2, 7); PL(b, " */"); }
                pc(b, '\n');
            }
            PL(b, "};\n\n");
            break;
        }
    } else if (u < 88) {
        /* constants */
        unsigned n = between(r, 2, 8);
        if (lang == L_GO) PL(b, "const (\n");
        for (unsigned i = 0; i < n; i++) {
            switch (lang) {
            case L_PY: ident(b, r, 0, K_CONST); PL(b, " = "); expr(b, r, lang, 2); pc(b, '\n'); break;
            case L_JS: case L_TS: PL(b, "export const "); ident(b, r, 0, K_CONST); PL(b, " = "); expr(b, r, lang, 2); PL(b, ";\n"); break;
            case L_GO: pc(b, '\t'); ident(b, r, ST_PASCAL, K_VAR); PL(b, " = "); expr(b, r, lang, 2); pc(b, '\n'); break;
            case L_JAVA: PL(b, "    private static final "); ptype(b, r, lang); pc(b, ' '); ident(b, r, 0, K_CONST); PL(b, " = "); expr(b, r, lang, 2); PL(b, ";\n"); break;
            default: PL(b, "#define "); ident(b, r, 0, K_CONST); pc(b, ' '); if (pct(r, 60)) pnum(b, below(r, 65536)); else pstrlit(b, r, lang); pc(b, '\n'); break;
            }
        }
        if (lang == L_GO) PL(b, ")\n");
        pc(b, '\n');
    } else if (u < 94) {
        /* a comment block */
        unsigned n = between(r, 2, 8);
        if (lang == L_C || lang == L_JAVA) {
            pind(b, lang, lang == L_JAVA);
            PL(b, "/*\n");
            for (unsigned i = 0; i < n; i++) { pind(b, lang, lang == L_JAVA); PL(b, " * "); sentence(b, r, 6, 14); pc(b, '\n'); }
            pind(b, lang, lang == L_JAVA);
            PL(b, " */\n");
        } else {
            for (unsigned i = 0; i < n; i++) comment_line(b, r, lang, lang == L_JAVA);
        }
    } else {
        /* a long data line: a byte table, a number array, an embedded blob */
        unsigned n = between(r, 20, 400);
        if (lang == L_C) {
            PL(b, "static const uint8_t ");
            ident(b, r, ST_SNAKE, K_VAR);
            PL(b, "_data[] = {\n");
            for (unsigned i = 0; i < n; i++) {
                PL(b, "    ");
                for (int k = 0; k < 12; k++) { PL(b, "0x"); rhex(b, r, 2); pz(b, k < 11 ? ", " : ",\n"); }
            }
            PL(b, "};\n\n");
        } else if (pct(r, 50) && lang != L_JAVA) {
            decl_start(b, r, lang, 0, NULL, 0);
            pc(b, lang == L_GO ? '"' : '[');
            for (unsigned i = 0; i < n * 4; i++) {
                if (i) pc(b, lang == L_GO ? ' ' : ',');
                pnum(b, below(r, 65536));
            }
            pc(b, lang == L_GO ? '"' : ']');
            semi(b, lang);
            pc(b, '\n');
        } else {
            unsigned k = below(r, (uint32_t)NELEM(DATA_NAMES));
            decl_start(b, r, lang, lang == L_JAVA, DATA_NAMES[k], 2);
            pc(b, '"');
            datavalue(b, r, 5);
            pc(b, '"');
            semi(b, lang);
            pc(b, '\n');
        }
    }
}

/* Minified JavaScript: long lines of dense tokens. */
static void minjs_block(Buf *b, Rng *r)
{
    static const Str TOK[] = {
        S_("function("), S_("){"), S_("return "), S_("var "), S_("=function("), S_(".prototype."),
        S_("}"), S_(";"), S_(","), S_("&&"), S_("||"), S_("?"), S_(":"), S_("=="), S_("!=="),
        S_("this."), S_("new "), S_("Object.defineProperty("), S_("e.exports="), S_("typeof "),
        S_("void 0"), S_("null"), S_("!0"), S_("!1"), S_("("), S_(")"), S_("["), S_("]"), S_("+"),
    };
    size_t len = between(r, 2000, 48000);
    size_t end = b->n + len;
    while (b->n < end) {
        unsigned k = below(r, 10);
        if (k < 5) ps(b, PICK(r, TOK));
        else if (k < 7) { pc(b, "abcdefghijklmnopqrstuvwxyz"[below(r, 26)]); if (pct(r, 40)) pc(b, "abcdefghijklmnopqrstuvwxyz"[below(r, 26)]); }
        else if (k < 8) { pc(b, '.'); ident(b, r, ST_CAMEL, pct(r, 50) ? K_FUNC : K_VAR); }
        else if (k < 9) { pc(b, '"'); strbody(b, r); pc(b, '"'); }
        else pnum(b, below(r, 1000));
    }
    if (pct(r, 5)) { PL(b, "\n//# sourceMappingURL=data:application/json;charset=utf-8;base64,"); rb64(b, r, between(r, 1000, 20000)); }
    pc(b, '\n');
}

/* -------------------------------------------------------- config formats */

static void yscalar(Buf *b, Rng *r)
{
    switch (below(r, 10)) {
    case 0: pnum(b, below(r, 10000)); break;
    case 1: pz(b, pct(r, 50) ? "true" : "false"); break;
    case 2: purl(b, r); break;
    case 3: pc(b, '"'); strbody(b, r); pc(b, '"'); break;
    case 4: pnum(b, between(r, 1, 120)); pz(b, (const char *[]){"s", "m", "ms", "h"}[below(r, 4)]); break;
    case 5: ruuid(b, r); break;
    case 6: ident(b, r, ST_KEBAB, K_VAR); break;
    case 7: pversion(b, r); break;
    default: ps(b, PICK(r, ENGLISH)); pc(b, ' '); ps(b, PICK(r, ENGLISH)); break;
    }
}

static void ymap(Buf *b, Rng *r, int level, int depth)
{
    unsigned n = between(r, 2, 6);
    for (unsigned i = 0; i < n; i++) {
        pspaces(b, (size_t)level * 2);
        ident(b, r, pct(r, 70) ? ST_SNAKE : ST_CAMEL, K_VAR);
        unsigned u = below(r, 100);
        if (depth < 3 && u < 20) {
            PL(b, ":\n");
            ymap(b, r, level + 1, depth + 1);
        } else if (u < 32) {
            PL(b, ":\n");
            unsigned m = between(r, 1, 5);
            for (unsigned j = 0; j < m; j++) { pspaces(b, (size_t)level * 2 + 2); PL(b, "- "); yscalar(b, r); pc(b, '\n'); }
        } else if (u < 35) {
            /* a placeholder for a secret-like value */
            PL(b, "_password: \"{{ .Values.");
            ident(b, r, ST_CAMEL, K_VAR);
            PL(b, ".password }}\"\n");
        } else {
            PL(b, ": ");
            yscalar(b, r);
            pc(b, '\n');
        }
    }
}

static void pem_lookalike(Buf *b, Rng *r, int level, const char *label)
{
    pspaces(b, (size_t)level * 2);
    PL(b, "-----BEGIN ");
    pz(b, label);
    PL(b, "-----\n");
    unsigned n = between(r, 8, 30);
    for (unsigned i = 0; i < n; i++) { pspaces(b, (size_t)level * 2); rb64(b, r, i + 1 < n ? 64 : between(r, 4, 60)); pc(b, '\n'); }
    pspaces(b, (size_t)level * 2);
    PL(b, "-----END ");
    pz(b, label);
    PL(b, "-----\n");
}

static void yaml_block(Buf *b, Rng *r)
{
    unsigned u = below(r, 100);
    if (u < 30) {
        PL(b, "---\napiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ");
        ident(b, r, ST_KEBAB, K_VAR);
        PL(b, "\n  labels:\n    app.kubernetes.io/name: ");
        ident(b, r, ST_KEBAB, K_VAR);
        PL(b, "\n    app.kubernetes.io/version: \"");
        pversion(b, r);
        PL(b, "\"\nspec:\n  replicas: ");
        pnum(b, between(r, 1, 12));
        PL(b, "\n  template:\n    spec:\n      containers:\n        - name: ");
        ident(b, r, ST_KEBAB, K_VAR);
        PL(b, "\n          image: registry.example.com/");
        ident(b, r, ST_KEBAB, K_VAR);
        PL(b, "@sha256:");
        rhex(b, r, 64);
        PL(b, "\n          ports:\n            - containerPort: ");
        pnum(b, between(r, 1024, 9999));
        PL(b, "\n          env:\n");
        unsigned n = between(r, 2, 7);
        for (unsigned i = 0; i < n; i++) {
            PL(b, "            - name: ");
            ident(b, r, 0, K_CONST);
            if (pct(r, 20)) {
                PL(b, "\n              valueFrom:\n                secretKeyRef:\n                  name: ");
                ident(b, r, ST_KEBAB, K_VAR);
                PL(b, "\n                  key: password\n");
            } else {
                PL(b, "\n              value: \"");
                yscalar(b, r);
                PL(b, "\"\n");
            }
        }
        PL(b, "          resources:\n            limits:\n              cpu: ");
        pnum(b, between(r, 100, 4000));
        PL(b, "m\n              memory: ");
        pnum(b, between(r, 64, 8192));
        PL(b, "Mi\n");
    } else if (u < 45) {
        PL(b, "jobs:\n  ");
        ident(b, r, ST_KEBAB, K_FUNC);
        PL(b, ":\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@");
        rhex(b, r, 40);
        pc(b, '\n');
        unsigned n = between(r, 2, 6);
        for (unsigned i = 0; i < n; i++) {
            PL(b, "      - name: ");
            sentence(b, r, 2, 6);
            PL(b, "\n        run: |\n          make ");
            ident(b, r, ST_KEBAB, K_FUNC);
            PL(b, "\n          ./scripts/");
            ident(b, r, ST_KEBAB, K_FUNC);
            PL(b, ".sh --");
            ps(b, PICK(r, NOUNS));
            PL(b, "\n        env:\n          GITHUB_TOKEN: ${{ secrets.GITHUB_TOKEN }}\n");
        }
    } else if (u < 50) {
        ident(b, r, ST_SNAKE, K_VAR);
        PL(b, "_ca.crt: |\n");
        pem_lookalike(b, r, 1, "CERTIFICATE");
    } else if (u < 62) {
        ident(b, r, ST_SNAKE, K_VAR);
        PL(b, ":\n");
        unsigned n = between(r, 2, 8);
        for (unsigned i = 0; i < n; i++) {
            PL(b, "  - name: ");
            ident(b, r, ST_KEBAB, K_VAR);
            PL(b, "\n    id: ");
            ruuid(b, r);
            PL(b, "\n    weight: ");
            pnum(b, below(r, 100));
            PL(b, "\n    description: ");
            sentence(b, r, 4, 20);
            pc(b, '\n');
        }
    } else {
        if (pct(r, 30)) { PL(b, "# "); sentence(b, r, 4, 14); pc(b, '\n'); }
        ident(b, r, ST_SNAKE, K_VAR);
        PL(b, ":\n");
        ymap(b, r, 1, 1);
    }
}

static void json_value(Buf *b, Rng *r, int level, int depth, int compact);

static void json_object(Buf *b, Rng *r, int level, int depth, int compact)
{
    unsigned n = between(r, 1, 6);
    pc(b, '{');
    for (unsigned i = 0; i < n; i++) {
        if (i) pc(b, ',');
        if (compact) { if (i) pc(b, ' '); } else { pc(b, '\n'); pspaces(b, (size_t)(level + 1) * 2); }
        pc(b, '"');
        ident(b, r, pct(r, 60) ? ST_CAMEL : ST_SNAKE, K_VAR);
        PL(b, "\": ");
        json_value(b, r, level + 1, depth + 1, compact);
    }
    if (!compact) { pc(b, '\n'); pspaces(b, (size_t)level * 2); }
    pc(b, '}');
}

static void json_value(Buf *b, Rng *r, int level, int depth, int compact)
{
    unsigned u = below(r, 100);
    if (depth < 4 && u < 18) {
        json_object(b, r, level, depth, compact);
    } else if (depth < 4 && u < 26) {
        unsigned n = between(r, 1, 5);
        pc(b, '[');
        for (unsigned i = 0; i < n; i++) {
            if (i) PL(b, ", ");
            if (pct(r, 50)) pnum(b, below(r, 1000)); else { pc(b, '"'); ident(b, r, ST_KEBAB, K_VAR); pc(b, '"'); }
        }
        pc(b, ']');
    } else if (u < 40) {
        pnum(b, below(r, 100000));
    } else if (u < 48) {
        pz(b, (const char *[]){"true", "false", "null"}[below(r, 3)]);
    } else if (u < 56) {
        pc(b, '"');
        datavalue(b, r, below(r, 5));
        pc(b, '"');
    } else {
        pc(b, '"');
        strbody(b, r);
        pc(b, '"');
    }
}

static void json_block(Buf *b, Rng *r)
{
    unsigned u = below(r, 100);
    PL(b, "  \"");
    if (u < 35) {
        /* a lock-file entry */
        PL(b, "node_modules/");
        ps(b, PICK(r, NPM_PKGS));
        if (pct(r, 50)) { pc(b, '-'); ps(b, PICK(r, NOUNS)); }
        PL(b, "\": {\n    \"version\": \"");
        pversion(b, r);
        PL(b, "\",\n    \"resolved\": \"https://registry.npmjs.org/");
        ps(b, PICK(r, NPM_PKGS));
        PL(b, "/-/");
        ps(b, PICK(r, NPM_PKGS));
        pc(b, '-');
        pversion(b, r);
        PL(b, ".tgz\",\n    \"integrity\": \"sha512-");
        rb64(b, r, 86);
        PL(b, "==\"");
        if (pct(r, 40)) PL(b, ",\n    \"dev\": true");
        PL(b, "\n  },\n");
    } else if (u < 50) {
        ident(b, r, ST_CAMEL, K_VAR);
        PL(b, "s\": [\n");
        unsigned n = between(r, 2, 10);
        for (unsigned i = 0; i < n; i++) {
            PL(b, "    ");
            json_object(b, r, 2, 2, 1);
            pz(b, i + 1 < n ? ",\n" : "\n");
        }
        PL(b, "  ],\n");
    } else {
        ident(b, r, pct(r, 60) ? ST_CAMEL : ST_SNAKE, K_VAR);
        PL(b, "\": ");
        json_value(b, r, 1, 0, pct(r, 15));
        PL(b, ",\n");
    }
}

static void env_block(Buf *b, Rng *r)
{
    unsigned u = below(r, 100);
    if (u < 10) {
        PL(b, "\n# ");
        sentence(b, r, 3, 10);
        pc(b, '\n');
        return;
    }
    if (u < 22) {
        const Str *nm = SECRET_NAMES[below(r, (uint32_t)NELEM(SECRET_NAMES))];
        words_styled(b, nm, 2, ST_USNAKE);
        pc(b, '=');
        switch (below(r, 5)) {
        case 0: PL(b, "changeme"); break;
        case 1: break;
        case 2: PL(b, "${"); words_styled(b, nm, 2, ST_USNAKE); pc(b, '}'); break;
        case 3: PL(b, "<your-"); words_styled(b, nm, 2, ST_KEBAB); pc(b, '>'); break;
        default: PL(b, "your_"); words_styled(b, nm, 2, ST_SNAKE); PL(b, "_here"); break;
        }
        pc(b, '\n');
        return;
    }
    ident(b, r, 0, K_CONST);
    pc(b, '=');
    switch (below(r, 8)) {
    case 0: pnum(b, below(r, 65536)); break;
    case 1: pz(b, pct(r, 50) ? "true" : "false"); break;
    case 2: purl(b, r); break;
    case 3: pz(b, (const char *[]){"debug", "info", "warn", "error"}[below(r, 4)]); break;
    case 4: ruuid(b, r); break;
    case 5: PL(b, "/srv/"); ident(b, r, ST_KEBAB, K_VAR); break;
    case 6: ps(b, PICK(r, HOSTS)); break;
    default: pc(b, '"'); sentence(b, r, 2, 6); pc(b, '"'); break;
    }
    pc(b, '\n');
}

static void sh_stmt(Buf *b, Rng *r, int level)
{
    pspaces(b, (size_t)level * 2);
    switch (below(r, 9)) {
    case 0: PL(b, "local "); ident(b, r, ST_SNAKE, K_VAR); PL(b, "=\"${1:-"); ps(b, PICK(r, NOUNS)); PL(b, "}\"\n"); break;
    case 1: PL(b, "echo \""); sentence(b, r, 2, 8); PL(b, "\" >&2\n"); break;
    case 2: PL(b, "curl -fsSL --retry 3 \""); purl(b, r); PL(b, "\" -o \"$tmp/"); ident(b, r, ST_KEBAB, K_VAR); PL(b, ".tar.gz\"\n"); break;
    case 3: PL(b, "if [ -z \"${"); ident(b, r, 0, K_CONST); PL(b, ":-}\" ]; then\n"); pspaces(b, (size_t)level * 2 + 2); PL(b, "die \""); sentence(b, r, 2, 6); PL(b, "\"\n"); pspaces(b, (size_t)level * 2); PL(b, "fi\n"); break;
    case 4: PL(b, "for f in \"$dir\"/*."); ps(b, PICK(r, NOUNS)); PL(b, "; do\n"); pspaces(b, (size_t)level * 2 + 2); ident(b, r, ST_SNAKE, K_FUNC); PL(b, " \"$f\"\n"); pspaces(b, (size_t)level * 2); PL(b, "done\n"); break;
    case 5: PL(b, "kubectl -n "); ident(b, r, ST_KEBAB, K_VAR); PL(b, " rollout status deploy/"); ident(b, r, ST_KEBAB, K_VAR); PL(b, " --timeout="); pnum(b, between(r, 30, 600)); PL(b, "s\n"); break;
    case 6: PL(b, "docker build -t registry.example.com/"); ident(b, r, ST_KEBAB, K_VAR); pc(b, ':'); pversion(b, r); PL(b, " --build-arg VERSION=\"$VERSION\" .\n"); break;
    case 7: PL(b, "# "); sentence(b, r, 3, 12); pc(b, '\n'); break;
    default: ident(b, r, ST_SNAKE, K_VAR); PL(b, "=$("); ident(b, r, ST_SNAKE, K_FUNC); PL(b, " \"$"); ident(b, r, ST_SNAKE, K_VAR); PL(b, "\" | jq -r '."); ident(b, r, ST_SNAKE, K_VAR); PL(b, "')\n"); break;
    }
}

static void sh_block(Buf *b, Rng *r)
{
    unsigned u = below(r, 100);
    if (u < 50) {
        ident(b, r, ST_SNAKE, K_FUNC);
        PL(b, "() {\n");
        unsigned n = between(r, 2, 8);
        for (unsigned i = 0; i < n; i++) sh_stmt(b, r, 1);
        PL(b, "}\n\n");
    } else if (u < 62) {
        PL(b, "export ");
        ident(b, r, 0, K_CONST);
        PL(b, "=\"${");
        ident(b, r, 0, K_CONST);
        PL(b, ":-");
        yscalar(b, r);
        PL(b, "}\"\n");
    } else if (u < 66) {
        PL(b, "export ");
        const Str *nm = SECRET_NAMES[below(r, (uint32_t)NELEM(SECRET_NAMES))];
        words_styled(b, nm, 2, ST_USNAKE);
        PL(b, "=\"$(vault kv get -field=value secret/");
        ident(b, r, ST_KEBAB, K_VAR);
        PL(b, ")\"\n");
    } else {
        sh_stmt(b, r, 0);
    }
}

static void md_block(Buf *b, Rng *r)
{
    unsigned u = below(r, 100);
    if (u < 12) {
        pz(b, (const char *[]){"\n# ", "\n## ", "\n### "}[below(r, 3)]);
        sentence(b, r, 2, 6);
        b->n--; /* no final dot in a heading */
        PL(b, "\n\n");
    } else if (u < 50) {
        unsigned n = between(r, 2, 8);
        int wrap = pct(r, 60);
        for (unsigned i = 0; i < n; i++) {
            sentence(b, r, 6, 22);
            if (pct(r, 15)) { PL(b, " See ["); ps(b, PICK(r, ENGLISH)); PL(b, "]("); purl(b, r); PL(b, ")."); }
            pc(b, wrap && (i & 1) ? '\n' : ' ');
        }
        PL(b, "\n\n");
    } else if (u < 65) {
        unsigned n = between(r, 2, 8);
        for (unsigned i = 0; i < n; i++) { PL(b, "- "); sentence(b, r, 3, 14); pc(b, '\n'); }
        pc(b, '\n');
    } else if (u < 85) {
        static const int LANGS[] = {L_PY, L_JS, L_GO, L_SH, L_TS};
        static const char *const NAMES[] = {"python", "js", "go", "sh", "ts"};
        unsigned k = below(r, 5);
        PL(b, "```");
        pz(b, NAMES[k]);
        pc(b, '\n');
        unsigned n = between(r, 2, 10);
        for (unsigned i = 0; i < n; i++) {
            if (LANGS[k] == L_SH) sh_stmt(b, r, 0); else stmt(b, r, LANGS[k], 0, 1);
        }
        PL(b, "```\n\n");
    } else if (u < 95) {
        unsigned cols = between(r, 2, 5), rows = between(r, 2, 10);
        for (unsigned i = 0; i < cols; i++) { PL(b, "| "); ident(b, r, ST_SNAKE, K_VAR); pc(b, ' '); }
        PL(b, "|\n");
        for (unsigned i = 0; i < cols; i++) PL(b, "|---");
        PL(b, "|\n");
        for (unsigned j = 0; j < rows; j++) {
            for (unsigned i = 0; i < cols; i++) { PL(b, "| "); if (pct(r, 50)) pnum(b, below(r, 10000)); else ps(b, PICK(r, ENGLISH)); pc(b, ' '); }
            PL(b, "|\n");
        }
        pc(b, '\n');
    } else {
        PL(b, "[![build](https://img.shields.io/badge/build-passing-green.svg)](");
        purl(b, r);
        PL(b, ") ![logo](");
        datavalue(b, r, 5);
        PL(b, ")\n\n");
    }
}

static void ini_block(Buf *b, Rng *r, int toml)
{
    unsigned n = between(r, 2, 10);
    if (toml && pct(r, 15)) { PL(b, "[["); ident(b, r, ST_SNAKE, K_VAR); PL(b, "]]\n"); }
    else {
        pc(b, '[');
        ident(b, r, ST_SNAKE, K_VAR);
        if (toml && pct(r, 40)) { pc(b, '.'); ident(b, r, ST_SNAKE, K_VAR); }
        PL(b, "]\n");
    }
    for (unsigned i = 0; i < n; i++) {
        unsigned u = below(r, 100);
        if (u < 8) { pz(b, toml ? "# " : "; "); sentence(b, r, 3, 10); pc(b, '\n'); continue; }
        if (u < 12) {
            const Str *nm = SECRET_NAMES[below(r, (uint32_t)NELEM(SECRET_NAMES))];
            words_styled(b, nm, 2, ST_SNAKE);
            pz(b, toml ? " = \"${" : " = %(ENV_");
            words_styled(b, nm, 2, ST_USNAKE);
            pz(b, toml ? "}\"\n" : ")s\n");
            continue;
        }
        ident(b, r, ST_SNAKE, K_VAR);
        PL(b, " = ");
        if (toml) {
            switch (below(r, 5)) {
            case 0: pnum(b, below(r, 100000)); break;
            case 1: pz(b, pct(r, 50) ? "true" : "false"); break;
            case 2: {
                unsigned m = between(r, 1, 5);
                pc(b, '[');
                for (unsigned j = 0; j < m; j++) { if (j) PL(b, ", "); pc(b, '"'); ident(b, r, ST_KEBAB, K_VAR); PL(b, ">="); pversion(b, r); pc(b, '"'); }
                pc(b, ']');
                break;
            }
            default: pc(b, '"'); strbody(b, r); pc(b, '"'); break;
            }
        } else {
            yscalar(b, r);
        }
        pc(b, '\n');
    }
    pc(b, '\n');
}

static void docker_block(Buf *b, Rng *r)
{
    unsigned u = below(r, 100);
    if (u < 15) {
        PL(b, "\nFROM ");
        ps(b, PICK(r, IMAGES));
        if (pct(r, 40)) { PL(b, "@sha256:"); rhex(b, r, 64); }
        if (pct(r, 50)) { PL(b, " AS "); ps(b, PICK(r, NOUNS)); }
        pc(b, '\n');
    } else if (u < 40) {
        PL(b, "RUN apt-get update \\\n    && apt-get install -y --no-install-recommends");
        unsigned n = between(r, 2, 8);
        for (unsigned i = 0; i < n; i++) { PL(b, " \\\n        "); ps(b, PICK(r, APT_PKGS)); }
        PL(b, " \\\n    && rm -rf /var/lib/apt/lists/*\n");
    } else if (u < 55) {
        PL(b, "ENV ");
        ident(b, r, 0, K_CONST);
        pc(b, '=');
        yscalar(b, r);
        pc(b, '\n');
    } else if (u < 70) {
        PL(b, "COPY ");
        if (pct(r, 30)) { PL(b, "--from="); ps(b, PICK(r, NOUNS)); pc(b, ' '); }
        ident(b, r, ST_KEBAB, K_VAR);
        PL(b, "/ /app/");
        ident(b, r, ST_KEBAB, K_VAR);
        PL(b, "/\n");
    } else if (u < 80) {
        PL(b, "# ");
        sentence(b, r, 3, 12);
        pc(b, '\n');
    } else {
        pz(b, (const char *[]){"WORKDIR /app\n", "EXPOSE 8080\n", "USER 65532:65532\n",
                               "HEALTHCHECK CMD curl -fs http://localhost:8080/healthz || exit 1\n",
                               "ARG VERSION=dev\n", "CMD [\"/app/server\", \"--config\", \"/etc/app/config.yaml\"]\n"}[below(r, 6)]);
    }
}

/* ------------------------------------------------------- files and paths */

typedef struct Plant {
    uint64_t off, len, end;  /* the secret (or template) span; end of its line */
    uint64_t toff, tlen;     /* the whole expanded template */
    const char *rule;
    int marked;
} Plant;

/* What every worker shares: read-only after the plan, except the per-file
 * results, each written by the one worker that made that file. */
typedef struct Shared {
    size_t n_tmpl;
    const char **tmpl;      /* positive templates of the built-in rules */
    const char **tmpl_rule; /* their rule ids */
    uint64_t seed, rate, files;
    const unsigned char *lang;
    char **paths;
    const uint64_t *sz;
    const char *outdir;
    Plant **fplants;        /* per file: its planted secrets */
    size_t *fn;
    atomic_uint_fast64_t next; /* next file to make */
} Shared;

typedef struct Worker {
    Shared *sh;
    pthread_t tid;
    Buf b;
    char *exbuf;
    size_t exbuf_cap;
    Plant *pl;              /* the current file's plants */
    size_t npl, cappl;
    uint64_t ex_seed;       /* ward_example_expand state, per file */
    Rng prng;               /* when and what to plant, per file */
    uint64_t next_plant;    /* offset in the current file */
} Worker;

/* Exponential gaps (a Poisson process) with mean `rate`, so that the rate
 * holds whatever the file sizes. */
static uint64_t gap(Rng *r, uint64_t rate)
{
    double u = ((double)(rnext(r) >> 11) + 1.0) / 9007199254740993.0; /* (0,1] */
    return (uint64_t)(-log(u) * (double)rate);
}

static void maybe_plant(Worker *w, Buf *b)
{
    const Shared *sh = w->sh;
    if (b->n < w->next_plant || !sh->n_tmpl)
        return;
    size_t k = below(&w->prng, (uint32_t)sh->n_tmpl);
    size_t len, so, sl;
    ward_status st = ward_example_expand(sh->tmpl[k], &w->ex_seed, w->exbuf, w->exbuf_cap, &len, &so, &sl);
    if (st != WARD_OK)
        die("cannot expand a template", ward_strerror(st));
    if (w->npl == w->cappl) {
        w->cappl = w->cappl ? w->cappl * 2 : 16;
        w->pl = realloc(w->pl, w->cappl * sizeof *w->pl);
        if (!w->pl)
            die("out of memory", NULL);
    }
    Plant *p = &w->pl[w->npl++];
    p->rule = sh->tmpl_rule[k];
    p->marked = so != (size_t)-1;
    p->toff = b->n;
    p->tlen = len;
    p->off = b->n + (p->marked ? so : 0);
    p->len = p->marked ? sl : len;
    put(b, w->exbuf, len);
    if (!len || w->exbuf[len - 1] != '\n')
        pc(b, '\n');
    p->end = b->n;
    w->next_plant = b->n + gap(&w->prng, sh->rate);
}

/* Pads b to exactly target bytes with comment lines (spaces in JSON). */
static void fill(Buf *b, Rng *r, int lang, size_t target)
{
    Buf line = {0};
    while (b->n < target) {
        size_t rem = target - b->n;
        line.n = 0;
        if (lang == L_JSON) pspaces(&line, rem < 80 ? rem - 1 : 79);
        else {
            pz(&line, lang == L_MINJS ? "// " : cprefix(lang));
            sentence(&line, r, 4, 12);
        }
        size_t take = line.n + 1 <= rem ? line.n : rem - 1;
        put(b, line.p, take);
        pc(b, '\n');
    }
    free(line.p);
}

/* Pathological inputs that once made ward slow, one file each, planned after
 * the others and inside the --size budget (when it has room for them):
 *  - an endless base64 run: a JavaScript module holding one data: URI whose
 *    2.5 MiB of base64 have no break, followed by a planted secret (found
 *    only if the scan got past the run) and comment lines;
 *  - a 4 MiB line of random printable text with no newline at all. */
#define B64RUN_LEN ((size_t)5 << 19) /* 2.5 MiB */
static const struct {
    int lang;
    uint64_t size;
    const char *dir, *stem, *ext;
} PATHO[] = {
    {L_B64RUN, (uint64_t)3 << 20, "web/generated", "inline-assets.", ".js"},
    {L_LONGLINE, (uint64_t)4 << 20, "var/capture", "dump-", ".log"},
};

static void gen_pathological(Worker *w, Buf *b, Rng *r, int lang, size_t target)
{
    if (lang == L_LONGLINE) {
        char *d = room(b, target);
        for (size_t i = 0; i < target;) {
            uint64_t x = rnext(r);
            for (int k = 0; k < 8 && i < target; k++, i++, x >>= 8)
                d[i] = (char)(' ' + (x & 0xFF) % 95); /* ' ' to '~' */
        }
        b->n = target;
        return;
    }
    PL(b, "/* eslint-disable */\n// Inlined by the asset pipeline from firmware.bin: do not edit.\n"
          "export const FIRMWARE = \"data:application/octet-stream;base64,");
    rb64(b, r, B64RUN_LEN);
    PL(b, "\";\n");
    w->next_plant = 0;
    maybe_plant(w, b);
}

static void gen_file(Worker *w, Buf *b, Rng *r, int lang, const char *path, size_t target)
{
    w->npl = 0;
    int hfile = lang == L_C && path[strlen(path) - 1] == 'h';
    b->n = 0;
    if (lang >= L_COUNT) {
        gen_pathological(w, b, r, lang, target);
        if (b->n == target)
            return; /* the long line: no newline, not even at the end */
        lang = L_JS; /* after the run, ordinary JavaScript */
    } else switch (lang) {
    case L_PY: case L_JS: case L_TS: case L_GO: case L_JAVA: case L_C: code_header(b, r, lang, hfile); break;
    case L_SH: PL(b, "#!/usr/bin/env bash\n# "); sentence(b, r, 4, 12); PL(b, "\nset -euo pipefail\n\n"); break;
    case L_JSON: PL(b, "{\n"); break;
    case L_DOCKER: PL(b, "# syntax=docker/dockerfile:1\nFROM "); ps(b, PICK(r, IMAGES)); pc(b, '\n'); break;
    case L_MD: PL(b, "# "); ident(b, r, ST_KEBAB, K_VAR); PL(b, "\n\n"); break;
    default: break;
    }
    size_t slack = target / 64 < 1024 ? target / 64 : 1024;
    size_t stop = target - slack;
    while (b->n < stop) {
        maybe_plant(w, b);
        switch (lang) {
        case L_PY: case L_JS: case L_TS: case L_GO: case L_JAVA: case L_C: code_block(b, r, lang); break;
        case L_MINJS: minjs_block(b, r); break;
        case L_YAML: yaml_block(b, r); break;
        case L_JSON: json_block(b, r); break;
        case L_ENV: env_block(b, r); break;
        case L_SH: sh_block(b, r); break;
        case L_MD: md_block(b, r); break;
        case L_INI: ini_block(b, r, 0); break;
        case L_TOML: ini_block(b, r, 1); break;
        default: docker_block(b, r); break;
        }
    }
    switch (lang) {
    case L_JAVA: PL(b, "}\n"); break;
    case L_C: if (hfile) PL(b, "#endif\n"); break;
    case L_JSON: PL(b, "  \"generated\": true\n}\n"); break;
    default: break;
    }
    if (b->n > target) {
        b->n = target;
        if (target)
            b->p[target - 1] = '\n';
    } else {
        fill(b, r, lang, target);
    }
    /* Drop secrets that the cut reached (their line must stay whole; a line
     * ending exactly at the cut keeps its newline). */
    size_t keep = 0;
    for (size_t i = 0; i < w->npl; i++)
        if (w->pl[i].end <= target)
            w->pl[keep++] = w->pl[i];
    w->npl = keep;
}

/* A set of strings (paths, folders), open addressing. */
typedef struct Set {
    char **slot;
    size_t cap, n;
} Set;

static uint64_t fnv(const char *s)
{
    uint64_t h = 1469598103934665603ull;
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 1099511628211ull;
    return h;
}

/* Returns 1 when s was added, 0 when it was there. */
static int set_add(Set *t, const char *s)
{
    if ((t->n + 1) * 2 > t->cap) {
        size_t nc = t->cap ? t->cap * 2 : 1024;
        char **ns = calloc(nc, sizeof *ns);
        if (!ns)
            die("out of memory", NULL);
        for (size_t i = 0; i < t->cap; i++) {
            if (!t->slot[i]) continue;
            size_t j = fnv(t->slot[i]) & (nc - 1);
            while (ns[j]) j = (j + 1) & (nc - 1);
            ns[j] = t->slot[i];
        }
        free(t->slot);
        t->slot = ns;
        t->cap = nc;
    }
    size_t j = fnv(s) & (t->cap - 1);
    while (t->slot[j]) {
        if (!strcmp(t->slot[j], s))
            return 0;
        j = (j + 1) & (t->cap - 1);
    }
    t->slot[j] = strdup(s);
    if (!t->slot[j])
        die("out of memory", NULL);
    t->n++;
    return 1;
}

static void make_path(Buf *p, Rng *r, int lang, const Buf *proj)
{
    static const Str AREAS[] = {S_("api"), S_("core"), S_("util"), S_("models"), S_("handlers"),
                                S_("services"), S_("storage"), S_("web"), S_("jobs"), S_("common")};
    p->n = 0;
    put(p, proj->p, proj->n);
    pc(p, '/');
    unsigned u = below(r, 100);
    switch (lang) {
    case L_PY:
        if (u < 15) { PL(p, "tests/test_"); ident(p, r, ST_SNAKE, K_VAR); }
        else {
            PL(p, "src/");
            ps(p, PICK(r, NOUNS));
            pc(p, '/');
            if (u < 60) { ps(p, PICK(r, AREAS)); pc(p, '/'); }
            ident(p, r, ST_SNAKE, K_VAR);
        }
        PL(p, ".py");
        break;
    case L_JS: case L_TS:
        pz(p, u < 50 ? "src/" : u < 80 ? "lib/" : "packages/");
        if (u >= 80) { ident(p, r, ST_KEBAB, K_VAR); PL(p, "/src/"); }
        ps(p, PICK(r, AREAS));
        pc(p, '/');
        ident(p, r, lang == L_TS && pct(r, 40) ? ST_PASCAL : ST_CAMEL, K_VAR);
        pz(p, lang == L_JS ? ".js" : pct(r, 30) ? ".tsx" : ".ts");
        break;
    case L_MINJS:
        pz(p, u < 50 ? "public/static/js/" : "dist/assets/");
        ident(p, r, ST_KEBAB, K_VAR);
        pc(p, '.');
        rhex(p, r, 8);
        PL(p, ".min.js");
        break;
    case L_GO:
        if (u < 15) { PL(p, "cmd/"); ident(p, r, ST_KEBAB, K_VAR); PL(p, "/main.go"); break; }
        pz(p, u < 70 ? "internal/" : "pkg/");
        ps(p, PICK(r, NOUNS));
        pc(p, '/');
        ident(p, r, ST_SNAKE, K_VAR);
        pz(p, pct(r, 25) ? "_test.go" : ".go");
        break;
    case L_JAVA:
        pz(p, u < 80 ? "src/main/java/com/acme/" : "src/test/java/com/acme/");
        ps(p, PICK(r, NOUNS));
        pc(p, '/');
        ident(p, r, ST_PASCAL, K_TYPE);
        PL(p, ".java");
        break;
    case L_C:
        if (u < 25) { PL(p, "include/"); ps(p, PICK(r, NOUNS)); pc(p, '/'); ident(p, r, ST_SNAKE, K_VAR); PL(p, ".h"); }
        else { pz(p, u < 70 ? "src/" : "lib/"); ps(p, PICK(r, NOUNS)); pc(p, '/'); ident(p, r, ST_SNAKE, K_VAR); PL(p, ".c"); }
        break;
    case L_YAML:
        if (u < 30) { PL(p, "deploy/k8s/"); ident(p, r, ST_KEBAB, K_VAR); PL(p, ".yaml"); }
        else if (u < 50) { PL(p, ".github/workflows/"); ident(p, r, ST_KEBAB, K_FUNC); PL(p, ".yml"); }
        else if (u < 70) { PL(p, "helm/"); ident(p, r, ST_KEBAB, K_VAR); PL(p, "/values.yaml"); }
        else { PL(p, "config/"); ident(p, r, ST_SNAKE, K_VAR); PL(p, ".yml"); }
        break;
    case L_JSON:
        if (u < 20) PL(p, "package-lock.json");
        else if (u < 60) { PL(p, "config/"); ident(p, r, ST_SNAKE, K_VAR); PL(p, ".json"); }
        else { PL(p, "test/fixtures/"); ident(p, r, ST_SNAKE, K_VAR); PL(p, ".json"); }
        break;
    case L_ENV:
        if (u < 40) PL(p, ".env");
        else if (u < 70) PL(p, ".env.example");
        else { PL(p, "deploy/"); pz(p, (const char *[]){"dev", "staging", "prod", "test"}[below(r, 4)]); PL(p, ".env"); }
        break;
    case L_SH: PL(p, "scripts/"); ident(p, r, ST_KEBAB, K_FUNC); PL(p, ".sh"); break;
    case L_MD:
        if (u < 20) PL(p, "README.md");
        else if (u < 30) PL(p, "CHANGELOG.md");
        else { PL(p, "docs/"); if (u < 60) { ps(p, PICK(r, AREAS)); pc(p, '/'); } ident(p, r, ST_KEBAB, K_VAR); PL(p, ".md"); }
        break;
    case L_INI:
        if (u < 20) PL(p, "setup.cfg");
        else if (u < 35) PL(p, "tox.ini");
        else { PL(p, "config/"); ident(p, r, ST_SNAKE, K_VAR); PL(p, ".ini"); }
        break;
    case L_TOML:
        if (u < 30) PL(p, "pyproject.toml");
        else { PL(p, "config/"); ident(p, r, ST_SNAKE, K_VAR); PL(p, ".toml"); }
        break;
    default:
        if (u < 40) PL(p, "Dockerfile");
        else { PL(p, "docker/"); ident(p, r, ST_KEBAB, K_VAR); PL(p, "/Dockerfile"); }
        break;
    }
    pc(p, '\0');
}

static void mkdirs(Set *dirs, const char *root, const char *rel)
{
    char path[8192];
    size_t rl = strlen(root);
    if (rl + strlen(rel) + 2 > sizeof path)
        die("path too long", rel);
    memcpy(path, root, rl);
    path[rl] = '/';
    strcpy(path + rl + 1, rel);
    for (char *s = path + rl + 1; *s; s++) {
        if (*s != '/')
            continue;
        *s = '\0';
        if (set_add(dirs, path) && mkdir(path, 0755) != 0 && errno != EEXIST)
            die("cannot create folder", path);
        *s = '/';
    }
}

static void write_file(const char *root, const char *rel, const char *data, size_t len)
{
    char path[8192];
    snprintf(path, sizeof path, "%s/%s", root, rel);
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (fd < 0)
        die("cannot create", path);
    while (len) {
        ssize_t w = write(fd, data, len);
        if (w < 0) {
            if (errno == EINTR) continue;
            die("cannot write", path);
        }
        data += w;
        len -= (size_t)w;
    }
    if (close(fd) != 0)
        die("cannot write", path);
}

/* Makes files until none is left.  Each file depends only on the seed and its
 * index, so the output is the same for any number of threads. */
static void *worker(void *arg)
{
    Worker *w = arg;
    Shared *sh = w->sh;
    for (;;) {
        uint64_t i = atomic_fetch_add(&sh->next, 1);
        if (i >= sh->files)
            break;
        Rng r = {derive(sh->seed, 0x10000 + i)};
        w->prng.s = derive(sh->seed, ((uint64_t)1 << 40) + i);
        w->ex_seed = derive(sh->seed, ((uint64_t)2 << 40) + i);
        w->next_plant = gap(&w->prng, sh->rate);
        gen_file(w, &w->b, &r, sh->lang[i], sh->paths[i], (size_t)sh->sz[i]);
        if (w->b.n != sh->sz[i])
            die("internal error: wrong file size", sh->paths[i]);
        write_file(sh->outdir, sh->paths[i], w->b.p, w->b.n);
        sh->fn[i] = w->npl;
        if (w->npl) {
            sh->fplants[i] = malloc(w->npl * sizeof *w->pl);
            if (!sh->fplants[i])
                die("out of memory", NULL);
            memcpy(sh->fplants[i], w->pl, w->npl * sizeof *w->pl);
        }
    }
    return NULL;
}

static uint64_t parse_size(const char *s, const char *what)
{
    char *end;
    errno = 0;
    double v = strtod(s, &end);
    if (errno || end == s || v < 0)
        die("bad number for", what);
    uint64_t mul = 1;
    switch (*end) {
    case 'k': case 'K': mul = 1ull << 10; end++; break;
    case 'm': case 'M': mul = 1ull << 20; end++; break;
    case 'g': case 'G': mul = 1ull << 30; end++; break;
    case 't': case 'T': mul = 1ull << 40; end++; break;
    default: break;
    }
    if (*end == 'i') end++;
    if (*end == 'B' || *end == 'b') end++;
    if (*end)
        die("bad size suffix for", what);
    return (uint64_t)(v * (double)mul);
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void usage(FILE *f)
{
    fputs("usage: gen_corpus [--seed N] [--size 200M] [--files N] [--rate 200K]\n"
          "                  [--manifest PATH] [--threads N] [-q] OUTDIR\n"
          "Writes a seeded source-like corpus of exactly --size bytes (K, M, G are\n"
          "binary) in --files files (default: one per 100 KiB) under OUTDIR, which must\n"
          "be absent or empty, with a fake secret planted about once per --rate bytes,\n"
          "listed in --manifest (default OUTDIR/../manifest.tsv).  From 28M on, two files\n"
          "are pathological inputs: a 2.5 MiB base64 run, a 4 MiB line without a newline.\n"
          "The output is the same for any --threads (default: one per CPU).\n", f);
}

int main(int argc, char **argv)
{
    uint64_t seed = 1, size = 200ull << 20, files = 0, rate = 200ull << 10;
    unsigned threads = 0;
    const char *outdir = NULL, *manifest = NULL;
    int quiet = 0;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        int more = i + 1 < argc;
        if (!strcmp(a, "--seed") && more) seed = strtoull(argv[++i], NULL, 0);
        else if (!strcmp(a, "--size") && more) size = parse_size(argv[++i], "--size");
        else if (!strcmp(a, "--files") && more) files = parse_size(argv[++i], "--files");
        else if (!strcmp(a, "--rate") && more) rate = parse_size(argv[++i], "--rate");
        else if (!strcmp(a, "--manifest") && more) manifest = argv[++i];
        else if (!strcmp(a, "--threads") && more) threads = (unsigned)strtoul(argv[++i], NULL, 10);
        else if (!strcmp(a, "-q") || !strcmp(a, "--quiet")) quiet = 1;
        else if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); return 0; }
        else if (a[0] == '-' && a[1]) { usage(stderr); return 2; }
        else if (!outdir) outdir = a;
        else { usage(stderr); return 2; }
    }
    if (!outdir) { usage(stderr); return 2; }
    if (!files) files = size / (100u << 10) ? size / (100u << 10) : 1;
    if (files > 10000000) die("too many files", NULL);
    if (rate < 1024) die("--rate must be at least 1K", NULL);

    /* OUTDIR must be absent or empty: stale files would corrupt the answer. */
    if (mkdir(outdir, 0755) != 0) {
        if (errno != EEXIST) die("cannot create", outdir);
        DIR *d = opendir(outdir);
        if (!d) die("cannot open", outdir);
        struct dirent *de;
        while ((de = readdir(d)))
            if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
                die("OUTDIR is not empty", outdir);
        closedir(d);
    }
    char mpath[8192];
    if (!manifest) {
        snprintf(mpath, sizeof mpath, "%s/../manifest.tsv", outdir);
        manifest = mpath;
    }

    /* The built-in rules and their positive templates. */
    ward_engine *eng = NULL;
    char err[256];
    ward_status st = ward_engine_new(NULL, &eng, err, sizeof err);
    if (st != WARD_OK) die("cannot load the rules", err);
    Shared g = {0};
    size_t nr = ward_engine_rule_count(eng), n_rules_used = 0;
    for (size_t i = 0; i < nr; i++) {
        ward_rule_info ri;
        if (ward_engine_rule(eng, i, &ri) != WARD_OK || !ri.regex || !ri.n_positive)
            continue;
        n_rules_used++;
        g.tmpl = realloc(g.tmpl, (g.n_tmpl + ri.n_positive) * sizeof *g.tmpl);
        g.tmpl_rule = realloc(g.tmpl_rule, (g.n_tmpl + ri.n_positive) * sizeof *g.tmpl_rule);
        if (!g.tmpl || !g.tmpl_rule) die("out of memory", NULL);
        for (size_t k = 0; k < ri.n_positive; k++) {
            g.tmpl[g.n_tmpl] = ri.positive[k];
            g.tmpl_rule[g.n_tmpl++] = ri.id;
        }
    }
    g.seed = seed;
    g.rate = rate;
    g.files = files;

    /* Plan: language, path and weight of each file. */
    Rng plan = {derive(seed, 0x9A7)};
    unsigned char *lang = malloc(files);
    char **paths = malloc(files * sizeof *paths);
    double *w = malloc(files * sizeof *w);
    uint64_t *sz = malloc(files * sizeof *sz);
    if (!lang || !paths || !w || !sz) die("out of memory", NULL);
    unsigned wsum = 0;
    for (int l = 0; l < L_COUNT; l++) wsum += LANG_WEIGHT[l];
    uint64_t nproj = files / 400 + 1;
    Buf *proj = calloc(nproj, sizeof *proj);
    if (!proj) die("out of memory", NULL);
    for (uint64_t i = 0; i < nproj; i++) {
        ident(&proj[i], &plan, ST_KEBAB, K_VAR);
        pc(&proj[i], '-');
        pz(&proj[i], (const char *[]){"service", "api", "web", "cli", "lib", "worker", "infra", "sdk"}[below(&plan, 8)]);
        pc(&proj[i], '-');
        pnum(&proj[i], i);
    }
    /* The pathological inputs take the last indices and a fixed share of
     * --size, when it leaves at least three quarters for the ordinary files. */
    uint64_t n_patho = 0, patho_bytes = 0;
    for (size_t k = 0; k < NELEM(PATHO); k++)
        patho_bytes += PATHO[k].size;
    if (files >= 4 * NELEM(PATHO) && size >= 4 * patho_bytes)
        n_patho = NELEM(PATHO);
    else
        patho_bytes = 0;
    uint64_t n_plan = files - n_patho;
    Set seen = {0}, dirs = {0};
    Buf pb = {0};
    double W = 0;
    for (uint64_t i = 0; i < n_plan; i++) {
        unsigned x = below(&plan, wsum);
        int l = 0;
        while (x >= LANG_WEIGHT[l]) x -= LANG_WEIGHT[l++];
        lang[i] = (unsigned char)l;
        const Buf *pj = &proj[below(&plan, (uint32_t)nproj)];
        make_path(&pb, &plan, l, pj);
        for (unsigned tries = 2; !set_add(&seen, pb.p); tries++) {
            /* taken: insert "-N" before the extension (or append it) */
            char base[4096];
            snprintf(base, sizeof base, "%s", pb.p);
            make_path(&pb, &plan, l, pj);
            if (set_add(&seen, pb.p)) break;
            char *slash = strrchr(base, '/'), *dot = strrchr(base, '.');
            pb.n = 0;
            if (dot && dot > slash + 1) {
                put(&pb, base, (size_t)(dot - base));
                pc(&pb, '-');
                pnum(&pb, tries);
                pz(&pb, dot);
            } else {
                pz(&pb, base);
                pc(&pb, '.');
                pnum(&pb, tries);
            }
            pc(&pb, '\0');
        }
        paths[i] = strdup(pb.p);
        if (!paths[i]) die("out of memory", NULL);
        double u = ((double)(rnext(&plan) >> 11) + 1.0) / 9007199254740993.0; /* (0,1] */
        double wi = pow(u, -0.55);
        if (wi > 60) wi = 60;
        w[i] = wi * LANG_SCALE[l];
        W += w[i];
    }
    for (uint64_t k = 0; k < n_patho; k++) {
        uint64_t i = n_plan + k;
        const Buf *pj = &proj[below(&plan, (uint32_t)nproj)];
        pb.n = 0;
        put(&pb, pj->p, pj->n);
        pc(&pb, '/');
        pz(&pb, PATHO[k].dir);
        pc(&pb, '/');
        pz(&pb, PATHO[k].stem);
        rhex(&pb, &plan, 8);
        pz(&pb, PATHO[k].ext);
        pc(&pb, '\0');
        if (!set_add(&seen, pb.p)) die("internal error: path taken", pb.p);
        paths[i] = strdup(pb.p);
        if (!paths[i]) die("out of memory", NULL);
        lang[i] = (unsigned char)PATHO[k].lang;
        sz[i] = PATHO[k].size;
    }
    /* Sizes that add up to exactly `size`. */
    uint64_t total = 0, biggest = 0, rest = size - patho_bytes;
    for (uint64_t i = 0; i < n_plan; i++) {
        sz[i] = (uint64_t)((double)rest * (w[i] / W));
        total += sz[i];
        if (sz[i] > sz[biggest]) biggest = i;
    }
    sz[biggest] += rest - total;
    if (sz[biggest] > (48ull << 20))
        fprintf(stderr, "gen_corpus: warning: a file of %llu bytes (ward skips files over 50 MiB by default); use more --files\n",
                (unsigned long long)sz[biggest]);

    /* Write: folders first, then the files from a pool of threads. */
    double t0 = now();
    for (uint64_t i = 0; i < files; i++)
        mkdirs(&dirs, outdir, paths[i]);
    g.lang = lang;
    g.paths = paths;
    g.sz = sz;
    g.outdir = outdir;
    g.fplants = calloc(files, sizeof *g.fplants);
    g.fn = calloc(files, sizeof *g.fn);
    if (!g.fplants || !g.fn) die("out of memory", NULL);
    atomic_init(&g.next, 0);
    if (!threads) {
        long n = sysconf(_SC_NPROCESSORS_ONLN);
        threads = n > 0 ? (unsigned)n : 1;
    }
    if (threads > 256) threads = 256;
    Worker *ws = calloc(threads, sizeof *ws);
    if (!ws) die("out of memory", NULL);
    for (unsigned t = 0; t < threads; t++) {
        ws[t].sh = &g;
        ws[t].exbuf_cap = 1u << 20;
        ws[t].exbuf = malloc(ws[t].exbuf_cap);
        if (!ws[t].exbuf) die("out of memory", NULL);
        if (pthread_create(&ws[t].tid, NULL, worker, &ws[t]) != 0) die("cannot start a thread", NULL);
    }
    for (unsigned t = 0; t < threads; t++)
        pthread_join(ws[t].tid, NULL);
    double t1 = now();

    FILE *mf = fopen(manifest, "w");
    if (!mf) die("cannot create", manifest);
    fprintf(mf, "# path\toffset\trule\tlength\tspan\ttemplate_offset\ttemplate_length\t(gen_corpus --seed %llu --size %llu --files %llu --rate %llu)\n",
            (unsigned long long)seed, (unsigned long long)size, (unsigned long long)files, (unsigned long long)rate);
    size_t n_plants = 0;
    for (uint64_t i = 0; i < files; i++)
      for (size_t k = 0; k < g.fn[i]; k++, n_plants++) {
        const Plant *p = &g.fplants[i][k];
        fprintf(mf, "%s\t%llu\t%s\t%llu\t%s\t%llu\t%llu\n", paths[i], (unsigned long long)p->off,
                p->rule, (unsigned long long)p->len, p->marked ? "secret" : "template",
                (unsigned long long)p->toff, (unsigned long long)p->tlen);
    }
    if (fclose(mf) != 0) die("cannot write", manifest);

    if (!quiet)
        fprintf(stderr,
                "gen_corpus: %llu bytes in %llu files (%zu folders, %llu pathological inputs) under %s; "
                "%zu fake secrets planted from %zu templates of %zu rules, listed in %s; %.2f s, %.0f MB/s\n",
                (unsigned long long)size, (unsigned long long)files, dirs.n, (unsigned long long)n_patho,
                outdir, n_plants, g.n_tmpl, n_rules_used, manifest, t1 - t0,
                t1 > t0 ? (double)size / 1e6 / (t1 - t0) : 0.0);

    ward_engine_free(eng);
    return 0;
}
