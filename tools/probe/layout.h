/* Shared between probe.cpp and segments.S (preprocessor only): LDT selectors and the layout of the
 * ring-3 "driver" data segment used by the gate-stub case. */
#ifndef GATEHOUSE_PROBE_LAYOUT_H
#define GATEHOUSE_PROBE_LAYOUT_H

/* LDT entries made with modify_ldt. Selector = index << 3 | TI (4) | RPL 3. */
#define PROBE_LDT_CODE_IDX 0  /* 32-bit code, base = probe_blob_start, limit = blob size - 1 */
#define PROBE_LDT_DATA_IDX 1  /* the "driver" data + stack segment, base = a static buffer */
#define PROBE_LDT_FLAT_IDX 2  /* scratch flat data (base 0, 4 GiB) for DS/FS/SS load loops */
#define PROBE_LDT_CODE_SEL 0x07
#define PROBE_LDT_DATA_SEL 0x0f
#define PROBE_LDT_FLAT_SEL 0x17

/* Offsets inside the driver data segment. REC_ESP/REC_SS form an m16:32 for LSS. */
#define PROBE_REC_ESP 0
#define PROBE_REC_SS 4
#define PROBE_REC_DS 8
#define PROBE_REC_ES 12
#define PROBE_STACK_PTR 16 /* m16:32: stack top offset, PROBE_LDT_DATA_SEL */
#define PROBE_STACK_BOTTOM 256
#define PROBE_DATA_SIZE 8192 /* segment limit = PROBE_DATA_SIZE - 1; stack top = PROBE_DATA_SIZE */

#endif
