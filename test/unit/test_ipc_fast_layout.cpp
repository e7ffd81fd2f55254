// The IPC fast path (NASM) and the C++ side must agree on struct Process and the few other
// layouts it touches: read the constants from src/proc/ipc_fast.inc and compare them with
// offsetof() and the enums (the host build is -m32, as the kernel is).
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include "drivers/lib/abi.hpp"
#include "gdt/tss.hpp"
#include "gdt/layout.hpp"
#include "src/proc/internal.hpp"
#include "user/lib/syscall.hpp"

namespace {
std::map<std::string, long long> inc_constants() {
    std::map<std::string, long long> out;
    std::ifstream f("src/proc/ipc_fast.inc");
    std::string line;
    while (std::getline(f, line)) {
        std::istringstream in(line);
        std::string name, equ, value;
        if (in >> name >> equ >> value && equ == "equ" && (std::isdigit(u8(value[0]))))
            out[name] = std::stoll(value, nullptr, 0);
    }
    return out;
}
long long wait_word(proc::State s, proc::Ipc i, bool regs, bool user) {
    return (long long)(u32(s) | u32(i) << 8 | u32(regs) << 16 | u32(user) << 24);
}
}  // namespace

TEST_CASE("ipc_fast.inc matches struct Process", "[ipc]") {
    using proc::Process;
    auto c = inc_constants();
    REQUIRE(c.size() >= 20);
    CHECK(c["P_PID"] == (long long)offsetof(Process, pid));
    CHECK(c["P_WAIT"] == (long long)offsetof(Process, state));
    CHECK(offsetof(Process, ipc) == offsetof(Process, state) + 1);
    CHECK(offsetof(Process, ipc_regs) == offsetof(Process, state) + 2);
    CHECK(offsetof(Process, user) == offsetof(Process, state) + 3);
    CHECK(offsetof(Process, state) % 4 == 0);
    CHECK(c["P_SAVED_ESP"] == (long long)offsetof(Process, saved_esp));
    CHECK(c["P_PEER"] == (long long)offsetof(Process, ipc_peer));
    CHECK(c["P_RESULT"] == (long long)offsetof(Process, ipc_result));
    CHECK(c["P_SENDER"] == (long long)offsetof(Process, ipc_sender));
    CHECK(c["P_CR3"] == (long long)offsetof(Process, cr3));
    CHECK(c["P_SLOT"] == (long long)offsetof(Process, slot));
    CHECK(c["P_QUEUED"] == (long long)offsetof(Process, ipc_queued));
    CHECK(c["P_SMALL_GDT"] == (long long)offsetof(Process, small_gdt));
    CHECK(sizeof(Process::small_gdt) == 2);  // movzx ebx, word [...]
    CHECK(c["SYSENTER_OPEN"] == (long long)proc::kMaxSyscalls);
    CHECK(c["P_KSTACK_TOP"] == (long long)(offsetof(Process, kstack) + sizeof(Process::kstack)));
    CHECK(c["CALLS_TOP_OFF"] == (long long)offsetof(drv::Calls, top));
    CHECK(c["TSS_ESP0"] == (long long)offsetof(Tss, esp0));
    CHECK(c["TSS_CR3"] == (long long)offsetof(Tss, cr3));
    CHECK(c["PID_TABLE_SIZE"] == (long long)proc::kPidTableSize);
    CHECK(proc::kPidTableSize == 256);  // the fast path indexes with the pid's low byte (movzx eax, bl)
    CHECK(proc::kPidTableSize > proc::kMaxProcs);
    CHECK(c["USER_CS_INDEX"] == (long long)gdt::kUserCodeIndex);
    CHECK(c["USER_DS_INDEX"] == (long long)gdt::kUserDataIndex);
    CHECK(c["STATE_RUNNING"] == (long long)proc::State::Running);
    CHECK(c["STATE_BLOCKED"] == (long long)proc::State::Blocked);
    CHECK(c["IPC_NONE"] == (long long)proc::Ipc::None);
    CHECK(c["IPC_RECEIVING"] == (long long)proc::Ipc::Receiving);
    CHECK(c["IPC_AWAITING"] == (long long)proc::Ipc::AwaitingReply);
    // The composite words, computed as the assembler does.
    CHECK(wait_word(proc::State::Blocked, proc::Ipc::Receiving, true, true) ==
          (c["STATE_BLOCKED"] | c["IPC_RECEIVING"] << 8 | 1 << 16 | 1LL << 24));
    CHECK(c["ERR_FAULT_RESULT"] == (long long)drvabi::error_result(u32(Err::Fault)));
    CHECK(c["SYS_IPC_CALL_REGS"] == (long long)sys::kIpcCallRegs);
    CHECK(c["SYS_IPC_RW_REGS"] == (long long)sys::kIpcReplyWaitRegs);
}
