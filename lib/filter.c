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
#include <string.h>

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

int ward_is_placeholder(const char *s, size_t len)
{
    if (len == 0)
        return 1;
    if (template_syntax(s, len) || low_variety(s, len) || sequential(s, len))
        return 1;
    /* AWS documents its example keys with this suffix; others copied it. */
    if (memmem(s, len, "EXAMPLE", 7))
        return 1;
    /* One lowercase copy, then plain memmem per word: far cheaper than a
     * case-insensitive search per word.  Longer values are cut: a
     * placeholder says so early. */
    char low[256];
    size_t n = len < sizeof low ? len : sizeof low;
    for (size_t i = 0; i < n; i++)
        low[i] = (char)tolower((unsigned char)s[i]);
    for (size_t i = 0; i < sizeof placeholder_words / sizeof *placeholder_words; i++)
        if (memmem(low, n, placeholder_words[i], strlen(placeholder_words[i])))
            return 1;
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
    /* A bare dotted or snake/camel identifier without digits is a name. */
    int digits = 0;
    for (size_t i = 0; i < len; i++) {
        unsigned char c = (unsigned char)s[i];
        if (isdigit(c))
            digits++;
        else if (!isalpha(c) && c != '_' && c != '.' && c != '-')
            return 0;
    }
    return digits == 0;
}

int ward_is_generic_noise(const char *s, size_t len)
{
    if (is_uuid(s, len))
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
    if (s[0] == '$' && len > 1 && (isalpha((unsigned char)s[1]) || s[1] == '_'))
        return 1; /* $VAR */
    return is_reference(s, len);
}

int ward_line_has_allow(const char *line, size_t len)
{
    return memmem(line, len, "ward:allow", 10) || memmem(line, len, "gitleaks:allow", 14) ||
           memmem(line, len, "pragma: allowlist secret", 24);
}
