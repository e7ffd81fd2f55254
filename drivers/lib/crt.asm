; The driver's entry trampoline: the kernel's gate stub switches to the driver's segments and
; stack, puts the function's code offset in EBX and far-calls here; arguments stay in EAX, EDX,
; ECX (regparm(3)); the result comes back in EAX.
bits 32
section .text.gh_trampoline
global gh_trampoline
gh_trampoline:
    call ebx
    retf
