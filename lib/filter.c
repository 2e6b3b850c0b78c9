/* filter.c - tells secrets from things that only look like them.
 *
 * Three questions, each cheap and each asked only of a confirmed match:
 *  - is the value a placeholder (a template variable, an "insert your key
 *    here", a documented example, a run of one character)?  Asked for every
 *    rule: no real credential looks like that;
 *  - for generic rules only, is the value something other than a literal
 *    credential (a reference to an environment variable or another variable,
 *    a UUID, a git hash, a lock-file integrity hash, a path)?
 *  - does the line carry an allow comment?
 */
#define _GNU_SOURCE
#include <ctype.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "codec.h"
#include "encoded.h"
#include "internal.h"

const char *ward_memmem_ci(const char *hay, size_t hlen, const char *needle, size_t nlen)
{
    if (nlen == 0)
        return hay;
    if (nlen > hlen)
        return NULL;
    int f0 = tolower((unsigned char)needle[0]), F0 = toupper((unsigned char)needle[0]);
    for (size_t i = 0; i + nlen <= hlen; i++) {
        int ch = (unsigned char)hay[i];
        if (ch != f0 && ch != F0)
            continue;
        if (strncasecmp(hay + i, needle, nlen) == 0)
            return hay + i;
    }
    return NULL;
}

/* Words that, anywhere in a value, mean somebody is yet to fill it in.  They
 * are long enough that a random token contains one with negligible odds. */
static const char *const placeholder_words[] = {
    "your_", "your-", "yourapi", "yourkey", "yoursecret", "yourtoken", "yourpassword",
    "placeholder", "changeme", "change_me", "change-me", "replaceme", "replace_me",
    "redacted", "insert_", "insert-", "dummy", "xxxxxx", "******", "......", "example",
    "sample_", "<your", "todo_", "fixme", "notreal", "not_real", "not-a-real", "fake_",
    "-fake-", "_fake",
};

static int low_variety(const char *s, size_t len)
{
    unsigned char seen[256] = {0};
    size_t distinct = 0, run = 1, longest = 1;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        distinct += !seen[c];
        seen[c] = 1;
        if (i && s[i] == s[i - 1]) {
            if (++run > longest)
                longest = run;
        } else {
            run = 1;
        }
    }
    return distinct <= 3 || longest * 2 >= len;
}

/* "abcdefgh", "12345678", "ABCDEF": an ascending run over half the value. */
static int sequential(const char *s, size_t len)
{
    size_t run = 1, longest = 1;
    for (size_t i = 1; i < len; i++) {
        if ((unsigned char)s[i] == (unsigned char)s[i - 1] + 1) {
            if (++run > longest)
                longest = run;
        } else {
            run = 1;
        }
    }
    return longest >= 8 && longest * 2 >= len;
}

/* ${VAR}, {{ var }}, %VAR%, %{var}, <TOKEN>, $(cmd), [[var]], __VAR__. */
static int template_syntax(const char *s, size_t len)
{
    if (len >= 2 && ((s[0] == '$' && (s[1] == '{' || s[1] == '(')) ||
                     (s[0] == '{' && s[1] == '{') || (s[0] == '%' && s[1] == '{') ||
                     (s[0] == '[' && s[1] == '[')))
        return 1;
    if (len >= 3 && s[0] == '%' && s[len - 1] == '%')
        return 1;
    if (len >= 3 && s[0] == '<' && s[len - 1] == '>')
        return 1;
    if (len >= 5 && s[0] == '_' && s[1] == '_' && s[len - 1] == '_' && s[len - 2] == '_')
        return 1;
    /* A template expression anywhere inside also means it is not literal. */
    return memmem(s, len, "${", 2) || memmem(s, len, "{{", 2) || memmem(s, len, "%{", 2);
}

/* Sample keys that providers publish in their documentation (Stripe's
 * test keys, GitHub's example PAT, Google Maps' sample key, jwt.io's token,
 * Slack's example bot token), as FNV-1a hashes so that this file does not
 * itself hold token-shaped strings.  Copied into code everywhere; never a
 * leak. */
static const uint64_t published_samples[] = {
    0xddd19c486d095d84ull, 0x4b814e2c74560377ull, 0x67e733c2f9035757ull,
    0xf6cad54e10eb31acull, 0xcb160c5ebf072178ull, 0x15f87945422cbea3ull,
    0x49514f155640fcf4ull,
};

static int published_sample(const char *s, size_t len)
{
    if (len < 20 || len > 200)
        return 0;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++)
        h = (h ^ (unsigned char)s[i]) * 0x100000001b3ull;
    for (size_t i = 0; i < sizeof published_samples / sizeof *published_samples; i++)
        if (h == published_samples[i])
            return 1;
    return 0;
}

int ward_is_placeholder(const char *s, size_t len)
{
    if (len == 0)
        return 1;
    if (published_sample(s, len))
        return 1;
    if (template_syntax(s, len) || low_variety(s, len) || sequential(s, len))
        return 1;
    /* AWS documents its example keys with this suffix; others copied it. */
    if (memmem(s, len, "EXAMPLE", 7))
        return 1;
    /* A person writes a placeholder in one case ("your_api_key",
     * "YOUR_API_KEY"); random tokens mix cases, and a case-insensitive
     * search would find "_FakE" in about one base64url token in 3000.  One
     * lowercase copy is searched, and a hit counts when the original has
     * it in one case.  Longer values are cut: a placeholder says so early. */
    char low[256];
    size_t n = len < sizeof low ? len : sizeof low;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    for (size_t i = 0; i < sizeof placeholder_words / sizeof *placeholder_words; i++) {
        const char *w = placeholder_words[i];
        size_t wl = strlen(w);
        for (const char *h = low; (h = memmem(h, n - (size_t)(h - low), w, wl)); h++) {
            const char *o = s + (h - low);
            int lower = 1, upper = 1;
            for (size_t k = 0; k < wl; k++) {
                lower &= !isupper((unsigned char)o[k]);
                upper &= !islower((unsigned char)o[k]);
            }
            if (lower || upper)
                return 1;
        }
    }
    return 0;
}

static int all_in(const char *s, size_t len, const char *set)
{
    for (size_t i = 0; i < len; i++)
        if (!strchr(set, s[i]) || !s[i])
            return 0;
    return 1;
}

static int is_uuid(const char *s, size_t len)
{
    if (len != 36)
        return 0;
    for (size_t i = 0; i < 36; i++) {
        int dash = i == 8 || i == 13 || i == 18 || i == 23;
        if (dash ? s[i] != '-' : !isxdigit((unsigned char)s[i]))
            return 0;
    }
    return 1;
}

static int common_pair(char a, char b);

/* An identifier or a dotted/indexed/called expression: a reference to a
 * value kept somewhere else, such as os.environ["X"] or config.get(...). */
static int is_reference(const char *s, size_t len)
{
    static const char *const refs[] = {"os.environ", "os.getenv", "process.env", "getenv(",
                                       "env(", "env.", "secrets.", "vault:", "ENV[",
                                       "System.getenv", "config.", "settings.", "self.",
                                       "this.", "params.", "args."};
    for (size_t i = 0; i < sizeof refs / sizeof *refs; i++)
        if (memmem(s, len, refs[i], strlen(refs[i])))
            return 1;
    if (memchr(s, '(', len) || memchr(s, '[', len))
        return 1;
    /* An identifier without digits is a name: dotted, snake or kebab when
     * its letters read as words (config.db.password, get_user_token); in
     * one case; or in camel case (TSQLStringType, HTTPPasswordMgr).  About
     * 3 random base62 values of 20 characters in 100 have no digit, and
     * they are secrets: their case changes far more often. */
    char letters[256];
    size_t nl = 0, up = 0, low = 0, changes = 0, lead = 0;
    int seps = 0;
    while (lead < len && s[lead] == '_')
        lead++; /* _RSAPrivateKey, __init__: a private name */
    for (size_t i = lead; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c))
            return 0;
        if (c == '_' || c == '.' || c == '-') {
            seps++;
        } else if (!isalpha(c)) {
            return 0;
        } else {
            up += isupper(c) != 0;
            low += islower(c) != 0;
            if (nl && nl < sizeof letters && !isupper((unsigned char)letters[nl - 1]) != !isupper(c))
                changes++;
            if (nl < sizeof letters)
                letters[nl++] = (char)c;
        }
    }
    if (seps)
        return !ward_looks_random(letters, nl);
    if (!up || !low)
        return 1;
    /* camel case changes case twice a word (lower, Upper, lower): under
     * one change in two characters, even for short words and acronyms
     * (CryptDllImportPrivateKeyInfoEx: 0.45); random letters average one */
    if (changes * 100 >= (nl - 1) * (nl >= 20 ? 50 : 60))
        return 0;
    /* and its lower-case runs read as words: a third of their letter pairs
     * or more are common ones (TSslCtxSetDefaultPasswdCb 0.33, most names
     * over 0.5), where random letters give one in seven */
    size_t pairs = 0, common = 0;
    for (size_t i = 1; i < nl; i++)
        if (islower((unsigned char)letters[i]) && islower((unsigned char)letters[i - 1])) {
            pairs++;
            common += common_pair(letters[i - 1], letters[i]);
        }
    return pairs < 3 || common * 3 >= pairs;
}

/* Twilio resource ids (account AC…, API key SK…, and the like): two
 * capitals and 32 lowercase hex digits.  They name a resource and are
 * public; the secret is the token that goes with them. */
static int is_twilio_sid(const char *s, size_t len)
{
    return len == 34 && isupper((unsigned char)s[0]) && isupper((unsigned char)s[1]) &&
           all_in(s + 2, 32, "0123456789abcdef");
}

/* Words joined by '_' (yaml_FOLDED_SCALAR_STYLE, Pgnutls_datum_t): each
 * part lower case, upper case or capitalised, digits only at its end. */
static int joined_identifier(const char *s, size_t len)
{
    size_t parts = 0, letters = 0, i = 0;
    while (i < len && s[i] == '_')
        i++;
    while (i < len) {
        size_t b = i, up = 0, low = 0;
        int digits = 0;
        for (; i < len && s[i] != '_'; i++) {
            unsigned char c = (unsigned char)s[i];
            if (isdigit(c)) {
                digits = 1;
            } else if (!isalpha(c) || digits) {
                return 0;
            } else if (isupper(c)) {
                if (low)
                    return 0; /* camel or random case inside a part */
                up++;
            } else {
                if (up > 1)
                    return 0; /* "ABc" */
                low++;
            }
        }
        if (i == b)
            return 0; /* "__" inside */
        parts++;
        letters += up + low;
        i++;
    }
    return parts >= 2 && letters >= 4;
}

/* Base64 of words: letters and separators only (YS1naXQtdG9rZW4= is
 * "a-git-token").  Encoded values with digits or symbols, such as a
 * Kubernetes secret's data or Basic credentials, stay. */
static int base64_of_words(const char *s, size_t len)
{
    unsigned char d[192];
    if (len < 8 || len > 256)
        return 0;
    long n = ward_base64_decode(s, len, 0, d, sizeof d);
    if (n < 0)
        n = ward_base64_decode(s, len, 1, d, sizeof d);
    if (n < 6)
        return 0;
    for (long i = 0; i < n; i++)
        if (!isalpha(d[i]) && !strchr(" -_.", d[i]))
            return 0;
    return 1;
}

/* A value that is text or a name, not a credential: natural language in
 * another script (bytes past ASCII), a single capitalised word
 * ("Nieoczekiwany"), an AWS Signature V4 credential scope, an identifier
 * of joined words, base64 of words. */
static int text_not_key(const char *s, size_t len)
{
    size_t lower = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80)
            return 1;
        lower += c >= 'a' && c <= 'z';
    }
    if (len < 20 && isupper((unsigned char)s[0]) && lower == len - 1)
        return 1;
    if (memmem(s, len, "aws4_request", 12))
        return 1;
    return joined_identifier(s, len) || base64_of_words(s, len);
}

int ward_is_generic_noise(const char *s, size_t len)
{
    if (is_uuid(s, len) || is_twilio_sid(s, len))
        return 1;
    if (text_not_key(s, len))
        return 1;
    if (!ward_looks_random(s, len))
        return 1;
    /* git object ids (SHA-1, SHA-256) and other bare lowercase hex digests */
    if ((len == 40 || len == 64) && all_in(s, len, "0123456789abcdef"))
        return 1;
    /* lock-file integrity strings: sha512-<base64> */
    if (len > 7 && (!strncmp(s, "sha512-", 7) || !strncmp(s, "sha384-", 7) ||
                    !strncmp(s, "sha256-", 7) || !strncmp(s, "sha1-", 5)))
        return 1;
    if (s[0] == '/' || !strncmp(s, "./", 2) || !strncmp(s, "../", 3) || !strncmp(s, "~/", 2))
        return 1;
    if (memmem(s, len, "://", 3))
        return 1; /* a URL: credentials in URLs have their own rule */
    /* resource names: arn:aws:..., us-east-1:123456789012:secret:... */
    if (!strncmp(s, "arn:", 4))
        return 1;
    {
        const char *c1 = memchr(s, ':', len);
        size_t k = c1 ? (size_t)(c1 - s) : 0;
        if (k >= 9 && k <= 16 && s[2] == '-' && isdigit((unsigned char)s[k - 1]) &&
            s[k - 2] == '-')
            return 1;
    }
    /* timestamps: 2016-09-08T21:47:36Z */
    if (len >= 10 && isdigit((unsigned char)s[0]) && isdigit((unsigned char)s[3]) &&
        s[4] == '-' && isdigit((unsigned char)s[5]) && s[7] == '-')
        return 1;
    if (s[0] == '$' && len > 1 && (isalpha((unsigned char)s[1]) || s[1] == '_'))
        return 1; /* $VAR */
    if (memmem(s, len, "...", 3) || memmem(s, len, "\xe2\x80\xa6", 3))
        return 1; /* elided: "4AEA6u7J...", never a whole secret */
    if ((s[0] == '^' || s[0] == '*' || s[0] == '&') && len > 1)
        return is_reference(s + 1, len - 1); /* a pointer type or dereference */
    return is_reference(s, len);
}

int ward_line_has_allow(const char *line, size_t len)
{
    return memmem(line, len, "ward:allow", 10) || memmem(line, len, "gitleaks:allow", 14) ||
           memmem(line, len, "pragma: allowlist secret", 24);
}

/* ---- the randomness model ------------------------------------------------
 *
 * A random token and a made-up password-looking word both pass an entropy
 * threshold; what tells them apart is structure.  Words (English or code)
 * are mostly made of a few hundred common letter pairs and change case once
 * per word; a random base62 token has a common pair among its letters about
 * one time in seven and starts a new capitalised "word" at every fourth.  Hex-only and
 * digit-only values carry fewer bits per character, so they need more of
 * them. */
static const char common_bigrams[] =
    "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io "
    "le ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns ge ly ei "
    "os no pe do su pa ec ac ot di ol tr sh ad us ss ct pr wo rd ke ey ok ex am et un id "
    "ag fo ow ap pl ba ck im ig ia ul up qu ue lo nc oc";

static unsigned char bigram_tab[26][26];
static unsigned char bigram_ready;

static void bigram_init(void)
{
    if (__atomic_load_n(&bigram_ready, __ATOMIC_ACQUIRE))
        return;
    unsigned char t[26][26];
    memset(t, 0, sizeof t);
    for (size_t i = 0; i + 2 < sizeof common_bigrams; i += 3)
        t[common_bigrams[i] - 'a'][common_bigrams[i + 1] - 'a'] = 1;
    memcpy(bigram_tab, t, sizeof t);
    __atomic_store_n(&bigram_ready, 1, __ATOMIC_RELEASE);
}

/* Whether two lower-case letters are one of the common pairs. */
static int common_pair(char a, char b)
{
    bigram_init();
    return a >= 'a' && a <= 'z' && b >= 'a' && b <= 'z' && bigram_tab[a - 'a'][b - 'a'];
}

int ward_looks_random(const char *s, size_t len)
{
    bigram_init();
    size_t lower = 0, upper = 0, digit = 0, other = 0, hexl = 0, hexu = 0;
    size_t pairs = 0, common = 0, word_starts = 0, upper_pairs = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c >= 'a' && c <= 'z')
            lower++, hexl += c <= 'f';
        else if (c >= 'A' && c <= 'Z')
            upper++, hexu += c <= 'F';
        else if (c >= '0' && c <= '9')
            digit++;
        else
            other++;
        if (i && isalpha(c) && isalpha((unsigned char)s[i - 1])) {
            unsigned char p = (unsigned char)s[i - 1];
            pairs++;
            common += bigram_tab[tolower(p) - 'a'][tolower(c) - 'a'];
            word_starts += islower(p) && isupper(c);
            upper_pairs += isupper(p) && isupper(c);
        }
    }
    if (digit == len)
        return len >= 24;
    if (!other && !upper && hexl == lower)
        return len >= 20; /* lowercase hex */
    if (!other && !lower && hexu == upper)
        return len >= 20; /* uppercase hex */
    if (pairs >= 5 && digit * 5 <= len) {
        /* Words: most letter pairs common; in one case, or capitalised
         * (a word starts at most every fifth pair, capitals seldom touch):
         * SuperSecretPassword, get_user_token, correcthorsebattery. */
        int one_case = !upper || !lower;
        if (one_case ? pairs >= 8 && common * 2 >= pairs
                     : (common * 10 >= pairs * 4 && word_starts * 5 <= pairs &&
                        upper_pairs * 5 <= pairs) ||
                           /* camelCase of short words (getIdToken,
                            * isNotArrowToken): two common pairs in three,
                            * which random letters (one in seven) reach
                            * about once in 200, however often a word
                            * starts */
                           (pairs >= 6 && common * 3 >= pairs * 2))
            return 0;
    }
    /* One character class only (letters of one case, no digits or symbols)
     * in a short value: a word, not a key. */
    if (!other && !digit && (!upper || !lower) && len < 20)
        return 0;
    return 1;
}

/* ---- file- and line-aware filters for generic findings ------------------ */

static const char *base_name(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcasecmp(s + n - m, suf);
}

static int has_dir(const char *path, const char *dir)
{
    size_t n = strlen(dir);
    for (const char *p = path; (p = strstr(p, dir)); p++)
        if ((p == path || p[-1] == '/') && p[n] == '/')
            return 1;
    return 0;
}

int ward_generic_path_noise(const char *path)
{
    if (!path || !*path)
        return 0;
    static const char *const locks[] = {
        "package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml",
        "Cargo.lock", "poetry.lock", "go.sum", "composer.lock", "Gemfile.lock",
        "Pipfile.lock", "bun.lockb", "packages.lock.json", "flake.lock", "mix.lock",
        "pubspec.lock", "Podfile.lock", "gradle.lockfile", "uv.lock",
    };
    const char *b = base_name(path);
    for (size_t i = 0; i < sizeof locks / sizeof *locks; i++)
        if (!strcmp(b, locks[i]))
            return 1;
    static const char *const sufs[] = {".min.js", ".min.mjs", ".min.css", ".js.map", ".css.map",
                                       ".map", ".svg", "-min.js", ".bundle.js", ".d.ts",
                                       ".d.mts", ".d.cts", ".examples.json"};
    for (size_t i = 0; i < sizeof sufs / sizeof *sufs; i++)
        if (ends_with(b, sufs[i]))
            return 1;
    /* Test fixtures, where the folder says so. */
    return has_dir(path, "fixtures") || has_dir(path, "__fixtures__") ||
           has_dir(path, "testdata") || has_dir(path, "test-fixtures") ||
           has_dir(path, "__snapshots__");
}

/* The name a value is assigned to ends in a word that makes it a setting
 * about a secret, not the secret: password_encryption, tokenType,
 * SECRET_FILE, api_key_name. */
static int name_is_setting(const char *line, size_t col)
{
    static const char *const words[] = {
        "encryption", "policy", "length", "len", "min", "max", "type", "mode", "file",
        "path", "dir", "url", "uri", "endpoint", "name", "field", "label", "prompt", "hint",
        "placeholder", "format", "algorithm", "algo", "expiry", "expires", "ttl", "timeout",
        "count", "version", "enabled", "required", "regex", "pattern", "validator"};
    size_t e = col;
    /* back over the quote, the operator and spaces: "name": ", name = ", name: */
    while (e > 0 && strchr(" \t\"'`:=>", line[e - 1]))
        e--;
    size_t b = e;
    while (b > 0 && (isalnum((unsigned char)line[b - 1]) || line[b - 1] == '_' ||
                     line[b - 1] == '-' || line[b - 1] == '.'))
        b--;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++) {
        size_t n = strlen(words[i]);
        if (e - b <= n || strncasecmp(line + e - n, words[i], n))
            continue;
        char before = line[e - n - 1], first = line[e - n];
        if (before == '_' || before == '-' || before == '.' ||
            (isupper((unsigned char)first) && islower((unsigned char)before)))
            return 1;
    }
    return 0;
}

int ward_generic_line_noise(const char *line, size_t ll, size_t col, size_t sl)
{
    if (col > ll)
        col = ll;
    if (name_is_setting(line, col))
        return 1;
    /* A quoted value that goes on with a space and a word is a sentence
     * ("Nieoczekiwany token."), not a credential. */
    if (col > 0 && (line[col - 1] == '"' || line[col - 1] == '\'') && col + sl + 1 < ll &&
        line[col + sl] == ' ' && isalpha((unsigned char)line[col + sl + 1]))
        return 1;
    /* an ARN's resource part: arn:aws:secretsmanager:...:secret:NAME */
    if (ward_memmem_ci(line, col, "arn:aws", 7))
        return 1;
    /* Only the secret's own line counts (a match may end past its newline). */
    size_t from = col + sl < ll ? col + sl : ll;
    const char *nl = memchr(line + from, '\n', ll - from);
    if (nl)
        ll = (size_t)(nl - line);
    /* A minified bundle: a very long line with next to no whitespace. */
    if (ll > 1000) {
        size_t ws = 0;
        for (size_t i = 0; i < ll; i++)
            ws += line[i] == ' ' || line[i] == '\t';
        if (ws * 12 < ll)
            return 1;
    }
    /* A data: URI (an inline image or font) before the value. */
    const char *d = ward_memmem_ci(line, col, "data:", 5);
    if (d && memmem(d, col - (size_t)(d - line), ";base64,", 8))
        return 1;
    /* SVG drawing data. */
    if (memmem(line, ll, "<svg", 4) || memmem(line, ll, "<path", 5) ||
        memmem(line, ll, " d=\"M", 5))
        return 1;
    return 0;
}

/* ---- words inside a provider's token ------------------------------------ */

/* A run of n letters reads as a word: most of its letter pairs common. */
static int wordy(const char *s, size_t n)
{
    size_t pairs = 0, common = 0;
    for (size_t i = 1; i < n; i++) {
        pairs++;
        common += common_pair((char)tolower((unsigned char)s[i - 1]),
                              (char)tolower((unsigned char)s[i]));
    }
    return n >= 5 && common * 3 >= pairs * 2;
}

int ward_token_has_words(const char *s, size_t len)
{
    /* "...test", "..._TEST": a suffix people add to made-up tokens */
    if (len >= 8 && !strncasecmp(s + len - 4, "test", 4))
        return 1;
    size_t run = 1, words = 0;
    for (size_t i = 1; i < len; i++) {
        /* abcdef, 123456: an ascending run of six */
        run = (unsigned char)s[i] == (unsigned char)s[i - 1] + 1 && isalnum((unsigned char)s[i])
                  ? run + 1
                  : 1;
        if (run >= 6)
            return 1;
    }
    /* Two words: runs of letters, each a capital then lower case, or all in
     * one case (checking_Length-Is, getUserToken). */
    for (size_t i = 0; i < len;) {
        if (!isalpha((unsigned char)s[i])) {
            i++;
            continue;
        }
        size_t b = i++;
        int upper = isupper((unsigned char)s[b]) != 0;
        if (upper && i < len && isupper((unsigned char)s[i]))
            while (i < len && isupper((unsigned char)s[i]))
                i++;
        else
            while (i < len && islower((unsigned char)s[i]))
                i++;
        words += wordy(s + b, i - b);
        if (words >= 2)
            return 1;
    }
    return 0;
}
