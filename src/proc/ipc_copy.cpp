// Moving IPC message bytes between two threads' memory (docs/ipc.md): through each one's page
// tables and the kernel's direct map, so neither has to be the current address space. A normal
// process's addresses are linear and bounded by the user limit; a small server's are offsets in its
// slot, bounded by the slot (small::translate). Writes go only to pages mapped writable.
#include "src/proc/internal.hpp"
#include "src/proc/small_space.hpp"

namespace proc {
bool ipc_in_bounds(const Process& p, u32 a, u32 n) { return p.slot ? small::range_ok(a, n) : user_range_ok(a, n); }

Result<u32> ipc_phys(const Process& p, u32 a, bool write) {
    if (p.slot) return small::translate(p, a, write);
    return write ? p.as.translate_for_write(a) : p.as.translate(a);
}


bool ipc_copy(const Process& from, u32 a, const Process& to, u32 b, u32 n) {
    if (!ipc_in_bounds(from, a, n) || !ipc_in_bounds(to, b, n)) return false;
    while (n) {
        auto pa = ipc_phys(from, a, false);
        auto pb = ipc_phys(to, b, true);  // never into a read-only page
        if (!pa.ok() || !pb.ok()) return false;
        u32 room_a = mm::kPageSize - (a & 0xFFF), room_b = mm::kPageSize - (b & 0xFFF);
        u32 chunk = n < room_a ? n : room_a;
        chunk = chunk < room_b ? chunk : room_b;
        const u8* src = mm::p2v<const u8>(pa.value());
        u8* dst = mm::p2v<u8>(pb.value());
        for (u32 i = 0; i < chunk; i++) dst[i] = src[i];
        a += chunk;
        b += chunk;
        n -= chunk;
    }
    return true;
}

bool ipc_put_word(const Process& p, u32 addr, u32 value) {
    if (!ipc_in_bounds(p, addr, 4) || (addr & 0xFFF) > mm::kPageSize - 4) return false;
    auto pa = ipc_phys(p, addr, true);
    if (!pa.ok()) return false;
    *mm::p2v<u32>(pa.value()) = value;
    return true;
}

// struct IpcMsg { u32 sender; u32 word; u32 len; u8 data[4096]; } (user/lib/syscall.hpp)
bool ipc_deliver(const Process& from, u32 word, u32 len, Process& to) {
    enum : u32 { kOffSender = 0, kOffWord = 4, kOffLen = 8, kOffData = 12 };
    if (to.ipc_regs) {  // a register receiver: the word and the sender; no bytes can land
        if (len) return false;
        to.ipc_sender = from.pid;
        return true;
    }
    if (len && !ipc_copy(from, from.ipc_msg + kOffData, to, to.ipc_msg + kOffData, len)) return false;
    return ipc_put_word(to, to.ipc_msg + kOffSender, from.pid) && ipc_put_word(to, to.ipc_msg + kOffWord, word) &&
           ipc_put_word(to, to.ipc_msg + kOffLen, len);
}
}  // namespace proc
