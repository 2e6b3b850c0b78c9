/* test_toml.c - unit tests for the TOML parser (lib/toml.c).
 *
 * Every document is copied into a heap buffer of exactly its length, without
 * a terminating NUL, before parsing, and freed right after: under
 * AddressSanitizer any read past the caller's window or any pointer kept into
 * the input shows up as an error.  Values are reached with a small path helper
 * ("fruits/0/name", numeric parts index arrays).  Error tests compare the
 * whole message, line number included.
 */
#include "check.h"
#include "toml.h"

#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- helpers --------------------------------------------------------- */

static toml_value *parse_n(const char *doc, size_t n, char *err, size_t errlen)
{
    char *copy = malloc(n ? n : 1);
    toml_value *root;
    if (!copy)
        abort();
    memcpy(copy, doc, n);
    root = ward_toml_parse(copy, n, err, errlen);
    memset(copy, 0x55, n); /* the tree must not point into the input */
    free(copy);
    return root;
}

static toml_value *parse_ok(const char *doc)
{
    char err[256];
    toml_value *root = parse_n(doc, strlen(doc), err, sizeof err);
    if (!root)
        fprintf(stderr, "unexpected parse error: %s\n", err);
    return root;
}

#define PARSE(var, doc) \
    toml_value *var = parse_ok(doc); \
    CHECK(var != NULL); \
    if (!var) \
        return

/* Parses a document that must fail and compares the message. */
#define EXPECT_ERR(doc, want) do { \
    char e_[256]; \
    const char *d_ = (doc); \
    toml_value *r_ = parse_n(d_, strlen(d_), e_, sizeof e_); \
    CHECK(r_ == NULL); \
    if (r_) { \
        fprintf(stderr, "  document unexpectedly parsed: %s\n", d_); \
        ward_toml_free(r_); \
    } else { \
        CHECK_STR(e_, want); \
    } } while (0)

/* Walks "a/b/0/c": table keys, or decimal indexes into arrays. */
static const toml_value *at(const toml_value *v, const char *path)
{
    char part[128];
    while (v && *path) {
        size_t n = strcspn(path, "/");
        if (n >= sizeof part)
            return NULL;
        memcpy(part, path, n);
        part[n] = 0;
        if (ward_toml_type_of(v) == TOML_ARRAY)
            v = ward_toml_value_at(v, (size_t)strtoul(part, NULL, 10));
        else
            v = ward_toml_get(v, part);
        path += n;
        if (*path == '/')
            path++;
    }
    return v;
}

static const char *str_at(const toml_value *v, const char *path)
{
    return ward_toml_str(at(v, path), NULL);
}

static int64_t int_at(const toml_value *v, const char *path)
{
    int64_t i = -424242;
    if (ward_toml_int(at(v, path), &i))
        return -424242;
    return i;
}

static double float_at(const toml_value *v, const char *path)
{
    double d = -424242.0;
    if (ward_toml_float(at(v, path), &d))
        return -424242.0;
    return d;
}

static int bool_at(const toml_value *v, const char *path)
{
    int b = -1;
    if (ward_toml_bool(at(v, path), &b))
        return -1;
    return b;
}

static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    char *s = malloc(hl + ul * times + tl + 1), *o = s;
    if (!s)
        abort();
    memcpy(o, head, hl);
    o += hl;
    for (size_t i = 0; i < times; i++, o += ul)
        memcpy(o, unit, ul);
    memcpy(o, tail, tl + 1);
    return s;
}

/* ---- value types ----------------------------------------------------- */

static void test_empty_documents(void)
{
    const char *docs[] = {"", "\n", "   \t ", "# only a comment", "# c\n\n  # d\r\n", "\xef\xbb\xbf"};
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        PARSE(root, docs[i]);
        CHECK_INT(ward_toml_type_of(root), TOML_TABLE);
        CHECK_INT(ward_toml_len(root), 0);
        ward_toml_free(root);
    }
}

static void test_basic_strings(void)
{
    size_t n = 0;
    PARSE(root, "a = \"plain\"\n"
                "b = \"tab\\there \\\"quoted\\\" back\\\\slash\"\n"
                "c = \"\\b\\f\\n\\r\\t\"\n"
                "d = \"caf\\u00e9 \\u00E9\"\n"
                "e = \"\\U0001F600\"\n"
                "f = \"nul\\u0000byte\"\n"
                "g = \"\"\n"
                "h = \"raw utf-8: \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\"\n"
                "i = \"# not a comment\" # a comment\n"
                "j = \"tab\tinside\"\n");
    CHECK_STR(str_at(root, "a"), "plain");
    CHECK_STR(str_at(root, "b"), "tab\there \"quoted\" back\\slash");
    CHECK_STR(str_at(root, "c"), "\b\f\n\r\t");
    CHECK_STR(str_at(root, "d"), "caf\xc3\xa9 \xc3\xa9");
    CHECK_STR(str_at(root, "e"), "\xf0\x9f\x98\x80");
    const char *f = ward_toml_str(at(root, "f"), &n);
    CHECK_INT(n, 8);
    CHECK(f && memcmp(f, "nul\0byte", 9) == 0 && f[n] == 0);
    CHECK_STR(ward_toml_str(at(root, "g"), &n), "");
    CHECK_INT(n, 0);
    CHECK_STR(str_at(root, "h"), "raw utf-8: \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80");
    CHECK_STR(str_at(root, "i"), "# not a comment");
    CHECK_STR(str_at(root, "j"), "tab\tinside");
    ward_toml_free(root);
}

static void test_multiline_basic_strings(void)
{
    PARSE(root, "a = \"\"\"\nRoses are red\nViolets are blue\"\"\"\n"
                "b = \"\"\"\r\nwindows\r\nline\"\"\"\n"
                "c = \"\"\"\nThe quick brown \\\n\n\n  fox jumps over \\\n    the lazy dog.\"\"\"\n"
                "d = \"\"\"\\\n       The quick brown \\\r\n       fox.\\\n       \"\"\"\n"
                "e = \"\"\"Here are two quotation marks: \"\". Simple enough.\"\"\"\n"
                "f = \"\"\"Here are three quotation marks: \"\"\\\".\"\"\"\n"
                "g = \"\"\"a\"\"\"\"\"\n"
                "h = \"\"\"\"This,\" she said, \"is just a pointless statement.\"\"\"\"\n"
                "i = \"\"\"\"\"\"\n"
                "j = \"\"\"\n\"\"\"\n"
                "k = \"\"\"trailing space backslash \\   \n   done\"\"\"\n"
                "l = \"\"\"tab\there\n\\u0041\"\"\"\n"
                "m = \"\"\"\n\nkeeps second newline\"\"\"\n"
                "n = \"\"\"\"\"\"\"\n");
    CHECK_STR(str_at(root, "a"), "Roses are red\nViolets are blue");
    CHECK_STR(str_at(root, "b"), "windows\nline");
    CHECK_STR(str_at(root, "c"), "The quick brown fox jumps over the lazy dog.");
    CHECK_STR(str_at(root, "d"), "The quick brown fox.");
    CHECK_STR(str_at(root, "e"), "Here are two quotation marks: \"\". Simple enough.");
    CHECK_STR(str_at(root, "f"), "Here are three quotation marks: \"\"\".");
    CHECK_STR(str_at(root, "g"), "a\"\"");
    CHECK_STR(str_at(root, "h"), "\"This,\" she said, \"is just a pointless statement.\"");
    CHECK_STR(str_at(root, "i"), "");
    CHECK_STR(str_at(root, "j"), "");
    CHECK_STR(str_at(root, "k"), "trailing space backslash done");
    CHECK_STR(str_at(root, "l"), "tab\there\nA");
    CHECK_STR(str_at(root, "m"), "\nkeeps second newline");
    CHECK_STR(str_at(root, "n"), "\"");
    ward_toml_free(root);
}

static void test_literal_strings(void)
{
    PARSE(root, "winpath = 'C:\\Users\\nodejs\\templates'\n"
                "quoted = 'Tom \"Dubs\" Preston-Werner'\n"
                "regex = '<\\i\\c*\\s*>'\n"
                "empty = ''\n"
                "ml = '''\nI [dw]on't need \\d{2} apples'''\n"
                "lines = '''\nThe first newline is\r\ntrimmed in raw strings.\n   All other whitespace\n   is preserved.\n'''\n"
                "q1 = ''''That,' she said, 'is still pointless.''''\n"
                "q2 = '''a'''''\n"
                "tab = 'a\tb'\n"
                "bs = '''no \\\n continuation'''\n");
    CHECK_STR(str_at(root, "winpath"), "C:\\Users\\nodejs\\templates");
    CHECK_STR(str_at(root, "quoted"), "Tom \"Dubs\" Preston-Werner");
    CHECK_STR(str_at(root, "regex"), "<\\i\\c*\\s*>");
    CHECK_STR(str_at(root, "empty"), "");
    CHECK_STR(str_at(root, "ml"), "I [dw]on't need \\d{2} apples");
    CHECK_STR(str_at(root, "lines"),
              "The first newline is\ntrimmed in raw strings.\n   All other whitespace\n"
              "   is preserved.\n");
    CHECK_STR(str_at(root, "q1"), "'That,' she said, 'is still pointless.'");
    CHECK_STR(str_at(root, "q2"), "a''");
    CHECK_STR(str_at(root, "tab"), "a\tb");
    CHECK_STR(str_at(root, "bs"), "no \\\n continuation");
    ward_toml_free(root);
}

static void test_integers(void)
{
    PARSE(root, "a = 99\nb = +99\nc = 0\nd = -17\ne = +0\nf = -0\n"
                "g = 1_000\nh = 5_349_221\ni = 1_2_3_4_5\n"
                "j = 0xDEADBEEF\nk = 0xdeadbeef\nl = 0xdead_beef\nm = 0o01234567\nn = 0o755\n"
                "o = 0b11010110\np = 0x0000_0001\n"
                "max = 9223372036854775807\nmin = -9223372036854775808\n"
                "hexmax = 0x7FFFFFFFFFFFFFFF\nbinmax = 0b111111111111111111111111111111111111111111111111111111111111111\n");
    CHECK_INT(int_at(root, "a"), 99);
    CHECK_INT(int_at(root, "b"), 99);
    CHECK_INT(int_at(root, "c"), 0);
    CHECK_INT(int_at(root, "d"), -17);
    CHECK_INT(int_at(root, "e"), 0);
    CHECK_INT(int_at(root, "f"), 0);
    CHECK_INT(int_at(root, "g"), 1000);
    CHECK_INT(int_at(root, "h"), 5349221);
    CHECK_INT(int_at(root, "i"), 12345);
    CHECK_INT(int_at(root, "j"), 0xdeadbeef);
    CHECK_INT(int_at(root, "k"), 0xdeadbeef);
    CHECK_INT(int_at(root, "l"), 0xdeadbeef);
    CHECK_INT(int_at(root, "m"), 01234567);
    CHECK_INT(int_at(root, "n"), 0755);
    CHECK_INT(int_at(root, "o"), 214);
    CHECK_INT(int_at(root, "p"), 1);
    CHECK(int_at(root, "max") == INT64_MAX);
    CHECK(int_at(root, "min") == INT64_MIN);
    CHECK(int_at(root, "hexmax") == INT64_MAX);
    CHECK(int_at(root, "binmax") == INT64_MAX);
    CHECK_INT(ward_toml_type_of(at(root, "a")), TOML_INT);
    ward_toml_free(root);
}

static void test_floats(void)
{
    double d = 0;
    PARSE(root, "a = +1.0\nb = 3.1415\nc = -0.01\nd = 5e+22\ne = 1e06\nf = -2E-2\n"
                "g = 6.626e-34\nh = 224_617.445_991_228\ni = inf\nj = +inf\nk = -inf\n"
                "l = nan\nm = +nan\nn = -nan\no = 0.1\np = -0.0\nq = 0e0\nr = 1e1_0\n"
                "s = 1.7976931348623157e308\nt = 5e-324\nu = 1e400\nv = 0.000000000000000000001\n"
                "w = 123456789012345678901234567890.5\nint = 7\n");
    CHECK(float_at(root, "a") == 1.0);
    CHECK(float_at(root, "b") == 3.1415);
    CHECK(float_at(root, "c") == -0.01);
    CHECK(float_at(root, "d") == 5e22);
    CHECK(float_at(root, "e") == 1e6);
    CHECK(float_at(root, "f") == -2e-2);
    CHECK(float_at(root, "g") == 6.626e-34);
    CHECK(float_at(root, "h") == 224617.445991228);
    CHECK(isinf(float_at(root, "i")) && float_at(root, "i") > 0);
    CHECK(isinf(float_at(root, "j")) && float_at(root, "j") > 0);
    CHECK(isinf(float_at(root, "k")) && float_at(root, "k") < 0);
    CHECK(isnan(float_at(root, "l")));
    CHECK(isnan(float_at(root, "m")));
    CHECK(isnan(float_at(root, "n")));
    CHECK(float_at(root, "o") == 0.1);
    CHECK(float_at(root, "p") == 0.0 && signbit(float_at(root, "p")));
    CHECK(float_at(root, "q") == 0.0);
    CHECK(float_at(root, "r") == 1e10);
    CHECK(float_at(root, "s") == 1.7976931348623157e308);
    CHECK(float_at(root, "t") == 5e-324);
    CHECK(isinf(float_at(root, "u"))); /* out-of-range floats become infinity */
    CHECK(float_at(root, "v") == 1e-21);
    CHECK(float_at(root, "w") == 123456789012345678901234567890.5);
    CHECK_INT(ward_toml_type_of(at(root, "b")), TOML_FLOAT);
    /* ints convert to float, floats never to int */
    CHECK(ward_toml_float(at(root, "int"), &d) == 0 && d == 7.0);
    CHECK(ward_toml_int(at(root, "b"), NULL) == -1);
    ward_toml_free(root);
}

static void test_booleans(void)
{
    int b = -1;
    PARSE(root, "t = true\nf = false\narr = [true,false]\n");
    CHECK_INT(bool_at(root, "t"), 1);
    CHECK_INT(bool_at(root, "f"), 0);
    CHECK_INT(bool_at(root, "arr/0"), 1);
    CHECK_INT(bool_at(root, "arr/1"), 0);
    CHECK_INT(ward_toml_type_of(at(root, "t")), TOML_BOOL);
    CHECK(ward_toml_bool(at(root, "arr"), &b) == -1 && b == -1);
    ward_toml_free(root);
}

static void test_datetimes(void)
{
    size_t n = 0;
    PARSE(root, "odt1 = 1979-05-27T07:32:00Z\n"
                "odt2 = 1979-05-27T00:32:00-07:00\n"
                "odt3 = 1979-05-27T00:32:00.999999+07:30\n"
                "odt4 = 1979-05-27 07:32:00Z\n"
                "odt5 = 1979-05-27t07:32:00z\n"
                "ldt1 = 1979-05-27T07:32:00\n"
                "ldt2 = 1979-05-27T00:32:00.999999\n"
                "ld1 = 1979-05-27\n"
                "ld2 = 2000-02-29 # leap day, then a comment\n"
                "lt1 = 07:32:00\n"
                "lt2 = 00:32:00.999999\n"
                "leap = 1990-12-31T23:59:60Z\n"
                "arr = [1979-05-27, 07:32:00, 1979-05-27 07:32:00]\n");
    CHECK_STR(str_at(root, "odt1"), "1979-05-27T07:32:00Z");
    CHECK_STR(str_at(root, "odt2"), "1979-05-27T00:32:00-07:00");
    CHECK_STR(str_at(root, "odt3"), "1979-05-27T00:32:00.999999+07:30");
    CHECK_STR(str_at(root, "odt4"), "1979-05-27 07:32:00Z");
    CHECK_STR(str_at(root, "odt5"), "1979-05-27t07:32:00z");
    CHECK_STR(str_at(root, "ldt1"), "1979-05-27T07:32:00");
    CHECK_STR(str_at(root, "ldt2"), "1979-05-27T00:32:00.999999");
    CHECK_STR(ward_toml_str(at(root, "ld1"), &n), "1979-05-27");
    CHECK_INT(n, 10);
    CHECK_STR(str_at(root, "ld2"), "2000-02-29");
    CHECK_STR(str_at(root, "lt1"), "07:32:00");
    CHECK_STR(str_at(root, "lt2"), "00:32:00.999999");
    CHECK_STR(str_at(root, "leap"), "1990-12-31T23:59:60Z");
    CHECK_STR(str_at(root, "arr/0"), "1979-05-27");
    CHECK_STR(str_at(root, "arr/1"), "07:32:00");
    CHECK_STR(str_at(root, "arr/2"), "1979-05-27 07:32:00");
    for (size_t i = 0; i < ward_toml_len(root); i++)
        if (ward_toml_type_of(ward_toml_value_at(root, i)) != TOML_ARRAY)
            CHECK_INT(ward_toml_type_of(ward_toml_value_at(root, i)), TOML_DATETIME);
    CHECK(ward_toml_int(at(root, "ld1"), NULL) == -1);
    CHECK(ward_toml_float(at(root, "ld1"), NULL) == -1);
    ward_toml_free(root);
}

static void test_arrays(void)
{
    PARSE(root, "integers = [ 1, 2, 3 ]\n"
                "colors = [ \"red\", \"yellow\", \"green\" ]\n"
                "nested_arrays_of_ints = [ [ 1, 2 ], [3, 4, 5] ]\n"
                "nested_mixed_array = [ [ 1, 2 ], [\"a\", \"b\", \"c\"] ]\n"
                "string_array = [ \"all\", 'strings', \"\"\"are the same\"\"\", '''type''' ]\n"
                "numbers = [ 0.1, 0.2, 0.5, 1, 2, 5 ]\n"
                "contributors = [\n  \"Foo Bar <foo@example.com>\",\n"
                "  { name = \"Baz Qux\", email = \"bazqux@example.com\", url = \"https://example.com/bazqux\" }\n]\n"
                "integers2 = [\n  1, 2, 3\n]\n"
                "integers3 = [\n  1,\n  2, # this is ok\n]\n"
                "empty = []\n"
                "empty2 = [ # comment\n\n]\n"
                "tricky = [ \"],[\", ',' ]\n"
                "nospace=[1,[2,[3]]]\n");
    const toml_value *a = at(root, "integers");
    CHECK_INT(ward_toml_type_of(a), TOML_ARRAY);
    CHECK_INT(ward_toml_len(a), 3);
    CHECK_INT(int_at(root, "integers/2"), 3);
    CHECK_STR(str_at(root, "colors/1"), "yellow");
    CHECK_INT(ward_toml_len(at(root, "nested_arrays_of_ints/1")), 3);
    CHECK_INT(int_at(root, "nested_arrays_of_ints/1/2"), 5);
    CHECK_STR(str_at(root, "nested_mixed_array/1/0"), "a");
    CHECK_STR(str_at(root, "string_array/2"), "are the same");
    CHECK_STR(str_at(root, "string_array/3"), "type");
    CHECK_INT(ward_toml_type_of(at(root, "numbers/0")), TOML_FLOAT);
    CHECK_INT(ward_toml_type_of(at(root, "numbers/3")), TOML_INT);
    CHECK_STR(str_at(root, "contributors/0"), "Foo Bar <foo@example.com>");
    CHECK_STR(str_at(root, "contributors/1/email"), "bazqux@example.com");
    CHECK_INT(ward_toml_len(at(root, "integers2")), 3);
    CHECK_INT(ward_toml_len(at(root, "integers3")), 2);
    CHECK_INT(ward_toml_len(at(root, "empty")), 0);
    CHECK_INT(ward_toml_len(at(root, "empty2")), 0);
    CHECK_STR(str_at(root, "tricky/0"), "],[");
    CHECK_STR(str_at(root, "tricky/1"), ",");
    CHECK_INT(int_at(root, "nospace/1/1/0"), 3);
    CHECK(ward_toml_value_at(a, 3) == NULL);
    CHECK(ward_toml_key_at(a, 0) == NULL);
    CHECK(ward_toml_get(a, "0") == NULL);
    ward_toml_free(root);
}

static void test_inline_tables(void)
{
    PARSE(root, "name = { first = \"Tom\", last = \"Preston-Werner\" }\n"
                "point = {x=1,y=2}\n"
                "animal = { type.name = \"pug\", type.size = 'small' }\n"
                "empty = {}\n"
                "empty2 = {   }\n"
                "nested = { a = { b = { c = [1, { d = true }] } } }\n"
                "multi = { s = \"\"\"line1\nline2\"\"\", arr = [\n 1,\n 2 ] }\n");
    CHECK_INT(ward_toml_type_of(at(root, "name")), TOML_TABLE);
    CHECK_STR(ward_toml_key_at(at(root, "name"), 0), "first");
    CHECK_STR(str_at(root, "name/last"), "Preston-Werner");
    CHECK_INT(int_at(root, "point/y"), 2);
    CHECK_STR(str_at(root, "animal/type/name"), "pug");
    CHECK_STR(str_at(root, "animal/type/size"), "small");
    CHECK_INT(ward_toml_len(at(root, "animal")), 1);
    CHECK_INT(ward_toml_len(at(root, "empty")), 0);
    CHECK_INT(ward_toml_type_of(at(root, "empty2")), TOML_TABLE);
    CHECK_INT(bool_at(root, "nested/a/b/c/1/d"), 1);
    CHECK_STR(str_at(root, "multi/s"), "line1\nline2");
    CHECK_INT(int_at(root, "multi/arr/1"), 2);
    CHECK_INT(ward_toml_line(at(root, "multi/arr/1")), 10);
    ward_toml_free(root);
}

static void test_keys(void)
{
    PARSE(root, "key = 1\nbare_key = 2\nbare-key = 3\n1234 = 4\n"
                "\"127.0.0.1\" = 5\n\"character encoding\" = 6\n\"\xca\x8e\xc7\x9d\xca\x9e\" = 7\n"
                "'key2' = 8\n'quoted \"value\"' = 9\n\"\" = 10\n"
                "\"tab\\tkey\" = 11\n"
                "  indented   =   12  \n"
                "true = 13\ninf = 14\n"
                "3.14159 = \"pi\"\n");
    CHECK_INT(int_at(root, "key"), 1);
    CHECK_INT(int_at(root, "bare_key"), 2);
    CHECK_INT(int_at(root, "bare-key"), 3);
    CHECK_INT(int_at(root, "1234"), 4);
    CHECK_INT(int_at(root, "127.0.0.1"), 5);
    CHECK_INT(int_at(root, "character encoding"), 6);
    CHECK_INT(int_at(root, "\xca\x8e\xc7\x9d\xca\x9e"), 7);
    CHECK_INT(int_at(root, "key2"), 8);
    CHECK_INT(int_at(root, "quoted \"value\""), 9);
    CHECK_INT(ward_toml_int(ward_toml_get(root, ""), NULL), 0);
    CHECK_INT(int_at(root, "tab\tkey"), 11);
    CHECK_INT(int_at(root, "indented"), 12);
    CHECK_INT(int_at(root, "true"), 13);
    CHECK_INT(int_at(root, "inf"), 14);
    CHECK_STR(str_at(root, "3/14159"), "pi");
    CHECK(ward_toml_get(root, "missing") == NULL);
    CHECK(ward_toml_get(root, "Key") == NULL);
    ward_toml_free(root);
}

static void test_dotted_keys(void)
{
    PARSE(root, "name = \"Orange\"\n"
                "physical.color = \"orange\"\n"
                "physical.shape = \"round\"\n"
                "site.\"google.com\" = true\n"
                "fruit . flavor\t.  sweet = 1\n"
                "fruit.'x.y' = 2\n"
                "a.b.c.d = 3\n"
                "a.b.e = 4\n"
                "[t]\n"
                "apple.color = \"red\"\n"
                "apple.taste.sweet = true\n"
                "[t.apple.texture]\n"
                "smooth = true\n");
    CHECK_STR(str_at(root, "physical/color"), "orange");
    CHECK_STR(str_at(root, "physical/shape"), "round");
    CHECK_INT(ward_toml_len(at(root, "physical")), 2);
    CHECK_INT(bool_at(root, "site/google.com"), 1);
    CHECK_INT(int_at(root, "fruit/flavor/sweet"), 1);
    CHECK_INT(int_at(root, "fruit/x.y"), 2);
    CHECK_INT(int_at(root, "a/b/c/d"), 3);
    CHECK_INT(int_at(root, "a/b/e"), 4);
    CHECK_STR(str_at(root, "t/apple/color"), "red");
    CHECK_INT(bool_at(root, "t/apple/taste/sweet"), 1);
    CHECK_INT(bool_at(root, "t/apple/texture/smooth"), 1);
    CHECK_INT(ward_toml_len(at(root, "t/apple")), 3);
    ward_toml_free(root);
}

static void test_tables(void)
{
    PARSE(root, "[table-1]\nkey1 = \"some string\"\nkey2 = 123\n\n"
                "[table-2]\nkey1 = \"another string\"\nkey2 = 456\n\n"
                "[dog.\"tater.man\"]\ntype.name = \"pug\"\n\n"
                "[a.b.c]            # this is best practice\n"
                "[ d.e.f ]          # same as [d.e.f]\n"
                "[ g .  h  . i ]    # same as [g.h.i]\n"
                "[ j . \"\xca\x9e\" . 'l' ]  # same as [j.\"\xca\x9e\".'l']\n"
                "[x.y.z.w]\n"
                "[x] # defining a super-table afterward is ok\n"
                "k = 1\n"
                "[empty]\n"
                "[\"quoted table\"]\n"
                "v = 2\n");
    CHECK_STR(str_at(root, "table-1/key1"), "some string");
    CHECK_INT(int_at(root, "table-2/key2"), 456);
    CHECK_STR(str_at(root, "dog/tater.man/type/name"), "pug");
    CHECK_INT(ward_toml_type_of(at(root, "a/b/c")), TOML_TABLE);
    CHECK_INT(ward_toml_type_of(at(root, "d/e/f")), TOML_TABLE);
    CHECK_INT(ward_toml_type_of(at(root, "g/h/i")), TOML_TABLE);
    CHECK_INT(ward_toml_type_of(at(root, "j/\xca\x9e/l")), TOML_TABLE);
    CHECK_INT(ward_toml_type_of(at(root, "x/y/z/w")), TOML_TABLE);
    CHECK_INT(int_at(root, "x/k"), 1);
    CHECK_STR(ward_toml_key_at(at(root, "x"), 0), "y");
    CHECK_STR(ward_toml_key_at(at(root, "x"), 1), "k");
    CHECK_INT(ward_toml_line(at(root, "x")), 17); /* the line that defined it */
    CHECK_INT(ward_toml_len(at(root, "empty")), 0);
    CHECK_INT(int_at(root, "quoted table/v"), 2);
    ward_toml_free(root);
}

static void test_arrays_of_tables(void)
{
    PARSE(root, "[[products]]\nname = \"Hammer\"\nsku = 738594937\n\n"
                "[[products]]  # empty table within the array\n\n"
                "[[products]]\nname = \"Nail\"\nsku = 284758393\ncolor = \"gray\"\n"
                "[[fruits]]\nname = \"apple\"\n\n"
                "[fruits.physical]  # subtable\ncolor = \"red\"\nshape = \"round\"\n\n"
                "[[fruits.varieties]]  # nested array of tables\nname = \"red delicious\"\n\n"
                "[[fruits.varieties]]\nname = \"granny smith\"\n\n"
                "[[fruits]]\nname = \"banana\"\n\n"
                "[fruits.physical]\ncolor = \"yellow\"\n\n"
                "[[fruits.varieties]]\nname = \"plantain\"\n"
                "[[ spaced . aot ]]\nx = 1\n"
                "points = [ { x = 1, y = 2, z = 3 },\n           { x = 7, y = 8, z = 9 } ]\n");
    const toml_value *p = at(root, "products");
    CHECK_INT(ward_toml_type_of(p), TOML_ARRAY);
    CHECK_INT(ward_toml_len(p), 3);
    CHECK_STR(str_at(root, "products/0/name"), "Hammer");
    CHECK_INT(ward_toml_len(at(root, "products/1")), 0);
    CHECK_STR(str_at(root, "products/2/color"), "gray");
    CHECK_INT(ward_toml_len(at(root, "fruits")), 2);
    CHECK_STR(str_at(root, "fruits/0/physical/color"), "red");
    CHECK_INT(ward_toml_len(at(root, "fruits/0/varieties")), 2);
    CHECK_STR(str_at(root, "fruits/0/varieties/1/name"), "granny smith");
    CHECK_STR(str_at(root, "fruits/1/name"), "banana");
    CHECK_STR(str_at(root, "fruits/1/physical/color"), "yellow");
    CHECK_INT(ward_toml_len(at(root, "fruits/1/varieties")), 1);
    CHECK_STR(str_at(root, "fruits/1/varieties/0/name"), "plantain");
    CHECK_INT(int_at(root, "spaced/aot/0/x"), 1);
    /* pairs after [[spaced.aot]] belong to its element */
    CHECK_INT(int_at(root, "spaced/aot/0/points/1/y"), 8);
    CHECK_INT(ward_toml_line(at(root, "products/2")), 7);
    CHECK_INT(ward_toml_line(at(root, "products")), 1);
    ward_toml_free(root);
}

static void test_insertion_order(void)
{
    PARSE(root, "zebra = 1\napple = 2\nmango = 3\n[table]\nb = 1\na = 2\nc.z = 3\nc.a = 4\n");
    const char *want[] = {"zebra", "apple", "mango", "table"};
    CHECK_INT(ward_toml_len(root), 4);
    for (size_t i = 0; i < 4; i++)
        CHECK_STR(ward_toml_key_at(root, i), want[i]);
    CHECK(ward_toml_key_at(root, 4) == NULL);
    CHECK(ward_toml_value_at(root, 4) == NULL);
    CHECK_STR(ward_toml_key_at(at(root, "table"), 0), "b");
    CHECK_STR(ward_toml_key_at(at(root, "table"), 2), "c");
    CHECK_STR(ward_toml_key_at(at(root, "table/c"), 0), "z");
    CHECK_STR(ward_toml_key_at(at(root, "table/c"), 1), "a");
    CHECK(ward_toml_value_at(root, 1) == ward_toml_get(root, "apple"));
    ward_toml_free(root);
}

/* Big enough that lookups go through the hash index, in a scrambled order. */
static void test_large_table(void)
{
    enum { N = 5000 };
    char *doc = malloc((size_t)N * 32), *o = doc, key[32];
    int bad_order = 0, bad_lookup = 0;
    for (int i = 0; i < N; i++)
        o += sprintf(o, "k%d = %d\n", (i * 7919) % N, i);
    PARSE(root, doc);
    CHECK_INT(ward_toml_len(root), N);
    for (int i = 0; i < N; i++) {
        sprintf(key, "k%d", (i * 7919) % N);
        if (!ward_toml_key_at(root, (size_t)i) || strcmp(ward_toml_key_at(root, (size_t)i), key) != 0)
            bad_order++;
        if (int_at(root, key) != i)
            bad_lookup++;
    }
    CHECK_INT(bad_order, 0);
    CHECK_INT(bad_lookup, 0);
    CHECK(ward_toml_get(root, "k5000") == NULL);
    CHECK(ward_toml_get(root, "k") == NULL);
    ward_toml_free(root);
    /* duplicates are still found once the index is in use */
    o += sprintf(o, "k17 = 1\n");
    EXPECT_ERR(doc, "line 5001: duplicate key 'k17'");
    free(doc);
}

static void test_line_numbers(void)
{
    PARSE(root, "# comment\n"
                "a = 1\n"
                "s = '''\n"
                "x\n"
                "y'''\n"
                "b = 2\n"
                "\r\n"
                "arr = [\n"
                "  1,\n"
                "  [2],\n"
                "]\n"
                "[t]\n"
                "c.d = \"\"\"\\\n"
                "\n"
                "  \"\"\"\n"
                "e = 3\n");
    CHECK_INT(ward_toml_line(root), 1);
    CHECK_INT(ward_toml_line(at(root, "a")), 2);
    CHECK_INT(ward_toml_line(at(root, "s")), 3);
    CHECK_INT(ward_toml_line(at(root, "b")), 6);
    CHECK_INT(ward_toml_line(at(root, "arr")), 8);
    CHECK_INT(ward_toml_line(at(root, "arr/0")), 9);
    CHECK_INT(ward_toml_line(at(root, "arr/1")), 10);
    CHECK_INT(ward_toml_line(at(root, "t")), 12);
    CHECK_INT(ward_toml_line(at(root, "t/c")), 13);
    CHECK_INT(ward_toml_line(at(root, "t/e")), 16);
    CHECK_INT(ward_toml_line(NULL), 0);
    ward_toml_free(root);
}

/* ---- errors ---------------------------------------------------------- */

static void test_errors_keys(void)
{
    EXPECT_ERR("a = 1\na = 2\n", "line 2: duplicate key 'a'");
    EXPECT_ERR("a = 1\n\"a\" = 2\n", "line 2: duplicate key 'a'");
    EXPECT_ERR("'a' = 1\n\"\\u0061\" = 2\n", "line 2: duplicate key 'a'");
    EXPECT_ERR("x.y = 1\nx.y = 2\n", "line 2: duplicate key 'y'");
    EXPECT_ERR("[t]\nk = 1\n\n\nk = 2", "line 5: duplicate key 'k'");
    EXPECT_ERR("p = {a = 1, a = 2}", "line 1: duplicate key 'a'");
    EXPECT_ERR("key = # missing\n", "line 1: expected a value");
    EXPECT_ERR("key\n", "line 1: expected '=' after key");
    EXPECT_ERR("key value\n", "line 1: expected '=' after key");
    EXPECT_ERR("= 1\n", "line 1: expected a key");
    EXPECT_ERR("a.\n", "line 1: expected a key");
    EXPECT_ERR("a..b = 1\n", "line 1: expected a key");
    EXPECT_ERR("k\xc3\xa9y = 1\n", "line 1: expected '=' after key");
    EXPECT_ERR("\"\"\"k\"\"\" = 1\n", "line 1: expected '=' after key");
    EXPECT_ERR("a = 1 b = 2\n", "line 1: expected newline after value");
    EXPECT_ERR("a = 1\nb = \"x\" c\n", "line 2: expected newline after value");
    EXPECT_ERR("a = \"x\"\"y\"\n", "line 1: expected newline after value");
    EXPECT_ERR("a = \n1\n", "line 1: expected a value");
    EXPECT_ERR("a = yes\n", "line 1: expected a value");
    EXPECT_ERR("a = truee\n", "line 1: expected a value");
    EXPECT_ERR("a = True\n", "line 1: expected a value");
    /* a long key is shortened in the message */
    EXPECT_ERR("abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH = 1\n"
               "abcdefghijklmnopqrstuvwxyz0123456789ABCDEFGH = 2\n",
               "line 2: duplicate key 'abcdefghijklmnopqrstuvwxyz0123456789...'");
    EXPECT_ERR("\"a\\nb\" = 1\n\"a\\nb\" = 2\n", "line 2: duplicate key 'a?b'");
}

static void test_errors_tables(void)
{
    EXPECT_ERR("[fruit]\napple = \"red\"\n\n[fruit]\norange = \"orange\"\n",
               "line 4: table 'fruit' already defined");
    EXPECT_ERR("[fruit]\napple = \"red\"\n\n[fruit.apple]\ntexture = \"smooth\"\n",
               "line 4: key 'apple' already defined");
    EXPECT_ERR("[a]\n[a.b]\n[a]\n", "line 3: table 'a' already defined");
    EXPECT_ERR("[x.y]\n[x]\n[x]\n", "line 3: table 'x' already defined");
    /* tables made by dotted keys cannot be reopened with headers */
    EXPECT_ERR("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple]\n",
               "line 4: table 'apple' already defined");
    EXPECT_ERR("[fruit]\napple.color = \"red\"\napple.taste.sweet = true\n[fruit.apple.taste]\n",
               "line 4: table 'taste' already defined");
    EXPECT_ERR("a.b = 1\n[a]\n", "line 2: table 'a' already defined");
    /* and header tables cannot be extended with dotted keys */
    EXPECT_ERR("[a.b.c]\nz = 9\n[a]\nb.c.t = \"no\"\n",
               "line 4: cannot use dotted keys to extend table 'b'");
    EXPECT_ERR("[a.b.c.d]\nz = 9\n[a]\nb.c.d.k.t = 1\n",
               "line 4: cannot use dotted keys to extend table 'b'");
    EXPECT_ERR("[a.b]\nx = 1\n[a]\nb.y = 2\n", "line 4: cannot use dotted keys to extend table 'b'");
    EXPECT_ERR("[a.b.c]\n[a]\nb.d = 1\n", "line 3: cannot use dotted keys to extend table 'b'");
    EXPECT_ERR("[[a.b]]\n[a]\nb.y = 2\n", "line 3: key 'b' is not a table");
    EXPECT_ERR("[t]\nx.y = 1\n[t.x.z]\n[t.x]\n", "line 4: table 'x' already defined");
    /* inline tables are sealed */
    EXPECT_ERR("[product]\ntype = { name = \"Nail\" }\ntype.edible = false\n",
               "line 3: cannot extend inline table 'type'");
    EXPECT_ERR("[product]\ntype.name = \"Nail\"\ntype = { edible = false }\n",
               "line 3: duplicate key 'type'");
    EXPECT_ERR("a = {}\n[a]\n", "line 2: table 'a' already defined");
    EXPECT_ERR("a = {b = {}}\n[a.b]\n", "line 2: cannot extend inline table 'a'");
    EXPECT_ERR("a = {b = 1}\n[a.c]\n", "line 2: cannot extend inline table 'a'");
    EXPECT_ERR("a = {b = {c = 1}}\n[[a.b.d]]\n", "line 2: cannot extend inline table 'a'");
    EXPECT_ERR("a = {x.y = 1, x = 2}", "line 1: duplicate key 'x'");
    EXPECT_ERR("a = {x = {}, x.y = 2}", "line 1: cannot extend inline table 'x'");
    /* static arrays and [[ ]] */
    EXPECT_ERR("fruits = []\n[[fruits]]\n", "line 2: cannot append to static array 'fruits'");
    EXPECT_ERR("fruits = [{}]\n[fruits.x]\n", "line 2: cannot extend static array 'fruits'");
    EXPECT_ERR("[[fruits]]\n[fruits]\n", "line 2: key 'fruits' already defined");
    EXPECT_ERR("[fruits]\n[[fruits]]\n", "line 2: key 'fruits' is not an array of tables");
    EXPECT_ERR("[a.b]\n[[a]]\n", "line 2: key 'a' is not an array of tables");
    EXPECT_ERR("[[a]]\nb = 1\n[[a.b]]\n", "line 3: key 'b' is not an array of tables");
    EXPECT_ERR("[[fruits]]\nname = \"apple\"\n[[fruits.varieties]]\nname = \"red\"\n"
               "[fruits.varieties]\nname = \"granny\"\n",
               "line 5: key 'varieties' already defined");
    EXPECT_ERR("[[a]]\nx = 1\n[[a]]\nx = 2\nx = 3\n", "line 5: duplicate key 'x'");
    /* scalars in the way */
    EXPECT_ERR("a = 1\n[a.b]\n", "line 2: key 'a' is not a table");
    EXPECT_ERR("a = 1\na.b = 2\n", "line 2: key 'a' is not a table");
    EXPECT_ERR("a = [1]\na.b = 2\n", "line 2: key 'a' is not a table");
    EXPECT_ERR("fruit.apple = 1\nfruit.apple.smooth = true\n", "line 2: key 'apple' is not a table");
    /* header syntax */
    EXPECT_ERR("[]\n", "line 1: expected a key");
    EXPECT_ERR("[a\n", "line 1: expected ']' after table name");
    EXPECT_ERR("[a]]\n", "line 1: expected newline after table header");
    EXPECT_ERR("[[a]\n", "line 1: expected ']]' after table name");
    EXPECT_ERR("[[a] ]\n", "line 1: expected ']]' after table name");
    EXPECT_ERR("[ [a]]\n", "line 1: expected a key");
    EXPECT_ERR("[a] b = 1\n", "line 1: expected newline after table header");
    EXPECT_ERR("[a.]\n", "line 1: expected a key");
    EXPECT_ERR("\n\n[\"\"\"x\"\"\"]\n", "line 3: expected ']' after table name");
}

static void test_errors_strings(void)
{
    EXPECT_ERR("a = \"abc\n", "line 1: unterminated string");
    EXPECT_ERR("a = \"abc", "line 1: unterminated string");
    EXPECT_ERR("a = 'abc\nb = 1'\n", "line 1: unterminated string");
    EXPECT_ERR("a = \"abc\\\"", "line 1: unterminated string");
    EXPECT_ERR("a = \"abc\\\nx\"", "line 1: unterminated string");
    EXPECT_ERR("x = 1\na = \"\"\"abc\n\n\n", "line 2: unterminated string");
    EXPECT_ERR("x = 1\na = '''abc\n''\n", "line 2: unterminated string");
    EXPECT_ERR("a = \"\"\"abc\\", "line 1: unterminated string");
    EXPECT_ERR("a = \"\"\"abc\"\"", "line 1: unterminated string");
    EXPECT_ERR("\"key = 1\n", "line 1: unterminated string");
    /* control characters */
    EXPECT_ERR("a = \"x\x01y\"\n", "line 1: control character in string");
    EXPECT_ERR("a = 'x\x1fy'\n", "line 1: control character in string");
    EXPECT_ERR("a = \"x\x7fy\"\n", "line 1: control character in string");
    {
        char err[256];
        static const char nul_doc[] = "a = \"\"\"\nok\nx\0y\"\"\"\n";
        CHECK(parse_n(nul_doc, sizeof nul_doc - 1, err, sizeof err) == NULL);
        CHECK_STR(err, "line 3: control character in string");
        CHECK(parse_n("# \0\n", 4, err, sizeof err) == NULL);
        CHECK_STR(err, "line 1: control character in comment");
        CHECK(parse_n("a = 1\0", 6, err, sizeof err) == NULL);
        CHECK_STR(err, "line 1: expected newline after value");
    }
    EXPECT_ERR("a = \"\"\"\nok\nx\x08y\"\"\"\n", "line 3: control character in string");
    EXPECT_ERR("a = '''\n\nx\ry'''\n", "line 3: control character in string");
    EXPECT_ERR("\"k\x02\" = 1\n", "line 1: control character in string");
    /* escapes */
    EXPECT_ERR("a = \"\\x41\"\n", "line 1: invalid escape sequence");
    EXPECT_ERR("a = \"\\e\"\n", "line 1: invalid escape sequence");
    EXPECT_ERR("a = \"\\ \"\n", "line 1: invalid escape sequence");
    EXPECT_ERR("a = \"\"\"\n\n\\ x\"\"\"\n", "line 3: invalid escape sequence");
    EXPECT_ERR("a = \"\"\"\\\r\"\"\"\n", "line 1: invalid escape sequence");
    EXPECT_ERR("a = \"\\u12\"\n", "line 1: invalid unicode escape");
    EXPECT_ERR("a = \"\\u12G4\"\n", "line 1: invalid unicode escape");
    EXPECT_ERR("a = \"\\uD800\"\n", "line 1: invalid unicode escape");
    EXPECT_ERR("a = \"\\uDFFF\"\n", "line 1: invalid unicode escape");
    EXPECT_ERR("a = \"\\U00110000\"\n", "line 1: invalid unicode escape");
    EXPECT_ERR("a = \"\\UFFFFFFFF\"\n", "line 1: invalid unicode escape");
    EXPECT_ERR("a = \"\\U0001F60\"\n", "line 1: invalid unicode escape");
    /* too many quotes before a closing delimiter */
    EXPECT_ERR("a = \"\"\"x\"\"\"\"\"\"\n", "line 1: too many quotes at end of string");
    EXPECT_ERR("a = '''\nx''''''\n", "line 2: too many quotes at end of string");
    EXPECT_ERR("a = '''x'''''''\n", "line 1: too many quotes at end of string");
}

static void test_errors_numbers(void)
{
    EXPECT_ERR("a = 01\n", "line 1: leading zeros are not allowed");
    EXPECT_ERR("a = 00\n", "line 1: leading zeros are not allowed");
    EXPECT_ERR("a = -01\n", "line 1: leading zeros are not allowed");
    EXPECT_ERR("a = +0_1\n", "line 1: leading zeros are not allowed");
    EXPECT_ERR("a = 01.5\n", "line 1: leading zeros are not allowed");
    EXPECT_ERR("\n\na = 007e1\n", "line 3: leading zeros are not allowed");
    EXPECT_ERR("a = 9223372036854775808\n", "line 1: integer out of range");
    EXPECT_ERR("a = -9223372036854775809\n", "line 1: integer out of range");
    EXPECT_ERR("a = 99999999999999999999999\n", "line 1: integer out of range");
    EXPECT_ERR("a = 0x8000000000000000\n", "line 1: integer out of range");
    EXPECT_ERR("a = 0xffffffffffffffffff\n", "line 1: integer out of range");
    EXPECT_ERR("a = 0o1000000000000000000000\n", "line 1: integer out of range");
    EXPECT_ERR("a = [1,\n2,\n0b1111111111111111111111111111111111111111111111111111111111111111]\n",
               "line 3: integer out of range");
    const char *invalid[] = {
        "1__0", "1_", "1_.5", "1._5", "1.", "1.e5", "1e", "1e+", "1e_1", "0X1F", "+0x1F", "-0b1",
        "0x", "0x_1", "0x1__2", "0b102", "0o8", "0xG", "1.2.3", "1e2e3", "1.5x", "+-1", "-",
        "+", "1e2.5", "++1", "1__2.0", "-infinity", "-nanx", "0b", "12a",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        char doc[64];
        snprintf(doc, sizeof doc, "a = %s\n", invalid[i]);
        EXPECT_ERR(doc, "line 1: invalid number");
    }
    EXPECT_ERR("a = .5\n", "line 1: expected a value");
    EXPECT_ERR("a = _1\n", "line 1: expected a value");
    EXPECT_ERR("a = Inf\n", "line 1: expected a value");
    EXPECT_ERR("a = infinity\n", "line 1: expected a value");
    EXPECT_ERR("a = NaN\n", "line 1: expected a value");
}

static void test_errors_datetimes(void)
{
    const char *invalid[] = {
        "1979-13-01", "1979-00-10", "1979-02-30", "1900-02-29", "1979-04-31", "1979-05-00",
        "1979-05-27T24:00:00", "1979-05-27T07:60:00", "1979-05-27T07:32:61", "1979-05-27T07:32",
        "1979-05-27T07:32:00+24:00", "1979-05-27T07:32:00+01:60", "1979-05-27T07:32:00+0100",
        "1979-05-27T07:32:00.", "1979-05-27T07:32:00.Z", "1979-05-27T", "1979-5-27", "1979-05-7",
        "07:32", "07:32:00Z", "07:32:00+01:00", "07:32:00.",
        "1979-05-27X07:32:00", "1979-05-27T07:32:00ZZ", "1979-05-27 07:3", "1979-05-27_",
        "12:30:00-01:00",
    };
    for (size_t i = 0; i < sizeof invalid / sizeof *invalid; i++) {
        char doc[64];
        snprintf(doc, sizeof doc, "\nd = %s\n", invalid[i]);
        EXPECT_ERR(doc, "line 2: invalid date-time");
    }
    /* not shaped like a date or time at all */
    EXPECT_ERR("d = 19790-05-27\n", "line 1: invalid number");
    EXPECT_ERR("d = 7:32:00\n", "line 1: expected newline after value");
    /* a date then a space and something that is not a time */
    EXPECT_ERR("d = 1979-05-27 x\n", "line 1: expected newline after value");
    EXPECT_ERR("d = 1979-05-27 07\n", "line 1: expected newline after value");
}

static void test_errors_arrays_and_inline(void)
{
    EXPECT_ERR("a = [1 2]\n", "line 1: expected ',' or ']' in array");
    EXPECT_ERR("a = [1,,2]\n", "line 1: expected a value");
    EXPECT_ERR("a = [,]\n", "line 1: expected a value");
    EXPECT_ERR("a = [\n1,\n2\n", "line 1: unterminated array");
    EXPECT_ERR("a = [", "line 1: unterminated array");
    EXPECT_ERR("a = [1,\n# c\n", "line 1: unterminated array");
    EXPECT_ERR("a = [\n  1, # ok\n  2 # ok\n  3\n]", "line 4: expected ',' or ']' in array");
    EXPECT_ERR("a = [1]]\n", "line 1: expected newline after value");
    EXPECT_ERR("a = {b = 1,}\n", "line 1: trailing comma in inline table");
    EXPECT_ERR("a = {b = 1\n}\n", "line 1: newline in inline table");
    EXPECT_ERR("a = {\nb = 1}\n", "line 1: newline in inline table");
    EXPECT_ERR("a = {b = 1,\nc = 2}\n", "line 1: newline in inline table");
    EXPECT_ERR("a = {b = 1 c = 2}\n", "line 1: expected ',' or '}' in inline table");
    EXPECT_ERR("a = {b = 1", "line 1: unterminated inline table");
    EXPECT_ERR("a = {", "line 1: unterminated inline table");
    EXPECT_ERR("a = {b = 1, ", "line 1: unterminated inline table");
    EXPECT_ERR("a = {,}\n", "line 1: expected a key");
    EXPECT_ERR("a = {b}\n", "line 1: expected '=' after key");
    EXPECT_ERR("a = {b = 1 # c\n}\n", "line 1: expected ',' or '}' in inline table");
    EXPECT_ERR("a = {b = [\n1,\n2x]}\n", "line 3: invalid number");
}

static void test_errors_encoding(void)
{
    EXPECT_ERR("a = 1\n# bad \x80 byte\n", "line 2: invalid utf-8");
    EXPECT_ERR("a = \"\xc3\x28\"\n", "line 1: invalid utf-8");
    EXPECT_ERR("a = 1\nb = 2\n\nc = '\xc0\x80'\n", "line 4: invalid utf-8");      /* overlong NUL */
    EXPECT_ERR("c = '\xe0\x80\xaf'\n", "line 1: invalid utf-8");                  /* overlong '/' */
    EXPECT_ERR("c = '\xed\xa0\x80'\n", "line 1: invalid utf-8");                  /* surrogate */
    EXPECT_ERR("c = '\xf4\x90\x80\x80'\n", "line 1: invalid utf-8");              /* > U+10FFFF */
    EXPECT_ERR("c = '\xf5\x80\x80\x80'\n", "line 1: invalid utf-8");
    EXPECT_ERR("c = '\xff'\n", "line 1: invalid utf-8");
    EXPECT_ERR("c = 'ok'\n# \xe2\x82", "line 2: invalid utf-8");                  /* truncated */
    EXPECT_ERR("\"k\xe9y\" = 1\n", "line 1: invalid utf-8");                      /* latin-1 */
    /* errors in the text before the bad byte are not reported first: the
     * encoding is checked as a whole */
    EXPECT_ERR("a = = \n\xff", "line 2: invalid utf-8");
    EXPECT_ERR("# comment \x01 with control\n", "line 1: control character in comment");
    EXPECT_ERR("a = 1\n# del \x7f\n", "line 2: control character in comment");
    EXPECT_ERR("a = 1 # \x1b[31m\n", "line 1: control character in comment");
    EXPECT_ERR("a = 1\rb = 2\n", "line 1: bare carriage return");
    EXPECT_ERR("a = 1\n\r\n\r", "line 3: bare carriage return");
    EXPECT_ERR("a = [1,\r2]\n", "line 1: bare carriage return");
    EXPECT_ERR("# comment\r", "line 1: bare carriage return");
    EXPECT_ERR("a = 1\x0c\n", "line 1: expected newline after value");
    /* a BOM is only allowed at the very start */
    EXPECT_ERR("a = 1\n\xef\xbb\xbf" "b = 2\n", "line 2: expected a key");
}

static void test_crlf_documents(void)
{
    PARSE(root, "a = 1\r\n[t]\r\nb = '''\r\nx\r\ny'''\r\nc = [\r\n1,\r\n]\r\n# end\r\n");
    CHECK_INT(int_at(root, "a"), 1);
    CHECK_STR(str_at(root, "t/b"), "x\ny");
    CHECK_INT(int_at(root, "t/c/0"), 1);
    CHECK_INT(ward_toml_line(at(root, "t/c/0")), 7);
    ward_toml_free(root);
    EXPECT_ERR("a = 1\r\n\r\nb = 2\r\na = 3\r\n", "line 4: duplicate key 'a'");
}

static void test_bom(void)
{
    PARSE(root, "\xef\xbb\xbf" "a = 1\n");
    CHECK_INT(int_at(root, "a"), 1);
    CHECK_STR(ward_toml_key_at(root, 0), "a");
    ward_toml_free(root);
}

/* ---- limits ---------------------------------------------------------- */

static void test_not_nul_terminated(void)
{
    char err[256];
    const char *doc = "a = 123456\nb = 2\n";
    toml_value *root = parse_n(doc, 7, err, sizeof err); /* "a = 123" */
    CHECK(root != NULL);
    CHECK_INT(int_at(root, "a"), 123);
    CHECK_INT(ward_toml_len(root), 1);
    ward_toml_free(root);

    root = parse_n("a = 'xyz'", 8, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: unterminated string");
    root = parse_n("a = '''xyz'''", 12, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: unterminated string");
    root = parse_n("a = \"\"\"xyz\"\"\"\"\"", 13, err, sizeof err); /* 2 extra quotes cut off */
    CHECK(root != NULL);
    CHECK_STR(str_at(root, "a"), "xyz");
    ward_toml_free(root);
    root = parse_n("a = \"x\\u00e9\"", 10, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: unterminated string");
    root = parse_n("a = true", 6, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: expected a value");
    root = parse_n("a = false", 8, err, sizeof err);
    CHECK(root == NULL);
    root = parse_n("a = 1.5e10", 8, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: invalid number");
    root = parse_n("a = 0x1F", 6, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: invalid number");
    root = parse_n("a = inf", 6, err, sizeof err);
    CHECK(root == NULL);
    root = parse_n("d = 1979-05-27T07:32:00Z", 14, err, sizeof err);
    CHECK(root != NULL);
    CHECK_STR(str_at(root, "d"), "1979-05-27");
    ward_toml_free(root);
    root = parse_n("d = 1979-05-27T07:32:00Z", 23, err, sizeof err);
    CHECK(root != NULL);
    CHECK_STR(str_at(root, "d"), "1979-05-27T07:32:00");
    ward_toml_free(root);
    root = parse_n("d = 1979-05-27T07:32:00+01:00", 27, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: invalid date-time");
    root = parse_n("d = 1979-05-27 07:32:00", 16, err, sizeof err);
    CHECK(root == NULL);
    root = parse_n("t = 07:32:00.5", 13, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: invalid date-time");
    root = parse_n("[table]", 6, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: expected ']' after table name");
    root = parse_n("[[aot]]", 6, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: expected ']]' after table name");
    root = parse_n("a = 1\r\n", 6, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: bare carriage return");
    root = parse_n("k = '\xc3\xa9'", 6, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: invalid utf-8");
    root = parse_n("a = [1, 2]", 9, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: unterminated array");
    root = parse_n("a = {b = 1}", 10, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: unterminated inline table");
    root = parse_n("\xef\xbb\xbf", 2, err, sizeof err);
    CHECK(root == NULL);
    CHECK_STR(err, "line 1: invalid utf-8");
    /* every prefix of a realistic document parses or fails cleanly */
    const char *full = "[[rules]]\nid = \"x\"\nregex = '''a\\b'''\nkeywords = [\"k\", 'l']\n"
                       "[rules.allowlist]\npaths = [\"\"\"p\\u0041\"\"\"]\nn = { a = 1.5e3, b = 1979-05-27 }\n";
    for (size_t n = 0; n <= strlen(full); n++) {
        root = parse_n(full, n, err, sizeof err);
        CHECK(root != NULL || strncmp(err, "line ", 5) == 0);
        ward_toml_free(root);
    }
}

static void test_depth_limit(void)
{
    char err[256], *doc;
    toml_value *root;

    doc = repeat("a = ", "[", 64, "");
    char *full = repeat(doc, "]", 64, "\n");
    free(doc);
    PARSE(ok, full);
    const toml_value *v = at(ok, "a");
    int depth = 0;
    while (ward_toml_type_of(v) == TOML_ARRAY && ward_toml_len(v)) {
        v = ward_toml_value_at(v, 0);
        depth++;
    }
    CHECK_INT(depth, 63); /* the innermost array is empty */
    ward_toml_free(ok);
    free(full);

    doc = repeat("a = ", "[", 65, "");
    full = repeat(doc, "]", 65, "\n");
    free(doc);
    EXPECT_ERR(full, "line 1: nesting deeper than 64");
    free(full);

    doc = repeat("\n\na = ", "[", 100000, "");
    EXPECT_ERR(doc, "line 3: nesting deeper than 64");
    free(doc);

    doc = repeat("a = ", "{b = ", 64, "1");
    full = repeat(doc, "}", 64, "\n");
    free(doc);
    root = parse_n(full, strlen(full), err, sizeof err);
    CHECK(root != NULL);
    ward_toml_free(root);
    free(full);
    doc = repeat("a = ", "{b = ", 65, "1");
    full = repeat(doc, "}", 65, "\n");
    free(doc);
    EXPECT_ERR(full, "line 1: nesting deeper than 64");
    free(full);
    doc = repeat("a = ", "{b = [", 50000, "");
    EXPECT_ERR(doc, "line 1: nesting deeper than 64");
    free(doc);

    /* dotted keys and headers count towards the same limit */
    doc = repeat("k", ".k", 64, " = 1\n"); /* 64 tables, then the value */
    root = parse_n(doc, strlen(doc), err, sizeof err);
    CHECK(root != NULL);
    ward_toml_free(root);
    free(doc);
    doc = repeat("k", ".k", 65, " = 1\n");
    EXPECT_ERR(doc, "line 1: nesting deeper than 64");
    free(doc);
    doc = repeat("k", ".k", 100000, " = 1\n");
    EXPECT_ERR(doc, "line 1: nesting deeper than 64");
    free(doc);
    doc = repeat("[t", ".t", 63, "]\nx = 1\n");
    root = parse_n(doc, strlen(doc), err, sizeof err);
    CHECK(root != NULL);
    ward_toml_free(root);
    free(doc);
    doc = repeat("[t", ".t", 64, "]\n");
    EXPECT_ERR(doc, "line 1: nesting deeper than 64");
    free(doc);
    doc = repeat("[t", ".t", 63, "]\nx.y = 1\n");
    EXPECT_ERR(doc, "line 2: nesting deeper than 64");
    free(doc);
    doc = repeat("[t", ".t", 62, "]\nx = [[1]]\n");
    EXPECT_ERR(doc, "line 2: nesting deeper than 64");
    free(doc);
    /* each nested [[ ]] level is an array plus a table */
    for (int levels = 32; levels <= 33; levels++) {
        char *o = doc = malloc((size_t)levels * (size_t)(levels * 2 + 8));
        for (int k = 1; k <= levels; k++) {
            o += sprintf(o, "[[t");
            for (int j = 1; j < k; j++)
                o += sprintf(o, ".t");
            o += sprintf(o, "]]\n");
        }
        root = parse_n(doc, strlen(doc), err, sizeof err);
        if (levels == 32) {
            CHECK(root != NULL);
        } else {
            CHECK(root == NULL);
            CHECK_STR(err, "line 33: nesting deeper than 64");
        }
        ward_toml_free(root);
        free(doc);
    }
    /* in a single header only the last part is an array */
    doc = repeat("[[t", ".t", 62, "]]\n");
    root = parse_n(doc, strlen(doc), err, sizeof err);
    CHECK(root != NULL);
    ward_toml_free(root);
    free(doc);
    doc = repeat("[[t", ".t", 63, "]]\n");
    EXPECT_ERR(doc, "line 1: nesting deeper than 64");
    free(doc);
}

static void test_node_limit(void)
{
    char *doc = repeat("a = [", "0,", 200000, "]\n");
    PARSE(root, doc);
    CHECK_INT(ward_toml_len(at(root, "a")), 200000);
    ward_toml_free(root);
    free(doc);
    doc = repeat("a = [", "0,", 1000000, "]\n");
    EXPECT_ERR(doc, "line 1: too many values");
    free(doc);
    doc = repeat("", "[[t]]\n", 1000000, "");
    EXPECT_ERR(doc, "line 999999: too many values");
    free(doc);
}

/* ---- API ------------------------------------------------------------- */

static void test_accessors(void)
{
    size_t n = 99;
    int64_t i = 5;
    double d = 5;
    int b = 5;
    PARSE(root, "s = 'x'\ni = 1\nf = 1.5\nb = true\nd = 1979-05-27\na = [1]\nt = {k = 1}\n");
    const toml_value *s = at(root, "s"), *iv = at(root, "i"), *f = at(root, "f"),
                     *bv = at(root, "b"), *dt = at(root, "d"), *a = at(root, "a"), *t = at(root, "t");
    CHECK_INT(ward_toml_type_of(s), TOML_STRING);
    CHECK_INT(ward_toml_type_of(dt), TOML_DATETIME);
    CHECK_INT(ward_toml_type_of(a), TOML_ARRAY);
    CHECK_INT(ward_toml_type_of(t), TOML_TABLE);
    CHECK(ward_toml_str(iv, &n) == NULL && n == 99);
    CHECK(ward_toml_str(a, NULL) == NULL);
    CHECK(ward_toml_str(t, NULL) == NULL);
    CHECK(ward_toml_str(s, NULL) != NULL);
    CHECK(ward_toml_int(s, &i) == -1 && i == 5);
    CHECK(ward_toml_int(f, &i) == -1);
    CHECK(ward_toml_int(bv, &i) == -1);
    CHECK(ward_toml_float(s, &d) == -1 && d == 5);
    CHECK(ward_toml_float(bv, &d) == -1);
    CHECK(ward_toml_bool(iv, &b) == -1 && b == 5);
    CHECK(ward_toml_int(iv, NULL) == 0);
    CHECK(ward_toml_float(f, NULL) == 0);
    CHECK(ward_toml_bool(bv, NULL) == 0);
    CHECK_INT(ward_toml_len(s), 0);
    CHECK_INT(ward_toml_len(a), 1);
    CHECK_INT(ward_toml_len(t), 1);
    CHECK(ward_toml_get(s, "x") == NULL);
    CHECK(ward_toml_get(root, NULL) == NULL);
    CHECK(ward_toml_value_at(s, 0) == NULL);
    CHECK(ward_toml_key_at(s, 0) == NULL);
    CHECK(ward_toml_key_at(t, 1) == NULL);
    CHECK(ward_toml_value_at(t, 1) == NULL);
    CHECK_STR(ward_toml_key_at(t, 0), "k");
    /* NULL behaves as an empty table */
    CHECK(ward_toml_get(NULL, "k") == NULL);
    CHECK_INT(ward_toml_len(NULL), 0);
    CHECK(ward_toml_key_at(NULL, 0) == NULL);
    CHECK(ward_toml_value_at(NULL, 0) == NULL);
    CHECK(ward_toml_str(NULL, &n) == NULL);
    CHECK(ward_toml_int(NULL, &i) == -1);
    CHECK(ward_toml_float(NULL, &d) == -1);
    CHECK(ward_toml_bool(NULL, &b) == -1);
    ward_toml_free(root);
    ward_toml_free(NULL);
}

static void test_error_buffer(void)
{
    char small[12], one[1] = {'x'};
    toml_value *root;
    CHECK(ward_toml_parse("a = ", 4, NULL, 0) == NULL);
    CHECK(ward_toml_parse("a = ", 4, one, 0) == NULL);
    CHECK(one[0] == 'x');
    CHECK(ward_toml_parse("a = ", 4, one, 1) == NULL);
    CHECK(one[0] == 0);
    CHECK(ward_toml_parse("a = ", 4, small, sizeof small) == NULL);
    CHECK_STR(small, "line 1: exp");
    CHECK(ward_toml_parse("\n\n\n\n\n\n\n\n\n\na = ", 14, small, 5) == NULL);
    CHECK_STR(small, "line");
    root = ward_toml_parse(NULL, 0, small, sizeof small);
    CHECK(root != NULL);
    CHECK_INT(ward_toml_len(root), 0);
    ward_toml_free(root);
    root = ward_toml_parse("a = 1", 5, small, sizeof small);
    CHECK(root != NULL);
    CHECK_STR(small, "");
    ward_toml_free(root);
}

/* ---- realistic documents --------------------------------------------- */

static void test_gitleaks_config(void)
{
    PARSE(root,
          "# ward / gitleaks style configuration\n"
          "title = \"custom config\"\n"
          "\n"
          "[extend]\n"
          "useDefault = true\n"
          "disabledRules = [ \"generic-api-key\" ]\n"
          "\n"
          "[[rules]]\n"
          "id = \"github-pat\"\n"
          "description = \"GitHub personal access token\"\n"
          "regex = '''(?i)\\b(ghp_[a-z]{3})'''\n"
          "secretGroup = 1\n"
          "entropy = 3.5\n"
          "keywords = [\"ghp_\"]\n"
          "tags = [\"key\", \"github\"]\n"
          "\n"
          "    [[rules.allowlists]]\n"
          "    description = \"ignore fixtures\"\n"
          "    condition = \"OR\"\n"
          "    paths = ['''(?:^|/)testdata/''', '''\\.snap$''']\n"
          "    regexTarget = \"match\"\n"
          "    stopwords = [\"example\", \"dummy\"]\n"
          "\n"
          "    [[rules.allowlists]]\n"
          "    regexes = ['''^placeholder$''']\n"
          "\n"
          "[[rules]]\n"
          "id = \"custom-token\"\n"
          "regex = \"\"\"custom_[0-9a-f]{8}\\\\b\"\"\"\n"
          "path = '''(?i)\\.env$'''\n"
          "[rules.allowlist]\n"
          "commits = [ \"0000000\" ]\n"
          "paths = ['''\\.md$''']\n"
          "\n"
          "[allowlist]\n"
          "description = \"global allowlist\"\n"
          "paths = [\n"
          "  '''gitleaks\\.toml''',\n"
          "  '''(.*?)(jpg|gif|doc)''',\n"
          "]\n");
    CHECK_STR(str_at(root, "title"), "custom config");
    CHECK_INT(bool_at(root, "extend/useDefault"), 1);
    CHECK_STR(str_at(root, "extend/disabledRules/0"), "generic-api-key");
    const toml_value *rules = at(root, "rules");
    CHECK_INT(ward_toml_type_of(rules), TOML_ARRAY);
    CHECK_INT(ward_toml_len(rules), 2);
    CHECK_STR(str_at(root, "rules/0/id"), "github-pat");
    CHECK_STR(str_at(root, "rules/0/regex"), "(?i)\\b(ghp_[a-z]{3})");
    CHECK_INT(int_at(root, "rules/0/secretGroup"), 1);
    CHECK(float_at(root, "rules/0/entropy") == 3.5);
    CHECK_STR(str_at(root, "rules/0/tags/1"), "github");
    CHECK_INT(ward_toml_len(at(root, "rules/0/allowlists")), 2);
    CHECK_STR(str_at(root, "rules/0/allowlists/0/paths/0"), "(?:^|/)testdata/");
    CHECK_STR(str_at(root, "rules/0/allowlists/0/paths/1"), "\\.snap$");
    CHECK_STR(str_at(root, "rules/0/allowlists/0/condition"), "OR");
    CHECK_STR(str_at(root, "rules/0/allowlists/1/regexes/0"), "^placeholder$");
    CHECK_STR(str_at(root, "rules/1/regex"), "custom_[0-9a-f]{8}\\b");
    CHECK_STR(str_at(root, "rules/1/path"), "(?i)\\.env$");
    CHECK_STR(str_at(root, "rules/1/allowlist/paths/0"), "\\.md$");
    CHECK(at(root, "rules/1/allowlists") == NULL);
    CHECK_STR(str_at(root, "allowlist/paths/1"), "(.*?)(jpg|gif|doc)");
    CHECK_INT(ward_toml_len(at(root, "allowlist/paths")), 2);
    const char *order[] = {"id", "description", "regex", "secretGroup", "entropy", "keywords",
                           "tags", "allowlists"};
    for (size_t i = 0; i < 8; i++)
        CHECK_STR(ward_toml_key_at(at(root, "rules/0"), i), order[i]);
    CHECK_INT(ward_toml_line(at(root, "rules/1")), 27);
    CHECK_INT(ward_toml_line(at(root, "rules/0/allowlists/1")), 24);
    ward_toml_free(root);
}

static void test_spec_example(void)
{
    PARSE(root, "# This is a TOML document\n\n"
                "title = \"TOML Example\"\n\n"
                "[owner]\nname = \"Tom Preston-Werner\"\ndob = 1979-05-27T07:32:00-08:00\n\n"
                "[database]\nenabled = true\nports = [ 8000, 8001, 8002 ]\n"
                "data = [ [\"delta\", \"phi\"], [3.14] ]\ntemp_targets = { cpu = 79.5, case = 72.0 }\n\n"
                "[servers]\n\n[servers.alpha]\nip = \"10.0.0.1\"\nrole = \"frontend\"\n\n"
                "[servers.beta]\nip = \"10.0.0.2\"\nrole = \"backend\"\n");
    CHECK_STR(str_at(root, "title"), "TOML Example");
    CHECK_STR(str_at(root, "owner/dob"), "1979-05-27T07:32:00-08:00");
    CHECK_INT(int_at(root, "database/ports/2"), 8002);
    CHECK(float_at(root, "database/data/1/0") == 3.14);
    CHECK(float_at(root, "database/temp_targets/case") == 72.0);
    CHECK_STR(str_at(root, "servers/beta/role"), "backend");
    CHECK_STR(ward_toml_key_at(at(root, "servers"), 1), "beta");
    ward_toml_free(root);
}

/* Many parses of one document must not interfere (no hidden state). */
static void test_independent_parses(void)
{
    toml_value *a = parse_ok("x = 1\n"), *b = parse_ok("x = 2\n");
    CHECK(a && b);
    CHECK_INT(int_at(a, "x"), 1);
    CHECK_INT(int_at(b, "x"), 2);
    ward_toml_free(a);
    CHECK_INT(int_at(b, "x"), 2);
    ward_toml_free(b);
}

int main(void)
{
    RUN(test_empty_documents);
    RUN(test_basic_strings);
    RUN(test_multiline_basic_strings);
    RUN(test_literal_strings);
    RUN(test_integers);
    RUN(test_floats);
    RUN(test_booleans);
    RUN(test_datetimes);
    RUN(test_arrays);
    RUN(test_inline_tables);
    RUN(test_keys);
    RUN(test_dotted_keys);
    RUN(test_tables);
    RUN(test_arrays_of_tables);
    RUN(test_insertion_order);
    RUN(test_large_table);
    RUN(test_line_numbers);
    RUN(test_errors_keys);
    RUN(test_errors_tables);
    RUN(test_errors_strings);
    RUN(test_errors_numbers);
    RUN(test_errors_datetimes);
    RUN(test_errors_arrays_and_inline);
    RUN(test_errors_encoding);
    RUN(test_crlf_documents);
    RUN(test_bom);
    RUN(test_not_nul_terminated);
    RUN(test_depth_limit);
    RUN(test_node_limit);
    RUN(test_accessors);
    RUN(test_error_buffer);
    RUN(test_gitleaks_config);
    RUN(test_spec_example);
    RUN(test_independent_parses);
    return check_summary();
}
