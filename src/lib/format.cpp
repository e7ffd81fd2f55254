#include "src/lib/format.hpp"

namespace {

void put_str(Sink& out, const char* s, int width, bool left, int precision) {
    if (!s) s = "(null)";
    int n = 0;
    while ((precision < 0 || n < precision) && s[n]) n++;
    if (!left)
        for (int i = n; i < width; i++) out.put(' ');
    for (int i = 0; i < n; i++) out.put(s[i]);
    if (left)
        for (int i = n; i < width; i++) out.put(' ');
}

// Digits of a 32-bit value in base 10 or 16 (32-bit division only).
void put_u32(Sink& out, u32 v, unsigned base, bool upper, int width, char pad, bool neg) {
    char tmp[12];
    int n = 0;
    const char* digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    do {
        tmp[n++] = digits[v % base];
        v /= base;
    } while (v);
    int len = n + (neg ? 1 : 0);
    if (neg && pad == '0') out.put('-');
    for (int i = len; i < width; i++) out.put(pad);
    if (neg && pad != '0') out.put('-');
    while (n) out.put(tmp[--n]);
}

void put_hex64(Sink& out, u64 v, bool upper, int width, char pad) {
    u32 hi = u32(v >> 32), lo = u32(v);
    if (!hi) return put_u32(out, lo, 16, upper, width, pad, false);
    put_u32(out, hi, 16, upper, width - 8, pad, false);
    put_u32(out, lo, 16, upper, 8, '0', false);
}

}  // namespace

void vformat(Sink& out, const char* fmt, va_list ap) {
    for (const char* p = fmt; *p; p++) {
        if (*p != '%') {
            out.put(*p);
            continue;
        }
        p++;
        bool left = false;
        char pad = ' ';
        if (*p == '-') { left = true; p++; }
        if (*p == '0') { pad = '0'; p++; }
        int width = 0;
        while (*p >= '0' && *p <= '9') width = width * 10 + (*p++ - '0');
        int precision = -1;  // only %s uses it: "%.*s" prints a counted string
        if (*p == '.') {
            p++;
            if (*p == '*') {
                precision = va_arg(ap, int);
                p++;
            } else {
                precision = 0;
                while (*p >= '0' && *p <= '9') precision = precision * 10 + (*p++ - '0');
            }
        }
        int longs = 0;
        while (*p == 'l') { longs++; p++; }
        switch (*p) {
        case 's': put_str(out, va_arg(ap, const char*), width, left, precision); break;
        case 'c': out.put(char(va_arg(ap, int))); break;
        case 'd': {
            i32 v = va_arg(ap, i32);
            bool neg = v < 0;
            put_u32(out, neg ? u32(0) - u32(v) : u32(v), 10, false, width, pad, neg);
            break;
        }
        case 'u': put_u32(out, va_arg(ap, u32), 10, false, width, pad, false); break;
        case 'x':
        case 'X':
            if (longs >= 2) put_hex64(out, va_arg(ap, u64), *p == 'X', width, pad);
            else put_u32(out, va_arg(ap, u32), 16, *p == 'X', width, pad, false);
            break;
        case 'p':
            out.put('0'); out.put('x');
            put_u32(out, u32(uptr(va_arg(ap, void*))), 16, false, 8, '0', false);
            break;
        case '%': out.put('%'); break;
        case '\0': return;
        default: out.put('%'); out.put(*p); break;
        }
    }
}

namespace {
struct BufSink final : Sink {
    char* buf;
    usize cap;
    usize n = 0;
    BufSink(char* b, usize c) : buf(b), cap(c) {}
    void put(char c) override {
        if (n + 1 < cap) buf[n] = c;
        n++;
    }
};
}  // namespace

usize format(char* buf, usize cap, const char* fmt, ...) {
    BufSink s(buf, cap);
    va_list ap;
    va_start(ap, fmt);
    vformat(s, fmt, ap);
    va_end(ap);
    if (cap) buf[s.n < cap ? s.n : cap - 1] = '\0';
    return s.n;
}
