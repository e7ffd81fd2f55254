// Kernel console: formatted output to COM1 and/or VGA text, as chosen by console= (docs/cmdline.md).
#pragma once
#include <stdarg.h>
#include "src/lib/types.hpp"

namespace console {
void init(bool serial, bool vga);
bool serial_on();
// The end of a run (PANIC and the poweroff verdict) always reaches COM1 when a UART exists, even
// with console=vga: the runner reads the verdict there (docs/serial.md).
void ensure_serial();
// After the drivers load: route output through serial.putc and vga.putc when they exist.
void attach_drivers();
const char* describe();
// Shift+PgUp/PgDn: scroll the screen's view back (> 0) or forward; lines now scrolled back.
u32 scroll_view(i32 lines);
bool debugcon_on();  // a debug console at port 0xE9 (QEMU -debugcon) gets a copy of everything
// Muted, kprintf prints nothing (the fault-injection campaign: thousands of contained faults a
// second, each with a report, would spend its time in the UART). PANIC and the verdict unmute.
void set_muted(bool muted);
bool muted();
// On: output through the kernel's own code only, never a console driver (the #DF task: a ring-1
// driver run from it would use that task's TSS, which has neither the drivers' I/O bitmap nor a
// ring-0 stack). Returns the previous setting.
bool set_kernel_code_only(bool on);
void put(char c);
// While one exists, output goes to the serial line and the debug console only, not the screen:
// machine-readable lines (the benchmark's CSV) that would break up what is on it.
struct LogOnly {
    LogOnly();
    ~LogOnly();
    LogOnly(const LogOnly&) = delete;
    LogOnly& operator=(const LogOnly&) = delete;
};
void write(const char* s);
}  // namespace console

void kprintf(const char* fmt, ...) __attribute__((format(printf, 1, 2)));
void kvprintf(const char* fmt, va_list ap);
