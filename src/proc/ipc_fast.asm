; The IPC fast path (docs/ipc.md, "The fast path"): register-only IPC, L4 style, in assembly
; because it switches threads without C++ (no frame, no dispatcher, no scheduler pass).
;
;   ipc_call_regs (23):       EBX = server pid, ESI = word   -> EAX = reply word (or an error)
;   ipc_reply_wait_regs (24): EBX = client pid (0: nobody), ESI = reply word
;                             -> EAX = next message's word (or an error), EBX = its sender (0 with an error)
;   EDI, EBP (and ESI; EBX for a call) are kept; ECX, EDX are clobbered, as for every system call
;   (after a gate's RETF they are 0 or the program's own: never what the kernel left there).
;
; Taken from SYSENTER and from the DPL-3 call gates (a small server's sites are call gates);
; INT 0x80 always takes the C++ path. A call is fast when the server is the process its pid
; names in gh_pid_table (one load, no scan) and it is blocked in ipc_reply_wait_regs (one
; compare of its state/ipc/ipc_regs/user word); a reply-and-wait is fast when the client it
; names is blocked waiting for a register reply from this very server (its ipc_peer: the reply
; capability, checked in one compare) and no sender may be queued on the server (ipc_queued).
; Neither may run inside a driver call (gh_calls.top = 0), and a small server calls
; nobody. Anything else (a buffer, no waiting receiver, a bad, dead or own pid, queued senders,
; timeouts) takes the C++ path (src/proc/ipc_regs.cpp) with its semantics, before anything was
; changed.
;
; The switch does what switch_to does (src/proc/sched.cpp), in the same order of effects: the
; program's EBP, EDI, ESI under a resume address (a thread's stack always has its resume address
; on top, src/proc/user_entry.asm, so C++ can switch to a thread the fast path blocked, and the
; fast path to one C++ blocked), the current thread and pid (the driver-call records are empty:
; the entries refuse to run inside a driver call), TSS.esp0, the context-switch count,
; then one CR3 load (TSS.cr3 too, for the #DF task's IRET) to a process with its own directory,
; or, to and from a small server, no CR3 load: the GDT domain (the server's two descriptors
; present and the flat user ones hidden, or back; SYSENTER's bound 0 while it runs, so the
; entry refuses SYSENTER, src/proc/small_space.cpp) and then its own segment registers. The woken thread's resume label
; pops its program's segment registers and returns to it by SYSEXIT or RETF, as it entered.
;
; Entry hygiene: EFLAGS is loaded clean at once (IF = 0, DF, TF, NT, AC clear; a TF the program
; set traps on the entry's first instruction, src/trap/trap.cpp); the program's DS, ES, FS, GS are
; saved and come back unchanged (every access here is through SS, the kernel's flat data
; selector); interrupts are back on only with the return instruction (STI's shadow).
bits 32
%include "src/proc/ipc_fast.inc"
KERNEL_DS       equ 0x10
KERNEL_CS       equ 0x08
EFLAGS_FAST     equ 0x002               ; IF = 0, every other flag clear
EFLAGS_SYSCALL  equ 0x202               ; the C++ path runs with interrupts on, as the general one
USER_CS_ACCESS  equ USER_CS_INDEX * 8 + 5 ; the access bytes (P, DPL, type) in gh_gdt_table
USER_DS_ACCESS  equ USER_DS_INDEX * 8 + 5
%define TSS _ZN3tss9main_taskE           ; tss::main_task.tss, at its offset 0 (gdt/tss.hpp)

extern gh_current_proc, gh_current_pid, gh_calls, gh_pid_table
extern gh_ipc_fast_count, gh_sysenter_limit, gh_gdt_table
extern proc_do_syscall, gate_in_driver_call
extern TSS

section .text
global ipc_call_sysenter, ipc_rw_sysenter, ipc_call_gate, ipc_rw_gate

; --- the two halves, up to the switch: checks (any failure: %1, nothing changed), then commit ---

; Never switch inside a driver call (sched.cpp's rule). syscall_sysenter_entry refuses SYSENTER
; inside a driver call before it gets here, and ENTER_GATE a gate call (the driver is aborted:
; src/proc/syscall_entry.asm, gate_in_driver_call; src/drv/contain.cpp, gh_contain_entry): a
; thread runs its program only between driver calls, so a system call inside one is the driver's
; (directly, or from code it sent to ring 3 or 2).

; EBX = the server's pid, ESI = the word. Leaves EAX = the server, EDX = the caller. %2 = 1:
; entered by a call gate, where the caller may be a small server (SYSENTER raises #GP in one).
%macro CALL_FAST 2
    movzx eax, bl                               ; pid % PID_TABLE_SIZE (256)
    mov eax, [ss:gh_pid_table + eax * 4]        ; never null (src/proc/sched.cpp)
    cmp [ss:eax + P_PID], ebx
    jne %1                                      ; no such process: NotFound from C++
    cmp dword [ss:eax + P_WAIT], WAIT_RECV_REGS ; blocked in ipc_reply_wait_regs (so not the caller)
    jne %1
    mov edx, [ss:gh_current_proc]
  %if %2
    cmp byte [ss:edx + P_SLOT], 0               ; a small server calls nobody: Unsupported
    jne %1
  %endif
    mov dword [ss:edx + P_WAIT], WAIT_REPLY_REGS ; the caller waits for this server's reply...
    mov [ss:edx + P_PEER], ebx                  ; ...the reply capability the server's reply checks
    mov [ss:eax + P_RESULT], esi                ; the server's reply_wait returns the word...
    mov ecx, [ss:gh_current_pid]
    mov [ss:eax + P_SENDER], ecx                ; ...and the caller's pid
    mov dword [ss:eax + P_WAIT], WAIT_RUNNING
%endmacro

; EBX = the client's pid, ESI = the reply word. Leaves EAX = the client, EDX = the server.
; %2 = 1: entered by a call gate.
%macro RW_FAST 2
    movzx eax, bl
    mov eax, [ss:gh_pid_table + eax * 4]        ; (EBX = 0 finds the kernel thread: no match below)
    cmp [ss:eax + P_PID], ebx
    jne %1
    cmp dword [ss:eax + P_WAIT], WAIT_REPLY_REGS ; blocked waiting for a register reply...
    jne %1
    mov ecx, [ss:gh_current_pid]
    cmp [ss:eax + P_PEER], ecx                  ; ...from us
    jne %1
    mov edx, [ss:gh_current_proc]
    cmp byte [ss:edx + P_QUEUED], 0             ; a queued sender would be ours next: C++
    jne %1
    mov [ss:eax + P_RESULT], esi                ; the client's call returns the reply word
    mov dword [ss:eax + P_WAIT], WAIT_RUNNING
    mov dword [ss:edx + P_WAIT], WAIT_RECV_REGS ; and we wait for the next register message
%endmacro

; The C++ path (proc_do_syscall, as the general entry; ipc_regs.cpp), on the same frame.
%macro SLOW 2                                   ; number, 1: EBX = the sender afterwards
    mov ax, KERNEL_DS
    mov ds, ax
    mov es, ax
    push dword EFLAGS_SYSCALL
    popfd
    push edi
    push esi
    push ebx
    push dword %1
    call proc_do_syscall
    add esp, 16
  %if %2
    mov ebx, [gh_current_proc]
    mov ebx, [ebx + P_SENDER]
  %endif
%endmacro

%macro POP_SEGMENTS 0
    pop gs
    pop fs
    pop es
    pop ds
%endmacro

; --- entries ---

; SYSENTER (from syscall_sysenter_entry, on this thread's kernel stack): ECX, EDX = the
; program's ESP and return address. Frame: ECX, EDX, DS, ES, FS, GS.
%macro ENTER_SYSENTER 0
    push dword EFLAGS_FAST
    popfd
    push ecx
    push edx
    push ds
    push es
    push fs
    push gs
%endmacro

; A call gate (from its stub in syscall_entry.asm): the far call pushed the caller's SS, ESP, CS,
; EIP (just CS, EIP from ring 0 or 1, on the caller's stack: SS is not the kernel's flat one,
; which every access here assumes). Frame: that, DS, ES, FS, GS. %1: where a caller at ring 0
; or 1 goes (the C++ path, as the general gate entry would take it).
%macro ENTER_GATE 1
    push dword EFLAGS_FAST
    popfd
    cmp dword [cs:gh_calls], 0                  ; Calls.top: a system call inside a driver call
    jne gate_in_driver_call                     ; is the driver's (CS: a ring-0 caller's SS is its own)
    push ds
    push es
    push fs
    push gs
    test byte [esp + 20], 2                     ; the caller's CS: RPL 2 or 3 has bit 1 set
    jz %1
%endmacro

; --- the switch: from EDX (current) to EAX, IF = 0; %1 = the current thread's resume label.
; Which side can be a small server is known per entry: a call's caller never is (SYSENTER
; from one is refused at the entry; the gate entry refused it), a reply's client never is (small
; servers call nobody), and a server that entered by SYSENTER is not one.
; Kept for the program under the resume label: EBP, EDI, ESI, the registers the ABI keeps that
; its resume label cannot find elsewhere (a call's EBX is its ipc_peer; a reply_wait's EBX is
; the next sender). No EFLAGS: the fast path runs with EFLAGS_FAST, which is what the switch
; into this thread finds (every switch happens with IF = 0 and DF, NT, AC, TF clear). ---
%macro SWITCH 3                                ; resume label, 1: to may be small, 1: from may be small
    push ebp
    push edi
    push esi
    push dword %1
    mov [ss:edx + P_SAVED_ESP], esp
    mov [ss:gh_current_proc], eax
    mov [ss:gh_current_pid], ebx                ; EBX named it: the server, or the client
    lea ecx, [eax + P_KSTACK_TOP]
    mov [ss:TSS + TSS_ESP0], ecx                ; its next entry from ring 3 or 2, SYSENTER's too
    inc dword [ss:gh_ipc_fast_count]            ; one switch each (context_switches() adds them)
    mov ecx, [ss:eax + P_CR3]
  %if %2
    jecxz %%to_small                            ; a small server runs on the loaded directory
  %endif
  %if %3
    movzx ebx, word [ss:edx + P_SMALL_GDT]      ; from a small server (its descriptor pair's index)
    test ebx, ebx
    jnz small_from
  %endif
    mov [ss:TSS + TSS_CR3], ecx                 ; (the #DF task's IRET loads CR3 from here)
    mov cr3, ecx                                ; the one CR3 load
    RESUME
  %if %2
%%to_small:                                     ; from a client in its own directory: no CR3 load
    and byte [ss:gh_gdt_table + USER_CS_ACCESS], 0x7F  ; hide the flat user code and data
    and byte [ss:gh_gdt_table + USER_DS_ACCESS], 0x7F
    movzx ebx, word [ss:eax + P_SMALL_GDT]      ; show the server's pair (gdt::alloc_pair)
    or byte [ss:gh_gdt_table + ebx * 8 + 5], 0x80
    or byte [ss:gh_gdt_table + ebx * 8 + 8 + 5], 0x80
    mov dword [ss:gh_sysenter_limit], 0         ; SYSENTER closed: the entry refuses it
    RESUME
  %endif
%endmacro

%macro RESUME 0                                 ; EAX = the thread to run
    mov esp, [ss:eax + P_SAVED_ESP]
    ret                                         ; to its resume label (or proc_switch's .back)
%endmacro

; A resume label's first lines: the program's registers the switch kept (SWITCH above).
%macro KEPT 0
    pop esi
    pop edi
    pop ebp
%endmacro

%macro EXIT_SYSENTER_CLI 0
    POP_SEGMENTS
    pop edx
    pop ecx
    sti                                         ; its shadow covers SYSEXIT
    sysexit
%endmacro
%macro EXIT_SYSENTER 0                          ; from the C++ path: IF = 1 already
    POP_SEGMENTS
    pop edx
    pop ecx
    sysexit
%endmacro
%macro EXIT_GATE_CLI 0
    POP_SEGMENTS
    xor ecx, ecx                                ; the switch left kernel values here (a directory,
    xor edx, edx                                ; a Process): SYSEXIT overwrites them, RETF does not
    sti                                         ; RETF does not restore EFLAGS: IF = 1 for the program
    retf
%endmacro
%macro EXIT_GATE 0                             ; from the C++ path, which left its own ECX, EDX
    POP_SEGMENTS
    xor ecx, ecx
    xor edx, edx
    retf
%endmacro

ipc_call_sysenter:
    ENTER_SYSENTER
    CALL_FAST .slow, 0
    SWITCH resume_sysenter_call, 1, 0
.slow:
    SLOW SYS_IPC_CALL_REGS, 0
    EXIT_SYSENTER

ipc_rw_sysenter:
    ENTER_SYSENTER
    RW_FAST .slow, 0
    SWITCH resume_sysenter_rw, 0, 0
.slow:
    SLOW SYS_IPC_RW_REGS, 1
    EXIT_SYSENTER

ipc_call_gate:
    ENTER_GATE .slow
    CALL_FAST .slow, 1
    SWITCH resume_gate_call, 1, 0
.slow:
    SLOW SYS_IPC_CALL_REGS, 0
    EXIT_GATE

ipc_rw_gate:
    ENTER_GATE .slow
    RW_FAST .slow, 1
    SWITCH resume_gate_rw, 0, 1
.slow:
    SLOW SYS_IPC_RW_REGS, 1
    EXIT_GATE

; --- from a small server (EBX = its code descriptor's GDT index) back to its client (ECX = the
; client's directory) ---
small_from:
    and byte [ss:gh_gdt_table + ebx * 8 + 5], 0x7F      ; hide the server's descriptors
    and byte [ss:gh_gdt_table + ebx * 8 + 8 + 5], 0x7F
    or byte [ss:gh_gdt_table + USER_CS_ACCESS], 0x80   ; show the flat user ones
    or byte [ss:gh_gdt_table + USER_DS_ACCESS], 0x80
    mov dword [ss:gh_sysenter_limit], SYSENTER_OPEN
    cmp ecx, [ss:TSS + TSS_CR3]                 ; the server ran on some directory: the client's,
    je .resume                                  ; unless someone else ran in between (TSS.cr3 names
                                                ; the loaded one: every CR3 load writes both)
    mov [ss:TSS + TSS_CR3], ecx
    mov cr3, ecx
.resume:
    RESUME

; --- resume labels: the woken thread on its own kernel stack, IF = 0, EAX = its Process
; (the fast path's RESUME and proc_switch both leave it there) ---
resume_sysenter_call:
    KEPT
    mov ebx, [ss:eax + P_PEER]                  ; the server's pid, as the call had it in EBX
    mov eax, [ss:eax + P_RESULT]
    EXIT_SYSENTER_CLI

resume_sysenter_rw:
    KEPT
    mov ebx, [ss:eax + P_SENDER]
    mov eax, [ss:eax + P_RESULT]
    EXIT_SYSENTER_CLI

resume_gate_call:
    KEPT
    mov ebx, [ss:eax + P_PEER]
    mov eax, [ss:eax + P_RESULT]
    EXIT_GATE_CLI

resume_gate_rw:
    KEPT
    mov ebx, [ss:eax + P_SENDER]
    mov eax, [ss:eax + P_RESULT]
    EXIT_GATE_CLI
