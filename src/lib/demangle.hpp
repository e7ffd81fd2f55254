// C++ symbol names for fault reports, without c++filt: the part of the Itanium C++ ABI mangling
// (itanium-cxx-abi.github.io/cxx-abi/abi.html#mangling) that this kernel's own functions use —
// plain and nested names (namespaces, classes, the anonymous namespace), constructors and
// destructors, builtin, pointer, reference, const and class parameter types, substitutions
// (S_, S0_, ...), and GCC's clone suffixes (.part.0, .isra.0, .constprop.0, .cold).
// Anything else (templates, operators, local names) is refused: the caller prints the mangled name.
#pragma once
#include "src/lib/types.hpp"

// Writes the readable form of `mangled` into out (NUL-terminated, at most cap bytes). False when
// the name is not mangled, not understood, or does not fit; out is then unspecified.
bool demangle(const char* mangled, char* out, u32 cap);
