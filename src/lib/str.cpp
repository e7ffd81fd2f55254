#include "src/lib/str.hpp"

usize str_len(const char* s) {
    usize n = 0;
    while (s[n]) n++;
    return n;
}

bool Str::eq(Str o) const {
    if (n != o.n) return false;
    for (usize i = 0; i < n; i++)
        if (p[i] != o.p[i]) return false;
    return true;
}

bool Str::starts_with(Str prefix) const { return prefix.n <= n && Str(p, prefix.n).eq(prefix); }

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
    for (usize i = 0; i < s.n; i++) {
        char c = s.p[i];
        u32 d;
        if (c >= '0' && c <= '9') d = u32(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f') d = u32(c - 'a' + 10);
        else if (base == 16 && c >= 'A' && c <= 'F') d = u32(c - 'A' + 10);
        else return Err::Invalid;
        if (v > (0xFFFFFFFFu - d) / base) return Err::Range;
        v = v * base + d;
    }
    return v;
}
