/*
 * timer.c — ISO 8601 dates, durations and repeating cycles as pure calendar arithmetic.
 *
 * Instants are epoch milliseconds, UTC. The proleptic Gregorian calendar is computed with
 * days-from-civil / civil-from-days (H. Hinnant's algorithms), so nothing here consults a clock,
 * a time zone database or the C library's time functions.
 *
 * Invariants:
 *   - every parser consumes its whole input (after trimming surrounding ASCII whitespace) or fails;
 *   - all arithmetic on user-supplied numbers is range-checked before it is done, so malformed or
 *     hostile input gives `false`, never overflow;
 *   - durations add years, then months (each clamping the day of month, as java.util.Calendar
 *     does), then the fixed part (days, hours, minutes, seconds, milliseconds).
 */
#include "timer.h"

#include <stdio.h>
#include <string.h>

#define MS_PER_SECOND INT64_C(1000)
#define MS_PER_MINUTE INT64_C(60000)
#define MS_PER_HOUR INT64_C(3600000)
#define MS_PER_DAY INT64_C(86400000)
/* Years beyond this are refused: far past any real timer, far below int64 overflow. */
#define TIMER_MAX_YEAR INT64_C(1000000)
/* Safety bound on stepping a calendar cycle forward from a past start date. */
#define TIMER_MAX_STEPS 1000000

/* A parsed duration: the calendar part (years, months) and the fixed part in milliseconds. */
typedef struct duration {
    int64_t years;
    int64_t months;
    int64_t ms;
} duration;

/* A parsed cycle "R[n]/[start/]duration", "R[n]/duration/end" or "R[n]/start/end". */
typedef struct cycle {
    int times; /* firings in total; -1 = unbounded */
    bool has_start, has_end;
    int64_t start, end;
    duration period;
} cycle;

/* ---- calendar ---------------------------------------------------------------------------- */

static int64_t floor_div(int64_t a, int64_t b) {
    int64_t q = a / b;
    if ((a % b != 0) && ((a < 0) != (b < 0))) q--;
    return q;
}

static bool timer_is_leap(int64_t y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

static int timer_days_in_month(int64_t y, int m) {
    static const int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return m == 2 && timer_is_leap(y) ? 29 : days[m - 1];
}

/* Days since 1970-01-01 of y-m-d (m 1..12, d 1..31); y within ±TIMER_MAX_YEAR. */
static int64_t timer_days_from_civil(int64_t y, int m, int d) {
    y -= m <= 2;
    int64_t era = floor_div(y, 400);
    int64_t yoe = y - era * 400;                                   /* [0, 399] */
    int64_t doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1; /* [0, 365] */
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;           /* [0, 146096] */
    return era * 146097 + doe - 719468;
}

static void timer_civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
    z += 719468;
    int64_t era = floor_div(z, 146097);
    int64_t doe = z - era * 146097;
    int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    int64_t mp = (5 * doy + 2) / 153;
    *d = (int)(doy - (153 * mp + 2) / 5 + 1);
    *m = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yoe + era * 400 + (*m <= 2);
}

/* ---- small scanning helpers -------------------------------------------------------------- */

static bool is_digit(char c) { return c >= '0' && c <= '9'; }
static bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

/* Trims surrounding whitespace: *begin and *end delimit the remaining text. */
static void trim(const char *text, const char **begin, const char **end) {
    const char *b = text, *e = text + strlen(text);
    while (b < e && is_space(*b)) b++;
    while (e > b && is_space(e[-1])) e--;
    *begin = b;
    *end = e;
}

/* Reads exactly n digits. */
static bool fixed_digits(const char **p, const char *end, int n, int *out) {
    int v = 0;
    for (int i = 0; i < n; i++) {
        if (*p >= end || !is_digit(**p)) return false;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    *out = v;
    return true;
}

/* Reads 1..18 digits (so the value always fits in int64). */
static bool some_digits(const char **p, const char *end, int64_t *out) {
    int64_t v = 0;
    int n = 0;
    while (*p < end && is_digit(**p)) {
        if (++n > 18) return false;
        v = v * 10 + (**p - '0');
        (*p)++;
    }
    *out = v;
    return n > 0;
}

/* acc += n * unit, all non-negative; false on overflow. */
static bool add_scaled(int64_t *acc, int64_t n, int64_t unit) {
    if (n != 0 && n > (INT64_MAX - *acc) / unit) return false;
    *acc += n * unit;
    return true;
}

static bool add_ms(int64_t a, int64_t b, int64_t *out) {
    if ((b > 0 && a > INT64_MAX - b) || (b < 0 && a < INT64_MIN - b)) return false;
    *out = a + b;
    return true;
}

/* ---- dates ------------------------------------------------------------------------------- */

static bool parse_date_range(const char *p, const char *end, int64_t *out_ms) {
    int y, mo, d, h = 0, mi = 0, s = 0, ms = 0;
    if (!fixed_digits(&p, end, 4, &y) || p >= end || *p++ != '-') return false;
    if (!fixed_digits(&p, end, 2, &mo) || p >= end || *p++ != '-') return false;
    if (!fixed_digits(&p, end, 2, &d)) return false;
    if (mo < 1 || mo > 12 || d < 1 || d > timer_days_in_month(y, mo)) return false;
    int64_t offset_ms = 0;
    if (p < end) {
        if (*p++ != 'T') return false;
        if (!fixed_digits(&p, end, 2, &h) || p >= end || *p++ != ':') return false;
        if (!fixed_digits(&p, end, 2, &mi)) return false;
        if (p < end && *p == ':') {
            p++;
            if (!fixed_digits(&p, end, 2, &s)) return false;
            if (p < end && (*p == '.' || *p == ',')) {
                p++;
                /* Fractions are truncated to milliseconds, as java.util.Date holds no more. */
                int n = 0;
                while (p < end && is_digit(*p)) {
                    if (n < 3) ms = ms * 10 + (*p - '0');
                    n++;
                    p++;
                }
                if (n == 0) return false;
                for (; n < 3; n++) ms *= 10;
            }
        }
        if (h > 23 || mi > 59 || s > 59) return false;
        if (p < end) {
            char sign = *p++;
            if (sign == 'Z') {
                /* UTC */
            } else if (sign == '+' || sign == '-') {
                int oh, om = 0;
                if (!fixed_digits(&p, end, 2, &oh)) return false;
                if (p < end && *p == ':') p++;
                if (p < end && !fixed_digits(&p, end, 2, &om)) return false;
                if (oh > 23 || om > 59) return false;
                offset_ms = (oh * MS_PER_HOUR + om * MS_PER_MINUTE) * (sign == '-' ? -1 : 1);
            } else {
                return false;
            }
        }
    }
    if (p != end) return false;
    int64_t days = timer_days_from_civil(y, mo, d);
    *out_ms = days * MS_PER_DAY + h * MS_PER_HOUR + mi * MS_PER_MINUTE + s * MS_PER_SECOND + ms -
              offset_ms;
    return true;
}

bool timer_parse_date(const char *text, int64_t *out_ms) {
    if (!text || !out_ms) return false;
    const char *b, *e;
    trim(text, &b, &e);
    return parse_date_range(b, e, out_ms);
}

void timer_format_date(int64_t ms, char *buf, size_t size) {
    if (!buf || size == 0) return;
    /* only four-digit years have a wire form; clamping also keeps the day arithmetic in range */
    const int64_t first = INT64_C(-62167219200000), last = INT64_C(253402300799999); /* 0000-01-01, 9999-12-31 */
    if (ms < first) ms = first;
    if (ms > last) ms = last;
    int64_t days = floor_div(ms, MS_PER_DAY);
    int64_t rest = ms - days * MS_PER_DAY; /* [0, MS_PER_DAY) */
    int64_t y;
    int m, d;
    timer_civil_from_days(days, &y, &m, &d);
    snprintf(buf, size, "%04lld-%02d-%02dT%02d:%02d:%02d.%03d+0000", (long long)y, m, d,
             (int)(rest / MS_PER_HOUR), (int)(rest / MS_PER_MINUTE % 60),
             (int)(rest / MS_PER_SECOND % 60), (int)(rest % MS_PER_SECOND));
}

/* ---- durations --------------------------------------------------------------------------- */

/* PnYnMnWnD followed by an optional TnHnMnS; designators in this order, each at most once. */
static bool parse_duration_range(const char *p, const char *end, duration *out) {
    static const char date_units[] = "YMWD";
    static const char time_units[] = "HMS";
    duration dur = {0, 0, 0};
    if (p >= end || *p++ != 'P') return false;
    int components = 0;
    int next_unit = 0; /* index in date_units of the earliest designator still allowed */
    while (p < end && *p != 'T') {
        int64_t n;
        if (!some_digits(&p, end, &n) || p >= end) return false;
        const char *u = strchr(date_units + next_unit, *p);
        if (!u || !*p) return false;
        p++;
        next_unit = (int)(u - date_units) + 1;
        switch (*u) {
        case 'Y': dur.years = n; break;
        case 'M': dur.months = n; break;
        case 'W': if (!add_scaled(&dur.ms, n, 7 * MS_PER_DAY)) return false; break;
        default: if (!add_scaled(&dur.ms, n, MS_PER_DAY)) return false; break;
        }
        components++;
    }
    if (p < end) { /* 'T' */
        p++;
        int time_components = 0;
        next_unit = 0;
        while (p < end) {
            int64_t n, frac_ms = 0;
            if (!some_digits(&p, end, &n) || p >= end) return false;
            if (*p == '.' || *p == ',') { /* only seconds may carry a fraction */
                p++;
                int digits = 0;
                while (p < end && is_digit(*p)) {
                    if (digits < 3) frac_ms = frac_ms * 10 + (*p - '0');
                    digits++;
                    p++;
                }
                if (digits == 0 || p >= end || *p != 'S') return false;
                for (; digits < 3; digits++) frac_ms *= 10;
            }
            const char *u = strchr(time_units + next_unit, *p);
            if (!u || !*p) return false;
            p++;
            next_unit = (int)(u - time_units) + 1;
            int64_t unit = *u == 'H' ? MS_PER_HOUR : *u == 'M' ? MS_PER_MINUTE : MS_PER_SECOND;
            if (!add_scaled(&dur.ms, n, unit) || !add_scaled(&dur.ms, frac_ms, 1)) return false;
            time_components++;
        }
        if (time_components == 0) return false;
        components += time_components;
    }
    if (components == 0) return false;
    if (dur.years > TIMER_MAX_YEAR || dur.months > TIMER_MAX_YEAR * 12) return false;
    *out = dur;
    return true;
}

/* from + dur; false if the result leaves the supported range. */
static bool duration_add(const duration *dur, int64_t from, int64_t *out) {
    int64_t t = from;
    if (dur->years || dur->months) {
        int64_t days = floor_div(from, MS_PER_DAY);
        int64_t time_of_day = from - days * MS_PER_DAY;
        int64_t y;
        int m, d;
        timer_civil_from_days(days, &y, &m, &d);
        if (y > TIMER_MAX_YEAR || y < -TIMER_MAX_YEAR) return false;
        /* Years first, then months, each clamping the day (Feb 29 + P1Y1M = Mar 28). */
        y += dur->years;
        if (d > timer_days_in_month(y, m)) d = timer_days_in_month(y, m);
        int64_t month_index = y * 12 + (m - 1) + dur->months;
        y = floor_div(month_index, 12);
        m = (int)(month_index - y * 12) + 1;
        if (y > TIMER_MAX_YEAR || y < -TIMER_MAX_YEAR) return false;
        if (d > timer_days_in_month(y, m)) d = timer_days_in_month(y, m);
        t = timer_days_from_civil(y, m, d) * MS_PER_DAY + time_of_day;
    }
    return add_ms(t, dur->ms, out);
}

bool timer_add_duration(const char *text, int64_t from, int64_t *out_ms) {
    if (!text || !out_ms) return false;
    const char *b, *e;
    trim(text, &b, &e);
    duration dur;
    return parse_duration_range(b, e, &dur) && duration_add(&dur, from, out_ms);
}

/* ---- cycles ------------------------------------------------------------------------------ */

static bool is_zero(const duration *d) { return !d->years && !d->months && !d->ms; }

static bool parse_cycle(const char *text, cycle *out) {
    if (!text) return false;
    const char *b, *e;
    trim(text, &b, &e);
    const char *parts[3], *ends[3];
    int n = 0;
    const char *p = b;
    for (;;) {
        const char *slash = p;
        while (slash < e && *slash != '/') slash++;
        if (n == 3) return false;
        parts[n] = p;
        ends[n++] = slash;
        if (slash >= e) break;
        p = slash + 1;
    }
    cycle c = {1, false, false, 0, 0, {0, 0, 0}};
    int i = 0;
    if (parts[0] < ends[0] && *parts[0] == 'R') {
        const char *q = parts[0] + 1;
        if (q == ends[0]) {
            c.times = -1;
        } else {
            int64_t times;
            /* Camunda reads the count with Integer.parseInt. */
            if (!some_digits(&q, ends[0], &times) || q != ends[0] || times > 2147483646) return false;
            c.times = (int)times;
        }
        i = 1;
    }
    int rest = n - i;
    if (rest < 1 || rest > 2) return false;
    if (parse_duration_range(parts[i], ends[i], &c.period)) {
        if (rest == 2) {
            if (!parse_date_range(parts[i + 1], ends[i + 1], &c.end)) return false;
            c.has_end = true;
        }
    } else {
        if (rest != 2 || !parse_date_range(parts[i], ends[i], &c.start)) return false;
        c.has_start = true;
        if (!parse_duration_range(parts[i + 1], ends[i + 1], &c.period)) {
            int64_t stop;
            if (!parse_date_range(parts[i + 1], ends[i + 1], &stop) || stop <= c.start) return false;
            c.period = (duration){0, 0, stop - c.start};
        }
    }
    if (is_zero(&c.period)) return false; /* would fire forever at one instant */
    *out = c;
    return true;
}

bool timer_cycle_first(const char *text, int64_t now, int64_t *due, int *remaining) {
    cycle c;
    if (!due || !remaining || !parse_cycle(text, &c) || c.times == 0) return false;
    int64_t cur;
    int64_t fired = 0; /* occurrences that lie in the past and are skipped */
    if (c.has_start) {
        /* Camunda steps from the start until strictly after now (DurationHelper.getDateAfter). */
        cur = c.start;
        if (cur <= now) {
            if (!c.period.years && !c.period.months) {
                int64_t span;
                if (!add_ms(now, -cur, &span)) return false;
                if (span / c.period.ms == INT64_MAX) return false;
                int64_t k = span / c.period.ms + 1; /* steps until strictly after now */
                fired = k;
                if (k > INT64_MAX / c.period.ms || !add_ms(cur, k * c.period.ms, &cur)) return false;
            } else {
                while (cur <= now) {
                    if (fired >= TIMER_MAX_STEPS || !duration_add(&c.period, cur, &cur)) return false;
                    fired++;
                }
            }
        }
    } else {
        if (!duration_add(&c.period, now, &cur)) return false;
        if (c.has_end && cur > c.end) return false;
    }
    if (c.times >= 0 && fired >= c.times) return false;
    *due = cur;
    *remaining = c.times < 0 ? -1 : (int)(c.times - fired - 1);
    return true;
}

bool timer_cycle_next(const char *text, int64_t last_due, int *remaining, int64_t *due) {
    cycle c;
    if (!due || !remaining || *remaining == 0 || !parse_cycle(text, &c)) return false;
    int64_t next;
    if (!duration_add(&c.period, last_due, &next)) return false;
    if (!c.has_start && c.has_end && next > c.end) return false;
    *due = next;
    if (*remaining > 0) (*remaining)--;
    return true;
}
