#include "src/trap/idt.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/layout.hpp"
#include "src/arch/x86.hpp"

extern "C" const u32 trap_stub_table[48];
extern "C" const u32 trap_stub_syscall;

namespace idt {
namespace {
alignas(8) u64 g_idt[kEntries];
constexpr u8 kDoubleFault = 8;
}

void init() {
    for (u32 v = 0; v < 48; v++) g_idt[v] = desc::int_gate(gdt::kKernelCS, trap_stub_table[v], 0);
    // #DF runs as its own task with its own stack: the fault that caused it may be a broken
    // stack ([intel/vol3] §6.15, interrupt 8; §7.3 task switching).
    g_idt[kDoubleFault] = desc::task_gate(gdt::kDfTss, 0);
    // INT 0x80 from ring 3: the only gate with DPL 3 ([intel/vol3] §6.12.1.1).
    g_idt[kSyscallVector] = desc::int_gate(gdt::kKernelCS, trap_stub_syscall, 3);
    x86::lidt({u16(sizeof(g_idt) - 1), u32(uptr(g_idt))});
}

u64 get(u8 vector) { return g_idt[vector]; }
void set(u8 vector, u64 descriptor) { g_idt[vector] = descriptor; }
}  // namespace idt
