//! Codec benchmarks: the two payloads of GUIDE §6 (`Small`, `Order`), encode and decode, ours
//! against apache-avro (its serde path `write_ser`/`read_deser` and its classic `Value` path),
//! serde_avro_fast, `#[derive(prost::Message)]`, serde_json and a hand-written straight-line
//! Avro codec kept here as the near-limit reference.
//!
//! Run the timed comparison with `cargo bench -p kafka-model --bench codecs`; `cargo test`
//! runs each benchmark once (criterion's test mode). Before anything is measured the setup
//! asserts that every Avro implementation writes the same bytes, that prost and ours write the
//! same Protobuf bytes, and that every decoder reads back the value.
//!
//! Instruction counts per operation (stable on noisy machines) come from
//! `benches/instructions.sh`, which runs this binary with `KAFKA_MODEL_ICOUNT=<op>:<n>` under
//! cachegrind: the binary then runs only that operation `n` times and exits. `KAFKA_MODEL_ICOUNT=list`
//! prints the operation names.

// Over 800 lines: two payloads times five implementations times encode/decode, each a
// separate benchmark body, plus the hand-written reference codec.

use std::hint::black_box;

use criterion::{criterion_group, Criterion, Throughput};
use kafka_model::{Record, RecordRef};

// ---------------------------------------------------------------------------------------------
// Payloads (GUIDE §6): benches/common/mod.rs, shared with benches/serdes.rs.
// ---------------------------------------------------------------------------------------------

mod common;

use common::{order, small, Customer, Item, Order, Small, Status};

// ---------------------------------------------------------------------------------------------
// `#[derive(prost::Message)]` structs of the same shape (the .proto our model renders).
// ---------------------------------------------------------------------------------------------

mod pb {
    use std::collections::BTreeMap;

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Small {
        #[prost(int64, tag = "1")]
        pub id: i64,
        #[prost(string, tag = "2")]
        pub name: String,
        #[prost(double, tag = "3")]
        pub score: f64,
        #[prost(bool, tag = "4")]
        pub active: bool,
        #[prost(int32, tag = "5")]
        pub count: i32,
        #[prost(string, optional, tag = "6")]
        pub tag: Option<String>,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Customer {
        #[prost(int64, tag = "1")]
        pub id: i64,
        #[prost(string, tag = "2")]
        pub email: String,
        #[prost(string, tag = "3")]
        pub country: String,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Item {
        #[prost(string, tag = "1")]
        pub sku: String,
        #[prost(int32, tag = "2")]
        pub qty: i32,
        #[prost(int64, tag = "3")]
        pub price_cents: i64,
    }

    #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
    #[repr(i32)]
    pub enum Status {
        Unspecified = 0,
        Pending = 1,
        Paid = 2,
        Shipped = 3,
    }

    #[derive(Clone, PartialEq, prost::Message)]
    pub struct Order {
        #[prost(string, tag = "1")]
        pub order_id: String,
        #[prost(message, optional, tag = "2")]
        pub customer: Option<Customer>,
        #[prost(message, repeated, tag = "3")]
        pub items: Vec<Item>,
        #[prost(btree_map = "string, string", tag = "4")]
        pub attributes: BTreeMap<String, String>,
        #[prost(int64, tag = "5")]
        pub created_at_ms: i64,
        #[prost(string, optional, tag = "6")]
        pub note: Option<String>,
        #[prost(enumeration = "Status", tag = "7")]
        pub status: i32,
    }

    pub fn small(s: &super::Small) -> Small {
        Small {
            id: s.id,
            name: s.name.clone(),
            score: s.score,
            active: s.active,
            count: s.count,
            tag: s.tag.clone(),
        }
    }

    pub fn order(o: &super::Order) -> Order {
        Order {
            order_id: o.order_id.clone(),
            customer: Some(Customer {
                id: o.customer.id,
                email: o.customer.email.clone(),
                country: o.customer.country.clone(),
            }),
            items: o
                .items
                .iter()
                .map(|i| Item {
                    sku: i.sku.clone(),
                    qty: i.qty,
                    price_cents: i.price_cents,
                })
                .collect(),
            attributes: o.attributes.clone(),
            created_at_ms: o.created_at_ms,
            note: o.note.clone(),
            status: match o.status {
                super::Status::Pending => Status::Pending,
                super::Status::Paid => Status::Paid,
                super::Status::Shipped => Status::Shipped,
            } as i32,
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The hand-written straight-line Avro codec: the near-limit reference. What a careful human
// writes for exactly these two schemas: no traits, no options, no error details, but the same
// safety as ours (bounds checked, UTF-8 checked, nothing allocated that the input can't justify).
// ---------------------------------------------------------------------------------------------

mod hand {
    use super::{Customer, Item, Order, Small, Status};
    use std::collections::BTreeMap;

    #[derive(Debug)]
    pub struct Bad;

    #[inline(always)]
    fn long(out: &mut Vec<u8>, v: i64) {
        let mut z = ((v << 1) ^ (v >> 63)) as u64;
        while z >= 0x80 {
            out.push(z as u8 | 0x80);
            z >>= 7;
        }
        out.push(z as u8);
    }

    #[inline(always)]
    fn string(out: &mut Vec<u8>, s: &str) {
        long(out, s.len() as i64);
        out.extend_from_slice(s.as_bytes());
    }

    pub fn encode_small(v: &Small, out: &mut Vec<u8>) {
        long(out, v.id);
        string(out, &v.name);
        out.extend_from_slice(&v.score.to_le_bytes());
        out.push(u8::from(v.active));
        long(out, i64::from(v.count));
        match &v.tag {
            None => out.push(0),
            Some(t) => {
                out.push(2);
                string(out, t);
            }
        }
    }

    pub fn encode_order(v: &Order, out: &mut Vec<u8>) {
        string(out, &v.order_id);
        long(out, v.customer.id);
        string(out, &v.customer.email);
        string(out, &v.customer.country);
        if !v.items.is_empty() {
            long(out, v.items.len() as i64);
            for i in &v.items {
                string(out, &i.sku);
                long(out, i64::from(i.qty));
                long(out, i.price_cents);
            }
        }
        out.push(0);
        if !v.attributes.is_empty() {
            long(out, v.attributes.len() as i64);
            for (k, val) in &v.attributes {
                string(out, k);
                string(out, val);
            }
        }
        out.push(0);
        long(out, v.created_at_ms);
        match &v.note {
            None => out.push(0),
            Some(t) => {
                out.push(2);
                string(out, t);
            }
        }
        out.push(match v.status {
            Status::Pending => 0,
            Status::Paid => 2,
            Status::Shipped => 4,
        });
    }

    struct R<'a> {
        b: &'a [u8],
        p: usize,
    }

    impl<'a> R<'a> {
        #[inline(always)]
        fn long(&mut self) -> Result<i64, Bad> {
            let mut z = 0u64;
            let mut shift = 0;
            loop {
                let b = *self.b.get(self.p).ok_or(Bad)?;
                self.p += 1;
                if shift == 63 && b > 1 {
                    return Err(Bad);
                }
                z |= u64::from(b & 0x7f) << shift;
                if b < 0x80 {
                    return Ok((z >> 1) as i64 ^ -((z & 1) as i64));
                }
                shift += 7;
            }
        }
        #[inline(always)]
        fn int(&mut self) -> Result<i32, Bad> {
            i32::try_from(self.long()?).map_err(|_| Bad)
        }
        #[inline(always)]
        fn take(&mut self, n: usize) -> Result<&'a [u8], Bad> {
            let s = self
                .b
                .get(self.p..self.p.checked_add(n).ok_or(Bad)?)
                .ok_or(Bad)?;
            self.p += n;
            Ok(s)
        }
        #[inline(always)]
        fn len(&mut self) -> Result<usize, Bad> {
            usize::try_from(self.long()?).map_err(|_| Bad)
        }
        #[inline(always)]
        fn string(&mut self) -> Result<String, Bad> {
            let n = self.len()?;
            let s = self.take(n)?;
            Ok(std::str::from_utf8(s).map_err(|_| Bad)?.to_owned())
        }
        #[inline(always)]
        fn opt_string(&mut self) -> Result<Option<String>, Bad> {
            match self.long()? {
                0 => Ok(None),
                1 => Ok(Some(self.string()?)),
                _ => Err(Bad),
            }
        }
        /// A block count (negative counts carry a byte size, which is skipped), bounded by
        /// the remaining input.
        #[inline(always)]
        fn block(&mut self) -> Result<usize, Bad> {
            let mut n = self.long()?;
            if n < 0 {
                self.long()?;
                n = n.checked_neg().ok_or(Bad)?;
            }
            let n = n as usize;
            if n > self.b.len() - self.p {
                return Err(Bad);
            }
            Ok(n)
        }
    }

    pub fn decode_small(b: &[u8]) -> Result<Small, Bad> {
        let mut r = R { b, p: 0 };
        let v = Small {
            id: r.long()?,
            name: r.string()?,
            score: f64::from_le_bytes(r.take(8)?.try_into().map_err(|_| Bad)?),
            active: match r.take(1)?[0] {
                0 => false,
                1 => true,
                _ => return Err(Bad),
            },
            count: r.int()?,
            tag: r.opt_string()?,
        };
        if r.p != b.len() {
            return Err(Bad);
        }
        Ok(v)
    }

    pub fn decode_order(b: &[u8]) -> Result<Order, Bad> {
        let mut r = R { b, p: 0 };
        let order_id = r.string()?;
        let customer = Customer {
            id: r.long()?,
            email: r.string()?,
            country: r.string()?,
        };
        let mut items = Vec::new();
        loop {
            let n = r.block()?;
            if n == 0 {
                break;
            }
            items.reserve(n);
            for _ in 0..n {
                items.push(Item {
                    sku: r.string()?,
                    qty: r.int()?,
                    price_cents: r.long()?,
                });
            }
        }
        let mut attributes = BTreeMap::new();
        loop {
            let n = r.block()?;
            if n == 0 {
                break;
            }
            for _ in 0..n {
                let k = r.string()?;
                let v = r.string()?;
                attributes.insert(k, v);
            }
        }
        let v = Order {
            order_id,
            customer,
            items,
            attributes,
            created_at_ms: r.long()?,
            note: r.opt_string()?,
            status: match r.long()? {
                0 => Status::Pending,
                1 => Status::Paid,
                2 => Status::Shipped,
                _ => return Err(Bad),
            },
        };
        if r.p != b.len() {
            return Err(Bad);
        }
        Ok(v)
    }
}

// ---------------------------------------------------------------------------------------------
// Borrowed views of `Small` and `Order` (`RecordRef`, issue 18): the same schemas, strings
// borrowed from the input. Map keys stay owned (`String`): a borrowed key is not supported.
// ---------------------------------------------------------------------------------------------

mod borrowed {
    use std::collections::BTreeMap;

    use kafka_model::Record;
    use serde::Deserialize;

    use super::Status;

    #[derive(Record, Deserialize, Debug, PartialEq)]
    #[record(namespace = "bench", name = "Small")]
    pub struct SmallRef<'a> {
        pub id: i64,
        pub name: &'a str,
        pub score: f64,
        pub active: bool,
        pub count: i32,
        pub tag: Option<&'a str>,
    }

    #[derive(Record, Deserialize, Debug, PartialEq)]
    #[record(namespace = "bench", name = "Customer")]
    pub struct CustomerRef<'a> {
        pub id: i64,
        pub email: &'a str,
        pub country: &'a str,
    }

    #[derive(Record, Deserialize, Debug, PartialEq)]
    #[record(namespace = "bench", name = "Item")]
    pub struct ItemRef<'a> {
        pub sku: &'a str,
        pub qty: i32,
        pub price_cents: i64,
    }

    #[derive(Record, Deserialize, Debug, PartialEq)]
    #[record(namespace = "bench", name = "Order")]
    pub struct OrderRef<'a> {
        pub order_id: &'a str,
        #[serde(borrow)]
        pub customer: CustomerRef<'a>,
        #[serde(borrow)]
        pub items: Vec<ItemRef<'a>>,
        #[serde(borrow)]
        pub attributes: BTreeMap<String, &'a str>,
        pub created_at_ms: i64,
        pub note: Option<&'a str>,
        pub status: Status,
    }

    impl SmallRef<'_> {
        pub fn matches(&self, o: &super::Small) -> bool {
            self.id == o.id
                && self.name == o.name
                && self.score == o.score
                && self.active == o.active
                && self.count == o.count
                && self.tag == o.tag.as_deref()
        }
    }

    impl OrderRef<'_> {
        pub fn matches(&self, o: &super::Order) -> bool {
            self.order_id == o.order_id
                && self.customer.id == o.customer.id
                && self.customer.email == o.customer.email
                && self.customer.country == o.customer.country
                && self.items.len() == o.items.len()
                && self.items.iter().zip(&o.items).all(|(a, b)| {
                    a.sku == b.sku && a.qty == b.qty && a.price_cents == b.price_cents
                })
                && self.attributes.len() == o.attributes.len()
                && o.attributes
                    .iter()
                    .all(|(k, v)| self.attributes.get(k).copied() == Some(v.as_str()))
                && self.created_at_ms == o.created_at_ms
                && self.note == o.note.as_deref()
                && self.status == o.status
        }
    }
}

/// The borrowed decoders of a payload, Avro, Protobuf and JSON (`RecordRef::from_avro`,
/// `from_protobuf`, `from_json`): decode into the payload's view and drop it.
type BorrowedDecode = (fn(&[u8]) -> bool, fn(&[u8]) -> bool, fn(&[u8]) -> bool);

// ---------------------------------------------------------------------------------------------
// The operations, shared by criterion and the instruction-count mode.
// ---------------------------------------------------------------------------------------------

/// Everything an operation needs, built once: schemas, writers, readers, the encoded inputs.
struct Fixture<T: 'static, P> {
    value: T,
    pb: P,
    avro: Vec<u8>,
    proto: Vec<u8>,
    json: Vec<u8>,
    apache_schema: &'static apache_avro::Schema,
    fast_schema: serde_avro_fast::Schema,
}

impl<T, P> Fixture<T, P>
where
    T: Record + Clone + PartialEq + std::fmt::Debug,
    P: prost::Message + Default + PartialEq + std::fmt::Debug,
{
    fn new(value: T, pb: P, hand_encode: fn(&T, &mut Vec<u8>)) -> Self {
        let schema = T::schemas().avro().expect("avro schema");
        let apache_schema = schema.schema();
        let fast_schema: serde_avro_fast::Schema = schema
            .json()
            .parse()
            .expect("serde_avro_fast parses our schema");

        // Every Avro implementation writes the same bytes.
        let avro = value.to_avro().expect("ours encodes");
        let mut hand = Vec::new();
        hand_encode(&value, &mut hand);
        assert_eq!(hand, avro, "hand-written reference vs ours");
        let writer = apache_avro::writer::datum::GenericDatumWriter::builder(apache_schema)
            .build()
            .expect("writer");
        let ser = writer.write_ser_to_vec(&value).expect("write_ser");
        assert_eq!(ser, avro, "apache-avro write_ser vs ours");
        let classic = writer
            .write_value_to_vec(apache_avro::to_value(&value).expect("to_value"))
            .expect("write_value");
        // The Value path keeps maps in a `HashMap`: same bytes up to the order of map entries.
        assert_eq!(classic.len(), avro.len(), "apache-avro Value path vs ours");
        assert_eq!(
            T::from_avro(&classic).expect("ours reads the Value path"),
            value
        );
        let mut config = serde_avro_fast::ser::SerializerConfig::new(&fast_schema);
        let fast = serde_avro_fast::to_datum_vec(&value, &mut config).expect("serde_avro_fast");
        assert_eq!(fast, avro, "serde_avro_fast vs ours");

        // prost writes what we write.
        let proto = value.to_protobuf().expect("ours encodes protobuf");
        assert_eq!(pb.encode_to_vec(), proto, "prost vs ours");

        let json = serde_json::to_vec(&value).expect("serde_json");
        Fixture {
            value,
            pb,
            avro,
            proto,
            json,
            apache_schema,
            fast_schema,
        }
    }

    /// Every decoder reads back the value.
    fn check_decoders(&self, hand_decode: fn(&[u8]) -> Result<T, hand::Bad>) {
        let v = &self.value;
        assert_eq!(&T::from_avro(&self.avro).expect("ours decodes"), v);
        assert_eq!(&hand_decode(&self.avro).expect("hand decodes"), v);
        let reader = apache_avro::reader::datum::GenericDatumReader::builder(self.apache_schema)
            .build()
            .expect("reader");
        assert_eq!(
            &reader
                .read_deser::<T>(&mut &self.avro[..])
                .expect("read_deser"),
            v
        );
        let value = reader.read_value(&mut &self.avro[..]).expect("read_value");
        assert_eq!(
            &apache_avro::from_value::<T>(&value).expect("from_value"),
            v
        );
        assert_eq!(
            &serde_avro_fast::from_datum_slice::<T>(&self.avro, &self.fast_schema)
                .expect("serde_avro_fast"),
            v
        );
        assert_eq!(&T::from_protobuf(&self.proto).expect("ours decodes"), v);
        assert_eq!(
            &P::decode(&self.proto[..]).expect("prost decodes"),
            &self.pb
        );
        assert_eq!(&serde_json::from_slice::<T>(&self.json).expect("json"), v);
    }
}

/// One measured operation: `group` is e.g. `order/avro_encode`, `name` the implementation.
struct Op<'a> {
    group: String,
    name: &'static str,
    run: Box<dyn FnMut() + 'a>,
}

fn ops<'a, T, P>(
    payload: &str,
    fx: &'a Fixture<T, P>,
    hand_encode: fn(&T, &mut Vec<u8>),
    hand_decode: fn(&[u8]) -> Result<T, hand::Bad>,
    borrowed: BorrowedDecode,
) -> Vec<Op<'a>>
where
    T: Record + Clone + PartialEq + std::fmt::Debug,
    P: prost::Message + Default + PartialEq + std::fmt::Debug,
{
    let g = |what: &str| format!("{payload}/{what}");
    let mut v: Vec<Op<'a>> = Vec::new();
    let mut push = |group: String, name: &'static str, run: Box<dyn FnMut() + 'a>| {
        v.push(Op { group, name, run })
    };

    // ---- Avro encode (every encoder writes into a reused buffer) ----
    let mut buf = Vec::with_capacity(1024);
    push(
        g("avro_encode"),
        "ours",
        Box::new(move || {
            buf.clear();
            black_box(&fx.value).write_avro(&mut buf).unwrap();
            black_box(&buf);
        }),
    );
    let mut buf = Vec::with_capacity(1024);
    push(
        g("avro_encode"),
        "hand",
        Box::new(move || {
            buf.clear();
            hand_encode(black_box(&fx.value), &mut buf);
            black_box(&buf);
        }),
    );
    let writer = apache_avro::writer::datum::GenericDatumWriter::builder(fx.apache_schema)
        .build()
        .unwrap();
    let mut buf = Vec::with_capacity(1024);
    push(
        g("avro_encode"),
        "apache_ser",
        Box::new(move || {
            buf.clear();
            writer.write_ser(&mut buf, black_box(&fx.value)).unwrap();
            black_box(&buf);
        }),
    );
    let writer = apache_avro::writer::datum::GenericDatumWriter::builder(fx.apache_schema)
        .build()
        .unwrap();
    let mut buf = Vec::with_capacity(1024);
    push(
        g("avro_encode"),
        "apache_value",
        Box::new(move || {
            buf.clear();
            let value = apache_avro::to_value(black_box(&fx.value)).unwrap();
            writer.write_value_ref(&mut buf, &value).unwrap();
            black_box(&buf);
        }),
    );
    let mut config = serde_avro_fast::ser::SerializerConfig::new(&fx.fast_schema);
    let mut buf = Vec::with_capacity(1024);
    push(
        g("avro_encode"),
        "serde_avro_fast",
        Box::new(move || {
            buf.clear();
            serde_avro_fast::to_datum(black_box(&fx.value), &mut buf, &mut config).unwrap();
            black_box(&buf);
        }),
    );

    // ---- Avro encode into a fresh buffer (what `to_avro` answers) ----
    // `hand` allocates exactly once, at the exact size: the limit for a fresh buffer.
    let exact = fx.avro.len();
    push(
        g("avro_encode_fresh"),
        "ours",
        Box::new(move || {
            black_box(black_box(&fx.value).to_avro().unwrap());
        }),
    );
    push(
        g("avro_encode_fresh"),
        "hand",
        Box::new(move || {
            let mut buf = Vec::with_capacity(black_box(exact));
            hand_encode(black_box(&fx.value), &mut buf);
            black_box(buf);
        }),
    );

    // ---- Avro decode ----
    push(
        g("avro_decode"),
        "ours",
        Box::new(move || {
            black_box(T::from_avro(black_box(&fx.avro)).unwrap());
        }),
    );
    push(
        g("avro_decode"),
        "hand",
        Box::new(move || {
            black_box(hand_decode(black_box(&fx.avro)).unwrap());
        }),
    );
    // The borrowed view (`RecordRef::from_avro`): strings point into the input.
    let (borrowed_avro, borrowed_proto, borrowed_json) = borrowed;
    push(
        g("avro_decode"),
        "ours_borrowed",
        Box::new(move || {
            black_box(borrowed_avro(black_box(&fx.avro)));
        }),
    );
    let reader = apache_avro::reader::datum::GenericDatumReader::builder(fx.apache_schema)
        .build()
        .unwrap();
    push(
        g("avro_decode"),
        "apache_deser",
        Box::new(move || {
            let mut input: &[u8] = black_box(&fx.avro);
            black_box(reader.read_deser::<T>(&mut input).unwrap());
        }),
    );
    let reader = apache_avro::reader::datum::GenericDatumReader::builder(fx.apache_schema)
        .build()
        .unwrap();
    push(
        g("avro_decode"),
        "apache_value",
        Box::new(move || {
            let mut input: &[u8] = black_box(&fx.avro);
            let value = reader.read_value(&mut input).unwrap();
            black_box(apache_avro::from_value::<T>(&value).unwrap());
        }),
    );
    push(
        g("avro_decode"),
        "serde_avro_fast",
        Box::new(move || {
            black_box(
                serde_avro_fast::from_datum_slice::<T>(black_box(&fx.avro), &fx.fast_schema)
                    .unwrap(),
            );
        }),
    );

    // ---- Protobuf ----
    let mut buf = Vec::with_capacity(1024);
    push(
        g("proto_encode"),
        "ours",
        Box::new(move || {
            buf.clear();
            black_box(&fx.value).write_protobuf(&mut buf).unwrap();
            black_box(&buf);
        }),
    );
    let mut buf = Vec::with_capacity(1024);
    push(
        g("proto_encode"),
        "prost",
        Box::new(move || {
            buf.clear();
            black_box(&fx.pb).encode(&mut buf).unwrap();
            black_box(&buf);
        }),
    );
    push(
        g("proto_decode"),
        "ours",
        Box::new(move || {
            black_box(T::from_protobuf(black_box(&fx.proto)).unwrap());
        }),
    );
    push(
        g("proto_decode"),
        "ours_borrowed",
        Box::new(move || {
            black_box(borrowed_proto(black_box(&fx.proto)));
        }),
    );
    push(
        g("proto_decode"),
        "prost",
        Box::new(move || {
            black_box(P::decode(black_box(&fx.proto[..])).unwrap());
        }),
    );

    // ---- JSON ----
    let mut buf = Vec::with_capacity(1024);
    push(
        g("json_encode"),
        "serde_json",
        Box::new(move || {
            buf.clear();
            serde_json::to_writer(&mut buf, black_box(&fx.value)).unwrap();
            black_box(&buf);
        }),
    );
    // `dumps` (the model's default codec is `json`) against `serde_json::to_vec`: both
    // answer a fresh buffer.
    push(
        g("json_encode_fresh"),
        "ours",
        Box::new(move || {
            black_box(black_box(&fx.value).dumps().unwrap());
        }),
    );
    push(
        g("json_encode_fresh"),
        "serde_json",
        Box::new(move || {
            black_box(serde_json::to_vec(black_box(&fx.value)).unwrap());
        }),
    );
    // `json+faust` (the Faust-exact streaming writer) against the same fresh `serde_json::to_vec`.
    push(
        g("json_encode_fresh"),
        "json+faust",
        Box::new(move || {
            black_box(black_box(&fx.value).dumps_with("json+faust").unwrap());
        }),
    );
    // `loads` against `serde_json::from_slice`.
    push(
        g("json_decode"),
        "ours",
        Box::new(move || {
            black_box(T::loads(black_box(&fx.json)).unwrap());
        }),
    );
    push(
        g("json_decode"),
        "ours_borrowed",
        Box::new(move || {
            black_box(borrowed_json(black_box(&fx.json)));
        }),
    );
    push(
        g("json_decode"),
        "serde_json",
        Box::new(move || {
            black_box(serde_json::from_slice::<T>(black_box(&fx.json)).unwrap());
        }),
    );
    v
}

struct Fixtures {
    small: Fixture<Small, pb::Small>,
    order: Fixture<Order, pb::Order>,
}

fn fixtures() -> Fixtures {
    let s = small();
    let small = Fixture::new(s.clone(), pb::small(&s), hand::encode_small);
    small.check_decoders(hand::decode_small);
    // The borrowed views read back the value, from Avro and JSON, with the owned schemas.
    assert!(borrowed::SmallRef::from_avro(&small.avro)
        .unwrap()
        .matches(&s));
    assert!(borrowed::SmallRef::from_json(&small.json)
        .unwrap()
        .matches(&s));
    assert!(borrowed::SmallRef::from_protobuf(&small.proto)
        .unwrap()
        .matches(&s));
    assert_eq!(
        borrowed::SmallRef::schemas().avro().unwrap().fingerprint(),
        Small::schemas().avro().unwrap().fingerprint()
    );
    let o = order();
    let order = Fixture::new(o.clone(), pb::order(&o), hand::encode_order);
    order.check_decoders(hand::decode_order);
    assert!(borrowed::OrderRef::from_avro(&order.avro)
        .unwrap()
        .matches(&o));
    assert!(borrowed::OrderRef::from_json(&order.json)
        .unwrap()
        .matches(&o));
    assert!(borrowed::OrderRef::from_protobuf(&order.proto)
        .unwrap()
        .matches(&o));
    assert_eq!(
        borrowed::OrderRef::schemas().avro().unwrap().fingerprint(),
        Order::schemas().avro().unwrap().fingerprint()
    );
    Fixtures { small, order }
}

// The borrowed decoders, as plain functions: decode, then drop the view (as every decode op
// drops its value). `black_box` keeps the view from being optimised away.
fn small_ref_avro(b: &[u8]) -> bool {
    black_box(borrowed::SmallRef::from_avro(b).unwrap());
    true
}
fn small_ref_proto(b: &[u8]) -> bool {
    black_box(borrowed::SmallRef::from_protobuf(b).unwrap());
    true
}
fn small_ref_json(b: &[u8]) -> bool {
    black_box(borrowed::SmallRef::from_json(b).unwrap());
    true
}
fn order_ref_avro(b: &[u8]) -> bool {
    black_box(borrowed::OrderRef::from_avro(b).unwrap());
    true
}
fn order_ref_proto(b: &[u8]) -> bool {
    black_box(borrowed::OrderRef::from_protobuf(b).unwrap());
    true
}
fn order_ref_json(b: &[u8]) -> bool {
    black_box(borrowed::OrderRef::from_json(b).unwrap());
    true
}

fn all_ops(fx: &Fixtures) -> Vec<Op<'_>> {
    let mut v = ops(
        "small",
        &fx.small,
        hand::encode_small,
        hand::decode_small,
        (small_ref_avro, small_ref_proto, small_ref_json),
    );
    v.extend(ops(
        "order",
        &fx.order,
        hand::encode_order,
        hand::decode_order,
        (order_ref_avro, order_ref_proto, order_ref_json),
    ));
    v
}

fn codecs(c: &mut Criterion) {
    let fx = fixtures();
    let mut ops = all_ops(&fx);
    let mut groups: Vec<String> = ops.iter().map(|o| o.group.clone()).collect();
    groups.dedup();
    for name in groups {
        let mut group = c.benchmark_group(&name);
        group.throughput(Throughput::Elements(1));
        for op in ops.iter_mut().filter(|o| o.group == name) {
            group.bench_function(op.name, |b| b.iter(&mut op.run));
        }
        group.finish();
    }
}

/// `KAFKA_MODEL_ICOUNT=<group>/<name>:<n>`: runs one operation `n` times (for cachegrind);
/// `KAFKA_MODEL_ICOUNT=list` prints the operations.
fn instruction_count_mode(spec: &str) {
    let fx = fixtures();
    let mut ops = all_ops(&fx);
    if spec == "list" {
        for op in &ops {
            println!("{}/{}", op.group, op.name);
        }
        return;
    }
    let (id, n) = spec
        .rsplit_once(':')
        .expect("KAFKA_MODEL_ICOUNT=<group>/<name>:<n>");
    let n: u64 = n.parse().expect("a count");
    let op = ops
        .iter_mut()
        .find(|o| format!("{}/{}", o.group, o.name) == id)
        .unwrap_or_else(|| panic!("no operation {id} (KAFKA_MODEL_ICOUNT=list)"));
    for _ in 0..n {
        (op.run)();
    }
}

criterion_group!(benches, codecs);

fn main() {
    if let Ok(spec) = std::env::var("KAFKA_MODEL_ICOUNT") {
        instruction_count_mode(&spec);
        return;
    }
    benches();
    Criterion::default().configure_from_args().final_summary();
}
