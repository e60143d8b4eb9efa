//! A downstream-style models crate for `kafka-model`: the message types in [`models`], their
//! schemas exported at build time (`build.rs`, into `OUT_DIR`) and committed under `schemas/`,
//! and `tests/schemas.rs` failing `cargo test` when the committed files drift from the code or
//! a change breaks BACKWARD compatibility with them.
//!
//! ```
//! use export_demo::{ORDER_AVSC, Order};
//! use kafka_model::Record;
//!
//! assert_eq!(ORDER_AVSC.trim_end(), Order::avro_schema()?.json());
//! # Ok::<(), kafka_model::SchemaError>(())
//! ```

mod models {
    include!("models.rs");
}

pub use models::{Order, OrderLine, OrderStatus, Payment};

/// The Avro schema of [`Order`], as `build.rs` exported it.
pub const ORDER_AVSC: &str = include_str!(concat!(
    env!("OUT_DIR"),
    "/schemas/com.acme.shop.Order.avsc"
));

/// The Avro schema of [`Payment`], as `build.rs` exported it.
pub const PAYMENT_AVSC: &str = include_str!(concat!(
    env!("OUT_DIR"),
    "/schemas/com.acme.shop.Payment.avsc"
));
