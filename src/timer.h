/*
 * timer.h — ISO 8601 dates, durations and repeating cycles, as timer events use them.
 *
 * All instants are epoch milliseconds in UTC. Nothing here reads a clock: "now" is always given.
 */
#ifndef DETOUR_TIMER_H
#define DETOUR_TIMER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Parses an ISO 8601 date-time: 2026-11-23T10:00:00, with optional fraction, and Z, +hh:mm,
 * +hhmm or no zone (treated as UTC); also a bare date 2026-11-23 (midnight UTC).
 * Also accepts Camunda's format 2026-11-23T10:00:00.000+0000. */
bool timer_parse_date(const char *text, int64_t *out_ms);

/* Formats as Camunda does on the wire: yyyy-MM-dd'T'HH:mm:ss.SSS+0000 (UTC). buf ≥ 29 bytes.
 * Instants outside years 0000-9999 are clamped to them. */
void timer_format_date(int64_t ms, char *buf, size_t size);

/* Adds an ISO 8601 duration (PnYnMnDTnHnMnS with fractional seconds, or PnW) to `from`.
 * Years and months are calendar arithmetic (day of month clamped). Returns false if malformed. */
bool timer_add_duration(const char *duration, int64_t from, int64_t *out_ms);

/* Repeating cycle "R[n]/[start/]duration" (R without n repeats forever; n counts firings).
 * Also accepted, as Camunda's DurationHelper does: "R[n]/duration/end" (no firing after `end`),
 * "R[n]/start/end" (the period is end - start) and a bare "[start/]duration" (one firing).
 * timer_cycle_first: due date of the first firing for a timer created at `now`;
 *   without a start date: now + duration; with a start date: the start date if it is after
 *   `now`, else (as Camunda) the first start + k·duration strictly after `now`, the skipped
 *   occurrences counting against n. Returns false if malformed or no firing is left (R0).
 * timer_cycle_next: after a firing due at `last_due`, the next due date, i.e. last_due + duration.
 * *remaining receives how many firings are left after the one being scheduled (-1 = unbounded);
 * timer_cycle_next takes the current remaining count and returns false when none is left. */
bool timer_cycle_first(const char *cycle, int64_t now, int64_t *due, int *remaining);
bool timer_cycle_next(const char *cycle, int64_t last_due, int *remaining, int64_t *due);

#endif
