// spinner: burns the CPU for `arg` PIT ticks without ever making a system call in the loop but to
// read the tick, and exits with (start tick & 0xffff) | (end tick << 16), so the self-test can see
// that two spinners' runs overlapped: only preemption lets a second one start before the first ends.
#include "user/lib/syscall.hpp"

extern "C" int main(u32 ticks) {
    u32 start = sys_ticks();
    u32 now = start;
    while (now - start < ticks) {
        for (u32 i = 0; i < 1000; i++) asm volatile("" ::: "memory");
        now = sys_ticks();
    }
    return int((start & 0xFFFF) | (now << 16));
}
