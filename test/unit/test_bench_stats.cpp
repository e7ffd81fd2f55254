#include <catch2/catch.hpp>
#include <vector>
#include "src/bench/stats.hpp"

TEST_CASE("PIT timestamps are monotonic across ticks", "[bench]") {
    const u32 d = 11932;
    u64 prev = 0;
    for (u32 t = 0; t < 3; t++)
        for (i32 c = i32(d); c >= 1; c -= 997) {
            u64 now = pit_clocks(t, u32(c), d);
            CHECK(now >= prev);
            prev = now;
        }
    CHECK(pit_clocks(5, 0xFFFF, d) == 5u * d);  // a bogus counter never goes backwards past the tick
}

TEST_CASE("min, median and p99 by nearest rank", "[bench]") {
    std::vector<u32> v = {5, 1, 9, 3, 7};
    BenchStats s = bench_stats(v.data(), u32(v.size()));
    CHECK(s.min == 1);
    CHECK(s.median == 5);
    CHECK(s.p99 == 9);
    std::vector<u32> even = {4, 2, 8, 6};
    s = bench_stats(even.data(), 4);
    CHECK(s.median == 4);  // the lower middle
    std::vector<u32> hundred(200);
    for (u32 i = 0; i < 200; i++) hundred[i] = 200 - i;  // 1..200 reversed
    s = bench_stats(hundred.data(), 200);
    CHECK(s.min == 1);
    CHECK(s.median == 100);
    CHECK(s.p99 == 198);
    CHECK(bench_stats(nullptr, 0).median == 0);
    u32 one = 7;
    s = bench_stats(&one, 1);
    CHECK((s.min == 7 && s.median == 7 && s.p99 == 7));
}
