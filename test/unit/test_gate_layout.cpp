// The gate stubs (NASM) and the C++ side must agree on every structure offset: read the
// constants from src/drv/gate_layout.inc and compare them with offsetof().
#include <catch2/catch.hpp>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include "src/drv/gate_layout.hpp"
#include "src/lib/result.hpp"

namespace {
std::map<std::string, long long> inc_constants() {
    std::map<std::string, long long> out;
    std::ifstream f("src/drv/gate_layout.inc");
    std::string line;
    while (std::getline(f, line)) {
        std::istringstream in(line);
        std::string name, equ, value;
        if (in >> name >> equ >> value && equ == "equ") out[name] = std::stoll(value, nullptr, 0);
    }
    return out;
}
}  // namespace

TEST_CASE("gate_layout.inc matches gate_layout.hpp", "[gate]") {
    auto c = inc_constants();
    REQUIRE(c.size() > 15);
    using drv::CallRecord;
    CHECK(c["REC_CALLER_ESP"] == (long long)(offsetof(CallRecord, caller_esp)));
    CHECK(c["REC_CALLER_SS"] == (long long)(offsetof(CallRecord, caller_ss)));
    CHECK(c["REC_EXPORT"] == (long long)(offsetof(CallRecord, export_id)));
    CHECK(c["REC_TICKS"] == (long long)(offsetof(CallRecord, ticks)));
    CHECK(c["REC_SIZE"] == (long long)(sizeof(CallRecord)));
    CHECK(c["CALLS_TOP"] == (long long)(offsetof(drv::Calls, top)));
    CHECK(c["CALLS_REC"] == (long long)(offsetof(drv::Calls, rec)));
    CHECK(c["KERNEL_ENTRY_LIMIT"] == (long long)(drv::kKernelEntryLimit));
    CHECK(c["DRV_DS"] == (long long)(offsetof(drv::DriverRt, ds)));
    CHECK(c["DRV_CS"] == (long long)(offsetof(drv::DriverRt, cs)));
    CHECK(c["DRV_SIZE"] == (long long)(sizeof(drv::DriverRt)));
    CHECK(c["EXP_DRIVER"] == (long long)(offsetof(drv::ExportRt, driver)));
    CHECK(c["EXP_CODE"] == (long long)(offsetof(drv::ExportRt, code)));
    CHECK(c["EXP_THUNK"] == (long long)(offsetof(drv::ExportRt, thunk)));
    CHECK(c["EXP_SIZE"] == (long long)(sizeof(drv::ExportRt)));
    CHECK(c["MAX_EXPORT_IDS"] == (long long)(drv::kMaxExportIds));
    CHECK(c["KERNEL_CS"] == 0x08);
    CHECK(c["KERNEL_DS"] == 0x10);
    CHECK(c["ERR_BUSY"] == (long long)(Err::Busy));
    CHECK(c["ERR_UNSUPPORTED"] == (long long)(Err::Unsupported));
}

TEST_CASE("the records cannot run out", "[gate]") {
    // Driver entries stop at depth kMaxSlots, kernel-service entries at kKernelEntryLimit, and
    // each nested trap steps over one record: the array holds the deepest possible chain.
    STATIC_REQUIRE(drv::kKernelEntryLimit >= drv::kMaxSlots);
    STATIC_REQUIRE(drv::kMaxRecords > drv::kKernelEntryLimit + drv::kTrapNesting);
    STATIC_REQUIRE(sizeof(drv::StackEntry) == sizeof(drv::CallRecord));  // one index for both tables
}
