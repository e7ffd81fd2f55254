#include "src/lib/result.hpp"

const char* err_name(Err e) {
    switch (e) {
    case Err::None: return "ok";
    case Err::Invalid: return "invalid";
    case Err::Range: return "out of range";
    case Err::NoMemory: return "no memory";
    case Err::NotFound: return "not found";
    case Err::Busy: return "busy";
    case Err::Fault: return "fault";
    case Err::Unsupported: return "unsupported";
    case Err::Denied: return "denied";
    case Err::Timeout: return "timed out";
    }
    return "?";
}
