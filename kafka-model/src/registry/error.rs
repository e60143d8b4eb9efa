//! The registry error type: one enum callers can match, with Confluent's error codes.

use std::sync::Arc;

/// A schema-registry operation failed.
///
/// API answers carry the server's own message; [`RegistryError::error_code`] gives the Confluent
/// error code back (`40401`, `42201`, …) and [`RegistryError::is_retriable`] says whether trying
/// again later may succeed.
///
/// ```
/// use kafka_model::registry::RegistryError;
///
/// let e = RegistryError::from_api(404, Some(40401), "Subject 'orders-value' not found.".into());
/// assert!(matches!(e, RegistryError::SubjectNotFound { .. }));
/// assert_eq!(e.error_code(), Some(40401));
/// assert!(!e.is_retriable());
/// // Servers before 7.9 answer "incompatible" with a plain 409; newer ones with 40901.
/// assert!(matches!(RegistryError::from_api(409, Some(409), "x".into()), RegistryError::Incompatible { .. }));
/// assert!(matches!(RegistryError::from_api(409, Some(40901), "x".into()), RegistryError::Incompatible { .. }));
/// assert!(RegistryError::from_api(503, None, "busy".into()).is_retriable());
/// ```
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum RegistryError {
    /// 40401: the subject does not exist.
    #[error("subject not found (40401): {message}")]
    SubjectNotFound {
        /// The server's message.
        message: String,
    },
    /// 40402: the version does not exist under the subject.
    #[error("version not found (40402): {message}")]
    VersionNotFound {
        /// The server's message.
        message: String,
    },
    /// 40403: no schema has this id (or the schema is not registered under the subject).
    #[error("schema not found (40403): {message}")]
    SchemaNotFound {
        /// The server's message.
        message: String,
    },
    /// 40404: the subject was soft-deleted.
    #[error("subject was soft-deleted (40404): {message}")]
    SubjectSoftDeleted {
        /// The server's message.
        message: String,
    },
    /// 40405: a permanent delete needs a soft delete first.
    #[error("subject was not soft-deleted first (40405): {message}")]
    SubjectNotSoftDeleted {
        /// The server's message.
        message: String,
    },
    /// 40406: the version was soft-deleted.
    #[error("version was soft-deleted (40406): {message}")]
    VersionSoftDeleted {
        /// The server's message.
        message: String,
    },
    /// 40407: a permanent version delete needs a soft delete first.
    #[error("version was not soft-deleted first (40407): {message}")]
    VersionNotSoftDeleted {
        /// The server's message.
        message: String,
    },
    /// 40408: the subject has no compatibility level of its own.
    #[error("subject compatibility level not configured (40408): {message}")]
    SubjectConfigNotFound {
        /// The server's message.
        message: String,
    },
    /// 40409: the subject has no mode of its own.
    #[error("subject mode not configured (40409): {message}")]
    SubjectModeNotFound {
        /// The server's message.
        message: String,
    },
    /// HTTP 409 (error code 409 before Confluent 8.0.5, 40901 since): the schema breaks the
    /// subject's compatibility level.
    #[error("schema is incompatible (409): {message}")]
    Incompatible {
        /// The server's message.
        message: String,
    },
    /// 42201: the schema (or its type, or its references) is invalid.
    #[error("invalid schema (42201): {message}")]
    InvalidSchema {
        /// The server's message.
        message: String,
    },
    /// 42202: the version is not a valid version number.
    #[error("invalid version (42202): {message}")]
    InvalidVersion {
        /// The server's message.
        message: String,
    },
    /// 42203: unknown compatibility level.
    #[error("invalid compatibility level (42203): {message}")]
    InvalidCompatibilityLevel {
        /// The server's message.
        message: String,
    },
    /// 42204: unknown mode.
    #[error("invalid mode (42204): {message}")]
    InvalidMode {
        /// The server's message.
        message: String,
    },
    /// 42205: the operation is not permitted (for example a write in READONLY mode).
    #[error("operation not permitted (42205): {message}")]
    OperationNotPermitted {
        /// The server's message.
        message: String,
    },
    /// 42206: other schemas still reference this one.
    #[error("schema is still referenced (42206): {message}")]
    ReferenceExists {
        /// The server's message.
        message: String,
    },
    /// HTTP 401 or 403: the credentials were refused (never retried).
    #[error("not authorized (HTTP {status}): {message}")]
    Unauthorized {
        /// 401 or 403.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// Any other error answer of the server.
    #[error("registry error (HTTP {status}, code {error_code}): {message}")]
    Api {
        /// The HTTP status.
        status: u16,
        /// The `error_code` of the body, or the HTTP status when the body had none.
        error_code: i32,
        /// The server's message.
        message: String,
    },
    /// The request did not get an answer: connection refused or reset, or timed out.
    #[error("{request} failed: {message}")]
    Transport {
        /// Method and URL of the request.
        request: String,
        /// What went wrong.
        message: String,
        /// Whether it was a timeout.
        timeout: bool,
        /// The underlying error.
        #[source]
        source: Option<Arc<dyn std::error::Error + Send + Sync>>,
    },
    /// The server answered with a body that is not what the API documents.
    #[error("{request}: unexpected response body: {message}")]
    InvalidResponse {
        /// Method and URL of the request.
        request: String,
        /// What is wrong with the body.
        message: String,
    },
    /// HTTP 404 or 405 without a Confluent error code (or with the bare status as its code):
    /// the server has no such endpoint, so this registry does not support the operation.
    #[error("not supported by this registry: {request} answered HTTP {status} ({message})")]
    NotSupportedByRegistry {
        /// Method and URL of the request (empty until the transport names it).
        request: String,
        /// 404 or 405.
        status: u16,
        /// The server's message.
        message: String,
    },
    /// The answer's body is larger than the client reads (`max_response_bytes` of the client's
    /// builder): refused from its declared length, or abandoned once past the limit.
    #[error("{request}: the answer's body is larger than the limit of {limit} bytes{}", declared_text(.declared))]
    ResponseTooLarge {
        /// Method and URL of the request.
        request: String,
        /// The limit, in bytes.
        limit: usize,
        /// The length the server declared (`Content-Length`), when it declared one.
        declared: Option<u64>,
    },
    /// This registry implementation does not offer the operation.
    #[error("{registry} does not support {operation}")]
    Unsupported {
        /// The registry kind.
        registry: &'static str,
        /// The operation asked for.
        operation: &'static str,
    },
    /// The client or registry is misconfigured (bad URL, bad certificate, …).
    #[error("registry configuration: {message}")]
    Config {
        /// What is wrong.
        message: String,
    },
}

impl RegistryError {
    /// Builds the typed error for an HTTP error answer: `status` and the body's `error_code`
    /// (when it had one) and `message`.
    pub fn from_api(status: u16, error_code: Option<i32>, message: String) -> RegistryError {
        if status == 409 {
            // 409 on servers <= 7.9, 40901 on newer ones; other 409xx codes are associations.
            if matches!(error_code, None | Some(409) | Some(40901)) {
                return RegistryError::Incompatible { message };
            }
        }
        if status == 401 || status == 403 {
            return RegistryError::Unauthorized { status, message };
        }
        match error_code {
            Some(40401) => RegistryError::SubjectNotFound { message },
            Some(40402) => RegistryError::VersionNotFound { message },
            Some(40403) => RegistryError::SchemaNotFound { message },
            Some(40404) => RegistryError::SubjectSoftDeleted { message },
            Some(40405) => RegistryError::SubjectNotSoftDeleted { message },
            Some(40406) => RegistryError::VersionSoftDeleted { message },
            Some(40407) => RegistryError::VersionNotSoftDeleted { message },
            Some(40408) => RegistryError::SubjectConfigNotFound { message },
            Some(40409) => RegistryError::SubjectModeNotFound { message },
            Some(42201) => RegistryError::InvalidSchema { message },
            Some(42202) => RegistryError::InvalidVersion { message },
            Some(42203) => RegistryError::InvalidCompatibilityLevel { message },
            Some(42204) => RegistryError::InvalidMode { message },
            Some(42205) => RegistryError::OperationNotPermitted { message },
            Some(42206) => RegistryError::ReferenceExists { message },
            code => RegistryError::Api {
                status,
                error_code: code.unwrap_or(i32::from(status)),
                message,
            },
        }
    }

    /// The Confluent error code of an API answer (`None` for transport and local errors).
    pub fn error_code(&self) -> Option<i32> {
        Some(match self {
            RegistryError::SubjectNotFound { .. } => 40401,
            RegistryError::VersionNotFound { .. } => 40402,
            RegistryError::SchemaNotFound { .. } => 40403,
            RegistryError::SubjectSoftDeleted { .. } => 40404,
            RegistryError::SubjectNotSoftDeleted { .. } => 40405,
            RegistryError::VersionSoftDeleted { .. } => 40406,
            RegistryError::VersionNotSoftDeleted { .. } => 40407,
            RegistryError::SubjectConfigNotFound { .. } => 40408,
            RegistryError::SubjectModeNotFound { .. } => 40409,
            RegistryError::Incompatible { .. } => 40901,
            RegistryError::InvalidSchema { .. } => 42201,
            RegistryError::InvalidVersion { .. } => 42202,
            RegistryError::InvalidCompatibilityLevel { .. } => 42203,
            RegistryError::InvalidMode { .. } => 42204,
            RegistryError::OperationNotPermitted { .. } => 42205,
            RegistryError::ReferenceExists { .. } => 42206,
            RegistryError::Unauthorized { status, .. } => i32::from(*status),
            RegistryError::Api { error_code, .. } => *error_code,
            RegistryError::Transport { .. }
            | RegistryError::InvalidResponse { .. }
            | RegistryError::ResponseTooLarge { .. }
            | RegistryError::Unsupported { .. }
            | RegistryError::NotSupportedByRegistry { .. }
            | RegistryError::Config { .. } => return None,
        })
    }

    /// The HTTP status this error is (or would be) answered with.
    pub fn http_status(&self) -> u16 {
        match self {
            RegistryError::Incompatible { .. } => 409,
            RegistryError::Unauthorized { status, .. }
            | RegistryError::Api { status, .. }
            | RegistryError::NotSupportedByRegistry { status, .. } => *status,
            RegistryError::Transport { .. }
            | RegistryError::InvalidResponse { .. }
            | RegistryError::ResponseTooLarge { .. } => 502,
            RegistryError::Config { .. } => 500,
            RegistryError::Unsupported { .. } => 501,
            other => match other.error_code() {
                Some(code) if (40400..40500).contains(&code) => 404,
                Some(code) if (42200..42300).contains(&code) => 422,
                _ => 500,
            },
        }
    }

    /// The server's message (or, for local errors, the description).
    pub fn message(&self) -> String {
        match self {
            RegistryError::SubjectNotFound { message }
            | RegistryError::VersionNotFound { message }
            | RegistryError::SchemaNotFound { message }
            | RegistryError::SubjectSoftDeleted { message }
            | RegistryError::SubjectNotSoftDeleted { message }
            | RegistryError::VersionSoftDeleted { message }
            | RegistryError::VersionNotSoftDeleted { message }
            | RegistryError::SubjectConfigNotFound { message }
            | RegistryError::SubjectModeNotFound { message }
            | RegistryError::Incompatible { message }
            | RegistryError::InvalidSchema { message }
            | RegistryError::InvalidVersion { message }
            | RegistryError::InvalidCompatibilityLevel { message }
            | RegistryError::InvalidMode { message }
            | RegistryError::OperationNotPermitted { message }
            | RegistryError::ReferenceExists { message }
            | RegistryError::Unauthorized { message, .. }
            | RegistryError::Api { message, .. }
            | RegistryError::Config { message } => message.clone(),
            other => other.to_string(),
        }
    }

    /// Whether the same request may succeed later: transport errors and HTTP 408, 429 and 5xx.
    /// Other 4xx answers never are.
    pub fn is_retriable(&self) -> bool {
        match self {
            RegistryError::Transport { .. } => true,
            RegistryError::Api { status, .. } => is_retriable_status(*status),
            _ => false,
        }
    }

    /// Names the request of a [`RegistryError::NotSupportedByRegistry`] (other errors are
    /// answered unchanged).
    #[cfg(feature = "http")]
    pub(crate) fn for_request(self, request: &str) -> RegistryError {
        match self {
            RegistryError::NotSupportedByRegistry {
                status, message, ..
            } => RegistryError::NotSupportedByRegistry {
                request: request.to_owned(),
                status,
                message,
            },
            other => other,
        }
    }

    /// Whether this error says the thing asked for does not exist (any 404 error code).
    pub fn is_not_found(&self) -> bool {
        matches!(self.error_code(), Some(code) if (40400..40500).contains(&code))
    }
}

fn declared_text(declared: &Option<u64>) -> String {
    match declared {
        Some(n) => format!(" (declared: {n} bytes)"),
        None => String::new(),
    }
}

/// HTTP statuses worth retrying: 408, 429 and 5xx (Confluent's Java and Python clients retry
/// 408, 429, 500, 502, 503, 504).
pub(crate) fn is_retriable_status(status: u16) -> bool {
    status == 408 || status == 429 || (500..600).contains(&status)
}
