// hello: the first ring-3 program. Writes through a patched system call site, reads its pid,
// checks a bad pointer comes back as an error, and exits with a code the self-test checks.
#include "user/lib/io.hpp"

extern "C" int main() {
    const char msg[] = "hello from ring 3\n";
    if (sys_write(msg, u32(str_len(msg))) != u32(str_len(msg))) return 10;
    // The same site twice: patched on the first run, a plain call on the second.
    for (int i = 0; i < 2; i++)
        if (sys_getpid() == 0) return 11;
    // A pointer into the kernel, and a length that wraps: errors, never a panic.
    if (sys_write(reinterpret_cast<const char*>(0xC0100000), 16) < 0xFFFFFF00u) return 12;
    if (sys_write(msg, 0xFFFFFFF0u) < 0xFFFFFF00u) return 13;
    if (GH_SYSCALL(999, 0, 0, 0) < 0xFFFFFF00u) return 14;  // unknown number
    // Drivers through the kernel: an export by name, and names that are not in the directory.
    if (sys_driver_call("null.sum", 40, 2) != 42) return 15;
    if (sys_driver_call("null.no_such", 0, 0) < 0xFFFFFF00u) return 16;
    if (sys_driver_call(reinterpret_cast<const char*>(0xC0100000), 0, 0) < 0xFFFFFF00u) return 17;
    // The runtime's formatted output and strings.
    printf("hello: pid %u, mechanism %u, %s\n", sys_getpid(), sys_mechanism(), Str("abc").eq("abc") ? "strings ok" : "?");
    return 42;
}
