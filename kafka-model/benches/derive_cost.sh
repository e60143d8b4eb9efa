#!/usr/bin/env bash
# What `#[derive(Record)]` costs a user's build, against serde's derive on the same types
# (issue 19: "≤ 2× serde's derive cost on a 50-model crate"). Writes a crate of N models (mixed
# field types: strings, integers, floats, options, lists, maps, a nested struct, a unit enum), in
# three variants, and times `cargo build` of that crate alone (its dependencies built first),
# the variants in turns:
#   plain  — the types with no derive (the floor: parsing and type-checking the types)
#   serde  — #[derive(Serialize, Deserialize)]
#   record — #[derive(Record, Serialize, Deserialize)] (a Record needs serde for JSON)
# Reports user+sys CPU seconds and peak RSS per variant (median of RUNS), and the ratio of the
# derive costs above the floor: (record - plain) / (serde - plain), plus the raw ratio
# record / serde. Usage: kafka-model/benches/derive_cost.sh [MODELS=50] [RUNS=3]
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
models=${1:-50}
runs=${2:-3}
work=${DERIVE_COST_DIR:-$repo/target/derive-cost}
export CARGO_TARGET_DIR=$work/target CARGO_INCREMENTAL=0
mkdir -p "$work/dc/src"
cp "$repo/Cargo.lock" "$repo/rust-toolchain.toml" "$work/"
cat >"$work/Cargo.toml" <<EOF
[workspace]
members = ["dc"]
resolver = "2"
EOF
cat >"$work/dc/Cargo.toml" <<EOF
[package]
name = "dc"
version = "0.0.0"
edition = "2021"
publish = false

[dependencies]
kafka-model = { path = "$repo/kafka-model", default-features = false }
serde = { version = "1", features = ["derive"] }
EOF

write_models() { # $1 = derive line (may be empty), $2 = output file
  python3 - "$models" "$1" >"$2" <<'PY'
import sys
n, derive = int(sys.argv[1]), sys.argv[2]
out = ["#![allow(dead_code)]", "use std::collections::BTreeMap;"]
if "Record" in derive:
    out.append("use kafka_model::Record;")
if "Serialize" in derive:
    out.append("use serde::{Deserialize, Serialize};")
for i in range(n):
    out.append(f"""
{derive}
pub enum Status{i} {{ Active, Paused, Closed }}

{derive}
pub struct Line{i} {{ pub sku: String, pub qty: i32, pub price: f64 }}

{derive}
pub struct Model{i} {{
    pub id: String,
    pub seq: i64,
    pub count: i32,
    pub ratio: f64,
    pub active: bool,
    pub note: Option<String>,
    pub tags: Vec<String>,
    pub attrs: BTreeMap<String, String>,
    pub lines: Vec<Line{i}>,
    pub status: Status{i},
    pub payload: Vec<u8>,
    pub parent: Option<i64>,
}}""")
print("\n".join(out))
PY
}

measure() { # prints "cpu_seconds peak_kb" of building the crate alone
  touch "$work/dc/src/lib.rs"
  /usr/bin/time -f "%U %S %M" -o "$work/time.txt" \
    cargo build --offline --quiet --manifest-path "$work/Cargo.toml" -p dc 2>"$work/build.log" \
    || { cat "$work/build.log" >&2; exit 1; }
  awk '{printf "%.2f %d\n", $1 + $2, $3}' "$work/time.txt"
}

# The variants are built in turns (plain, serde, record, plain, ...), not one after the other:
# a shared machine's speed drifts over a minute (turbo budget, neighbours), and measuring one
# variant's runs last would charge the drift to it.
write_models "" "$work/plain.rs"
write_models "#[derive(Serialize, Deserialize)]" "$work/serde.rs"
write_models "#[derive(Record, Serialize, Deserialize)]" "$work/record.rs"
declare -A cpu rss samples
for variant in plain serde record; do
  cp "$work/$variant.rs" "$work/dc/src/lib.rs"
  measure >/dev/null # dependencies, and a warm cache for the crate's inputs
done
for _ in $(seq "$runs"); do
  for variant in plain serde record; do
    cp "$work/$variant.rs" "$work/dc/src/lib.rs"
    samples[$variant]+="$(measure)"$'\n'
  done
done
for variant in plain serde record; do
  median=$(sort -n <<<"${samples[$variant]}" | sed '/^$/d' | sed -n "$(((runs + 1) / 2))p")
  cpu[$variant]=${median% *}
  rss[$variant]=${median#* }
  echo "$variant: ${cpu[$variant]} s CPU, ${rss[$variant]} KB peak (median of $runs; $models models)" \
    "[$(sed '/^$/d' <<<"${samples[$variant]}" | cut -d' ' -f1 | tr '\n' ' ')]"
done
awk -v p="${cpu[plain]}" -v s="${cpu[serde]}" -v r="${cpu[record]}" 'BEGIN {
  printf "record / serde: %.2fx CPU; derive cost above the plain floor: %.2fx (%.2f s vs %.2f s)\n",
    r / s, (r - p) / (s - p), r - p, s - p }'
