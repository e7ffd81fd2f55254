; The fuzzer's way into the kernel (docs/reliability.md, "System-call fuzzing"). Assembly because
; the state under test cannot be set from C++: the call runs with the fuzzed DS/ES/FS/GS loaded
; (no compiled code may touch memory through them) and with the fuzzed EFLAGS popped immediately
; before the instruction that enters the kernel, so that TF/NT/DF/AC reach ring 0 as they would
; from a hostile program. All state is addressed through EBP, whose default segment is SS
; ([intel/vol2] 3.7.5: EBP-based addresses use SS), which the fuzzer never changes.
;
; struct Entry (user/fuzz/enter.hpp), offsets:
;   0 eax (in: the number for INT 0x80 / raw SYSENTER; out: result)   4 ebx   8 esi   12 edi
;   16 ebp (out)   20 esp (out)   24 eflags (in: popped before the call; out: pushed after)
;   28 ds  32 es  36 fs  40 gs (in: loaded; out: read back)
;   44 target offset (near: address; far: offset)   48 target selector (far)   52 how
bits 32

HOW_NEAR     equ 0      ; near call: a patched site in fuzz_sites, or a SYSENTER stub on the stub page
HOW_FAR      equ 1      ; far call through a call gate
HOW_INT      equ 2      ; int 0x80 with EAX = the number
HOW_SYSENTER equ 3      ; our own SYSENTER (ECX = ESP, EDX = where SYSEXIT returns)
USER_DS      equ 0x23

section .bss
align 4
entry_ptr:  resd 1      ; the Entry, while its EBP may be gone
entry_esp:  resd 1      ; ESP at the call instruction: what it must be after
out_esp:    resd 1
out_ebp:    resd 1
saved_fs:   resd 1
saved_gs:   resd 1

section .text
%macro LOAD_STATE 0
    mov ebx, [ebp + 4]
    mov esi, [ebp + 8]
    mov edi, [ebp + 12]
    mov eax, [ebp + 0]
    push dword [ebp + 24]           ; EFLAGS, popped last
    mov ds, [ebp + 28]
    mov es, [ebp + 32]
    mov fs, [ebp + 36]
    mov gs, [ebp + 40]
%endmacro

; void fuzz_enter(Entry* e)
global fuzz_enter
fuzz_enter:
    push ebp
    push ebx
    push esi
    push edi
    mov ebp, [esp + 20]
    mov [entry_ptr], ebp
    mov [entry_esp], esp
    mov [saved_fs], fs
    mov [saved_gs], gs
    mov eax, [ebp + 52]
    cmp eax, HOW_FAR
    je .far
    cmp eax, HOW_INT
    je .int
    cmp eax, HOW_SYSENTER
    je .sysenter
.near:
    LOAD_STATE
    popfd
    call [ebp + 44]
    jmp .back
.far:
    LOAD_STATE
    popfd
    call far [ebp + 44]
    jmp .back
.int:
    LOAD_STATE
    popfd
    int 0x80
    jmp .back
.sysenter:
    LOAD_STATE
    lea ecx, [esp + 4]              ; ESP once popfd has run: SYSEXIT's ESP
    mov edx, .back                  ; SYSEXIT's EIP
    popfd
    sysenter
.back:
    mov [ss:out_esp], esp
    mov [ss:out_ebp], ebp
    mov ebp, [ss:entry_ptr]
    mov esp, [ss:entry_esp]
    pushfd
    pop dword [ebp + 24]
    push dword 0x202                ; IF only: TF/NT/DF/AC off again for our own code
    popfd
    mov [ebp + 0], eax
    mov [ebp + 4], ebx
    mov [ebp + 8], esi
    mov [ebp + 12], edi
    mov eax, [ss:out_ebp]
    mov [ebp + 16], eax
    mov eax, [ss:out_esp]
    mov [ebp + 20], eax
    xor eax, eax
    mov [ebp + 28], eax
    mov [ebp + 32], eax
    mov [ebp + 36], eax
    mov [ebp + 40], eax
    mov [ebp + 28], ds
    mov [ebp + 32], es
    mov [ebp + 36], fs
    mov [ebp + 40], gs
    mov ax, USER_DS
    mov ds, ax
    mov es, ax
    mov fs, [saved_fs]
    mov gs, [saved_gs]
    pop edi
    pop esi
    pop ebx
    pop ebp
    ret

; u32 fuzz_esp(): ESP at the call instruction of the last fuzz_enter (what .back must see).
global fuzz_expected_esp
fuzz_expected_esp:
    mov eax, [entry_esp]
    ret

; System-call sites, one per number the fuzzer uses, each the unpatched 7-byte far call that
; GH_SYSCALL assembles (docs/syscalls.md) and a RET: the kernel patches each on its first run to
; the boot's mechanism, so a near call here enters the kernel the way every program's sites do.
%macro SITE 1
    db 0x9A
    dd %1
    dw 3
    ret
%endmacro
global fuzz_sites, fuzz_site_numbers, fuzz_site_count
align 16
fuzz_sites:
%assign n 0
%rep 48
    SITE n
  %assign n n + 1
%endrep
    SITE 63
    SITE 64
    SITE 1000
    SITE 0xFFFFFFFF
fuzz_sites_end:

section .rodata
align 4
fuzz_site_count: dd (fuzz_sites_end - fuzz_sites) / 8
fuzz_site_numbers:
%assign n 0
%rep 48
    dd n
  %assign n n + 1
%endrep
    dd 63, 64, 1000, 0xFFFFFFFF

; A page of our own code that nothing executes and no site shares: the "program's own read-only
; code" the fuzzer points write-type calls at, checksummed before and after. Zero bytes, so an
; IpcMsg placed here has a valid length field (0) and gets as far as the kernel's write.
section .text
align 4096
global fuzz_victim_code
fuzz_victim_code:
    times 4096 db 0
