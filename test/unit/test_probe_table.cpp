// Silicon probe table and CSV formatting (tools/probe/table.hpp).
#include <catch2/catch.hpp>
#include <string>
#include <vector>

#include "tools/probe/table.hpp"

using probe::Row;
using probe::Status;

namespace {

Row ok_row(const char* key, const char* label, double min, double median, double p99) {
    Row r;
    r.key = key;
    r.label = label;
    r.stats.count = 1000;
    r.stats.min = min;
    r.stats.median = median;
    r.stats.p99 = p99;
    r.stats.max = p99 * 2;
    r.ops_per_sample = 100;
    return r;
}

std::vector<std::string> lines_of(const std::string& s) {
    std::vector<std::string> out;
    std::string cur;
    for (char c : s) {
        if (c == '\n') {
            out.push_back(cur);
            cur.clear();
        } else {
            cur += c;
        }
    }
    if (!cur.empty()) out.push_back(cur);
    return out;
}

std::vector<Row> sample_rows() {
    std::vector<Row> rows;
    rows.push_back(ok_row("near_call", "near call", 1.1, 1.25, 2));
    rows.push_back(ok_row("far_call", "far call", 200, 250, 400));
    Row s;
    s.key = "pipe_cross";
    s.label = "pipe, two CPUs";
    s.status = Status::Skipped;
    s.reason = "only one CPU available to this process";
    rows.push_back(s);
    Row rt = ok_row("futex_same", "futex", 5000, 5000, 9000);
    rt.ops_per_sample = 1;
    rows.push_back(rt);
    Row t = ok_row("futex_same_touch8", "futex + touch 8", 5100, 5320, 9100);
    t.extra_over = "futex_same";
    t.note = "refill, est.";
    rows.push_back(t);
    return rows;
}

}  // namespace

TEST_CASE("probe table: cycle and ratio formatting", "[probe]") {
    CHECK(probe::format_cycles(0) == "0.0");
    CHECK(probe::format_cycles(1.25) == "1.2");  // %.1f, round-half-even on the binary value
    CHECK(probe::format_cycles(14.66) == "14.7");
    CHECK(probe::format_cycles(99.9) == "99.9");
    CHECK(probe::format_cycles(99.96) == "100");
    CHECK(probe::format_cycles(225.4) == "225");
    CHECK(probe::format_cycles(19202.6) == "19203");
    CHECK(probe::format_cycles(-36) == "-36.0");
    CHECK(probe::format_ratio(0.005) == "0.01x");
    CHECK(probe::format_ratio(1) == "1.00x");
    CHECK(probe::format_ratio(12.34) == "12.3x");
    CHECK(probe::format_ratio(463.4) == "463x");
}

TEST_CASE("probe table: ratios and extras", "[probe]") {
    auto rows = sample_rows();
    auto r = probe::ratio_to(rows, rows[0], "far_call");
    REQUIRE(r);
    CHECK(*r == Approx(0.005));
    CHECK(*probe::ratio_to(rows, rows[1], "far_call") == 1.0);
    CHECK_FALSE(probe::ratio_to(rows, rows[2], "far_call"));  // skipped row
    CHECK_FALSE(probe::ratio_to(rows, rows[0], "no_such_row"));
    auto e = probe::extra_cycles(rows, rows[4]);
    REQUIRE(e);
    CHECK(*e == 320);
    CHECK_FALSE(probe::extra_cycles(rows, rows[3]));  // names no baseline
    // A skipped reference gives no ratio at all.
    rows[1].status = Status::Skipped;
    CHECK_FALSE(probe::ratio_to(rows, rows[0], "far_call"));
}

TEST_CASE("probe table: readable table layout", "[probe]") {
    auto rows = sample_rows();
    auto lines = lines_of(probe::format_table(rows, "far_call"));
    REQUIRE(lines.size() == 2 + rows.size());
    CHECK(lines[0].rfind("case", 0) == 0);
    CHECK(lines[0].find("median") != std::string::npos);
    CHECK(lines[0].find("x far_call") != std::string::npos);
    CHECK(lines[1].find_first_not_of('-') == std::string::npos);
    CHECK(lines[2].rfind("near call", 0) == 0);
    CHECK(lines[2].find("0.01x") != std::string::npos);
    CHECK(lines[3].find("1.00x") != std::string::npos);
    CHECK(lines[3].find("250") != std::string::npos);
    CHECK(lines[4].find("skipped: only one CPU available to this process") != std::string::npos);
    CHECK(lines[6].find("+320") != std::string::npos);
    CHECK(lines[6].find("refill, est.") != std::string::npos);
    // Numeric columns line up: "median" header ends where every median cell ends.
    std::size_t med_end = lines[0].find("median") + 6;
    CHECK(lines[2].substr(med_end - 3, 3) == "1.2");
    CHECK(lines[3].substr(med_end - 3, 3) == "250");
    CHECK(lines[5].substr(med_end - 4, 4) == "5000");
    for (const auto& l : lines) CHECK((l.empty() || l.back() != ' '));
}

TEST_CASE("probe table: CSV escaping", "[probe]") {
    CHECK(probe::csv_escape("plain") == "plain");
    CHECK(probe::csv_escape("") == "");
    CHECK(probe::csv_escape("a,b") == "\"a,b\"");
    CHECK(probe::csv_escape("say \"hi\"") == "\"say \"\"hi\"\"\"");
    CHECK(probe::csv_escape("two\nlines") == "\"two\nlines\"");
    CHECK(probe::csv_comment("cpu_brand", "Intel(R)\nXeon") == "# cpu_brand: Intel(R) Xeon");
}

TEST_CASE("probe table: CSV header and lines", "[probe]") {
    const std::string header = probe::csv_header();
    CHECK(header ==
          "case,label,status,reason,samples,ops_per_sample,min_cycles,median_cycles,p99_cycles,max_cycles,"
          "ratio_to_far_call,extra_over,extra_cycles,note");
    auto rows = sample_rows();
    CHECK(probe::csv_line(rows, rows[0], "far_call") == "near_call,near call,ok,,1000,100,1.1,1.25,2,4,0.005,,,");
    CHECK(probe::csv_line(rows, rows[2], "far_call") ==
          "pipe_cross,\"pipe, two CPUs\",skipped,only one CPU available to this process,,1,,,,,,,,");
    CHECK(probe::csv_line(rows, rows[4], "far_call") ==
          "futex_same_touch8,futex + touch 8,ok,,1000,100,5100,5320,9100,18200,21.28,futex_same,320,\"refill, est.\"");
    // Every line has as many fields as the header (14 columns, 13 separators outside quotes).
    auto count_fields = [](const std::string& l) {
        int n = 1;
        bool q = false;
        for (char c : l) {
            if (c == '"') q = !q;
            else if (c == ',' && !q) ++n;
        }
        return n;
    };
    for (const Row& r : rows) CHECK(count_fields(probe::csv_line(rows, r, "far_call")) == count_fields(header));
}
