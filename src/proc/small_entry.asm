; The first entry into a small server (src/proc/small_space.cpp builds the frame): IRET to
; ring 2 with its own CS and SS, the slot-relative EIP and ESP, EAX = its argument. IRET, not
; SYSEXIT: SYSEXIT would load flat ring-3 CS/SS whatever the GDT says ([intel/vol2] SYSEXIT).
; DS and ES hold its data selector before the IRET (DPL 2 >= the new CPL, so IRET keeps them,
; [intel/vol3] §6.12.1 / IRET); FS and GS are null. The kernel's register values are cleared.
bits 32
section .text
global small_first_entry
small_first_entry:                      ; stack: CS, DS, EIP, ESP, argument
    pop ecx
    pop edx
    pop esi
    pop edi
    pop eax
    push edx                            ; SS = its data selector
    push edi                            ; ESP
    push dword 0x202                    ; IF = 1, IOPL 0: no CLI/STI, no ports
    push ecx                            ; CS
    push esi                            ; EIP
    mov ds, dx
    mov es, dx
    xor ebx, ebx
    mov fs, bx
    mov gs, bx
    xor ecx, ecx
    xor edx, edx
    xor esi, esi
    xor edi, edi
    xor ebp, ebp
    iretd
