#include "src/proc/process.hpp"
#include "gdt/descriptor.hpp"
#include "gdt/gdt.hpp"
#include "gdt/tss.hpp"
#include "seg/call_site.hpp"
#include "seg/guarded.hpp"
#include "src/arch/fault_decode.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/mm/layout.hpp"
#include "src/mm/paging.hpp"
#include "src/drv/registry.hpp"
#include "src/proc/address_space.hpp"
#include "src/proc/user_image.hpp"
#include "src/trap/frame.hpp"
#include "src/trap/report.hpp"
#include "drivers/lib/abi.hpp"

namespace {
struct KernelContext {
    u32 ebx, esi, edi, ebp, esp;
};
}  // namespace

extern "C" u32 proc_run_user(u32 eip, u32 esp, KernelContext* ctx, u32 argument);
extern "C" const u32 syscall_gate_stubs[64];
extern "C" char syscall_sysenter_entry[];
extern "C" [[noreturn]] void proc_return_to_kernel(KernelContext* ctx, u32 value);

namespace proc {
u32 do_syscall(u32 n, u32 a, u32 b, u32 c);  // exit never returns

namespace {
constexpr u32 kUserLimit = mm::kKernelBase;  // user segments end at 3 GiB
constexpr u32 kStackTop = 0xBFFF0000;
constexpr u32 kStackPages = 4;
constexpr u32 kStubPage = 0xBFFF8000;  // SYSENTER stubs, one per number, in every process
constexpr u32 kStubBytes = 16;
constexpr u32 kMaxSyscalls = 64;       // src/proc/syscall_entry.asm
enum : u32 { kMsrSysenterCs = 0x174, kMsrSysenterEsp = 0x175, kMsrSysenterEip = 0x176 };
Mech g_mech = Mech::Gate;
u16 g_gates[kMaxSyscalls];             // DPL-3 call gates, made when a site first needs one
enum : u32 { kExit = 1, kWrite = 2, kGetpid = 3, kMechanism = 4, kDriverCall = 5 };  // user/lib/syscall.hpp

struct Program {
    char name[32];
    const u8* bytes;
    u32 size;
};
Program g_programs[16];
u32 g_program_count = 0;

// The running process (one at a time for now).
struct Current {
    bool active;
    char name[32];
    u32 pid;
    AddressSpace as;
    KernelContext ctx;
    bool killed;
};
Current g_cur;
u32 g_next_pid = 1;
SiteCounts g_sites;
alignas(16) u8 g_kernel_stack[8192];  // TSS.esp0 while the process runs

u32 err(Err e) { return drvabi::error_result(u32(e)); }

void copy_name(char* dst, Str s) {
    u32 n = s.n < 31 ? u32(s.n) : 31;
    for (u32 i = 0; i < n; i++) dst[i] = s.p[i];
    dst[n] = '\0';
}

// A user range [ptr, ptr + len) must end at or below the user limit, without wrapping.
bool user_range_ok(u32 ptr, u32 len) { return len <= kUserLimit && ptr <= kUserLimit - len; }

u32 sys_write(u32 ptr, u32 len) {
    if (!user_range_ok(ptr, len)) return err(Err::Range);
    char chunk[128];
    for (u32 done = 0; done < len;) {
        u32 n = len - done < sizeof chunk ? len - done : u32(sizeof chunk);
        if (guarded_copy(chunk, reinterpret_cast<const void*>(uptr(ptr + done)), n) != 0) return err(Err::Fault);
        for (u32 i = 0; i < n; i++) console::put(chunk[i]);
        done += n;
    }
    return len;
}

// A driver export by name: the name is copied in through the checked path, and only exports in
// the gate directory can be named (a program cannot reach a driver's code any other way).
u32 sys_driver_call(u32 name_ptr, u32 a, u32 b) {
    char name[2 * drv::kMaxNameLen + 2];
    u32 n = 0;
    for (; n < sizeof name; n++) {
        if (!user_range_ok(name_ptr + n, 1)) return err(Err::Range);
        if (guarded_copy(&name[n], reinterpret_cast<const void*>(uptr(name_ptr + n)), 1) != 0) return err(Err::Fault);
        if (name[n] == '\0') break;
    }
    if (n == sizeof name) return err(Err::Range);
    const drv::GateEntry* g = drv::find_gate(Str(name, n));
    if (!g) return err(Err::NotFound);
    return gh_call_gate(g->gate, a, b, 0);
}

[[noreturn]] void finish(u32 value, bool killed) {
    g_cur.killed = killed;
    proc_return_to_kernel(&g_cur.ctx, value);
}

Result<void> load(const Program& p, AddressSpace& as, u32* entry) {
    UserImage img;
    const char* why = nullptr;
    if (!parse_user_image(p.bytes, p.size, &img, &why)) {
        kprintf("proc: %s: %s; not run\n", p.name, why);
        return Err::Invalid;
    }
    for (u32 s = 0; s < img.count; s++) {
        const UserSegment& seg = img.seg[s];
        for (u32 page = seg.vaddr & ~0xFFFu; page < seg.vaddr + seg.memsz; page += mm::kPageSize) {
            u32 frame = TRY(as.map_new(page, seg.writable));
            u8* dst = mm::p2v<u8>(frame);
            for (u32 i = 0; i < mm::kPageSize; i++) {
                u32 va = page + i;
                if (va >= seg.vaddr && va - seg.vaddr < seg.filesz) dst[i] = p.bytes[seg.offset + (va - seg.vaddr)];
            }
        }
    }
    for (u32 i = 1; i <= kStackPages; i++) TRY(as.map_new(kStackTop - i * mm::kPageSize, true));
    // The SYSENTER stubs: mov eax, n / mov ecx, esp / mov edx, <its ret> / sysenter / ret.
    u8* stubs = mm::p2v<u8>(TRY(as.map_new(kStubPage, false)));
    for (u32 n = 0; n < kMaxSyscalls; n++) {
        u8* s = stubs + n * kStubBytes;
        u32 ret = kStubPage + n * kStubBytes + 14;
        const u8 code[15] = {0xB8, u8(n), u8(n >> 8), u8(n >> 16), u8(n >> 24), 0x89, 0xE1, 0xBA,
                             u8(ret), u8(ret >> 8), u8(ret >> 16), u8(ret >> 24), 0x0F, 0x34, 0xC3};
        for (u32 i = 0; i < sizeof code; i++) s[i] = code[i];
    }
    *entry = img.entry;
    return {};
}

// Rewrite a system-call site through the physical pages behind it (the kernel's direct map is
// the writable alias: the user's code pages stay read-only, CR0.WP stays on).
bool patch_syscall_site(u32 eip) {
    if (eip > kUserLimit - callsite::kBytes) return false;
    u8 site[callsite::kBytes];
    if (guarded_copy(site, reinterpret_cast<const void*>(uptr(eip)), sizeof site) != 0) return false;
    auto number = callsite::decode_syscall(site);
    if (!number.ok()) return false;
    u32 n = number.value();
    u8 patched[callsite::kBytes];
    switch (g_mech) {
    case Mech::Int80:
        callsite::encode_int80(patched, n);
        g_sites.int80++;
        break;
    case Mech::Sysenter:
        if (n >= kMaxSyscalls) callsite::encode_int80(patched, n);  // no stub: still an error result
        else callsite::encode_near_call(patched, eip, kStubPage + n * kStubBytes);
        g_sites.sysenter++;
        break;
    case Mech::Gate: {
        if (n >= kMaxSyscalls) {
            callsite::encode_int80(patched, n);
        } else {
            if (!g_gates[n]) {
                auto g = gdt::alloc("syscall", desc::call_gate(gdt::kKernelCS, syscall_gate_stubs[n], 3));
                if (!g.ok()) return false;
                g_gates[n] = g.value();
            }
            callsite::encode_direct(patched, 0, u16(g_gates[n] | 3));
        }
        g_sites.gate++;
        break;
    }
    }
    for (u32 i = 0; i < callsite::kBytes; i++) {
        auto phys = g_cur.as.translate(eip + i);
        if (!phys.ok()) return false;
        *mm::p2v<volatile u8>(phys.value()) = patched[i];
    }
    return true;
}
}  // namespace

void register_module(const char* name, const u8* bytes, u32 size) {
    if (g_program_count == 16) return;
    Program& p = g_programs[g_program_count++];
    Str n(name);
    copy_name(p.name, n.sub(0, n.n - 4));  // without ".elf"
    p.bytes = bytes;
    p.size = size;
}
u32 program_count() { return g_program_count; }
Mech mechanism() { return g_mech; }

void init_syscalls(SyscallSel requested, const CpuInfo& cpu) {
    MechChoice c = choose_mechanism(requested, cpu);
    g_mech = c.mech;
    if (c.refused) kprintf("syscall: %s\n", c.why);
    kprintf("syscall: user programs enter the kernel by %s (%s)\n", mech_name(g_mech), c.refused ? "fallback" : c.why);
    if (g_mech == Mech::Sysenter) {
        x86::wrmsr(kMsrSysenterCs, gdt::kKernelCS);
        x86::wrmsr(kMsrSysenterEip, u32(uptr(syscall_sysenter_entry)));
    }
}

void print_syscalls() {
    kprintf("syscall: mechanism %s; patched sites: %u sysenter, %u gate, %u int\n", mech_name(g_mech), g_sites.sysenter,
            g_sites.gate, g_sites.int80);
}
SiteCounts patched_sites() { return g_sites; }

Result<RunResult> run(Str name, u32 argument) {
    const Program* p = nullptr;
    for (u32 i = 0; i < g_program_count; i++)
        if (Str(g_programs[i].name).eq(name)) p = &g_programs[i];
    if (!p) return Err::NotFound;
    if (g_cur.active) return Err::Busy;
    g_cur = Current{};
    copy_name(g_cur.name, name);
    g_cur.pid = g_next_pid++;
    TRY(g_cur.as.create());
    u32 entry = 0;
    if (auto r = load(*p, g_cur.as, &entry); !r.ok()) {
        g_cur.as.destroy();
        return r.error();
    }
    g_cur.active = true;
    tss::main_tss.esp0 = u32(uptr(g_kernel_stack + sizeof g_kernel_stack));
    if (g_mech == Mech::Sysenter) x86::wrmsr(kMsrSysenterEsp, tss::main_tss.esp0);
    x86::set_cr3(g_cur.as.directory());
    u32 value = proc_run_user(entry, kStackTop, &g_cur.ctx, argument);
    x86::set_cr3(paging::kernel_directory_phys());
    x86::sti();
    g_cur.active = false;
    g_cur.as.destroy();
    return RunResult{g_cur.killed, value};
}

u32 do_syscall(u32 n, u32 a, u32 b, u32 c) {
    switch (n) {
    case kExit: finish(a, false);
    case kWrite: return sys_write(a, b);
    case kGetpid: return g_cur.pid;
    case kMechanism: return u32(g_mech);
    case kDriverCall: return sys_driver_call(a, b, c);
    default: return err(Err::Unsupported);
    }
}

void syscall_trap(TrapFrame& f) {
    if (!g_cur.active || (f.cs & 3) != 3) return;
    f.eax = do_syscall(f.eax, f.ebx, f.esi, f.edi);
}

void user_fault(TrapFrame& f) {
    if (f.vector == 13 && f.error == 0 && patch_syscall_site(f.eip)) return;  // run the site again
    trap_report(f, 0);
    kprintf("proc: %s (pid %u) killed: %s %s at %04x:%08x", g_cur.name, g_cur.pid, exception_mnemonic(f.vector),
            exception_name(f.vector), f.cs & 0xFFFF, f.eip);
    if (exception_has_error_code(f.vector)) kprintf(" error=%04x", f.error);
    kprintf(" esp=%08x\n", f.user_esp);
    finish(err(Err::Fault), true);
}
}  // namespace proc

extern "C" u32 proc_do_syscall(u32 n, u32 a, u32 b, u32 c) { return proc::do_syscall(n, a, b, c); }
