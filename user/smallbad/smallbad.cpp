// smallbad: a small server that, on its first message, does one forbidden thing (its argument
// names which) and must be killed for it; if it survives it replies 0x5AFE plus what it saw, so
// the client (user/smalltest) fails the check. The message word carries what the attack needs:
// another small server's slot (kinds 3, 4) or data selector (kind 6).
//   1 read past its limit            6 load another small server's data selector into ES
//   2 write past its limit           7 load the flat user data selector 0x23 into DS
//   3 read another slot              8 far return to flat ring 3 (CS 0x1B, SS 0x23)
//   4 write another slot             9 SYSENTER (SYSEXIT would return flat ring-3 CS/SS)
//   5 read the client's memory      10 load the kernel's data selector 0x10
// 1-5 are stopped by the segment limit only (Bochs, real CPUs; QEMU does not enforce limits).
#include "user/lib/syscall.hpp"

namespace {
IpcMsg g_msg;
constexpr u32 kSlotBytes = 4u << 20, kRegionBase = 0xB0000000, kClientImage = 0x00400000;

u32 read_at(u32 off) { return *reinterpret_cast<volatile u32*>(off); }
void write_at(u32 off, u32 v) { *reinterpret_cast<volatile u32*>(off) = v; }

u32 attack(u32 kind, u32 word) {
    u32 mine = sys_small_info(0, sys::kSmallSlot);
    u32 my_base = kRegionBase + mine * kSlotBytes;
    switch (kind) {
    case 1: return read_at(kSlotBytes);
    case 2: write_at(kSlotBytes + 0x100, 0x5A5A5A5A); return 0;
    case 3: return read_at((word - mine) * kSlotBytes + 0x1000);                 // its code page
    case 4: write_at((word - mine) * kSlotBytes + kSlotBytes - 64, 0xBAD); return 0;  // its stack
    case 5: return read_at(kClientImage - my_base);                              // wraps to 0x400000
    case 6: asm volatile("mov %0, %%es" ::"r"(word)); return 0;
    case 7: asm volatile("mov %0, %%ds" ::"r"(0x23u)); return 0;
    case 8: asm volatile("pushl $0x23; pushl %%esp; pushl $0x1b; pushl $0x1000; lret" ::: "memory"); return 0;
    case 9: asm volatile("mov %%esp, %%ecx; mov $1f, %%edx; sysenter; 1:" ::: "ecx", "edx", "memory"); return 0;
    case 10: asm volatile("mov %0, %%ds" ::"r"(0x10u)); return 0;
    default: return 0;
    }
}
}  // namespace

extern "C" int main(u32 kind) {
    g_msg.len = 0;
    u32 word = sys_ipc_reply_wait(0, 0, &g_msg);
    u32 seen = attack(kind, word);
    g_msg.len = 4;
    for (u32 i = 0; i < 4; i++) g_msg.data[i] = u8(seen >> (8 * i));
    sys_ipc_reply_wait(g_msg.sender, 0x5AFE, &g_msg);
    return 0;
}
