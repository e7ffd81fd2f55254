#include "src/console.hpp"
#include "src/dev/serial.hpp"
#include "src/dev/vga.hpp"
#include "drivers/lib/abi.hpp"
#include "src/drv/registry.hpp"
#include "src/lib/format.hpp"

namespace console {
namespace {
bool g_serial = false, g_vga = false;
bool g_fallback_only = false;
// Gates of the console drivers once they are up (0: use the kernel's own code).
u16 g_serial_gate = 0, g_vga_gate = 0;
u32 g_serial_driver = 0, g_vga_driver = 0;

// Through the driver when it is up and not already running on this thread (a fault report from
// inside the console driver must not call into it again); else the kernel's fallback code.
bool via_driver(u16 gate, u32 driver, char c) {
    if (!gate || g_fallback_only || !drv::callable(driver)) return false;
    return !drvabi::is_error(gh_call_gate(gate, u8(c), 0, 0));
}
}  // namespace

void attach_drivers() {
    if (const drv::GateEntry* g = drv::find_gate("serial.putc")) {
        g_serial_gate = g->gate;
        g_serial_driver = drv::gh_exports_driver(g->export_id);
    }
    if (const drv::GateEntry* g = drv::find_gate("vga.putc")) {
        g_vga_gate = g->gate;
        g_vga_driver = drv::gh_exports_driver(g->export_id);
    }
}

const char* describe() {
    if (g_serial_gate && g_vga_gate) return "serial and vga drivers";
    if (g_serial_gate) return "serial driver, kernel vga";
    if (g_vga_gate) return "kernel serial, vga driver";
    return "kernel fallback code";
}

void init(bool use_serial, bool use_vga) {
    g_serial = use_serial && serial::present();
    g_vga = use_vga;
    if (g_vga) vga::init();
}

bool serial_on() { return g_serial; }
void ensure_serial() {
    g_serial = serial::present();
    g_fallback_only = true;  // the end of a run: the kernel's own code, whatever state drivers are in
}

void put(char c) {
    if (g_serial) {
        if (c == '\n' && !via_driver(g_serial_gate, g_serial_driver, '\r')) serial::put('\r');
        if (!via_driver(g_serial_gate, g_serial_driver, c)) serial::put(c);
    }
    if (g_vga && !via_driver(g_vga_gate, g_vga_driver, c)) vga::put(c);
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
