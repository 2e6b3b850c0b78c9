/* gen_accuracy.c - the labelled corpus of bench/accuracy: every rule's
 * positive examples placed in realistic files of 21 types, every rule's
 * negative examples (near-miss formats) likewise, and generated hard
 * negatives (identifiers, hashes, UUIDs, base64 images, placeholders,
 * word-like passwords, lock files, minified bundles).  Tokens come from
 * the rules' templates at run time (ward_example_expand): nothing real.
 *
 *   gen_accuracy [--seed N] OUTDIR    writes OUTDIR/... and OUTDIR.labels.tsv
 *
 * labels (tab-separated): path, first line, last line, rule, kind:
 *   pos      one line per positive: its lines, its rule;
 *   neg      a rule's near-miss negative file (lines 0 0), and which rule's;
 *   hard     a generated hard negative file (lines 0 0, rule "-");
 *   generic  a generic rule's id (path "-"): score.py counts its findings on
 *            near-miss negatives apart (a random value assigned to a
 *            secret-like name is what a generic rule is for), not as false
 *            positives of the headline share of findings on plants. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <ward.h>

typedef struct ftype {
    const char *dir, *name; /* name: a file name, or an extension (".py") */
    const char *head, *tail;
} ftype;

static const ftype types[] = {
    {"app", ".py", "import os\nimport logging\n\nlog = logging.getLogger(__name__)\n\n\ndef connect(retries=3):\n    \"\"\"Open the client.\"\"\"\n",
     "    return Client(timeout=30)\n"},
    {"web/src", ".js", "'use strict';\nconst express = require('express');\nconst app = express();\n\n",
     "\napp.listen(3000, () => console.log('ready'));\n"},
    {"web/src/lib", ".ts", "import { Injectable } from '@angular/core';\n\n@Injectable()\nexport class ApiService {\n",
     "  constructor(private http: HttpClient) {}\n}\n"},
    {"svc/internal/client", ".go", "package client\n\nimport (\n\t\"net/http\"\n\t\"time\"\n)\n\n",
     "\nfunc New() *http.Client { return &http.Client{Timeout: 10 * time.Second} }\n"},
    {"core/src/main/java/com/acme", ".java", "package com.acme;\n\nimport java.util.Map;\n\npublic class Settings {\n",
     "    public Map<String, String> all() { return Map.of(); }\n}\n"},
    {"lib/acme", ".rb", "# frozen_string_literal: true\n\nmodule Acme\n  class Client\n",
     "    def initialize; end\n  end\nend\n"},
    {"site/src", ".php", "<?php\n\nnamespace App\\Config;\n\nreturn [\n", "];\n"},
    {"Acme.Api", ".cs", "using System;\n\nnamespace Acme.Api\n{\n    public static class Keys\n    {\n",
     "    }\n}\n"},
    {"crates/acme/src", ".rs", "use std::env;\n\npub struct Config {\n    pub url: String,\n}\n\n",
     "\nfn main() { println!(\"ok\"); }\n"},
    {"scripts", ".sh", "#!/usr/bin/env bash\nset -euo pipefail\n\n", "\n./deploy.sh \"$@\"\n"},
    {"deploy", ".env", "# local settings\nNODE_ENV=production\nPORT=8080\n", "LOG_LEVEL=info\n"},
    {"k8s", ".yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app\ndata:\n", "  region: eu-west-1\n"},
    {".github/workflows", ".yml", "name: ci\non: [push]\njobs:\n  build:\n    runs-on: ubuntu-latest\n    env:\n",
     "    steps:\n      - uses: actions/checkout@v4\n"},
    {"config", ".json", "{\n  \"name\": \"acme\",\n  \"settings\": {\n", "  },\n  \"version\": 3\n}\n"},
    {"config", ".toml", "[server]\nhost = \"0.0.0.0\"\nport = 8080\n\n[auth]\n", "\n[log]\nlevel = \"info\"\n"},
    {"config", ".ini", "[database]\nhost = db.internal\nport = 5432\n\n[service]\n", "timeout = 30\n"},
    {"src/main/resources", ".properties", "server.port=8080\nspring.application.name=acme\n",
     "logging.level.root=INFO\n"},
    {"conf", ".xml", "<?xml version=\"1.0\"?>\n<configuration>\n  <appSettings>\n<!--\n",
     "-->\n  </appSettings>\n</configuration>\n"},
    {"infra", ".tf", "provider \"aws\" {\n  region = \"eu-west-1\"\n}\n\nlocals {\n", "}\n"},
    {"docker", "Dockerfile", "FROM python:3.12-slim\nWORKDIR /app\nCOPY . .\n",
     "RUN pip install -r requirements.txt\nCMD [\"python\", \"main.py\"]\n"},
    {"docs", ".md", "# Setup\n\nConfigure the service as below.\n\n```\n", "```\n\nThen run `make`.\n"},
};
#define NTYPES (sizeof types / sizeof *types)

static int mkdirs(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof tmp, "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(tmp, 0755) && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return 0;
}

static FILE *labels;
static const char *outdir;
static uint64_t seed = 1;
static int n_pos, n_neg_files, n_near_miss;

static size_t lines_in(const char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        k += s[i] == '\n';
    return k;
}

/* Writes head + body + tail to rel and labels it: for a positive ("pos"),
 * the secret's lines (or the body's when the template marks no secret); for
 * a negative ("neg": a rule's near miss, "hard": generated), the file. */
static void write_file(const char *rel, const ftype *t, const char *body, size_t bl,
                       size_t so, size_t sl, const char *kind, const char *rule)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", outdir, rel);
    mkdirs(path);
    FILE *f = fopen(path, "wb");
    if (!f) {
        perror(path);
        exit(2);
    }
    fputs(t->head, f);
    fwrite(body, 1, bl, f);
    if (bl && body[bl - 1] != '\n')
        fputc('\n', f);
    fputs(t->tail, f);
    fclose(f);
    if (!strcmp(kind, "pos")) {
        size_t base = lines_in(t->head, strlen(t->head)) + 1;
        size_t first, last;
        if (so != (size_t)-1) {
            first = base + lines_in(body, so);
            last = base + lines_in(body, so + sl);
        } else {
            first = base;
            last = base + lines_in(body, bl);
        }
        fprintf(labels, "%s\t%zu\t%zu\t%s\tpos\n", rel, first, last, rule);
        n_pos++;
    } else {
        fprintf(labels, "%s\t0\t0\t%s\t%s\n", rel, rule ? rule : "-", kind);
        n_neg_files++;
        n_near_miss += !strcmp(kind, "neg");
    }
}

static void file_name(char *out, size_t cap, const char *kind, const char *rule, size_t j, size_t k,
                      const ftype *t)
{
    if (t->name[0] == '.' && strcmp(t->name, ".env"))
        snprintf(out, cap, "%s/%s/%s/%s_%zu%s", kind, rule, t->dir, "settings", j * 100 + k, t->name);
    else
        snprintf(out, cap, "%s/%s/%zu_%zu/%s/%s", kind, rule, j, k, t->dir, t->name);
}

static char body[1 << 16];

/* kind: "pos" or "neg" (rule's examples), "hard" (rule names the group). */
static void emit(const char *kind, const char *rule, size_t j, size_t k, const char *tmpl)
{
    const ftype *t = &types[(j * 5 + k * 7 + strlen(rule)) % NTYPES];
    size_t bl, so, sl;
    if (ward_example_expand(tmpl, &seed, body, sizeof body, &bl, &so, &sl) != WARD_OK)
        return;
    char rel[1024];
    file_name(rel, sizeof rel, kind, rule, j, k, t);
    /* A near miss of one rule can still hold a real secret of another: a
     * Google service-account JSON without its email still carries a
     * complete private key (%{pem...} makes genuine key material).  Such a
     * file is a positive of the private-key rule, over its whole body. */
    const char *pem = strstr(tmpl, "%{pem");
    if (!strcmp(kind, "neg") && pem) {
        const char *label = strchr(pem, ':');
        static const char *const keys[][2] = {
            {":RSA PRIVATE KEY}", "private-key-rsa"}, {":EC PRIVATE KEY}", "private-key-ec"},
            {":DSA PRIVATE KEY}", "private-key-dsa"},
            {":OPENSSH PRIVATE KEY}", "private-key-openssh"},
            {":PRIVATE KEY}", "private-key-pkcs8"}};
        const char *key_rule = NULL;
        for (size_t i = 0; label && i < sizeof keys / sizeof *keys; i++)
            if (!strncmp(label, keys[i][0], strlen(keys[i][0])))
                key_rule = keys[i][1];
        if (key_rule) {
            write_file(rel, t, body, bl, (size_t)-1, 0, "pos", key_rule);
            return;
        }
    }
    write_file(rel, t, body, bl, so, sl, kind, strcmp(kind, "hard") ? rule : NULL);
}

/* Generated hard negatives: values that look like secrets but are not. */
static const char *const hard[] = {
    /* identifiers and references */
    "password = get_password_from_vault(user_id)\n",
    "api_key = settings.API_KEY\n",
    "const token = localStorage.getItem('sessionToken');\n",
    "secret: ${{ secrets.DEPLOY_KEY }}\n",
    "private_key_path = \"/etc/ssl/private/server.key\"\n",
    "token_type = \"BearerAccessTokenWithRefresh\"\n",
    "PASSWORD_MIN_LENGTH = 12\n",
    "access_key_field = \"awsAccessKeyIdentifier\"\n",
    /* word-like and placeholder values */
    "password = \"SuperSecretPassword\"\n",
    "DB_PASSWORD=correcthorsebatterystaple\n",
    "api_key: \"ThisIsMyProductionApiKey\"\n",
    "token = \"get_user_token_for_session\"\n",
    "password: \"your_password_here\"\n",
    "API_KEY=<insert-your-api-key>\n",
    "secret = \"${APP_SECRET}\"\n",
    "token: \"{{ vault_token }}\"\n",
    "password = \"changeme123changeme\"\n",
    "AWS_SECRET_ACCESS_KEY=xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx\n",
    /* hashes and ids */
    "commit = \"%{hex:40}\"\n",
    "sha256sum = \"%{hex:64}\"\n",
    "md5 = \"%{hex:32}\"\n",
    "etag: \"%{hex:32}\"\n",
    "checksum: sha256:%{hex:64}\n",
    "request_id = \"%{uuid}\"\n",
    "client_id: %{uuid}\n",
    "api_key_id = \"%{uuid}\"\n",
    "token_id: \"%{uuid}\"\n",
    "image: registry.acme.io/app@sha256:%{hex:64}\n",
    "secret_version = \"%{hex:40}\"\n",
    /* base64 images and fonts */
    "icon = \"data:image/png;base64,iVBORw0KGgo%{b64:180}\"\n",
    "background: url(data:image/svg+xml;base64,PHN2ZyB4bWxucz0i%{b64:120});\n",
    "src: url('data:font/woff2;base64,d09GMgABAAAAA%{b64:200}') format('woff2');\n",
    /* paths, URLs and names */
    "token_url = \"https://oauth2.acme-corp.io/token\"\n",
    "secret_name: projects/acme-prod/secrets/db-password/versions/latest\n",
    "password_file: /run/secrets/postgres_password\n",
    "private_key: ./certs/service-account.pem\n",
};

static const char *const lockfiles[][2] = {
    {"package-lock.json",
     "{\n  \"name\": \"web\",\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"node_modules/left-pad\": {\n"
     "      \"version\": \"1.3.0\",\n      \"resolved\": \"https://registry.npmjs.org/left-pad/-/left-pad-1.3.0.tgz\",\n"
     "      \"integrity\": \"sha512-%{b64:86}==\"\n    },\n    \"node_modules/token-cache\": {\n"
     "      \"version\": \"2.0.1\",\n      \"integrity\": \"sha1-%{b64:27}=\"\n    }\n  }\n}\n"},
    {"yarn.lock", "left-pad@^1.3.0:\n  version \"1.3.0\"\n  resolved \"https://registry.yarnpkg.com/left-pad/-/left-pad-1.3.0.tgz#%{hex:40}\"\n"
     "  integrity sha512-%{b64:86}==\n"},
    {"pnpm-lock.yaml", "lockfileVersion: '9.0'\npackages:\n  left-pad@1.3.0:\n    resolution: {integrity: sha512-%{b64:86}==}\n"},
    {"Cargo.lock", "[[package]]\nname = \"serde\"\nversion = \"1.0.200\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"%{hex:64}\"\n"},
    {"poetry.lock", "[[package]]\nname = \"requests\"\nversion = \"2.32.0\"\nfiles = [\n    {file = \"requests-2.32.0.tar.gz\", hash = \"sha256:%{hex:64}\"},\n]\n"},
    {"go.sum", "github.com/acme/token v1.2.3 h1:%{b64:43}=\ngithub.com/acme/token v1.2.3/go.mod h1:%{b64:43}=\n"},
    {"composer.lock", "{\n    \"packages\": [{\"name\": \"acme/secret-store\", \"dist\": {\"shasum\": \"%{hex:40}\", \"reference\": \"%{hex:40}\"}}]\n}\n"},
    {"Gemfile.lock", "GEM\n  remote: https://rubygems.org/\n  specs:\n    rake (13.2.1)\n\nCHECKSUMS\n  rake (13.2.1) sha256=%{hex:64}\n"},
};

int main(int argc, char **argv)
{
    int a = 1;
    if (a + 1 < argc && !strcmp(argv[a], "--seed")) {
        seed = strtoull(argv[a + 1], NULL, 10);
        a += 2;
    }
    if (a >= argc) {
        fprintf(stderr, "usage: gen_accuracy [--seed N] OUTDIR\n");
        return 2;
    }
    outdir = argv[a];
    char lp[4096];
    snprintf(lp, sizeof lp, "%s.labels.tsv", outdir);
    mkdir(outdir, 0755);
    labels = fopen(lp, "w");
    if (!labels) {
        perror(lp);
        return 2;
    }
    ward_engine *e;
    char err[256];
    ward_engine_options o = WARD_INIT(ward_engine_options);
    o.cache_dir = "";
    if (ward_engine_new(&o, &e, err, sizeof err)) {
        fprintf(stderr, "gen_accuracy: %s\n", err);
        return 2;
    }
    /* every positive of every rule, each in three file types */
    for (size_t i = 0; i < ward_engine_rule_count(e); i++) {
        ward_rule_info ri;
        ward_engine_rule(e, i, &ri);
        if (!ri.regex)
            continue; /* path-only rules: a file name, not text */
        if (ri.confidence == WARD_CONF_LOW)
            fprintf(labels, "-\t0\t0\t%s\tgeneric\n", ri.id);
        for (size_t j = 0; j < ri.n_positive; j++)
            for (size_t k = 0; k < 3; k++)
                emit("pos", ri.id, j, k, ri.positive[j]);
        for (size_t j = 0; j < ri.n_negative; j++)
            for (size_t k = 0; k < 2; k++)
                emit("neg", ri.id, j, k, ri.negative[j]);
    }
    /* generated hard negatives, each in three file types */
    for (size_t j = 0; j < sizeof hard / sizeof *hard; j++)
        for (size_t k = 0; k < 3; k++)
            emit("hard", "values", j, k, hard[j]);
    for (size_t j = 0; j < sizeof lockfiles / sizeof *lockfiles; j++) {
        size_t bl, so, sl;
        if (ward_example_expand(lockfiles[j][1], &seed, body, sizeof body, &bl, &so, &sl))
            continue;
        char rel[256];
        snprintf(rel, sizeof rel, "hard/lock/%zu/%s", j, lockfiles[j][0]);
        static const ftype bare = {"", "", "", ""};
        write_file(rel, &bare, body, bl, 0, 0, "hard", NULL);
    }
    /* a minified bundle: one long line, tokens and hashes without spaces */
    {
        size_t n = 0;
        n += (size_t)snprintf(body + n, sizeof body - n, "!function(e){\"use strict\";");
        for (int k = 0; k < 60 && n + 400 < sizeof body; k++) {
            char piece[512];
            size_t pl, so, sl;
            ward_example_expand("var t%{lower:2}={apiKey:\"%{a62:32}\",token:\"%{b64url:40}\",hash:\"%{hex:40}\"};",
                                &seed, piece, sizeof piece, &pl, &so, &sl);
            memcpy(body + n, piece, pl);
            n += pl;
        }
        n += (size_t)snprintf(body + n, sizeof body - n, "}(window);\n");
        static const ftype bare = {"", "", "", ""};
        write_file("hard/min/dist/assets/app.4f9a1c.min.js", &bare, body, n, 0, 0, "hard", NULL);
        /* the same in a bundle not named .min.js: only its shape says so */
        write_file("hard/min/public/static/js/main.8d2e11.js", &bare, body, n, 0, 0, "hard", NULL);
    }
    fclose(labels);
    ward_engine_free(e);
    printf("%d positives, %d negative files (%d rule near misses, %d hard)\n", n_pos, n_neg_files,
           n_near_miss, n_neg_files - n_near_miss);
    return 0;
}
