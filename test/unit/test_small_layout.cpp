// Small address spaces: the slot layout, the descriptors, the per-process patching choice, and
// the program-header flag on the real built small server (src/proc/small_layout.hpp).
#include <catch2/catch.hpp>
#include <fstream>
#include <iterator>
#include <vector>
#include "src/proc/internal.hpp"
#include "src/proc/small_layout.hpp"
#include "src/proc/user_image.hpp"

namespace {
std::vector<u8> load(const char* path) {
    std::ifstream f(path, std::ios::binary);
    return std::vector<u8>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}
}  // namespace

TEST_CASE("each slot's descriptors cover exactly the slot, at DPL 2, hidden until their server runs", "[small]") {
    for (u32 s = 0; s < small::kSlots; s++) {
        for (u64 d : {small::code_descriptor(s), small::data_descriptor(s)}) {
            desc::Decoded x = desc::decode(d);
            CHECK(x.base == small::kRegionBase + s * small::kSlotBytes);
            CHECK(x.limit == small::kSlotBytes - 1);  // page granular, not one byte more
            CHECK(x.dpl == 2);
            CHECK_FALSE(x.present);
            CHECK(x.db);
            CHECK((x.type & desc::kAccessed) != 0);  // the CPU never writes it
        }
        CHECK(desc::is_code(desc::decode(small::code_descriptor(s))));
        CHECK(desc::is_data(desc::decode(small::data_descriptor(s))));
    }
    CHECK(small::code_descriptor(0) == 0xB0C05B00000003FFull);  // by hand from [intel/vol3] figure 3-8
    CHECK(small::data_descriptor(1) == 0xB0C05340000003FFull);
}

TEST_CASE("the region lies below the user stacks and is never a user buffer", "[small]") {
    CHECK(small::slot_base(0) == 0xB0000000);
    CHECK(small::slot_base(7) + small::kSlotBytes == 0xB2000000);
    CHECK(small::in_region(0xB0000000));
    CHECK(small::in_region(0xB1FFFFFF));
    CHECK_FALSE(small::in_region(0xAFFFFFFF));
    CHECK_FALSE(small::in_region(0xB2000000));
    CHECK_FALSE(proc::user_range_ok(0xB0001000, 16));
    CHECK_FALSE(proc::user_range_ok(0xAFFFF000, 0x2000));  // straddles into it
    CHECK(proc::user_range_ok(0xAFFFF000, 0x1000));
    CHECK(small::range_ok(0, small::kSlotBytes));
    CHECK_FALSE(small::range_ok(1, small::kSlotBytes));
    CHECK_FALSE(small::range_ok(0xFFFFFFF0, 0x20));  // no wrap
}

TEST_CASE("small servers' sites are never patched to SYSENTER", "[small]") {
    using proc::Mech;
    CHECK(small::site_mechanism(Mech::Sysenter, true) == Mech::Gate);
    CHECK(small::site_mechanism(Mech::Gate, true) == Mech::Gate);
    CHECK(small::site_mechanism(Mech::Int80, true) == Mech::Int80);
    CHECK(small::site_mechanism(Mech::Sysenter, false) == Mech::Sysenter);
}

TEST_CASE("the small-space program header marks smallecho, not echosrv", "[small]") {
    auto s = load("build/user/smallecho.elf");
    auto n = load("build/user/echosrv.elf");
    REQUIRE(s.size() > 512);  // run `make kernel` first
    REQUIRE(n.size() > 512);
    proc::UserImage img;
    const char* why = nullptr;
    REQUIRE(proc::parse_user_image(s.data(), u32(s.size()), &img, &why));
    CHECK(img.small_space);
    CHECK(img.entry >= small::kImageLow);
    for (u32 i = 0; i < img.count; i++) CHECK(img.seg[i].vaddr + img.seg[i].memsz <= small::kImageTop);
    REQUIRE(proc::parse_user_image(n.data(), u32(n.size()), &img, &why));
    CHECK_FALSE(img.small_space);
}
