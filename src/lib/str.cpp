#include "src/lib/str.hpp"

bool mem_eq(const void* a, const void* b, usize n) {
    auto* x = static_cast<const u8*>(a);
    auto* y = static_cast<const u8*>(b);
    for (usize i = 0; i < n; i++)
        if (x[i] != y[i]) return false;
    return true;
}

bool Str::eq(Str o) const { return n == o.n && mem_eq(p, o.p, n); }

bool Str::starts_with(Str prefix) const { return prefix.n <= n && mem_eq(p, prefix.p, prefix.n); }

usize Str::find(char c) const {
    for (usize i = 0; i < n; i++)
        if (p[i] == c) return i;
    return n;
}

Str Str::sub(usize from, usize len) const {
    if (from > n) from = n;
    usize max = n - from;
    return Str(p + from, len < max ? len : max);
}

bool next_token(Str& rest, char sep, Str& token) {
    if (!rest.p) return false;
    usize at = rest.find(sep);
    token = rest.sub(0, at);
    if (at == rest.n) rest = Str();  // that was the last token
    else rest = rest.sub(at + 1);
    return true;
}

Result<u32> parse_u32(Str s) {
    u32 base = 10;
    if (s.starts_with("0x") || s.starts_with("0X")) {
        base = 16;
        s = s.sub(2);
    }
    if (s.empty()) return Err::Invalid;
    u32 v = 0;
    bool overflow = false;
    for (usize i = 0; i < s.n; i++) {
        char c = s.p[i];
        u32 d;
        if (c >= '0' && c <= '9') d = u32(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f') d = u32(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F') d = u32(c - 'A' + 10);
        else return Err::Invalid;  // junk wins over overflow: "99999999999x" is not a number at all
        // 32-bit math only (no libgcc): v * base + d <= 0xFFFFFFFF  <=>  v <= (0xFFFFFFFF - d) / base.
        if (v > (0xFFFFFFFFu - d) / base) overflow = true;
        else v = v * base + d;
    }
    if (overflow) return Err::Range;
    return v;
}
