/* check.h - the unit tests' tiny harness.  Each test file defines test
 * functions, lists them in main() with RUN(), and returns check_summary().
 * A failed CHECK prints file:line and the expression, and the test goes on;
 * the binary exits non-zero when anything failed, which ctest reports. */
#ifndef WARD_CHECK_H
#define WARD_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failed_, check_passed_, check_current_failed_;

#define CHECK(cond) do { \
    if (!(cond)) { \
        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
        check_current_failed_ = 1; \
    } } while (0)

#define CHECK_STR(got, want) do { \
    const char *g_ = (got), *w_ = (want); \
    if (!g_ || !w_ || strcmp(g_, w_) != 0) { \
        fprintf(stderr, "%s:%d: %s: got \"%s\", want \"%s\"\n", __FILE__, __LINE__, \
                #got, g_ ? g_ : "(null)", w_ ? w_ : "(null)"); \
        check_current_failed_ = 1; \
    } } while (0)

#define CHECK_INT(got, want) do { \
    long long g_ = (long long)(got), w_ = (long long)(want); \
    if (g_ != w_) { \
        fprintf(stderr, "%s:%d: %s: got %lld, want %lld\n", __FILE__, __LINE__, #got, g_, w_); \
        check_current_failed_ = 1; \
    } } while (0)

#define RUN(fn) do { \
    check_current_failed_ = 0; fn(); \
    if (check_current_failed_) { check_failed_++; fprintf(stderr, "FAIL %s\n", #fn); } \
    else check_passed_++; } while (0)

static inline int check_summary(void)
{
    printf("%d passed, %d failed\n", check_passed_, check_failed_);
    return check_failed_ ? 1 : 0;
}

#endif
