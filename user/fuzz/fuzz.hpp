// The ring-3 system-call fuzzer (docs/reliability.md, "System-call fuzzing"): shared state.
#pragma once
#include "src/lib/types.hpp"
#include "user/fuzz/enter.hpp"
#include "user/fuzz/rng.hpp"

namespace fuzz {
// avoid=<list>: each name turns one kind of attack off, for continuing past a known defect. The
// summary line prints the list, so a run that avoided something never looks like a full run.
enum Avoid : u32 {
    kAvoidDF = 1u << 0,       // df: DF set at the call
    kAvoidNT = 1u << 1,       // nt: NT set at the call
    kAvoidAC = 1u << 2,       // ac: AC set at the call
    kAvoidTF = 1u << 3,       // tf: children that call with TF set
    kAvoidSeg = 1u << 4,      // seg: DS/ES/FS/GS other than the usual at the call
    kAvoidRoWrite = 1u << 5,  // rowrite: write-type calls aimed at read-only pages
    kAvoidIpcPeer = 1u << 6,  // ipcpeer: ipc_call to a live process that never receives (the shell, our parent)
    kAvoidExports = 1u << 7,  // exports: driver exports ring 3 must not reach (IRQ handlers, ramdisk.write, faulty.*)
    kAvoidSpin = 1u << 8,     // spin: exports that loop or wait (faulty.demo 10, null.spin)
    kAvoidChildren = 1u << 9, // children: no child processes at all
    kAvoidGate = 1u << 10,    // gate: no far calls through call gates of our own
    kAvoidSysenter = 1u << 11,// sysenter: no SYSENTER stubs or SYSENTER of our own
    kAvoidInt = 1u << 12,     // int: no INT 0x80 of our own
};
struct AvoidName {
    const char* name;
    u32 bit;
};
inline constexpr AvoidName kAvoidNames[] = {
    {"df", kAvoidDF}, {"nt", kAvoidNT}, {"ac", kAvoidAC}, {"tf", kAvoidTF}, {"seg", kAvoidSeg},
    {"rowrite", kAvoidRoWrite}, {"ipcpeer", kAvoidIpcPeer}, {"exports", kAvoidExports}, {"spin", kAvoidSpin},
    {"children", kAvoidChildren}, {"gate", kAvoidGate}, {"sysenter", kAvoidSysenter}, {"int", kAvoidInt},
};

struct Options {
    u32 seed = 1;
    u32 calls = 5000;
    u32 from = 0;
    u32 only = 0xFFFFFFFF;   // replay this one call only
    bool trace = false;      // print every call before making it
    u32 avoid = 0;
    u32 progress = 100000;   // a progress line every this many calls
};

// Ways into the kernel the fuzzer uses.
enum Way : u8 { kWaySite, kWayInt, kWayGate, kWayStub, kWaySysenter, kWays };
inline constexpr const char* kWayNames[kWays] = {"site", "int", "gate", "stub", "sysenter"};

struct World {
    Options opt;
    u32 pid, mech;                 // mech: 1 sysenter, 2 gate, 3 int (docs/syscalls.md)
    u32 parent_guess;              // the shell, pid 1 when it runs us (docs/syscalls.md, processes)
    u32 echo_pid, server_pid;      // our long-lived children: echosrv and a server child of ours
    u32 regs_pid;                  // and echosrv 1, the register-only echo (the IPC fast path)
    u32 dead_pids[4];              // children that ended: never valid again (pids are not reused)
    u16 gates[64];                 // known DPL-3 call gates per number (0: unknown)
    u32 getpid_gate;
    u32 sep_usable, tsc;
    u16 loadable[64];              // selectors DS..GS accept at CPL 3 (VERR, LAR present) and null ones
    u32 n_loadable;
    u16 unloadable[64];            // selectors that must fault when loaded at CPL 3
    u32 n_unloadable;
    u16 not_gates[64];             // selectors a far call from CPL 3 must fault on
    u32 n_not_gates;
    char autorun[256];
    u32 autorun_len;
    u32 last_ticks;
    u32 disk_blocks;
    // counters
    u32 calls, ok, errors, wrong, kills, children, child_wrong, spawn_failed;
    u32 by_code[16];
    u32 by_way[kWays];
    u32 by_entry[4];               // by the instruction that entered the kernel: 1 sysenter, 2 gate, 3 int
};
extern World g;

// One planned call.
struct Call {
    u32 index;
    u32 n, a, b, c;
    Way way;
    u32 flags;
    u16 ds, es, fs, gs;
};
// Run it; the Entry holds the state after. Records the counters and the ABI checks.
u32 run_call(const Call& call, Entry& e);
bool is_err(u32 r);
void wrong(const Call& call, u32 result, const char* why, u32 detail = 0);
void describe(const Call& call);

void parse_options(u32 seed);
void probe_world();
// calls.cpp: plan a call from its generator and judge its result.
void fuzz_one(u32 index);
// children.cpp
void child_action(Rng& r, u32 index);
[[noreturn]] void child_main(u32 arg);
void start_server_child();
void stop_long_lived();
bool choose_segments(Rng& r, Call& c);
u32 choose_flags(Rng& r, bool allow_tf);
Way choose_way(Rng& r, u32 n);
constexpr u32 kChildTag = 0xF0000000u;  // a fuzz argument with the top nibble set is a child's mode
}  // namespace fuzz
