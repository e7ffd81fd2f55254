#include <catch2/catch.hpp>
#include <cstring>
#include <string>
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

TEST_CASE("a QEMU-like map passes through, usable edges trimmed to pages", "[memmap]") {
    auto m = sanitize(buffer({{0, 0x9FC00, 1}, {0x9FC00, 0x400, 2}, {0xF0000, 0x10000, 2},
                              {0x100000, 0x7EE0000, 1}, {0x7FE0000, 0x20000, 2}, {0xFFFC0000, 0x40000, 2}}));
    REQUIRE(m->count == 6);  // nothing overlaps, no two neighbours of one kind touch
    CHECK(m->stats.entries == 6);
    CHECK(m->stats.overlaps == 0);
    CHECK(!m->stats.truncated);
    CHECK(m->regions[0].kind == Kind::Usable);
    CHECK(m->regions[0].end == 0x9F000);  // 0x9FC00: the partial page is not handed out
    CHECK(m->stats.trimmed == 1);
    CHECK(m->regions[1].base == 0x9FC00);  // reserved regions are left as the firmware said
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
    auto m = sanitize(buffer({{0x100000, 0, 1}, {0xFFFFFFFFFFFFF000ull, 0x2000, 2}, {0x300000, 0x1000, 9},
                              {0x100000, 0x100000, 1}, {0x400000, 0, 0}}));
    CHECK(m->stats.entries == 5);
    CHECK(m->stats.zero_length == 2);
    CHECK(m->stats.wrapped == 1);
    CHECK(m->stats.unknown_type == 2);  // 9, and 0 of the dropped zero-length entry
    REQUIRE(m->count == 3);
    CHECK(m->regions[0].base == 0x100000);
    CHECK(m->regions[1].kind == Kind::Reserved);   // the unknown type
    CHECK(m->regions[2].base == 0xFFFFFFFFFFFFF000ull);
    CHECK(m->regions[2].end == ~u64(0));           // clipped at the top of the address space
    CHECK(m->regions[2].kind == Kind::Reserved);
    CHECK(m->regions[2].above_4g());
    CHECK(m->stats.above_4g == 1);
    // Nothing above 4 GiB is offered to the frame allocator.
    CHECK(memmap::usable_frames_below_4g(*m) == 0x100);
}

TEST_CASE("3.5 GiB with part above 4 GiB (QEMU -m 3584)", "[memmap]") {
    auto m = sanitize(buffer({{0, 0x9FC00, 1}, {0x100000, 0xBFEE0000 - 0x100000, 1}, {0xFEFFC000, 0x4000, 2},
                              {0x100000000ull, 0x20000000, 1}}));
    check_sorted_disjoint(*m);
    CHECK(memmap::bytes_above_4g(*m) == 0x20000000);
    REQUIRE(m->count == 4);
    CHECK(m->regions[3].above_4g());            // kept in the list, for the record
    CHECK(!m->regions[2].above_4g());
    CHECK(m->stats.above_4g == 1);
    CHECK(memmap::usable_frames_below_4g(*m) == 0x9F + 0xBFDE0);
    CHECK(memmap::usable_bytes_below_4g(*m) == u64(0x9F + 0xBFDE0) << 12);
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
    CHECK(m->stats.above_4g == 0);  // it starts below
    CHECK(memmap::usable_bytes_below_4g(*m) == 0x10000000);
}

TEST_CASE("usable regions are trimmed inward to whole pages", "[memmap]") {
    auto m = sanitize(buffer({{0x1234, 0x3000, 1}, {0x10000, 0x800, 1}}));
    u32 first = 0, last = 0;
    REQUIRE(memmap::usable_frame_range(*m, 0, &first, &last));
    CHECK(first == 2);   // 0x1234 rounds up to 0x2000
    CHECK(last == 3);    // 0x4234 rounds down to 0x4000
    CHECK(!memmap::usable_frame_range(*m, 1, &first, &last));  // half a page: nothing
    REQUIRE(m->count == 1);
    CHECK(m->regions[0].base == 0x2000);
    CHECK(m->regions[0].end == 0x4000);
    CHECK(m->stats.trimmed == 1);
    CHECK(m->stats.sub_page == 1);
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
    CHECK(m->regions[0].end == 0x9F000);  // 639 KiB, trimmed to whole pages
    CHECK(!m->stats.lower_clamped);

    memmap::from_mem_fields(4000, 0, *m);  // mem_lower beyond 640 KiB is a lie
    CHECK(m->stats.lower_clamped);
    REQUIRE(m->count == 1);
    CHECK(m->regions[0].end == 0xA0000);

    memmap::from_mem_fields(0, 0, *m);
    CHECK(m->count == 0);
    CHECK(memmap::usable_frames_below_4g(*m) == 0);
}

TEST_CASE("a Bochs-like map (rombios e820, 64 MiB)", "[memmap]") {
    auto m = sanitize(buffer({{0, 0x9F000, 1}, {0x9F000, 0x1000, 2}, {0xE8000, 0x18000, 2},
                              {0x100000, 0x3EF0000, 1}, {0x3FF0000, 0x10000, 3}, {0xFFFC0000, 0x40000, 2}}));
    REQUIRE(m->count == 6);
    CHECK(m->stats.trimmed == 0);
    CHECK(m->stats.overlaps == 0);
    CHECK(m->regions[4].kind == Kind::Acpi);
    CHECK(m->regions[4].base == 0x3FF0000);
    CHECK(std::string(memmap::kind_name(m->regions[4].kind)) == "acpi");
    CHECK(memmap::usable_bytes_below_4g(*m) == 0x9F000 + 0x3EF0000);
    memmap::UsableFrames it(*m);
    u32 first = 0, last = 0;
    REQUIRE(it.next(&first, &last));
    CHECK(first == 0);
    CHECK(last == 0x9E);
    REQUIRE(it.next(&first, &last));
    CHECK(first == 0x100);
    CHECK(last == 0x3FEF);
    CHECK(!it.next(&first, &last));
    CHECK(!it.next(&first, &last));  // stays exhausted
}

TEST_CASE("every kind and the restrictiveness order", "[memmap]") {
    // One usable range covered piecewise by each other kind, plus all of them over one page.
    auto m = sanitize(buffer({{0x100000, 0x10000, 1}, {0x101000, 0x1000, 3}, {0x103000, 0x1000, 4},
                              {0x105000, 0x1000, 2}, {0x107000, 0x1000, 5},
                              {0x200000, 0x1000, 3}, {0x200000, 0x1000, 5}, {0x200000, 0x1000, 4},
                              {0x200000, 0x1000, 1}, {0x200000, 0x1000, 2}}));
    check_sorted_disjoint(*m);
    const Kind want[] = {Kind::Usable, Kind::Acpi, Kind::Usable, Kind::Nvs, Kind::Usable,
                         Kind::Reserved, Kind::Usable, Kind::Bad, Kind::Usable, Kind::Bad};
    REQUIRE(m->count == 10);
    for (u32 i = 0; i < 10; i++) CHECK(m->regions[i].kind == want[i]);
    CHECK(m->regions[9].base == 0x200000);
    CHECK(m->regions[9].end == 0x201000);
    CHECK(memmap::usable_frames_below_4g(*m) == 16 - 4);
}

TEST_CASE("an unaligned buffer and a missing one", "[memmap]") {
    auto b = buffer({{0x100000, 0x100000, 1}});
    std::vector<u8> shifted(1, 0xEE);
    shifted.insert(shifted.end(), b.begin(), b.end());
    memmap::Map m;
    memmap::sanitize(shifted.data() + 1, u32(b.size()), m);
    REQUIRE(m.count == 1);
    CHECK(m.regions[0].end == 0x200000);

    memmap::sanitize(nullptr, 24, m);  // flags said there is a map, the address says otherwise
    CHECK(m.count == 0);
    CHECK(m.stats.truncated);
    memmap::sanitize(nullptr, 0, m);
    CHECK(!m.stats.truncated);
}

TEST_CASE("sanitizing again starts from scratch", "[memmap]") {
    memmap::Map m;
    memmap::sanitize(buffer({{0x100000, 0, 1}, {0x100000, 0x100000, 1}}).data(), 48, m);
    CHECK(m.stats.zero_length == 1);
    auto b = buffer({{0, 0x1000, 1}});
    memmap::sanitize(b.data(), u32(b.size()), m);
    CHECK(m.stats.zero_length == 0);
    CHECK(m.stats.entries == 1);
    CHECK(m.count == 1);
}

TEST_CASE("more sanitized pieces than the list holds are counted", "[memmap]") {
    // One usable range with 63 reserved holes: 127 pieces for a 64-entry list.
    std::vector<u8> b = buffer({{0, 0x800000, 1}});
    for (u32 i = 0; i < 63; i++) {
        auto one = buffer({{u64(i) * 0x20000 + 0x10000, 0x1000, 2}});
        b.insert(b.end(), one.begin(), one.end());
    }
    auto m = sanitize(b);
    CHECK(m->stats.too_many == 0);
    CHECK(m->count == memmap::Map::kMax);
    CHECK(m->stats.out_of_room == 127 - memmap::Map::kMax);
    check_sorted_disjoint(*m);
    CHECK(m->regions[0].kind == Kind::Usable);
    CHECK(m->regions[1].kind == Kind::Reserved);
    CHECK(m->regions[63].kind == Kind::Reserved);  // the highest pieces are the ones lost
}
