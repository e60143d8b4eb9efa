#!/usr/bin/env python3
"""Ratio table ours / theirs from the last `cargo bench -p kafka-model --bench codecs` run
(criterion's medians in target/criterion/<payload>_<codec>_<op>/<impl>/new/estimates.json).
Times are noisy on shared machines: see instructions.sh for stable instruction counts."""
import glob
import json
import os
import sys

root = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(__file__), "..", "..", "target", "criterion")
res = {}
for f in glob.glob(os.path.join(root, "*", "*", "new", "estimates.json")):
    parts = f.split(os.sep)
    res[(parts[-4], parts[-3])] = json.load(open(f))["median"]["point_estimate"]

print("| operation | ours (ns) | vs hand-written | vs prost | vs serde_avro_fast "
      "| vs apache-avro serde | vs apache-avro Value | vs serde_json |")
print("|---|---:|---:|---:|---:|---:|---:|---:|")
for g in sorted({g for g, _ in res}, key=lambda g: (not g.startswith("small"), g)):
    if (g, "ours") not in res:
        continue
    o = res[(g, "ours")]
    payload, kind = g.split("_")[0], g.rsplit("_", 1)[1]

    def r(impl, group=g):
        return f"{o / res[(group, impl)]:.2f}" if (group, impl) in res else ""

    apache = "apache_ser" if kind == "encode" else "apache_deser"
    print(f"| {g.replace('_', '/', 1)} | {o:.0f} | {r('hand')} | {r('prost')} "
          f"| {r('serde_avro_fast')} | {r(apache)} | {r('apache_value')} "
          f"| {r('serde_json', f'{payload}_json_{kind}')} |")
