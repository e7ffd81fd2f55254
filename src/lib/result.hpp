// Errors are values: Result<T> carries either a T or an Err, and TRY() propagates the error.
// Freestanding: no exceptions, no heap, trivially usable on the host for tests.
#pragma once
#include "src/lib/types.hpp"

enum class Err : u8 {
    None = 0,
    Invalid,      // malformed input
    Range,        // value or pointer outside its allowed range
    NoMemory,     // allocator exhausted
    NotFound,
    Busy,
    Fault,        // a hardware fault was taken and fixed up
    Unsupported,  // the CPU or machine lacks the feature
    Denied,       // not allowed for this caller (an export's audience, kill of a non-child)
    Timeout,      // waited too long (an IPC send nobody received)
};

const char* err_name(Err e);

template <class T>
class [[nodiscard]] Result {
public:
    Result(T v) : value_(v), err_(Err::None) {}
    Result(Err e) : value_(), err_(e) {}
    bool ok() const { return err_ == Err::None; }
    Err error() const { return err_; }
    T value() const { return value_; }
    T value_or(T fallback) const { return ok() ? value_ : fallback; }

private:
    T value_;
    Err err_;
};

template <>
class [[nodiscard]] Result<void> {
public:
    Result() : err_(Err::None) {}
    Result(Err e) : err_(e) {}
    bool ok() const { return err_ == Err::None; }
    Err error() const { return err_; }
    void value() const {}  // lets TRY() take a Result<void>

private:
    Err err_;
};

// TRY(expr): evaluate a Result; on error return that error from the enclosing function.
#define TRY(expr)                                       \
    ({                                                  \
        auto try_result_ = (expr);                      \
        if (!try_result_.ok()) return try_result_.error(); \
        try_result_.value();                            \
    })
