//! Schema registries: one async trait, the embedded in-memory registry, Confluent and Apicurio clients.
