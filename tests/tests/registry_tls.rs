//! The registry client's TLS options (rustls) against a local TLS server on 127.0.0.1, with a CA
//! made at test time (rcgen): a custom CA is trusted, an unknown CA is refused, and a client
//! certificate is presented when configured (mTLS), while a server requiring one refuses a
//! client without it.
//!
//! The server is a minimal HTTP/1.1 responder over tokio-rustls: it answers every request with
//! `["AVRO"]` (the body of `GET /schemas/types`) and records whether the peer presented a
//! certificate.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use kafka_model::registry::{
    ConfluentRegistry, RegistryError, RetryPolicy, SchemaRegistry, SchemaType,
};
use rcgen::{
    BasicConstraints, CertificateParams, CertifiedIssuer, DnType, ExtendedKeyUsagePurpose, IsCa,
    KeyPair, KeyUsagePurpose,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_rustls::rustls;
use tokio_rustls::rustls::pki_types::{CertificateDer, PrivateKeyDer, PrivatePkcs8KeyDer};

/// A CA made for one test.
struct Ca {
    issuer: CertifiedIssuer<'static, KeyPair>,
}

impl Ca {
    fn new(name: &str) -> Ca {
        let mut params = CertificateParams::new(Vec::<String>::new()).expect("CA params");
        params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        params.distinguished_name.push(DnType::CommonName, name);
        params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::DigitalSignature,
            KeyUsagePurpose::CrlSign,
        ];
        let key = KeyPair::generate().expect("CA key");
        Ca {
            issuer: CertifiedIssuer::self_signed(params, key).expect("self-signed CA"),
        }
    }

    fn pem(&self) -> String {
        self.issuer.pem()
    }

    fn der(&self) -> CertificateDer<'static> {
        self.issuer.der().clone()
    }

    /// A leaf certificate and its key (PKCS#8), for a server (`127.0.0.1`) or a client.
    fn leaf(&self, name: &str, server: bool) -> (CertificateDer<'static>, String, KeyPair) {
        let sans = if server {
            vec!["127.0.0.1".to_string(), "localhost".to_string()]
        } else {
            Vec::new()
        };
        let mut params = CertificateParams::new(sans).expect("leaf params");
        params.distinguished_name.push(DnType::CommonName, name);
        params.extended_key_usages = vec![if server {
            ExtendedKeyUsagePurpose::ServerAuth
        } else {
            ExtendedKeyUsagePurpose::ClientAuth
        }];
        let key = KeyPair::generate().expect("leaf key");
        let cert = params.signed_by(&key, &self.issuer).expect("signed leaf");
        (cert.der().clone(), cert.pem(), key)
    }
}

struct TlsServer {
    url: String,
    /// Requests answered.
    served: Arc<AtomicUsize>,
    /// Requests whose peer presented a client certificate.
    with_client_cert: Arc<AtomicUsize>,
    /// Handshakes that failed.
    failed_handshakes: Arc<AtomicUsize>,
    task: tokio::task::JoinHandle<()>,
}

/// Starts a TLS server with a certificate from `ca`; with `client_ca`, it requires a client
/// certificate issued by that CA.
async fn tls_server(ca: &Ca, client_ca: Option<&Ca>) -> TlsServer {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let (cert, _, key) = ca.leaf("registry.test", true);
    let key = PrivateKeyDer::Pkcs8(PrivatePkcs8KeyDer::from(key.serialize_der()));
    let builder = rustls::ServerConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .expect("protocol versions");
    let builder = match client_ca {
        Some(client_ca) => {
            let mut roots = rustls::RootCertStore::empty();
            roots.add(client_ca.der()).expect("client CA");
            let verifier = rustls::server::WebPkiClientVerifier::builder_with_provider(
                Arc::new(roots),
                provider,
            )
            .build()
            .expect("client verifier");
            builder.with_client_cert_verifier(verifier)
        }
        None => builder.with_no_client_auth(),
    };
    let config = builder
        .with_single_cert(vec![cert], key)
        .expect("server certificate");
    let acceptor = tokio_rustls::TlsAcceptor::from(Arc::new(config));
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .expect("bind");
    let url = format!("https://{}", listener.local_addr().expect("addr"));
    let served = Arc::new(AtomicUsize::new(0));
    let with_client_cert = Arc::new(AtomicUsize::new(0));
    let failed_handshakes = Arc::new(AtomicUsize::new(0));
    let (s, c, f) = (
        served.clone(),
        with_client_cert.clone(),
        failed_handshakes.clone(),
    );
    let task = tokio::spawn(async move {
        while let Ok((tcp, _)) = listener.accept().await {
            let acceptor = acceptor.clone();
            let (s, c, f) = (s.clone(), c.clone(), f.clone());
            tokio::spawn(async move {
                let mut tls = match acceptor.accept(tcp).await {
                    Ok(tls) => tls,
                    Err(_) => {
                        f.fetch_add(1, Ordering::SeqCst);
                        return;
                    }
                };
                let mut request = Vec::new();
                let mut buf = [0u8; 4096];
                while !request.windows(4).any(|w| w == b"\r\n\r\n") && request.len() < 65536 {
                    match tls.read(&mut buf).await {
                        Ok(0) | Err(_) => return,
                        Ok(n) => request.extend_from_slice(&buf[..n]),
                    }
                }
                if tls
                    .get_ref()
                    .1
                    .peer_certificates()
                    .is_some_and(|certs| !certs.is_empty())
                {
                    c.fetch_add(1, Ordering::SeqCst);
                }
                s.fetch_add(1, Ordering::SeqCst);
                let body = r#"["AVRO"]"#;
                let response = format!(
                    "HTTP/1.1 200 OK\r\ncontent-type: application/vnd.schemaregistry.v1+json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                    body.len()
                );
                let _ = tls.write_all(response.as_bytes()).await;
                let _ = tls.shutdown().await;
            });
        }
    });
    TlsServer {
        url,
        served,
        with_client_cert,
        failed_handshakes,
        task,
    }
}

fn client(url: &str) -> kafka_model::registry::confluent::ConfluentRegistryBuilder {
    ConfluentRegistry::builder(url)
        .retry(RetryPolicy::none())
        .timeout(Duration::from_secs(5))
}

/// The error and its sources, as one line.
fn chain(err: &RegistryError) -> String {
    let mut text = err.to_string();
    let mut source = std::error::Error::source(err);
    while let Some(s) = source {
        text.push_str(" <- ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

#[tokio::test]
async fn a_custom_ca_is_trusted() {
    let ca = Ca::new("kafka-model test CA");
    let server = tls_server(&ca, None).await;
    let registry = client(&server.url)
        .add_root_certificate_pem(ca.pem())
        .build()
        .expect("client");
    assert_eq!(
        registry.schema_types().await.expect("over TLS"),
        vec![SchemaType::Avro]
    );
    assert_eq!(server.served.load(Ordering::SeqCst), 1);
    assert_eq!(server.with_client_cert.load(Ordering::SeqCst), 0);
    server.task.abort();
}

#[tokio::test]
async fn an_unknown_ca_is_refused() {
    let ca = Ca::new("the server's CA");
    let other = Ca::new("some other CA");
    let server = tls_server(&ca, None).await;

    // Trusting another CA, and trusting only the public roots: both refuse the server.
    for registry in [
        client(&server.url)
            .add_root_certificate_pem(other.pem())
            .build()
            .expect("client"),
        client(&server.url).build().expect("client"),
    ] {
        let err = registry.schema_types().await.expect_err("untrusted server");
        assert!(
            matches!(err, RegistryError::Transport { timeout: false, .. }),
            "{err:?}"
        );
        let text = chain(&err);
        assert!(
            text.to_lowercase().contains("certificate"),
            "the error says why: {text}"
        );
    }
    assert_eq!(
        server.served.load(Ordering::SeqCst),
        0,
        "nothing was served"
    );
    // The server notices the aborted handshakes shortly after the client gives up.
    for _ in 0..100 {
        if server.failed_handshakes.load(Ordering::SeqCst) == 2 {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    assert_eq!(server.failed_handshakes.load(Ordering::SeqCst), 2);
    server.task.abort();
}

#[tokio::test]
async fn a_client_certificate_is_presented_for_mtls() {
    let ca = Ca::new("server CA");
    let client_ca = Ca::new("client CA");
    let server = tls_server(&ca, Some(&client_ca)).await;
    let (_, cert_pem, key) = client_ca.leaf("svc-orders", false);
    let identity = format!("{cert_pem}\n{}", key.serialize_pem());

    let registry = client(&server.url)
        .add_root_certificate_pem(ca.pem())
        .identity_pem(identity.clone().into_bytes())
        .build()
        .expect("client with identity");
    assert_eq!(
        registry.schema_types().await.expect("mTLS"),
        vec![SchemaType::Avro]
    );
    assert_eq!(server.with_client_cert.load(Ordering::SeqCst), 1);
    // The key never shows in Debug.
    assert!(!format!("{registry:?}").contains("PRIVATE KEY"));

    // Without a certificate the server refuses the handshake.
    let anonymous = client(&server.url)
        .add_root_certificate_pem(ca.pem())
        .build()
        .expect("client");
    let err = anonymous.schema_types().await.expect_err("no client cert");
    assert!(matches!(err, RegistryError::Transport { .. }), "{err:?}");
    assert_eq!(server.served.load(Ordering::SeqCst), 1);

    // A client certificate from a CA the server does not trust is refused too.
    let stranger = Ca::new("stranger CA");
    let (_, cert_pem, key) = stranger.leaf("intruder", false);
    let intruder = client(&server.url)
        .add_root_certificate_pem(ca.pem())
        .identity_pem(format!("{cert_pem}\n{}", key.serialize_pem()).into_bytes())
        .build()
        .expect("client");
    assert!(intruder.schema_types().await.is_err());
    assert_eq!(server.served.load(Ordering::SeqCst), 1);
    server.task.abort();
}

#[test]
fn invalid_tls_material_is_a_config_error() {
    let err = ConfluentRegistry::builder("https://127.0.0.1:1")
        .add_root_certificate_pem("not a certificate")
        .build()
        .expect_err("bad CA");
    assert!(matches!(err, RegistryError::Config { .. }), "{err:?}");
    let err = ConfluentRegistry::builder("https://127.0.0.1:1")
        .identity_pem("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n")
        .build()
        .expect_err("bad identity");
    assert!(matches!(err, RegistryError::Config { .. }), "{err:?}");
    // The message never echoes the key material.
    assert!(!err.to_string().contains("AAAA"));
}
