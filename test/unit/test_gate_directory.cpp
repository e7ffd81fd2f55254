#include <catch2/catch.hpp>
#include <memory>
#include "src/drv/gate_directory.hpp"

TEST_CASE("the gate directory resolves names to gates", "[gatedir]") {
    auto dir = std::make_unique<drv::GateDirectory<4>>();
    CHECK(dir->add(Str("kernel.ticks"), 0x38).value() == 0);
    CHECK(dir->add(Str("null.echo"), 0x40).value() == 1);
    const drv::GateEntry* e = dir->find(Str("null.echo"));
    REQUIRE(e);
    CHECK(e->gate == 0x40);
    CHECK(e->export_id == 1);
    CHECK(dir->find(Str("null.echoo")) == nullptr);
    CHECK(dir->find(Str("null")) == nullptr);
}

TEST_CASE("names are taken once, must be well formed, and the table is bounded", "[gatedir]") {
    auto dir = std::make_unique<drv::GateDirectory<3>>();
    CHECK(dir->add(Str("a.x"), 0x38).ok());
    CHECK(dir->add(Str("a.x"), 0x40).error() == Err::Invalid);  // duplicate
    CHECK(dir->add(Str("no_dot"), 0x40).error() == Err::Invalid);
    CHECK(dir->add(Str("Bad.Name"), 0x40).error() == Err::Invalid);
    CHECK(dir->add(Str("a.y"), 0x40).ok());
    CHECK(dir->add(Str("a.z"), 0x48).ok());
    CHECK(dir->add(Str("a.w"), 0x50).error() == Err::NoMemory);
    CHECK(dir->count() == 3);
}

TEST_CASE("removed entries are not found and their ids are not reused", "[gatedir]") {
    auto dir = std::make_unique<drv::GateDirectory<4>>();
    u32 id = dir->add(Str("pit.ticks"), 0x38).value();
    dir->remove(id);
    CHECK(dir->find(Str("pit.ticks")) == nullptr);
    CHECK(dir->next_id() == 1);
    CHECK(dir->add(Str("pit.ticks"), 0x40).value() == 1);  // the name is free again, under a new id
}
