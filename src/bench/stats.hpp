// Benchmark statistics: min, median and p99 of a sample set (nearest rank), sorted in place.
// Pure: host-tested.
#pragma once
#include "src/lib/types.hpp"

struct BenchStats {
    u32 min, median, p99;
};

// PIT timing (no TSC): a timestamp in PIT input clocks (1193182 Hz, 838 ns) from the tick count
// and channel 0's down-counter, which runs from `divisor` to 1 between ticks.
constexpr u64 pit_clocks(u32 ticks, u32 counter, u32 divisor) {
    return u64(ticks) * divisor + (counter <= divisor ? divisor - counter : 0);
}
static_assert(pit_clocks(0, 11932, 11932) == 0 && pit_clocks(1, 11932, 11932) == 11932);
static_assert(pit_clocks(2, 1, 11932) == 2 * 11932 + 11931);

inline BenchStats bench_stats(u32* samples, u32 n) {
    for (u32 i = 1; i < n; i++)  // insertion sort: a few hundred samples
        for (u32 j = i; j > 0 && samples[j - 1] > samples[j]; j--) {
            u32 t = samples[j];
            samples[j] = samples[j - 1];
            samples[j - 1] = t;
        }
    if (n == 0) return {0, 0, 0};
    u32 rank99 = (n * 99 + 99) / 100;  // nearest rank: ceil(0.99 n)
    return {samples[0], samples[(n - 1) / 2], samples[(rank99 ? rank99 : 1) - 1]};
}
