"""Python confluent-kafka's SchemaRegistryClient against kafka-model's embedded registry server.

Usage: python registry_client.py <base-url>. Registers and fetches Avro and Protobuf schemas
(.proto text, and base64 of a serialized FileDescriptorProto as the Python Protobuf serializer
registers it), checks versions, lookups and error codes; prints "registry interop OK".
"""
import base64
import sys

from confluent_kafka.schema_registry import Schema, SchemaRegistryClient
from confluent_kafka.schema_registry.error import SchemaRegistryError
from google.protobuf import descriptor_pb2

url = sys.argv[1]
client = SchemaRegistryClient({"url": url})

avro = '{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"id","type":"string"}]}'
avro_id = client.register_schema("orders-value", Schema(avro, "AVRO"))
assert client.get_schema(avro_id).schema_str == avro, "avro by id"
again = client.register_schema("other-value", Schema(avro, "AVRO"))
assert again == avro_id, "one id per content"
latest = client.get_latest_version("orders-value")
assert latest.schema_id == avro_id and latest.version == 1, latest
found = client.lookup_schema("orders-value", Schema(avro, "AVRO"))
assert found.schema_id == avro_id, found
assert client.get_versions("orders-value") == [1]
assert "orders-value" in client.get_subjects()

proto = 'syntax = "proto3";\npackage acme;\nmessage Ping { int64 seq = 1; }\n'
proto_id = client.register_schema("pings-value", Schema(proto, "PROTOBUF"))
fetched = client.get_schema(proto_id)
assert fetched.schema_type == "PROTOBUF" and "message Ping" in fetched.schema_str, fetched

fd = descriptor_pb2.FileDescriptorProto(name="pong.proto", package="acme", syntax="proto3")
msg = fd.message_type.add(name="Pong")
msg.field.add(name="seq", number=1, type=descriptor_pb2.FieldDescriptorProto.TYPE_INT64,
              label=descriptor_pb2.FieldDescriptorProto.LABEL_OPTIONAL)
b64 = base64.standard_b64encode(fd.SerializeToString()).decode()
pong_id = client.register_schema("pongs-value", Schema(b64, "PROTOBUF"))
assert client.get_schema(pong_id).schema_type == "PROTOBUF"

try:
    client.get_latest_version("missing-value")
    raise AssertionError("expected 40401")
except SchemaRegistryError as e:
    assert e.http_status_code == 404 and e.error_code == 40401, e

try:
    client.get_schema(999999)
    raise AssertionError("expected 40403")
except SchemaRegistryError as e:
    assert e.error_code == 40403, e

breaking = '{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"id","type":"string"},{"name":"n","type":"int"}]}'
assert not client.test_compatibility("orders-value", Schema(breaking, "AVRO"))
try:
    client.register_schema("orders-value", Schema(breaking, "AVRO"))
    raise AssertionError("expected 409")
except SchemaRegistryError as e:
    assert e.http_status_code == 409, e

client.set_compatibility("orders-value", "NONE")
assert client.get_compatibility("orders-value") == "NONE"
assert client.delete_subject("other-value") == [1]
print("registry interop OK")
