#include "user/fuzz/layout.hpp"
#include "user/fuzz/enter.hpp"
#include "src/proc/small_layout.hpp"

extern "C" char __user_rw_start[];  // user/lib/user.ld: the first page of data and bss

namespace fuzz {
namespace {
constexpr u32 kSmallRegion = small::kRegionBase, kSmallRegionBytes = small::kRegionBytes;
// Our rodata page: text lines, so a write() of it prints something readable.
struct RoPage {
    u8 bytes[kPage];
    constexpr RoPage() : bytes() {
        const char line[] = "fuzz-ro-page\n";
        for (u32 i = 0; i < kPage; i++) bytes[i] = u8(line[i % (sizeof line - 1)]);
    }
};
alignas(4096) constexpr RoPage kRo{};
// Two spare pages after what pointers are drawn from: a kernel write runs at most 4108 bytes
// (an IpcMsg), so it never reaches the bss that follows.
alignas(4096) u8 g_scratch[kScratchBytes + 2 * kPage];
// Last in the image (user/lib/user.ld): the page after it is never mapped.
[[gnu::section(".edge")]] alignas(4096) u8 g_edge[kEdgeBytes];

bool in(u32 a, u32 lo, u32 n) { return a - lo < n; }
}  // namespace

Layout g_layout;

void layout_init() {
    g_layout.image_end = u32(uptr(g_edge)) + kEdgeBytes;
    g_layout.disk_bytes = 0;
    g_layout.scratch = g_scratch;
    g_layout.edge = g_edge;
    g_layout.ro_page = kRo.bytes;
}

const char* region_name(Region r) {
    static const char* const k[] = {"unmapped", "image-ro", "own-code", "own-rodata", "image-rw", "scratch",
                                    "edge", "ramdisk-map", "stack", "stub-page", "kernel"};
    return k[r];
}

Region region_of(u32 a) {
    const Layout& L = g_layout;
    if (a >= kUserLimit) return kKernel;
    if (in(a, u32(uptr(fuzz_victim_code)), kPage)) return kVictim;
    if (in(a, u32(uptr(kRo.bytes)), kPage)) return kRoPage;
    if (in(a, u32(uptr(L.scratch)), kScratchBytes)) return kScratch;
    if (in(a, u32(uptr(L.edge)), kEdgeBytes)) return kEdge;
    if (in(a, kImageBase, L.image_end - kImageBase)) {
        return a < u32(uptr(__user_rw_start)) ? kImageRo : kImageRw;
    }
    if (L.disk_bytes && in(a, kDiskAt, L.disk_bytes)) return kDisk;
    if (in(a, kStackLow, kStackTop - kStackLow)) return kStack;
    if (in(a, kStubPage, kPage)) return kStub;
    return kUnmapped;
}

namespace {
bool ro(Region r) { return r == kImageRo || r == kVictim || r == kRoPage || r == kDisk || r == kStub; }
bool writable(Region r) { return r == kScratch || r == kEdge || r == kImageRw || r == kStack; }
}  // namespace

Span classify(u32 ptr, u32 len) {
    // The kernel's own rule (src/proc/internal.hpp user_range_ok): below 3 GiB, no wrap, and not
    // touching the small-space region [0xB0000000, 0xB2000000), which no client may name.
    bool in_limit = len <= kUserLimit && ptr <= kUserLimit - len;
    bool clear_of_small = ptr + len <= kSmallRegion || ptr >= kSmallRegion + kSmallRegionBytes;
    Span s{in_limit && clear_of_small, true, true, false, kUnmapped};
    if (!s.range_ok) {
        s.readable = s.writable = false;
        return s;
    }
    if (len == 0) return s;
    // Page by page from ptr's page to the last byte's.
    for (u32 p = ptr & ~(kPage - 1), last = ptr + len - 1;; p += kPage) {
        Region r = region_of(p < ptr ? ptr : p);
        if (r == kUnmapped || r == kKernel) s.readable = s.writable = false;
        if (!writable(r)) s.writable = false;
        if (ro(r) && !s.touches_ro) {
            s.touches_ro = true;
            s.first_ro = r;
        }
        if (p >= (last & ~(kPage - 1))) break;
    }
    return s;
}

u32 gen_pointer(Rng& r, bool for_write) {
    const Layout& L = g_layout;
    for (;;) {
        u32 p = 0;
        switch (r.below(16)) {
        case 0: p = r.below(0x1000); break;                                         // null page
        case 1: p = u32(uptr(L.scratch)) + r.below(kScratchBytes); break;
        case 2: p = u32(uptr(L.scratch)) + r.below(kScratchBytes / 64) * 64; break;  // aligned
        case 3: p = L.image_end - r.range(1, 1024); break;                           // up to the unmapped page
        case 4: p = u32(uptr(L.edge)) + r.below(kEdgeBytes); break;
        case 5: p = u32(uptr(fuzz_victim_code)) + r.below(kPage); break;            // our code, read-only
        case 6: p = u32(uptr(L.ro_page)) + r.below(kPage); break;                    // our rodata
        case 7: p = kDiskAt + r.below(L.disk_bytes ? L.disk_bytes + 64 : 0x20000); break;
        case 8: p = kStubPage + r.below(kPage + 64) - 32; break;                     // stub page and around
        case 9: p = r.pick<u32, 8>({0xBFFFFFFF, 0xBFFFFFFC, 0xBFFFF000, 0xC0000000, 0xBFFFFFF0, 0xFFFFFFFF,
                                    0xFFFFF000, 0x80000000}); break;
        case 10: p = 0xC0000000 + r.below(0x01000000); break;                        // the kernel
        case 11: p = r.pick<u32, 5>({0x10000000, 0x3FFFF000, 0x00001000, 0x003FF000, 0x7FFFFFFF}); break;
        case 12: p = kStackLow - r.range(1, 64); break;                              // just below the stack
        case 13: p = kStackTop - r.range(1, 64); break;                              // the stack's top
        case 14: p = kImageBase + r.below(0x8000); break;                            // our image's start
        default: p = r.next(); break;
        }
        if (!for_write) return p;
        // Never our own live data (bss, stack): not at p, nor within the longest kernel write
        // (an IpcMsg, 4108 bytes) after it.
        bool live = false;
        for (u32 off = 0; off < kMaxKernelWrite + kPage && !live; off += kPage) {
            u32 q = off < kMaxKernelWrite ? p + off : p + kMaxKernelWrite - 1;
            if (q < p) break;  // wrapped: past 4 GiB nothing is ours
            Region g = region_of(q);
            // Our real code and rodata are read-only, but we run them: a kernel that wrongly
            // writes read-only pages (issue 9, CR0.WP) must be caught on the victim pages
            // (kVictim, kRoPage), not by crashing the fuzzer.
            live = g == kImageRw || g == kStack || g == kImageRo;
        }
        if (!live) return p;
    }
}

u32 gen_length(Rng& r, u32 ptr) {
    switch (r.below(12)) {
    case 0: return 0;
    case 1: return 1;
    case 2: return r.range(2, 16);
    case 3: return r.range(17, 600);
    case 4: return r.pick<u32, 5>({511, 512, 513, 4095, 4096});
    case 5: return kUserLimit - ptr;                 // exactly to the limit
    case 6: return kUserLimit - ptr + 1;             // one past it
    case 7: return 0u - ptr;                         // wraps to 0
    case 8: return r.pick<u32, 4>({0x7FFFFFFF, 0x80000000, 0xFFFFFFFF, 0xC0000000});
    case 9: return r.range(4097, 70000);
    case 10: return 0u - ptr + r.range(1, 64);       // wraps past 0
    default: return r.next();
    }
}

u32 checksum(Region reg) {
    const u8* p = nullptr;
    u32 n = 0;
    switch (reg) {
    case kVictim: p = fuzz_victim_code, n = kPage; break;
    case kRoPage: p = g_layout.ro_page, n = kPage; break;
    case kStub: p = reinterpret_cast<const u8*>(kStubPage), n = kPage; break;
    case kDisk: p = reinterpret_cast<const u8*>(kDiskAt), n = g_layout.disk_bytes; break;
    default: return 0;
    }
    u32 h = 0x811C9DC5u;
    for (u32 i = 0; i < n; i++) h = (h ^ p[i]) * 0x01000193u;
    return h;
}
}  // namespace fuzz
