//! Integration and UI tests for kafka-model live under `tests/`.
