#include <catch2/catch.hpp>
#include <cstring>
#include <memory>
#include <vector>
#include "src/boot/memmap.hpp"

using memmap::Kind;

namespace {
struct Raw {
    u64 base, len;
    u32 type;
};

// Build a multiboot mmap buffer the way GRUB lays it out: u32 size (20), u64 base, u64 len, u32 type.
std::vector<u8> buffer(std::initializer_list<Raw> entries, u32 size_field = 20) {
    std::vector<u8> b;
    for (const Raw& e : entries) {
        u8 rec[24];
        std::memcpy(rec, &size_field, 4);
        std::memcpy(rec + 4, &e.base, 8);
        std::memcpy(rec + 12, &e.len, 8);
        std::memcpy(rec + 20, &e.type, 4);
        b.insert(b.end(), rec, rec + 24);
    }
    return b;
}

std::unique_ptr<memmap::Map> sanitize(const std::vector<u8>& b) {
    auto m = std::make_unique<memmap::Map>();
    memmap::sanitize(b.data(), u32(b.size()), *m);
    return m;
}

void check_sorted_disjoint(const memmap::Map& m) {
    for (u32 i = 0; i < m.count; i++) {
        CHECK(m.regions[i].base < m.regions[i].end);
        if (i) CHECK(m.regions[i - 1].end <= m.regions[i].base);
    }
}
}  // namespace

TEST_CASE("a QEMU-like map passes through unchanged", "[memmap]") {
    auto m = sanitize(buffer({{0, 0x9FC00, 1}, {0x9FC00, 0x400, 2}, {0xF0000, 0x10000, 2},
                              {0x100000, 0x7EE0000, 1}, {0x7FE0000, 0x20000, 2}, {0xFFFC0000, 0x40000, 2}}));
    REQUIRE(m->count == 6);  // nothing overlaps, no two neighbours of one kind touch
    CHECK(m->stats.entries == 6);
    CHECK(m->stats.overlaps == 0);
    CHECK(!m->stats.truncated);
    CHECK(m->regions[0].kind == Kind::Usable);
    CHECK(m->regions[0].end == 0x9FC00);
    CHECK(m->regions[1].kind == Kind::Reserved);
    CHECK(m->regions[3].base == 0x100000);
    CHECK(m->regions[3].end == 0x7FE0000);
    check_sorted_disjoint(*m);
    // 0x9F frames below 640K (0x9FC00 trims to 0x9F000) + 0x7EE0 frames above 1 MiB.
    CHECK(memmap::usable_frames_below_4g(*m) == 0x9F + 0x7EE0);
}

TEST_CASE("adjacent entries of the same kind merge", "[memmap]") {
    auto m = sanitize(buffer({{0x100000, 0x100000, 1}, {0x200000, 0x100000, 1}}));
    REQUIRE(m->count == 1);
    CHECK(m->regions[0].end == 0x300000);
}

TEST_CASE("unsorted and duplicate entries", "[memmap]") {
    auto m = sanitize(buffer({{0x200000, 0x100000, 1}, {0, 0x9F000, 1}, {0x200000, 0x100000, 1}}));
    REQUIRE(m->count == 2);
    CHECK(m->regions[0].base == 0);
    CHECK(m->regions[1].base == 0x200000);
    CHECK(m->stats.overlaps == 1);
    check_sorted_disjoint(*m);
}

TEST_CASE("overlaps: the more restrictive kind wins", "[memmap]") {
    // A usable range with a reserved hole punched into its middle, and an ACPI range straddling its end.
    auto m = sanitize(buffer({{0x100000, 0x400000, 1}, {0x200000, 0x1000, 2}, {0x4FF000, 0x2000, 3}}));
    REQUIRE(m->count == 4);
    CHECK(m->regions[0].end == 0x200000);
    CHECK(m->regions[1].kind == Kind::Reserved);
    CHECK(m->regions[1].end == 0x201000);
    CHECK(m->regions[2].kind == Kind::Usable);
    CHECK(m->regions[2].end == 0x4FF000);
    CHECK(m->regions[3].kind == Kind::Acpi);
    CHECK(m->regions[3].base == 0x4FF000);
    CHECK(m->regions[3].end == 0x501000);  // the ACPI part past the usable range survives, merged
    CHECK(m->stats.overlaps == 2);
    check_sorted_disjoint(*m);
}

TEST_CASE("zero-length, wrapping and unknown-type entries", "[memmap]") {
    auto m = sanitize(buffer({{0x100000, 0, 1}, {0xFFFFFFFFFFFFF000ull, 0x2000, 1}, {0x300000, 0x1000, 9},
                              {0x100000, 0x100000, 1}}));
    CHECK(m->stats.zero_length == 1);
    CHECK(m->stats.wrapped == 1);
    CHECK(m->stats.unknown_type == 1);
    REQUIRE(m->count == 3);
    CHECK(m->regions[0].base == 0x100000);
    CHECK(m->regions[1].kind == Kind::Reserved);   // the unknown type
    CHECK(m->regions[2].end == ~u64(0));           // clipped at the top of the address space
    // Nothing above 4 GiB is offered to the frame allocator.
    CHECK(memmap::usable_frames_below_4g(*m) == 0x100);
}

TEST_CASE("3.5 GiB with part above 4 GiB (QEMU -m 3584)", "[memmap]") {
    auto m = sanitize(buffer({{0, 0x9FC00, 1}, {0x100000, 0xBFEE0000 - 0x100000, 1}, {0xFEFFC000, 0x4000, 2},
                              {0x100000000ull, 0x20000000, 1}}));
    check_sorted_disjoint(*m);
    CHECK(memmap::bytes_above_4g(*m) == 0x20000000);
    u32 first = 0, last = 0;
    REQUIRE(memmap::usable_frame_range(*m, 1, &first, &last));
    CHECK(first == 0x100);
    CHECK(last == 0xBFEDF);
    CHECK(!memmap::usable_frame_range(*m, 2, &first, &last));  // the region above 4 GiB is skipped
}

TEST_CASE("a usable region crossing 4 GiB is cut there", "[memmap]") {
    auto m = sanitize(buffer({{0xF0000000, 0x20000000, 1}}));
    u32 first = 0, last = 0;
    REQUIRE(memmap::usable_frame_range(*m, 0, &first, &last));
    CHECK(first == 0xF0000);
    CHECK(last == 0xFFFFF);
    CHECK(memmap::bytes_above_4g(*m) == 0x10000000);
}

TEST_CASE("usable regions are trimmed inward to whole pages", "[memmap]") {
    auto m = sanitize(buffer({{0x1234, 0x3000, 1}, {0x10000, 0x800, 1}}));
    u32 first = 0, last = 0;
    REQUIRE(memmap::usable_frame_range(*m, 0, &first, &last));
    CHECK(first == 2);   // 0x1234 rounds up to 0x2000
    CHECK(last == 3);    // 0x4234 rounds down to 0x4000
    CHECK(!memmap::usable_frame_range(*m, 1, &first, &last));  // half a page: nothing
}

TEST_CASE("a truncated buffer or a bogus size field stops parsing safely", "[memmap]") {
    auto b = buffer({{0, 0x9F000, 1}, {0x100000, 0x100000, 1}});
    auto cut = sanitize(std::vector<u8>(b.begin(), b.end() - 5));
    CHECK(cut->stats.truncated);
    CHECK(cut->stats.entries == 1);
    REQUIRE(cut->count == 1);

    auto bogus = sanitize(buffer({{0, 0x9F000, 1}}, 8));  // size < 20
    CHECK(bogus->stats.truncated);
    CHECK(bogus->count == 0);

    auto huge = sanitize(buffer({{0, 0x9F000, 1}}, 0xFFFFFFF0));  // would run past the buffer
    CHECK(huge->stats.truncated);
    CHECK(huge->count == 0);

    auto empty = sanitize({});
    CHECK(empty->count == 0);
    CHECK(!empty->stats.truncated);
}

TEST_CASE("a larger size field skips the extra bytes", "[memmap]") {
    // GRUB may use size 24 on some builds: the next entry is at entry + size + 4.
    std::vector<u8> b;
    for (Raw e : {Raw{0, 0x9F000, 1}, Raw{0x100000, 0x100000, 1}}) {
        u32 size = 24;
        u8 rec[28] = {};
        std::memcpy(rec, &size, 4);
        std::memcpy(rec + 4, &e.base, 8);
        std::memcpy(rec + 12, &e.len, 8);
        std::memcpy(rec + 20, &e.type, 4);
        b.insert(b.end(), rec, rec + 28);
    }
    auto m = sanitize(b);
    CHECK(m->stats.entries == 2);
    CHECK(m->count == 2);
}

TEST_CASE("more entries than capacity are counted and ignored", "[memmap]") {
    std::vector<u8> b;
    for (u32 i = 0; i < memmap::Map::kMax + 3; i++) {
        auto one = buffer({{u64(i) * 0x10000, 0x1000, 1}});
        b.insert(b.end(), one.begin(), one.end());
    }
    auto m = sanitize(b);
    CHECK(m->stats.too_many == 3);
    CHECK(m->count == memmap::Map::kMax);
    check_sorted_disjoint(*m);
}

TEST_CASE("no map: mem_lower/mem_upper", "[memmap]") {
    auto m = std::make_unique<memmap::Map>();
    memmap::from_mem_fields(639, 7 * 1024, *m);
    CHECK(m->stats.from_mem_fields);
    REQUIRE(m->count == 2);
    CHECK(m->regions[1].end == 0x800000);
    CHECK(memmap::usable_frames_below_4g(*m) == 159 + 7 * 256);
}
