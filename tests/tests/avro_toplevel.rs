//! Issue 16's derive work: the Avro shapes `kafka-model generate` needed that the derive lacked.
//! - Top-level lists, maps, named fixed types and `null`: `struct Tags(Vec<String>)`,
//!   `struct Prices(BTreeMap<String, f64>)` (also `HashMap`, `IndexMap`), a `#[record(fixed)]`
//!   newtype, `struct Nothing(())` and `()` itself are `Record`s whose Avro schema is the bare
//!   `array`/`map`/`fixed`/`"null"`; JSON Schema the same shape; Protobuf has no top-level
//!   non-message, so `schemas().proto()` is an error (as for top-level primitives).
//! - A list or a map as a union branch (`Numbers(Vec<i32>)`): an Avro `array`/`map` branch, a
//!   wrapper message in the Protobuf oneof (the nested-collection convention), the JSON of the
//!   value under the variant's tag. Two list (or two map) variants are a compile error
//!   (`tests/ui/union_two_arrays.rs`).
//!
//! Checked against fastavro and Apache avro (both ways, `interop/check_vectors.py`), upb (our
//! Protobuf bytes read, theirs read back) and Python's jsonschema.

mod avro_support;
mod common;

use std::collections::{BTreeMap, HashMap};
use std::process::Command;

use avro_support::write_avro_case;
use common::tools::{interop_dir, interop_python, jsonschema_accepts, run, scratch};
use common::upb::{hex, upb_reads_and_writes};
use kafka_model::model::Shape;
use kafka_model::Record;
use serde::{Deserialize, Serialize};
use serde_json::{json, Value as Json};

// --- top-level shapes -------------------------------------------------------------------------

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Tags(pub Vec<String>);

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Prices(pub BTreeMap<String, f64>);

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Counts(pub HashMap<String, i64>);

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Ordered(pub indexmap::IndexMap<String, i32>);

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.top")]
pub struct Point {
    pub x: i32,
    pub y: i32,
}

/// A list of records: the record is defined inside the top-level array.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Route(pub Vec<Point>);

#[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[record(fixed, namespace = "com.acme.top")]
pub struct Md5(pub [u8; 16]);

#[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
pub struct Nothing(pub ());

fn tags() -> Tags {
    Tags(vec!["a".into(), "bc".into()])
}

fn prices() -> Prices {
    Prices([("apple".to_string(), 0.5), ("pear".to_string(), -2.25)].into())
}

fn route() -> Route {
    Route(vec![Point { x: 1, y: -1 }, Point { x: 300, y: 0 }])
}

fn md5() -> Md5 {
    Md5(core::array::from_fn(|i| i as u8 * 17))
}

fn avro_json<T: Record>() -> Json {
    serde_json::from_str(T::schemas().avro().unwrap().json()).unwrap()
}

#[test]
fn top_level_schemas_are_the_bare_types() {
    assert_eq!(
        avro_json::<Tags>(),
        json!({"type": "array", "items": "string"})
    );
    assert_eq!(
        avro_json::<Prices>(),
        json!({"type": "map", "values": "double"})
    );
    assert_eq!(
        avro_json::<Counts>(),
        json!({"type": "map", "values": "long"})
    );
    assert_eq!(
        avro_json::<Ordered>(),
        json!({"type": "map", "values": "int"})
    );
    assert_eq!(
        avro_json::<Route>(),
        json!({"type": "array", "items": {"type": "record", "name": "Point",
               "namespace": "com.acme.top",
               "fields": [{"name": "x", "type": "int"}, {"name": "y", "type": "int"}]}})
    );
    assert_eq!(
        avro_json::<Md5>(),
        json!({"type": "fixed", "name": "Md5", "namespace": "com.acme.top", "size": 16})
    );
    assert_eq!(avro_json::<Nothing>(), json!("null"));
    assert_eq!(avro_json::<()>(), json!("null"));
    // Named after the Avro type (as top-level primitives are); a fixed by its own name.
    assert_eq!(Tags::model().full_name(), "array");
    assert_eq!(Prices::model().full_name(), "map");
    assert_eq!(Nothing::model().full_name(), "null");
    assert_eq!(Md5::model().full_name(), "com.acme.top.Md5");
    assert_eq!(Tags::model().rust_name, "Tags");
    assert!(matches!(Tags::model().shape, Shape::Primitive(..)));
    // JSON Schema: the same shape.
    assert_eq!(
        Tags::schemas().json().unwrap().value()["type"],
        json!("array")
    );
    assert_eq!(
        Prices::schemas().json().unwrap().value()["type"],
        json!("object")
    );
    assert_eq!(
        Nothing::schemas().json().unwrap().value()["type"],
        json!("null")
    );
    let route_schema = Route::schemas().json().unwrap().value().clone();
    assert_eq!(route_schema["type"], json!("array"), "{route_schema}");
    // Protobuf: a value is a message; these have no Protobuf form.
    for (e, what) in [
        (Tags::schemas().proto().unwrap_err(), "top-level array"),
        (Prices::schemas().proto().unwrap_err(), "top-level map"),
        (Nothing::schemas().proto().unwrap_err(), "top-level null"),
        (Md5::schemas().proto().unwrap_err(), "top-level fixed"),
    ] {
        assert!(e.to_string().contains(what), "{e}");
    }
    assert!(tags().to_protobuf().is_err());
}

#[test]
fn top_level_values_round_trip() {
    // The Avro datum: one block of 2, the items, the 0 that ends the blocks.
    let bytes = tags().to_avro().unwrap();
    assert_eq!(bytes, [4, 2, b'a', 4, b'b', b'c', 0]);
    assert_eq!(Tags::from_avro(&bytes).unwrap(), tags());
    assert_eq!(Tags(vec![]).to_avro().unwrap(), [0]);
    // null is no bytes at all; a fixed its bytes.
    assert_eq!(Nothing(()).to_avro().unwrap(), Vec::<u8>::new());
    assert_eq!(Nothing::from_avro(&[]).unwrap(), Nothing(()));
    assert!(Nothing::from_avro(&[0]).is_err(), "bytes left over");
    assert_eq!(md5().to_avro().unwrap(), md5().0);
    assert_eq!(Md5::from_avro(&md5().0).unwrap(), md5());
    let ordered = Ordered(
        [("z".to_string(), 1), ("a".to_string(), 2)]
            .into_iter()
            .collect(),
    );
    for codec in ["avro", "json"] {
        assert_eq!(
            Tags::loads_with(codec, &tags().dumps_with(codec).unwrap()).unwrap(),
            tags()
        );
        assert_eq!(
            Prices::loads_with(codec, &prices().dumps_with(codec).unwrap()).unwrap(),
            prices()
        );
        assert_eq!(
            Route::loads_with(codec, &route().dumps_with(codec).unwrap()).unwrap(),
            route()
        );
        assert_eq!(
            Md5::loads_with(codec, &md5().dumps_with(codec).unwrap()).unwrap(),
            md5()
        );
        let back = Ordered::loads_with(codec, &ordered.dumps_with(codec).unwrap()).unwrap();
        // IndexMap's equality ignores order: compare the order too.
        assert_eq!(back.0.keys().collect::<Vec<_>>(), ["z", "a"]);
        assert_eq!(back, ordered);
    }
    // Untrusted bytes: every truncation of a datum is an error, and junk never panics.
    fn truncations_fail<T: Record>(value: &T) {
        let datum = value.to_avro().unwrap();
        for n in 0..datum.len() {
            assert!(T::from_avro(&datum[..n]).is_err(), "{} of {datum:?}", n);
        }
    }
    truncations_fail(&tags());
    truncations_fail(&route());
    truncations_fail(&prices());
    truncations_fail(&md5());
    // A block count of 2^62 items must not be allocated up front.
    let huge = [0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
    assert!(Tags::from_avro(&huge).is_err());
    assert!(Prices::from_avro(&huge).is_err());
    let mut seed = 0x2545_f491_4f6c_dd1du64;
    for _ in 0..2000 {
        let len = (seed % 24) as usize;
        let junk: Vec<u8> = (0..len)
            .map(|_| {
                seed ^= seed << 13;
                seed ^= seed >> 7;
                seed ^= seed << 17;
                seed as u8
            })
            .collect();
        let _ = Tags::from_avro(&junk);
        let _ = Route::from_avro(&junk);
        let _ = Prices::from_avro(&junk);
        let _ = Md5::from_avro(&junk);
    }
}

/// The registry-aware serdes frame a top-level array as any other value.
#[tokio::test]
async fn serdes_carry_top_level_lists() {
    use kafka_model::registry::MemoryRegistry;
    use kafka_model::serdes::{Deserializer, DeserializerConfig, Serializer, SerializerConfig};
    use kafka_model::wire::NoHeaders;
    use std::sync::Arc;

    let registry = Arc::new(MemoryRegistry::new());
    let ser = Serializer::<Tags>::new(registry.clone(), SerializerConfig::avro()).unwrap();
    let (payload, _) = ser.serialize("t", &tags()).await.unwrap();
    assert_eq!(payload[0], 0);
    assert_eq!(payload[5..], tags().to_avro().unwrap());
    let de = Deserializer::<Tags>::new(registry.clone(), DeserializerConfig::avro());
    assert_eq!(
        de.deserialize("t", &payload, &NoHeaders).await.unwrap(),
        tags()
    );

    let ser = Serializer::<Md5>::new(registry.clone(), SerializerConfig::avro().key()).unwrap();
    let (payload, _) = ser.serialize("t", &md5()).await.unwrap();
    assert_eq!(payload[5..], md5().0);
    let de = Deserializer::<Md5>::new(registry, DeserializerConfig::avro().key());
    assert_eq!(
        de.deserialize("t", &payload, &NoHeaders).await.unwrap(),
        md5()
    );
}

// --- lists and maps as union branches ---------------------------------------------------------

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.top")]
pub enum Pick {
    Text(String),
    Numbers(Vec<i32>),
    Scores(BTreeMap<String, i64>),
    Nothing(()),
    Spot(Point),
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.top")]
pub struct Holder {
    // (The oneof's members take numbers 1-5 of this message.)
    #[record(tag = 10)]
    pub pick: Pick,
    #[record(tag = 11)]
    pub picks: Vec<Pick>,
    /// The union as a `oneof` beside the fields (its wrappers declared in `Holder`).
    #[record(oneof)]
    pub choice: Pick,
    #[record(tag = 20)]
    pub note: String,
}

fn holders() -> Vec<Holder> {
    vec![
        Holder {
            pick: Pick::Numbers(vec![1, -2, 300]),
            picks: vec![
                Pick::Text("t".into()),
                Pick::Numbers(vec![]),
                Pick::Scores([("a".to_string(), 5), ("b".to_string(), -1)].into()),
                Pick::Nothing(()),
                Pick::Spot(Point { x: 2, y: 3 }),
            ],
            choice: Pick::Scores([("k".to_string(), 7)].into()),
            note: "n".into(),
        },
        Holder {
            pick: Pick::Scores(BTreeMap::new()),
            picks: vec![],
            choice: Pick::Numbers(vec![0]),
            note: String::new(),
        },
        Holder {
            pick: Pick::Text(String::new()),
            picks: vec![Pick::Numbers(vec![7, 8])],
            choice: Pick::Spot(Point { x: 0, y: 0 }),
            note: "x".into(),
        },
    ]
}

#[test]
fn lists_and_maps_are_union_branches() {
    let schema = avro_json::<Holder>();
    assert_eq!(
        schema["fields"][0]["type"],
        json!(["string", {"type": "array", "items": "int"}, {"type": "map", "values": "long"},
               "null", {"type": "record", "name": "Point", "namespace": "com.acme.top",
                        "fields": [{"name": "x", "type": "int"}, {"name": "y", "type": "int"}]}]),
        "{schema}"
    );
    // Branch 1 (zigzag 2), a block of 3 ints, the end of blocks.
    let numbers = Pick::Numbers(vec![1, -2, 300]);
    let mut out = Vec::new();
    kafka_model::avro::encode_into(&numbers, &mut out).unwrap();
    assert_eq!(out, [2, 6, 2, 3, 0xd8, 0x04, 0]);
    // Protobuf: a wrapper message per collection member, declared in the union's message.
    let proto = Holder::schemas().proto().unwrap().main().text.clone();
    for line in [
        "message Int32List {\n    repeated int32 value = 1;\n  }",
        "message Int64Map {\n    map<string, int64> value = 1;\n  }",
        "Int32List numbers = 2;",
        "Int64Map scores = 3;",
    ] {
        assert!(proto.contains(line), "{line} not in\n{proto}");
    }
    for h in holders() {
        for codec in ["avro", "protobuf", "json"] {
            let bytes = h.dumps_with(codec).unwrap();
            assert_eq!(Holder::loads_with(codec, &bytes).unwrap(), h, "{codec}");
        }
        let bytes = h.to_avro().unwrap();
        for n in 0..bytes.len() {
            assert!(Holder::from_avro(&bytes[..n]).is_err());
        }
    }
    // JSON: the list under the variant's tag.
    assert_eq!(
        serde_json::to_value(&numbers).unwrap(),
        json!({"Numbers": [1, -2, 300]})
    );
}

// --- the reference implementations ---------------------------------------------------------

/// fastavro and Apache avro read what we write, and write the same bytes from the value.
#[test]
fn avro_references_agree() {
    let Some(python) = interop_python() else {
        return;
    };
    let dir = scratch("avro_toplevel_cases");
    write_avro_case(&dir, "array", &tags());
    write_avro_case(&dir, "map", &prices());
    write_avro_case(&dir, "array_of_records", &route());
    write_avro_case(&dir, "fixed", &md5());
    for (i, h) in holders().iter().enumerate() {
        write_avro_case(&dir, &format!("union_branches_{i}"), h);
    }
    let out = run(Command::new(&python)
        .arg(interop_dir().join("check_vectors.py"))
        .arg(&dir));
    assert!(out.contains("7 passed, 0 failed"), "{out}");
    // The harness reads `"value": null` as "no value given": the null datum by hand.
    let script = "import io, json, fastavro, avro.schema, avro.io\n\
                  s = open(0).read()\n\
                  data = bytes.fromhex(json.loads(s)['datum'])\n\
                  schema = json.loads(s)['schema']\n\
                  assert fastavro.schemaless_reader(io.BytesIO(data), fastavro.parse_schema(schema)) is None\n\
                  out = io.BytesIO(); fastavro.schemaless_writer(out, fastavro.parse_schema(schema), None)\n\
                  assert out.getvalue() == data\n\
                  p = avro.schema.parse(json.dumps(schema))\n\
                  assert avro.io.DatumReader(p).read(avro.io.BinaryDecoder(io.BytesIO(data))) is None\n\
                  out = io.BytesIO(); avro.io.DatumWriter(p).write(None, avro.io.BinaryEncoder(out))\n\
                  assert out.getvalue() == data\n\
                  print('null agreed')\n";
    let input = json!({"datum": hex(&Nothing(()).to_avro().unwrap()),
                       "schema": avro_json::<Nothing>()});
    let path = dir.join("null.json");
    std::fs::write(&path, input.to_string()).unwrap();
    let out = run(Command::new(python)
        .arg("-c")
        .arg(script)
        .stdin(std::fs::File::open(&path).unwrap()));
    assert!(out.contains("null agreed"), "{out}");
}

/// upb reads our Protobuf bytes of the wrapped list/map members as the message protoc
/// compiles from our `.proto`, and what it writes we read back.
#[test]
fn protobuf_reference_agrees() {
    // Protobuf's JSON mapping of `holders()`, by hand: a wrapped member is `{"value": ...}`.
    let expected = [
        json!({"pick": {"numbers": {"value": [1, -2, 300]}},
               "picks": [{"text": "t"}, {"numbers": {}},
                         {"scores": {"value": {"a": "5", "b": "-1"}}}, {"nothing": {}},
                         {"spot": {"x": 2, "y": 3}}],
               "scores": {"value": {"k": "7"}}, "note": "n"}),
        json!({"pick": {"scores": {}}, "numbers": {"value": [0]}}),
        json!({"pick": {"text": ""}, "picks": [{"numbers": {"value": [7, 8]}}],
               "spot": {}, "note": "x"}),
    ];
    let cases: Vec<(Vec<u8>, Json)> = holders()
        .iter()
        .zip(expected)
        .map(|(h, v)| (h.to_protobuf().unwrap(), v))
        .collect();
    let schema = Holder::schemas().proto().unwrap();
    let Some(theirs) = upb_reads_and_writes("avro_toplevel_upb", schema, "Holder", &cases) else {
        return;
    };
    for (h, t) in holders().iter().zip(&theirs) {
        assert_eq!(&Holder::from_protobuf(t).unwrap(), h);
    }
}

/// Python's jsonschema accepts serde's JSON against our JSON Schemas, and the schemas are not
/// vacuous (a wrong shape fails).
#[test]
fn json_schemas_accept_serde_json() {
    let value = |bytes: Vec<u8>| -> Json { serde_json::from_slice(&bytes).unwrap() };
    let mut cases: Vec<(Json, Json, Json)> = vec![
        (
            Tags::schemas().json().unwrap().value().clone(),
            value(tags().dumps().unwrap()),
            json!([1]),
        ),
        (
            Prices::schemas().json().unwrap().value().clone(),
            value(prices().dumps().unwrap()),
            json!({"a": "b"}),
        ),
        (
            Route::schemas().json().unwrap().value().clone(),
            value(route().dumps().unwrap()),
            json!([{"x": 1}]),
        ),
        (
            Md5::schemas().json().unwrap().value().clone(),
            value(md5().dumps().unwrap()),
            json!([1, 2]),
        ),
        (
            Nothing::schemas().json().unwrap().value().clone(),
            value(Nothing(()).dumps().unwrap()),
            json!(0),
        ),
    ];
    let holder = Holder::schemas().json().unwrap().value().clone();
    for h in holders() {
        let mut bad = value(h.dumps().unwrap());
        bad["pick"] = json!({"Numbers": ["x"]});
        cases.push((holder.clone(), value(h.dumps().unwrap()), bad));
    }
    jsonschema_accepts("avro_toplevel_json", &cases);
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Longs(pub Vec<i64>);

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
pub struct Doubles(pub BTreeMap<String, f64>);

/// Schema resolution at the top: a reader array of longs reads a writer's array of ints
/// (promotion), a reader map of doubles a writer's map of floats; a writer of another shape
/// is an error, not a misread.
#[test]
fn top_level_shapes_resolve_against_other_writers() {
    let ints = apache_avro::Schema::parse_str(r#"{"type": "array", "items": "int"}"#).unwrap();
    // [1, -2]: one block of 2 ints, then the end.
    assert_eq!(
        Longs::from_avro_with_writer(&ints, &[4, 2, 3, 0]).unwrap(),
        Longs(vec![1, -2])
    );
    let floats = apache_avro::Schema::parse_str(r#"{"type": "map", "values": "float"}"#).unwrap();
    let mut datum = vec![2, 2, b'a'];
    datum.extend_from_slice(&1.5f32.to_le_bytes());
    datum.push(0);
    assert_eq!(
        Doubles::from_avro_with_writer(&floats, &datum).unwrap(),
        Doubles([("a".to_string(), 1.5)].into())
    );
    let string = apache_avro::Schema::parse_str(r#""string""#).unwrap();
    assert!(Longs::from_avro_with_writer(&string, &[2, b'a']).is_err());
}
