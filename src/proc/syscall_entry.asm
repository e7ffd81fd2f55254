; Kernel entries for the patched system-call sites (docs/syscalls.md). All three end in
; proc_do_syscall(number, a, b, c) with the arguments from EBX, ESI, EDI; the result goes back in EAX.
;
; Call gate: each system call number has a DPL-3 call gate to its stub here. The far call from
; ring 3 switches to TSS.esp0 and pushes the user's SS, ESP, CS, EIP ([intel/vol3] §5.8.5); RETF
; back to ring 3 pops them. DS/ES still hold user selectors on entry.
;
; SYSENTER: the user stub (one per number, on the stub page) put the number in EAX, its ESP in ECX
; and the address of its RET in EDX. SYSENTER loads CS = 0x08, SS = 0x10, ESP and EIP from the MSRs
; and clears IF; SYSEXIT returns to EDX with ESP = ECX and flat CS/SS ([intel/vol2] SYSENTER,
; SYSEXIT). IA32_SYSENTER_ESP names one small per-CPU stack (src/proc/patch.cpp); the entry's first
; instruction moves to the thread's kernel stack top from TSS.esp0, which the scheduler keeps for
; ring changes anyway, so no thread switch writes an MSR. Then one bounds check and a jump table
; by number: the fast paths (getpid, ticks, the register IPC calls of src/proc/ipc_fast.asm) and
; the general path.
;
; The bound is a variable, gh_sysenter_limit (src/proc/small_space.cpp): MAX_SYSCALLS, or 0 while
; a small server runs. A small server must never be returned to by SYSEXIT (it would get flat
; ring-3 CS/SS, and with them the client's memory), and ring 2 can execute SYSENTER; so while one
; runs every number fails the bound, and past the bound the entry checks which case it is: a
; number out of range (the general path's NoSys), or SYSENTER closed — then nothing of the caller
; is run or returned to: proc_sysenter_refused kills the thread with a report. That costs no
; instruction on any open SYSENTER, and the domain switch one store (it wrote IA32_SYSENTER_CS
; before, a WRMSR each way).
;
; Entry hygiene (docs/syscalls.md, "Entry hygiene"): a call gate clears no EFLAGS bit and SYSENTER
; only IF, VM and RF, so both entries start by loading clean EFLAGS: DF, NT, AC, TF cleared and
; IF = 1 — the system call runs with interrupts on (the watchdog and the scheduler's tick see it),
; as the INT 0x80 path does once trap_dispatch enables them. A TF the program set traps before the
; first instruction here; the #DB handler clears it (src/trap/trap.cpp). SYSEXIT and RETF do not
; restore EFLAGS: the program gets the clean flags back (DF = 0), as the ABI says.
; Fast paths (no C++, no driver, no thread switch): getpid and ticks are one load each, from
; gh_current_pid (kept by the scheduler) and gh_tick_count (the PIT tick). They read through SS,
; which every entry here has loaded with the flat kernel data selector (the program's DS is not
; loaded, so no EFLAGS bit or segment register of the program's matters to them); SYSENTER's
; clears IF, so that path turns it back on before SYSEXIT. Preemption waits for the next tick in
; ring 3 or the next slow call (syscall_exit). The register IPC calls (23, 24) go to
; src/proc/ipc_fast.asm from both entries: its fast path switches threads itself, and falls back
; to the C++ path for everything it does not take.
bits 32
%include "src/drv/gate_layout.inc"   ; the call records, KERNEL_DS
EFLAGS_SYSCALL equ 0x202                ; IF and the always-one bit 1
MAX_SYSCALLS equ 64
SYS_GETPID equ 3                        ; user/lib/syscall.hpp
SYS_TICKS equ 8

extern proc_do_syscall, gh_current_pid, gh_tick_count, gh_calls, gh_call_guards, gh_contain_entry, gh_abort_return
extern proc_sysenter_refused, gh_sysenter_limit
extern ipc_call_sysenter, ipc_rw_sysenter, ipc_call_gate, ipc_rw_gate
extern _ZN3tss9main_taskE                ; tss::main_task, whose Tss is at offset 0 (gdt/tss.hpp)
TSS_ESP0 equ 4
SYS_IPC_CALL_REGS equ 23                ; user/lib/syscall.hpp; src/proc/ipc_fast.asm
SYS_IPC_RW_REGS equ 24

section .text
global syscall_gate_stubs_start, syscall_gate_stubs_end
syscall_gate_stubs_start:
%macro GATE_STUB 1
syscall_gate_stub_%1:
  %if %1 == SYS_GETPID
    mov eax, [ss:gh_current_pid]        ; the fast path: the gate's own stub answers
    retf
  %elif %1 == SYS_TICKS
    mov eax, [ss:gh_tick_count]
    retf
  %elif %1 == SYS_IPC_CALL_REGS
    jmp ipc_call_gate
  %elif %1 == SYS_IPC_RW_REGS
    jmp ipc_rw_gate
  %else
    push dword %1
    jmp syscall_gate_common
  %endif
%endmacro
%assign n 0
%rep MAX_SYSCALLS
    GATE_STUB n
  %assign n n + 1
%endrep

syscall_gate_stubs_end:
syscall_gate_common:                    ; kernel stack: number, EIP, CS, ESP, SS (user's)
    push dword EFLAGS_SYSCALL
    popfd
    cmp dword [cs:gh_calls], 0          ; Calls.top: no program makes a system call inside a
    jne .in_driver_call                 ; driver call (gate_in_driver_call). Through CS: a ring-0
                                        ; caller's SS and DS are its own (no stack switch)
    push ds
    push es
    push fs                             ; a driver may leave FS/GS changed (the driver ABI does not
    push gs                             ; keep them), a contained fault does: the program's come back
    push ecx
    push edx
    mov cx, KERNEL_DS
    mov ds, cx
    mov es, cx
    push edi
    push esi
    push ebx
    push dword [esp + 36]               ; the number
    call proc_do_syscall
    add esp, 16
    pop edx
    pop ecx
    pop gs
    pop fs
    pop es
    pop ds
    add esp, 4                          ; the number
    retf
.in_driver_call:
    add esp, 4                          ; the number: EIP, CS of the far call on top
    jmp gate_in_driver_call

global syscall_sysenter_entry
syscall_sysenter_entry:                 ; ESP = the per-CPU SYSENTER stack (the MSR)
    mov esp, [ss:_ZN3tss9main_taskE + TSS_ESP0]  ; this thread's kernel stack top
    cmp dword [ss:gh_calls], 0          ; Calls.top: inside a driver call only a driver runs, and
    jne sysenter_in_driver_call         ; SYSEXIT would take it to ring 3 out of its call
    cmp eax, [ss:gh_sysenter_limit]     ; MAX_SYSCALLS; 0 while a small server runs
    jae .beyond
    jmp [ss:sysenter_table + eax * 4]
.beyond:
    cmp dword [ss:gh_sysenter_limit], 0
    je .refused
.general:
    push dword EFLAGS_SYSCALL
    popfd
    push ecx                            ; the user's ESP and return address, for SYSEXIT
    push edx
    push ds
    push es
    push fs                             ; SYSEXIT, unlike RETF and IRET, would return a driver's
    push gs                             ; selector left in FS/GS to ring 3 with its cached base
    mov dx, KERNEL_DS
    mov ds, dx
    mov es, dx
    push edi
    push esi
    push ebx
    push eax
    call proc_do_syscall
    add esp, 16
    pop gs
    pop fs
    pop es
    pop ds
    pop edx
    pop ecx
    sysexit                             ; IF is still 1
.refused:                               ; SYSENTER while a small server runs: never SYSEXIT
    push dword EFLAGS_SYSCALL & ~0x200  ; clean, IF = 0 (it stays off: the thread ends)
    popfd
    mov ax, KERNEL_DS
    mov ds, ax
    mov es, ax
    push ecx                            ; the ESP and return address it asked SYSEXIT for
    push edx
    call proc_sysenter_refused          ; [[noreturn]]
    ud2
.getpid:
    mov eax, [ss:gh_current_pid]
    sti                                 ; SYSENTER cleared IF; STI's shadow covers SYSEXIT
    sysexit
.ticks:
    mov eax, [ss:gh_tick_count]
    sti
    sysexit

section .rodata
sysenter_table:                         ; by number: a fast path, or the general one
%assign n 0
%rep MAX_SYSCALLS
  %if n == SYS_GETPID
    dd syscall_sysenter_entry.getpid
  %elif n == SYS_TICKS
    dd syscall_sysenter_entry.ticks
  %elif n == SYS_IPC_CALL_REGS
    dd ipc_call_sysenter
  %elif n == SYS_IPC_RW_REGS
    dd ipc_rw_sysenter
  %else
    dd syscall_sysenter_entry.general
  %endif
  %assign n n + 1
%endrep

global syscall_gate_stubs
syscall_gate_stubs:
%assign n 0
%rep MAX_SYSCALLS
    dd syscall_gate_stub_ %+ n
  %assign n n + 1
%endrep

section .text
; A system call inside a driver call is the innermost driver's fault: only programs make system
; calls, and a thread runs its program only between driver calls. SYSENTER: the driver executed
; it (ring 0 or 1). A call gate: the driver far-called it, or code it sent to ring 3 or 2 (an IRET
; or RETF out of its ring) did; [esp + 4] is the far call's CS. TSS.esp0 is below everything live
; only when a ring-1 stub set it, so the stack is found as trap entry finds it: right below the
; newest kernel frames a record names. ESI = the far call's CS, or 0 for SYSENTER.
global gate_in_driver_call
gate_in_driver_call:                    ; EIP, CS of the far call on top (SS: the stack it is on)
    mov esi, [ss:esp + 4]
    jmp in_driver_call
sysenter_in_driver_call:
    xor esi, esi
in_driver_call:                         ; the kernel's data through CS: DS, and after a gate
    mov ebx, [cs:gh_calls + CALLS_TOP]  ; call from ring 0 SS too, are still the driver's
    NEWEST_KERNEL_RECORD ebx, edi, .no_record, cs
    lss esp, [cs:gh_calls + CALLS_REC + REC_CALLER_ESP + ebx]
    sub esp, KSTACK_MARGIN
.no_record:                             ; (none: cannot happen; stay on TSS.esp0's stack)
    push dword 2
    popfd
    mov ax, KERNEL_DS
    mov ds, ax
    mov es, ax
    xor eax, eax
    mov fs, ax
    mov gs, ax
    push esi
    call gh_contain_entry               ; aborts the innermost driver's calls: EAX = the record to resume
    mov ebx, eax
    mov eax, -6                         ; -Fault (src/lib/result.hpp)
    jmp gh_abort_return
