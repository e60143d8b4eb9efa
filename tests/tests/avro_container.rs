//! Derived types implement `apache_avro::AvroSchema`, so apache-avro's `Writer` writes Avro
//! object container files of them and its `Reader` reads them back; each datum in the file is
//! byte-identical to what our own codec writes.

#![allow(deprecated)] // apache_avro::to_avro_datum: the simplest reference encoder

mod common;

use apache_avro::{from_value, AvroSchema, Reader, Writer};
use common::corpus::{customer, item, Customer, Item};
use kafka_model::Record;

#[test]
fn apache_avro_writes_and_reads_container_files_of_derived_types() {
    let schema = Customer::get_schema();
    assert_eq!(
        apache_avro::Schema::parse_str(Customer::schemas().avro().expect("renders").json())
            .expect("parses"),
        schema
    );
    let values = vec![
        customer(),
        Customer {
            id: -1,
            email: String::new(),
            country: "NO".into(),
        },
    ];
    let mut writer = Writer::new(&schema, Vec::new()).expect("writer");
    for v in &values {
        writer.append_ser(v).expect("append");
    }
    let file = writer.into_inner().expect("flush");

    let reader = Reader::new(&file[..]).expect("reader");
    let read: Vec<Customer> = reader
        .map(|v| from_value(&v.expect("datum")).expect("from_value"))
        .collect();
    assert_eq!(read, values);

    // The datum apache-avro wrote is the datum our codec writes.
    let datum =
        apache_avro::to_avro_datum(&schema, apache_avro::to_value(&values[0]).expect("value"))
            .expect("datum");
    assert_eq!(datum, values[0].to_avro().expect("ours"));
}

#[test]
fn nested_types_are_referenced_once_in_a_component_schema() {
    // Item used as a component twice through apache-avro's context: the second use is a reference.
    let mut named = std::collections::HashSet::new();
    let first = <Item as apache_avro::AvroSchemaComponent>::get_schema_in_ctxt(&mut named, None);
    let second = <Item as apache_avro::AvroSchemaComponent>::get_schema_in_ctxt(&mut named, None);
    assert!(matches!(first, apache_avro::Schema::Record(_)));
    assert!(matches!(second, apache_avro::Schema::Ref { .. }));
    let _ = item(1);
}
