#include "src/proc/syscall_mech.hpp"

namespace proc {

MechChoice choose_mechanism(SyscallSel requested, const CpuInfo& cpu) {
    Mech best = cpu.sep_usable ? Mech::Sysenter : Mech::Gate;
    switch (requested) {
    case SyscallSel::Auto:
        return {best, false, cpu.sep_usable ? "SEP usable: SYSENTER" : "no usable SEP: call gates"};
    case SyscallSel::Sysenter:
        if (cpu.sep_usable) return {Mech::Sysenter, false, "forced by syscall=sysenter"};
        return {best, true, "syscall=sysenter refused: this CPU has no usable SYSENTER (see the cpu: line)"};
    case SyscallSel::Gate: return {Mech::Gate, false, "forced by syscall=gate"};
    case SyscallSel::Int: return {Mech::Int80, false, "forced by syscall=int"};
    }
    return {best, false, "?"};
}

const char* mech_name(Mech m) {
    switch (m) {
    case Mech::Sysenter: return "sysenter";
    case Mech::Gate: return "gate";
    case Mech::Int80: return "int";
    }
    return "?";
}

}  // namespace proc
