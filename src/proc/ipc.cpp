// Synchronous IPC between address spaces, L4 style (docs/ipc.md): call = send + wait for the
// reply; reply_wait = reply to one client + wait for the next message. A short message in a
// register plus an optional buffer of up to 4 KiB, copied between the two address spaces through
// the kernel's direct map. When the receiver is already waiting, the kernel switches straight to
// it (one CR3 load each way, no scheduler pass).
#include "drivers/lib/abi.hpp"
#include "seg/guarded.hpp"
#include "src/dev/pit.hpp"
#include "src/proc/internal.hpp"
#include "src/proc/small_space.hpp"

namespace proc {

void fail_ipc(Process& p) {
    p.ipc_result = drvabi::error_result(u32(Err::Fault));
    p.ipc = Ipc::None;
    make_ready(p);
}
namespace {
constexpr u32 kMaxData = 4096;
// struct IpcMsg { u32 sender; u32 word; u32 len; u8 data[4096]; } in user memory (user/lib/ipc.hpp)
constexpr u32 kOffLen = 8, kOffData = 12;
constexpr u32 kMsgBytes = kOffData + kMaxData;

u32 err(Err e) { return drvabi::error_result(u32(e)); }

}  // namespace

// A message buffer a reply or a message can be delivered into: 4-byte aligned (so no header word
// crosses a page: put_word writes one page) and every page of it mapped writable.
bool ipc_receivable(Process& p, u32 msg) {
    if (msg & 3) return false;
    for (u32 page = msg & ~0xFFFu; page < msg + kMsgBytes; page += mm::kPageSize)
        if (!p.as.translate_for_write(page < msg ? msg : page).ok()) return false;
    return true;
}

namespace {
// The length field of the current thread's message, checked.
Result<u32> own_len(u32 msg) {
    if (!user_range_ok(msg, kMsgBytes)) return Err::Range;
    u32 len;
    if (guarded_copy(&len, reinterpret_cast<const void*>(uptr(msg + kOffLen)), 4) != 0) return Err::Fault;
    if (len > kMaxData) return Err::Range;
    return len;
}

Process* live_user(u32 pid) {
    Process* p = find(pid);
    return p && p->user && p->state != State::Zombie ? p : nullptr;
}
}  // namespace

u32 sys_ipc_call(u32 dest, u32 word, u32 msg) {
    ipc_count_slow();
    if (small::is_server(dest)) return small::ipc_call(dest, word, msg);  // no CR3 load: src/proc/small_ipc.cpp
    Process& c = current();
    auto len = own_len(msg);
    if (!len.ok()) return err(len.error());
    Process* s = live_user(dest);
    if (!s || s == &c) return err(Err::NotFound);
    // A process blocked outside IPC (a parent in wait, say) cannot take the message until it
    // wakes: the call fails now. Any other busy target gets it queued, for at most
    // kIpcSendTimeoutTicks (a server that never receives, two servers calling each other).
    if (s->state == State::Blocked && s->ipc == Ipc::None) return err(Err::NotFound);
    c.ipc_msg = msg;
    c.ipc_peer = dest;
    c.ipc_word = word;
    c.ipc_regs = false;              // the reply lands in its IpcMsg
    c.ipc_result = err(Err::Fault);  // unless a reply comes
    if (!ipc_receivable(c, msg)) return err(Err::Fault);  // the reply could never land
    if (s->ipc == Ipc::Receiving) {
        if (!ipc_deliver(c, word, len.value(), *s)) return err(Err::Fault);  // (receivable was checked)
        s->ipc = Ipc::None;
        s->ipc_result = word;
        c.ipc = Ipc::AwaitingReply;
        block_and_switch_to(*s);  // the server runs now: no scheduler pass
    } else {
        c.ipc = Ipc::Sending;     // picked up by the server's next reply_wait, or times out
        c.ipc_since = pit::ticks();
        s->ipc_queued = true;     // its next reply_wait looks for us (and the fast path leaves it to C++)
        block_current();
    }
    c.ipc = Ipc::None;
    return c.ipc_result;
}

u32 sys_ipc_reply_wait(u32 reply_to, u32 word, u32 msg) {
    ipc_count_slow();
    if (current().slot) return small::ipc_reply_wait(reply_to, word, msg);
    Process& s = current();
    auto len = own_len(msg);
    if (!len.ok()) return err(len.error());
    // A receiver whose buffer cannot take a message would wait forever while every sender failed:
    // refuse it now.
    if (!ipc_receivable(s, msg)) return err(Err::Fault);
    s.ipc_msg = msg;
    Process* replied = nullptr;
    if (reply_to) {
        Process* c = live_user(reply_to);
        if (c && c->ipc == Ipc::AwaitingReply && c->ipc_peer == s.pid) {
            bool ok = ipc_deliver(s, word, len.value(), *c);
            c->ipc_result = ok ? word : err(Err::Fault);
            c->ipc = Ipc::None;
            replied = c;
        }
    }
    // A client already waiting to send? Take its message without blocking.
    for (u32 i = 0; i < process_slots(); i++) {
        Process& p = process_slot(i);
        if (p.state == State::Blocked && p.ipc == Ipc::Sending && p.ipc_peer == s.pid) {
            u32 plen = 0;  // a register sender has no buffer: a message of length 0
            if (!p.ipc_regs) {
                if (!ipc_copy(p, p.ipc_msg + kOffLen, s, s.ipc_msg + kOffLen, 4)) continue;
                guarded_copy(&plen, reinterpret_cast<const void*>(uptr(s.ipc_msg + kOffLen)), 4);
            }
            if (plen > kMaxData || !ipc_deliver(p, p.ipc_word, plen, s)) {
                fail_ipc(p);
                continue;
            }
            p.ipc = Ipc::AwaitingReply;
            if (replied) make_ready(*replied);
            return p.ipc_word;
        }
    }
    s.ipc = Ipc::Receiving;
    s.ipc_regs = false;
    s.ipc_queued = false;  // nobody is queued on us now: new senders deliver directly
    s.ipc_result = 0;
    if (replied) block_and_switch_to(*replied);  // straight back to the client
    else block_current();
    return s.ipc_result;
}

void ipc_refuse_senders(Process& target) {
    for (u32 i = 0; i < process_slots(); i++) {
        Process& p = process_slot(i);
        if (p.state == State::Blocked && p.ipc == Ipc::Sending && p.ipc_peer == target.pid) {
            p.ipc = Ipc::None;
            p.ipc_result = err(Err::NotFound);
            make_ready(p);
        }
    }
}

void ipc_tick() {
    u32 now = pit::ticks();
    for (u32 i = 0; i < process_slots(); i++) {
        Process& p = process_slot(i);
        if (p.state == State::Blocked && p.ipc == Ipc::Sending && now - p.ipc_since >= kIpcSendTimeoutTicks) {
            p.ipc = Ipc::None;
            p.ipc_result = err(Err::Timeout);
            make_ready(p);
        }
    }
}

// A dead server's clients get -Fault instead of waiting forever.
void ipc_process_exited(Process& dead) {
    for (u32 i = 0; i < process_slots(); i++) {
        Process& p = process_slot(i);
        if ((p.ipc == Ipc::Sending || p.ipc == Ipc::AwaitingReply) && p.ipc_peer == dead.pid) {
            fail_ipc(p);
        }
    }
    dead.ipc = Ipc::None;
}
}  // namespace proc
