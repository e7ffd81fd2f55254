// System-call sites (docs/syscalls.md): choosing the mechanism, and patching a site once.
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "seg/call_site.hpp"
#include "seg/guarded.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/trap/report.hpp"
#include "src/proc/internal.hpp"
#include "src/proc/process.hpp"
#include "src/proc/small_space.hpp"

extern "C" const u32 syscall_gate_stubs[64];
extern "C" char syscall_sysenter_entry[];

namespace proc {
namespace {
enum : u32 { kMsrSysenterCs = 0x174, kMsrSysenterEsp = 0x175, kMsrSysenterEip = 0x176 };
Mech g_mech = Mech::Gate;
u16 g_gates[kMaxSyscalls];  // DPL-3 call gates, made when a site first needs one
SiteCounts g_sites;
// SYSENTER's stack: one per CPU, used only for the entry's first instruction, which moves to the
// thread's kernel stack (TSS.esp0, src/proc/syscall_entry.asm), so a thread switch writes no MSR.
// A single-step trap on that first instruction (a program's TF, src/trap/trap.cpp) runs here.
alignas(16) u8 g_sysenter_stack[4096];
}  // namespace
}  // namespace proc
extern "C" bool gh_sysenter_ready;  // the IPC fast path writes IA32_SYSENTER_CS only where it exists
bool gh_sysenter_ready = false;
namespace proc {
namespace {
bool& g_sysenter_ready = gh_sysenter_ready;
}

bool sysenter_ready() { return g_sysenter_ready; }

Mech mechanism() { return g_mech; }

Result<u16> gate_for(u32 n) {
    if (n >= kMaxSyscalls) return Err::Range;
    if (!g_gates[n]) g_gates[n] = TRY(gdt::alloc("syscall", desc::call_gate(gdt::kKernelCS, syscall_gate_stubs[n], 3)));
    return g_gates[n];
}
Mech current_mechanism() { return g_mech; }
SiteCounts patched_sites() { return g_sites; }

void init_syscalls(SyscallSel requested, const CpuInfo& cpu) {
    MechChoice c = choose_mechanism(requested, cpu);
    g_mech = c.mech;
    if (c.refused) kprintf("syscall: %s\n", c.why);
    kprintf("syscall: user programs enter the kernel by %s (%s)\n", mech_name(g_mech), c.refused ? "fallback" : c.why);
    // Every way in the CPU has stays open, whichever one the sites are patched to (as INT 0x80
    // always is): a program may SYSENTER on its own, and each entry must hold against it.
    g_sysenter_ready = cpu.sep_usable;
    if (g_sysenter_ready) {
        x86::wrmsr(kMsrSysenterCs, gdt::kKernelCS);
        x86::wrmsr(kMsrSysenterEsp, u32(uptr(g_sysenter_stack + sizeof g_sysenter_stack)));
        x86::wrmsr(kMsrSysenterEip, u32(uptr(syscall_sysenter_entry)));
    }
}

void print_syscalls() {
    kprintf("syscall: mechanism %s; patched sites: %u sysenter, %u gate, %u int; %u in small spaces (gate)\n",
            mech_name(g_mech), g_sites.sysenter, g_sites.gate, g_sites.int80, g_sites.small_gate);
    kprintf("syscall: %u single-step traps from programs' TF ignored\n", trap_single_steps_ignored());
    IpcCounts ipc = ipc_counts();
    kprintf("syscall: IPC fast path %u, C++ path %u\n", ipc.fast, ipc.slow);
    small::print();  // each small server, and what its sites became
}

// Rewrite a system-call site through the physical pages behind it (the kernel's direct map is
// the writable alias: the user's code pages stay read-only, CR0.WP stays on). Only pages of the
// program's own image are patched: site bytes found in a shared page (the RAM disk) or on the
// stub page are left alone, and their #GP kills the program like any other. IF = 0 here.
//
// The mechanism is chosen per process: a small server's sites become call gates (or INT 0x80
// where forced), never SYSENTER — SYSEXIT would return it with flat ring-3 CS/SS — and its EIP
// is an offset in its slot, read and written through the slot (src/proc/small_space.cpp).
bool patch_syscall_site(u32 eip) {
    Process& me = current();
    bool small_space = me.slot != 0;
    if (small_space ? !small::range_ok(eip, callsite::kBytes) : !user_range_ok(eip, callsite::kBytes)) return false;
    u32 at = small_space ? small::linear(me, eip) : eip;
    u8 site[callsite::kBytes];
    if (guarded_copy(site, reinterpret_cast<const void*>(uptr(at)), sizeof site) != 0) return false;
    auto number = callsite::decode_syscall(site);
    if (!number.ok()) return false;
    u32 n = number.value();
    Mech mech = small::site_mechanism(g_mech, small_space);
    u8 patched[callsite::kBytes];
    if (n >= kMaxSyscalls || mech == Mech::Int80) {
        callsite::encode_int80(patched, n);  // a number without a stub or gate still gets its error
        (small_space ? g_sites.small_gate : g_sites.int80)++;
    } else if (mech == Mech::Sysenter) {
        callsite::encode_near_call(patched, eip, kStubPage + n * kStubBytes);
        g_sites.sysenter++;
    } else {
        auto gate = gate_for(n);
        if (!gate.ok()) return false;
        callsite::encode_direct(patched, 0, u16(gate.value() | 3));
        (small_space ? g_sites.small_gate : g_sites.gate)++;
    }
    u32 phys[callsite::kBytes];
    for (u32 i = 0; i < callsite::kBytes; i++) {  // a site may straddle two pages: map both first
        // the program's own image only
        auto p = small_space ? small::translate(me, eip + i, false, true) : me.as.translate_for_patch(eip + i);
        if (!p.ok()) return false;
        phys[i] = p.value();
    }
    for (u32 i = 0; i < callsite::kBytes; i++) *mm::p2v<volatile u8>(phys[i]) = patched[i];
    return true;
}

}  // namespace proc
