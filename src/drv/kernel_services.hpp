#pragma once
#include "src/lib/types.hpp"

namespace drv {
typedef u32 (*ServiceFn)(u32, u32, u32) __attribute__((regparm(3)));
struct KernelService {
    const char* name;
    ServiceFn fn;
};
extern const KernelService kKernelServices[];
extern const u32 kKernelServiceCount;
// The multiboot module "disk.img" backs the ramdisk driver.
void set_disk_module(u32 linear, u32 bytes);
bool disk_module(u32* linear, u32* bytes);  // where it is (direct map), for the IPC disk server
}  // namespace drv
