#include <catch2/catch.hpp>
#include <memory>
#include <set>
#include <string>
#include <type_traits>
#include <vector>
#include "gdt/selector_alloc.hpp"

namespace {
const char* const kOwners[] = {"null", "kernel", "kernel"};
}

TEST_CASE("fixed entries are owned and permanent", "[selector_alloc]") {
    SelectorAlloc<8> a;
    a.init(3, kOwners);
    CHECK(a.used() == 3);
    CHECK(std::string(a.owner(1)) == "kernel");
    CHECK(a.owner(3) == nullptr);
    CHECK(a.free(0).error() == Err::Invalid);
    CHECK(a.free(2).error() == Err::Invalid);
    CHECK(a.used() == 3);
}

TEST_CASE("allocation is in order, until the table is full", "[selector_alloc]") {
    SelectorAlloc<8> a;
    a.init(3, kOwners);
    for (u16 want = 3; want < 8; want++) {
        auto r = a.alloc("drv");
        REQUIRE(r.ok());
        CHECK(r.value() == want);
    }
    CHECK(a.alloc("drv").error() == Err::NoMemory);
    CHECK(a.used() == 8);
}

TEST_CASE("free entries are reused; double and bad frees are refused", "[selector_alloc]") {
    SelectorAlloc<8> a;
    a.init(3, kOwners);
    u16 x = a.alloc("a").value();
    u16 y = a.alloc("b").value();
    CHECK(std::string(a.owner(y)) == "b");
    CHECK(a.free(x).ok());
    CHECK(a.owner(x) == nullptr);
    CHECK(a.free(x).error() == Err::NotFound);  // double free
    CHECK(a.free(8).error() == Err::Range);
    CHECK(a.free(0xFFFF).error() == Err::Range);
    CHECK(a.used() == 4);
    auto again = a.alloc("c");
    REQUIRE(again.ok());
    CHECK(again.value() == x);                  // the freed entry comes back first
    CHECK(std::string(a.owner(x)) == "c");
    CHECK(a.alloc(nullptr).error() == Err::Invalid);
}

TEST_CASE("a full-size GDT allocator hands out every index once", "[selector_alloc]") {
    auto a = std::make_unique<SelectorAlloc<8192>>();
    a->init(3, kOwners);
    std::set<u16> seen;
    for (;;) {
        auto r = a->alloc("x");
        if (!r.ok()) break;
        CHECK(seen.insert(r.value()).second);
    }
    CHECK(seen.size() == 8192 - 3);
    CHECK(*seen.begin() == 3);
    CHECK(*seen.rbegin() == 8191);
    CHECK(a->used() == 8192);
}

TEST_CASE("owners default to kernel; before init() everything is refused", "[selector_alloc]") {
    static_assert(std::is_trivially_default_constructible_v<SelectorAlloc<8192>>);
    SelectorAlloc<8> zero{};  // what the kernel's .bss instance is before gdt::init()
    CHECK(zero.alloc("x").error() == Err::Invalid);
    CHECK(zero.free(5).error() == Err::Invalid);
    CHECK(zero.owner(0) == nullptr);
    CHECK(zero.next_used(0) == 8);
    CHECK(zero.free_count() == 0);

    SelectorAlloc<8> a;
    a.init(7);  // null, code, data, user code, user data, TSS, #DF TSS
    for (u16 i = 0; i < 7; i++) CHECK(std::string(a.owner(i)) == "kernel");
    CHECK(a.free_count() == 1);
    CHECK(a.alloc("only").value() == 7);
    CHECK(a.alloc("none left").error() == Err::NoMemory);
    const char* const partial[] = {"null", nullptr};
    a.init(2, partial);  // init again: a fresh table
    CHECK(std::string(a.owner(0)) == "null");
    CHECK(std::string(a.owner(1)) == "kernel");
    CHECK(a.used() == 2);
    CHECK(a.owner(7) == nullptr);
}

TEST_CASE("iteration visits exactly the used entries in order", "[selector_alloc]") {
    SelectorAlloc<16> a;
    a.init(3, kOwners);
    for (int i = 0; i < 6; i++) (void)a.alloc("d");  // 3..8
    REQUIRE(a.free(4).ok());
    REQUIRE(a.free(7).ok());
    std::vector<u32> seen;
    for (u32 i = a.next_used(0); i < 16; i = a.next_used(i + 1)) seen.push_back(i);
    CHECK(seen == std::vector<u32>{0, 1, 2, 3, 5, 6, 8});
    CHECK(seen.size() == a.used());
    CHECK(a.next_used(9) == 16);
    CHECK(a.next_used(100) == 16);
    CHECK(a.owner(100) == nullptr);
}

TEST_CASE("contiguous runs", "[selector_alloc]") {
    SelectorAlloc<16> a;
    a.init(3, kOwners);
    CHECK(a.alloc("x").value() == 3);
    CHECK(a.alloc("x").value() == 4);
    CHECK(a.alloc("x").value() == 5);
    REQUIRE(a.free(4).ok());  // a one-entry hole at 4: too small for a pair
    auto pair = a.alloc_range("drv", 2);
    REQUIRE(pair.ok());
    CHECK(pair.value() == 6);
    CHECK(std::string(a.owner(6)) == "drv");
    CHECK(std::string(a.owner(7)) == "drv");
    CHECK(a.used() == 7);
    // The run left the free list: single allocations go 4, then 8..15, never 6 or 7 again.
    std::vector<u16> singles;
    for (;;) {
        auto r = a.alloc("y");
        if (!r.ok()) break;
        singles.push_back(r.value());
    }
    CHECK(singles == std::vector<u16>{4, 8, 9, 10, 11, 12, 13, 14, 15});
    CHECK(a.used() == 16);
    CHECK(a.alloc_range("drv", 1).error() == Err::NoMemory);
    REQUIRE(a.free(15).ok());
    REQUIRE(a.free(14).ok());
    CHECK(a.alloc_range("drv", 3).error() == Err::NoMemory);
    CHECK(a.alloc_range("drv", 2).value() == 14);
    CHECK(a.alloc_range("drv", 0).error() == Err::Invalid);
    CHECK(a.alloc_range(nullptr, 1).error() == Err::Invalid);
    // A run is freed entry by entry.
    REQUIRE(a.free(6).ok());
    REQUIRE(a.free(7).ok());
    CHECK(a.free(7).error() == Err::NotFound);
}
