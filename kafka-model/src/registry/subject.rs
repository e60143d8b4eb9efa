//! Subject-name strategies: which registry subject a topic's keys or values use.

use std::fmt;
use std::sync::Arc;

/// Whether a schema describes a message's key or its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectRole {
    /// The message key.
    Key,
    /// The message value.
    Value,
}

impl SubjectRole {
    /// `"key"` or `"value"`.
    pub fn as_str(self) -> &'static str {
        match self {
            SubjectRole::Key => "key",
            SubjectRole::Value => "value",
        }
    }
}

/// A custom subject-name function: `(topic, role, record full name) -> subject`.
pub type SubjectNameFn = Arc<dyn Fn(&str, SubjectRole, &str) -> String + Send + Sync>;

/// How a serializer names the subject of a record (Confluent's `subject.name.strategy`).
///
/// ```
/// use kafka_model::registry::{SubjectNameStrategy, SubjectRole};
///
/// let full = "com.acme.Order";
/// assert_eq!(SubjectNameStrategy::TopicName.subject("orders", SubjectRole::Value, full), "orders-value");
/// assert_eq!(SubjectNameStrategy::TopicName.subject("orders", SubjectRole::Key, full), "orders-key");
/// assert_eq!(SubjectNameStrategy::RecordName.subject("orders", SubjectRole::Value, full), "com.acme.Order");
/// assert_eq!(
///     SubjectNameStrategy::TopicRecordName.subject("orders", SubjectRole::Value, full),
///     "orders-com.acme.Order"
/// );
/// let custom = SubjectNameStrategy::custom(|topic, role, _| format!("team.{topic}.{}", role.as_str()));
/// assert_eq!(custom.subject("orders", SubjectRole::Key, full), "team.orders.key");
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum SubjectNameStrategy {
    /// `<topic>-key` / `<topic>-value` (Confluent's default).
    #[default]
    TopicName,
    /// The record's full name, whatever the topic (several types per topic).
    RecordName,
    /// `<topic>-<record full name>`.
    TopicRecordName,
    /// A function of your own.
    Custom(SubjectNameFn),
}

impl SubjectNameStrategy {
    /// A custom strategy from a closure `(topic, role, record full name) -> subject`.
    pub fn custom(f: impl Fn(&str, SubjectRole, &str) -> String + Send + Sync + 'static) -> Self {
        SubjectNameStrategy::Custom(Arc::new(f))
    }

    /// The subject for a record of full name `record_name` written as `role` to `topic`.
    pub fn subject(&self, topic: &str, role: SubjectRole, record_name: &str) -> String {
        match self {
            SubjectNameStrategy::TopicName => format!("{topic}-{}", role.as_str()),
            SubjectNameStrategy::RecordName => record_name.to_string(),
            SubjectNameStrategy::TopicRecordName => format!("{topic}-{record_name}"),
            SubjectNameStrategy::Custom(f) => f(topic, role, record_name),
        }
    }
}

impl fmt::Debug for SubjectNameStrategy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SubjectNameStrategy::TopicName => f.write_str("TopicName"),
            SubjectNameStrategy::RecordName => f.write_str("RecordName"),
            SubjectNameStrategy::TopicRecordName => f.write_str("TopicRecordName"),
            SubjectNameStrategy::Custom(_) => f.write_str("Custom(..)"),
        }
    }
}

/// How the subject of a Protobuf import (a schema reference) is named.
///
/// ```
/// use kafka_model::registry::subject::ReferenceSubjectStrategy;
/// assert_eq!(ReferenceSubjectStrategy::Default.subject("acme/common.proto", "acme.Money"), "acme/common.proto");
/// assert_eq!(ReferenceSubjectStrategy::Qualified.subject("acme/common.proto", "acme.Money"), "acme.common");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ReferenceSubjectStrategy {
    /// The import path (Confluent's `DefaultReferenceSubjectNameStrategy`).
    #[default]
    Default,
    /// The import path without `.proto`, with `/` turned into `.`
    /// (Confluent's `QualifiedReferenceSubjectNameStrategy`).
    Qualified,
}

impl ReferenceSubjectStrategy {
    /// The subject for the import `import_path` (the referenced file's first type is
    /// `type_name`, unused by both built-in strategies).
    pub fn subject(self, import_path: &str, _type_name: &str) -> String {
        match self {
            ReferenceSubjectStrategy::Default => import_path.to_string(),
            ReferenceSubjectStrategy::Qualified => import_path
                .strip_suffix(".proto")
                .unwrap_or(import_path)
                .replace('/', "."),
        }
    }
}
