// System calls from user programs (docs/syscalls.md). Each call site is the 7-byte invalid far
// call `9A <number:32> 03 00` (the null selector with RPL 3): its first run raises #GP and the
// kernel patches it, once, into a near call to a SYSENTER stub, a far call through a DPL-3 call
// gate, or `mov eax, n; int 0x80`, as the CPU allows. Arguments in EBX, ESI, EDI; result in EAX;
// ECX and EDX are clobbered.
#pragma once
#include "src/lib/types.hpp"

namespace sys {
enum Number : u32 {
    kExit = 1, kWrite = 2, kGetpid = 3, kMechanism = 4, kDriverCall = 5, kSpawn = 6, kWait = 7, kTicks = 8,
    kReadChar = 9, kDump = 10, kPoweroff = 11, kAutorun = 12, kBenchInfo = 13, kIpcCall = 14, kIpcReplyWait = 15,
    kMapDisk = 16, kDiskRead = 17, kBenchKernel = 18,
    // Process control (the kernel side is issue 9's): kill, a wait that does not block, a read that
    // does not block.
    kKill = 19, kWaitPoll = 20, kPollChar = 21,
    kSmallInfo = 22,  // small address spaces (docs/ipc.md)
    kIpcCallRegs = 23, kIpcReplyWaitRegs = 24,  // register-only IPC (docs/ipc.md, "The fast path")
    // The shell's services (src/proc/sys_shell.cpp).
    kLimitsEnforced = 30, kProgramName = 31, kReboot = 32, kPowerOff = 33, kDumpIdt = 34, kDumpTss = 35,
    kDumpExports = 36, kDriverRestart = 37, kDriverUnload = 38, kDriverLoad = 39, kAcpiInfo = 40,
    kWriteLog = 41,
};
enum BenchInfo : u32 {
    kInfoGetpidGate = 1, kInfoSepUsable = 2, kInfoGlobalPages = 3, kInfoTsc = 4, kInfoGateFor = 5,
    kInfoIpcFast = 6, kInfoIpcSlow = 7,  // IPCs the kernel's assembly fast path took / its C++ path served
    kInfoTrace = 8,                      // 1 on a bench=trace boot (make bench-trace)
};
inline constexpr u32 kDiskMapAt = 0x20000000;
inline constexpr u32 kSmallDiskMapAt = 0x00200000;  // in a small server's slot (src/proc/small_layout.hpp)
enum SmallInfo : u32 { kSmallSlot = 0, kSmallCode = 1, kSmallData = 2 };
enum Dump : u32 { kDumpGdt = 1, kDumpDrivers = 2, kDumpProcesses = 3, kDumpSyscalls = 4 };
}

#define GH_SYSCALL(number, a, b, c)                                                        \
    ({                                                                                     \
        u32 gh_r;                                                                          \
        u32 gh_a = (a), gh_b = (b), gh_c = (c);                                            \
        asm volatile(".byte 0x9a\n\t.long %c4\n\t.word 3"                                  \
                     : "=a"(gh_r), "+b"(gh_a), "+S"(gh_b), "+D"(gh_c) : "i"(number)        \
                     : "ecx", "edx", "memory", "cc");                                      \
        gh_r;                                                                              \
    })

inline u32 sys_write(const char* s, u32 len) { return GH_SYSCALL(sys::kWrite, u32(s), len, 0); }
inline u32 sys_getpid() { return GH_SYSCALL(sys::kGetpid, 0, 0, 0); }
inline u32 sys_mechanism() { return GH_SYSCALL(sys::kMechanism, 0, 0, 0); }
inline u32 sys_spawn(const char* name, u32 arg) { return GH_SYSCALL(sys::kSpawn, u32(name), arg, 0); }
inline u32 sys_wait(u32 pid) { return GH_SYSCALL(sys::kWait, pid, 0, 0); }
inline u32 sys_ticks() { return GH_SYSCALL(sys::kTicks, 0, 0, 0); }
// Blocks until a character arrives on the serial line or the keyboard.
inline u32 sys_read_char() { return GH_SYSCALL(sys::kReadChar, 0, 0, 0); }
inline u32 sys_dump(u32 what) { return GH_SYSCALL(sys::kDump, what, 0, 0); }
inline u32 sys_poweroff() { return GH_SYSCALL(sys::kPoweroff, 0, 0, 0); }
// Copies the kernel's autorun= commands into buf (NUL-terminated, cut at cap - 1); their whole
// length, which is >= cap when they did not fit.
inline u32 sys_autorun(char* buf, u32 cap) { return GH_SYSCALL(sys::kAutorun, u32(buf), cap, 0); }
// Synchronous IPC (docs/ipc.md): a word in a register plus an optional buffer of up to 4 KiB.
struct IpcMsg {
    u32 sender;  // filled in on receive
    u32 word;    // filled in on receive
    u32 len;     // bytes of data to send; on receive, bytes that came
    u8 data[4096];
};
// Send `word` and msg->data[0..len) to `server`, wait for its reply (word returned, data in msg).
inline u32 sys_ipc_call(u32 server, u32 word, IpcMsg* msg) { return GH_SYSCALL(sys::kIpcCall, server, word, u32(msg)); }
// Reply `word` and msg's data to `client` (0: nobody), then wait for the next message into msg.
inline u32 sys_ipc_reply_wait(u32 client, u32 word, IpcMsg* msg) { return GH_SYSCALL(sys::kIpcReplyWait, client, word, u32(msg)); }
// Register-only IPC: one word, no buffer (docs/ipc.md, "The fast path"). Call: the reply word.
// Reply-and-wait: the next message's word, its sender's pid in *sender (0 with an error). A
// register message reaches a buffer receiver as a message of length 0, and a buffer message
// reaches a register receiver only when its length is 0.
inline u32 sys_ipc_call_regs(u32 server, u32 word) {
    u32 r, b = server, s = word;
    asm volatile(".byte 0x9a\n\t.long 23\n\t.word 3" : "=a"(r), "+b"(b), "+S"(s) : : "ecx", "edx", "memory", "cc");
    return r;
}
inline u32 sys_ipc_reply_wait_regs(u32 client, u32 word, u32* sender) {
    u32 r, b = client, s = word;
    asm volatile(".byte 0x9a\n\t.long 24\n\t.word 3" : "=a"(r), "+b"(b), "+S"(s) : : "ecx", "edx", "memory", "cc");
    *sender = b;
    return r;
}
inline u32 sys_bench_info(u32 what, u32 arg = 0) { return GH_SYSCALL(sys::kBenchInfo, what, arg, 0); }
// The RAM disk image mapped read-only at sys::kDiskMapAt; its size.
inline u32 sys_bench_kernel() { return GH_SYSCALL(sys::kBenchKernel, 0, 0, 0); }
inline u32 sys_map_disk() { return GH_SYSCALL(sys::kMapDisk, 0, 0, 0); }
// A 512-byte block through the ramdisk driver (the far-call path), into buf.
inline u32 sys_disk_read(u32 block, void* buf) { return GH_SYSCALL(sys::kDiskRead, block, u32(buf), 0); }
// About small server `pid` (0: the caller, if it is one): its slot, code or data selector.
inline u32 sys_small_info(u32 pid, u32 what) { return GH_SYSCALL(sys::kSmallInfo, pid, what, 0); }
// Call a driver export by name ("null.echo") with two arguments, through the kernel.
inline u32 sys_driver_call(const char* name, u32 a, u32 b) { return GH_SYSCALL(sys::kDriverCall, u32(name), a, b); }
// Stop process pid (0, or an error such as -NotFound).
inline u32 sys_kill(u32 pid) { return GH_SYSCALL(sys::kKill, pid, 0, 0); }
// Child pid's exit code once it ended (-Fault when it was killed), -Busy while it still runs.
inline u32 sys_wait_poll(u32 pid) { return GH_SYSCALL(sys::kWaitPoll, pid, 0, 0); }
// A waiting character from the serial line or the keyboard, or 0; never blocks.
inline u32 sys_poll_char() { return GH_SYSCALL(sys::kPollChar, 0, 0, 0); }
// 1 when this CPU enforces segment limits (the boot-time probe), else 0.
inline u32 sys_limits_enforced() { return GH_SYSCALL(sys::kLimitsEnforced, 0, 0, 0); }
// The name of runnable program i into buf (NUL-terminated): its length, -NotFound past the last.
inline u32 sys_program_name(u32 i, char* buf, u32 cap) { return GH_SYSCALL(sys::kProgramName, i, u32(buf), cap); }
inline u32 sys_reboot() { return GH_SYSCALL(sys::kReboot, 0, 0, 0); }
// The verdict line, the emulators' exit ports (acpi_only = 0), ACPI S5, else a halt.
inline u32 sys_power_off(u32 acpi_only) { return GH_SYSCALL(sys::kPowerOff, acpi_only, 0, 0); }
// Like sys_write, but to the serial line (and debug console) only, not the screen.
inline u32 sys_write_log(const char* s, u32 len) { return GH_SYSCALL(sys::kWriteLog, u32(s), len, 0); }
inline u32 sys_dump_idt() { return GH_SYSCALL(sys::kDumpIdt, 0, 0, 0); }
inline u32 sys_dump_tss() { return GH_SYSCALL(sys::kDumpTss, 0, 0, 0); }
inline u32 sys_acpi_info() { return GH_SYSCALL(sys::kAcpiInfo, 0, 0, 0); }
inline u32 sys_dump_exports(const char* driver) { return GH_SYSCALL(sys::kDumpExports, u32(driver), 0, 0); }
inline u32 sys_driver_restart(const char* driver) { return GH_SYSCALL(sys::kDriverRestart, u32(driver), 0, 0); }
inline u32 sys_driver_unload(const char* driver) { return GH_SYSCALL(sys::kDriverUnload, u32(driver), 0, 0); }
inline u32 sys_driver_load(const char* driver) { return GH_SYSCALL(sys::kDriverLoad, u32(driver), 0, 0); }
