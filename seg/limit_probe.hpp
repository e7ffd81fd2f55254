// Does this CPU enforce segment limits? QEMU TCG does not; Bochs and real CPUs do (DESIGN,
// "The emulators"). Probed at boot by reading just past a 16-byte data segment.
#pragma once

namespace limits {
void probe();
bool enforced();
}  // namespace limits
