// Gatehouse silicon probe (issue 6): far transfers vs paging IPC on the user's own CPU, from Linux
// user space (32-bit). See tools/probe/README.md. Own code, written for Gatehouse.
#include <asm/ldt.h>
#include <cpuid.h>
#include <errno.h>
#include <linux/futex.h>
#include <sched.h>
#include <setjmp.h>
#include <signal.h>
#include <sys/auxv.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <ucontext.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <string>
#include <vector>

#include "tools/probe/layout.h"
#include "tools/probe/stats.hpp"
#include "tools/probe/table.hpp"

extern "C" {
extern char probe_blob_start[], probe_blob_end[];
extern const std::uint32_t probe_off_far_ret, probe_off_gate_stub, probe_off_fault_in_stub;
void probe_near_call(std::uint32_t n);
void probe_far_call(std::uint32_t n, const void* m16_32);
void probe_load_ds(std::uint32_t n, std::uint32_t sel);
void probe_load_fs(std::uint32_t n, std::uint32_t sel);
void probe_load_ss(std::uint32_t n, std::uint32_t sel);
void probe_lsl(std::uint32_t n, std::uint32_t sel);
void probe_lar(std::uint32_t n, std::uint32_t sel);
void probe_int80(std::uint32_t n, std::uint32_t nr);
void probe_vsyscall(std::uint32_t n, std::uint32_t nr, void* kernel_vsyscall);
}

using probe::Row;
using probe::Status;

namespace {

constexpr std::uint32_t kNrGetppid = 64;  // i386 __NR_getppid
constexpr const char* kRef = "far_call";

struct __attribute__((packed)) FarPtr {
    std::uint32_t offset;
    std::uint16_t selector;
};

// ---------------------------------------------------------------------------------------------
// CPU identification

struct CpuInfo {
    std::string vendor, brand, hv_vendor;
    unsigned family = 0, model = 0, stepping = 0;
    bool hypervisor = false, tsc = false, sse2 = false, rdtscp = false, invariant_tsc = false;
    bool sep = false, pcid = false;
};

CpuInfo identify_cpu() {
    CpuInfo c;
    unsigned a, b, cx, d;
    if (!__get_cpuid(0, &a, &b, &cx, &d)) return c;
    char v[13] = {};
    std::memcpy(v, &b, 4);
    std::memcpy(v + 4, &d, 4);
    std::memcpy(v + 8, &cx, 4);
    c.vendor = v;
    unsigned max_basic = a;
    if (max_basic >= 1) {
        __cpuid(1, a, b, cx, d);
        unsigned base_family = (a >> 8) & 0xf, base_model = (a >> 4) & 0xf;
        c.stepping = a & 0xf;
        c.family = base_family == 0xf ? base_family + ((a >> 20) & 0xff) : base_family;
        c.model = (base_family == 0x6 || base_family == 0xf) ? (((a >> 16) & 0xf) << 4) | base_model : base_model;
        c.tsc = d & (1u << 4);
        c.sep = d & (1u << 11);
        c.sse2 = d & (1u << 26);
        c.pcid = cx & (1u << 17);
        c.hypervisor = cx & (1u << 31);
    }
    if (c.hypervisor) {
        __cpuid(0x40000000, a, b, cx, d);
        char h[13] = {};
        std::memcpy(h, &b, 4);
        std::memcpy(h + 4, &cx, 4);
        std::memcpy(h + 8, &d, 4);
        for (char& ch : h)
            if (ch && (ch < 32 || ch > 126)) ch = '?';
        c.hv_vendor = h;
    }
    __cpuid(0x80000000, a, b, cx, d);
    unsigned max_ext = a;
    if (max_ext >= 0x80000001) {
        __cpuid(0x80000001, a, b, cx, d);
        c.rdtscp = d & (1u << 27);
    }
    if (max_ext >= 0x80000004) {
        char brand[49] = {};
        for (unsigned i = 0; i < 3; ++i) {
            __cpuid(0x80000002 + i, a, b, cx, d);
            std::memcpy(brand + 16 * i, &a, 4);
            std::memcpy(brand + 16 * i + 4, &b, 4);
            std::memcpy(brand + 16 * i + 8, &cx, 4);
            std::memcpy(brand + 16 * i + 12, &d, 4);
        }
        std::string s = brand;
        s.erase(0, s.find_first_not_of(' '));
        while (!s.empty() && s.back() == ' ') s.pop_back();
        c.brand = s;
    }
    if (max_ext >= 0x80000007) {
        __cpuid(0x80000007, a, b, cx, d);
        c.invariant_tsc = d & (1u << 8);
    }
    return c;
}

// ---------------------------------------------------------------------------------------------
// Serialized TSC reads

enum class Timer { LfenceRdtscp, Lfence, Cpuid };
Timer g_timer = Timer::Lfence;

const char* timer_description(Timer t) {
    switch (t) {
        case Timer::LfenceRdtscp: return "start LFENCE;RDTSC;LFENCE, stop RDTSCP;LFENCE";
        case Timer::Lfence: return "start LFENCE;RDTSC;LFENCE, stop LFENCE;RDTSC;LFENCE";
        case Timer::Cpuid: return "start CPUID;RDTSC, stop CPUID;RDTSC (no SSE2: no LFENCE)";
    }
    return "?";
}

inline __attribute__((always_inline)) std::uint64_t tsc_start() {
    std::uint32_t lo, hi;
    if (g_timer == Timer::Cpuid)
        asm volatile("xorl %%eax, %%eax\n\tcpuid\n\trdtsc" : "=a"(lo), "=d"(hi) : : "ebx", "ecx", "memory");
    else
        asm volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
    return (std::uint64_t(hi) << 32) | lo;
}

inline __attribute__((always_inline)) std::uint64_t tsc_stop() {
    std::uint32_t lo, hi;
    if (g_timer == Timer::LfenceRdtscp)
        asm volatile("rdtscp\n\tlfence" : "=a"(lo), "=d"(hi) : : "ecx", "memory");
    else if (g_timer == Timer::Lfence)
        asm volatile("lfence\n\trdtsc\n\tlfence" : "=a"(lo), "=d"(hi) : : "memory");
    else
        asm volatile("xorl %%eax, %%eax\n\tcpuid\n\trdtsc" : "=a"(lo), "=d"(hi) : : "ebx", "ecx", "memory");
    return (std::uint64_t(hi) << 32) | lo;
}

double g_timer_overhead = 0;  // median cycles of an empty timed region, subtracted from every sample

double calibrate_timer() {
    std::vector<double> v;
    for (int i = 0; i < 5000; ++i) {
        std::uint64_t t0 = tsc_start();
        std::uint64_t t1 = tsc_stop();
        if (i >= 500) v.push_back(double(t1 - t0));
    }
    return probe::summarize(v).median;
}

double tsc_mhz() {
    timespec a{}, b{};
    clock_gettime(CLOCK_MONOTONIC, &a);
    std::uint64_t t0 = tsc_start();
    timespec req{0, 50 * 1000 * 1000};
    nanosleep(&req, nullptr);
    clock_gettime(CLOCK_MONOTONIC, &b);
    std::uint64_t t1 = tsc_stop();
    double ns = double(b.tv_sec - a.tv_sec) * 1e9 + double(b.tv_nsec - a.tv_nsec);
    return ns > 0 ? double(t1 - t0) * 1e3 / ns : 0;
}

// ---------------------------------------------------------------------------------------------
// Fault containment: SIGSEGV / SIGILL / SIGBUS during a case become a failed row.

sigjmp_buf g_jmp;
volatile sig_atomic_t g_armed = 0;
volatile int g_sig = 0;
volatile std::uint32_t g_fault_eip = 0, g_fault_cs = 0, g_fault_err = 0;

void on_fault(int sig, siginfo_t*, void* ctx) {
    if (!g_armed) {
        signal(sig, SIG_DFL);
        raise(sig);
        return;
    }
    g_armed = 0;
    g_sig = sig;
    auto* uc = static_cast<ucontext_t*>(ctx);
    g_fault_eip = uc->uc_mcontext.gregs[REG_EIP];
    g_fault_cs = uc->uc_mcontext.gregs[REG_CS] & 0xffff;
    g_fault_err = uc->uc_mcontext.gregs[REG_ERR];
    siglongjmp(g_jmp, 1);
}

void install_fault_handlers() {
    // The handler must run on its own stack: a fault while SS:ESP is the LDT "driver" stack leaves
    // ESP as an offset into that small segment, which is no flat address the kernel can write to.
    static char altstack[64 * 1024];
    stack_t ss{};
    ss.ss_sp = altstack;
    ss.ss_size = sizeof altstack;
    sigaltstack(&ss, nullptr);
    struct sigaction sa {};
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_ONSTACK;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGSEGV, &sa, nullptr);
    sigaction(SIGILL, &sa, nullptr);
    sigaction(SIGBUS, &sa, nullptr);
}

inline std::uint16_t read_fs() {
    std::uint16_t v;
    asm volatile("movw %%fs, %0" : "=r"(v));
    return v;
}
inline std::uint16_t read_ds() {
    std::uint16_t v;
    asm volatile("movw %%ds, %0" : "=r"(v));
    return v;
}
inline std::uint16_t read_ss() {
    std::uint16_t v;
    asm volatile("movw %%ss, %0" : "=r"(v));
    return v;
}

std::string fault_reason() {
    char buf[160];
    std::snprintf(buf, sizeof buf, "caught %s at cs:eip=%04x:%08x err=%04x; segment registers restored, probe continued",
                  g_sig == SIGSEGV ? "SIGSEGV" : g_sig == SIGILL ? "SIGILL" : "SIGBUS", unsigned(g_fault_cs),
                  unsigned(g_fault_eip), unsigned(g_fault_err));
    return buf;
}

// Run `op(inner)` warmup times, then `samples` timed times; per-op cycles into row.stats.
// `op` must be trivially destructible state only: a fault longjmps out of it.
template <class Op>
void measure(Row& row, std::uint32_t samples, std::uint32_t inner, Op op) {
    row.ops_per_sample = inner;
    std::vector<double> v(samples);
    const std::uint32_t warmup = std::max<std::uint32_t>(samples / 10, 10);
    const std::uint16_t fs = read_fs(), ds = read_ds();
    if (sigsetjmp(g_jmp, 1) == 0) {
        g_armed = 1;
        for (std::uint32_t i = 0; i < warmup; ++i) op(inner);
        double* out = v.data();
        for (std::uint32_t i = 0; i < samples; ++i) {
            std::uint64_t t0 = tsc_start();
            op(inner);
            std::uint64_t t1 = tsc_stop();
            double c = double(t1 - t0) - g_timer_overhead;
            out[i] = (c < 0 ? 0 : c) / inner;
        }
        g_armed = 0;
        row.status = Status::Ok;
        row.stats = probe::summarize(v);
    } else {
        asm volatile("movw %0, %%fs" : : "r"(fs));
        asm volatile("movw %0, %%ds\n\tmovw %0, %%es" : : "r"(ds));
        row.status = Status::Failed;
        row.reason = fault_reason();
    }
}

// ---------------------------------------------------------------------------------------------
// LDT

alignas(64) unsigned char g_driver_data[PROBE_DATA_SIZE];

int write_ldt(unsigned idx, std::uint32_t base, std::uint32_t limit, bool pages, unsigned contents) {
    user_desc d{};
    d.entry_number = idx;
    d.base_addr = base;
    d.limit = limit;
    d.seg_32bit = 1;
    d.contents = contents;
    d.read_exec_only = 0;
    d.limit_in_pages = pages;
    d.seg_not_present = 0;
    d.useable = 1;
    long r = syscall(SYS_modify_ldt, 0x11, &d, sizeof d);
    return r == 0 ? 0 : errno;
}

// 0 on success, else errno of the refused modify_ldt.
int setup_ldt() {
    auto code = reinterpret_cast<std::uintptr_t>(probe_blob_start);
    auto code_size = static_cast<std::uint32_t>(probe_blob_end - probe_blob_start);
    if (int e = write_ldt(PROBE_LDT_CODE_IDX, code, code_size - 1, false, MODIFY_LDT_CONTENTS_CODE)) return e;
    auto data = reinterpret_cast<std::uintptr_t>(g_driver_data);
    if (int e = write_ldt(PROBE_LDT_DATA_IDX, data, PROBE_DATA_SIZE - 1, false, MODIFY_LDT_CONTENTS_DATA)) return e;
    if (int e = write_ldt(PROBE_LDT_FLAT_IDX, 0, 0xfffff, true, MODIFY_LDT_CONTENTS_DATA)) return e;
    std::uint32_t top = PROBE_DATA_SIZE;
    std::uint16_t sel = PROBE_LDT_DATA_SEL;
    std::memcpy(g_driver_data + PROBE_STACK_PTR, &top, 4);
    std::memcpy(g_driver_data + PROBE_STACK_PTR + 4, &sel, 2);
    return 0;
}

// ---------------------------------------------------------------------------------------------
// Paging IPC: a peer process bouncing a message.

enum class Ipc { Pipe, Futex };

struct Shared {
    alignas(64) volatile int state;  // 0 idle, 1 ping (parent -> child), 2 pong, 3 stop
};

struct OldTimespec {  // SYS_futex on i386 takes the 32-bit timespec
    std::int32_t sec, nsec;
};

long futex(volatile int* addr, int op, int val, const OldTimespec* ts) {
    return syscall(SYS_futex, const_cast<int*>(addr), op, val, ts, nullptr, 0);
}

struct Peer {
    Ipc kind{};
    pid_t pid = -1;
    int to_child = -1, from_child = -1;
    Shared* sh = nullptr;
    bool broken = false;
};

bool pin_to(int cpu) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    return sched_setaffinity(0, sizeof set, &set) == 0;
}

[[noreturn]] void child_loop(Ipc kind, int in, int out, Shared* sh) {
    if (kind == Ipc::Pipe) {
        char c;
        for (;;) {
            if (read(in, &c, 1) != 1) _exit(0);
            if (write(out, &c, 1) != 1) _exit(1);
        }
    }
    for (;;) {
        int v = __atomic_load_n(&sh->state, __ATOMIC_ACQUIRE);
        if (v == 3) _exit(0);
        if (v != 1) {
            futex(&sh->state, FUTEX_WAIT, v, nullptr);
            continue;
        }
        __atomic_store_n(&sh->state, 2, __ATOMIC_RELEASE);
        futex(&sh->state, FUTEX_WAKE, 1, nullptr);
    }
}

bool start_peer(Peer& p, Ipc kind, int cpu, std::string& why) {
    p = Peer{};
    p.kind = kind;
    int a[2] = {-1, -1}, b[2] = {-1, -1};
    if (kind == Ipc::Pipe) {
        if (pipe(a) != 0 || pipe(b) != 0) {
            why = std::string("pipe: ") + std::strerror(errno);
            return false;
        }
    } else {
        void* m = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
        if (m == MAP_FAILED) {
            why = std::string("mmap shared: ") + std::strerror(errno);
            return false;
        }
        p.sh = static_cast<Shared*>(m);
        p.sh->state = 0;
    }
    std::fflush(stdout);
    pid_t pid = fork();
    if (pid < 0) {
        why = std::string("fork: ") + std::strerror(errno);
        return false;
    }
    if (pid == 0) {
        pin_to(cpu);
        if (kind == Ipc::Pipe) {
            close(a[1]);
            close(b[0]);
        }
        child_loop(kind, a[0], b[1], p.sh);
    }
    p.pid = pid;
    if (kind == Ipc::Pipe) {
        close(a[0]);
        close(b[1]);
        p.to_child = a[1];
        p.from_child = b[0];
    }
    return true;
}

// One round trip; false (and p.broken) when the peer is gone.
inline bool round_trip(Peer& p) {
    if (p.kind == Ipc::Pipe) {
        char c = 'x';
        if (write(p.to_child, &c, 1) != 1 || read(p.from_child, &c, 1) != 1) return !(p.broken = true);
        return true;
    }
    __atomic_store_n(&p.sh->state, 1, __ATOMIC_RELEASE);
    futex(&p.sh->state, FUTEX_WAKE, 1, nullptr);
    while (__atomic_load_n(&p.sh->state, __ATOMIC_ACQUIRE) != 2) {
        OldTimespec ts{2, 0};
        if (futex(&p.sh->state, FUTEX_WAIT, 1, &ts) != 0 && errno == ETIMEDOUT) {
            int st;
            if (waitpid(p.pid, &st, WNOHANG) != 0) return !(p.broken = true);
        }
    }
    return true;
}

void stop_peer(Peer& p) {
    if (p.pid <= 0) return;
    if (p.kind == Ipc::Pipe) {
        close(p.to_child);
        close(p.from_child);
    } else {
        __atomic_store_n(&p.sh->state, 3, __ATOMIC_RELEASE);
        futex(&p.sh->state, FUTEX_WAKE, 1, nullptr);
    }
    int st;
    waitpid(p.pid, &st, 0);
    if (p.sh) munmap(p.sh, sizeof(Shared));
    p.pid = -1;
}

constexpr std::uint32_t kPage = 4096;
constexpr std::uint32_t kMaxTouch = 512;
volatile unsigned char* g_touch_buf = nullptr;
volatile std::uint32_t g_sink = 0;

// Read one byte in each of the first n pages, at a different cache line in each page (so the lines
// spread over the cache sets instead of all landing in one).
inline void touch_pages(std::uint32_t n) {
    std::uint32_t s = 0;
    for (std::uint32_t i = 0; i < n; ++i) s += g_touch_buf[i * kPage + ((i * 64) & (kPage - 1))];
    g_sink = s;
}

// ---------------------------------------------------------------------------------------------

struct Options {
    std::uint32_t iter = 20000;
    std::string csv_path;  // explicit file
    std::string out_dir = "bench/results";
    bool no_csv = false;
    bool inject_fault = false;
    bool simulate_no_ldt = false;  // behave as if modify_ldt were refused (tests that path)
};

void usage() {
    std::puts(
        "usage: gatehouse-probe [--iter N] [--csv FILE | --out-dir DIR | --no-csv] [--inject-fault]\n"
        "  --iter N        timed samples per cheap case (default 20000); IPC cases use N/4 (at least 50)\n"
        "  --csv FILE      write the CSV to FILE\n"
        "  --out-dir DIR   write bench/results-style probe-<host>-<date>.csv into DIR (default bench/results)\n"
        "  --no-csv        do not write a CSV\n"
        "  --inject-fault  add two cases that fault on purpose inside segment code, to show containment\n"
        "  --simulate-no-ldt  behave as if modify_ldt were refused with ENOSYS (tests that path)");
}

std::string sanitize(std::string s) {
    for (char& c : s)
        if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.')) c = '_';
    return s.empty() ? "unknown" : s;
}

bool mkdir_p(const std::string& dir) {
    std::string cur;
    for (std::size_t i = 0; i <= dir.size(); ++i) {
        if (i == dir.size() || dir[i] == '/') {
            if (!cur.empty() && mkdir(cur.c_str(), 0777) != 0 && errno != EEXIST) return false;
        }
        if (i < dir.size()) cur += dir[i];
    }
    return true;
}

Row make_row(const char* key, const std::string& label, const std::string& note = "") {
    Row r;
    r.key = key;
    r.label = label;
    r.note = note;
    return r;
}

Row skipped(const char* key, const std::string& label, const std::string& reason) {
    Row r = make_row(key, label);
    r.status = Status::Skipped;
    r.reason = reason;
    return r;
}

}  // namespace

int main(int argc, char** argv) {
    Options opt;
    for (int i = 1; i < argc; ++i) {
        std::string a = argv[i];
        auto value = [&]() -> std::string {
            if (i + 1 >= argc) {
                std::fprintf(stderr, "gatehouse-probe: %s needs a value\n", a.c_str());
                std::exit(2);
            }
            return argv[++i];
        };
        if (a == "--iter") {
            long n = std::strtol(value().c_str(), nullptr, 10);
            if (n < 10 || n > 10000000) {
                std::fprintf(stderr, "gatehouse-probe: --iter must be between 10 and 10000000\n");
                return 2;
            }
            opt.iter = static_cast<std::uint32_t>(n);
        } else if (a == "--csv") {
            opt.csv_path = value();
        } else if (a == "--out-dir") {
            opt.out_dir = value();
        } else if (a == "--no-csv") {
            opt.no_csv = true;
        } else if (a == "--simulate-no-ldt") {
            opt.simulate_no_ldt = true;
        } else if (a == "--inject-fault") {
            opt.inject_fault = true;
        } else if (a == "-h" || a == "--help") {
            usage();
            return 0;
        } else {
            std::fprintf(stderr, "gatehouse-probe: unknown option %s\n", a.c_str());
            usage();
            return 2;
        }
    }
    std::setvbuf(stdout, nullptr, _IOLBF, 0);

    // --- CPU, timer, placement
    CpuInfo cpu = identify_cpu();
    utsname un{};
    uname(&un);
    char host[256] = {};
    gethostname(host, sizeof host - 1);
    std::printf("Gatehouse silicon probe: far transfers vs paging IPC (32-bit Linux user space)\n");
    std::printf("CPU       : %s, family %u (0x%x) model %u (0x%x) stepping %u\n", cpu.vendor.c_str(), cpu.family,
                cpu.family, cpu.model, cpu.model, cpu.stepping);
    std::printf("brand     : %s\n", cpu.brand.empty() ? "(no brand string)" : cpu.brand.c_str());
    std::printf("kernel    : %s %s %s\n", un.sysname, un.release, un.machine);
    if (cpu.hypervisor)
        std::printf(
            "hypervisor: YES (CPUID.1:ECX[31] set, vendor \"%s\"). System calls, address-space switches and\n"
            "            interrupts may trap or run virtualised and can cost far more than on bare metal;\n"
            "            segment loads and far calls run natively (unless the hypervisor traps descriptor-table\n"
            "            accesses).\n",
            cpu.hv_vendor.c_str());
    else
        std::printf("hypervisor: none reported (CPUID.1:ECX[31] clear)\n");
    if (!cpu.tsc) {
        std::printf("error: this CPU has no time-stamp counter (CPUID.1:EDX[4] clear); nothing can be measured\n");
        return 1;
    }
    g_timer = cpu.sse2 ? (cpu.rdtscp ? Timer::LfenceRdtscp : Timer::Lfence) : Timer::Cpuid;
    if (cpu.hypervisor && g_timer == Timer::Cpuid)
        std::printf("note      : CPUID exits to the hypervisor: the timer overhead is large and noisy here\n");
    g_timer_overhead = calibrate_timer();
    double mhz = tsc_mhz();
    std::printf("timer     : %s; overhead %.0f cycles (subtracted)\n", timer_description(g_timer), g_timer_overhead);
    std::printf("TSC       : %.0f MHz measured, %s; TSC ticks are not core clock cycles when the core runs\n"
                "            at another frequency (turbo, power saving)\n",
                mhz, cpu.invariant_tsc ? "invariant (constant rate)" : "not reported invariant");

    cpu_set_t allowed;
    CPU_ZERO(&allowed);
    std::vector<int> cpus;
    if (sched_getaffinity(0, sizeof allowed, &allowed) == 0)
        for (int i = 0; i < CPU_SETSIZE; ++i)
            if (CPU_ISSET(i, &allowed)) cpus.push_back(i);
    const int cpu_a = cpus.empty() ? 0 : cpus[0];
    const bool pinned = pin_to(cpu_a);
    const bool two_cpus = cpus.size() >= 2;
    const int cpu_b = two_cpus ? cpus[1] : -1;
    std::printf("placement : %zu CPU(s) available; %s CPU %d%s\n", cpus.size(), pinned ? "pinned to" : "COULD NOT pin to",
                cpu_a, two_cpus ? (", cross-CPU peer on CPU " + std::to_string(cpu_b)).c_str() : "");

    const std::uint32_t n_cheap = opt.iter;
    const std::uint32_t n_ipc = std::max<std::uint32_t>(opt.iter / 4, 50);
    std::printf("samples   : %u per cheap case (100 or 20 ops each), %u per IPC case (1 round trip each); "
                "warm-up: 1/10 of that\n\n",
                n_cheap, n_ipc);

    install_fault_handlers();
    std::vector<Row> rows;

    // --- near call baseline
    {
        Row r = make_row("near_call", "near call + ret (baseline)");
        measure(r, n_cheap, 100, [](std::uint32_t n) { probe_near_call(n); });
        rows.push_back(r);
    }

    // --- LDT-based cases
    const int ldt_err = opt.simulate_no_ldt ? ENOSYS : setup_ldt();
    std::string ldt_reason;
    if (ldt_err) {
        ldt_reason = std::string("modify_ldt refused (") + strerrorname_np(ldt_err) + ": " + std::strerror(ldt_err) +
                     "); the kernel may be built without CONFIG_MODIFY_LDT_SYSCALL or forbid it";
        std::printf("modify_ldt: REFUSED: %s\n", ldt_reason.c_str());
    } else {
        std::printf("modify_ldt: ok: LDT code %#04x (base %p, %u bytes), driver data/stack %#04x (base %p, %u bytes),\n"
                    "            flat scratch data %#04x\n",
                    PROBE_LDT_CODE_SEL, static_cast<void*>(probe_blob_start),
                    unsigned(probe_blob_end - probe_blob_start), PROBE_LDT_DATA_SEL, static_cast<void*>(g_driver_data),
                    PROBE_DATA_SIZE, PROBE_LDT_FLAT_SEL);
    }
    std::printf("call gates: not measurable: Linux modify_ldt only makes code and data descriptors (struct\n"
                "            user_desc cannot describe a call gate), so the gate-stub row far-calls the stub directly:\n"
                "            the kernel's sequence minus the call-gate descriptor check\n\n");

    static FarPtr far_ret{probe_off_far_ret, PROBE_LDT_CODE_SEL};
    static FarPtr gate{probe_off_gate_stub, PROBE_LDT_CODE_SEL};
    const std::string far_label = "far call + lret into LDT code segment";
    const std::string gate_label = "gate stub: lcall, save DS/ES/SS:ESP, LSS+DS/ES, call, restore, lret";
    if (ldt_err) {
        rows.push_back(skipped("far_call", far_label, ldt_reason));
        rows.push_back(skipped("gate_stub", gate_label, ldt_reason));
    } else {
        Row r = make_row("far_call", far_label, "lcall m16:32 0x07:offset");
        measure(r, n_cheap, 100, [](std::uint32_t n) { probe_far_call(n, &far_ret); });
        rows.push_back(r);
        Row g = make_row("gate_stub", gate_label, "no call-gate check (see above)");
        measure(g, n_cheap, 100, [](std::uint32_t n) { probe_far_call(n, &gate); });
        rows.push_back(g);
    }

    // Segment loads: the flat LDT scratch selector when there is an LDT, else reload the current value.
    const std::uint32_t seg_sel = ldt_err ? read_ds() : PROBE_LDT_FLAT_SEL;
    const std::uint32_t ss_sel = ldt_err ? read_ss() : PROBE_LDT_FLAT_SEL;
    char selnote[64];
    std::snprintf(selnote, sizeof selnote, "selector %#04x%s", unsigned(seg_sel), ldt_err ? " (GDT, reloaded)" : " (LDT flat)");
    {
        static std::uint32_t s1, s2;
        s1 = seg_sel;
        s2 = ss_sel;
        Row r = make_row("load_ds", "mov to DS", selnote);
        measure(r, n_cheap, 100, [](std::uint32_t n) { probe_load_ds(n, s1); });
        rows.push_back(r);
        r = make_row("load_fs", "mov to FS (then restored)", selnote);
        measure(r, n_cheap, 100, [](std::uint32_t n) { probe_load_fs(n, s1); });
        rows.push_back(r);
        r = make_row("load_ss", "mov to SS (same flat stack)", selnote);
        measure(r, n_cheap, 100, [](std::uint32_t n) { probe_load_ss(n, s2); });
        rows.push_back(r);
        r = make_row("lsl", "LSL (segment limit)", selnote);
        measure(r, n_cheap, 100, [](std::uint32_t n) { probe_lsl(n, s1); });
        rows.push_back(r);
        r = make_row("lar", "LAR (access rights)", selnote);
        measure(r, n_cheap, 100, [](std::uint32_t n) { probe_lar(n, s1); });
        rows.push_back(r);
    }

    // --- system calls
    {
        Row r = make_row("int80", "int $0x80 getppid", "null system call");
        measure(r, n_cheap, 20, [](std::uint32_t n) { probe_int80(n, kNrGetppid); });
        rows.push_back(r);
        static void* vsys = reinterpret_cast<void*>(getauxval(AT_SYSINFO));
        const char* vlabel = "__kernel_vsyscall getppid (vDSO)";
        if (!vsys) {
            rows.push_back(skipped("vsyscall", vlabel, "no AT_SYSINFO in the auxiliary vector (no vDSO entry)"));
        } else {
            std::string how = cpu.vendor == "AuthenticAMD" || cpu.vendor == "HygonGenuine"
                                  ? "SYSCALL on AMD under a 64-bit kernel, else SYSENTER"
                                  : (cpu.sep ? "SYSENTER (CPUID SEP)" : "int $0x80 fallback (no SEP)");
            Row v = make_row("vsyscall", vlabel, how);
            measure(v, n_cheap, 20, [](std::uint32_t n) { probe_vsyscall(n, kNrGetppid, vsys); });
            rows.push_back(v);
        }
    }

    // --- paging IPC round trips
    static volatile unsigned char* touch = nullptr;
    {
        void* m = mmap(nullptr, kMaxTouch * kPage, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
        if (m != MAP_FAILED) {
            madvise(m, kMaxTouch * kPage, MADV_NOHUGEPAGE);
            for (std::uint32_t i = 0; i < kMaxTouch * kPage; i += 64) static_cast<unsigned char*>(m)[i] = 1;
            touch = static_cast<volatile unsigned char*>(m);
        }
        g_touch_buf = touch;
    }
    static Peer peer;
    struct IpcCase {
        const char* key;
        Ipc kind;
        bool cross;
        const char* label;
    };
    const IpcCase ipc_cases[] = {
        {"pipe_same", Ipc::Pipe, false, "pipe ping-pong round trip, same CPU"},
        {"futex_same", Ipc::Futex, false, "futex ping-pong round trip, same CPU"},
        {"pipe_cross", Ipc::Pipe, true, "pipe ping-pong round trip, two CPUs"},
        {"futex_cross", Ipc::Futex, true, "futex ping-pong round trip, two CPUs"},
    };
    for (const IpcCase& c : ipc_cases) {
        if (c.cross && !two_cpus) {
            rows.push_back(skipped(c.key, c.label, "only one CPU available to this process"));
            continue;
        }
        std::string why;
        if (!start_peer(peer, c.kind, c.cross ? cpu_b : cpu_a, why)) {
            Row r = make_row(c.key, c.label);
            r.status = Status::Failed;
            r.reason = why;
            rows.push_back(r);
            continue;
        }
        Row r = make_row(c.key, c.label, c.cross ? "peer on another CPU: wake-up IPIs, no CR3 switch needed"
                                                 : "2 process switches (CR3 loads) per round trip");
        measure(r, n_ipc, 1, [](std::uint32_t) { round_trip(peer); });
        if (peer.broken) {
            r.status = Status::Failed;
            r.reason = "the peer process died";
        }
        rows.push_back(r);

        // TLB refill: round trip + touching N pages, on the same-CPU futex peer.
        if (c.kind == Ipc::Futex && !c.cross && r.status == Status::Ok) {
            static const std::uint32_t ns[] = {1, 8, 64, 512};
            std::vector<Row> alone;
            for (std::uint32_t n : ns) {
                static std::uint32_t pages;
                pages = n;
                std::string key = "futex_same_touch" + std::to_string(n);
                std::string label = "futex same CPU + touch " + std::to_string(n) + (n == 1 ? " page" : " pages");
                if (!touch) {
                    rows.push_back(skipped(key.c_str(), label, "could not map the touch buffer"));
                    continue;
                }
                Row t = make_row(key.c_str(), label);
                t.extra_over = "futex_same";
                measure(t, n_ipc, 1, [](std::uint32_t) {
                    round_trip(peer);
                    touch_pages(pages);
                });
                Row a = make_row(("touch" + std::to_string(n)).c_str(),
                                 "touch " + std::to_string(n) + (n == 1 ? " page" : " pages") + ", no switch (control)");
                measure(a, n_ipc, 1, [](std::uint32_t) { touch_pages(pages); });
                if (t.status == Status::Ok && a.status == Status::Ok) {
                    double extra = t.stats.median - r.stats.median;
                    t.note = "refill est. = extra - touch alone = " + probe::format_cycles(extra - a.stats.median);
                }
                rows.push_back(t);
                alone.push_back(a);
            }
            for (Row& a : alone) rows.push_back(a);
        }
        stop_peer(peer);
    }

    // --- fault injection (containment of the probe itself)
    if (opt.inject_fault) {
        if (ldt_err) {
            rows.push_back(skipped("fault_far_limit", "injected fault (expected): lcall past the LDT code limit", ldt_reason));
            rows.push_back(skipped("fault_stub_limit", "injected fault (expected): read past data limit on LDT stack", ldt_reason));
        } else {
            static FarPtr past{0x10000, PROBE_LDT_CODE_SEL};
            static FarPtr in_stub{probe_off_fault_in_stub, PROBE_LDT_CODE_SEL};
            Row r = make_row("fault_far_limit", "injected fault (expected): lcall past the LDT code limit");
            measure(r, 10, 1, [](std::uint32_t n) { probe_far_call(n, &past); });
            rows.push_back(r);
            r = make_row("fault_stub_limit", "injected fault (expected): read past data limit on LDT stack");
            measure(r, 10, 1, [](std::uint32_t n) { probe_far_call(n, &in_stub); });
            rows.push_back(r);
        }
    }

    // --- report
    std::fputs(probe::format_table(rows, kRef).c_str(), stdout);
    std::printf("\ncycles are TSC ticks per operation (median over samples; min, p99 by nearest rank). 'x far_call'\n"
                "= median / far call median; 'extra' = median minus the plain futex same-CPU round trip.\n");

    bool unexpected_failure = false;
    for (const Row& r : rows)
        if (r.status == Status::Failed && r.key.rfind("fault_", 0) != 0) unexpected_failure = true;

    if (!opt.no_csv) {
        std::string path = opt.csv_path;
        if (path.empty()) {
            char date[32];
            std::time_t now = std::time(nullptr);
            std::strftime(date, sizeof date, "%Y%m%d-%H%M%S", std::localtime(&now));
            if (!mkdir_p(opt.out_dir)) {
                std::printf("error: cannot create %s: %s\n", opt.out_dir.c_str(), std::strerror(errno));
                return 1;
            }
            path = opt.out_dir + "/probe-" + sanitize(host) + "-" + date + ".csv";
        }
        FILE* f = std::fopen(path.c_str(), "w");
        if (!f) {
            std::printf("error: cannot write %s: %s\n", path.c_str(), std::strerror(errno));
            return 1;
        }
        auto comment = [&](const char* k, const std::string& v) { std::fprintf(f, "%s\n", probe::csv_comment(k, v).c_str()); };
        comment("probe", "gatehouse-probe (tools/probe), cycles = TSC ticks per operation");
        comment("host", host);
        comment("cpu_vendor", cpu.vendor);
        comment("cpu_brand", cpu.brand);
        comment("cpu_signature", "family " + std::to_string(cpu.family) + " model " + std::to_string(cpu.model) +
                                     " stepping " + std::to_string(cpu.stepping));
        comment("hypervisor", cpu.hypervisor ? "yes " + cpu.hv_vendor : "no");
        comment("kernel", std::string(un.sysname) + " " + un.release + " " + un.machine);
        comment("timer", timer_description(g_timer));
        comment("timer_overhead_cycles", probe::format_cycles(g_timer_overhead));
        comment("tsc_mhz", probe::format_cycles(mhz));
        comment("modify_ldt", ldt_err ? ldt_reason : "ok");
        comment("cpus", std::to_string(cpus.size()));
        std::fprintf(f, "%s\n", probe::csv_header().c_str());
        for (const Row& r : rows) std::fprintf(f, "%s\n", probe::csv_line(rows, r, kRef).c_str());
        std::fclose(f);
        std::printf("CSV: %s\n", path.c_str());
    }
    return unexpected_failure ? 1 : 0;
}
