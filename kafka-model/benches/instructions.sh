#!/usr/bin/env bash
# Instructions per operation for every operation of a bench binary (benches/codecs.rs by
# default, benches/serdes.rs with `serdes`), counted by valgrind's cachegrind: each operation
# runs N times and M times in the bench binary (KAFKA_MODEL_ICOUNT=<op>:<n>), and
# (I(N) - I(M)) / (N - M) removes the setup (schema parsing, registry, fixtures, process start).
# Prints markdown: the counts, then ours / theirs per operation (codecs), or the serdes overhead
# over the bare codec plus framing per operation (serdes).
#
# Usage: kafka-model/benches/instructions.sh [codecs|serdes] [N] [M]      (defaults codecs 2100 100)
# Needs valgrind. Builds the bench in release mode first.
set -euo pipefail
cd "$(dirname "$0")/../.."

BENCH=codecs
case "${1:-}" in
  codecs|serdes) BENCH=$1; shift ;;
esac
N=${1:-2100}
M=${2:-100}
JOBS=${JOBS:-$(nproc)}

command -v valgrind >/dev/null || { echo "valgrind is required" >&2; exit 1; }

BIN=$(cargo bench -p kafka-model --bench "$BENCH" --no-run --message-format=json 2>/dev/null |
  BENCH=$BENCH python3 -c '
import json, os, sys
for line in sys.stdin:
    m = json.loads(line)
    if m.get("reason") == "compiler-artifact" and m["target"]["name"] == os.environ["BENCH"] and m.get("executable"):
        print(m["executable"])')
[ -x "$BIN" ] || { echo "could not build the $BENCH bench" >&2; exit 1; }

count() { # op n -> total instructions
  KAFKA_MODEL_ICOUNT="$1:$2" valgrind --tool=cachegrind --cache-sim=no \
    --cachegrind-out-file=/dev/null "$BIN" 2>&1 >/dev/null |
    sed -n 's/.*I *refs: *\([0-9,]*\).*/\1/p' | tr -d ,
}
export -f count
export BIN

OPS=$(KAFKA_MODEL_ICOUNT=list "$BIN")
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

for op in $OPS; do
  for n in "$N" "$M"; do echo "$op $n"; done
done | xargs -P "$JOBS" -n 2 bash -c 'count "$0" "$1" > "'"$TMP"'/$(echo "$0" | tr / _).$1"'

results() {
  for op in $OPS; do
    f="$TMP/$(echo "$op" | tr / _)"
    echo "$op $(cat "$f.$N") $(cat "$f.$M")"
  done
}

if [ "$BENCH" = serdes ]; then
  # Pairs: serdes vs bare, serdes_alloc vs bare_alloc (same group).
  results | awk -v N="$N" -v M="$M" '
    {
      split($1, p, "/"); group = p[1] "/" p[2]; impl = p[3]
      ins[group, impl] = ($2 - $3) / (N - M)
      if (!(group in seen)) { seen[group] = 1; groups[++ng] = group }
    }
    END {
      print "### Serdes overhead per call, schema cached (cachegrind, (I(" N ") - I(" M ")) / " N - M ")"
      print ""
      print "| operation | bare codec + framing | serdes | overhead (instructions) | overhead (%) |"
      print "|---|---:|---:|---:|---:|"
      for (g = 1; g <= ng; g++) {
        group = groups[g]
        for (k = 1; k <= 2; k++) {
          b = (k == 1) ? "bare" : "bare_alloc"; s = (k == 1) ? "serdes" : "serdes_alloc"
          if (!((group, b) in ins) || !((group, s) in ins)) continue
          d = ins[group, s] - ins[group, b]
          printf "| %s (%s vs %s) | %.0f | %.0f | %+.0f | %+.1f%% |\n", group, s, b, ins[group, b], ins[group, s], d, 100 * d / ins[group, b]
        }
      }
    }'
  exit 0
fi

results | awk -v N="$N" -v M="$M" '
  {
    split($1, p, "/"); group = p[1] "/" p[2]; impl = p[3]
    ipo = ($2 - $3) / (N - M)
    ins[group, impl] = ipo
    if (!(group in seen)) { seen[group] = 1; groups[++ng] = group }
    impls[group] = impls[group] " " impl
  }
  END {
    print "### Instructions per operation (cachegrind, (I(" N ") - I(" M ")) / " N - M ")"
    print ""
    print "| operation | implementation | instructions/op | ÷ ours |"
    print "|---|---|---:|---:|"
    for (g = 1; g <= ng; g++) {
      group = groups[g]; n = split(impls[group], list, " ")
      ref = ((group, "ours") in ins) ? ins[group, "ours"] : ins[group, list[1]]
      for (i = 1; i <= n; i++)
        printf "| %s | %s | %.0f | %.2f |\n", group, list[i], ins[group, list[i]], ins[group, list[i]] / ref
    }
    print ""
    print "### Ratios ours / theirs (below 1: ours is cheaper)"
    print ""
    print "| operation | vs hand-written | vs prost | vs serde_avro_fast | vs apache-avro serde | vs apache-avro Value | vs serde_json |"
    print "|---|---:|---:|---:|---:|---:|---:|"
    for (g = 1; g <= ng; g++) {
      group = groups[g]
      if (!((group, "ours") in ins)) continue
      o = ins[group, "ours"]
      split(group, gp, "/"); kind = gp[2]; sub(/^(avro|proto)_/, "", kind)
      js = gp[1] "/json_" kind
      line = "| " group
      line = line " | " (((group, "hand") in ins) ? sprintf("%.2f", o / ins[group, "hand"]) : "")
      line = line " | " (((group, "prost") in ins) ? sprintf("%.2f", o / ins[group, "prost"]) : "")
      line = line " | " (((group, "serde_avro_fast") in ins) ? sprintf("%.2f", o / ins[group, "serde_avro_fast"]) : "")
      a = ((group, "apache_ser") in ins) ? "apache_ser" : "apache_deser"
      line = line " | " (((group, a) in ins) ? sprintf("%.3f", o / ins[group, a]) : "")
      line = line " | " (((group, "apache_value") in ins) ? sprintf("%.3f", o / ins[group, "apache_value"]) : "")
      line = line " | " (((js, "serde_json") in ins) ? sprintf("%.2f", o / ins[js, "serde_json"]) : "")
      print line " |"
    }
  }'
