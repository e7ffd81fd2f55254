// The system calls a small server may make. Its pointers are offsets in its slot, not linear
// addresses, and the CPU runs it on whichever page directory was loaded — a client's: a pointer
// handed to the ordinary handlers (which read through the current directory) would make the
// kernel read the client's memory for it. So a small server gets only these, each translating
// through its own slot; every other number is Denied.
#include "drivers/lib/abi.hpp"
#include "src/arch/x86.hpp"
#include "src/console.hpp"
#include "src/dev/pit.hpp"
#include "src/drv/kernel_services.hpp"
#include "src/mm/paging.hpp"
#include "src/proc/internal.hpp"
#include "src/proc/small_space.hpp"

namespace small {
namespace {
enum : u32 {
    kExit = 1, kWrite = 2, kGetpid = 3, kMechanism = 4, kTicks = 8, kIpcCall = 14, kIpcReplyWait = 15, kMapDisk = 16,
    kSmallInfo = 22, kIpcCallRegs = 23, kIpcReplyWaitRegs = 24,
};
u32 err(Err e) { return drvabi::error_result(u32(e)); }

u32 write(u32 off, u32 len) {
    proc::Process& p = proc::current();
    if (!range_ok(off, len)) return err(Err::Range);
    for (u32 i = 0; i < len; i++) {
        auto pa = translate(p, off + i, false);
        if (!pa.ok()) return err(Err::Fault);
        console::put(*mm::p2v<const char>(pa.value()));
    }
    return len;
}

// The RAM disk image, read-only, at kDiskAt in the slot; its size.
u32 map_disk() {
    u32 lin, bytes;
    if (!drv::disk_module(&lin, &bytes)) return err(Err::NotFound);
    if (bytes > kDiskMax) return err(Err::Range);
    proc::Process& p = proc::current();
    u32 phys = mm::v2p(reinterpret_cast<void*>(uptr(lin)));
    for (u32 off = 0; off < bytes; off += mm::kPageSize)
        if (translate(p, kDiskAt + off, false).ok()) return err(Err::Invalid);  // mapped already
    u32* pt = mm::p2v<u32>(translate_table(p));
    for (u32 off = 0; off < bytes; off += mm::kPageSize)
        pt[(kDiskAt + off) >> 12] = (phys + off) | proc::kPteShared | paging::kPresent;  // supervisor, read-only
    return bytes;
}

u32 irqs_off(u32 (*fn)(u32, u32, u32), u32 a, u32 b, u32 c) {
    u32 flags = x86::eflags();
    x86::cli();
    u32 r = fn(a, b, c);
    x86::set_eflags(flags);
    return r;
}
}  // namespace

u32 syscall(u32 n, u32 a, u32 b, u32 c) {
    switch (n) {
    case kExit: proc::exit_current(a, false);
    case kWrite: return write(a, b);
    case kGetpid: return proc::current().pid;
    case kMechanism: return u32(site_mechanism(proc::current_mechanism(), true));
    case kTicks: return pit::ticks();
    case kIpcCall: return err(Err::Unsupported);  // a small server serves; it calls nobody
    case kIpcReplyWait: return irqs_off(ipc_reply_wait, a, b, c);
    case kIpcCallRegs: return err(Err::Unsupported);
    case kIpcReplyWaitRegs: return irqs_off(proc::sys_ipc_reply_wait_regs, a, b, c);  // no pointer to translate
    case kMapDisk: return map_disk();
    case kSmallInfo: return info(a, b);
    default: return err(Err::Denied);
    }
}
}  // namespace small
