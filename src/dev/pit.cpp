#include "src/dev/pit.hpp"
#include "src/arch/x86.hpp"
#include "src/dev/pic.hpp"

// Also read by the gate stubs (call start time, for the driver watchdog).
extern "C" volatile u32 gh_tick_count;
volatile u32 gh_tick_count = 0;

namespace pit {
namespace {
volatile u32& g_ticks = gh_tick_count;
enum : u16 { kChannel0 = 0x40, kCommand = 0x43 };
constexpr u8 kCh0RateGenerator = 0x34;  // channel 0, lobyte/hibyte, mode 2, binary
}  // namespace

void init() {
    u16 d = divisor(kTickHz);
    x86::outb(kCommand, kCh0RateGenerator);
    x86::outb(kChannel0, u8(d));
    x86::outb(kChannel0, u8(d >> 8));
    pic::unmask(0);
}

void on_tick() { g_ticks = g_ticks + 1; }
u32 ticks() { return g_ticks; }
u32 ms_since_boot() { return g_ticks * (1000 / kTickHz); }
}  // namespace pit
