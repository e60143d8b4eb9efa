//! Every Avro case of `testdata/vectors`: decoded through a derived Rust type that matches the
//! case's schema, compared with `case.json`'s `value`, and re-encoded to the same bytes.
//! Resolution cases (`reader_schema`) go through `from_avro_with_writer`.
//!
//! Every model renders the case's schema exactly (`same_schema`; the evolution pair: the reader
//! schema): named fixed types, `()` for `null`, top-level primitives, `NaiveTime`, `Decimal128`,
//! nested collections and `Option<Vec>`/`Option<map>` (`collections`, `nullable_*`).

// Over 800 lines: one derived type per vector case (the cases' schemas, written out as Rust),
// listed once beside the loop that checks them.
#![allow(deprecated)]
// apache-avro 0.22's `from_avro_datum`, used to compare datums.
// The Protobuf part of the derive emits an all-diverging `match` for field-less structs
// (expand/proto.rs `merge_field`); our empty records would trip `-D warnings` on it.
#![allow(unreachable_code)]

mod avro_support;
mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};

use apache_avro::Schema;
use avro_support::{assert_same_datum, json_eq, lit_json, Names};
use kafka_model::avro::{AvroCodec, AvroDecode, Reader};
use kafka_model::model::{FieldOptions, Literal};
use kafka_model::{FieldType, Record};
use serde::{Deserialize, Serialize};
use serde_json::Value as Json;

// --- models ---------------------------------------------------------------------------------

macro_rules! models {
    ($($(#[$m:meta])* struct $name:ident { $($(#[$fm:meta])* $f:ident : $t:ty),* $(,)? })*) => {$(
        $(#[$m])*
                #[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
        #[record(namespace = "com.acme.orders")]
        pub struct $name { $($(#[$fm])* pub $f: $t),* }
    )*};
}

models! {
    struct Refund { amount: i64, reason: String, approved: bool }
    struct Alert { code: i32, message: String, #[record(no_default)] severity: Option<String> }
    struct Reading { device: String, value: f64, at: chrono::DateTime<chrono::Utc>, tags: Vec<String> }
    struct OrderKey { tenant: String, order_no: i64 }
    struct Ping { seq: i64, from_host: String }
    struct Tag { key: String, weight: i32 }
    /// Nested collections: an array of arrays, a map of arrays, an array of maps.
    struct Basket {
        ints: Vec<i32>, names: Vec<String>, tags: Vec<Tag>, matrix: Vec<Vec<i64>>,
        counts: BTreeMap<String, i64>, groups: indexmap::IndexMap<String, Vec<String>>,
        per_row: Vec<BTreeMap<String, f64>>, by_key: BTreeMap<String, Tag>
    }
    struct Marker {}
    struct Blank {
        empty_string: String, empty_bytes: Vec<u8>, empty_array: Vec<i64>,
        empty_map: BTreeMap<String, String>, empty_strings: Vec<String>,
        empty_key: BTreeMap<String, i32>, no_fields: Marker, #[record(no_default)] optional_empty: Option<String>
    }
    struct Tick {}
    struct Shipment {
        status: Status, priority: Priority, digest: Digest, flag: Flag1, address: Ipv4,
        history: Vec<Status>, checksums: BTreeMap<String, Digest>
    }
    struct Measurement {
        not_a_number: f64, plus_inf: f64, minus_inf: f64, negative_zero: f64, f32_nan: f32,
        f32_max: f32, f32_neg_inf: f32, doubles: Vec<f64>, floats: Vec<f32>
    }
    struct Limits {
        i32_min: i32, i32_max: i32, i64_min: i64, i64_max: i64, zero_long: i64, minus_one: i32,
        int_samples: Vec<i32>, long_samples: Vec<i64>
    }
    struct Archive { samples: Vec<i64>, blob: Vec<u8>, text: String }
    struct Invoice {
        issued_on: chrono::NaiveDate, before_epoch: chrono::NaiveDate,
        #[record(timestamp = "millis")] created_at: chrono::DateTime<chrono::Utc>,
        created_at_micros: chrono::DateTime<chrono::Utc>,
        #[record(timestamp = "millis")] pre_epoch_millis: chrono::DateTime<chrono::Utc>,
        pre_epoch_micros: time::OffsetDateTime,
        #[record(timestamp = "millis")] open_at: chrono::NaiveTime,
        close_at: chrono::NaiveTime,
        invoice_id: uuid::Uuid,
        #[record(decimal(precision = 12, scale = 2))] amount: rust_decimal::Decimal,
        #[record(decimal(precision = 12, scale = 2))] refund: rust_decimal::Decimal,
        #[record(decimal(precision = 12, scale = 2))] tiny: rust_decimal::Decimal,
        /// decimal(38, 9) exceeds rust_decimal's 96 bits: `Decimal128`.
        #[record(decimal(precision = 38, scale = 9))] huge: kafka_model::decimal128::Decimal128,
        #[record(timestamp = "millis", no_default)] paid_at: Option<chrono::DateTime<chrono::Utc>>
    }
    struct Geo { lat: f64, lon: f64 }
    struct Address { street: String, city: String, zip: String, geo: Geo }
    struct Customer { name: String, address: Address }
    struct OrderLine { sku: String, qty: i32, unit_price: f64 }
    struct Order {
        order_id: i64, customer: Customer, billing: Address, #[record(no_default)] shipping: Option<Address>,
        lines: Vec<OrderLine>, primary_line: OrderLine
    }
    /// `phone` is `["null", "string"]` without a default.
    struct Contact { email: String, #[record(no_default)] phone: Option<String> }
    /// Every nullable shape, `Option<Vec<i32>>` and `Option<map>` included; `label_first` is
    /// `["string", "null"]` with the default `"none"`.
    struct Profile {
        #[serde(default)] note: Option<String>,
        #[serde(default)] count: Option<i64>,
        #[serde(default)] contact: Option<Contact>,
        #[serde(default)] codes: Option<Vec<i32>>,
        #[serde(default)] attrs: Option<BTreeMap<String, String>>,
        #[serde(default)] size: Option<Size>,
        #[serde(default)] blob: Option<Vec<u8>>,
        #[serde(default)] ratio: Option<f64>,
        #[serde(default = "defaults::none")] label_first: Option<String>
    }
    /// `nothing` is the `null` type: `()`.
    struct LineItem {
        nothing: (), in_stock: bool, quantity: i32, total_cents: i64, discount: f32, weight_kg: f64,
        checksum: Vec<u8>, title: String
    }
    struct TreeNode { label: String, children: Vec<TreeNode>, #[record(no_default)] next: Option<Box<TreeNode>> }
    struct Meta { #[serde(default = "defaults::web")] source: String, #[serde(default = "defaults::one")] version: i32 }
    struct Settings {
        #[serde(default = "defaults::retries")] retries: i32,
        #[serde(default = "defaults::timeout_ms")] timeout_ms: i64,
        #[serde(default = "defaults::ratio")] ratio: f32,
        #[serde(default = "defaults::threshold")] threshold: f64,
        #[serde(default = "defaults::enabled")] enabled: bool,
        #[serde(default = "defaults::label")] label: String,
        #[serde(default = "defaults::magic")] magic: Vec<u8>,
        #[serde(default = "defaults::state")] state: State,
        #[serde(default = "defaults::tag")] tag: Tag4,
        #[serde(default = "defaults::ids")] ids: Vec<i64>,
        #[serde(default = "defaults::labels")] labels: BTreeMap<String, String>,
        #[serde(default = "defaults::meta")] meta: Meta,
        #[serde(default)] comment: Option<String>,
        #[serde(default = "anon")] nickname: Option<String>
    }
    struct Message {
        greeting: String, cjk: String, emoji: String, mixed: String, controls: String,
        astral: String, keys: BTreeMap<String, String>, list: Vec<String>
    }
    struct Card { last4: String, expiry: i32 }
    struct Cash { currency: String }
    /// `items` is an array of `["null", "int", "string", "Cash"]`: a `Vec` of an enum whose
    /// `()` variant is the null branch.
    struct Payment {
        #[record(no_default)] method: Option<Method>, #[record(no_default)] fallback: Option<Method>,
        #[record(no_default)] as_string: Option<Multi>,
        #[record(no_default)] as_int: Option<Multi>, #[record(no_default)] as_null: Option<Multi>,
        ambiguous_long: IntOrLong, ambiguous_int: IntOrLong, num: Num, items: Vec<PayItem>
    }
    struct Heartbeat { node: String, uptime_s: i64, healthy: bool, load: f64 }
    struct Point { x: i32, y: i32 }
    struct Shape {
        name: String, color: Color, origin: Point, points: Vec<Point>, id: Id8,
        #[record(no_default)] scale: Option<f32>, props: BTreeMap<String, bool>, serial: i64
    }
    struct Event {
        #[record(timestamp = "millis")] at: chrono::DateTime<chrono::Utc>,
        #[record(no_default)] kind: Option<String>, payload: Vec<u8>, values: Vec<f64>, extra: BTreeMap<String, i64>
    }
}

macro_rules! fixed {
    ($($name:ident($n:literal))*) => {$(
        /// A named Avro fixed type.
        #[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
        #[record(fixed, namespace = "com.acme.orders")]
        pub struct $name(pub [u8; $n]);
    )*};
}
fixed! {
    Digest(16) Flag1(1) Ipv4(4) Tag4(4) Id8(8)
}

/// `Settings`' defaults (`avro_confluent_schema_defaults`).
mod defaults {
    use super::*;
    pub fn web() -> String {
        "web".into()
    }
    pub fn one() -> i32 {
        1
    }
    pub fn retries() -> i32 {
        3
    }
    pub fn timeout_ms() -> i64 {
        30000
    }
    pub fn ratio() -> f32 {
        1.5
    }
    pub fn threshold() -> f64 {
        -0.25
    }
    pub fn enabled() -> bool {
        true
    }
    pub fn label() -> String {
        "n/a".into()
    }
    pub fn none() -> Option<String> {
        Some("none".into())
    }
    pub fn magic() -> Vec<u8> {
        vec![0xff, 0x00]
    }
    pub fn state() -> State {
        State::UNKNOWN
    }
    pub fn tag() -> Tag4 {
        Tag4([0, 1, 2, 3])
    }
    pub fn ids() -> Vec<i64> {
        vec![1, 2]
    }
    pub fn labels() -> BTreeMap<String, String> {
        [("a".to_string(), "b".to_string())].into_iter().collect()
    }
    pub fn meta() -> Meta {
        Meta {
            source: web(),
            version: 1,
        }
    }
}

fn anon() -> Option<String> {
    Some("anon".into())
}

macro_rules! enums {
    ($($name:ident { $($v:ident),* })*) => {$(
        #[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
        #[record(namespace = "com.acme.orders")]
        #[allow(clippy::upper_case_acronyms, non_camel_case_types)]
        pub enum $name { $($v),* }
    )*};
}
enums! {
    Status { PENDING, PAID, SHIPPED, CANCELLED }
    Size { SMALL, LARGE }
    State { UNKNOWN, ACTIVE }
    Color { RED, GREEN, BLUE }
}

/// An enum with a default symbol (readers map unknown symbols to it).
#[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
#[record(namespace = "com.acme.orders")]
#[allow(clippy::upper_case_acronyms)]
pub enum Priority {
    #[record(default)]
    LOW,
    MEDIUM,
    HIGH,
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.orders")]
pub enum Method {
    Card(Card),
    Cash(Cash),
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.orders")]
pub enum Multi {
    Int(i32),
    Str(String),
    Card(Card),
    Cash(Cash),
}

/// A union with a null branch: `["null", "int", "string", "Cash"]`.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.orders")]
pub enum PayItem {
    Null(()),
    Int(i32),
    Str(String),
    Cash(Cash),
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.orders")]
pub enum IntOrLong {
    Int(i32),
    Long(i64),
}

#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.orders")]
pub enum Num {
    Long(i64),
    Double(f64),
    Boolean(bool),
}

/// The resolution cases' reader schema (`reader.avsc`), defaults included.
pub mod evolution {
    use super::*;

    fn seven() -> i32 {
        7
    }
    fn fresh() -> String {
        "fresh".into()
    }
    fn bytes_a() -> Vec<u8> {
        vec![0x00, b'A']
    }
    fn bytes_b() -> Vec<u8> {
        vec![0x00, 0xff, 0x80]
    }
    fn gold() -> Tier {
        Tier::GOLD
    }
    fn fixed_a() -> Token2 {
        Token2([0x01, 0x7f])
    }
    fn fixed_b() -> Token2 {
        Token2([0xab, 0xcd])
    }

    /// A named fixed type shared by both readers.
    #[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
    #[record(fixed, namespace = "com.acme.orders")]
    pub struct Token2(pub [u8; 2]);
    fn xy() -> Vec<String> {
        vec!["x".into(), "y".into()]
    }
    fn k1() -> BTreeMap<String, i32> {
        [("k".to_string(), 1)].into_iter().collect()
    }
    fn legacy() -> String {
        "legacy".into()
    }
    fn origin() -> Origin {
        Origin {
            system: legacy(),
            rev: 0,
        }
    }

    #[derive(Record, Serialize, Deserialize, Debug, Clone, Copy, PartialEq)]
    #[record(namespace = "com.acme.orders")]
    #[allow(clippy::upper_case_acronyms)]
    pub enum Tier {
        #[record(default)]
        BASIC,
        GOLD,
    }

    #[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
    #[record(namespace = "com.acme.orders")]
    pub struct Origin {
        #[serde(default = "legacy")]
        pub system: String,
        #[serde(default)]
        pub rev: i64,
    }

    macro_rules! account {
        ($name:ident, $bytes:literal, $fixed:literal) => {
            #[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
            #[record(namespace = "com.acme.orders", name = "Account")]
            #[serde(rename = "Account")]
            pub struct $name {
                pub id: i64,
                pub name: String,
                pub small: i64,
                pub ratio: f64,
                #[serde(default = "seven")]
                pub added_int: i32,
                #[serde(default = "fresh")]
                pub added_string: String,
                #[serde(default = $bytes)]
                pub added_bytes: Vec<u8>,
                #[serde(default = "gold")]
                pub added_enum: Tier,
                #[serde(default = $fixed)]
                pub added_fixed: Token2,
                #[serde(default = "xy")]
                pub added_array: Vec<String>,
                #[serde(default = "k1")]
                pub added_map: BTreeMap<String, i32>,
                #[serde(default = "origin")]
                pub added_record: Origin,
                #[serde(default)]
                pub added_nullable: Option<i64>,
            }
        };
    }
    account!(AccountA, "bytes_a", "fixed_a");
    account!(AccountB, "bytes_b", "fixed_b");
}

// --- the driver -------------------------------------------------------------------------------

struct VectorCase {
    name: String,
    case: Json,
    schema: Schema,
    schema_text: String,
    reader: Option<Schema>,
    reader_text: Option<String>,
    payload: Vec<u8>,
}

impl VectorCase {
    fn load(dir: &Path) -> VectorCase {
        let case: Json =
            serde_json::from_slice(&std::fs::read(dir.join("case.json")).unwrap()).unwrap();
        let read_schema = |key: &str| {
            case[key]
                .as_str()
                .map(|f| Schema::parse_str(&std::fs::read_to_string(dir.join(f)).unwrap()).unwrap())
        };
        VectorCase {
            name: dir.file_name().unwrap().to_string_lossy().into_owned(),
            schema: read_schema("schema").expect("schema"),
            schema_text: std::fs::read_to_string(dir.join(case["schema"].as_str().unwrap()))
                .unwrap(),
            reader: read_schema("reader_schema"),
            reader_text: case["reader_schema"]
                .as_str()
                .map(|f| std::fs::read_to_string(dir.join(f)).unwrap()),
            payload: std::fs::read(dir.join("payload.bin")).unwrap(),
            case,
        }
    }

    /// The bare datum: after the 5-byte Confluent header, or the whole payload.
    fn body(&self) -> &[u8] {
        match self.case["wire"].as_str().unwrap() {
            "confluent" => {
                assert_eq!(self.payload[0], 0, "{}: magic byte", self.name);
                let id = u32::from_be_bytes(self.payload[1..5].try_into().unwrap());
                assert_eq!(
                    Some(u64::from(id)),
                    self.case["schema_id"].as_u64(),
                    "{}: schema id",
                    self.name
                );
                &self.payload[5..]
            }
            "apicurio-headers" | "raw" => &self.payload,
            other => panic!("{}: wire {other}", self.name),
        }
    }

    /// The expected value with `skip` fields removed (checked separately).
    fn expected(&self, skip: &[&str]) -> Json {
        let mut v = self.case["value"].clone();
        if let Json::Object(m) = &mut v {
            for k in skip {
                m.remove(*k);
            }
        }
        v
    }
}

fn vector_dirs() -> Vec<PathBuf> {
    let root = common::tools::testdata_dir().join("vectors");
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(&root)
        .unwrap_or_else(|e| panic!("{}: {e}", root.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.join("case.json").is_file())
        .filter(|p| {
            let case: Json =
                serde_json::from_slice(&std::fs::read(p.join("case.json")).unwrap()).unwrap();
            case["format"] == "avro"
        })
        .collect();
    dirs.sort();
    dirs
}

/// Decodes the case's body as `T`, compares with the expected value (with `skip` fields
/// removed: the ones `T` does not model), re-encodes and compares bytes (all of the body, or
/// its first bytes when `T` stops before the end). Returns the bytes after `T`.
fn check<T: Record + FieldType + PartialEq + std::fmt::Debug>(
    c: &VectorCase,
    skip: &[&str],
) -> Vec<u8> {
    let body = c.body();
    let mut r = Reader::new(body);
    let value = T::avro_decode(&mut r, &FieldOptions::default())
        .unwrap_or_else(|e| panic!("{}: {e}", c.name));
    let used = r.offset();
    if skip.is_empty() {
        // (compared as bytes: NaN is not equal to itself)
        assert_eq!(
            T::from_avro(body).unwrap().to_avro().unwrap(),
            value.to_avro().unwrap(),
            "{}: whole body",
            c.name
        );
    }
    let names = Names::of(&c.schema);
    let actual = lit_json(&value.to_literal(), &c.schema, &names);
    let expected = c.expected(skip);
    assert!(
        json_eq(&expected, &actual),
        "{}: value\nexpected {expected}\nactual   {actual}",
        c.name
    );
    let again = value.to_avro().unwrap();
    if skip.is_empty() || used == body.len() {
        assert_same_datum(&again, &body[..used], &c.schema, &c.name);
    } else {
        assert_eq!(again, body[..used], "{}: re-encoding", c.name);
    }
    body[used..].to_vec()
}

fn check_resolution<T: Record + PartialEq + std::fmt::Debug>(c: &VectorCase) {
    let reader = c.reader.as_ref().expect("reader schema");
    // Our rendered schema is exactly the case's reader schema.
    same_schema_as::<T>(
        &c.name,
        c.reader_text.as_deref().expect("reader schema"),
        reader,
    );
    let ours = T::schemas().avro().unwrap();
    let (Schema::Record(o), Schema::Record(r)) = (ours.schema(), reader) else {
        panic!()
    };
    let names = |fs: &[apache_avro::schema::RecordField]| {
        fs.iter().map(|f| f.name.clone()).collect::<Vec<_>>()
    };
    assert_eq!(
        names(&o.fields),
        names(&r.fields),
        "{}: our reader schema",
        c.name
    );
    let value =
        T::from_avro_with_writer(&c.schema, c.body()).unwrap_or_else(|e| panic!("{}: {e}", c.name));
    let names = Names::of(ours.schema());
    let actual = lit_json(&value.to_literal(), ours.schema(), &names);
    assert!(
        json_eq(&c.case["value"], &actual),
        "{}: value\nexpected {}\nactual   {actual}",
        c.name,
        c.case["value"]
    );
    // The writer value through the writer schema, with the same plan machinery (identity).
    let plan = kafka_model::avro::resolve::Resolver::new(&c.schema, &c.schema).unwrap();
    assert_eq!(
        plan.transcode(c.body()).unwrap(),
        c.body(),
        "{}: identity resolution",
        c.name
    );
}

/// Our rendered schema is exactly the case's schema: the same parsed schema with names made
/// full, including field order, defaults, logical types and aliases (the Parsing Canonical
/// Form drops defaults, aliases and logical types, so it is not enough). Docs are left out
/// (they do not change what a reader accepts).
fn same_schema<T: Record>(c: &VectorCase) {
    same_schema_as::<T>(&c.name, &c.schema_text, &c.schema);
}

/// [`same_schema`] against a given schema (a resolution case's reader schema).
fn same_schema_as<T: Record>(name: &str, text: &str, schema: &Schema) {
    let ours: Json = serde_json::from_str(T::schemas().avro().unwrap().json()).unwrap();
    let theirs: Json = serde_json::from_str(text).unwrap();
    let (ours, theirs) = (normalized(&ours, None), normalized(&theirs, None));
    if ours != theirs {
        eprintln!("{name}: schema\n  ours   {ours}\n  theirs {theirs}");
        MISMATCHES.lock().unwrap().push(name.to_string());
        return;
    }
    assert_eq!(
        T::schemas().avro().unwrap().schema().canonical_form(),
        schema.canonical_form(),
        "{name}: canonical form",
    );
}

static MISMATCHES: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

const PRIMITIVES: &[&str] = &[
    "null", "boolean", "int", "long", "float", "double", "bytes", "string",
];

fn qualify(name: &str, ns: Option<&str>) -> String {
    match ns {
        Some(ns) if !name.contains('.') && !ns.is_empty() => format!("{ns}.{name}"),
        _ => name.trim_start_matches('.').to_string(),
    }
}

/// A schema with every name full (no `namespace` keys), `{"type": "long"}` as `"long"`, and no
/// `doc`.
fn normalized(s: &Json, ns: Option<&str>) -> Json {
    match s {
        Json::String(t) if PRIMITIVES.contains(&t.as_str()) => s.clone(),
        Json::String(t) => Json::String(qualify(t, ns)),
        Json::Array(branches) => Json::Array(branches.iter().map(|b| normalized(b, ns)).collect()),
        Json::Object(m) => {
            let ty = m["type"].as_str().unwrap_or_default();
            if m.len() == 1 && PRIMITIVES.contains(&ty) {
                return Json::String(ty.into());
            }
            let mut out = serde_json::Map::new();
            let mut own_ns = ns.map(str::to_string);
            if matches!(ty, "record" | "error" | "enum" | "fixed") {
                let name = m["name"].as_str().unwrap();
                let ns_here = m.get("namespace").and_then(Json::as_str).or(ns);
                let full = qualify(name, ns_here);
                own_ns = full.rsplit_once('.').map(|(n, _)| n.to_string());
                out.insert("name".into(), Json::String(full));
            }
            for (k, v) in m {
                match k.as_str() {
                    "name" | "namespace" | "doc" => {}
                    // The kind (`record`, `array`, a primitive with a logical type) or a
                    // wrapped reference to a named type.
                    "type"
                        if !matches!(
                            ty,
                            "record" | "error" | "enum" | "fixed" | "array" | "map"
                        ) =>
                    {
                        out.insert(k.clone(), normalized(v, own_ns.as_deref()));
                    }
                    "items" | "values" => {
                        out.insert(k.clone(), normalized(v, own_ns.as_deref()));
                    }
                    "fields" => {
                        let fields = v
                            .as_array()
                            .unwrap()
                            .iter()
                            .map(|f| {
                                let mut f = f.as_object().unwrap().clone();
                                f.remove("doc");
                                let t = normalized(&f["type"], own_ns.as_deref());
                                f.insert("type".into(), t);
                                Json::Object(f)
                            })
                            .collect();
                        out.insert(k.clone(), Json::Array(fields));
                    }
                    _ => {
                        out.insert(k.clone(), v.clone());
                    }
                }
            }
            Json::Object(out)
        }
        other => other.clone(),
    }
}

#[test]
fn every_avro_vector_decodes_and_reencodes() {
    let dirs = vector_dirs();
    assert!(dirs.len() >= 28, "found {} Avro vectors", dirs.len());
    let mut passed = Vec::new();
    for dir in &dirs {
        let c = VectorCase::load(dir);
        match c.name.as_str() {
            "avro_apicurio_confluent" => {
                same_schema::<Refund>(&c);
                check::<Refund>(&c, &[]);
            }
            "avro_apicurio_headers_content_id" => {
                same_schema::<Alert>(&c);
                check::<Alert>(&c, &[]);
            }
            "avro_apicurio_headers_global_id" => {
                same_schema::<Reading>(&c);
                check::<Reading>(&c, &[]);
            }
            "avro_apicurio_headers_key" => {
                same_schema::<OrderKey>(&c);
                check::<OrderKey>(&c, &[]);
            }
            "avro_confluent_big_schema_id" => {
                same_schema::<Ping>(&c);
                check::<Ping>(&c, &[]);
            }
            "avro_confluent_collections" => {
                same_schema::<Basket>(&c);
                check::<Basket>(&c, &[]);
                // `groups` is red, blue in the payload (not sorted): an `IndexMap` keeps that
                // order, so the whole body re-encodes byte for byte.
                let v = Basket::from_avro(c.body()).unwrap();
                assert_eq!(v.groups.keys().collect::<Vec<_>>(), ["red", "blue"]);
                assert_eq!(v.to_avro().unwrap(), c.body(), "{}: exact bytes", c.name);
            }
            "avro_confluent_empty" => {
                same_schema::<Blank>(&c);
                check::<Blank>(&c, &[]);
            }
            "avro_confluent_empty_record" => {
                same_schema::<Tick>(&c);
                check::<Tick>(&c, &[]);
            }
            "avro_confluent_enum_fixed" => {
                same_schema::<Shipment>(&c);
                check::<Shipment>(&c, &[]);
            }
            "avro_confluent_evolution" => check_resolution::<evolution::AccountA>(&c),
            "avro_confluent_evolution_binary_defaults" => {
                check_resolution::<evolution::AccountB>(&c)
            }
            "avro_confluent_float_special" => {
                same_schema::<Measurement>(&c);
                check::<Measurement>(&c, &[]);
            }
            "avro_confluent_int_extremes" => {
                same_schema::<Limits>(&c);
                check::<Limits>(&c, &[]);
            }
            "avro_confluent_key_string" => {
                // A top-level primitive: `String` is a `Record` with the schema "string".
                same_schema::<String>(&c);
                check::<String>(&c, &[]);
                let s = String::from_avro_framed(c.body()).unwrap();
                let mut out = Vec::new();
                s.write_avro_framed(&mut out).unwrap();
                assert_eq!(out, c.body());
            }
            "avro_confluent_large" => {
                same_schema::<Archive>(&c);
                check::<Archive>(&c, &[]);
            }
            "avro_confluent_logical" => {
                same_schema::<Invoice>(&c);
                check::<Invoice>(&c, &[]);
            }
            "avro_confluent_nested" => {
                same_schema::<Order>(&c);
                check::<Order>(&c, &[]);
            }
            "avro_confluent_nullable_null" | "avro_confluent_nullable_set" => {
                same_schema::<Profile>(&c);
                check::<Profile>(&c, &[]);
                let v = Profile::from_avro(c.body()).unwrap();
                assert_eq!(v.to_avro().unwrap(), c.body(), "{}: exact bytes", c.name);
            }
            "avro_confluent_primitives" => {
                same_schema::<LineItem>(&c);
                check::<LineItem>(&c, &[]);
            }
            "avro_confluent_recursive" => {
                same_schema::<TreeNode>(&c);
                check::<TreeNode>(&c, &[]);
            }
            "avro_confluent_schema_defaults" => {
                same_schema::<Settings>(&c);
                check::<Settings>(&c, &[]);
            }
            "avro_confluent_toplevel_bytes" => {
                // Confluent writes a top-level "bytes" raw, with no Avro length prefix; so do
                // the serdes (`write_avro_framed`), while `to_avro` is the Avro datum.
                same_schema::<Vec<u8>>(&c);
                let body = c.body();
                let expected = base64_decode(c.case["value"].as_str().unwrap());
                assert_eq!(body, expected);
                assert_eq!(Vec::<u8>::from_avro_framed(body).unwrap(), expected);
                let mut out = Vec::new();
                expected.write_avro_framed(&mut out).unwrap();
                assert_eq!(out, body);
                let mut framed = Vec::new();
                Vec::<u8>::avro_encode(&expected, &FieldOptions::default(), &mut framed).unwrap();
                let mut r = Reader::new(&framed);
                assert_eq!(
                    Vec::<u8>::avro_decode(&mut r, &FieldOptions::default()).unwrap(),
                    expected
                );
            }
            "avro_confluent_unicode" => {
                same_schema::<Message>(&c);
                check::<Message>(&c, &[]);
            }
            "avro_confluent_union_multi" => check_payment(&c),
            "avro_kafkit_confluent" => {
                same_schema::<Heartbeat>(&c);
                check::<Heartbeat>(&c, &[]);
            }
            "avro_raw_apache" => {
                same_schema::<Shape>(&c);
                check::<Shape>(&c, &[]);
            }
            "avro_raw_fastavro" => {
                same_schema::<Event>(&c);
                check::<Event>(&c, &[]);
            }
            other => panic!("no model for Avro vector {other}: add one"),
        }
        passed.push(c.name);
    }
    eprintln!("{} / {} Avro vectors passed", passed.len(), dirs.len());
    assert_eq!(passed.len(), dirs.len());
    assert_eq!(
        *MISMATCHES.lock().unwrap(),
        Vec::<String>::new(),
        "schemas that differ"
    );
}

fn base64_decode(s: &str) -> Vec<u8> {
    use base64::Engine as _;
    base64::engine::general_purpose::STANDARD.decode(s).unwrap()
}

fn check_payment(c: &VectorCase) {
    same_schema::<Payment>(c);
    check::<Payment>(c, &[]);
}

#[test]
fn models_render_the_vector_schemas_field_for_field() {
    // Field names and order (these cases are also exact in `same_schema` now; kept as a
    // cheaper, more readable first check).
    for dir in vector_dirs() {
        let c = VectorCase::load(&dir);
        let Schema::Record(r) = &c.schema else {
            continue;
        };
        let ours: Option<&'static kafka_model::schema::Avro> = match c.name.as_str() {
            "avro_confluent_enum_fixed" => Some(Shipment::schemas().avro().unwrap()),
            "avro_confluent_logical" => Some(Invoice::schemas().avro().unwrap()),
            "avro_confluent_schema_defaults" => Some(Settings::schemas().avro().unwrap()),
            "avro_raw_apache" => Some(Shape::schemas().avro().unwrap()),
            _ => None,
        };
        let Some(ours) = ours else { continue };
        let Schema::Record(o) = ours.schema() else {
            panic!()
        };
        let theirs: Vec<_> = r.fields.iter().map(|f| f.name.as_str()).collect();
        let mine: Vec<_> = o.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(mine, theirs, "{}", c.name);
    }
    let _ = Literal::Null;
    let _: HashMap<String, i32> = HashMap::new();
}
