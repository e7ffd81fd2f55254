// Statistics for the silicon probe: see stats.hpp.
#include "tools/probe/stats.hpp"

#include <algorithm>
#include <cmath>

namespace probe {

double percentile_nearest_rank(const std::vector<double>& sorted, double p) {
    const std::size_t n = sorted.size();
    if (n == 0) return 0;
    if (p <= 0) return sorted.front();
    if (p >= 100) return sorted.back();
    // Integer arithmetic for the rank where p is a whole number avoids 0.99 * 100 = 98.99999...
    double exact = p * static_cast<double>(n) / 100.0;
    std::size_t rank = static_cast<std::size_t>(std::ceil(exact - 1e-9));
    if (rank < 1) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

double median_sorted(const std::vector<double>& sorted) {
    const std::size_t n = sorted.size();
    if (n == 0) return 0;
    if (n % 2 == 1) return sorted[n / 2];
    return (sorted[n / 2 - 1] + sorted[n / 2]) / 2.0;
}

Summary summarize(std::vector<double> samples) {
    Summary s;
    if (samples.empty()) return s;
    std::sort(samples.begin(), samples.end());
    s.count = samples.size();
    s.min = samples.front();
    s.max = samples.back();
    s.median = median_sorted(samples);
    s.p99 = percentile_nearest_rank(samples, 99);
    return s;
}

}  // namespace probe
