// shell: the user-space command line, on the serial line and the VGA screen with the keyboard.
// CMDLINE="autorun=cmd;cmd;..." runs commands unattended first (tests, real-hardware demos).
// Line editing and history: user/lib/line_edit.hpp. Commands: `help`.
#include "user/lib/io.hpp"
#include "user/lib/line_edit.hpp"

namespace {
void puts(const char* s) { sys_write(s, u32(str_len(s))); }
bool eq(const char* a, const char* b) { return Str(a).eq(b); }
// Split off the next space-separated word (in place).
char* next_word(char*& s) {
    while (*s == ' ') s++;
    if (!*s) return nullptr;
    char* w = s;
    while (*s && *s != ' ') s++;
    if (*s) *s++ = '\0';
    return w;
}
bool parse_u32(const char* s, u32* v) {
    auto r = ::parse_u32(Str(s));
    if (!r.ok()) return false;
    *v = r.value();
    return true;
}
bool is_error(u32 r) { return r >= 0xFFFFFF00u; }
u32 error_of(Err e) { return u32(0) - u32(e); }
Err err_of(u32 r) { return Err(u8(0u - r)); }

// An error result as its name and what it means here (drivers/lib/abi.hpp: -Err).
const char* meaning(Err e) {
    switch (e) {
    case Err::NotFound: return "no such thing";
    case Err::NoMemory: return "out of memory";
    case Err::Busy: return "busy: in use, or a table is full";
    case Err::Invalid: return "invalid or malformed (see the lines above)";
    case Err::Range: return "out of range";
    case Err::Fault: return "it faulted (see the report above)";
    case Err::Unsupported: return "this kernel does not offer it";
    case Err::Denied: return "not allowed for this program";
    case Err::Timeout: return "nobody answered in time";
    default: return "";
    }
}
void say_error(const char* what, u32 r) {
    printf("%s: %s (%s)\n", what, err_name(err_of(r)), meaning(err_of(r)));
}

// Demos that only mean something where segment limits are enforced: in QEMU (no limit checks)
// a stack overflow or a write past a limit tramples memory instead of faulting.
struct FaultKind {
    u32 kind;
    const char* what;
    bool needs_limits;
};
constexpr FaultKind kFaultKinds[] = {
    {1, "read past the data limit (#GP)", true},
    {2, "write past the data limit (#GP)", true},
    {3, "write through the code selector (#GP)", true},
    {4, "jump past the code limit (#GP)", true},
    {5, "stack overflow (#DF, task gate)", true},
    {6, "load a foreign selector 0xfff0 (#GP/#NP)", false},
    {7, "load a free GDT slot 0xfff0 (#GP)", false},
    {8, "divide by zero (#DE)", false},
    {9, "invalid opcode (#UD)", false},
    {10, "endless loop (the watchdog stops it)", false},
    {11, "SS-relative read past the limit (#SS)", true},
    {12, "page fault via a flat selector (#PF)", false},
};
struct FaulterKind {
    u32 kind;
    const char* what;
    bool needs_limits;
};
constexpr FaulterKind kFaulterKinds[] = {
    {1, "load the kernel's data selector", false}, {2, "load a driver's data selector", false},
    {3, "cli (privileged)", false},               {4, "hlt (privileged)", false},
    {5, "read kernel memory", false},             {6, "write kernel memory", false},
    {7, "read an unmapped page", false},          {8, "ud2", false},
    {9, "driver stack overflow in its call (exits 77)", true},
};

bool limits_enforced() { return sys_limits_enforced() == 1; }
bool refuse_without_limits(const char* cmd, const char* what) {
    if (limits_enforced()) return false;
    printf("%s: skipped: limits not enforced here (%s needs segment-limit enforcement: this CPU or "
           "emulator lets it through and would trample memory; try Bochs or a real PC)\n", cmd, what);
    return true;
}

// Every line below fits 80 columns.
void help() {
    puts("commands (a line each; arguments in <>, & runs in the background):\n"
         "  run <prog> [arg] [&]  start a program (Ctrl-C stops it)   programs  jobs\n"
         "  kill <pid>  ps  syscalls  gdt  idt  tss  drivers  exports <driver>  acpi\n"
         "  restart|unload|load <driver>     fault <driver> <kind>              bench\n"
         "  reboot   poweroff   poweroff acpi (ACPI S5 only)   help\n"
         "keys: arrows ^B ^F ^A ^E edit, up/down ^P ^N history, ^U clear, ^C cancel/stop,\n"
         "      Shift+PgUp/PgDn scroll the screen\n");
    bool limits = limits_enforced();
    const char* no = "  [skipped: no limits here]";
    puts("fault faulty <kind>:\n");
    for (const FaultKind& k : kFaultKinds) printf("  %2u %s%s\n", k.kind, k.what, k.needs_limits && !limits ? no : "");
    puts("run faulter <kind>: does one forbidden thing and is killed with a report:\n");
    for (const FaulterKind& k : kFaulterKinds) printf("  %2u %s%s\n", k.kind, k.what, k.needs_limits && !limits ? no : "");
}

void programs() {
    char name[32];
    puts("programs:");
    u32 i = 0;
    for (; !is_error(sys_program_name(i, name, sizeof name)); i++) printf(" %s", name);
    printf("%s\n", i ? "" : " none");
}

// Background programs, reported when they end (checked before each prompt).
struct Job {
    u32 pid;
    char name[32];
};
Job g_jobs[8];
u32 g_job_count = 0;

void report_end(const char* name, u32 code) {
    if (code == error_of(Err::Fault)) printf("run: %s was killed\n", name);
    else if (is_error(code)) say_error("run: wait", code);
    else printf("run: %s exited %u\n", name, code);
}

void reap_jobs() {
    for (u32 i = 0; i < g_job_count;) {
        u32 r = sys_wait_poll(g_jobs[i].pid);
        if (r == error_of(Err::Busy) || r == error_of(Err::Unsupported)) {
            i++;
            continue;
        }
        printf("[%u] ", g_jobs[i].pid);
        report_end(g_jobs[i].name, r);
        g_jobs[i] = g_jobs[--g_job_count];
    }
}

// Keys typed while a program runs (other than Ctrl-C) are kept for the next prompt.
char g_ahead[64];
u32 g_ahead_head = 0, g_ahead_tail = 0;
u32 next_char() {
    if (g_ahead_tail != g_ahead_head) return u8(g_ahead[g_ahead_tail++ % sizeof g_ahead]);
    return sys_read_char();
}

// Wait for a foreground program; Ctrl-C (from the serial line or the keyboard) kills it.
u32 wait_foreground(u32 pid, const char* name) {
    for (;;) {
        u32 r = sys_wait_poll(pid);
        if (r == error_of(Err::Unsupported)) return sys_wait(pid);  // a kernel without the poll
        if (r != error_of(Err::Busy)) return r;
        u32 c = sys_poll_char();
        if (c == 3) {
            printf("^C: stopping %s (pid %u)\n", name, pid);
            u32 k = sys_kill(pid);
            if (is_error(k)) say_error("kill", k);
        } else if (c && !is_error(c) && g_ahead_head - g_ahead_tail < sizeof g_ahead) {
            g_ahead[g_ahead_head++ % sizeof g_ahead] = char(c);
        }
    }
}

void run(char* rest) {
    char* prog = next_word(rest);
    char* words[2] = {next_word(rest), next_word(rest)};
    bool background = false;
    u32 arg = 0;
    for (char*& w : words) {
        if (!w) continue;
        u32 n = u32(str_len(w));
        if (eq(w, "&")) {
            background = true;
            w = nullptr;
        } else if (n && w[n - 1] == '&') {
            background = true;
            w[n - 1] = '\0';
        }
    }
    if (prog && prog[str_len(prog) - 1] == '&') background = true, prog[str_len(prog) - 1] = '\0';
    if (!prog || !*prog) return puts("usage: run <prog> [arg] [&]\n");
    if (words[0] && *words[0] && !parse_u32(words[0], &arg)) return printf("run: '%s' is not a number\n", words[0]), void();
    if (eq(prog, "faulter") && arg == 9 && refuse_without_limits("run", "faulter 9 (a driver stack overflow)")) return;
    u32 pid = sys_spawn(prog, arg);
    if (is_error(pid)) {
        printf("run: cannot start %s: %s (%s)\n", prog, err_name(err_of(pid)),
               err_of(pid) == Err::NotFound  ? "no such program: see programs"
               : err_of(pid) == Err::Busy    ? "the process table is full: wait for or kill a program"
               : err_of(pid) == Err::Invalid ? "a malformed program: see the proc: line above"
                                             : meaning(err_of(pid)));
        return;
    }
    if (background) {
        if (g_job_count == sizeof g_jobs / sizeof g_jobs[0]) {
            printf("run: %s started (pid %u), but the job list is full: it will not be reported\n", prog, pid);
            return;
        }
        Job& j = g_jobs[g_job_count++];
        j.pid = pid;
        u32 n = 0;
        for (; prog[n] && n < sizeof j.name - 1; n++) j.name[n] = prog[n];
        j.name[n] = '\0';
        printf("[%u] %s running in the background\n", pid, prog);
        return;
    }
    report_end(prog, wait_foreground(pid, prog));
}

void fault(char* rest) {
    char* driver = next_word(rest);
    char* kind_word = next_word(rest);
    u32 kind = 0;
    if (!driver || !kind_word || !parse_u32(kind_word, &kind)) return puts("usage: fault <driver> <kind> (see help)\n");
    if (eq(driver, "faulty"))  // the driver refuses these too (Unsupported): say why first
        for (const FaultKind& k : kFaultKinds)
            if (k.kind == kind && k.needs_limits && refuse_without_limits("fault", k.what)) return;
    char name[48];
    u32 n = 0;
    for (const char* p = driver; *p && n < 40; p++) name[n++] = *p;
    const char suffix[] = ".demo";  // the program-facing export: the driver picks the targets
    for (u32 i = 0; i < sizeof suffix; i++) name[n + i] = suffix[i];
    u32 r = sys_driver_call(name, kind, 0x7FFFFFF0);
    if (r == error_of(Err::Fault)) printf("fault: %s faulted, was contained and restarted (the driver: lines above)\n", driver);
    else if (r == error_of(Err::NotFound)) printf("fault: no export %s (see drivers)\n", name);
    else if (is_error(r)) say_error("fault", r);
    else printf("fault: no fault (kind %u is not one %s knows: it returned %u)\n", kind, driver, r);
}

void driver_command(const char* cmd, char* rest) {
    char* driver = next_word(rest);
    if (!driver) return printf("usage: %s <driver>\n", cmd), void();
    u32 r = eq(cmd, "exports") ? sys_dump_exports(driver)
            : eq(cmd, "restart") ? sys_driver_restart(driver)
            : eq(cmd, "unload")  ? sys_driver_unload(driver)
                                 : sys_driver_load(driver);
    if (!is_error(r)) return;
    if (err_of(r) == Err::NotFound) return printf("%s: no driver %s (see drivers)\n", cmd, driver), void();
    if (eq(cmd, "unload") && err_of(r) == Err::Busy)
        return printf("unload: %s is busy: another driver imports from it, or a call is in flight\n", driver), void();
    if (eq(cmd, "load") && err_of(r) == Err::Invalid) return printf("load: %s is loaded already\n", driver), void();
    if (eq(cmd, "restart") && err_of(r) == Err::Invalid)
        return printf("restart: %s is unloaded (load it)\n", driver), void();
    say_error(cmd, r);
}

void command(char* line) {
    char* rest = line;
    char* cmd = next_word(rest);
    if (!cmd) return;
    if (eq(cmd, "help")) return help();
    if (eq(cmd, "programs")) return programs();
    if (eq(cmd, "gdt")) return (void)sys_dump(sys::kDumpGdt);
    if (eq(cmd, "drivers")) return (void)sys_dump(sys::kDumpDrivers);
    if (eq(cmd, "ps")) return (void)sys_dump(sys::kDumpProcesses);
    if (eq(cmd, "syscalls")) return (void)sys_dump(sys::kDumpSyscalls);
    if (eq(cmd, "idt")) return (void)sys_dump_idt();
    if (eq(cmd, "tss")) return (void)sys_dump_tss();
    if (eq(cmd, "acpi")) return (void)sys_acpi_info();
    if (eq(cmd, "exports") || eq(cmd, "restart") || eq(cmd, "unload") || eq(cmd, "load"))
        return driver_command(cmd, rest);
    if (eq(cmd, "reboot")) return (void)sys_reboot();
    if (eq(cmd, "poweroff")) {
        char* how = next_word(rest);
        if (how && eq(how, "acpi")) return (void)sys_power_off(1);
        u32 r = sys_power_off(0);
        if (r == error_of(Err::Unsupported)) sys_poweroff();
        return;
    }
    if (eq(cmd, "bench")) {  // the kernel's half, then the ring-3 half (docs/benchmarks.md)
        sys_bench_kernel();
        u32 pid = sys_spawn("ubench", 0);
        if (is_error(pid)) return say_error("bench: ubench", pid);
        sys_wait(pid);
        return;
    }
    if (eq(cmd, "run")) return run(rest);
    if (eq(cmd, "jobs")) {
        if (!g_job_count) return puts("jobs: none\n");
        for (u32 i = 0; i < g_job_count; i++) printf("[%u] %s\n", g_jobs[i].pid, g_jobs[i].name);
        return;
    }
    if (eq(cmd, "kill")) {
        char* w = next_word(rest);
        u32 pid = 0;
        if (!w || !parse_u32(w, &pid)) return puts("usage: kill <pid> (see ps)\n");
        if (pid == sys_getpid()) return puts("kill: that is this shell (poweroff or reboot end it)\n");
        u32 r = sys_kill(pid);
        if (is_error(r)) return say_error("kill", r);
        return printf("kill: pid %u stopped\n", pid), void();
    }
    if (eq(cmd, "fault")) return fault(rest);
    printf("unknown command: %s (try help)\n", cmd);
}

struct Echo {
    void write(const char* s, u32 n) {
        if (n) sys_write(s, n);
    }
};
LineEditor<128, 16> g_editor;
}  // namespace

extern "C" int main() {
    puts("gatehouse shell: type help\n");
    static char script[4096];
    u32 n = sys_autorun(script, sizeof script);
    if (!is_error(n) && n >= sizeof script) {
        printf("autorun: the commands are %u characters, more than the shell's %u: none run\n", n, u32(sizeof script - 1));
    } else if (!is_error(n) && n > 0) {
        char* s = script;
        while (*s) {
            char* start = s;
            while (*s && *s != ';') s++;
            bool last = !*s;
            *s = '\0';
            reap_jobs();
            printf("> %s\n", start);
            command(start);
            if (last) break;
            s++;
        }
    }
    Echo echo;
    char line[128];
    for (;;) {
        reap_jobs();
        puts("> ");
        g_editor.reset();
        LineEditor<128, 16>::Status st;
        do {
            u32 c = next_char();
            if (is_error(c)) continue;
            st = g_editor.feed(char(c), echo);
        } while (st == LineEditor<128, 16>::Status::Editing);
        if (st != LineEditor<128, 16>::Status::Done) continue;
        u32 len = g_editor.length();
        for (u32 i = 0; i <= len; i++) line[i] = g_editor.line()[i];
        command(line);
    }
}
