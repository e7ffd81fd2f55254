// Register-only IPC (docs/ipc.md, "The fast path"): ipc_call_regs(server, word) and
// ipc_reply_wait_regs(client, word) carry one word in a register and no buffer. A call to a
// server already waiting in ipc_reply_wait_regs, and a reply to a client waiting for a register
// reply while nobody is queued on the server, take the assembly fast path
// (src/proc/ipc_fast.asm). Everything else comes here, with the semantics of the buffer calls
// (src/proc/ipc.cpp): NotFound for a missing, dead, own or outside-IPC-blocked target, a send
// that no receive takes within 1 s times out, a dead server's clients get -Fault. A register
// message is a message of length 0: it reaches a receiver waiting with an IpcMsg as one, and a
// register receiver takes a buffer message only when its length is 0 (otherwise the sender gets
// -Fault, as when any message cannot land).
#include "drivers/lib/abi.hpp"
#include "src/dev/pit.hpp"
#include "src/proc/internal.hpp"
#include "src/proc/process.hpp"

extern "C" u32 gh_ipc_fast_count;
u32 gh_ipc_fast_count = 0;  // counted by the fast path's switch

namespace proc {
namespace {
u32 err(Err e) { return drvabi::error_result(u32(e)); }
u32 g_slow = 0;

Process* live_user(u32 pid) {
    Process* p = find(pid);
    return p && p->user && p->state != State::Zombie ? p : nullptr;
}

// The length field of a queued buffer sender's message (checked when it queued: aligned, in its
// bounds, mapped), read through its page tables.
u32 queued_len(const Process& p) {
    auto pa = ipc_phys(p, p.ipc_msg + 8, false);
    return pa.ok() ? *mm::p2v<u32>(pa.value()) : 0xFFFFFFFF;
}
}  // namespace

void ipc_count_slow() { g_slow++; }
IpcCounts ipc_counts() { return {gh_ipc_fast_count, g_slow}; }

u32 sys_ipc_call_regs(u32 dest, u32 word, u32) {
    g_slow++;
    Process& c = current();
    if (c.slot) return err(Err::Unsupported);  // a small server serves; it calls nobody
    Process* s = live_user(dest);
    if (!s || s == &c) return err(Err::NotFound);
    if (s->state == State::Blocked && s->ipc == Ipc::None) return err(Err::NotFound);  // as sys_ipc_call
    c.ipc_peer = dest;
    c.ipc_word = word;
    c.ipc_regs = true;               // no buffer: the reply is a word
    c.ipc_result = err(Err::Fault);  // unless a reply comes
    if (s->ipc == Ipc::Receiving) {
        if (!ipc_deliver(c, word, 0, *s)) return err(Err::Fault);
        s->ipc = Ipc::None;
        s->ipc_result = word;
        c.ipc = Ipc::AwaitingReply;
        block_and_switch_to(*s);
    } else {
        c.ipc = Ipc::Sending;
        c.ipc_since = pit::ticks();
        s->ipc_queued = true;
        block_current();
    }
    c.ipc = Ipc::None;
    return c.ipc_result;
}

u32 sys_ipc_reply_wait_regs(u32 reply_to, u32 word, u32) {
    g_slow++;
    Process& s = current();
    s.ipc_sender = 0;
    Process* replied = nullptr;
    if (reply_to) {
        Process* c = live_user(reply_to);
        if (c && c->ipc == Ipc::AwaitingReply && c->ipc_peer == s.pid) {
            bool ok = ipc_deliver(s, word, 0, *c);
            c->ipc_result = ok ? word : err(Err::Fault);
            c->ipc = Ipc::None;
            replied = c;
        }
    }
    for (u32 i = 0; i < process_slots(); i++) {
        Process& p = process_slot(i);
        if (p.state != State::Blocked || p.ipc != Ipc::Sending || p.ipc_peer != s.pid) continue;
        if (!p.ipc_regs && queued_len(p) != 0) {  // its bytes cannot land in registers
            fail_ipc(p);
            continue;
        }
        p.ipc = Ipc::AwaitingReply;
        if (replied) make_ready(*replied);
        s.ipc_sender = p.pid;
        return p.ipc_word;
    }
    s.ipc = Ipc::Receiving;
    s.ipc_regs = true;
    s.ipc_queued = false;
    s.ipc_result = 0;
    if (replied) block_and_switch_to(*replied);  // straight back to the client
    else block_current();
    return s.ipc_result;  // and ipc_sender, set by whoever delivered
}
}  // namespace proc
