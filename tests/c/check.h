/*
 * check.h — the C unit tests' only framework: named checks, a failure count, a summary line.
 *
 * Each test file defines `static void test_<sentence>(void)` functions and a main() that runs them
 * with RUN(test_name); CHECK records a failure with file and line instead of aborting, so one run
 * reports every broken expectation. The process exits non-zero if anything failed.
 */
#ifndef DETOUR_CHECK_H
#define DETOUR_CHECK_H

#include <stdio.h>
#include <string.h>

static int check_failures;
static int check_passed_tests;
static int check_failed_tests;

#define CHECK(cond)                                                                  \
    do {                                                                             \
        if (!(cond)) {                                                               \
            fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #cond); \
            check_failures++;                                                        \
        }                                                                            \
    } while (0)

#define CHECK_STR(actual, expected)                                                           \
    do {                                                                                      \
        const char *check_a_ = (actual), *check_e_ = (expected);                              \
        if (!check_a_ || !check_e_ || strcmp(check_a_, check_e_) != 0) {                     \
            fprintf(stderr, "%s:%d: expected \"%s\", got \"%s\"\n", __FILE__, __LINE__,        \
                    check_e_ ? check_e_ : "(null)", check_a_ ? check_a_ : "(null)");          \
            check_failures++;                                                                 \
        }                                                                                     \
    } while (0)

#define RUN(test)                                                    \
    do {                                                             \
        int check_before_ = check_failures;                          \
        test();                                                      \
        if (check_failures == check_before_) {                       \
            check_passed_tests++;                                    \
        } else {                                                     \
            check_failed_tests++;                                    \
            fprintf(stderr, "FAILED: %s\n", #test);                  \
        }                                                            \
    } while (0)

#define CHECK_SUMMARY()                                                              \
    (printf("%d passed, %d failed\n", check_passed_tests, check_failed_tests),       \
     check_failed_tests ? 1 : 0)

#endif
