//! Generator inputs from a schema registry: a subject version and every schema its references
//! reach (`kafka-model generate --registry`).

use crate::registry::{references, RegistryError, SchemaRegistry, SchemaType, Version};

use super::{GenerateError, Generated, Generator};

/// A subject's schema and the schemas it references, as [`Generator::generate`] inputs.
///
/// [`Generator::generate`]: super::Generator::generate
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegistryInputs {
    /// The subject.
    pub subject: String,
    /// The version fetched.
    pub version: i32,
    /// Its schema id.
    pub id: i64,
    /// The schema type of the subject's schema (and of every schema it references).
    pub schema_type: SchemaType,
    /// `(name, schema text)`: each referenced schema, dependencies first, then the subject's
    /// own schema, last. An Avro dependency is named `<its subject>.avsc` (the stem names an
    /// unnamed schema's type); a Protobuf or JSON Schema dependency by its reference name, which
    /// is how the referencing schema imports it (`import "acme/money.proto";`, a `$ref` URL).
    /// The subject's own schema is `<subject>.avsc`, `.proto` or `.json`.
    pub inputs: Vec<(String, String)>,
}

impl RegistryInputs {
    /// The inputs as [`Generator::generate`](super::Generator::generate) takes them.
    pub fn as_inputs(&self) -> Vec<(&str, &str)> {
        self.inputs
            .iter()
            .map(|(n, t)| (n.as_str(), t.as_str()))
            .collect()
    }

    /// The file name `kafka-model generate --out DIR` writes the generated source of this schema
    /// type to ([`Generator::OUTPUT_FILE`], [`Generator::PROTO_OUTPUT_FILE`] or
    /// [`Generator::JSON_OUTPUT_FILE`]).
    pub fn output_file(&self) -> &'static str {
        match self.schema_type {
            SchemaType::Avro => Generator::OUTPUT_FILE,
            SchemaType::Protobuf => Generator::PROTO_OUTPUT_FILE,
            SchemaType::Json => Generator::JSON_OUTPUT_FILE,
        }
    }
}

impl Generator {
    /// Generates from what [`registry_inputs`] fetched, by its schema type: Avro as
    /// [`Generator::generate`], Protobuf as [`Generator::generate_proto`] (a dependency is the
    /// file its import names), JSON Schema as [`Generator::generate_json`] (a `$ref` to a
    /// reference's name is the type generated for that document).
    ///
    /// ```
    /// use kafka_model::generate::{registry_inputs, Generator};
    /// use kafka_model::registry::{MemoryRegistry, Schema, SchemaRegistry, SchemaWithDeps, Version};
    ///
    /// # #[tokio::main(flavor = "current_thread")]
    /// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
    /// let registry = MemoryRegistry::new();
    /// let money = Schema::protobuf("syntax = \"proto3\";\npackage acme;\nmessage Money { int64 cents = 1; }\n");
    /// let order = Schema::protobuf(
    ///     "syntax = \"proto3\";\npackage acme;\nimport \"acme/money.proto\";\n\
    ///      message Order { string id = 1; acme.Money total = 2; }\n",
    /// );
    /// let graph = SchemaWithDeps::new(order).with_dependency("acme/money.proto", "acme-money", money);
    /// registry.register_with_references("orders-value", &graph, false).await?;
    ///
    /// let fetched = registry_inputs(&registry, "orders-value", Version::Latest).await?;
    /// assert_eq!(fetched.inputs[0].0, "acme/money.proto");
    /// let out = Generator::new().generate_registry(&fetched)?;
    /// assert!(out.source.contains("pub total: Option<Money>,"), "{}", out.source);
    /// # Ok(())
    /// # }
    /// ```
    pub fn generate_registry(&self, fetched: &RegistryInputs) -> Result<Generated, GenerateError> {
        let inputs = fetched.as_inputs();
        match fetched.schema_type {
            SchemaType::Avro => self.generate(&inputs),
            SchemaType::Protobuf => self.generate_proto(&inputs),
            SchemaType::Json => self.generate_json(&inputs),
        }
    }
}

/// Fetches `subject` at `version` and, recursively, every schema its references name (each
/// subject version once, depth and count bounded as
/// [`SchemaRegistry::schema_with_references`] bounds them, so a cycle ends). Every referenced
/// schema must be of the subject's schema type ([`RegistryError::InvalidSchema`] otherwise).
///
/// ```
/// use kafka_model::generate::{registry_inputs, Generator};
/// use kafka_model::registry::{MemoryRegistry, Schema, SchemaRegistry, SchemaWithDeps, Version};
///
/// # #[tokio::main(flavor = "current_thread")]
/// # async fn main() -> Result<(), Box<dyn std::error::Error>> {
/// let registry = MemoryRegistry::new();
/// let money = Schema::avro(r#"{"type":"record","name":"Money","namespace":"acme","fields":[{"name":"cents","type":"long"}]}"#);
/// let order = Schema::avro(r#"{"type":"record","name":"Order","namespace":"acme","fields":[{"name":"total","type":"Money"}]}"#);
/// let graph = SchemaWithDeps::new(order).with_dependency("acme.Money", "acme-money", money);
/// registry.register_with_references("orders-value", &graph, false).await?;
///
/// let fetched = registry_inputs(&registry, "orders-value", Version::Latest).await?;
/// assert_eq!(fetched.inputs.len(), 2); // acme-money, then orders-value
/// let out = Generator::new().generate(&fetched.as_inputs())?;
/// assert_eq!(out.roots[1].rust_path, "acme::Order");
/// assert!(out.source.contains("pub total: Money,"));
/// # Ok(())
/// # }
/// ```
pub async fn registry_inputs<R: SchemaRegistry + ?Sized>(
    registry: &R,
    subject: &str,
    version: Version,
) -> Result<RegistryInputs, RegistryError> {
    let registered = registry.version(subject, version, false).await?;
    let what = format!("subject {subject} version {}", registered.version);
    let schema_type = registered.schema.schema_type;
    let resolved = references::resolve(registry, registered.schema, &what).await?;
    let mut inputs = Vec::with_capacity(resolved.references.len() + 1);
    for r in &resolved.references {
        if r.schema.schema_type != schema_type {
            return Err(RegistryError::InvalidSchema {
                message: format!(
                    "the reference {} of {what} is a {} schema, not {schema_type}",
                    r.reference.name, r.schema.schema_type
                ),
            });
        }
        let name = match schema_type {
            // Named after the subject: a file stem for an unnamed schema's type name.
            SchemaType::Avro => format!("{}.avsc", r.reference.subject),
            SchemaType::Protobuf | SchemaType::Json => r.reference.name.clone(),
        };
        inputs.push((name, r.schema.schema.clone()));
    }
    let extension = match schema_type {
        SchemaType::Avro => "avsc",
        SchemaType::Protobuf => "proto",
        SchemaType::Json => "json",
    };
    inputs.push((
        format!("{subject}.{extension}"),
        resolved.schema.schema.clone(),
    ));
    Ok(RegistryInputs {
        subject: subject.to_string(),
        version: registered.version,
        id: registered.id,
        schema_type,
        inputs,
    })
}
