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
    REQUIRE(c.size() > 20);
    using drv::CallRecord;
    CHECK(c["REC_CALLER_ESP"] == (long long)(offsetof(CallRecord, caller_esp)));
    CHECK(c["REC_CALLER_SS"] == (long long)(offsetof(CallRecord, caller_ss)));
    CHECK(c["REC_CALLER_DS"] == (long long)(offsetof(CallRecord, caller_ds)));
    CHECK(c["REC_CALLER_ES"] == (long long)(offsetof(CallRecord, caller_es)));
    CHECK(c["REC_CALLER_EFLAGS"] == (long long)(offsetof(CallRecord, caller_eflags)));
    CHECK(c["REC_EBX"] == (long long)(offsetof(CallRecord, ebx)));
    CHECK(c["REC_ESI"] == (long long)(offsetof(CallRecord, esi)));
    CHECK(c["REC_EDI"] == (long long)(offsetof(CallRecord, edi)));
    CHECK(c["REC_EBP"] == (long long)(offsetof(CallRecord, ebp)));
    CHECK(c["REC_EXPORT"] == (long long)(offsetof(CallRecord, export_id)));
    CHECK(c["REC_DRIVER"] == (long long)(offsetof(CallRecord, driver)));
    CHECK(c["REC_SLOT"] == (long long)(offsetof(CallRecord, slot)));
    CHECK(c["REC_PREV_KSTACK"] == (long long)(offsetof(CallRecord, prev_kstack)));
    CHECK(c["REC_START_TICK"] == (long long)(offsetof(CallRecord, start_tick)));
    CHECK(c["REC_ARG_A"] == (long long)(offsetof(CallRecord, arg_a)));
    CHECK(c["REC_ARG_B"] == (long long)(offsetof(CallRecord, arg_b)));
    CHECK(c["REC_ARG_C"] == (long long)(offsetof(CallRecord, arg_c)));
    CHECK(c["REC_NEW_ESP"] == (long long)(offsetof(CallRecord, new_esp)));
    CHECK(c["REC_NEW_SS"] == (long long)(offsetof(CallRecord, new_ss)));
    CHECK(c["REC_SIZE"] == (long long)(sizeof(CallRecord)));
    CHECK(c["TC_KSTACK_ESP"] == (long long)(offsetof(drv::ThreadCalls, kstack_esp)));
    CHECK(c["TC_DEPTH"] == (long long)(offsetof(drv::ThreadCalls, depth)));
    CHECK(c["TC_REC"] == (long long)(offsetof(drv::ThreadCalls, rec)));
    CHECK(c["MAX_DEPTH"] == (long long)(drv::kMaxDepth));
    CHECK(c["DRV_CS"] == (long long)(offsetof(drv::DriverRt, cs)));
    CHECK(c["DRV_DS"] == (long long)(offsetof(drv::DriverRt, ds)));
    CHECK(c["DRV_TRAMPOLINE"] == (long long)(offsetof(drv::DriverRt, trampoline)));
    CHECK(c["DRV_SLOT_BYTES"] == (long long)(offsetof(drv::DriverRt, slot_bytes)));
    CHECK(c["DRV_SLOT_COUNT"] == (long long)(offsetof(drv::DriverRt, slot_count)));
    CHECK(c["DRV_BUSY"] == (long long)(offsetof(drv::DriverRt, busy)));
    CHECK(c["DRV_UP"] == (long long)(offsetof(drv::DriverRt, up)));
    CHECK(c["DRV_CALLS"] == (long long)(offsetof(drv::DriverRt, calls)));
    CHECK(c["DRV_SIZE"] == (long long)(sizeof(drv::DriverRt)));
    CHECK(c["EXP_DRIVER"] == (long long)(offsetof(drv::ExportRt, driver)));
    CHECK(c["EXP_CODE"] == (long long)(offsetof(drv::ExportRt, code)));
    CHECK(c["EXP_SIZE"] == (long long)(sizeof(drv::ExportRt)));
    CHECK(c["MAX_EXPORT_IDS"] == (long long)(drv::kMaxExportIds));
    CHECK(c["NO_SLOT"] == (long long)(drv::kNoSlot));
    CHECK(c["ERR_BUSY"] == (long long)(Err::Busy));
    CHECK(c["ERR_FAULT"] == (long long)(Err::Fault));
    CHECK(c["ERR_UNSUPPORTED"] == (long long)(Err::Unsupported));
    CHECK(c["ERR_RANGE"] == (long long)(Err::Range));
}
