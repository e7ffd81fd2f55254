#!/usr/bin/env bash
# One Bochs p2_klamath boot of make bench-trace (about 10 s here): every traced path's total must
# equal the median the same boot measured (tools/bench_trace.py fails on any MISMATCH, unmapped
# instruction or missing trace), and each goal path must be in the breakdown.
set -uo pipefail
cd "$(dirname "$0")/../.."
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
out=$(OUT="$dir" tools/bench-trace.sh 2>&1); code=$?
problems=""
[ "$code" -eq 0 ] || problems+="exit status $code; "
grep -qE '^bench-trace: [0-9]+ traces, every total equal to its median$' <<<"$out" || problems+="no agreement line; "
for key in far_call_gate far_call_direct far_call_gate_ring1 d2d_ring1 far_call_gate_domains d2d_domains syscall_sysenter ipc_null_regs ipc_small_null_regs; do
    grep -qE "^\| .* \(\`$key\`\) \| ≤ [0-9]+ \| [0-9]+ \| [0-9]+ \|" <<<"$out" || problems+="no goal row for $key; "
done
if [ -z "$problems" ]; then
    echo "ok bench-trace: $(grep -E '^bench-trace: [0-9]+ traces' <<<"$out")"
    echo "1 passed, 0 failed"
else
    echo "FAIL bench-trace: $problems"
    grep -E '^bench-trace:|^run-emu:' <<<"$out" | head -n 30 | sed 's/^/  | /'
    echo "0 passed, 1 failed"
    exit 1
fi
