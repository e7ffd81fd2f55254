// C++ runtime hooks the freestanding kernel must provide itself (memcpy and friends: mem.cpp).
#include "src/panic.hpp"

extern "C" void __cxa_pure_virtual() { panic("pure virtual function called"); }
