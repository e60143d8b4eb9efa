"""Maps with integer and bool keys against the reference implementations.

    python map_keys.py DIR

DIR holds schema.proto, schema.avsc, schema.json, the message name in message.txt and
cases.json: a list of {"proto": hex, "avro": hex, "json": serde's JSON of the value}. For every
case: upb (python protobuf, the .proto compiled by protoc) reads our Protobuf bytes, fastavro
reads our Avro bytes, both must give serde's value (keys as their decimal text, bytes as lists
of numbers), and jsonschema must accept serde's JSON. Writes out.json: for every case the bytes
upb and fastavro write for what they read, for the Rust side to read back. Prints
"N passed, M failed"; exits 1 on any failure or when there is no case.
"""
import io
import json
import pathlib
import sys

root = pathlib.Path(sys.argv[1])
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "interop"))

import fastavro  # noqa: E402
import jsonschema  # noqa: E402
from google.protobuf.descriptor import FieldDescriptor  # noqa: E402
from harness.protoc import ProtoSchema  # noqa: E402


def plain(v):
    """A reference value in serde's JSON form."""
    if isinstance(v, (bytes, bytearray)):
        return list(v)
    if isinstance(v, bool) or v is None or isinstance(v, (int, float, str)):
        return v
    if isinstance(v, dict):
        return {key_text(k): plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return proto_dict(v)


def key_text(k):
    if isinstance(k, bool):
        return "true" if k else "false"
    return str(k)


def proto_dict(m):
    out = {}
    for f in m.DESCRIPTOR.fields:
        v = getattr(m, f.name)
        if f.message_type is not None and f.message_type.GetOptions().map_entry:
            out[f.name] = {key_text(k): plain(v[k]) for k in v}
        elif f.type == FieldDescriptor.TYPE_MESSAGE:
            out[f.name] = proto_dict(v)
        else:
            out[f.name] = plain(v)
    return out


proto = ProtoSchema((root / "schema.proto").read_text())
cls = proto.message_class((root / "message.txt").read_text().strip())
avro_schema = fastavro.parse_schema(json.loads((root / "schema.avsc").read_text()))
json_schema = json.loads((root / "schema.json").read_text())
jsonschema.Draft7Validator.check_schema(json_schema)
validator = jsonschema.Draft7Validator(json_schema)

passed = failed = 0
out = []
for i, case in enumerate(json.loads((root / "cases.json").read_text())):
    expected = case["json"]
    try:
        msg = cls.FromString(bytes.fromhex(case["proto"]))
        got = proto_dict(msg)
        assert got == expected, f"upb read {got}, expected {expected}"
        record = fastavro.schemaless_reader(io.BytesIO(bytes.fromhex(case["avro"])), avro_schema, None)
        got = plain(record)
        assert got == expected, f"fastavro read {got}, expected {expected}"
        validator.validate(expected)
        buf = io.BytesIO()
        fastavro.schemaless_writer(buf, avro_schema, record)
        out.append({"proto": msg.SerializeToString(deterministic=True).hex(), "avro": buf.getvalue().hex()})
        passed += 1
    except Exception as e:  # report every failure, not only the first
        failed += 1
        out.append(None)
        print(f"FAIL case {i}: {type(e).__name__}: {e}")

(root / "out.json").write_text(json.dumps(out))
print(f"{passed} passed, {failed} failed")
sys.exit(1 if failed or not passed else 0)
