//! The HTTP core shared by the registry clients: auth, retries with jittered exponential
//! backoff, fail-over across base URLs, per-attempt timeouts and a total deadline, a cap on
//! answer bodies, and error mapping.
//!
//! Defaults follow Confluent's clients: an attempt gets [`DEFAULT_TIMEOUT`] (10 s, the Go
//! client's `RequestTimeoutMs`), a whole call — every attempt, fail-over and backoff wait —
//! [`DEFAULT_DEADLINE`] (30 s: what the Go client's defaults, 3 attempts of 10 s, add up to
//! against a registry that never answers).

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, ACCEPT, CONTENT_TYPE, RETRY_AFTER};
use reqwest::{Method, Url};

use super::error::is_retriable_status;
use super::RegistryError;

/// Credentials sent with every request. `Debug` never shows the secret.
///
/// ```
/// use kafka_model::registry::Auth;
/// let auth = Auth::basic("svc", "hunter2");
/// assert!(!format!("{auth:?}").contains("hunter2"));
/// assert!(!format!("{:?}", Auth::bearer("tok-123")).contains("tok-123"));
/// ```
#[derive(Clone, Default)]
#[non_exhaustive]
pub enum Auth {
    /// No credentials.
    #[default]
    None,
    /// HTTP basic auth (Confluent's `basic.auth.user.info`).
    Basic {
        /// The user name.
        username: String,
        /// The password (never printed).
        password: String,
    },
    /// `Authorization: Bearer <token>`.
    Bearer {
        /// The token (never printed).
        token: String,
    },
}

impl Auth {
    /// Basic auth.
    pub fn basic(username: impl Into<String>, password: impl Into<String>) -> Self {
        Auth::Basic {
            username: username.into(),
            password: password.into(),
        }
    }

    /// Bearer auth.
    pub fn bearer(token: impl Into<String>) -> Self {
        Auth::Bearer {
            token: token.into(),
        }
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Auth::None => f.write_str("None"),
            Auth::Basic { username, .. } => f
                .debug_struct("Basic")
                .field("username", username)
                .field("password", &"<redacted>")
                .finish(),
            Auth::Bearer { .. } => f
                .debug_struct("Bearer")
                .field("token", &"<redacted>")
                .finish(),
        }
    }
}

/// When and how often a failed request is tried again.
///
/// Retried: connection errors and timeouts, HTTP 408, 429 and 5xx; never other 4xx. The wait
/// before retry `n` (0-based) is a uniformly random duration in
/// `[0, min(initial_backoff * 2^n, max_backoff)]` ("full jitter"); a `Retry-After` header in
/// seconds is honoured, capped by `max_backoff`.
///
/// ```
/// use std::time::Duration;
/// use kafka_model::registry::RetryPolicy;
/// let p = RetryPolicy::default();
/// assert_eq!(p.max_retries, 3);
/// let none = RetryPolicy::none();
/// assert_eq!(none.max_retries, 0);
/// let fast = RetryPolicy { max_retries: 2, initial_backoff: Duration::from_millis(10), max_backoff: Duration::from_millis(50) };
/// assert!(fast.backoff(5) <= Duration::from_millis(50));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Retries after the first attempt (Confluent's `max.retries`, default 3).
    pub max_retries: u32,
    /// Base wait (Confluent's `retries.wait.ms`, default 1 s).
    pub initial_backoff: Duration,
    /// Longest wait (Confluent's `retries.max.wait.ms`, default 20 s).
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        RetryPolicy {
            max_retries: 3,
            initial_backoff: Duration::from_secs(1),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// No retries.
    pub fn none() -> Self {
        RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        }
    }

    /// The jittered wait before retry `attempt` (0-based).
    pub fn backoff(&self, attempt: u32) -> Duration {
        let exp = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.min(30)));
        let cap = exp.min(self.max_backoff);
        cap.mul_f64(fastrand::f64())
    }
}

/// Timeout of one request attempt by default (confluent-kafka-go's `RequestTimeoutMs`).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(10);

/// Bound on a whole call by default: attempts, fail-over and waits included.
pub const DEFAULT_DEADLINE: Duration = Duration::from_secs(30);

/// Largest answer body read by default (8 MiB). Schemas are kilobytes; the largest ordinary
/// answers (a subject list of tens of thousands of names) stay well below.
pub const DEFAULT_MAX_RESPONSE_BYTES: usize = 8 << 20;

/// A URL (or a comma-separated list of URLs) with any `user:password@` replaced by
/// `<redacted>@`, for `Debug` output and logs. Works on text that does not parse as a URL too.
///
/// ```
/// use kafka_model::registry::redact_url;
/// assert_eq!(redact_url("http://svc:Pa55@host:8081/x"), "http://<redacted>@host:8081/x");
/// assert_eq!(redact_url("http://a:1@h1,https://h2"), "http://<redacted>@h1,https://h2");
/// assert_eq!(redact_url("u:p@host"), "<redacted>@host");
/// assert_eq!(redact_url("http://host:8081"), "http://host:8081");
/// ```
pub fn redact_url(text: &str) -> String {
    text.split(',')
        .map(|part| {
            let start = part.find("://").map_or(0, |i| i + 3);
            let authority_len = part[start..]
                .find(['/', '?', '#'])
                .unwrap_or(part.len() - start);
            match part[start..start + authority_len].rfind('@') {
                Some(at) => format!("{}<redacted>{}", &part[..start], &part[start + at..]),
                None => part.to_string(),
            }
        })
        .collect::<Vec<_>>()
        .join(",")
}

/// A request body.
pub(crate) enum Body<'a> {
    None,
    Json(Vec<u8>),
    Raw {
        content_type: &'a str,
        bytes: Vec<u8>,
    },
}

/// What a successful request answered.
pub(crate) struct Answer {
    pub body: Vec<u8>,
}

/// Turns an error answer (status, body) into a typed error.
pub(crate) type ErrorMapper = fn(u16, &[u8]) -> RegistryError;

/// The HTTP core. Cheap to clone.
#[derive(Clone)]
pub(crate) struct Transport {
    client: reqwest::Client,
    base_urls: Arc<Vec<Url>>,
    /// The base URL that answered last: requests start there.
    current: Arc<AtomicUsize>,
    auth: Auth,
    retry: RetryPolicy,
    deadline: Duration,
    max_response_bytes: usize,
    headers: HeaderMap,
    accept: &'static str,
    json_content_type: &'static str,
    map_error: ErrorMapper,
}

impl fmt::Debug for Transport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Transport")
            .field(
                "base_urls",
                &self.base_urls.iter().map(Url::as_str).collect::<Vec<_>>(),
            )
            .field("auth", &self.auth)
            .field("retry", &self.retry)
            .field("deadline", &self.deadline)
            .field("max_response_bytes", &self.max_response_bytes)
            .field("extra_headers", &self.headers.keys().collect::<Vec<_>>())
            .finish_non_exhaustive()
    }
}

/// Settings shared by the clients' builders.
#[derive(Clone)]
pub(crate) struct TransportConfig {
    pub urls: Vec<String>,
    pub auth: Auth,
    pub retry: RetryPolicy,
    pub timeout: Duration,
    pub connect_timeout: Duration,
    pub deadline: Duration,
    pub max_response_bytes: usize,
    pub headers: Vec<(String, String)>,
    pub root_certificates_pem: Vec<Vec<u8>>,
    pub identity_pem: Option<Vec<u8>>,
}

impl Default for TransportConfig {
    fn default() -> Self {
        TransportConfig {
            urls: Vec::new(),
            auth: Auth::None,
            retry: RetryPolicy::default(),
            timeout: DEFAULT_TIMEOUT,
            connect_timeout: Duration::from_secs(10),
            deadline: DEFAULT_DEADLINE,
            max_response_bytes: DEFAULT_MAX_RESPONSE_BYTES,
            headers: Vec::new(),
            root_certificates_pem: Vec::new(),
            identity_pem: None,
        }
    }
}

impl fmt::Debug for TransportConfig {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let urls: Vec<String> = self.urls.iter().map(|u| redact_url(u)).collect();
        f.debug_struct("TransportConfig")
            .field("urls", &urls)
            .field("auth", &self.auth)
            .field("retry", &self.retry)
            .field("timeout", &self.timeout)
            .field("deadline", &self.deadline)
            .field("max_response_bytes", &self.max_response_bytes)
            .finish_non_exhaustive()
    }
}

fn config_error(message: String) -> RegistryError {
    RegistryError::Config { message }
}

impl Transport {
    pub(crate) fn new(
        mut config: TransportConfig,
        accept: &'static str,
        json_content_type: &'static str,
        map_error: ErrorMapper,
    ) -> Result<Transport, RegistryError> {
        if config.urls.is_empty() {
            return Err(config_error("no registry URL given".into()));
        }
        let mut base_urls = Vec::new();
        for raw in config.urls.iter().flat_map(|u| u.split(',')) {
            let raw = raw.trim();
            if raw.is_empty() {
                continue;
            }
            let mut url = Url::parse(raw).map_err(|e| {
                // Never echo the URL: it may carry user:password.
                config_error(format!("invalid registry URL: {e}"))
            })?;
            if !url.username().is_empty() {
                // Credentials in the URL become basic auth, and leave the URL.
                if matches!(config.auth, Auth::None) {
                    let user = percent_encoding::percent_decode_str(url.username())
                        .decode_utf8_lossy()
                        .into_owned();
                    let pass = percent_encoding::percent_decode_str(url.password().unwrap_or(""))
                        .decode_utf8_lossy()
                        .into_owned();
                    config.auth = Auth::basic(user, pass);
                }
                let _ = url.set_username("");
                let _ = url.set_password(None);
            }
            if !url.path().ends_with('/') {
                let path = format!("{}/", url.path());
                url.set_path(&path);
            }
            base_urls.push(url);
        }
        if base_urls.is_empty() {
            return Err(config_error("no registry URL given".into()));
        }
        let mut headers = HeaderMap::new();
        for (k, v) in &config.headers {
            let name = HeaderName::from_bytes(k.as_bytes())
                .map_err(|e| config_error(format!("invalid header name `{k}`: {e}")))?;
            let mut value = HeaderValue::from_str(v)
                .map_err(|e| config_error(format!("invalid value for header `{k}`: {e}")))?;
            value.set_sensitive(true);
            headers.insert(name, value);
        }
        #[allow(unused_mut)]
        let mut builder = reqwest::Client::builder()
            .timeout(config.timeout)
            .connect_timeout(config.connect_timeout);
        #[cfg(feature = "rustls")]
        {
            builder = builder.use_rustls_tls();
            for pem in &config.root_certificates_pem {
                // Parsed here (reqwest would parse at build time and silently skip a PEM
                // holding no certificate); a bundle of several CAs is accepted.
                let certs = reqwest::Certificate::from_pem_bundle(pem)
                    .map_err(|e| config_error(format!("invalid CA certificate: {e}")))?;
                if certs.is_empty() {
                    return Err(config_error(
                        "invalid CA certificate: no PEM certificate found".into(),
                    ));
                }
                for cert in certs {
                    builder = builder.add_root_certificate(cert);
                }
            }
            if let Some(pem) = &config.identity_pem {
                let id = reqwest::Identity::from_pem(pem)
                    .map_err(|e| config_error(format!("invalid client certificate or key: {e}")))?;
                builder = builder.identity(id);
            }
        }
        #[cfg(not(feature = "rustls"))]
        if !config.root_certificates_pem.is_empty()
            || config.identity_pem.is_some()
            || base_urls.iter().any(|u| u.scheme() == "https")
        {
            return Err(config_error(
                "TLS needs the `rustls` feature of kafka-model".into(),
            ));
        }
        let client = builder
            .build()
            .map_err(|e| config_error(format!("cannot build the HTTP client: {e}")))?;
        Ok(Transport {
            client,
            base_urls: Arc::new(base_urls),
            current: Arc::new(AtomicUsize::new(0)),
            auth: config.auth,
            retry: config.retry,
            deadline: config.deadline,
            max_response_bytes: config.max_response_bytes,
            headers,
            accept,
            json_content_type,
            map_error,
        })
    }

    /// Sends `method path` (relative to a base URL, already percent-encoded) with retries and
    /// fail-over, within the total deadline; answers the body of a 2xx answer, or the typed
    /// error.
    pub(crate) async fn send(
        &self,
        method: Method,
        path: &str,
        body: Body<'_>,
    ) -> Result<Answer, RegistryError> {
        let attempts = AtomicUsize::new(0);
        match tokio::time::timeout(
            self.deadline,
            self.send_retrying(&method, path, body, &attempts),
        )
        .await
        {
            Ok(answer) => answer,
            Err(_) => {
                let attempts = attempts.load(Ordering::Relaxed);
                tracing::warn!(%method, path, attempts, deadline_ms = self.deadline.as_millis() as u64, "registry call reached its deadline");
                Err(RegistryError::Transport {
                    request: format!("{method} /{path}"),
                    message: format!(
                        "no answer within the call's deadline of {:?} ({attempts} attempts)",
                        self.deadline
                    ),
                    timeout: true,
                    source: None,
                })
            }
        }
    }

    async fn send_retrying(
        &self,
        method: &Method,
        path: &str,
        body: Body<'_>,
        attempts: &AtomicUsize,
    ) -> Result<Answer, RegistryError> {
        let n = self.base_urls.len();
        let mut attempt = 0u32;
        loop {
            let start = self.current.load(Ordering::Relaxed) % n;
            let mut last_error = None;
            let mut wait_hint = None;
            // Every base URL in turn, from the one that answered last: a connection failure or
            // a retriable status (408, 429, 5xx) moves on to the next (as confluent-kafka
            // does); a full round without an answer waits, then starts again.
            for offset in 0..n {
                let index = (start + offset) % n;
                let url = match self.base_urls[index].join(path) {
                    Ok(url) => url,
                    Err(e) => {
                        return Err(config_error(format!("invalid request path {path}: {e}")))
                    }
                };
                let request_name = format!("{method} {url}");
                let mut request = self
                    .client
                    .request(method.clone(), url)
                    .headers(self.headers.clone())
                    .header(ACCEPT, self.accept);
                request = match &self.auth {
                    Auth::None => request,
                    Auth::Basic { username, password } => {
                        request.basic_auth(username, Some(password))
                    }
                    Auth::Bearer { token } => request.bearer_auth(token),
                };
                request = match &body {
                    Body::None => request,
                    Body::Json(bytes) => request
                        .header(CONTENT_TYPE, self.json_content_type)
                        .body(bytes.clone()),
                    Body::Raw {
                        content_type,
                        bytes,
                    } => request
                        .header(CONTENT_TYPE, *content_type)
                        .body(bytes.clone()),
                };
                tracing::debug!(request = %request_name, attempt, "registry request");
                attempts.fetch_add(1, Ordering::Relaxed);
                let response = match request.send().await {
                    Ok(response) => response,
                    Err(e) => {
                        tracing::warn!(request = %request_name, attempt, error = %e, "registry request failed; trying the next URL");
                        last_error = Some(RegistryError::Transport {
                            request: request_name,
                            message: e.to_string(),
                            timeout: e.is_timeout(),
                            source: Some(Arc::new(e)),
                        });
                        continue;
                    }
                };
                let status = response.status();
                let retry_after = response
                    .headers()
                    .get(RETRY_AFTER)
                    .and_then(|v| v.to_str().ok())
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_secs);
                let bytes = match read_body(response, self.max_response_bytes, &request_name).await
                {
                    Ok(b) => b,
                    Err(e) if e.is_retriable() => {
                        tracing::warn!(request = %request_name, attempt, error = %e, "reading the answer failed; trying the next URL");
                        last_error = Some(e);
                        continue;
                    }
                    Err(e) => return Err(e),
                };
                if status.is_success() {
                    self.current.store(index, Ordering::Relaxed);
                    return Ok(Answer { body: bytes });
                }
                let error = (self.map_error)(status.as_u16(), &bytes).for_request(&request_name);
                tracing::debug!(request = %request_name, status = status.as_u16(), error = %error, "registry error answer");
                if !is_retriable_status(status.as_u16()) {
                    self.current.store(index, Ordering::Relaxed);
                    return Err(error);
                }
                tracing::warn!(request = %request_name, attempt, status = status.as_u16(), "retriable answer; trying the next URL");
                wait_hint = retry_after.or(wait_hint);
                last_error = Some(error);
            }
            let error = last_error.unwrap_or_else(|| config_error("no registry URL".into()));
            if attempt >= self.retry.max_retries {
                return Err(error);
            }
            let wait = match wait_hint {
                Some(hint) => hint.min(self.retry.max_backoff),
                None => self.retry.backoff(attempt),
            };
            tracing::info!(attempt, wait_ms = wait.as_millis() as u64, error = %error, "retrying registry request");
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }
}

/// Reads an answer's body, at most `limit` bytes: a declared `Content-Length` over the limit
/// is refused before reading, a body without one is read chunk by chunk and abandoned as soon
/// as it passes the limit.
async fn read_body(
    mut response: reqwest::Response,
    limit: usize,
    request: &str,
) -> Result<Vec<u8>, RegistryError> {
    let too_large = |declared| RegistryError::ResponseTooLarge {
        request: request.to_string(),
        limit,
        declared,
    };
    if let Some(declared) = response.content_length() {
        if declared > limit as u64 {
            return Err(too_large(Some(declared)));
        }
    }
    let capacity = response.content_length().map_or(0, |n| n as usize);
    let mut body = Vec::with_capacity(capacity);
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) => {
                if body.len() + chunk.len() > limit {
                    return Err(too_large(None));
                }
                body.extend_from_slice(&chunk);
            }
            Ok(None) => return Ok(body),
            Err(e) => {
                return Err(RegistryError::Transport {
                    request: request.to_string(),
                    message: format!("reading the response body: {e}"),
                    timeout: e.is_timeout(),
                    source: Some(Arc::new(e)),
                })
            }
        }
    }
}

/// Percent-encodes one path segment (subject names: `/` becomes `%2F`).
pub(crate) fn segment(s: &str) -> String {
    const SET: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
        .remove(b'-')
        .remove(b'_')
        .remove(b'.')
        .remove(b'~');
    percent_encoding::utf8_percent_encode(s, SET).to_string()
}

/// Parses a JSON answer, or says clearly what was wrong with it.
pub(crate) fn parse_json<T: serde::de::DeserializeOwned>(
    request: &str,
    body: &[u8],
) -> Result<T, RegistryError> {
    serde_json::from_slice(body).map_err(|e| RegistryError::InvalidResponse {
        request: request.to_string(),
        message: format!("{e} (body starts with {:?})", preview(body)),
    })
}

/// The first bytes of a body, for error messages.
pub(crate) fn preview(body: &[u8]) -> String {
    let text = String::from_utf8_lossy(&body[..body.len().min(200)]);
    text.into_owned()
}
