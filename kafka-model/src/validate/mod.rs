//! Field validation and coercion.
