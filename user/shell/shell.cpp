// shell: the user-space command line, on the serial line and the VGA screen with the keyboard.
// CMDLINE="autorun=cmd;cmd;..." runs commands unattended first (tests, real-hardware demos).
#include "user/lib/syscall.hpp"

namespace {
u32 len(const char* s) {
    u32 n = 0;
    while (s[n]) n++;
    return n;
}
void puts(const char* s) { sys_write(s, len(s)); }
void put_u32(u32 v) {
    char buf[12];
    int n = 0;
    do {
        buf[n++] = char('0' + v % 10);
        v /= 10;
    } while (v);
    char out[12];
    for (int i = 0; i < n; i++) out[i] = buf[n - 1 - i];
    sys_write(out, u32(n));
}
bool eq(const char* a, const char* b) {
    while (*a && *a == *b) a++, b++;
    return *a == *b;
}
// Split off the next space-separated word (in place).
char* next_word(char*& s) {
    while (*s == ' ') s++;
    if (!*s) return nullptr;
    char* w = s;
    while (*s && *s != ' ') s++;
    if (*s) *s++ = '\0';
    return w;
}
u32 parse_u32(const char* s) {
    u32 v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + u32(*s++ - '0');
    return v;
}
bool is_error(u32 r) { return r >= 0xFFFFFF00u; }

void help() {
    puts("commands: help, gdt, drivers, ps, syscalls, bench, run <prog> [arg], fault <driver> <kind>, poweroff\n"
         "  fault faulty <kind>: 1 read past limit, 2 write past limit, 3 write code, 4 jump past code,\n"
         "  5 stack overflow, 8 divide by zero, 9 invalid opcode, 10 endless loop, 11 #SS\n");
}

void command(char* line) {
    char* rest = line;
    char* cmd = next_word(rest);
    if (!cmd) return;
    if (eq(cmd, "help")) return help();
    if (eq(cmd, "gdt")) return (void)sys_dump(sys::kDumpGdt);
    if (eq(cmd, "drivers")) return (void)sys_dump(sys::kDumpDrivers);
    if (eq(cmd, "ps")) return (void)sys_dump(sys::kDumpProcesses);
    if (eq(cmd, "syscalls")) return (void)sys_dump(sys::kDumpSyscalls);
    if (eq(cmd, "poweroff")) return (void)sys_poweroff();
    if (eq(cmd, "bench")) {  // the kernel's half, then the ring-3 half (docs/benchmarks.md)
        sys_bench_kernel();
        u32 pid = sys_spawn("ubench", 0);
        if (is_error(pid)) return puts("bench: no ubench program\n");
        sys_wait(pid);
        return;
    }
    if (eq(cmd, "run")) {
        char* prog = next_word(rest);
        char* arg = next_word(rest);
        if (!prog) return puts("usage: run <prog> [arg]\n");
        u32 pid = sys_spawn(prog, arg ? parse_u32(arg) : 0);
        if (is_error(pid)) return puts("run: cannot start it (no such program, or a malformed one: see above)\n");
        u32 code = sys_wait(pid);
        puts("run: ");
        puts(prog);
        if (is_error(code)) return puts(" was killed\n");
        puts(" exited ");
        put_u32(code);
        return puts("\n");
    }
    if (eq(cmd, "fault")) {
        char* driver = next_word(rest);
        char* kind = next_word(rest);
        if (!driver || !kind) return puts("usage: fault <driver> <kind>\n");
        char name[48];
        u32 n = 0;
        for (const char* p = driver; *p && n < 40; p++) name[n++] = *p;
        const char suffix[] = ".fault";
        for (u32 i = 0; i < sizeof suffix; i++) name[n + i] = suffix[i];
        u32 r = sys_driver_call(name, parse_u32(kind), 0x7FFFFFF0);
        puts(is_error(r) ? "fault: the call came back with an error (see above)\n" : "fault: no fault\n");
        return;
    }
    puts("unknown command: ");
    puts(cmd);
    puts(" (try help)\n");
}
}  // namespace

extern "C" int main() {
    puts("gatehouse shell: type help\n");
    static char script[4096];
    u32 n = sys_autorun(script, sizeof script);
    if (!is_error(n) && n >= sizeof script) {
        puts("autorun: the commands are ");
        put_u32(n);
        puts(" characters, more than the shell's 4095: none run\n");
    } else if (!is_error(n) && n > 0) {
        char* s = script;
        while (*s) {
            char* start = s;
            while (*s && *s != ';') s++;
            bool last = !*s;
            *s = '\0';
            puts("> ");
            puts(start);
            puts("\n");
            command(start);
            if (last) break;
            s++;
        }
    }
    char line[128];
    for (;;) {
        puts("> ");
        u32 used = 0;
        for (;;) {
            u32 c = sys_read_char();
            if (is_error(c)) continue;
            if (c == '\r' || c == '\n') break;
            if ((c == 8 || c == 127) && used) {
                used--;
                puts("\b \b");
                continue;
            }
            if (c >= 32 && c < 127 && used < sizeof line - 1) {
                line[used++] = char(c);
                char ch = char(c);
                sys_write(&ch, 1);
            }
        }
        puts("\n");
        line[used] = '\0';
        command(line);
    }
}
