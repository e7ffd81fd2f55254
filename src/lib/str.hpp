// A non-owning string view and the few string helpers the kernel needs (no libc). Pure: used by
// the command-line parser, the driver loader and the host tests alike.
#pragma once
#include "src/lib/result.hpp"

// Length of a NUL-terminated string. constexpr so a Str from a literal folds at compile time.
constexpr usize str_len(const char* s) {
    usize n = 0;
    while (s[n]) n++;
    return n;
}

// True when the n bytes at a and b are equal (n == 0: always true).
bool mem_eq(const void* a, const void* b, usize n);

struct Str {
    const char* p = nullptr;
    usize n = 0;

    constexpr Str() = default;
    constexpr Str(const char* s, usize len) : p(s), n(len) {}
    constexpr Str(const char* s) : p(s), n(s ? str_len(s) : 0) {}  // NOLINT: implicit on purpose

    constexpr bool empty() const { return n == 0; }
    bool eq(Str o) const;
    bool starts_with(Str prefix) const;
    // Index of the first c, or n when absent.
    usize find(char c) const;
    // Up to len bytes from `from`; both are clamped to the view, never past it.
    Str sub(usize from, usize len = ~usize(0)) const;
};

// Splits off the next token delimited by `sep` from `rest` (empty tokens are kept: "a,,b" gives
// "a", "", "b"). Returns false once `rest` is exhausted; a default Str() yields no token at all,
// Str("") yields one empty token.
bool next_token(Str& rest, char sep, Str& token);

// Decimal or 0x-hex, no sign, no spaces, no junk: Err::Invalid. Past 2^32-1: Err::Range.
Result<u32> parse_u32(Str s);
