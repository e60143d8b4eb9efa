//! The seven compatibility levels of Confluent Schema Registry: one type for the local checks
//! ([`check`](super::check)), the registry clients and the embedded registry.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use super::CompatError;

/// A Confluent Schema Registry compatibility level (Confluent's `CompatibilityLevel`).
///
/// Serialized under Confluent's names (`"BACKWARD_TRANSITIVE"`), as the registry's REST API
/// writes them; [`FromStr`] also takes lower case and `-` (`backward-transitive`).
///
/// ```
/// use kafka_model::compat::CompatibilityLevel;
/// let l: CompatibilityLevel = "backward_transitive".parse()?;
/// assert_eq!(l, CompatibilityLevel::BackwardTransitive);
/// assert!(l.is_transitive() && l.is_backward() && !l.is_forward());
/// assert_eq!(l.to_string(), "BACKWARD_TRANSITIVE");
/// assert_eq!(serde_json::to_string(&l)?, r#""BACKWARD_TRANSITIVE""#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CompatibilityLevel {
    /// No check.
    #[serde(rename = "NONE")]
    None,
    /// The new schema reads data written with the latest previous schema.
    #[serde(rename = "BACKWARD")]
    Backward,
    /// The new schema reads data written with every previous schema.
    #[serde(rename = "BACKWARD_TRANSITIVE")]
    BackwardTransitive,
    /// The latest previous schema reads data written with the new schema.
    #[serde(rename = "FORWARD")]
    Forward,
    /// Every previous schema reads data written with the new schema.
    #[serde(rename = "FORWARD_TRANSITIVE")]
    ForwardTransitive,
    /// Backward and forward, against the latest previous schema.
    #[serde(rename = "FULL")]
    Full,
    /// Backward and forward, against every previous schema.
    #[serde(rename = "FULL_TRANSITIVE")]
    FullTransitive,
}

impl CompatibilityLevel {
    /// All seven levels, in Confluent's documentation order.
    pub const ALL: [CompatibilityLevel; 7] = [
        CompatibilityLevel::None,
        CompatibilityLevel::Backward,
        CompatibilityLevel::BackwardTransitive,
        CompatibilityLevel::Forward,
        CompatibilityLevel::ForwardTransitive,
        CompatibilityLevel::Full,
        CompatibilityLevel::FullTransitive,
    ];

    /// Confluent's name (`BACKWARD_TRANSITIVE`).
    ///
    /// ```
    /// use kafka_model::compat::CompatibilityLevel;
    /// assert_eq!(CompatibilityLevel::FullTransitive.as_str(), "FULL_TRANSITIVE");
    /// ```
    pub fn as_str(self) -> &'static str {
        match self {
            CompatibilityLevel::None => "NONE",
            CompatibilityLevel::Backward => "BACKWARD",
            CompatibilityLevel::BackwardTransitive => "BACKWARD_TRANSITIVE",
            CompatibilityLevel::Forward => "FORWARD",
            CompatibilityLevel::ForwardTransitive => "FORWARD_TRANSITIVE",
            CompatibilityLevel::Full => "FULL",
            CompatibilityLevel::FullTransitive => "FULL_TRANSITIVE",
        }
    }

    /// Whether every previous schema is checked (otherwise only the latest one).
    pub fn is_transitive(self) -> bool {
        matches!(
            self,
            CompatibilityLevel::BackwardTransitive
                | CompatibilityLevel::ForwardTransitive
                | CompatibilityLevel::FullTransitive
        )
    }

    /// Whether the new schema must read the previous schemas' data.
    pub fn is_backward(self) -> bool {
        matches!(
            self,
            CompatibilityLevel::Backward
                | CompatibilityLevel::BackwardTransitive
                | CompatibilityLevel::Full
                | CompatibilityLevel::FullTransitive
        )
    }

    /// Whether the previous schemas must read the new schema's data.
    pub fn is_forward(self) -> bool {
        matches!(
            self,
            CompatibilityLevel::Forward
                | CompatibilityLevel::ForwardTransitive
                | CompatibilityLevel::Full
                | CompatibilityLevel::FullTransitive
        )
    }

    /// Indexes into `previous` (oldest first) that this level checks: none, the last one, or all.
    ///
    /// ```
    /// use kafka_model::compat::CompatibilityLevel as Level;
    /// assert_eq!(Level::Backward.checked_indexes(3), vec![2]);
    /// assert_eq!(Level::FullTransitive.checked_indexes(3), vec![0, 1, 2]);
    /// assert!(Level::None.checked_indexes(3).is_empty());
    /// assert!(Level::Backward.checked_indexes(0).is_empty());
    /// ```
    pub fn checked_indexes(self, previous_len: usize) -> Vec<usize> {
        if self == CompatibilityLevel::None || previous_len == 0 {
            Vec::new()
        } else if self.is_transitive() {
            (0..previous_len).collect()
        } else {
            vec![previous_len - 1]
        }
    }
}

impl fmt::Display for CompatibilityLevel {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for CompatibilityLevel {
    type Err = CompatError;

    /// Parses Confluent's names, case-insensitively, with `_` or `-`.
    ///
    /// ```
    /// use kafka_model::compat::CompatibilityLevel;
    /// assert_eq!("backward-transitive".parse::<CompatibilityLevel>()?, CompatibilityLevel::BackwardTransitive);
    /// assert_eq!("FULL".parse::<CompatibilityLevel>()?, CompatibilityLevel::Full);
    /// assert!("SIDEWAYS".parse::<CompatibilityLevel>().is_err());
    /// # Ok::<(), kafka_model::compat::CompatError>(())
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let norm = s.trim().to_ascii_uppercase().replace('-', "_");
        CompatibilityLevel::ALL
            .into_iter()
            .find(|l| l.as_str() == norm)
            .ok_or_else(|| CompatError::UnknownLevel(s.to_owned()))
    }
}
