/*
 * test_timer.c — ISO 8601 dates, durations and cycles (src/timer.c): parsing, formatting,
 * calendar arithmetic (leap years, month-end clamping), offsets, fractions, malformed input.
 */
#include "check.h"
#include "timer.h"

#include <stdint.h>

#define HOUR INT64_C(3600000)
#define DAY (24 * HOUR)
#define T_2026_11_23_10H INT64_C(1795428000000) /* 2026-11-23T10:00:00Z */
#define T_2026_01_01 INT64_C(1767225600000)     /* 2026-01-01T00:00:00Z */
#define T_2024_02_29 INT64_C(1709164800000)     /* 2024-02-29T00:00:00Z */

static int64_t date(const char *text) {
    int64_t ms = INT64_MIN;
    CHECK(timer_parse_date(text, &ms));
    return ms;
}

static const char *fmt(int64_t ms) {
    static char buf[40];
    timer_format_date(ms, buf, sizeof buf);
    return buf;
}

static int64_t plus(const char *duration, int64_t from) {
    int64_t out = INT64_MIN;
    CHECK(timer_add_duration(duration, from, &out));
    return out;
}

/* ---- dates ---- */

static void test_camunda_wire_dates_are_parsed(void) {
    CHECK(date("2026-11-23T10:00:00.000+0000") == T_2026_11_23_10H);
    CHECK(date("2000-02-29T12:34:56.789+0000") == INT64_C(951827696789));
}

static void test_dates_accept_z_colon_offsets_and_no_zone(void) {
    CHECK(date("2026-11-23T10:00:00Z") == T_2026_11_23_10H);
    CHECK(date("2026-11-23T10:00:00") == T_2026_11_23_10H);
    CHECK(date("2026-11-23T11:00:00+01:00") == T_2026_11_23_10H);
    CHECK(date("2026-11-23T04:30:00-0530") == T_2026_11_23_10H);
    CHECK(date("2026-11-23T12:00:00+02") == T_2026_11_23_10H);
    CHECK(date("2026-11-23T10:00Z") == T_2026_11_23_10H);
}

static void test_an_offset_can_move_the_date_across_midnight_and_years(void) {
    CHECK(date("2025-12-31T23:00:00-01:00") == T_2026_01_01);
    CHECK(date("2026-01-01T01:00:00+01:00") == T_2026_01_01);
}

static void test_a_bare_date_is_midnight_utc(void) {
    CHECK(date("2026-01-01") == T_2026_01_01);
    CHECK(date("2024-02-29") == T_2024_02_29);
}

static void test_fractions_are_truncated_to_milliseconds(void) {
    CHECK(date("2026-01-01T00:00:00.5Z") == T_2026_01_01 + 500);
    CHECK(date("2026-01-01T00:00:00.12Z") == T_2026_01_01 + 120);
    CHECK(date("2026-01-01T00:00:00.123999Z") == T_2026_01_01 + 123);
    CHECK(date("2026-01-01T00:00:00,250Z") == T_2026_01_01 + 250);
}

static void test_surrounding_whitespace_is_ignored(void) {
    CHECK(date("  2026-01-01T00:00:00Z\n") == T_2026_01_01);
}

static void test_dates_before_1970_and_far_years_are_exact(void) {
    CHECK(date("1969-07-20T20:17:40Z") == INT64_C(-14182940000));
    CHECK(date("0001-01-01T00:00:00Z") == INT64_C(-62135596800000));
    CHECK(date("9999-12-31T23:59:59.999Z") == INT64_C(253402300799999));
    CHECK(date("1600-03-01") == INT64_C(-11670912000000));
}

static void test_leap_days_exist_only_in_leap_years(void) {
    int64_t ms;
    CHECK(timer_parse_date("2024-02-29", &ms));
    CHECK(timer_parse_date("2000-02-29", &ms));
    CHECK(!timer_parse_date("2023-02-29", &ms));
    CHECK(!timer_parse_date("1900-02-29", &ms));
    CHECK(!timer_parse_date("2026-04-31", &ms));
}

static void test_malformed_dates_are_rejected(void) {
    static const char *bad[] = {"", "   ", "2026", "2026-11", "2026-13-01", "2026-00-10", "2026-11-00",
                                "2026-11-23T", "2026-11-23T10", "2026-11-23T24:00:00",
                                "2026-11-23T10:60:00", "2026-11-23T10:00:60", "2026-11-23T10:00:00.",
                                "2026-11-23T10:00:00+", "2026-11-23T10:00:00+1", "2026-11-23T10:00:00+24:00",
                                "2026-11-23T10:00:00X", "2026-11-23T10:00:00Zjunk", "2026/11/23",
                                "26-11-23", "2026-1-23", "2026-11-23 10:00:00", "+2026-11-23",
                                "2026-11-23T10:00:00+01:0", "２０２６-11-23"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t ms = 42;
        bool ok = timer_parse_date(bad[i], &ms);
        if (ok) fprintf(stderr, "  accepted: \"%s\"\n", bad[i]);
        CHECK(!ok);
    }
    int64_t ms;
    CHECK(!timer_parse_date(NULL, &ms));
}

static void test_dates_format_like_camunda_in_utc(void) {
    CHECK_STR(fmt(T_2026_11_23_10H), "2026-11-23T10:00:00.000+0000");
    CHECK_STR(fmt(0), "1970-01-01T00:00:00.000+0000");
    CHECK_STR(fmt(-1), "1969-12-31T23:59:59.999+0000");
    CHECK_STR(fmt(INT64_C(951827696789)), "2000-02-29T12:34:56.789+0000");
    CHECK_STR(fmt(INT64_C(-62135596800000)), "0001-01-01T00:00:00.000+0000");
}

static void test_formatting_then_parsing_gives_the_same_instant(void) {
    int64_t samples[] = {0, -1, 1, T_2024_02_29 - 1, INT64_C(253402300799999), INT64_C(-14182940001)};
    for (size_t i = 0; i < sizeof samples / sizeof samples[0]; i++) CHECK(date(fmt(samples[i])) == samples[i]);
}

static void test_instants_beyond_four_digit_years_format_as_the_nearest_one(void) {
    char buf[40];
    timer_format_date(INT64_MIN, buf, sizeof buf);
    CHECK_STR(buf, "0000-01-01T00:00:00.000+0000");
    timer_format_date(INT64_MAX, buf, sizeof buf);
    CHECK_STR(buf, "9999-12-31T23:59:59.999+0000");
}

static void test_formatting_into_a_small_buffer_truncates_safely(void) {
    char buf[8];
    timer_format_date(0, buf, sizeof buf);
    CHECK_STR(buf, "1970-01");
    timer_format_date(0, buf, 0); /* nothing written, no crash */
}

/* ---- durations ---- */

static void test_fixed_durations_add_exact_milliseconds(void) {
    CHECK(plus("PT1H", 0) == HOUR);
    CHECK(plus("PT90M", 0) == 90 * 60000);
    CHECK(plus("PT45S", 0) == 45000);
    CHECK(plus("P1D", 0) == DAY);
    CHECK(plus("P2W", 0) == 14 * DAY);
    CHECK(plus("P1DT12H", 0) == DAY + 12 * HOUR);
    CHECK(plus("P1DT1H1M1S", 0) == DAY + HOUR + 60000 + 1000);
    CHECK(plus("PT0S", 123) == 123);
}

static void test_second_fractions_count_milliseconds(void) {
    CHECK(plus("PT1.5S", 0) == 1500);
    CHECK(plus("PT0.001S", 0) == 1);
    CHECK(plus("PT0.0009S", 0) == 0);
    CHECK(plus("PT2,25S", 0) == 2250);
}

static void test_months_clamp_to_the_end_of_the_shorter_month(void) {
    CHECK_STR(fmt(plus("P1M", date("2026-01-31T08:00:00Z"))), "2026-02-28T08:00:00.000+0000");
    CHECK_STR(fmt(plus("P1M", date("2024-01-31"))), "2024-02-29T00:00:00.000+0000");
    CHECK_STR(fmt(plus("P1M", date("2026-03-31"))), "2026-04-30T00:00:00.000+0000");
    CHECK_STR(fmt(plus("P1M", date("2026-04-30"))), "2026-05-30T00:00:00.000+0000");
}

static void test_months_carry_into_years(void) {
    CHECK_STR(fmt(plus("P13M", date("2026-12-15"))), "2028-01-15T00:00:00.000+0000");
    CHECK_STR(fmt(plus("P12M", date("2026-02-28"))), "2027-02-28T00:00:00.000+0000");
}

static void test_a_year_after_a_leap_day_is_the_28th_of_february(void) {
    CHECK_STR(fmt(plus("P1Y", T_2024_02_29)), "2025-02-28T00:00:00.000+0000");
    CHECK_STR(fmt(plus("P4Y", T_2024_02_29)), "2028-02-29T00:00:00.000+0000");
}

static void test_years_are_added_before_months_each_clamping(void) {
    /* java.util.Calendar: +1 year → 2025-02-28, then +1 month → 2025-03-28 */
    CHECK_STR(fmt(plus("P1Y1M", T_2024_02_29)), "2025-03-28T00:00:00.000+0000");
}

static void test_calendar_and_fixed_parts_combine(void) {
    CHECK_STR(fmt(plus("P1M1DT1H", date("2026-01-31T23:30:00Z"))), "2026-03-02T00:30:00.000+0000");
}

static void test_durations_work_before_1970(void) {
    CHECK_STR(fmt(plus("P1M", date("1969-12-31T12:00:00Z"))), "1970-01-31T12:00:00.000+0000");
    CHECK_STR(fmt(plus("PT1S", -500)), "1970-01-01T00:00:00.500+0000");
}

static void test_malformed_durations_are_rejected(void) {
    static const char *bad[] = {"", "P", "PT", "1D", "D", "P1", "P1H", "PT1D", "P1M1Y", "PT1S1M",
                                "P1D1D", "PT1.S", "PT.5S", "P1.5D", "PT1.5M", "P-1D", "-P1D",
                                "P1DT", "P1Dx", "p1d", "P 1D", "P1W1W",
                                "P9999999999999999999D", "PT9223372036854775807S",
                                "P99999999999Y"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t out = 42;
        bool ok = timer_add_duration(bad[i], 0, &out);
        if (ok) fprintf(stderr, "  accepted: \"%s\"\n", bad[i]);
        CHECK(!ok);
    }
    int64_t out;
    CHECK(!timer_add_duration(NULL, 0, &out));
}

static void test_durations_that_overflow_the_instant_are_rejected(void) {
    int64_t out;
    CHECK(!timer_add_duration("P100000D", INT64_MAX - 10, &out));
    CHECK(!timer_add_duration("P1M", INT64_MAX, &out));
    CHECK(timer_add_duration("P106751991167D", 0, &out)); /* just fits in int64 ms */
}

/* ---- cycles ---- */

static void test_a_counted_cycle_fires_n_times_then_stops(void) {
    int64_t due = 0;
    int remaining = 99;
    CHECK(timer_cycle_first("R3/PT1H", 1000, &due, &remaining));
    CHECK(due == 1000 + HOUR);
    CHECK(remaining == 2);
    CHECK(timer_cycle_next("R3/PT1H", due, &remaining, &due));
    CHECK(due == 1000 + 2 * HOUR && remaining == 1);
    CHECK(timer_cycle_next("R3/PT1H", due, &remaining, &due));
    CHECK(due == 1000 + 3 * HOUR && remaining == 0);
    int64_t before = due;
    CHECK(!timer_cycle_next("R3/PT1H", due, &remaining, &due));
    CHECK(due == before);
}

static void test_an_uncounted_cycle_repeats_forever(void) {
    int64_t due;
    int remaining;
    CHECK(timer_cycle_first("R/PT10M", 0, &due, &remaining));
    CHECK(due == 600000 && remaining == -1);
    for (int i = 0; i < 5; i++) CHECK(timer_cycle_next("R/PT10M", due, &remaining, &due));
    CHECK(due == 6 * 600000 && remaining == -1);
}

static void test_a_future_start_date_is_the_first_due_date(void) {
    int64_t due;
    int remaining;
    CHECK(timer_cycle_first("R2/2026-01-01T00:00:00Z/P1D", T_2026_01_01 - DAY, &due, &remaining));
    CHECK(due == T_2026_01_01 && remaining == 1);
    CHECK(timer_cycle_next("R2/2026-01-01T00:00:00Z/P1D", due, &remaining, &due));
    CHECK(due == T_2026_01_01 + DAY && remaining == 0);
}

static void test_a_past_start_date_skips_to_the_first_occurrence_after_now(void) {
    int64_t due;
    int remaining;
    CHECK(timer_cycle_first("R5/2026-01-01T00:00:00Z/PT1H", T_2026_01_01 + 2 * HOUR + 5, &due, &remaining));
    CHECK(due == T_2026_01_01 + 3 * HOUR);
    CHECK(remaining == 1); /* occurrences 0..2 passed, 3 is scheduled, 4 is left */
    /* a start equal to now is not after now */
    CHECK(timer_cycle_first("R/2026-01-01T00:00:00Z/PT1H", T_2026_01_01, &due, &remaining));
    CHECK(due == T_2026_01_01 + HOUR && remaining == -1);
}

static void test_a_past_start_date_can_exhaust_the_count(void) {
    int64_t due;
    int remaining;
    CHECK(!timer_cycle_first("R2/2026-01-01T00:00:00Z/PT1H", T_2026_01_01 + 5 * HOUR, &due, &remaining));
}

static void test_calendar_cycles_step_month_by_month_from_a_past_start(void) {
    int64_t due;
    int remaining;
    CHECK(timer_cycle_first("R/2026-01-31T00:00:00Z/P1M", date("2026-03-15"), &due, &remaining));
    /* Jan 31 → Feb 28 → Mar 28 (clamping accumulates, as repeated Calendar.add does) */
    CHECK_STR(fmt(due), "2026-03-28T00:00:00.000+0000");
}

static void test_a_cycle_with_an_end_date_stops_after_it(void) {
    const char *cycle = "R/PT1H/2026-01-01T02:30:00Z";
    int64_t due;
    int remaining;
    CHECK(timer_cycle_first(cycle, T_2026_01_01, &due, &remaining));
    CHECK(due == T_2026_01_01 + HOUR);
    CHECK(timer_cycle_next(cycle, due, &remaining, &due));
    CHECK(due == T_2026_01_01 + 2 * HOUR);
    CHECK(!timer_cycle_next(cycle, due, &remaining, &due));
    CHECK(!timer_cycle_first(cycle, T_2026_01_01 + 2 * HOUR, &due, &remaining));
}

static void test_a_start_and_end_date_define_the_period(void) {
    int64_t due;
    int remaining;
    const char *cycle = "R3/2026-01-01T00:00:00Z/2026-01-01T06:00:00Z";
    CHECK(timer_cycle_first(cycle, 0, &due, &remaining));
    CHECK(due == T_2026_01_01 && remaining == 2);
    CHECK(timer_cycle_next(cycle, due, &remaining, &due));
    CHECK(due == T_2026_01_01 + 6 * HOUR);
}

static void test_a_cycle_without_repetition_fires_once(void) {
    int64_t due;
    int remaining;
    CHECK(timer_cycle_first("PT5M", 0, &due, &remaining));
    CHECK(due == 300000 && remaining == 0);
    CHECK(!timer_cycle_next("PT5M", due, &remaining, &due));
}

static void test_r0_has_no_firing(void) {
    int64_t due;
    int remaining;
    CHECK(!timer_cycle_first("R0/PT1H", 0, &due, &remaining));
}

static void test_malformed_cycles_are_rejected(void) {
    static const char *bad[] = {"", "R", "R3", "R3/", "R/", "Rx/PT1H", "R-1/PT1H", "R3/PT1H/PT1H",
                                "R3/a/b/c", "R3/2026-01-01/PT1H/x", "R/PT0S", "R/P0D",
                                "R3/2026-01-01T06:00:00Z/2026-01-01T00:00:00Z", "R99999999999/PT1H",
                                "3/PT1H", "R3//PT1H", "R3/PT1H/"};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t due = 0;
        int remaining = 0;
        bool ok = timer_cycle_first(bad[i], 0, &due, &remaining);
        if (ok) fprintf(stderr, "  accepted: \"%s\"\n", bad[i]);
        CHECK(!ok);
    }
    int64_t due;
    int remaining = 3;
    CHECK(!timer_cycle_first(NULL, 0, &due, &remaining));
    CHECK(!timer_cycle_next("nonsense", 0, &remaining, &due));
    CHECK(remaining == 3);
}

static void test_a_past_start_far_behind_now_is_computed_without_stepping(void) {
    int64_t due;
    int remaining;
    /* one-second steps across 8000 years: done by division, not a loop */
    CHECK(timer_cycle_first("R/0001-01-01T00:00:00Z/PT1S", T_2026_01_01 + 500, &due, &remaining));
    CHECK(due == T_2026_01_01 + 1000);
}

/* Random text over the ISO alphabet: parsers may refuse it, but must not crash or overflow. */
static void test_random_timer_text_never_crashes(void) {
    static const char alphabet[] = "0123456789PYMWDTHSRZ+-:.,/ 9999999999";
    uint32_t seed = 7;
    char text[40];
    for (int round = 0; round < 50000; round++) {
        size_t n = 1 + ((seed = seed * 1103515245u + 12345u) >> 16) % (sizeof text - 1);
        for (size_t i = 0; i < n; i++) {
            seed = seed * 1103515245u + 12345u;
            text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
        }
        text[n] = '\0';
        int64_t ms, due;
        int remaining = (int)(seed % 5) - 1;
        (void)timer_parse_date(text, &ms);
        (void)timer_add_duration(text, (int64_t)seed * 1000, &ms);
        if (timer_cycle_first(text, INT64_C(1767225600000), &due, &remaining)) CHECK(remaining >= -1);
        (void)timer_cycle_next(text, due = INT64_C(1767225600000), &remaining, &due);
    }
    /* Valid shapes with extreme numbers */
    int64_t out;
    CHECK(!timer_add_duration("P999999999999999999Y", 0, &out));
    CHECK(!timer_add_duration("PT999999999999999999H", 0, &out));
    CHECK(!timer_add_duration("PT999999999999999999.999S", 0, &out));
    int64_t due;
    int remaining;
    CHECK(!timer_cycle_first("R/0001-01-01T00:00:00Z/PT0.001S", INT64_MAX, &due, &remaining));
    CHECK(!timer_cycle_first("R/0001-01-01T00:00:00Z/PT0.001S", INT64_MAX - INT64_C(62135596800000), &due,
                             &remaining));
    CHECK(!timer_cycle_first("R/9999-01-01T00:00:00Z/P1Y", INT64_MIN, &due, &remaining) || due > 0);
}

int main(void) {
    RUN(test_camunda_wire_dates_are_parsed);
    RUN(test_dates_accept_z_colon_offsets_and_no_zone);
    RUN(test_an_offset_can_move_the_date_across_midnight_and_years);
    RUN(test_a_bare_date_is_midnight_utc);
    RUN(test_fractions_are_truncated_to_milliseconds);
    RUN(test_surrounding_whitespace_is_ignored);
    RUN(test_dates_before_1970_and_far_years_are_exact);
    RUN(test_leap_days_exist_only_in_leap_years);
    RUN(test_malformed_dates_are_rejected);
    RUN(test_dates_format_like_camunda_in_utc);
    RUN(test_formatting_then_parsing_gives_the_same_instant);
    RUN(test_instants_beyond_four_digit_years_format_as_the_nearest_one);
    RUN(test_formatting_into_a_small_buffer_truncates_safely);
    RUN(test_fixed_durations_add_exact_milliseconds);
    RUN(test_second_fractions_count_milliseconds);
    RUN(test_months_clamp_to_the_end_of_the_shorter_month);
    RUN(test_months_carry_into_years);
    RUN(test_a_year_after_a_leap_day_is_the_28th_of_february);
    RUN(test_years_are_added_before_months_each_clamping);
    RUN(test_calendar_and_fixed_parts_combine);
    RUN(test_durations_work_before_1970);
    RUN(test_malformed_durations_are_rejected);
    RUN(test_durations_that_overflow_the_instant_are_rejected);
    RUN(test_a_counted_cycle_fires_n_times_then_stops);
    RUN(test_an_uncounted_cycle_repeats_forever);
    RUN(test_a_future_start_date_is_the_first_due_date);
    RUN(test_a_past_start_date_skips_to_the_first_occurrence_after_now);
    RUN(test_a_past_start_date_can_exhaust_the_count);
    RUN(test_calendar_cycles_step_month_by_month_from_a_past_start);
    RUN(test_a_cycle_with_an_end_date_stops_after_it);
    RUN(test_a_start_and_end_date_define_the_period);
    RUN(test_a_cycle_without_repetition_fires_once);
    RUN(test_r0_has_no_firing);
    RUN(test_malformed_cycles_are_rejected);
    RUN(test_a_past_start_far_behind_now_is_computed_without_stepping);
    RUN(test_random_timer_text_never_crashes);
    return CHECK_SUMMARY();
}
