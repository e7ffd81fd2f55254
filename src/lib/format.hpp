// A small printf-style formatter, pure so the host tests can pin it.
// Supports %s %c %d %u %x %X %p %% with optional '-'/'0' flags and width, a precision for %s
// ("%.*s" prints a counted string), and the 'l'/'ll' length
// (64-bit values are printed in hex only: decimal u64 would need libgcc's division).
#pragma once
#include <stdarg.h>
#include "src/lib/types.hpp"

// A sink receives formatted characters; the formatter never allocates.
struct Sink {
    virtual void put(char c) = 0;

protected:
    ~Sink() = default;
};

void vformat(Sink& out, const char* fmt, va_list ap);

// Formats into buf (always NUL-terminated when cap > 0); returns the length the full output needed.
usize format(char* buf, usize cap, const char* fmt, ...) __attribute__((format(printf, 3, 4)));
