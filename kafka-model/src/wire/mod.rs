//! Wire framing: Confluent schema-id prefix and headers, Apicurio headers and payload ids.
