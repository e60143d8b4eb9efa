#!/usr/bin/env bash
# Every documented feature combination of `kafka-model` builds warning-free: no features, each
# feature alone, the default set, all features. A combination that warns or fails, fails CI.
# Shares the test build's target dir (build scripts, proc macros and librdkafka are built once
# for both; a separate dir cost ~5 minutes of CI); FEATURES_TARGET_DIR picks another.
set -euo pipefail
cd "$(dirname "$0")/.."
export CARGO_TARGET_DIR=${FEATURES_TARGET_DIR:-${CARGO_TARGET_DIR:-$PWD/target}}
features=$(sed -n '/^\[features\]/,/^\[/p' kafka-model/Cargo.toml | grep -oE '^[a-z][a-z0-9_-]*' | grep -v '^default$')
[ -n "$features" ] || { echo "no features found in kafka-model/Cargo.toml" >&2; exit 1; }
combos=("--no-default-features" "" "--all-features")
for f in $features; do combos+=("--no-default-features --features $f"); done
failed=0
for c in "${combos[@]}"; do
  # shellcheck disable=SC2086
  out=$(cargo check -p kafka-model --lib --message-format short $c 2>&1) || { echo "$out"; echo "FAILED: $c"; failed=1; continue; }
  # Short format: `path:line:col: warning: ...`; the count line names no file.
  if grep -E '(^|: )(warning|error)(\[[A-Za-z0-9_:]+\])?: ' <<<"$out" | grep -v 'generated [0-9]* warning' >/dev/null; then
    grep -E '(^|: )(warning|error)' <<<"$out"; echo "WARNINGS: cargo check $c"; failed=1
  else
    echo "ok: cargo check -p kafka-model ${c:-(default features)}"
  fi
done
exit $failed
