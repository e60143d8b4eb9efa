#!/usr/bin/env bash
# Prove check_vectors.py fails when it should: copy known-good vectors, corrupt them one way
# at a time in a temp dir, and require check_vectors.py to reject every corrupted copy while
# accepting the untouched controls.
#
#   ./selftest_negative.sh [VECTOR_DIR]      (default: ../testdata/vectors)
#
# Prints one line per corruption (DETECTED / MISSED) and a final "N passed, M failed" line,
# where "passed" counts corruptions that were detected. Exits non-zero if any corruption got
# through or a control failed.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PY="${PYTHON:-${INTEROP_VENV:-$HERE/.venv}/bin/python}"
SRC="${1:-$HERE/../testdata/vectors}"
CHECK="$HERE/check_vectors.py"
TMP="$(mktemp -d "${TMPDIR:-/tmp}/interop-negative.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT

[ -d "$SRC" ] || { echo "no vectors at $SRC " >&2; exit 2; }

# Build the corrupted copies. Each $TMP/neg/<name>/ holds exactly one corrupted case;
# each $TMP/sweep-<case>/ holds one case per payload byte, that byte XOR 0x01.
"$PY" - "$SRC" "$TMP" "$HERE" <<'PYEOF'
import json, shutil, struct, sys
from pathlib import Path

src, tmp = Path(sys.argv[1]), Path(sys.argv[2])
sys.path.insert(0, sys.argv[3])

def need(case):
    d = src / case
    if not (d / "case.json").is_file():
        sys.exit(f"selftest needs the case {case} in {src}")
    return d

def copy(case, name):
    dst = tmp / "neg" / name / case
    shutil.copytree(need(case), dst)
    return dst

def edit_payload(d, fn):
    p = d / "payload.bin"
    p.write_bytes(bytes(fn(bytearray(p.read_bytes()))))

def edit_meta(d, fn):
    p = d / "case.json"
    meta = json.loads(p.read_text())
    fn(meta)
    p.write_text(json.dumps(meta, indent=2, ensure_ascii=False))

def flip(i, mask=0x01):
    def f(b):
        b[i] ^= mask
        return b
    return f

# -- the three asked for
d = copy("avro_confluent_primitives", "wrong-magic-byte");  edit_payload(d, lambda b: bytes([1]) + b[1:])
d = copy("avro_confluent_primitives", "wrong-schema-id-in-payload")
edit_payload(d, lambda b: b[:1] + struct.pack(">I", struct.unpack(">I", b[1:5])[0] + 1) + b[5:])
d = copy("avro_confluent_primitives", "flipped-payload-byte")
edit_payload(d, lambda b: flip(len(b) - 3, 0x20)(b))

# -- more ways to be wrong
d = copy("avro_confluent_primitives", "wrong-schema-id-in-case-json"); edit_meta(d, lambda m: m.update(schema_id=m["schema_id"] + 1))
d = copy("avro_confluent_primitives", "trailing-byte"); edit_payload(d, lambda b: b + b"\x00")
d = copy("avro_confluent_primitives", "truncated"); edit_payload(d, lambda b: b[:-1])
d = copy("avro_confluent_float_special", "nan-payload-bits")
# flip the lowest mantissa byte of the first NaN double: still a NaN, so only a byte-exact check sees it
def nan_flip(b):
    i = bytes(b).find(bytes.fromhex("000000000000f87f"))
    assert i > 0, "no NaN double in payload"
    b[i] ^= 0x01
    return b
edit_payload(d, nan_flip)
d = copy("avro_confluent_union_multi", "union-branch-int-instead-of-long")
# claim the ["int","long"] field holding {"long": n} used the int branch: same number, other branch
edit_meta(d, lambda m: m["value"].update({k: {"int": v["long"]} for k, v in m["value"].items()
                                          if isinstance(v, dict) and list(v) == ["long"]}))
d = copy("avro_confluent_logical", "timestamp-off-by-one-ms")
def ts_shift(m):
    for k, v in m["value"].items():
        if isinstance(v, str) and v.endswith("Z") and len(v) == 24:  # millis
            m["value"][k] = v[:-2] + str((int(v[-2]) + 1) % 10) + "Z"
            return
edit_meta(d, ts_shift)
d = copy("avro_apicurio_headers_global_id", "apicurio-header-id-mismatch")
h = json.loads((d / "headers.json").read_text()); k = next(iter(h))
h[k] = h[k][:-1] + format((int(h[k][-1], 16) ^ 1), "x"); (d / "headers.json").write_text(json.dumps(h))
d = copy("avro_apicurio_headers_global_id", "apicurio-header-4-bytes")
h = json.loads((d / "headers.json").read_text()); k = next(iter(h)); h[k] = h[k][8:]
(d / "headers.json").write_text(json.dumps(h))
d = copy("avro_apicurio_headers_global_id", "apicurio-wrong-header-name")
h = json.loads((d / "headers.json").read_text()); k = next(iter(h)); h = {k.replace("value", "key"): h[k]}
(d / "headers.json").write_text(json.dumps(h))
d = copy("avro_confluent_evolution", "evolution-wrong-default")
edit_meta(d, lambda m: m["value"].update({k: v + 1 for k, v in m["value"].items() if v == 7 and isinstance(v, int)}))
d = copy("proto_confluent_msgindex_second", "proto-message-index-0-instead-of-1")
edit_payload(d, lambda b: b[:5] + b"\x00" + b[7:])  # [1] (02 02) -> [0] (00)
d = copy("proto_confluent_scalars", "proto-index-0-long-form")
edit_payload(d, lambda b: b[:5] + b"\x02\x00" + b[6:])  # [0] as count 1 + index 0: readable, not canonical
d = copy("proto_confluent_scalars", "proto-unknown-field")
edit_payload(d, lambda b: b + bytes([0xF8, 0x07, 0x01]))  # field 127, varint 1: not in the schema
d = copy("proto_raw", "proto-repeated-unpacked")
from harness.protoc import ProtoSchema
from harness.proto_typed import _varint
meta = json.loads((d / "case.json").read_text())
ps = ProtoSchema((d / "schema.proto").read_text())
desc = ps.descriptor(meta["message_type"])
rep = next(f for f in desc.fields if f.is_repeated)
body = bytes((d / "payload.bin").read_bytes())
out, pos = bytearray(), 0
def varint(n):
    n &= (1 << 64) - 1
    o = bytearray()
    while True:
        if n < 0x80:
            o.append(n); return bytes(o)
        o.append((n & 0x7F) | 0x80); n >>= 7
while pos < len(body):
    start = pos
    key, pos = _varint(body, pos)
    wt = key & 7
    if wt == 0:
        _, pos = _varint(body, pos)
    elif wt == 2:
        ln, pos = _varint(body, pos); pos += ln
    elif wt == 1:
        pos += 8
    elif wt == 5:
        pos += 4
    if key >> 3 == rep.number and wt == 2:
        for v in meta["value"][rep.name]:
            out += varint(rep.number << 3) + varint(v)
    else:
        out += body[start:pos]
(d / "payload.bin").write_bytes(bytes(out))
d = copy("proto_confluent_oneof_mixed", "proto-oneof-member-dropped")
# the oneof holding an int64 zero: claim it is unset (but the payload encodes it)
edit_meta(d, lambda m: m["value"].update({k: None for k, v in m["value"].items()
                                          if isinstance(v, dict) and len(v) == 1 and list(v.values())[0] == 0}))
d = copy("json_faust_record_plain", "json-value-changed")
edit_meta(d, lambda m: m["value"].update({k: 1e299 for k, v in m["value"].items() if v == 1e300}))
d = copy("json_faust_record_plain", "json-nan-literal")
edit_payload(d, lambda b: bytes(b).replace(b"1e+300", b"NaN") if b"1e+300" in b else bytes(b).replace(b"1e300", b"NaN"))
d = copy("json_confluent_jsonschema", "json-schema-violation")
def add_prop(b):
    body = json.loads(bytes(b[5:])); body["unexpected_property"] = 1
    return bytes(b[:5]) + json.dumps(body, separators=(",", ":")).encode()
edit_payload(d, add_prop)
edit_meta(d, lambda m: m["value"].update(unexpected_property=1))

# -- byte sweeps: every single-bit change of these payloads must be caught
for case in ("avro_confluent_primitives", "avro_confluent_union_multi", "proto_confluent_scalars",
             "proto_confluent_msgindex_nested"):
    n = len((need(case) / "payload.bin").read_bytes())
    for i in range(n):
        dst = tmp / f"sweep-{case}" / f"{case}@{i:04d}"
        shutil.copytree(need(case), dst)
        edit_payload(dst, flip(i))

# -- controls: untouched copies must pass
for case in ("avro_confluent_primitives", "proto_confluent_msgindex_second", "json_faust_record_plain",
             "avro_apicurio_headers_global_id"):
    shutil.copytree(need(case), tmp / "control" / case)
PYEOF

detected=0
missed=0
for d in "$TMP"/neg/*/; do
  name="$(basename "$d")"
  if out="$("$PY" "$CHECK" "$d" 2>&1)"; then
    echo "MISSED   $name: check_vectors.py accepted the corrupted case"
    missed=$((missed + 1))
  elif grep -qx '0 passed, 1 failed' <<<"$out"; then
    echo "DETECTED $name: $(grep '^FAIL' <<<"$out" | cut -c1-220)"
    detected=$((detected + 1))
  else
    echo "MISSED   $name: unexpected output: $(tail -1 <<<"$out")"
    missed=$((missed + 1))
  fi
done

for d in "$TMP"/sweep-*/; do
  name="$(basename "$d")"
  total="$(find "$d" -mindepth 1 -maxdepth 1 -type d | wc -l)"
  out="$("$PY" "$CHECK" "$d" 2>&1 || true)"
  if grep -qx "0 passed, $total failed" <<<"$out"; then
    echo "DETECTED $name: all $total single-bit flips rejected"
    detected=$((detected + 1))
  else
    echo "MISSED   $name: $(tail -1 <<<"$out") of $total flips; accepted: $(grep '^PASS' <<<"$out" | tr '\n' ' ')"
    missed=$((missed + 1))
  fi
done

controls_ok=1
if out="$("$PY" "$CHECK" "$TMP/control" 2>&1)"; then
  echo "CONTROL  untouched copies: $(tail -1 <<<"$out")"
else
  echo "CONTROL  untouched copies FAILED: $out"
  controls_ok=0
fi

echo "$detected passed, $missed failed"
[ "$missed" -eq 0 ] && [ "$controls_ok" -eq 1 ]
