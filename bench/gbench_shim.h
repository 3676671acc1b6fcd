/*
 * A small C API over Google Benchmark (the only C++ in the project: gbench_shim.cc).
 *
 *   gsb_init(&argc, argv);                      // Google Benchmark's --benchmark_* flags
 *   gsb_bench *b = gsb_register("name", fn, user);
 *   gsb_bench_use_real_time(b);
 *   gsb_add_context("commit", "abc1234");
 *   gsb_run_specified();                        // runs fn(state, user) as often as needed
 *   gsb_shutdown();
 *
 * and inside fn:
 *
 *   while (gsb_keep_running(st)) work();
 *   gsb_set_counter(st, "GFLOP/s", flops * 1e-9, GSB_COUNTER_RATE_PER_ITERATION);
 *
 * Google Benchmark calls fn several times (to find the iteration count, then once per
 * repetition); fn must be cheap to re-enter, so do expensive setup once and cache it.
 */
#ifndef GSCONV_GBENCH_SHIM_H
#define GSCONV_GBENCH_SHIM_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef struct gsb_state gsb_state; /* a benchmark::State */
typedef struct gsb_bench gsb_bench; /* a registered benchmark::internal::Benchmark */
typedef void (*gsb_fn)(gsb_state *st, void *user);

/* Counter flags, the meaning of benchmark::Counter::Flags. */
typedef enum gsb_counter_flags {
    GSB_COUNTER_PLAIN = 0,                  /* reported as is */
    GSB_COUNTER_RATE = 1,                   /* value / elapsed seconds */
    GSB_COUNTER_PER_ITERATION_RATE = 2      /* value * iterations / elapsed seconds */
} gsb_counter_flags;

typedef enum gsb_time_unit {
    GSB_NANOSECOND = 0,
    GSB_MICROSECOND = 1,
    GSB_MILLISECOND = 2,
    GSB_SECOND = 3
} gsb_time_unit;

/* benchmark::Initialize: consumes the --benchmark_* flags from argv (argc updated). */
void gsb_init(int *argc, char **argv);
/* True (and a message on stderr) if argv still holds arguments (after gsb_init). */
bool gsb_report_unrecognized(int argc, char **argv);

/* Register fn under name (copied). NULL on failure. */
gsb_bench *gsb_register(const char *name, gsb_fn fn, void *user);
void gsb_bench_use_real_time(gsb_bench *b);
void gsb_bench_unit(gsb_bench *b, gsb_time_unit unit);
/* Per-benchmark settings; the --benchmark_* flags apply to what is not set here. */
void gsb_bench_min_time(gsb_bench *b, double seconds);
void gsb_bench_repetitions(gsb_bench *b, int n);

/* Key/value shown in the "context" of every report (benchmark::AddCustomContext). */
void gsb_add_context(const char *key, const char *value);

/* Run the benchmarks selected by --benchmark_filter with the default reporters (the
 * console per --benchmark_format, and --benchmark_out). Returns how many ran. */
int64_t gsb_run_specified(void);
void gsb_shutdown(void);

/* ---- inside a benchmark function */
bool gsb_keep_running(gsb_state *st);
int64_t gsb_iterations(const gsb_state *st);
void gsb_set_counter(gsb_state *st, const char *name, double value, gsb_counter_flags flags);
void gsb_set_label(gsb_state *st, const char *label);
/* Mark the run as failed with msg; the loop must not be entered (or is left) after. */
void gsb_skip_with_error(gsb_state *st, const char *msg);
bool gsb_error_occurred(const gsb_state *st);
void gsb_pause_timing(gsb_state *st);
void gsb_resume_timing(gsb_state *st);

#ifdef __cplusplus
}
#endif
#endif
