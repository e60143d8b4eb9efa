//! Generator inputs from a schema registry: a subject version and every schema its references
//! reach (`kafka-model generate --registry`).

use crate::registry::{references, RegistryError, SchemaRegistry, SchemaType, Version};

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
    /// `(name, schema text)`: each referenced schema (named after its subject), dependencies
    /// first, then the subject's own schema, last.
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
}

/// Fetches `subject` at `version` and, recursively, every schema its references name (each
/// subject version once, depth and count bounded as
/// [`SchemaRegistry::schema_with_references`] bounds them, so a cycle ends). Only Avro
/// schemas: another schema type is [`RegistryError::InvalidSchema`].
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
    let not_avro = |t: SchemaType, whose: &str| RegistryError::InvalidSchema {
        message: format!("{whose} is a {t} schema; generate reads Avro schemas"),
    };
    if registered.schema.schema_type != SchemaType::Avro {
        return Err(not_avro(registered.schema.schema_type, &what));
    }
    let resolved = references::resolve(registry, registered.schema, &what).await?;
    let mut inputs = Vec::with_capacity(resolved.references.len() + 1);
    for r in &resolved.references {
        if r.schema.schema_type != SchemaType::Avro {
            return Err(not_avro(
                r.schema.schema_type,
                &format!("the reference {}", r.reference.name),
            ));
        }
        // Named after the subject: a file stem for an unnamed schema's type name.
        inputs.push((
            format!("{}.avsc", r.reference.subject),
            r.schema.schema.clone(),
        ));
    }
    inputs.push((format!("{subject}.avsc"), resolved.schema.schema.clone()));
    Ok(RegistryInputs {
        subject: subject.to_string(),
        version: registered.version,
        id: registered.id,
        inputs,
    })
}
