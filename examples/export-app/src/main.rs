//! A binary crate set up as the README's "Schema evolution in CI" says: its own message types
//! are marked `#[record(export)]` and gated by the `#[cfg(test)]` test at the bottom (a binary
//! has no library for `tests/` to link, so its gate lives in the crate), against the files
//! committed under `schemas/`. `build.rs` exports the schemas of the models crate
//! `export-demo` into `OUT_DIR`; `ORDER_AVSC` embeds one.
//!
//! `cargo run -p export-app` prints an audit event and the embedded schema.

use chrono::{DateTime, TimeZone, Utc};
use kafka_model::Record;
use serde::{Deserialize, Serialize};

/// The Avro schema of [`export_demo::Order`], as `build.rs` exported it.
const ORDER_AVSC: &str = include_str!(concat!(
    env!("OUT_DIR"),
    "/schemas/com.acme.shop.Order.avsc"
));

/// Who did something.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.common")]
pub struct Actor {
    /// The actor's id.
    pub id: String,
    /// How to reach them.
    #[record(tags = ["PII"])]
    pub email: String,
}

/// Something that happened to an order, as published on the `shop.audit` topic.
#[derive(Record, Serialize, Deserialize, Debug, Clone, PartialEq)]
#[record(namespace = "com.acme.audit", export)]
pub struct AuditEvent {
    /// The order concerned.
    pub order_id: String,
    /// Who did it.
    pub actor: Actor,
    /// When.
    pub at: DateTime<Utc>,
    /// What, in words.
    pub action: String,
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let event = AuditEvent {
        order_id: "o-1".into(),
        actor: Actor {
            id: "u-7".into(),
            email: "clerk@acme.example".into(),
        },
        at: Utc
            .timestamp_opt(1_700_000_000, 0)
            .single()
            .ok_or("timestamp")?,
        action: "refunded".into(),
    };
    let bytes = event.dumps()?;
    assert_eq!(AuditEvent::loads(&bytes)?, event);
    println!("{}", String::from_utf8_lossy(&bytes));
    println!("{}", ORDER_AVSC.trim_end());
    Ok(())
}

#[cfg(test)]
mod schemas {
    use kafka_model::compat::CompatibilityLevel;
    use kafka_model::export::{models_of, Exporter};
    use kafka_model::Record;

    #[test]
    fn committed_schemas_are_compatible_and_up_to_date() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas");
        // This crate's `#[record(export)]` types; none found is an error, not a pass.
        let exporter = Exporter::new(dir).add_entries(models_of!(crate));
        exporter.assert_gate(
            CompatibilityLevel::Backward,
            "KAFKA_MODEL_UPDATE_SCHEMAS=1 cargo test -p export-app --bin export-app",
        );
    }

    #[test]
    fn the_build_script_exported_the_models_crate() {
        let order = export_demo::Order::schemas().avro().expect("avro");
        assert_eq!(super::ORDER_AVSC.trim_end(), order.json());
    }

    #[test]
    fn main_runs() {
        super::main().expect("main");
    }
}
