#include "src/console.hpp"
#include "src/dev/serial.hpp"
#include "src/dev/vga.hpp"
#include "src/lib/format.hpp"

namespace console {
namespace {
bool g_serial = false, g_vga = false;
}

void init(bool use_serial, bool use_vga) {
    g_serial = use_serial && serial::present();
    g_vga = use_vga;
    if (g_vga) vga::init();
}

bool serial_on() { return g_serial; }
void ensure_serial() { g_serial = serial::present(); }

void put(char c) {
    if (g_serial) {
        if (c == '\n') serial::put('\r');
        serial::put(c);
    }
    if (g_vga) vga::put(c);
}

void write(const char* s) {
    while (*s) put(*s++);
}
}  // namespace console

namespace {
struct ConsoleSink final : Sink {
    void put(char c) override { console::put(c); }
};
}  // namespace

void kvprintf(const char* fmt, va_list ap) {
    ConsoleSink sink;
    vformat(sink, fmt, ap);
}

void kprintf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}
