"""Python confluent-kafka's serializers against kafka-model's embedded registry server.

Usage: python registry_serdes.py <base-url>

1. AvroSerializer auto-registers its schema through the server; AvroDeserializer reads back.
2. ProtobufSerializer auto-registers an Order message whose file imports com/acme/common.proto:
   the dependency goes first under its own subject (the import path, Confluent's default
   reference strategy) as base64 of a FileDescriptorProto, then the root with a reference to
   it; ProtobufDeserializer fetches both with format=serialized and reads the message back.
3. The same message types, with `use.latest.version`, serialize against a schema the Rust side
   registered as .proto text (subject `rust-orders-value`, if present): the server answers it
   with format=serialized as a compiled descriptor, which the Python serde can use.

Message classes come from hand-built descriptors in a private DescriptorPool (what a generated
*_pb2 module does). Prints one "key=value" line per fact the Rust test checks, then
"registry serdes OK".
"""
import base64
import sys

from confluent_kafka.schema_registry import SchemaRegistryClient
from confluent_kafka.schema_registry.avro import AvroDeserializer, AvroSerializer
from confluent_kafka.schema_registry.protobuf import ProtobufDeserializer, ProtobufSerializer
from confluent_kafka.serialization import MessageField, SerializationContext
from google.protobuf import descriptor_pb2, descriptor_pool
from google.protobuf.message_factory import GetMessageClass

url = sys.argv[1]
client = SchemaRegistryClient({"url": url})

# ---------------------------------------------------------------- Avro
avro_schema = (
    '{"type":"record","name":"Payment","namespace":"com.acme.payments","fields":'
    '[{"name":"id","type":"string"},{"name":"cents","type":"long"},'
    '{"name":"note","type":["null","string"],"default":null}]}'
)
avro_ser = AvroSerializer(client, avro_schema, conf={"auto.register.schemas": True})
avro_de = AvroDeserializer(client)
ctx = SerializationContext("payments", MessageField.VALUE)
value = {"id": "p-1", "cents": 1250, "note": None}
data = avro_ser(value, ctx)
assert data[0] == 0, data[:5]
avro_id = int.from_bytes(data[1:5], "big")
back = avro_de(data, ctx)
assert back == value, back
latest = client.get_latest_version("payments-value")
assert latest.schema_id == avro_id and latest.version == 1, latest
print(f"avro_id={avro_id}")

# ---------------------------------------------------------------- Protobuf with an import
F = descriptor_pb2.FieldDescriptorProto


def field(msg, name, number, ftype, type_name=None):
    f = msg.field.add(name=name, number=number, type=ftype, label=F.LABEL_OPTIONAL)
    if type_name:
        f.type_name = type_name


common = descriptor_pb2.FileDescriptorProto(
    name="com/acme/common.proto", package="com.acme.common", syntax="proto3"
)
customer = common.message_type.add(name="Customer")
field(customer, "id", 1, F.TYPE_INT64)
field(customer, "email", 2, F.TYPE_STRING)

orders = descriptor_pb2.FileDescriptorProto(
    name="com/acme/orders.proto", package="com.acme.orders", syntax="proto3",
    dependency=["com/acme/common.proto"],
)
order = orders.message_type.add(name="Order")
field(order, "order_id", 1, F.TYPE_STRING)
field(order, "customer", 2, F.TYPE_MESSAGE, ".com.acme.common.Customer")
field(order, "total_cents", 3, F.TYPE_INT64)

pool = descriptor_pool.DescriptorPool()
pool.Add(common)
pool.Add(orders)
Order = GetMessageClass(pool.FindMessageTypeByName("com.acme.orders.Order"))

proto_ser = ProtobufSerializer(Order, client, {"use.deprecated.format": False})
proto_de = ProtobufDeserializer(Order, {"use.deprecated.format": False}, client)
pctx = SerializationContext("orders", MessageField.VALUE)
msg = Order(order_id="o-1", total_cents=4200)
msg.customer.id = 7
msg.customer.email = "a@example.com"
pdata = proto_ser(msg, pctx)
proto_id = int.from_bytes(pdata[1:5], "big")
pback = proto_de(pdata, pctx)
assert pback == msg, pback

registered = client.get_schema(proto_id)
assert registered.schema_type == "PROTOBUF", registered
refs = [(r.name, r.subject, r.version) for r in registered.references]
# Version 1 of that subject may be the Rust side's .proto text of the same file: Python's
# descriptor is other content, hence a new version.
assert [r[:2] for r in refs] == [("com/acme/common.proto", "com/acme/common.proto")], refs
assert "com/acme/common.proto" in client.get_subjects()
print(f"proto_id={proto_id}")

# ---------------------------------------------------------------- a schema Rust registered as text
if "rust-orders-value" in client.get_subjects():
    text = client.get_latest_version("rust-orders-value")
    assert "message Order" in text.schema.schema_str, text.schema.schema_str
    serialized = client.get_schema(text.schema_id, fmt="serialized")
    fd = descriptor_pb2.FileDescriptorProto()
    fd.ParseFromString(base64.standard_b64decode(serialized.schema_str))
    assert fd.package == "com.acme.orders" and list(fd.dependency) == ["com/acme/common.proto"], fd
    # A fresh client: the first one cached `latest` as text (its cache ignores the format).
    fresh = SchemaRegistryClient({"url": url})
    rser = ProtobufSerializer(
        Order, fresh,
        {"use.deprecated.format": False, "auto.register.schemas": False, "use.latest.version": True},
    )
    rctx = SerializationContext("rust-orders", MessageField.VALUE)
    rdata = rser(msg, rctx)
    assert int.from_bytes(rdata[1:5], "big") == text.schema_id
    rback = ProtobufDeserializer(Order, {"use.deprecated.format": False}, fresh)(rdata, rctx)
    assert rback == msg, rback
    print(f"rust_text_id={text.schema_id}")

print("registry serdes OK")
