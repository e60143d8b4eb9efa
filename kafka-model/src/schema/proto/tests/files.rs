use super::*;

#[test]
fn tags_import_confluent_meta() {
    let schema = render_ok(&ORDER);
    assert_lines(
        &schema,
        &["string customer_ssn = 2 [(confluent.field_meta) = { tags: [\"PII\", \"GDPR\"] }];"],
    );
    assert_eq!(
        schema.imports_well_known(),
        vec![CONFLUENT_META_FILE, TIMESTAMP_FILE]
    );
    assert!(CONFLUENT_META_PROTO.contains("Meta field_meta = 1088;"));
    assert!(CONFLUENT_META_PROTO.contains("import \"google/protobuf/descriptor.proto\";"));
}

#[test]
fn two_packages_make_two_files() {
    let schema = render_ok(&INVOICE);
    let names: Vec<&str> = schema.files().iter().map(|f| f.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "com/acme/billing.proto",
            "com/acme/common.proto",
            "invoice.proto"
        ]
    );
    assert_eq!(
        schema.main().text,
        "syntax = \"proto3\";

package com.acme.billing;

import \"com/acme/common.proto\";
import \"google/protobuf/timestamp.proto\";
import \"invoice.proto\";

message Invoice {
  com.acme.common.Money total = 1;
  repeated com.acme.common.Money items = 2;
  google.protobuf.Timestamp issued_at = 3;
  Loose unpackaged = 4;
}
"
    );
    assert!(schema.files()[1]
        .text
        .contains("package com.acme.common;\n\nmessage Money {"));
    assert!(!schema.files()[2].text.contains("package"));
    assert_eq!(schema.imports_well_known(), vec![TIMESTAMP_FILE]);
}

#[test]
fn import_cycle_is_unrepresentable() {
    static A: Model = model(
        "A",
        Some("pa"),
        Shape::Record(&[field("b", Type::Named(|| &B), 1)]),
    );
    static B: Model = model(
        "B",
        Some("pb"),
        Shape::Record(&[field("c", Type::Named(|| &C), 1)]),
    );
    static C: Model = model("C", Some("pa"), Shape::Record(&[field("x", Type::Bool, 1)]));
    let (member, reason) = unrepresentable(&A);
    assert_eq!(member, "b");
    assert!(
        reason.contains("pa.proto -> pb.proto -> pa.proto"),
        "{reason}"
    );
}

#[test]
fn shadowed_names_get_a_leading_dot() {
    // Inside package `acme.google`, `google.protobuf.Timestamp` would resolve to `acme.google.protobuf`.
    static M: Model = model(
        "Event",
        Some("acme.google"),
        Shape::Record(&[
            field("at", Type::Timestamp, 1),
            Field {
                tags: &["PII"],
                ..field("who", Type::String, 2)
            },
            field("other", Type::Named(|| &OTHER), 3),
        ]),
    );
    static OTHER: Model = model("Other", Some("google.things"), Shape::Record(&[]));
    let schema = render_ok(&M);
    assert_lines(
        &schema,
        &[
            ".google.protobuf.Timestamp at = 1;",
            "string who = 2 [(confluent.field_meta) = { tags: [\"PII\"] }];",
            ".google.things.Other other = 3;",
        ],
    );
}

#[test]
fn name_collision_is_reported() {
    static A1: Model = model("Same", Some("p"), Shape::Record(&[]));
    static A2: Model = model(
        "Same",
        Some("p"),
        Shape::Record(&[field("x", Type::Bool, 1)]),
    );
    static ROOT: Model = model(
        "Root",
        Some("p"),
        Shape::Record(&[
            field("a", Type::Named(|| &A1), 1),
            field("b", Type::Named(|| &A2), 2),
        ]),
    );
    assert!(matches!(
        render(&ROOT),
        Err(SchemaError::NameCollision { .. })
    ));
}

#[test]
fn string_literals() {
    assert_eq!(string_literal("a\"b\\c\u{e9}"), "\"a\\\"b\\\\c\\303\\251\"");
}

#[test]
fn golden_order() {
    let schema = render_ok(&ORDER);
    let expected = r#"syntax = "proto3";

package com.acme.orders;

import "confluent/meta.proto";
import "google/protobuf/timestamp.proto";

// An order.
//
// Placed by a customer.
message Order {
  // Unique id.
  string id = 1; // UUID
  string customer_ssn = 2 [(confluent.field_meta) = { tags: ["PII", "GDPR"] }];
  OrderStatus status = 3;
  repeated Line lines = 4;
  google.protobuf.Timestamp created_at = 5;
  optional string note = 6;
  map<string, string> attributes = 7;
  optional int32 shipped_on = 8; // days since 1970-01-01
  string total = 9; // decimal(10, 2) as a string
  Payment payment = 10;
  optional OrderStatus previous_status = 11;
  repeated sint32 deltas = 12;
}

// Where an order is.
enum OrderStatus {
  ORDER_STATUS_UNSPECIFIED = 0;
  // Not yet paid.
  ORDER_STATUS_PENDING = 1;
  ORDER_STATUS_IN_PROGRESS = 2;
  ORDER_STATUS_HTTP_SHIPPED = 3;
}

message Line {
  string sku = 1;
  uint32 quantity = 2;
}

message Payment {
  oneof payment {
    // Paid by card.
    Card card = 1;
    string voucher = 2;
    Cash cash = 3;
    int64 gift_code = 4;
    OrderStatus status = 5;
  }
}

message Card {
  string number = 1;
  int32 expires_on = 2; // days since 1970-01-01
}

message Cash {}
"#;
    assert_eq!(schema.main().text, expected);
    assert_eq!(schema.files().len(), 1);
    assert_eq!(schema.message_name(), "com.acme.orders.Order");
}
