; User program entry: the kernel starts us at _start with ESP on a fresh stack; main's return
; value becomes the exit code.
bits 32
section .text.start
global _start
extern main, gh_exit
_start:
    call main
    push eax
    call gh_exit
.hang:
    jmp .hang
