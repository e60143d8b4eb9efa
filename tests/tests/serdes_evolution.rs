//! Schema evolution through the serializers: v1 → v2 adds an optional field, removes a field
//! and renames one with an alias; old bytes are read with the new type and new bytes with the
//! old type, in Avro and Protobuf, through the embedded HTTP registry.

use std::sync::Arc;

use kafka_model::registry::{server, ConfluentRegistry, MemoryRegistry, SchemaRegistry};
use kafka_model::serdes::{
    Deserializer, DeserializerConfig, SerdeErrorKind, SerdeFormat, Serializer, SerializerConfig,
};
use kafka_model::Record;
use serde::{Deserialize, Serialize};

mod v1 {
    use super::*;
    /// Version 1.
    #[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
    #[record(name = "Order", namespace = "com.acme.evolve")]
    pub struct Order {
        pub id: String,
        /// Renamed to `quantity` in v2; the alias lets v1 read v2 data.
        #[serde(alias = "quantity")]
        pub qty: i32,
        /// Removed in v2: the default lets v1 read v2 data.
        #[serde(default)]
        pub legacy: String,
    }
}

mod v2 {
    use super::*;
    /// Version 2.
    #[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
    #[record(name = "Order", namespace = "com.acme.evolve")]
    pub struct Order {
        pub id: String,
        #[serde(alias = "qty")]
        #[record(tag = 2)]
        pub quantity: i32,
        #[record(tag = 4)]
        pub note: Option<String>,
    }
}

mod v1_strict {
    use super::*;
    /// Version 1 without the alias and default: cannot read v2 data in Avro.
    #[derive(Record, Serialize, Deserialize, Debug, PartialEq, Clone)]
    #[record(name = "Order", namespace = "com.acme.evolve")]
    pub struct Order {
        pub id: String,
        pub qty: i32,
        pub legacy: String,
    }
}

async fn run(format: SerdeFormat, client: Arc<dyn SchemaRegistry>) {
    let topic = format!("evolve-{format:?}");
    let s1 = Serializer::<v1::Order>::new(client.clone(), SerializerConfig::new(format)).unwrap();
    let s2 = Serializer::<v2::Order>::new(client.clone(), SerializerConfig::new(format)).unwrap();
    let d1 = Deserializer::<v1::Order>::new(client.clone(), DeserializerConfig::new(format));
    let d2 = Deserializer::<v2::Order>::new(client.clone(), DeserializerConfig::new(format));

    let old = v1::Order {
        id: "o-1".into(),
        qty: 3,
        legacy: "x".into(),
    };
    let new = v2::Order {
        id: "o-2".into(),
        quantity: 5,
        note: Some("gift".into()),
    };
    let (old_bytes, old_h) = s1.serialize(&topic, &old).await.unwrap();
    let (new_bytes, new_h) = s2
        .serialize(&topic, &new)
        .await
        .unwrap_or_else(|e| panic!("{format:?}: v2 registers as a compatible version: {e}"));
    let (sub1, id1) = s1.register(&topic).await.unwrap();
    let (_, id2) = s2.register(&topic).await.unwrap();
    assert_ne!(id1, id2);
    assert_eq!(client.versions(&sub1, false).await.unwrap(), vec![1, 2]);

    // Old bytes, new type: renamed field through the alias (Avro) / number (Protobuf), new
    // optional field absent, removed field skipped.
    let read = d2.deserialize(&topic, &old_bytes, &old_h).await.unwrap();
    assert_eq!(
        read,
        v2::Order {
            id: "o-1".into(),
            quantity: 3,
            note: None
        },
        "{format:?}"
    );
    // New bytes, old type: removed field takes its default, new field skipped.
    let read = d1.deserialize(&topic, &new_bytes, &new_h).await.unwrap();
    assert_eq!(
        read,
        v1::Order {
            id: "o-2".into(),
            qty: 5,
            legacy: String::new()
        },
        "{format:?}"
    );
    // Same-version reads take the direct path.
    assert_eq!(
        d1.deserialize(&topic, &old_bytes, &old_h).await.unwrap(),
        old
    );
    assert_eq!(
        d2.deserialize(&topic, &new_bytes, &new_h).await.unwrap(),
        new
    );

    if format == SerdeFormat::Avro {
        // Without the alias and the default, v1 cannot read v2 data: a typed error naming the
        // topic, the id and the subject.
        let strict = Deserializer::<v1_strict::Order>::new(client, DeserializerConfig::avro());
        let err = strict
            .deserialize(&topic, &new_bytes, &new_h)
            .await
            .unwrap_err();
        match err.kind() {
            SerdeErrorKind::Incompatible {
                topic: t,
                id,
                subject,
                ..
            } => {
                assert_eq!(t, &topic);
                assert_eq!(id, &id2.to_string());
                assert_eq!(subject.as_deref(), Some(sub1.as_str()));
            }
            other => panic!("{other}"),
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn avro_and_protobuf_evolve_both_ways() {
    let server = server::serve(MemoryRegistry::new()).await.expect("bind");
    let client: Arc<dyn SchemaRegistry> =
        Arc::new(ConfluentRegistry::new(server.url()).expect("client"));
    run(SerdeFormat::Avro, client.clone()).await;
    run(SerdeFormat::Protobuf, client).await;
    server.shutdown().await;
}
