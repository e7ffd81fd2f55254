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

# Broken driver images for the loader's bad-input cases.
make_fixtures() {
    local f=build/fixtures good=build/drivers/null.drv
    mkdir -p "$f"
    head -c 300 "$good" > "$f/truncated.drv.tmp"
    # Keep the headers but cut the segments: 300 bytes hold the ELF and program headers only.
    mv "$f/truncated.drv.tmp" "$f/truncated.drv"
    printf 'this is not a driver, just text long enough to be read as an ELF header: %s\n' "$(seq 1 20)" > "$f/junk.drv"
    cp "$good" "$f/wrongmachine.drv"
    printf '\x28\x00' | dd of="$f/wrongmachine.drv" bs=1 seek=18 conv=notrunc status=none  # EM_ARM
    head -c 200 build/user/hello.elf > "$f/broken.elf"                                     # a cut program
    for i in $(seq -w 1 33); do cp build/user/hello.elf "$f/p$i.elf"; done                 # more programs than fit
}
make_fixtures

run_case() {  # runs in a subshell; writes $results/<name>.res
    local name=$1 emu=$2 cpu=$3 mem=$4 cmdline=$5 want=$6 patterns=$7 modules=$8 qemu_extra=$9 runner_env=${10}
    local log=build/runs/test-$name.serial timeout=60 out
    [ "$want" = TIMEOUT ] && timeout=15  # long enough to boot on a loaded machine
    [ "$emu" = bochs ] && timeout=180
    local mods=()
    [ -n "$modules" ] && mods=(MODULES="$modules")
    local extra_env
    read -r -a extra_env <<<"$runner_env"
    mods+=("${extra_env[@]}")
    out=$(env "${mods[@]}" QEMU_EXTRA="$qemu_extra" EMU="$emu" CPU="$cpu" MEM="$mem" CMDLINE="$cmdline" TIMEOUT="$timeout" LOG="$log" QUIET=1 \
        tools/run-emu.sh 2>&1 < /dev/null)
    # The runner's last line: "run-emu: <emu> cpu=.. mem=.. cmdline='..': <VERDICT> (ready .., total .. s; ..)"
    local last got problems=""
    last=$(grep '^run-emu: ' <<<"$out" | tail -n 1)
    got=$(sed -nE 's/.*: ([A-Z]+) \(ready .*/\1/p' <<<"$last")
    got=${got:-none}
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
        { echo "FAIL $name: $problems"; echo "  $out"; tail -n 30 "$log" | sed 's/^/  | /'; } > "$results/$name.res"
    fi
}

names=()
while IFS='|' read -r name emu cpu mem cmdline want patterns modules qemu_extra runner_env; do
    name=$(trim "$name")
    [[ -z $name || $name == \#* ]] && continue
    [[ -n ${ONLY:-} && ! $name =~ $ONLY ]] && continue
    names+=("$name")
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
    run_case "$name" "$(trim "$emu")" "$(trim "$cpu")" "$(trim "$mem")" "$(trim "$cmdline")" "$(trim "$want")" "$(trim "$patterns")" "$(trim "$modules")" "$(trim "$qemu_extra")" "$(trim "$runner_env")" &
done < test/boot/cases.txt
wait

pass=0 fail=0
for name in "${names[@]}"; do
    cat "$results/$name.res"
    if grep -q '^ok ' "$results/$name.res"; then pass=$((pass + 1)); else fail=$((fail + 1)); fi
done

# In Bochs (instruction counts) the benchmark must rank near call < far call < paging IPC.
if [ -f build/runs/test-bochs-bench-smoke.serial ] && [[ -z ${ONLY:-} || bench =~ $ONLY ]]; then
    med() { tr -d '\r' < build/runs/test-bochs-bench-smoke.serial | awk -F, -v k="$1" '$1 == "BENCH" && $2 == k { print $5 }'; }
    near=$(med near_call) far=$(med far_call_gate) ipc=$(med ipc_null)
    if [ -n "$near" ] && [ -n "$far" ] && [ -n "$ipc" ] && [ "$near" -lt "$far" ] && [ "$far" -lt "$ipc" ]; then
        pass=$((pass + 1)); echo "ok bochs-bench-order (near $near < far call $far < IPC $ipc instructions)"
    else
        fail=$((fail + 1)); echo "FAIL bochs-bench-order: near='$near' far='$far' ipc='$ipc'"
    fi
fi

if [[ -z ${ONLY:-} || oracle =~ $ONLY ]]; then
    if out=$(tools/bochs-oracle.sh 2>&1); then
        pass=$((pass + 1)); echo "ok bochs-gdt-oracle ($(tail -n 1 <<<"$out"))"
    else
        fail=$((fail + 1)); echo "FAIL bochs-gdt-oracle"; sed 's/^/  | /' <<<"$out" | tail -n 40
    fi
fi
if [[ -z ${ONLY:-} || oracle-small =~ $ONLY ]]; then
    # The same comparison with a small server loaded (its descriptor pair in the GDT).
    if out=$(ORACLE=small tools/bochs-oracle.sh 2>&1) && grep -q 'small-space descriptors' <<<"$out"; then
        pass=$((pass + 1)); echo "ok bochs-gdt-oracle-small ($(tail -n 1 <<<"$out"))"
    else
        fail=$((fail + 1)); echo "FAIL bochs-gdt-oracle-small"; sed 's/^/  | /' <<<"$out" | tail -n 40
    fi
fi
if [[ -z ${ONLY:-} || oracle-modes =~ $ONLY ]]; then
    # Every mode at once: most drivers in GDT domains, null in ring 1, pit in ring 0 (DPL-1
    # segments and own import gates, DPL-0 public gates). Bochs reads the table at the stop, a
    # point where no driver runs: the kernel's table, every descriptor present (the domains'
    # copies are separate). The listing must agree, descriptor for descriptor.
    if out=$(CMDLINE=drvring=domains,null:1,pit:0 tools/bochs-oracle.sh 2>&1) && grep -q 'running=domains' build/runs/oracle.serial &&
        grep -q 'running=ring1' build/runs/oracle.serial && grep -q 'running=ring0' build/runs/oracle.serial; then
        pass=$((pass + 1)); echo "ok bochs-gdt-oracle-modes ($(tail -n 1 <<<"$out"))"
    else
        fail=$((fail + 1)); echo "FAIL bochs-gdt-oracle-modes"; sed 's/^/  | /' <<<"$out" | tail -n 40
    fi
fi

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
