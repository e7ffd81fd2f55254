// Result rows of the silicon probe and their table / CSV rendering: see table.hpp.
#include "tools/probe/table.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>

namespace probe {

const char* status_name(Status s) {
    switch (s) {
        case Status::Ok: return "ok";
        case Status::Skipped: return "skipped";
        case Status::Failed: return "failed";
    }
    return "?";
}

const Row* find_row(const std::vector<Row>& rows, const std::string& key) {
    for (const Row& r : rows)
        if (r.key == key) return &r;
    return nullptr;
}

std::optional<double> ratio_to(const std::vector<Row>& rows, const Row& row, const std::string& ref_key) {
    const Row* ref = find_row(rows, ref_key);
    if (!ref || ref->status != Status::Ok || row.status != Status::Ok) return std::nullopt;
    if (!(ref->stats.median > 0)) return std::nullopt;
    return row.stats.median / ref->stats.median;
}

std::optional<double> extra_cycles(const std::vector<Row>& rows, const Row& row) {
    if (row.extra_over.empty() || row.status != Status::Ok) return std::nullopt;
    const Row* base = find_row(rows, row.extra_over);
    if (!base || base->status != Status::Ok) return std::nullopt;
    return row.stats.median - base->stats.median;
}

std::string format_cycles(double c) {
    char buf[48];
    if (std::fabs(c) < 99.95)
        std::snprintf(buf, sizeof buf, "%.1f", c);
    else
        std::snprintf(buf, sizeof buf, "%.0f", c);
    return buf;
}

std::string format_ratio(double r) {
    char buf[48];
    if (r < 9.995)
        std::snprintf(buf, sizeof buf, "%.2fx", r);
    else if (r < 99.95)
        std::snprintf(buf, sizeof buf, "%.1fx", r);
    else
        std::snprintf(buf, sizeof buf, "%.0fx", r);
    return buf;
}

namespace {

std::string pad_right(const std::string& s, std::size_t w) {
    return s.size() >= w ? s : s + std::string(w - s.size(), ' ');
}

std::string pad_left(const std::string& s, std::size_t w) {
    return s.size() >= w ? s : std::string(w - s.size(), ' ') + s;
}

std::string num(double v) {
    char buf[48];
    // Shortest round-trip-ish form for CSV: up to 3 decimals, trailing zeros trimmed.
    std::snprintf(buf, sizeof buf, "%.3f", v);
    std::string s = buf;
    if (s.find('.') != std::string::npos) {
        while (!s.empty() && s.back() == '0') s.pop_back();
        if (!s.empty() && s.back() == '.') s.pop_back();
    }
    if (s == "-0") s = "0";
    return s;
}

}  // namespace

std::string format_table(const std::vector<Row>& rows, const std::string& ref_key) {
    const Row* ref = find_row(rows, ref_key);
    const std::string ratio_head = "x " + (ref ? ref->key : ref_key);
    std::size_t wcase = 4;
    for (const Row& r : rows) wcase = std::max(wcase, r.label.size());

    struct Cells {
        std::string label, min, med, p99, ratio, extra, note;
    };
    std::vector<Cells> cells;
    for (const Row& r : rows) {
        Cells c;
        c.label = r.label;
        if (r.status == Status::Ok) {
            c.min = format_cycles(r.stats.min);
            c.med = format_cycles(r.stats.median);
            c.p99 = format_cycles(r.stats.p99);
            auto ratio = ratio_to(rows, r, ref_key);
            c.ratio = ratio ? format_ratio(*ratio) : "-";
            auto extra = extra_cycles(rows, r);
            c.extra = extra ? ((*extra >= 0 ? "+" : "") + format_cycles(*extra)) : "";
            c.note = r.note;
        } else {
            c.min = c.med = c.p99 = c.ratio = "-";
            c.note = std::string(status_name(r.status)) + ": " + r.reason;
        }
        cells.push_back(c);
    }
    std::size_t wn = 6, wr = std::max<std::size_t>(7, ratio_head.size()), we = 7;
    for (const Cells& c : cells) {
        wn = std::max({wn, c.min.size(), c.med.size(), c.p99.size()});
        wr = std::max(wr, c.ratio.size());
        we = std::max(we, c.extra.size());
    }
    std::string out;
    auto line = [&](const std::string& a, const std::string& b, const std::string& c, const std::string& d,
                    const std::string& e, const std::string& f, const std::string& g) {
        std::string l = pad_right(a, wcase) + "  " + pad_left(b, wn) + "  " + pad_left(c, wn) + "  " +
                        pad_left(d, wn) + "  " + pad_left(e, wr) + "  " + pad_left(f, we);
        if (!g.empty()) l += "  " + g;
        while (!l.empty() && l.back() == ' ') l.pop_back();
        out += l + "\n";
    };
    line("case", "min", "median", "p99", ratio_head, "extra", "note");
    out += std::string(wcase + 2 + 3 * (wn + 2) + wr + 2 + we, '-') + "\n";
    for (const Cells& c : cells) line(c.label, c.min, c.med, c.p99, c.ratio, c.extra, c.note);
    return out;
}

std::string csv_escape(const std::string& field) {
    if (field.find_first_of(",\"\r\n") == std::string::npos) return field;
    std::string out = "\"";
    for (char ch : field) {
        if (ch == '"') out += '"';
        out += ch;
    }
    out += '"';
    return out;
}

std::string csv_header() {
    return "case,label,status,reason,samples,ops_per_sample,min_cycles,median_cycles,p99_cycles,max_cycles,"
           "ratio_to_far_call,extra_over,extra_cycles,note";
}

std::string csv_line(const std::vector<Row>& rows, const Row& row, const std::string& ref_key) {
    const bool ok = row.status == Status::Ok;
    auto ratio = ratio_to(rows, row, ref_key);
    auto extra = extra_cycles(rows, row);
    std::string l;
    l += csv_escape(row.key) + ",";
    l += csv_escape(row.label) + ",";
    l += std::string(status_name(row.status)) + ",";
    l += csv_escape(row.reason) + ",";
    l += (ok ? std::to_string(row.stats.count) : std::string()) + ",";
    l += std::to_string(row.ops_per_sample) + ",";
    l += (ok ? num(row.stats.min) : std::string()) + ",";
    l += (ok ? num(row.stats.median) : std::string()) + ",";
    l += (ok ? num(row.stats.p99) : std::string()) + ",";
    l += (ok ? num(row.stats.max) : std::string()) + ",";
    l += (ratio ? num(*ratio) : std::string()) + ",";
    l += csv_escape(row.extra_over) + ",";
    l += (extra ? num(*extra) : std::string()) + ",";
    l += csv_escape(row.note);
    return l;
}

std::string csv_comment(const std::string& key, const std::string& value) {
    std::string v = value;
    for (char& ch : v)
        if (ch == '\n' || ch == '\r') ch = ' ';
    return "# " + key + ": " + v;
}

}  // namespace probe
