#include "src/console.hpp"
#include "src/dev/serial.hpp"
#include "src/dev/vga.hpp"
#include "drivers/lib/abi.hpp"
#include "src/drv/registry.hpp"
#include "src/lib/format.hpp"
#include "src/arch/x86.hpp"

namespace console {
namespace {
bool g_serial = false, g_vga = false;
bool g_fallback_only = false;
bool g_muted = false;
// Gates of the console drivers once they are up (0: use the kernel's own code).
u16 g_serial_gate = 0, g_vga_gate = 0;
u32 g_serial_driver = 0, g_vga_driver = 0;
// Who wrote the screen last: when the other one takes over it first adopts the screen as it is
// (cells and cursor), so neither overwrites the other's lines mid-screen.
bool g_vga_by_driver = false;
// QEMU's -debugcon and Bochs' port_e9_hack answer 0xE9 on a read of port 0xE9; an ISA bus
// with nothing there reads 0xFF. Found: every console byte goes there too (the runner's log for a
// machine without COM1, SERIAL=none in tools/run-emu.sh).
constexpr u16 kDebugcon = 0xE9;
bool g_debugcon = false;
u32 g_log_only = 0;  // LogOnly scopes open

// Through the driver when it is up and not already running on this thread (a fault report from
// inside the console driver must not call into it again); else the kernel's fallback code.
bool via_driver(u16 gate, u32 driver, char c) {
    if (!gate || g_fallback_only || !drv::callable(driver)) return false;
    return !drvabi::is_error(gh_call_gate(gate, u8(c), 0, 0));
}
void put_vga(char c) {
    bool driver = g_vga_gate && !g_fallback_only && drv::callable(g_vga_driver);
    if (driver && !g_vga_by_driver) {
        if (const drv::GateEntry* g = drv::find_gate("vga.adopt")) (void)gh_call_gate(g->gate, 0, 0, 0);
        g_vga_by_driver = true;
    }
    if (driver && via_driver(g_vga_gate, g_vga_driver, c)) return;
    if (g_vga_by_driver) vga::adopt();
    g_vga_by_driver = false;
    vga::put(c);
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
        g_vga_by_driver = true;  // its init adopted the screen
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
    g_debugcon = x86::inb(kDebugcon) == kDebugcon;
    if (g_vga) vga::init();
}

bool debugcon_on() { return g_debugcon; }

u32 scroll_view(i32 lines) {
    if (!g_vga) return 0;
    if (g_vga_by_driver && g_vga_gate && !g_fallback_only && drv::callable(g_vga_driver)) {
        if (const drv::GateEntry* g = drv::find_gate("vga.scroll")) {
            u32 r = gh_call_gate(g->gate, u32(lines), 0, 0);
            if (!drvabi::is_error(r)) return r;
        }
    }
    return vga::scroll_view(lines);
}

bool serial_on() { return g_serial; }
void set_muted(bool m) { g_muted = m; }
bool muted() { return g_muted; }
bool set_kernel_code_only(bool on) {
    bool was = g_fallback_only;
    g_fallback_only = on;
    return was;
}
void ensure_serial() {
    g_serial = serial::present();
    g_fallback_only = true;  // the end of a run: the kernel's own code, whatever state drivers are in
    g_muted = false;
}

void put(char c) {
    if (g_serial) {
        if (c == '\n' && !via_driver(g_serial_gate, g_serial_driver, '\r')) serial::put('\r');
        if (!via_driver(g_serial_gate, g_serial_driver, c)) serial::put(c);
    }
    if (g_debugcon) {
        if (c == '\n') x86::outb(kDebugcon, '\r');
        x86::outb(kDebugcon, u8(c));
    }
    if (g_vga && !g_log_only) put_vga(c);
}

LogOnly::LogOnly() { g_log_only++; }
LogOnly::~LogOnly() { g_log_only--; }

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
    if (console::muted()) return;
    ConsoleSink sink;
    vformat(sink, fmt, ap);
}

void kprintf(const char* fmt, ...) {
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
}
