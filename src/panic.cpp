#include "src/panic.hpp"
#include <stdarg.h>
#include "src/arch/x86.hpp"
#include "src/console.hpp"

namespace {
bool g_halt_instead = false;
void (*g_panic_note)() = nullptr;
}  // namespace

void set_halt_instead_of_poweroff(bool halt) { g_halt_instead = halt; }
void set_panic_note(void (*note)()) { g_panic_note = note; }

[[noreturn]] void poweroff(bool ok) {
    x86::cli();
    console::ensure_serial();
    kprintf("gatehouse: poweroff %s\n", ok ? "ok" : "fail");
    if (!g_halt_instead) {
        // Bochs: the string "Shutdown" on port 0x8900 ends the simulation.
        for (const char* s = "Shutdown"; *s; s++) x86::outb(0x8900, u8(*s));
        // QEMU: isa-debug-exit at 0xf4 (the runner adds the device); exit status is (v << 1) | 1.
        x86::outb(0xF4, ok ? 0 : 1);
    }
    kprintf("gatehouse: halted; it is now safe to turn off the computer\n");
    for (;;) x86::hlt();
}

[[noreturn]] void panic(const char* fmt, ...) {
    x86::cli();
    console::ensure_serial();
    console::write("PANIC: ");
    va_list ap;
    va_start(ap, fmt);
    kvprintf(fmt, ap);
    va_end(ap);
    console::put('\n');
    if (void (*note)() = g_panic_note) {
        g_panic_note = nullptr;  // a panic inside the note must not recurse
        note();
    }
    poweroff(false);
}
