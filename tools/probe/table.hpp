// Result rows of the silicon probe and their table / CSV rendering: pure code, no system calls.
#pragma once
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tools/probe/stats.hpp"

namespace probe {

enum class Status { Ok, Skipped, Failed };

const char* status_name(Status s);  // "ok", "skipped", "failed"

struct Row {
    std::string key;    // stable machine name, e.g. "far_call" (CSV column `case`)
    std::string label;  // human description for the table
    Status status = Status::Ok;
    std::string reason;  // why skipped / failed (empty when ok)
    Summary stats;       // cycles per operation
    std::uint32_t ops_per_sample = 1;  // operations timed together in one sample
    std::string extra_over;  // key of a row whose median this row's median is compared with ("" = none)
    std::string note;        // free text (mechanism, selector, ...)
};

// The row with `key`, or nullptr.
const Row* find_row(const std::vector<Row>& rows, const std::string& key);

// median(row) / median(reference row), when both are ok and the reference median is > 0.
std::optional<double> ratio_to(const std::vector<Row>& rows, const Row& row, const std::string& ref_key);

// median(row) - median(row.extra_over row), when the row names one and both are ok.
std::optional<double> extra_cycles(const std::vector<Row>& rows, const Row& row);

// Cycle counts: one decimal below 100 ("3.5"), whole numbers from 100 ("1234").
std::string format_cycles(double c);

// Ratio: "0.05x", "1.00x", "12.3x", "1234x".
std::string format_ratio(double r);

// Readable fixed-width table: case, min, median, p99, ratio to `ref_key`, extra, and a note or the
// skip/failure reason. Ends with a newline.
std::string format_table(const std::vector<Row>& rows, const std::string& ref_key);

// CSV: a field quoted (RFC 4180) when it holds a comma, a quote, CR or LF.
std::string csv_escape(const std::string& field);

// The header line (no newline): see tools/probe/README.md for the meaning of each column.
std::string csv_header();

// One data line (no newline) for `row`; ratios against `ref_key`.
std::string csv_line(const std::vector<Row>& rows, const Row& row, const std::string& ref_key);

// A metadata comment line "# key: value" (gnuplot and most CSV readers skip '#' lines); newlines
// in value become spaces.
std::string csv_comment(const std::string& key, const std::string& value);

}  // namespace probe
