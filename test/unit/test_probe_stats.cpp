// Silicon probe statistics (tools/probe/stats.hpp): min / median / p99 on known samples.
#include <catch2/catch.hpp>
#include <vector>

#include "tools/probe/stats.hpp"

using probe::Summary;
using probe::summarize;

TEST_CASE("probe stats: empty input gives a zero summary", "[probe]") {
    Summary s = summarize({});
    CHECK(s.count == 0);
    CHECK(s.min == 0);
    CHECK(s.median == 0);
    CHECK(s.p99 == 0);
    CHECK(probe::percentile_nearest_rank({}, 99) == 0);
    CHECK(probe::median_sorted({}) == 0);
}

TEST_CASE("probe stats: one sample is min, median and p99", "[probe]") {
    Summary s = summarize({42.5});
    CHECK(s.count == 1);
    CHECK(s.min == 42.5);
    CHECK(s.median == 42.5);
    CHECK(s.p99 == 42.5);
    CHECK(s.max == 42.5);
}

TEST_CASE("probe stats: odd count takes the middle sample, unsorted input", "[probe]") {
    Summary s = summarize({9, 1, 5, 7, 3});
    CHECK(s.count == 5);
    CHECK(s.min == 1);
    CHECK(s.median == 5);
    CHECK(s.max == 9);
}

TEST_CASE("probe stats: even count takes the mean of the two middle samples", "[probe]") {
    CHECK(summarize({4, 1, 3, 2}).median == 2.5);
    CHECK(summarize({10, 20}).median == 15);
    CHECK(summarize({1, 1, 2, 100}).median == 1.5);
}

TEST_CASE("probe stats: p99 by nearest rank on small samples is the maximum", "[probe]") {
    // ceil(0.99 * n) == n for every n <= 100.
    CHECK(summarize({1, 2, 3}).p99 == 3);
    CHECK(summarize({5, 1, 9, 2, 8, 3, 7, 4, 6, 10}).p99 == 10);
    std::vector<double> hundred;
    for (int i = 1; i <= 100; ++i) hundred.push_back(i);
    CHECK(summarize(hundred).p99 == 99);  // rank ceil(99.0) = 99, not 100
}

TEST_CASE("probe stats: p99 on larger samples ignores the top 1%", "[probe]") {
    std::vector<double> v;
    for (int i = 0; i < 1000; ++i) v.push_back(i < 990 ? 10 : 1000000);  // 10 outliers
    Summary s = summarize(v);
    CHECK(s.p99 == 10);  // rank 990
    CHECK(s.max == 1000000);
    CHECK(s.median == 10);
    v.push_back(1000000);  // 1001 samples: rank ceil(990.99) = 991 -> an outlier
    CHECK(summarize(v).p99 == 1000000);

    std::vector<double> ramp;
    for (int i = 1; i <= 200; ++i) ramp.push_back(i);
    CHECK(summarize(ramp).p99 == 198);  // rank 198
    CHECK(summarize(ramp).median == 100.5);
}

TEST_CASE("probe stats: percentile edges", "[probe]") {
    std::vector<double> v{1, 2, 3, 4};
    CHECK(probe::percentile_nearest_rank(v, 0) == 1);
    CHECK(probe::percentile_nearest_rank(v, 25) == 1);
    CHECK(probe::percentile_nearest_rank(v, 26) == 2);
    CHECK(probe::percentile_nearest_rank(v, 50) == 2);
    CHECK(probe::percentile_nearest_rank(v, 100) == 4);
    CHECK(probe::percentile_nearest_rank(v, 150) == 4);
}
