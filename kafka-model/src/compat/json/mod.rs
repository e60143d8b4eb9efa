//! JSON Schema compatibility: Confluent's json-schema-provider schema diff.
//!
//! Each schema is read the way Confluent's loader reads it (a `type` list becomes `anyOf`, an
//! object with keywords of several kinds becomes an `allOf` of one schema per kind, `$ref`s to
//! `#/...` are followed), then the two are compared node by node. Every difference is listed as a
//! [`Difference`] (`OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL #/properties/bar`), in the order
//! Confluent's `SchemaDiff.compare` lists them; the differences whose [`ChangeType`] is not
//! [compatible](ChangeType::is_compatible) make the change incompatible. The rules, briefly:
//!
//! * **content models.** An object is *open* when `additionalProperties` is absent or `true`
//!   (and there are no `patternProperties`), *closed* when it is `false`, and *partially open*
//!   when it is a schema or `patternProperties` are present. Adding a property to an open
//!   original narrows what it accepted (old data may hold that name with another type), so it
//!   is incompatible; adding an optional property to a closed one is compatible; removing a
//!   property is compatible from an open update and incompatible from a closed one; in a
//!   partially open model the property's schema must fit the schema the model gives it.
//!   Arrays' `items` lists (tuples) follow the same rules with `additionalItems`.
//! * **types and bounds.** `integer` → `number` widens, the reverse narrows, any other change
//!   of type breaks, except to `true`/`{}`. Relaxing a bound (`maxLength` up, `minimum` down,
//!   `pattern` removed, `multipleOf` to a divisor, ...) is compatible, tightening is not. Enum
//!   values may only be added; a property may stop being `required`, not start (without a
//!   `default`).
//! * **combined schemas.** `oneOf`/`anyOf` may gain branches, `allOf` may lose them; branches
//!   are paired one to one (a maximum matching over compatible pairs). A plain schema may become
//!   a `oneOf`/`anyOf` that has a compatible branch; `not` compares its schemas the other way
//!   round.
//! * **drafts.** The root `$schema` picks draft 4 (`id`, boolean `exclusiveMaximum`), 6, 7
//!   (the default), 2019-09 or 2020-12 (`prefixItems`, `$defs`, `dependentRequired`,
//!   `unevaluatedProperties`).
//!
//! BACKWARD is `diff(previous, new)`; FORWARD is `diff(new, previous)`.
//!
//! ```
//! use kafka_model::compat::json::diff;
//!
//! let v1 = r#"{"type":"object","properties":{"id":{"type":"string"}},"additionalProperties":false}"#;
//! let v2 = r#"{"type":"object","properties":{"id":{"type":"string"},"note":{"type":"string"}},
//!             "additionalProperties":false}"#;
//! let changes = diff(v1, v2)?;
//! assert_eq!(changes[0].to_string(), "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL #/properties/note");
//! assert!(changes[0].change.is_compatible());
//! # Ok::<(), kafka_model::compat::CompatError>(())
//! ```

mod diff;
mod meta;
mod model;

use std::fmt;

use serde_json::Value;

use super::{
    CompatError, CompatReport, CompatibilityLevel, Direction, Incompatibility, IncompatibilityKind,
    SchemaRole,
};

/// Which of Confluent's two sets of compatible changes applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Policy {
    /// Confluent's default (`COMPATIBLE_CHANGES_STRICT`).
    #[default]
    Strict,
    /// `COMPATIBLE_CHANGES_LENIENT`: also lets an open content model gain optional properties
    /// and a closed one lose properties.
    Lenient,
}

macro_rules! change_types {
    ($($variant:ident = $name:literal, $strict:literal, $lenient:literal;)*) => {
        /// A kind of difference between two JSON Schemas: Confluent's `Difference.Type`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        #[allow(missing_docs)] // The names are Confluent's; the module doc explains the rules.
        pub enum ChangeType {
            $($variant,)*
        }

        impl ChangeType {
            /// Confluent's name (`TYPE_CHANGED`).
            pub fn as_str(self) -> &'static str {
                match self {
                    $(ChangeType::$variant => $name,)*
                }
            }

            /// Whether Confluent's policy counts this difference as compatible.
            pub fn is_compatible_under(self, policy: Policy) -> bool {
                match (self, policy) {
                    $((ChangeType::$variant, Policy::Strict) => $strict,
                      (ChangeType::$variant, Policy::Lenient) => $lenient,)*
                }
            }
        }
    };
}

change_types! {
IdChanged = "ID_CHANGED", true, true;
DescriptionChanged = "DESCRIPTION_CHANGED", true, true;
TitleChanged = "TITLE_CHANGED", true, true;
DefaultChanged = "DEFAULT_CHANGED", true, true;
SchemaAdded = "SCHEMA_ADDED", false, false;
SchemaRemoved = "SCHEMA_REMOVED", true, true;
TypeExtended = "TYPE_EXTENDED", true, true;
TypeNarrowed = "TYPE_NARROWED", false, false;
TypeChanged = "TYPE_CHANGED", false, false;
MaxLengthAdded = "MAX_LENGTH_ADDED", false, false;
MaxLengthRemoved = "MAX_LENGTH_REMOVED", true, true;
MaxLengthIncreased = "MAX_LENGTH_INCREASED", true, true;
MaxLengthDecreased = "MAX_LENGTH_DECREASED", false, false;
MinLengthAdded = "MIN_LENGTH_ADDED", false, false;
MinLengthRemoved = "MIN_LENGTH_REMOVED", true, true;
MinLengthIncreased = "MIN_LENGTH_INCREASED", false, false;
MinLengthDecreased = "MIN_LENGTH_DECREASED", true, true;
PatternAdded = "PATTERN_ADDED", false, false;
PatternRemoved = "PATTERN_REMOVED", true, true;
PatternChanged = "PATTERN_CHANGED", false, false;
MaximumAdded = "MAXIMUM_ADDED", false, false;
MaximumRemoved = "MAXIMUM_REMOVED", true, true;
MaximumIncreased = "MAXIMUM_INCREASED", true, true;
MaximumDecreased = "MAXIMUM_DECREASED", false, false;
MinimumAdded = "MINIMUM_ADDED", false, false;
MinimumRemoved = "MINIMUM_REMOVED", true, true;
MinimumIncreased = "MINIMUM_INCREASED", false, false;
MinimumDecreased = "MINIMUM_DECREASED", true, true;
ExclusiveMaximumAdded = "EXCLUSIVE_MAXIMUM_ADDED", false, false;
ExclusiveMaximumRemoved = "EXCLUSIVE_MAXIMUM_REMOVED", true, true;
ExclusiveMaximumIncreased = "EXCLUSIVE_MAXIMUM_INCREASED", true, true;
ExclusiveMaximumDecreased = "EXCLUSIVE_MAXIMUM_DECREASED", false, false;
ExclusiveMinimumAdded = "EXCLUSIVE_MINIMUM_ADDED", false, false;
ExclusiveMinimumRemoved = "EXCLUSIVE_MINIMUM_REMOVED", true, true;
ExclusiveMinimumIncreased = "EXCLUSIVE_MINIMUM_INCREASED", false, false;
ExclusiveMinimumDecreased = "EXCLUSIVE_MINIMUM_DECREASED", true, true;
MultipleOfAdded = "MULTIPLE_OF_ADDED", false, false;
MultipleOfRemoved = "MULTIPLE_OF_REMOVED", true, true;
MultipleOfExpanded = "MULTIPLE_OF_EXPANDED", false, false;
MultipleOfReduced = "MULTIPLE_OF_REDUCED", true, true;
MultipleOfChanged = "MULTIPLE_OF_CHANGED", false, false;
RequiredAttributeAdded = "REQUIRED_ATTRIBUTE_ADDED", false, false;
RequiredAttributeWithDefaultAdded = "REQUIRED_ATTRIBUTE_WITH_DEFAULT_ADDED", true, true;
RequiredAttributeRemoved = "REQUIRED_ATTRIBUTE_REMOVED", true, true;
MaxPropertiesAdded = "MAX_PROPERTIES_ADDED", false, false;
MaxPropertiesRemoved = "MAX_PROPERTIES_REMOVED", true, true;
MaxPropertiesIncreased = "MAX_PROPERTIES_INCREASED", true, true;
MaxPropertiesDecreased = "MAX_PROPERTIES_DECREASED", false, false;
MinPropertiesAdded = "MIN_PROPERTIES_ADDED", false, false;
MinPropertiesRemoved = "MIN_PROPERTIES_REMOVED", true, true;
MinPropertiesIncreased = "MIN_PROPERTIES_INCREASED", false, false;
MinPropertiesDecreased = "MIN_PROPERTIES_DECREASED", true, true;
AdditionalPropertiesAdded = "ADDITIONAL_PROPERTIES_ADDED", true, true;
AdditionalPropertiesRemoved = "ADDITIONAL_PROPERTIES_REMOVED", false, true;
AdditionalPropertiesExtended = "ADDITIONAL_PROPERTIES_EXTENDED", true, true;
AdditionalPropertiesNarrowed = "ADDITIONAL_PROPERTIES_NARROWED", false, true;
DependencyArrayAdded = "DEPENDENCY_ARRAY_ADDED", false, false;
DependencyArrayRemoved = "DEPENDENCY_ARRAY_REMOVED", true, true;
DependencyArrayExtended = "DEPENDENCY_ARRAY_EXTENDED", false, false;
DependencyArrayNarrowed = "DEPENDENCY_ARRAY_NARROWED", true, true;
DependencyArrayChanged = "DEPENDENCY_ARRAY_CHANGED", false, false;
DependencySchemaAdded = "DEPENDENCY_SCHEMA_ADDED", false, false;
DependencySchemaRemoved = "DEPENDENCY_SCHEMA_REMOVED", true, true;
RequiredPropertyAddedToOpenContentModel = "REQUIRED_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", false, false;
RequiredPropertyWithDefaultAddedToOpenContentModel = "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_OPEN_CONTENT_MODEL", false, true;
OptionalPropertyAddedToOpenContentModel = "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL", false, true;
PropertyWithEmptySchemaAddedToOpenContentModel = "PROPERTY_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", true, true;
RequiredPropertyAddedToUnopenContentModel = "REQUIRED_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", false, false;
RequiredPropertyWithDefaultAddedToUnopenContentModel = "REQUIRED_PROPERTY_WITH_DEFAULT_ADDED_TO_UNOPEN_CONTENT_MODEL", true, true;
OptionalPropertyAddedToUnopenContentModel = "OPTIONAL_PROPERTY_ADDED_TO_UNOPEN_CONTENT_MODEL", true, true;
PropertyRemovedFromOpenContentModel = "PROPERTY_REMOVED_FROM_OPEN_CONTENT_MODEL", true, true;
PropertyWithFalseRemovedFromClosedContentModel = "PROPERTY_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", true, true;
PropertyRemovedFromClosedContentModel = "PROPERTY_REMOVED_FROM_CLOSED_CONTENT_MODEL", false, true;
PropertyRemovedIsCoveredByPartiallyOpenContentModel = "PROPERTY_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true, true;
PropertyRemovedNotCoveredByPartiallyOpenContentModel = "PROPERTY_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", false, true;
PropertyAddedIsCoveredByPartiallyOpenContentModel = "PROPERTY_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true, true;
PropertyAddedNotCoveredByPartiallyOpenContentModel = "PROPERTY_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", false, true;
ReservedPropertyRemoved = "RESERVED_PROPERTY_REMOVED", false, false;
ReservedPropertyConflictsWithProperty = "RESERVED_PROPERTY_CONFLICTS_WITH_PROPERTY", false, false;
UnevaluatedPropertiesAdded = "UNEVALUATED_PROPERTIES_ADDED", true, true;
UnevaluatedPropertiesRemoved = "UNEVALUATED_PROPERTIES_REMOVED", false, true;
UnevaluatedPropertiesExtended = "UNEVALUATED_PROPERTIES_EXTENDED", true, true;
UnevaluatedPropertiesNarrowed = "UNEVALUATED_PROPERTIES_NARROWED", false, true;
MaxItemsAdded = "MAX_ITEMS_ADDED", false, false;
MaxItemsRemoved = "MAX_ITEMS_REMOVED", true, true;
MaxItemsIncreased = "MAX_ITEMS_INCREASED", true, true;
MaxItemsDecreased = "MAX_ITEMS_DECREASED", false, false;
MinItemsAdded = "MIN_ITEMS_ADDED", false, false;
MinItemsRemoved = "MIN_ITEMS_REMOVED", true, true;
MinItemsIncreased = "MIN_ITEMS_INCREASED", false, false;
MinItemsDecreased = "MIN_ITEMS_DECREASED", true, true;
MaxContainsAdded = "MAX_CONTAINS_ADDED", false, false;
MaxContainsRemoved = "MAX_CONTAINS_REMOVED", true, true;
MaxContainsIncreased = "MAX_CONTAINS_INCREASED", true, true;
MaxContainsDecreased = "MAX_CONTAINS_DECREASED", false, false;
MinContainsAdded = "MIN_CONTAINS_ADDED", false, false;
MinContainsRemoved = "MIN_CONTAINS_REMOVED", true, true;
MinContainsIncreased = "MIN_CONTAINS_INCREASED", false, false;
MinContainsDecreased = "MIN_CONTAINS_DECREASED", true, true;
UniqueItemsAdded = "UNIQUE_ITEMS_ADDED", false, false;
UniqueItemsRemoved = "UNIQUE_ITEMS_REMOVED", true, true;
AdditionalItemsAdded = "ADDITIONAL_ITEMS_ADDED", true, true;
AdditionalItemsRemoved = "ADDITIONAL_ITEMS_REMOVED", false, false;
AdditionalItemsExtended = "ADDITIONAL_ITEMS_EXTENDED", true, true;
AdditionalItemsNarrowed = "ADDITIONAL_ITEMS_NARROWED", false, false;
UnevaluatedItemsAdded = "UNEVALUATED_ITEMS_ADDED", true, true;
UnevaluatedItemsRemoved = "UNEVALUATED_ITEMS_REMOVED", false, false;
UnevaluatedItemsExtended = "UNEVALUATED_ITEMS_EXTENDED", true, true;
UnevaluatedItemsNarrowed = "UNEVALUATED_ITEMS_NARROWED", false, false;
ItemAddedToOpenContentModel = "ITEM_ADDED_TO_OPEN_CONTENT_MODEL", false, false;
ItemWithEmptySchemaAddedToOpenContentModel = "ITEM_WITH_EMPTY_SCHEMA_ADDED_TO_OPEN_CONTENT_MODEL", true, true;
ItemAddedToClosedContentModel = "ITEM_ADDED_TO_CLOSED_CONTENT_MODEL", true, true;
ItemRemovedFromOpenContentModel = "ITEM_REMOVED_FROM_OPEN_CONTENT_MODEL", true, true;
ItemWithFalseRemovedFromClosedContentModel = "ITEM_WITH_FALSE_REMOVED_FROM_CLOSED_CONTENT_MODEL", true, true;
ItemRemovedFromClosedContentModel = "ITEM_REMOVED_FROM_CLOSED_CONTENT_MODEL", false, false;
ItemRemovedIsCoveredByPartiallyOpenContentModel = "ITEM_REMOVED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true, true;
ItemRemovedNotCoveredByPartiallyOpenContentModel = "ITEM_REMOVED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", false, false;
ItemAddedIsCoveredByPartiallyOpenContentModel = "ITEM_ADDED_IS_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", true, true;
ItemAddedNotCoveredByPartiallyOpenContentModel = "ITEM_ADDED_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL", false, false;
EnumArrayExtended = "ENUM_ARRAY_EXTENDED", true, true;
EnumArrayNarrowed = "ENUM_ARRAY_NARROWED", false, false;
EnumArrayChanged = "ENUM_ARRAY_CHANGED", false, false;
CombinedTypeExtended = "COMBINED_TYPE_EXTENDED", true, true;
CombinedTypeChanged = "COMBINED_TYPE_CHANGED", false, false;
ProductTypeExtended = "PRODUCT_TYPE_EXTENDED", false, false;
ProductTypeNarrowed = "PRODUCT_TYPE_NARROWED", true, true;
SumTypeExtended = "SUM_TYPE_EXTENDED", true, true;
SumTypeNarrowed = "SUM_TYPE_NARROWED", false, false;
CombinedTypeSubschemasChanged = "COMBINED_TYPE_SUBSCHEMAS_CHANGED", false, false;
NotTypeExtended = "NOT_TYPE_EXTENDED", false, false;
NotTypeNarrowed = "NOT_TYPE_NARROWED", true, true;}

impl ChangeType {
    /// Whether Confluent's default (strict) policy counts this difference as compatible.
    ///
    /// ```
    /// use kafka_model::compat::json::ChangeType;
    /// assert!(ChangeType::OptionalPropertyAddedToUnopenContentModel.is_compatible());
    /// assert!(!ChangeType::OptionalPropertyAddedToOpenContentModel.is_compatible());
    /// ```
    pub fn is_compatible(self) -> bool {
        self.is_compatible_under(Policy::Strict)
    }
}

impl fmt::Display for ChangeType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One difference between an original and an updated JSON Schema.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Difference {
    /// What changed.
    pub change: ChangeType,
    /// Where, as a JSON pointer into the original schema as Confluent writes it
    /// (`#/properties/foo/maxLength`, `#/` for the root).
    pub path: String,
}

impl fmt::Display for Difference {
    /// Confluent's form: `TYPE_CHANGED #/properties/foo`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.change, self.path)
    }
}

fn parse(text: &str, role: SchemaRole) -> Result<Value, CompatError> {
    serde_json::from_str(text).map_err(|e| CompatError::InvalidJsonSchema {
        role,
        reason: e.to_string(),
    })
}

/// Checks a JSON Schema document (text) against the meta-schema of the draft its `$schema`
/// names (draft 7 when it names none), and that it can be compared (its `$ref`s resolve inside
/// it). This is what a registry checks before it stores a schema.
///
/// # Errors
///
/// [`CompatError::InvalidJsonSchema`] (role [`SchemaRole::Schema`]) naming what is wrong.
///
/// ```
/// use kafka_model::compat::json::validate_schema;
/// assert!(validate_schema(r#"{"type":"object","properties":{"a":{"type":"string"}}}"#).is_ok());
/// let err = validate_schema(r#"{"type":12}"#).unwrap_err();
/// assert!(err.to_string().starts_with("schema: invalid JSON Schema"), "{err}");
/// # Ok::<(), kafka_model::compat::CompatError>(())
/// ```
pub fn validate_schema(text: &str) -> Result<(), CompatError> {
    let value = validate_meta_schema(text)?;
    load(&mut model::Arena::default(), &value, SchemaRole::Schema)?;
    Ok(())
}

/// The meta-schema half of [`validate_schema`], for a schema whose `$ref`s name other
/// documents (registry references); answers the parsed document.
///
/// # Errors
///
/// [`CompatError::InvalidJsonSchema`] (role [`SchemaRole::Schema`]) naming what is wrong.
pub fn validate_meta_schema(text: &str) -> Result<Value, CompatError> {
    let role = SchemaRole::Schema;
    let value = parse(text, role)?;
    meta::validate(&value).map_err(|reason| CompatError::InvalidJsonSchema { role, reason })?;
    Ok(value)
}

/// Every difference from `original` to `update` (JSON Schema documents as text), under
/// Confluent's default policy, in Confluent's order.
///
/// # Errors
///
/// [`CompatError::InvalidJsonSchema`] when a schema is not JSON, is not a schema (an object or a
/// boolean) or has a `$ref` that does not resolve inside it (role [`SchemaRole::Previous`]`(0)`
/// for `original`, [`SchemaRole::New`] for `update`).
///
/// ```
/// use kafka_model::compat::json::diff;
/// let found: Vec<String> = diff(r#"{"type":"integer"}"#, r#"{"type":"number"}"#)?
///     .iter().map(ToString::to_string).collect();
/// assert_eq!(found, ["TYPE_EXTENDED #/"]);
/// # Ok::<(), kafka_model::compat::CompatError>(())
/// ```
pub fn diff(original: &str, update: &str) -> Result<Vec<Difference>, CompatError> {
    diff_values(
        &parse(original, SchemaRole::Previous(0))?,
        &parse(update, SchemaRole::New)?,
        Policy::Strict,
    )
}

/// Rewrites every `oneOf` whose branches each say one `"type": T`, all `T` disjoint (or that
/// has one branch), as an `anyOf` of the same branches (see [`branches_are_disjoint`]): no
/// value has two JSON types, so no value matches two branches and both accept exactly the same
/// values; but Confluent's diff (like its loader) reads
/// `"type": [T, "null"]` as an `anyOf` (each type with the keywords that apply to it) and
/// compares `oneOf` and `anyOf` as different combinations. With it, the derive's `Option<T>`
/// (`{"oneOf": [{"type": "null"}, T]}`) compares equal to `{"type": [T, "null"]}`.
///
/// ```
/// use kafka_model::compat::json::{diff, one_of_distinct_types_as_any_of};
///
/// let ours = r#"{"oneOf": [{"type": "null"}, {"type": "string", "format": "date"}]}"#;
/// let theirs = r#"{"type": ["string", "null"], "format": "date"}"#;
/// assert!(!diff(ours, theirs)?.is_empty());
/// let mut value: serde_json::Value = serde_json::from_str(ours).unwrap();
/// one_of_distinct_types_as_any_of(&mut value);
/// assert!(diff(&value.to_string(), theirs)?.is_empty());
/// # Ok::<(), kafka_model::compat::CompatError>(())
/// ```
pub fn one_of_distinct_types_as_any_of(value: &mut Value) {
    match value {
        Value::Object(map) => {
            // (A `$ref` makes draft 7 ignore its siblings, `type` too; an integer is also a
            // number.)
            let disjoint = map
                .get("oneOf")
                .and_then(Value::as_array)
                .is_some_and(|branches| {
                    branches_are_disjoint(branches.iter().map(|b| {
                        b.get("$ref")
                            .is_none()
                            .then(|| b.get("type")?.as_str())
                            .flatten()
                    }))
                });
            if disjoint {
                if let Some(branches) = map.remove("oneOf") {
                    map.insert("anyOf".into(), branches);
                }
            }
            map.values_mut().for_each(one_of_distinct_types_as_any_of);
        }
        Value::Array(items) => items.iter_mut().for_each(one_of_distinct_types_as_any_of),
        _ => {}
    }
}

/// Whether `oneOf` branches whose single `type`s are these (`None`: a branch without one
/// string `type`, or a `$ref`, which makes draft 7 ignore its `type`) accept disjoint sets of
/// values, so that `oneOf` and `anyOf` of them accept the same values: one branch alone, or
/// every branch with a type, no two alike, and not both `integer` and `number` (an integer is
/// also a number).
///
/// ```
/// use kafka_model::compat::json::branches_are_disjoint;
///
/// assert!(branches_are_disjoint([Some("string"), Some("null")]));
/// assert!(branches_are_disjoint([None]));
/// assert!(!branches_are_disjoint([Some("integer"), Some("number")]));
/// assert!(!branches_are_disjoint([Some("object"), None]));
/// ```
pub fn branches_are_disjoint<'a>(types: impl IntoIterator<Item = Option<&'a str>>) -> bool {
    let types: Vec<Option<&str>> = types.into_iter().collect();
    if types.len() == 1 {
        return true;
    }
    let mut seen: std::collections::BTreeSet<&str> = std::collections::BTreeSet::new();
    for t in types {
        match t {
            Some(t) if seen.insert(t) => {}
            _ => return false,
        }
    }
    !(seen.contains("integer") && seen.contains("number"))
}

/// [`diff`] over parsed documents, under `policy` (the policy decides which pairs of `oneOf`
/// branches match, so it can change the list, not only the verdict).
///
/// # Errors
///
/// As [`diff`].
pub fn diff_values(
    original: &Value,
    update: &Value,
    policy: Policy,
) -> Result<Vec<Difference>, CompatError> {
    let mut arena = model::Arena::default();
    let o = load(&mut arena, original, SchemaRole::Previous(0))?;
    let u = load(&mut arena, update, SchemaRole::New)?;
    Ok(diff::compare_roots(&arena, policy, o, u))
}

fn load(arena: &mut model::Arena, value: &Value, role: SchemaRole) -> Result<usize, CompatError> {
    arena
        .load(value)
        .map_err(|e| CompatError::InvalidJsonSchema { role, reason: e.0 })
}

/// Checks a JSON Schema against previous ones at a Confluent level (see [`super::check`]):
/// BACKWARD fails on breaking differences from a previous schema to the new one, FORWARD on
/// breaking differences from the new one to a previous one.
///
/// # Errors
///
/// [`CompatError::InvalidJsonSchema`] when the new schema or a checked previous schema cannot be
/// read.
///
/// ```
/// use kafka_model::compat::{json::check, CompatibilityLevel};
/// let v1 = r#"{"type":"object","properties":{"a":{"type":"string"}}}"#;
/// let v2 = r#"{"type":"object","properties":{"a":{"type":"string"},"b":{"type":"string"}}}"#;
/// // Open content model: old data may already hold `b`, with any type.
/// let report = check(CompatibilityLevel::Backward, v2, &[v1])?;
/// assert_eq!(report.issues[0].to_string(),
///     "OPTIONAL_PROPERTY_ADDED_TO_OPEN_CONTENT_MODEL at #/properties/b (backward against previous schema #1): \
///      the original schema has an open content model; the update adds a property or item there");
/// # Ok::<(), kafka_model::compat::CompatError>(())
/// ```
pub fn check(
    level: CompatibilityLevel,
    new: &str,
    previous: &[&str],
) -> Result<CompatReport, CompatError> {
    let new_value = parse(new, SchemaRole::New)?;
    let mut arena = model::Arena::default();
    let new_root = load(&mut arena, &new_value, SchemaRole::New)?;
    let mut issues = Vec::new();
    for i in level.checked_indexes(previous.len()) {
        let Some(text) = previous.get(i) else {
            continue;
        };
        let role = SchemaRole::Previous(i);
        let prev_root = load(&mut arena, &parse(text, role)?, role)?;
        let mut push = |diffs: Vec<Difference>, direction| {
            issues.extend(
                diffs
                    .into_iter()
                    .filter(|d| !d.change.is_compatible())
                    .map(|d| Incompatibility {
                        message: explain(d.change),
                        path: d.path,
                        kind: IncompatibilityKind::Json(d.change),
                        previous: i,
                        direction,
                    }),
            );
        };
        if level.is_backward() {
            push(
                diff::compare_roots(&arena, Policy::Strict, prev_root, new_root),
                Direction::Backward,
            );
        }
        if level.is_forward() {
            push(
                diff::compare_roots(&arena, Policy::Strict, new_root, prev_root),
                Direction::Forward,
            );
        }
    }
    Ok(CompatReport::from_issues(issues))
}

/// A sentence for a breaking difference (after Confluent's own messages).
fn explain(change: ChangeType) -> String {
    let name = change.as_str();
    let text = if name.ends_with("_ADDED_TO_OPEN_CONTENT_MODEL") {
        "the original schema has an open content model; the update adds a property or item there"
    } else if name.starts_with("REQUIRED_PROPERTY_ADDED") {
        "the update requires a property the original did not have"
    } else if name.ends_with("_REMOVED_FROM_CLOSED_CONTENT_MODEL") {
        "the update has a closed content model and lacks a property or item of the original"
    } else if name.ends_with("_NOT_COVERED_BY_PARTIALLY_OPEN_CONTENT_MODEL") {
        "the property or item does not fit the partially open content model's schema"
    } else if name.ends_with("_ADDED") {
        "the update adds a keyword that restricts values"
    } else if name.ends_with("_DECREASED")
        || name.ends_with("_INCREASED")
        || name.ends_with("_EXPANDED")
    {
        "the update restricts the accepted values further"
    } else if name.ends_with("_REMOVED") {
        "the update removes something the original allowed"
    } else if name.ends_with("_NARROWED") {
        "the update accepts fewer values or branches"
    } else if name.ends_with("_EXTENDED") {
        "the update adds branches that all must match"
    } else {
        "the type or value differs between the original and the update"
    };
    text.to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn changes(o: &str, u: &str) -> Vec<String> {
        diff(o, u)
            .expect("diff")
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    #[test]
    fn refs_are_followed_and_cycles_end() {
        let o = r##"{"$ref":"#/definitions/n","definitions":{"n":{"type":"object",
            "properties":{"next":{"$ref":"#/definitions/n"},"v":{"type":"string"}}}}}"##;
        let u = r##"{"$ref":"#/$defs/n","$defs":{"n":{"type":"object",
            "properties":{"next":{"$ref":"#/$defs/n"},"v":{"type":"integer"}}}}}"##;
        assert_eq!(changes(o, o), Vec::<String>::new());
        // The change is met again through the cycle; like Confluent's fixpoint, it is reported
        // there too rather than assumed compatible.
        assert_eq!(
            changes(o, u),
            [
                "TYPE_CHANGED #/properties/next/properties/v",
                "TYPE_CHANGED #/properties/v"
            ]
        );
    }

    #[test]
    fn prefix_items_are_a_tuple_in_2020_12() {
        let o = r#"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array",
            "prefixItems":[{"type":"string"}],"items":false}"#;
        let u = r#"{"$schema":"https://json-schema.org/draft/2020-12/schema","type":"array",
            "prefixItems":[{"type":"string"},{"type":"integer"}],"items":false}"#;
        assert_eq!(
            changes(o, u),
            ["ITEM_ADDED_TO_CLOSED_CONTENT_MODEL #/items/1"]
        );
    }

    #[test]
    fn boolean_items_open_or_close_the_array_in_2020_12() {
        // Confluent's diff-schema-examples-2020-12.json, "Detect removed boolean additional items".
        let o = r#"{"$schema":"https://json-schema.org/draft/2020-12/schema","items":true}"#;
        let u = r#"{"$schema":"https://json-schema.org/draft/2020-12/schema","items":false}"#;
        assert_eq!(
            changes(o, u),
            ["ADDITIONAL_ITEMS_REMOVED #/additionalItems"]
        );
    }

    #[test]
    fn draft4_exclusive_maximum_is_a_flag() {
        let o = r#"{"$schema":"http://json-schema.org/draft-04/schema#","type":"number",
            "maximum":5,"exclusiveMaximum":true}"#;
        let u =
            r#"{"$schema":"http://json-schema.org/draft-04/schema#","type":"number","maximum":6}"#;
        assert_eq!(changes(o, u), ["MAXIMUM_INCREASED #/maximum"]);
    }

    #[test]
    fn multiple_of_compares_exact_decimals() {
        assert_eq!(
            changes(
                r#"{"type":"number","multipleOf":0.5}"#,
                r#"{"type":"number","multipleOf":10}"#
            ),
            ["MULTIPLE_OF_EXPANDED #/multipleOf"]
        );
        assert!(changes(
            r#"{"type":"number","multipleOf":0.5}"#,
            r#"{"type":"number","multipleOf":0.50}"#
        )
        .is_empty());
    }

    #[test]
    fn bad_schemas_are_errors() {
        let err = diff(r#"{"type":12}"#, "{}").unwrap_err();
        assert!(
            err.to_string()
                .starts_with("previous schema #1: invalid JSON Schema"),
            "{err}"
        );
        let err = diff("{}", r##"{"$ref":"#/definitions/missing"}"##).unwrap_err();
        assert!(err.to_string().contains("unresolved $ref"), "{err}");
        assert!(diff("{}", "[1]").is_err());
    }

    #[test]
    fn forward_is_the_reverse_diff() {
        let v1 = r#"{"type":"string","maxLength":5}"#;
        let v2 = r#"{"type":"string","maxLength":10}"#;
        assert!(
            check(CompatibilityLevel::Backward, v2, &[v1])
                .expect("ok")
                .compatible
        );
        let fwd = check(CompatibilityLevel::Forward, v2, &[v1]).expect("ok");
        assert_eq!(fwd.issues.len(), 1);
        assert_eq!(fwd.issues[0].kind.to_string(), "MAX_LENGTH_DECREASED");
        assert_eq!(fwd.issues[0].direction, Direction::Forward);
    }
}
