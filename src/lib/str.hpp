// A non-owning string view and the few string helpers the kernel needs (no libc).
#pragma once
#include "src/lib/result.hpp"

usize str_len(const char* s);

struct Str {
    const char* p = nullptr;
    usize n = 0;

    constexpr Str() = default;
    constexpr Str(const char* s, usize len) : p(s), n(len) {}
    Str(const char* s) : p(s), n(s ? str_len(s) : 0) {}

    bool empty() const { return n == 0; }
    bool eq(Str o) const;
    bool starts_with(Str prefix) const;
    // Index of the first c, or n when absent.
    usize find(char c) const;
    Str sub(usize from, usize len = ~usize(0)) const;
};

// Splits off the next token delimited by `sep` from `rest` (empty tokens are kept).
// Returns false when `rest` is exhausted.
bool next_token(Str& rest, char sep, Str& token);

// Decimal or 0x-hex, no sign, no junk, no overflow.
Result<u32> parse_u32(Str s);
