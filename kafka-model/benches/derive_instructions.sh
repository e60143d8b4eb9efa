#!/usr/bin/env bash
# rustc's instruction count for the record variant of derive_cost.sh's crate (deterministic,
# unlike CPU seconds on a loaded machine). Usage: kafka-model/benches/derive_instructions.sh [MODELS=10]
# Needs valgrind. Writes the crate with derive_cost.sh first (which also times the three variants).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
work=${DERIVE_COST_DIR:-$repo/target/derive-cost}
DERIVE_COST_DIR=$work bash "$repo/kafka-model/benches/derive_cost.sh" "${1:-10}" 1 >&2
cat >"$work/wrap.sh" <<WRAP
#!/usr/bin/env bash
# RUSTC_WRAPPER: cachegrind for the \`dc\` crate only.
prev=
for a in "\$@"; do
  if [ "\$prev" = "--crate-name" ] && [ "\$a" = "dc" ]; then
    exec valgrind --tool=cachegrind --cache-sim=no --cachegrind-out-file=/dev/null --log-file="$work/cg.log" "\$@"
  fi
  prev=\$a
done
exec "\$@"
WRAP
chmod +x "$work/wrap.sh"
touch "$work/dc/src/lib.rs"
CARGO_TARGET_DIR=$work/target CARGO_INCREMENTAL=0 RUSTC_WRAPPER=$work/wrap.sh \
  cargo build --offline --quiet --manifest-path "$work/Cargo.toml" -p dc
sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' "$work/cg.log" | tr -d ,
