#include "user/lib/io.hpp"
#include <stdarg.h>

namespace {
// Buffers a line's worth so a formatted line is one system call.
struct WriteSink final : Sink {
    char buf[128];
    u32 n = 0, total = 0;
    void flush() {
        if (n) sys_write(buf, n);
        n = 0;
    }
    void put(char c) override {
        buf[n++] = c;
        total++;
        if (n == sizeof buf || c == '\n') flush();
    }
};
}  // namespace

int printf(const char* fmt, ...) {
    WriteSink out;
    va_list ap;
    va_start(ap, fmt);
    vformat(out, fmt, ap);
    va_end(ap);
    out.flush();
    return int(out.total);
}
