; Thread switching and the first entry into ring 3.
bits 32
USER_CS   equ 0x1B
USER_DS   equ 0x23
KERNEL_DS equ 0x10

extern gh_current_proc

section .text
; void proc_switch(u32* save_esp, u32 new_esp): push the callee-saved registers and EFLAGS on
; this kernel stack, then a resume address (.back, which pops them), store its ESP, load the
; other thread's ESP and return to the address on top of its stack. EFLAGS travel with the thread:
; a flag one thread's system call left (NT before an IRET would make it a task return) never
; reaches another. Every switched-out thread's stack has a resume address on top, and below it
; whatever that address pops: this function's frame (.back), nothing (a new thread:
; proc_first_entry, small_first_entry) or the registers the IPC fast path keeps for the program
; (its resume labels, src/proc/ipc_fast.asm); the fast path switches into any of them the same
; way (MOV ESP, RET). A resume label runs with the switching thread's EFLAGS: IF = 0 and DF, NT,
; AC, TF clear (the scheduler switches with IF = 0; the fast path loaded them clean), and must
; not let any other register of the switching thread reach its program.
global proc_switch
proc_switch:
    mov eax, [esp + 4]
    mov edx, [esp + 8]
    push ebp
    push edi
    push esi
    push ebx
    pushfd
    push dword .back
    mov [eax], esp
    mov esp, edx
    mov eax, [ss:gh_current_proc]       ; the fast path's resume labels find their thread in EAX
    ret
.back:
    popfd
    pop ebx
    pop esi
    pop edi
    pop ebp
    ; Whoever switched here may have been the IPC fast path, which leaves the segment registers
    ; of the program it came from: the kernel's data segments for C++, null FS/GS (a small
    ; server's selector left there is hidden now, and reloading it would fault).
    mov ax, KERNEL_DS
    mov ds, ax
    mov es, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    ret

; A new process's kernel stack starts with this address (proc_switch's RET comes here), then the
; program's EIP, user ESP and argument: IRET into ring 3 with EAX = the argument
; ([intel/vol3] §6.12.1: IRET to a lower privilege level pops EIP, CS, EFLAGS, ESP, SS).
global proc_first_entry
proc_first_entry:
    pop ecx
    pop edx
    pop eax
    xor esi, esi                    ; the switching thread's registers are not the program's
    xor edi, edi
    xor ebp, ebp
    mov bx, USER_DS
    mov ds, bx
    mov es, bx
    xor ebx, ebx
    mov fs, bx
    mov gs, bx
    push dword USER_DS
    push edx
    push dword 0x202                ; IF = 1
    push dword USER_CS
    push ecx
    iretd
