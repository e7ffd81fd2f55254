// The kernel's exports ("kernel.*"): what drivers may import from the kernel, each reached
// through its own call gate like any driver export.
#include "src/console.hpp"
#include "src/dev/pit.hpp"
#include "src/drv/kernel_services.hpp"

namespace {
#define SERVICE __attribute__((regparm(3))) u32
SERVICE ticks(u32, u32, u32) { return pit::ticks(); }
SERVICE putc(u32 c, u32, u32) {
    console::put(char(c));
    return 0;
}
SERVICE echo(u32 a, u32, u32) { return a; }
#undef SERVICE
}  // namespace

namespace drv {
const KernelService kKernelServices[] = {
    {"kernel.ticks", &ticks},
    {"kernel.putc", &putc},
    {"kernel.echo", &echo},
};
const u32 kKernelServiceCount = sizeof(kKernelServices) / sizeof(kKernelServices[0]);
}  // namespace drv
