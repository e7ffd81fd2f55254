// Deterministic pseudo-random numbers for the fuzzer. Each call i of a run with seed s draws from
// its own generator rng_for(s, i), so one call can be replayed alone (only=i) with the same
// arguments whatever the calls before it returned.
#pragma once
#include "src/lib/types.hpp"

namespace fuzz {
// splitmix32-style finaliser: a bijection on u32 with good avalanche.
constexpr u32 mix32(u32 x) {
    x += 0x9E3779B9u;
    x = (x ^ (x >> 16)) * 0x85EBCA6Bu;
    x = (x ^ (x >> 13)) * 0xC2B2AE35u;
    return x ^ (x >> 16);
}

struct Rng {
    u32 state;
    constexpr u32 next() { return mix32(state++); }
    constexpr u32 below(u32 n) { return n ? next() % n : 0; }           // [0, n)
    constexpr bool one_in(u32 n) { return below(n) == 0; }
    constexpr u32 range(u32 lo, u32 hi) { return lo + below(hi - lo + 1); }  // [lo, hi]
    template <class T, u32 N>
    constexpr const T& pick(const T (&v)[N]) { return v[below(N)]; }
};

constexpr Rng rng_for(u32 seed, u32 index) { return Rng{mix32(seed) ^ mix32(index * 0x27D4EB2Fu + 0x165667B1u)}; }
}  // namespace fuzz
