//! Validation errors: every problem, each with its path, rule, limit and offending value.

use std::fmt;

use serde::Serialize;

use super::FieldPath;

/// Which rule a value broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rule {
    /// `min = N`.
    Min,
    /// `max = N`.
    Max,
    /// `min_len = N`.
    MinLen,
    /// `max_len = N`.
    MaxLen,
    /// `non_empty`.
    NonEmpty,
    /// `choices = [...]`.
    Choices,
    /// `pattern = "..."`.
    Pattern,
    /// `multiple_of = N`.
    MultipleOf,
    /// `unique`.
    Unique,
    /// `#[record(min_properties = N)]` on a struct.
    MinProperties,
    /// `#[record(max_properties = N)]` on a struct.
    MaxProperties,
    /// A custom check: `with = path::to::fn`, or a field type's own [`Validate::check`](super::Validate::check).
    Custom,
}

impl Rule {
    /// The rule's attribute name (`min_len`, `pattern`, ...; `custom` for custom checks).
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Min => "min",
            Rule::Max => "max",
            Rule::MinLen => "min_len",
            Rule::MaxLen => "max_len",
            Rule::NonEmpty => "non_empty",
            Rule::Choices => "choices",
            Rule::Pattern => "pattern",
            Rule::MultipleOf => "multiple_of",
            Rule::Unique => "unique",
            Rule::MinProperties => "min_properties",
            Rule::MaxProperties => "max_properties",
            Rule::Custom => "custom",
        }
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A failed check, before it is placed at a path: what a custom check (`with = ...`) or a
/// field type's [`Validate::check`](super::Validate::check) returns.
///
/// A `String` or `&str` converts into a [`Rule::Custom`] problem with that message.
///
/// ```
/// use kafka_model::validate::{Invalid, Rule};
///
/// let e: Invalid = "must be a weekday".into();
/// assert_eq!(e.rule, Rule::Custom);
/// let e = Invalid::new(Rule::Max, "must be at most 10").with_limit("10");
/// assert_eq!(e.limit.as_deref(), Some("10"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invalid {
    /// The rule broken.
    pub rule: Rule,
    /// The limit, as text (`"10"`, `["EUR", "USD"]`), if the rule has one.
    pub limit: Option<String>,
    /// What is expected, as a sentence fragment (`"must be at most 10"`).
    pub message: String,
}

impl Invalid {
    /// A problem with a rule and a message.
    pub fn new(rule: Rule, message: impl Into<String>) -> Self {
        Invalid {
            rule,
            limit: None,
            message: message.into(),
        }
    }

    /// A [`Rule::Custom`] problem.
    pub fn custom(message: impl Into<String>) -> Self {
        Invalid::new(Rule::Custom, message)
    }

    /// Sets the limit text.
    pub fn with_limit(mut self, limit: impl Into<String>) -> Self {
        self.limit = Some(limit.into());
        self
    }
}

impl From<String> for Invalid {
    fn from(message: String) -> Self {
        Invalid::custom(message)
    }
}

impl From<&str> for Invalid {
    fn from(message: &str) -> Self {
        Invalid::custom(message)
    }
}

/// One problem found by `validate()`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidationError {
    /// Where: `items[2].qty`, `attributes["color"]`; empty for the value itself.
    pub path: String,
    /// The rule broken.
    pub rule: Rule,
    /// The rule's limit as text, if it has one.
    pub limit: Option<String>,
    /// The offending value as text; `None` when redacted (`sensitive`) or not printable.
    pub value: Option<String>,
    /// The value was withheld because the field is `sensitive`.
    pub redacted: bool,
    /// What is expected (`"must be at least 1"`).
    pub message: String,
}

impl ValidationError {
    /// A problem at `path` with the offending value's text.
    pub fn new(path: &FieldPath<'_>, invalid: Invalid, value: Option<String>) -> Self {
        ValidationError {
            path: path.to_string(),
            rule: invalid.rule,
            limit: invalid.limit,
            value,
            redacted: false,
            message: invalid.message,
        }
    }

    /// Withholds the value (sensitive fields).
    pub fn redact(&mut self) {
        self.value = None;
        self.redacted = true;
    }
}

impl fmt::Display for ValidationError {
    /// `items[2].qty: must be at least 1, got 0 [min]`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() {
            "(value)"
        } else {
            &self.path
        };
        write!(f, "{path}: {}", self.message)?;
        if self.redacted {
            f.write_str(", got <redacted>")?;
        } else if let Some(v) = &self.value {
            write!(f, ", got {v}")?;
        }
        write!(f, " [{}]", self.rule)
    }
}

/// Every problem `validate()` found, in field order.
///
/// `Display` writes one line per error; `Serialize` writes `{"errors": [...]}` so a web handler
/// can return it as JSON.
///
/// ```
/// use kafka_model::validate::ValidationErrors;
/// use kafka_model::Record;
///
/// #[derive(Record, serde::Serialize, serde::Deserialize)]
/// struct Item {
///     #[record(min = 1, max = 99)]
///     qty: i32,
///     #[record(pattern = "^[A-Z]{3}-[0-9]+$")]
///     sku: String,
/// }
///
/// let errors: ValidationErrors = Item { qty: 0, sku: "x".into() }.validate().unwrap_err();
/// assert_eq!(errors.len(), 2);
/// assert_eq!(
///     errors.to_string(),
///     "qty: must be at least 1, got 0 [min]\n\
///      sku: must match the pattern ^[A-Z]{3}-[0-9]+$, got \"x\" [pattern]"
/// );
/// let json = serde_json::to_value(&errors).unwrap();
/// assert_eq!(json["errors"][0]["path"], "qty");
/// assert_eq!(json["errors"][0]["limit"], "1");
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, thiserror::Error)]
#[error("{}", list(errors))]
pub struct ValidationErrors {
    errors: Vec<ValidationError>,
}

fn list(errors: &[ValidationError]) -> String {
    let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
    lines.join("\n")
}

impl ValidationErrors {
    /// No errors yet.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds an error.
    pub fn push(&mut self, error: ValidationError) {
        self.errors.push(error);
    }

    /// Whether there are no errors.
    pub fn is_empty(&self) -> bool {
        self.errors.is_empty()
    }

    /// The number of errors.
    pub fn len(&self) -> usize {
        self.errors.len()
    }

    /// The errors, in the order found.
    pub fn errors(&self) -> &[ValidationError] {
        &self.errors
    }

    /// Iterates over the errors.
    pub fn iter(&self) -> std::slice::Iter<'_, ValidationError> {
        self.errors.iter()
    }

    /// The errors as a vector.
    pub fn into_vec(self) -> Vec<ValidationError> {
        self.errors
    }

    /// `Ok(())` when empty, else `Err(self)`.
    pub fn into_result(self) -> Result<(), ValidationErrors> {
        if self.errors.is_empty() {
            Ok(())
        } else {
            Err(self)
        }
    }

    /// Redacts the values of the errors from index `start` on.
    pub(crate) fn redact_from(&mut self, start: usize) {
        for e in self.errors.iter_mut().skip(start) {
            e.redact();
        }
    }
}

impl IntoIterator for ValidationErrors {
    type Item = ValidationError;
    type IntoIter = std::vec::IntoIter<ValidationError>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.into_iter()
    }
}

impl<'a> IntoIterator for &'a ValidationErrors {
    type Item = &'a ValidationError;
    type IntoIter = std::slice::Iter<'a, ValidationError>;
    fn into_iter(self) -> Self::IntoIter {
        self.errors.iter()
    }
}
