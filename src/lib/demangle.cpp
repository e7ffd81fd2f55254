#include "src/lib/demangle.hpp"

namespace {
class Demangler {
public:
    Demangler(const char* in, char* out, u32 cap) : in_(in), out_(out), cap_(cap) {}

    bool run() {
        if (!(in_[0] == '_' && in_[1] == 'Z')) return false;
        p_ = 2;
        u32 last_start = 0, last_len = 0;
        if (!encoding_name(&last_start, &last_len, true)) return false;
        if (at_end()) return finish();  // a variable, or a function without its type
        put("(");
        if (peek() == 'v' && (at(1) == '\0' || at(1) == '.')) {
            p_++;
        } else {
            for (bool first = true; !at_end(); first = false) {
                if (!first) put(", ");
                if (!type()) return false;
            }
        }
        put(")");
        if (const_member_) put(" const");
        return finish();
    }

private:
    char peek() const { return in_[p_]; }
    char at(u32 k) const {
        for (u32 i = 0; i < k; i++)
            if (!in_[p_ + i]) return '\0';
        return in_[p_ + k];
    }
    bool at_end() const { return in_[p_] == '\0' || in_[p_] == '.'; }
    void put(const char* s) {
        while (*s) putc(*s++);
    }
    void putc(char c) {
        if (n_ + 1 < cap_) out_[n_++] = c;
        else overflow_ = true;
    }
    void put_span(u32 start, u32 len) {
        for (u32 i = 0; i < len; i++) putc(out_[start + i]);
    }
    // GCC's clone suffixes: ".part.0" -> " [clone .part.0]".
    bool finish() {
        if (peek() == '.') {
            put(" [clone ");
            put(in_ + p_);
            put("]");
        }
        if (overflow_ || cap_ == 0) return false;
        out_[n_] = '\0';
        return true;
    }
    bool number(u32* v) {
        if (peek() < '0' || peek() > '9') return false;
        *v = 0;
        while (peek() >= '0' && peek() <= '9') {
            *v = *v * 10 + u32(peek() - '0');
            if (*v > 4096) return false;
            p_++;
        }
        return true;
    }
    // <source-name> ::= <length> <identifier>; the anonymous namespace has a reserved spelling.
    bool source_name(u32* start, u32* len) {
        u32 n;
        if (!number(&n)) return false;
        for (u32 i = 0; i < n; i++)
            if (!in_[p_ + i]) return false;
        *start = n_;
        const char anon[] = "_GLOBAL__N_";
        bool is_anon = n >= sizeof anon - 1;
        for (u32 i = 0; is_anon && i < sizeof anon - 1; i++) is_anon = in_[p_ + i] == anon[i];
        if (is_anon) put("(anonymous namespace)");
        else
            for (u32 i = 0; i < n; i++) putc(in_[p_ + i]);
        p_ += n;
        *len = n_ - *start;
        return true;
    }
    void add_sub(u32 start, u32 len) {
        if (subs_ < kMaxSubs) sub_start_[subs_] = start, sub_len_[subs_] = len, subs_++;
    }
    // S_ = first, S<n>_ = n+2-th (base 36), St = std::
    bool substitution() {
        p_++;  // 'S'
        if (peek() == 't') {
            p_++;
            put("std::");
            return true;
        }
        u32 idx = 0;
        if (peek() != '_') {
            while (peek() != '_') {
                char c = peek();
                if (c >= '0' && c <= '9') idx = idx * 36 + u32(c - '0');
                else if (c >= 'A' && c <= 'Z') idx = idx * 36 + u32(c - 'A' + 10);
                else return false;
                p_++;
            }
            idx++;
        }
        p_++;  // '_'
        if (idx >= subs_) return false;
        put_span(sub_start_[idx], sub_len_[idx]);
        return true;
    }
    // A name: <source-name>, or N [qualifiers] <prefix>... E, or a substitution.
    // function: the last component is the function's own name, which is no substitution candidate.
    bool encoding_name(u32* last_start, u32* last_len, bool function) {
        if (peek() == 'N') {
            p_++;
            while (peek() == 'K' || peek() == 'V' || peek() == 'r') {  // cv-qualified member functions
                if (peek() == 'K' && function) const_member_ = true;
                p_++;
            }
            u32 whole = n_;
            bool first = true;
            while (peek() != 'E') {
                if (!peek()) return false;
                if (!first) put("::");
                first = false;
                if (peek() == 'C' || peek() == 'D') {  // constructor / destructor: the class name again
                    char k = peek();
                    p_ += 2;
                    if (k == 'D') putc('~');
                    put_span(*last_start, *last_len);
                    continue;
                }
                if (peek() == 'S') {
                    if (!substitution()) return false;
                    continue;
                }
                if (!source_name(last_start, last_len)) return false;
                if (!(function && peek() == 'E')) add_sub(whole, n_ - whole);
            }
            p_++;
            return true;
        }
        if (peek() == 'S' && at(1) == 't') {
            p_ += 2;
            put("std::");
        }
        return source_name(last_start, last_len);
    }
    bool type() {
        u32 start = n_;
        char c = peek();
        const char* builtin = nullptr;
        switch (c) {
        case 'v': builtin = "void"; break;
        case 'b': builtin = "bool"; break;
        case 'c': builtin = "char"; break;
        case 'a': builtin = "signed char"; break;
        case 'h': builtin = "unsigned char"; break;
        case 's': builtin = "short"; break;
        case 't': builtin = "unsigned short"; break;
        case 'i': builtin = "int"; break;
        case 'j': builtin = "unsigned int"; break;
        case 'l': builtin = "long"; break;
        case 'm': builtin = "unsigned long"; break;
        case 'x': builtin = "long long"; break;
        case 'y': builtin = "unsigned long long"; break;
        case 'f': builtin = "float"; break;
        case 'd': builtin = "double"; break;
        case 'z': builtin = "..."; break;
        }
        if (builtin) {
            p_++;
            put(builtin);
            return true;
        }
        if (c == 'P' || c == 'R' || c == 'O' || c == 'K') {
            p_++;
            if (c == 'K') {
                if (!type()) return false;
                put(" const");
            } else {
                if (!type()) return false;
                put(c == 'P' ? "*" : c == 'R' ? "&" : "&&");
            }
            add_sub(start, n_ - start);
            return true;
        }
        if (c == 'S') return substitution();
        if (c == 'N' || (c >= '0' && c <= '9')) {
            u32 s, l;
            if (c == 'N') {
                if (!encoding_name(&s, &l, false)) return false;  // nested parts were added already
            } else {
                if (!source_name(&s, &l)) return false;
                add_sub(start, n_ - start);
            }
            return true;
        }
        return false;
    }

    static constexpr u32 kMaxSubs = 32;
    const char* in_;
    char* out_;
    u32 cap_;
    u32 p_ = 0, n_ = 0;
    bool overflow_ = false;
    bool const_member_ = false;
    u32 sub_start_[kMaxSubs] = {}, sub_len_[kMaxSubs] = {};
    u32 subs_ = 0;
};
}  // namespace

bool demangle(const char* mangled, char* out, u32 cap) {
    if (!mangled || !out || cap == 0) return false;
    Demangler d(mangled, out, cap);
    return d.run();
}
