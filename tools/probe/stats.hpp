// Statistics for the silicon probe (issue 6): pure code, no asm, no system calls.
#pragma once
#include <cstddef>
#include <vector>

namespace probe {

// Summary of one case's samples (cycles per operation).
struct Summary {
    std::size_t count = 0;  // number of samples summarised (0: no data, the other fields are 0)
    double min = 0;
    double median = 0;  // odd count: the middle sample; even count: mean of the two middle samples
    double p99 = 0;     // nearest rank: the ceil(0.99 * count)-th smallest sample (the maximum when count <= 100)
    double max = 0;
};

// p-th percentile (0 < p <= 100) of ascending `sorted` by the nearest-rank method: the
// ceil(p/100 * n)-th smallest value (1-based), never interpolated. 0 for an empty vector.
double percentile_nearest_rank(const std::vector<double>& sorted, double p);

// Median of ascending `sorted`: the middle value, or the mean of the two middle values. 0 if empty.
double median_sorted(const std::vector<double>& sorted);

// Summarise samples in any order (the vector is copied and sorted).
Summary summarize(std::vector<double> samples);

}  // namespace probe
