#include <catch2/catch.hpp>
#include <memory>
#include <set>
#include <string>
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
