// Small address spaces: the region, its slots and their descriptors, loading a small server and
// the GDT domain switch (src/proc/small_layout.hpp has the layout; docs/ipc.md the why).
#include "src/proc/small_space.hpp"
#include "drivers/lib/abi.hpp"
#include "gdt/gdt.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/mm/frames.hpp"
#include "src/mm/layout.hpp"
#include "src/mm/paging.hpp"
#include "src/proc/internal.hpp"
#include "src/proc/process.hpp"
#include "src/proc/user_image.hpp"

extern "C" u32 boot_page_directory[1024];
extern "C" char small_first_entry[];

namespace small {
namespace {
struct Slot {
    bool used;
    u16 cs, ds;     // RPL 0 selectors of its DPL-2 descriptors
    u32 pt_phys;    // its page table (the region's PDE for this slot)
    char owner[24]; // "small:<program>", the GDT owner of both descriptors
};
Slot g_slots[kSlots];
}  // namespace
}  // namespace small

// SYSENTER's bound (src/proc/syscall_entry.asm compares the number with it): kMaxSyscalls while
// no small server runs, 0 while one does, so that every SYSENTER then leaves the jump table for
// the refusal (proc_sysenter_refused). The domain switch stores it, C++ here and the IPC fast
// path (src/proc/ipc_fast.asm): one store instead of writing IA32_SYSENTER_CS.
extern "C" u32 gh_sysenter_limit;
u32 gh_sysenter_limit = proc::kMaxSyscalls;

namespace small {
namespace {

u32* table(u32 slot) { return mm::p2v<u32>(g_slots[slot].pt_phys); }

Result<u32> zeroed_frame() {
    u32 f = TRY(frames::alloc());
    u32* p = mm::p2v<u32>(f);
    for (u32 i = 0; i < 1024; i++) p[i] = 0;
    return f;
}

// Supervisor pages (no U bit): ring 3 never reaches them; the server at ring 2 does, within
// its segments.
Result<u32> map_page(u32 slot, u32 off, bool writable, bool code) {
    u32& e = table(slot)[off >> 12];
    if (e & paging::kPresent) return Err::Invalid;
    u32 f = TRY(zeroed_frame());
    e = f | paging::kPresent | (writable ? u32(paging::kWritable) : 0u) | (code ? proc::kPteOwnCode : 0u);
    return f;
}

void hide(u32 slot) {
    gdt::set_present(g_slots[slot].cs, false);
    gdt::set_present(g_slots[slot].ds, false);
}
}  // namespace

void init() {
    for (u32 s = 0; s < kSlots; s++) {
        auto f = zeroed_frame();
        if (!f.ok()) {
            kprintf("small: no frame for slot %u's page table; small spaces disabled\n", s);
            return;
        }
        g_slots[s].pt_phys = f.value();
        boot_page_directory[kFirstPde + s] = f.value() | paging::kWritable | paging::kPresent;  // U = 0
    }
    kprintf("small: %u slots of %u KiB at 0x%08x-0x%08x (supervisor pages; servers at ring %u)\n", kSlots,
            kSlotBytes >> 10, kRegionBase, kRegionBase + kRegionBytes - 1, u32(kRing));
}

Result<u32> load(proc::Process& p, Str name, const u8* bytes, u32 size) {
    if (!g_slots[0].pt_phys) return Err::Unsupported;
    proc::UserImage img;
    const char* why = nullptr;
    if (!proc::parse_user_image(bytes, size, &img, &why)) {
        kprintf("proc: %s: %s; not run\n", name.p, why);
        return Err::Invalid;
    }
    for (u32 i = 0; i < img.count; i++) {
        const proc::UserSegment& seg = img.seg[i];
        if (seg.vaddr < kImageLow || seg.vaddr + seg.memsz > kImageTop) {
            kprintf("proc: a small server's image lies in [0x%x, 0x%x) of its slot; not run\n", kImageLow, kImageTop);
            return Err::Invalid;
        }
    }
    u32 s = 0;
    while (s < kSlots && g_slots[s].used) s++;
    if (s == kSlots) return Err::Busy;
    Slot& slot = g_slots[s];
    u32 n = 0;
    const char prefix[] = "small:";
    for (; prefix[n]; n++) slot.owner[n] = prefix[n];
    for (u32 i = 0; i < name.n && n < sizeof slot.owner - 1; i++) slot.owner[n++] = name.p[i];
    slot.owner[n] = '\0';
    // Code and data adjacent: the fast path's switch reaches both access bytes from one pointer.
    auto cs = gdt::alloc_pair(slot.owner, code_descriptor(s), data_descriptor(s));
    if (!cs.ok()) return cs.error();
    slot.used = true;
    slot.cs = cs.value();
    slot.ds = u16(cs.value() + 8);
    p.slot = u8(s + 1);
    p.small_gdt = gdt::index_of(slot.cs);
    for (u32 i = 0; i < img.count; i++) {
        const proc::UserSegment& seg = img.seg[i];
        for (u32 page = seg.vaddr & ~0xFFFu; page < seg.vaddr + seg.memsz; page += mm::kPageSize) {
            auto frame = map_page(s, page, seg.writable, !seg.writable);
            if (!frame.ok()) {
                release(p);
                return frame.error();
            }
            u8* dst = mm::p2v<u8>(frame.value());
            for (u32 b = 0; b < mm::kPageSize; b++) {
                u32 va = page + b;
                if (va >= seg.vaddr && va - seg.vaddr < seg.filesz) dst[b] = bytes[seg.offset + (va - seg.vaddr)];
            }
        }
    }
    for (u32 off = kStackTop - kStackBytes; off < kStackTop; off += mm::kPageSize) {
        auto frame = map_page(s, off, true, false);
        if (!frame.ok()) {
            release(p);
            return frame.error();
        }
    }
    return img.entry;
}

// small_first_entry (src/proc/small_entry.asm) pops CS, DS, EIP, ESP and the argument.
u32* first_frame(const proc::Process& p, u32* sp, u32 entry, u32 argument) {
    const Slot& slot = g_slots[p.slot - 1];
    *--sp = argument;
    *--sp = kStackTop;
    *--sp = entry;
    *--sp = slot.ds | kRing;
    *--sp = slot.cs | kRing;
    *--sp = u32(uptr(small_first_entry));
    return sp;
}

void release(proc::Process& p) {
    if (!p.slot) return;
    u32 s = p.slot - 1u;
    Slot& slot = g_slots[s];
    if (&proc::current() == &p) switch_domain(p.slot, 0);  // it ends while it runs: flat again
    u32* pt = table(s);
    for (u32 i = 0; i < 1024; i++) {
        if (!(pt[i] & paging::kPresent)) continue;
        if (!(pt[i] & proc::kPteShared)) (void)frames::free(pt[i] & 0xFFFFF000);
        pt[i] = 0;
        x86::invlpg(slot_base(s) + i * mm::kPageSize);  // the region is in every directory
    }
    (void)gdt::release(slot.cs);
    (void)gdt::release(slot.ds);
    slot = Slot{false, 0, 0, slot.pt_phys, {}};
    p.slot = 0;
    p.small_gdt = 0;
}

// IF = 0 (from the scheduler). One byte store per descriptor, and SYSENTER's bound when the
// flat user segments come or go. The domain shown is always that of the running thread (this and
// the fast path switch it with the thread), so `from` is the thread switched away from.
void switch_domain(u32 from, u32 to) {
    if (from == to) return;
    if (from) hide(from - 1);
    if (to) {
        gdt::set_present(g_slots[to - 1].cs, true);
        gdt::set_present(g_slots[to - 1].ds, true);
    }
    if (!from || !to) {  // the flat user segments and SYSENTER: off while a server runs
        gdt::set_present(gdt::kUserCS, !to);
        gdt::set_present(gdt::kUserDS, !to);
        gh_sysenter_limit = to ? 0 : proc::kMaxSyscalls;
    }
}

bool sysenter_closed() { return gh_sysenter_limit == 0; }

bool is_server_cs(u32 cs) {
    u16 index = gdt::index_of(u16(cs));
    for (const Slot& s : g_slots)
        if (s.used && gdt::index_of(s.cs) == index) return true;
    return false;
}

Result<u32> translate(const proc::Process& p, u32 offset, bool write, bool patch) {
    if (!p.slot || offset >= kSlotBytes) return Err::Range;
    u32 e = table(p.slot - 1u)[offset >> 12];
    if (!(e & paging::kPresent)) return Err::NotFound;
    if (write && !(e & paging::kWritable)) return Err::Fault;
    if (patch && (!(e & proc::kPteOwnCode) || (e & proc::kPteShared))) return Err::Fault;
    return (e & 0xFFFFF000) | (offset & 0xFFF);
}

u32 linear(const proc::Process& p, u32 offset) { return slot_base(p.slot - 1u) + offset; }
u32 slot_of(const proc::Process& p) { return p.slot - 1u; }
u32 translate_table(const proc::Process& p) { return g_slots[p.slot - 1u].pt_phys; }

// break=small (tools/bochs-oracle.sh ORACLE=small): smallecho loaded and run until it waits in
// reply_wait, so the GDT listing and Bochs' info gdt that follow both hold a small server's pair.
u32 oracle_start() {
    auto pid = proc::spawn("smallecho");
    if (!pid.ok()) {
        kprintf("small: break=small: no smallecho program (%s): no small server for the GDT oracle\n", err_name(pid.error()));
        return 0;
    }
    proc::Process* p = proc::find(pid.value());
    for (u32 i = 0; i < 16 && p && !(p->state == proc::State::Blocked && p->ipc == proc::Ipc::Receiving); i++) {
        u32 flags = x86::eflags();
        x86::cli();
        (void)proc::yield();
        x86::set_eflags(flags);
    }
    if (!p || !p->slot) return pid.value();
    bool waiting = p->state == proc::State::Blocked && p->ipc == proc::Ipc::Receiving;
    const Slot& s = g_slots[p->slot - 1];
    kprintf("small: break=small: smallecho (pid %u) %s in small space %u (cs 0x%04x, ds 0x%04x, owner %s)\n",
            pid.value(), waiting ? "waits in reply_wait" : "is loaded (not yet waiting)", p->slot - 1u,
            u32(s.cs | kRing), u32(s.ds | kRing), s.owner);
    kprintf("small: break=small: present bits change with every switch to or from a small server (its pair "
            "present, the flat user 0x18/0x20 hidden while it runs); this is a quiescent point: the kernel "
            "thread runs, its pair is p=0 and the flat user ones p=1\n");
    return pid.value();
}

void oracle_stop(u32 pid) {
    if (!pid) return;
    (void)proc::kill(pid);
    (void)proc::wait(pid);
}

u32 info(u32 pid, u32 what) {
    proc::Process* p = pid ? proc::find(pid) : &proc::current();
    if (!p || !p->slot || p->state == proc::State::Zombie) return drvabi::error_result(u32(Err::NotFound));
    const Slot& s = g_slots[p->slot - 1];
    switch (what) {
    case 0: return p->slot - 1u;
    case 1: return s.cs | kRing;
    case 2: return s.ds | kRing;
    default: return drvabi::error_result(u32(Err::Invalid));
    }
}

void print() {
    for (u32 i = 0; i < kSlots; i++) {
        const Slot& s = g_slots[i];
        if (!s.used) continue;
        proc::Process* p = nullptr;
        for (u32 k = 0; k < proc::process_slots(); k++)
            if (proc::process_slot(k).state != proc::State::Free && proc::process_slot(k).slot == i + 1) p = &proc::process_slot(k);
        kprintf("syscall: pid %u %s: small space %u (base 0x%08x, cs 0x%04x, ds 0x%04x, ring %u): sites patched to gate\n",
                p ? p->pid : 0, p ? p->name : "?", i, slot_base(i), u32(s.cs | kRing), u32(s.ds | kRing), u32(kRing));
    }
}
}  // namespace small
