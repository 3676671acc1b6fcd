// The C API of gbench_shim.h over Google Benchmark. The only C++ file in the project:
// it translates, nothing more.
#include "gbench_shim.h"

#include <benchmark/benchmark.h>

#include <string>

// gsb_state and gsb_bench stay incomplete: their pointers are the C++ objects' pointers.
static benchmark::State &S(gsb_state *st) { return *reinterpret_cast<benchmark::State *>(st); }
static const benchmark::State &S(const gsb_state *st)
{
    return *reinterpret_cast<const benchmark::State *>(st);
}
static benchmark::internal::Benchmark *B(gsb_bench *b)
{
    return reinterpret_cast<benchmark::internal::Benchmark *>(b);
}

extern "C" {

void gsb_init(int *argc, char **argv) { benchmark::Initialize(argc, argv); }

bool gsb_report_unrecognized(int argc, char **argv)
{
    return benchmark::ReportUnrecognizedArguments(argc, argv);
}

gsb_bench *gsb_register(const char *name, gsb_fn fn, void *user)
{
    if (!name || !fn) return nullptr;
    benchmark::internal::Benchmark *b = benchmark::RegisterBenchmark(
        name, [fn, user](benchmark::State &st) { fn(reinterpret_cast<gsb_state *>(&st), user); });
    return reinterpret_cast<gsb_bench *>(b);
}

void gsb_bench_use_real_time(gsb_bench *b) { B(b)->UseRealTime(); }

void gsb_bench_unit(gsb_bench *b, gsb_time_unit unit)
{
    static const benchmark::TimeUnit units[] = {benchmark::kNanosecond, benchmark::kMicrosecond,
                                                 benchmark::kMillisecond, benchmark::kSecond};
    B(b)->Unit(units[unit >= GSB_NANOSECOND && unit <= GSB_SECOND ? unit : GSB_NANOSECOND]);
}

void gsb_bench_min_time(gsb_bench *b, double seconds) { B(b)->MinTime(seconds); }
void gsb_bench_repetitions(gsb_bench *b, int n) { B(b)->Repetitions(n); }

void gsb_add_context(const char *key, const char *value)
{
    benchmark::AddCustomContext(key ? key : "", value ? value : "");
}

int64_t gsb_run_specified(void) { return static_cast<int64_t>(benchmark::RunSpecifiedBenchmarks()); }
void gsb_shutdown(void) { benchmark::Shutdown(); }

bool gsb_keep_running(gsb_state *st) { return S(st).KeepRunning(); }
int64_t gsb_iterations(const gsb_state *st) { return static_cast<int64_t>(S(st).iterations()); }

void gsb_set_counter(gsb_state *st, const char *name, double value, gsb_counter_flags flags)
{
    benchmark::Counter::Flags f = benchmark::Counter::kDefaults;
    if (flags == GSB_COUNTER_RATE) f = benchmark::Counter::kIsRate;
    if (flags == GSB_COUNTER_PER_ITERATION_RATE) f = benchmark::Counter::kIsIterationInvariantRate;
    S(st).counters[name] = benchmark::Counter(value, f);
}

void gsb_set_label(gsb_state *st, const char *label) { S(st).SetLabel(label ? label : ""); }
void gsb_skip_with_error(gsb_state *st, const char *msg) { S(st).SkipWithError(msg ? msg : "error"); }
bool gsb_error_occurred(const gsb_state *st) { return S(st).error_occurred(); }
void gsb_pause_timing(gsb_state *st) { S(st).PauseTiming(); }
void gsb_resume_timing(gsb_state *st) { S(st).ResumeTiming(); }

} // extern "C"
