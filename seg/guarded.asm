; Guarded segment operations: each instruction that may fault has an .extable entry
; (fault EIP -> fixup EIP). trap_dispatch looks the faulting EIP up, records the fault and resumes
; at the fixup, which restores the borrowed segment register and returns -1 (Linux's __ex_table
; idea). All functions are cdecl; 0 = done, -1 = faulted (details in fixup::last()).
bits 32

%macro EXTABLE 2
section .extable
    dd %1, %2
section .text
%endmacro

section .text

; int guarded_read32(u16 sel, u32 off, u32* out): *out = dword at sel:off, through FS.
global guarded_read32
guarded_read32:
    push fs
.load:
    mov fs, [esp + 8]
    mov ecx, [esp + 12]
.access:
    mov eax, [fs:ecx]
    mov ecx, [esp + 16]
    mov [ecx], eax
    pop fs
    xor eax, eax
    ret
.fault:
    pop fs
    mov eax, -1
    ret
    EXTABLE guarded_read32.load, guarded_read32.fault
    EXTABLE guarded_read32.access, guarded_read32.fault

; int guarded_write32(u16 sel, u32 off, u32 value): dword at sel:off = value, through FS.
global guarded_write32
guarded_write32:
    push fs
.load:
    mov fs, [esp + 8]
    mov ecx, [esp + 12]
    mov eax, [esp + 16]
.access:
    mov [fs:ecx], eax
    pop fs
    xor eax, eax
    ret
.fault:
    pop fs
    mov eax, -1
    ret
    EXTABLE guarded_write32.load, guarded_write32.fault
    EXTABLE guarded_write32.access, guarded_write32.fault

; int guarded_load_gs(u16 sel): load a selector into GS and put the old one back.
global guarded_load_gs
guarded_load_gs:
    push gs
.load:
    mov gs, [esp + 8]
    pop gs
    xor eax, eax
    ret
.fault:
    pop gs
    mov eax, -1
    ret
    EXTABLE guarded_load_gs.load, guarded_load_gs.fault

; int guarded_div(u32 a, u32 b, u32* quotient): a / b with the CPU's DIV (b = 0 raises #DE).
global guarded_div
guarded_div:
    mov eax, [esp + 4]
    xor edx, edx
.divide:
    div dword [esp + 8]
    mov ecx, [esp + 12]
    mov [ecx], eax
    xor eax, eax
    ret
.fault:
    mov eax, -1
    ret
    EXTABLE guarded_div.divide, guarded_div.fault

; int guarded_ud(): executes UD2 (#UD).
global guarded_ud
guarded_ud:
.undefined:
    ud2
    xor eax, eax
    ret
.fault:
    mov eax, -1
    ret
    EXTABLE guarded_ud.undefined, guarded_ud.fault

; int guarded_copy(void* dst, const void* src, u32 len): memcpy that returns -1 instead of
; panicking when either side faults (#PF on an unmapped user page, #GP on a bad address).
global guarded_copy, guarded_copy_access
guarded_copy:
    push esi
    push edi
    mov edi, [esp + 12]
    mov esi, [esp + 16]
    mov ecx, [esp + 20]
    cld
.copy:
    rep movsb
    pop edi
    pop esi
    xor eax, eax
    ret
.fault:
    pop edi
    pop esi
    mov eax, -1
    ret
    EXTABLE guarded_copy.copy, guarded_copy.fault
guarded_copy_access equ guarded_copy.copy  ; for the trap handler: a fault here is a bad pointer
