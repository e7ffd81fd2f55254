#!/usr/bin/env bash
# Boot test suite: each case in test/boot/cases.txt boots the kernel through GRUB in QEMU or Bochs
# and checks the verdict and the serial log; then Bochs' own GDT is compared with the kernel's.
# JOBS=N runs N cases at once (default 2); ONLY=<regex> picks cases by name.
# Ends with "N passed, M failed".
set -uo pipefail
cd "$(dirname "$0")/../.."
JOBS=${JOBS:-2}
results=$(mktemp -d)
trap 'rm -rf "$results"' EXIT

trim() { local s=$1; s=${s#"${s%%[![:space:]]*}"}; printf '%s' "${s%"${s##*[![:space:]]}"}"; }

run_case() {  # runs in a subshell; writes $results/<name>.res
    local name=$1 emu=$2 cpu=$3 mem=$4 cmdline=$5 want=$6 patterns=$7
    local log=build/runs/test-$name.serial timeout=60 out
    [ "$want" = TIMEOUT ] && timeout=4
    [ "$emu" = bochs ] && timeout=180
    out=$(EMU=$emu CPU=$cpu MEM=$mem CMDLINE=$cmdline TIMEOUT=$timeout LOG=$log QUIET=1 tools/run-emu.sh 2>&1)
    local got=${out##*: } problems=""
    got=${got%% *}
    [ "$got" = "$want" ] || problems+="verdict $got, want $want; "
    local IFS=$'\n' p
    for p in $(printf '%s' "$patterns" | sed 's/;;/\n/g'); do
        if [[ $p == !* ]]; then
            grep -qE -- "${p#!}" <(tr -d '\r' < "$log") && problems+="unexpected /${p#!}/; "
        else
            grep -qE -- "$p" <(tr -d '\r' < "$log") || problems+="missing /$p/; "
        fi
    done
    local secs
    secs=$(sed -nE 's/.*total ([0-9.]+) s.*/\1/p' <<<"$out")
    if [ -z "$problems" ]; then
        echo "ok $name (${secs:-?} s)" > "$results/$name.res"
    else
        { echo "FAIL $name: $problems"; echo "  $out"; tail -n 25 "$log" | sed 's/^/  | /'; } > "$results/$name.res"
    fi
}

names=()
while IFS='|' read -r name emu cpu mem cmdline want patterns; do
    name=$(trim "$name")
    [[ -z $name || $name == \#* ]] && continue
    [[ -n ${ONLY:-} && ! $name =~ $ONLY ]] && continue
    names+=("$name")
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
    run_case "$name" "$(trim "$emu")" "$(trim "$cpu")" "$(trim "$mem")" "$(trim "$cmdline")" "$(trim "$want")" "$(trim "$patterns")" &
done < test/boot/cases.txt
wait

pass=0 fail=0
for name in "${names[@]}"; do
    cat "$results/$name.res"
    if grep -q '^ok ' "$results/$name.res"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done

if [[ -z ${ONLY:-} || oracle =~ $ONLY ]]; then
    if out=$(tools/bochs-oracle.sh 2>&1); then
        pass=$((pass + 1)); echo "ok bochs-gdt-oracle ($(tail -n 1 <<<"$out"))"
    else
        fail=$((fail + 1)); echo "FAIL bochs-gdt-oracle"; sed 's/^/  | /' <<<"$out" | tail -n 40
    fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
