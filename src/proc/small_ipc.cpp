// IPC into a small space (docs/ipc.md): the same call / reply-and-wait semantics as paging IPC
// (src/proc/ipc.cpp, which hands calls to a small server over to this file), but the server runs
// in the client's address space: switch_to keeps CR3 and only the segment domain changes
// (small::switch_domain). The server's message lives at an offset in its slot, the client's at a
// linear address in its own space; both are reached through their page tables and the direct
// map, each checked against its own bound (the slot's limit, or the user limit).
#include "drivers/lib/abi.hpp"
#include "src/dev/pit.hpp"
#include "src/proc/internal.hpp"
#include "src/proc/small_space.hpp"

namespace small {
namespace {
using proc::Ipc;
using proc::Process;
using proc::State;
constexpr u32 kMaxData = 4096;
constexpr u32 kOffLen = 8, kOffData = 12;  // struct IpcMsg
constexpr u32 kMsgBytes = kOffData + kMaxData;

u32 err(Err e) { return drvabi::error_result(u32(e)); }

// The length field of p's message at msg, checked: the whole message must lie in p's bounds.
Result<u32> msg_len(const Process& p, u32 msg) {
    if (!proc::ipc_in_bounds(p, msg, kMsgBytes) || ((msg + kOffLen) & 0xFFF) > mm::kPageSize - 4) return Err::Range;
    auto pa = proc::ipc_phys(p, msg + kOffLen, false);
    if (!pa.ok()) return Err::Fault;
    u32 len = *mm::p2v<u32>(pa.value());
    if (len > kMaxData) return Err::Range;
    return len;
}

Process* live(u32 pid) {
    Process* p = proc::find(pid);
    return p && p->user && p->state != State::Zombie ? p : nullptr;
}
}  // namespace

bool is_server(u32 pid) {
    Process* p = live(pid);
    return p && p->slot;
}

// A client in its own address space calls small server `dest`. IF = 0.
u32 ipc_call(u32 dest, u32 word, u32 msg) {
    Process& c = proc::current();
    if (c.slot) return err(Err::Unsupported);  // a small server only serves
    auto len = msg_len(c, msg);
    if (!len.ok()) return err(len.error());
    if (!proc::ipc_receivable(c, msg)) return err(Err::Fault);  // the reply could never land: refuse first
    Process* s = live(dest);
    if (!s || !s->slot) return err(Err::NotFound);
    if (s->state == State::Blocked && s->ipc == Ipc::None) return err(Err::NotFound);
    c.ipc_msg = msg;
    c.ipc_peer = dest;
    c.ipc_word = word;
    c.ipc_regs = false;
    c.ipc_result = err(Err::Fault);
    if (s->ipc == Ipc::Receiving) {
        if (!proc::ipc_deliver(c, word, len.value(), *s)) return err(Err::Fault);
        s->ipc = Ipc::None;
        s->ipc_result = word;
        c.ipc = Ipc::AwaitingReply;
        proc::block_and_switch_to(*s);  // same CR3: only the segment domain changes
    } else {
        c.ipc = Ipc::Sending;
        c.ipc_since = pit::ticks();
        s->ipc_queued = true;
        proc::block_current();
    }
    c.ipc = Ipc::None;
    return c.ipc_result;
}

// The small server replies to `reply_to` and waits for the next message. IF = 0.
u32 ipc_reply_wait(u32 reply_to, u32 word, u32 msg) {
    Process& s = proc::current();
    auto len = msg_len(s, msg);
    if (!len.ok()) return err(len.error());
    s.ipc_msg = msg;
    Process* replied = nullptr;
    if (reply_to) {
        Process* c = live(reply_to);
        if (c && c->ipc == Ipc::AwaitingReply && c->ipc_peer == s.pid) {
            bool ok = proc::ipc_deliver(s, word, len.value(), *c);
            c->ipc_result = ok ? word : err(Err::Fault);
            c->ipc = Ipc::None;
            replied = c;
        }
    }
    for (u32 i = 0; i < proc::process_slots(); i++) {
        Process& p = proc::process_slot(i);
        if (p.state != State::Blocked || p.ipc != Ipc::Sending || p.ipc_peer != s.pid) continue;
        auto plen = p.ipc_regs ? Result<u32>(0u) : msg_len(p, p.ipc_msg);  // a register sender: length 0
        if (!plen.ok() || !proc::ipc_deliver(p, p.ipc_word, plen.value(), s)) {
            proc::fail_ipc(p);
            continue;
        }
        p.ipc = Ipc::AwaitingReply;
        if (replied) proc::make_ready(*replied);
        return p.ipc_word;
    }
    s.ipc = Ipc::Receiving;
    s.ipc_regs = false;
    s.ipc_queued = false;
    s.ipc_result = 0;
    if (replied) proc::block_and_switch_to(*replied);
    else proc::block_current();
    return s.ipc_result;
}
}  // namespace small
