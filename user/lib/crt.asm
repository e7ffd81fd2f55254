; User program entry: the kernel starts us at _start with ESP on a fresh stack and the program's
; argument in EAX; main(argument)'s return value becomes the exit code.
bits 32
section .text.start
global _start
extern main, gh_exit
_start:
    push eax
    call main
    add esp, 4
    push eax
    call gh_exit
.hang:
    jmp .hang
