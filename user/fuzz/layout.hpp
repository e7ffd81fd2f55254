// What the fuzzer knows about its own address space (docs/syscalls.md, "Address space"), so it
// can say what a system call given a pointer must do: which pages are mapped, which read-only,
// which are its own scratch memory the kernel may write. And checksums of the read-only pages a
// kernel write must never change.
#pragma once
#include "src/lib/types.hpp"
#include "user/fuzz/rng.hpp"

namespace fuzz {
constexpr u32 kPage = 4096;
constexpr u32 kImageBase = 0x00400000;
constexpr u32 kUserLimit = 0xC0000000;  // the user segments end here; the kernel starts
constexpr u32 kStackLow = 0xBFFEC000, kStackTop = 0xBFFF0000;
constexpr u32 kStubPage = 0xBFFF8000, kStubBytes = 16;
constexpr u32 kDiskAt = 0x20000000;
constexpr u32 kScratchBytes = 4 * kPage, kEdgeBytes = 2 * kPage;
constexpr u32 kMaxKernelWrite = 12 + 4096;  // the most a system call writes into our memory (an IpcMsg)

enum Region : u8 { kUnmapped, kImageRo, kVictim, kRoPage, kImageRw, kScratch, kEdge, kDisk, kStack, kStub, kKernel };
const char* region_name(Region r);

struct Layout {
    u32 image_end;  // first byte past the image (the end of the edge pages)
    u32 disk_bytes; // the RAM disk mapping at kDiskAt (0 until map_disk)
    u8* scratch;    // kScratchBytes the kernel may write into
    u8* edge;       // kEdgeBytes the kernel may write into; the page after is unmapped
    const u8* ro_page;  // a page of our rodata: "fuzz-ro-page" lines
};
extern Layout g_layout;
void layout_init();

Region region_of(u32 addr);
// What [ptr, ptr + len) is, page by page: inside the user limit without wrapping; every byte
// readable; every byte writable by the kernel on our behalf; any byte on a read-only page.
struct Span {
    bool range_ok, readable, writable, touches_ro;
    Region first_ro;
};
Span classify(u32 ptr, u32 len);

// Pointers and lengths, semi-valid on purpose. `for_write`: the kernel will write there, so
// never into our own live data (it is re-drawn): scratch, edge, read-only, unmapped, kernel.
u32 gen_pointer(Rng& r, bool for_write);
u32 gen_length(Rng& r, u32 ptr);

// FNV-1a over the read-only regions the kernel must never write: our code page, our rodata
// page, the stub page, the RAM disk mapping.
u32 checksum(Region r);
constexpr Region kChecked[] = {kVictim, kRoPage, kStub, kDisk};
}  // namespace fuzz
