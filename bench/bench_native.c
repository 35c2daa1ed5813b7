/*
 * bench_native.c — start → user task → complete cycles through the native core, the baseline
 * bench/index.js compares the WebAssembly core with.
 *
 *   bench_native MODEL.json [CYCLES] [WARMUP] [ROUNDS]
 *
 * MODEL.json is a compile document (bench/index.js writes it from the five-activity fixture).
 * Each cycle does what the engine does per instance: a `start` command, then `completeTask` of the
 * task it created with the state document passed back in; results are parsed and commands
 * serialized with cJSON, as the JavaScript side parses and stringifies them.
 *
 * Two passes over the same cycles (the same commands: cycle i uses the same seed and clock):
 *   full cycle  the whole cycle is timed, cJSON work included (most of the time, natively);
 *   core only   only detour_execute is timed (parse the command text, run, write the result
 *               text): clock_gettime around each call, accumulated, minus the cost of one
 *               clock_gettime measured beforehand. detour_free of the result is not timed.
 * Each pass runs CYCLES in ROUNDS equal rounds (default 5) and reports its fastest round, so that
 * a busy machine disturbs the figure less.
 * Prints {"cycles":N,"seconds":S,"cyclesPerSecond":C,"usPerCycle":U,"core":{...}}: the full-cycle
 * figures (per-cycle ones from the fastest round, `seconds` the whole pass), and under "core" the
 * same for the core-only pass (`seconds` the timed detour_execute time of the whole pass) plus
 * timerNs (the clock_gettime cost subtracted per call) and bytesIn/bytesOut (command and result
 * text per cycle).
 *
 * Build (bench/index.js does this into build/ when the binary is missing or older than src/):
 *   cc -O2 -DNDEBUG -std=c11 -D_DEFAULT_SOURCE -Isrc -I/usr/include/cjson $(ls src/[a-z]*.c)
 *      bench/bench_native.c -lcjson -lm -o build/bench-native
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cJSON.h"
#include "detour.h"

static char *read_file(const char *path) {
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long size = ftell(f);
    fseek(f, 0, SEEK_SET);
    char *buf = malloc((size_t)size + 1);
    if (buf && fread(buf, 1, (size_t)size, f) != (size_t)size) {
        free(buf);
        buf = NULL;
    }
    if (buf) buf[size] = '\0';
    fclose(f);
    return buf;
}

static double seconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static int64_t nanoseconds(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

/* The core-only pass: while `on`, run() times each detour_execute into `ns` and counts the text. */
static struct {
    int on;
    int64_t ns, calls, bytes_in, bytes_out;
} core_clock;

/* What one nanoseconds() call adds to a timed interval: the mean of many back-to-back pairs. */
static double timer_overhead_ns(void) {
    enum { N = 200000 };
    int64_t sum = 0;
    for (int i = 0; i < N; i++) {
        int64_t t0 = nanoseconds();
        sum += nanoseconds() - t0;
    }
    return (double)sum / N;
}

static void fail(const char *what, const char *detail) {
    fprintf(stderr, "bench_native: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
    exit(1);
}

/* Runs a command document (consumed) and returns the parsed result; exits on an error result. */
static cJSON *run(int32_t handle, cJSON *command) {
    char *text = cJSON_PrintUnformatted(command);
    cJSON_Delete(command);
    size_t len = strlen(text);
    char *out;
    if (core_clock.on) {
        int64_t t0 = nanoseconds();
        out = detour_execute(handle, text, len);
        core_clock.ns += nanoseconds() - t0;
        core_clock.calls++;
        core_clock.bytes_in += (int64_t)len;
        core_clock.bytes_out += out ? (int64_t)strlen(out) : 0;
    } else {
        out = detour_execute(handle, text, len);
    }
    free(text);
    if (!out) fail("command failed", "no result (out of memory?)");
    cJSON *doc = cJSON_Parse(out);
    if (!doc || cJSON_GetObjectItemCaseSensitive(doc, "error")) fail("command failed", out);
    detour_free(out);
    return doc;
}

static cJSON *command(const char *name, long cycle) {
    char seed[33];
    snprintf(seed, sizeof seed, "%032lx", (unsigned long)cycle);
    cJSON *c = cJSON_CreateObject();
    cJSON_AddStringToObject(c, "command", name);
    cJSON_AddNumberToObject(c, "now", 1700000000000.0 + (double)cycle);
    cJSON_AddStringToObject(c, "idSeed", seed);
    return c;
}

static void cycle(int32_t handle, long i) {
    cJSON *start = command("start", i);
    cJSON_AddNullToObject(start, "businessKey");
    cJSON_AddObjectToObject(start, "variables");
    cJSON *started = run(handle, start);

    cJSON *tasks = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(started, "index"), "tasks");
    const char *task_id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(tasks, 0), "id"));
    if (!task_id) fail("the started instance has no user task", NULL);

    cJSON *complete = command("completeTask", i);
    cJSON_AddStringToObject(complete, "taskId", task_id);
    cJSON_AddObjectToObject(complete, "variables");
    cJSON_AddItemToObject(complete, "state", cJSON_DetachItemFromObjectCaseSensitive(started, "state"));
    cJSON_Delete(started);
    cJSON *completed = run(handle, complete);
    cJSON_Delete(completed);
}

int main(int argc, char **argv) {
    if (argc < 2) fail("usage: bench_native MODEL.json [CYCLES] [WARMUP] [ROUNDS]", NULL);
    long cycles = argc > 2 ? atol(argv[2]) : 20000;
    long warmup = argc > 3 ? atol(argv[3]) : 2000;
    long rounds = argc > 4 ? atol(argv[4]) : 5;
    if (rounds < 1) rounds = 1;
    if (cycles < rounds) cycles = rounds;
    char *model = read_file(argv[1]);
    if (!model) fail("cannot read", argv[1]);
    char *compiled = detour_compile(model, strlen(model));
    cJSON *doc = cJSON_Parse(compiled);
    const cJSON *h = cJSON_GetObjectItemCaseSensitive(doc, "handle");
    if (!cJSON_IsNumber(h)) fail("compile failed", compiled);
    int32_t handle = (int32_t)h->valuedouble;
    cJSON_Delete(doc);
    detour_free(compiled);
    free(model);

    for (long i = 0; i < warmup; i++) cycle(handle, i);
    long per_round = cycles / rounds;

    /* Full cycle: the whole cycle timed, cJSON included. */
    double total = 0, best = -1;
    for (long r = 0, next = warmup; r < rounds; r++) {
        double t0 = seconds();
        for (long i = 0; i < per_round; i++) cycle(handle, next++);
        double elapsed = seconds() - t0;
        total += elapsed;
        if (best < 0 || elapsed < best) best = elapsed;
    }

    /* Core only: the same cycles again, only detour_execute timed. */
    double timer_ns = timer_overhead_ns();
    double core_total = 0, core_best = -1;
    int64_t bytes_in = 0, bytes_out = 0;
    core_clock.on = 1;
    for (long r = 0, next = warmup; r < rounds; r++) {
        core_clock.ns = core_clock.calls = core_clock.bytes_in = core_clock.bytes_out = 0;
        for (long i = 0; i < per_round; i++) cycle(handle, next++);
        double elapsed = ((double)core_clock.ns - timer_ns * (double)core_clock.calls) / 1e9;
        core_total += elapsed;
        if (core_best < 0 || elapsed < core_best) core_best = elapsed;
        bytes_in += core_clock.bytes_in;
        bytes_out += core_clock.bytes_out;
    }
    core_clock.on = 0;
    detour_release(handle);

    double us = best * 1e6 / (double)per_round;
    double core_us = core_best * 1e6 / (double)per_round;
    long n = per_round * rounds;
    printf("{\"cycles\":%ld,\"seconds\":%.6f,\"cyclesPerSecond\":%.1f,\"usPerCycle\":%.3f,"
           "\"core\":{\"cycles\":%ld,\"seconds\":%.6f,\"cyclesPerSecond\":%.1f,\"usPerCycle\":%.3f,"
           "\"timerNs\":%.1f,\"bytesIn\":%.1f,\"bytesOut\":%.1f}}\n",
           n, total, 1e6 / us, us, n, core_total, 1e6 / core_us, core_us, timer_ns, (double)bytes_in / (double)n,
           (double)bytes_out / (double)n);
    return 0;
}
