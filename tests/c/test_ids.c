/*
 * test_ids.c — the core's ids (src/ids.c): version-7 UUIDs that carry the command's time, sort in
 * the order they were made, are the same for the same seed and differ between seeds.
 */
#include "check.h"
#include "ids.h"

#include <stdlib.h>

static const char *SEED_A = "0123456789abcdef0123456789abcdef";
static const char *SEED_B = "fedcba9876543210fedcba9876543210";

static void test_an_id_is_a_version_7_uuid_with_the_time_in_front(void) {
    id_gen g;
    CHECK(ids_seed(&g, SEED_A, 0x0123456789ABll));
    char *id = ids_uuid(&g);
    CHECK(strlen(id) == 36);
    CHECK(strncmp(id, "01234567-89ab-7000-", 19) == 0);
    CHECK(strchr("89ab", id[19]) != NULL); /* variant 10 */
    CHECK(id[8] == '-' && id[13] == '-' && id[18] == '-' && id[23] == '-');
    free(id);
}

static void test_ids_made_later_sort_later(void) {
    id_gen g;
    CHECK(ids_seed(&g, SEED_A, 1000));
    char *first = ids_uuid(&g), *second = ids_uuid(&g);
    CHECK(strcmp(first, second) < 0);
    id_gen later;
    CHECK(ids_seed(&later, SEED_A, 1001));
    char *next_ms = ids_uuid(&later);
    CHECK(strcmp(second, next_ms) < 0);
    free(first);
    free(second);
    free(next_ms);
}

static void test_the_same_seed_and_time_give_the_same_ids_and_another_seed_others(void) {
    id_gen a, again, b;
    CHECK(ids_seed(&a, SEED_A, 42));
    CHECK(ids_seed(&again, SEED_A, 42));
    CHECK(ids_seed(&b, SEED_B, 42));
    char *x = ids_uuid(&a), *y = ids_uuid(&again), *z = ids_uuid(&b);
    CHECK_STR(x, y);
    CHECK(strcmp(x, z) != 0);
    free(x);
    free(y);
    free(z);
}

static void test_an_activity_instance_id_is_prefixed_unless_too_long(void) {
    id_gen g;
    CHECK(ids_seed(&g, SEED_A, 42));
    char *id = ids_activity_instance(&g, "review");
    CHECK(strncmp(id, "review:", 7) == 0 && strlen(id) == 7 + 36);
    free(id);
    char *plain = ids_activity_instance(&g, "an_activity_id_long_enough_to_push_the_id_past_64");
    CHECK(strlen(plain) == 36);
    free(plain);
}

static void test_a_seed_must_be_32_hex_digits(void) {
    id_gen g;
    CHECK(!ids_seed(&g, "0123", 1));
    CHECK(!ids_seed(&g, "0123456789abcdef0123456789abcdeg", 1));
    CHECK(!ids_seed(&g, NULL, 1));
}

int main(void) {
    RUN(test_an_id_is_a_version_7_uuid_with_the_time_in_front);
    RUN(test_ids_made_later_sort_later);
    RUN(test_the_same_seed_and_time_give_the_same_ids_and_another_seed_others);
    RUN(test_an_activity_instance_id_is_prefixed_unless_too_long);
    RUN(test_a_seed_must_be_32_hex_digits);
    return CHECK_SUMMARY();
}
