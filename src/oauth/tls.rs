//! Which server certificates gtx trusts, and what it says when it trusts none.
//!
//! The platform's roots (on Linux the system bundle, or `SSL_CERT_FILE`/`SSL_CERT_DIR`), plus
//! the environment's `ca_file`. A certificate listed in `ca_file` is also trusted as that exact
//! certificate whatever its CA flag, as `curl --cacert` trusts the `openssl req -x509` kind
//! (CA:TRUE, which WebPKI refuses as a server's own). Verification cannot be turned off
//! (docs/deployments.md says why). Refusals carry a [`Refusal`] that [`explain`] turns into a
//! sentence, and they are never retried: the same certificate comes back every time.

use crate::config::Environment;
use crate::error::{AppError, Result};
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::CryptoProvider;
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{CertificateError, DigitallySignedStruct, OtherError, SignatureScheme};
use std::sync::{Arc, OnceLock};

/// A `ca_file` larger than this is not a certificate bundle (the system's is ~200 KB).
const MAX_CA_FILE: u64 = 8 << 20;

/// The certificates trusted besides the platform's.
#[derive(Debug, Clone, Default)]
pub struct Trust {
    extra: Vec<CertificateDer<'static>>,
}

impl Trust {
    /// The environment's `ca_file` (already absolute: see `Config::parse`) on top of the
    /// platform's roots; a file that cannot be read or holds no certificate is a config error.
    pub fn for_env(env: &Environment) -> Result<Trust> {
        match &env.ca_file {
            Some(path) => Trust::from_file(std::path::Path::new(path)),
            None => Ok(Trust::default()),
        }
    }

    pub fn from_file(path: &std::path::Path) -> Result<Trust> {
        let bad = |why: String| {
            AppError::config(format!("ca_file {}: {why}", path.display()))
                .hint("ca_file must name a PEM file of certificates (-----BEGIN CERTIFICATE-----)")
        };
        let meta = std::fs::metadata(path).map_err(|e| bad(e.to_string()))?;
        // A device or FIFO reports size 0 and would be read forever (/dev/zero) or block.
        if !meta.is_file() {
            return Err(bad("not a regular file".into()));
        }
        let size = meta.len();
        if size > MAX_CA_FILE {
            return Err(bad(format!("{size} bytes is too large for certificates")));
        }
        let pem = std::fs::read(path).map_err(|e| bad(e.to_string()))?;
        let extra = CertificateDer::pem_slice_iter(&pem)
            .collect::<std::result::Result<Vec<_>, _>>()
            .map_err(|e| bad(format!("not PEM certificates ({e})")))?;
        if extra.is_empty() {
            return Err(bad("holds no certificate".into()));
        }
        for cert in &extra {
            webpki::anchor_from_trusted_cert(cert)
                .map_err(|e| bad(format!("a certificate in it does not parse ({e:?})")))?;
        }
        Ok(Trust { extra })
    }

    /// The TLS settings for reqwest: ring, TLS 1.2 and 1.3, this trust.
    pub(super) fn client_config(&self) -> Result<rustls::ClientConfig> {
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let verifier = Verifier {
            extra: self.extra.clone(),
            provider: provider.clone(),
            inner: OnceLock::new(),
        };
        let config = rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .map_err(|e| AppError::bug(format!("TLS settings: {e}")))?
            .dangerous()
            .with_custom_certificate_verifier(Arc::new(verifier))
            .with_no_client_auth();
        Ok(config)
    }
}

/// Why a server's certificate was refused, in terms a person acts on.
#[derive(Debug, Clone, PartialEq)]
pub enum Refusal {
    SelfSigned,
    /// Signed by an authority that is neither the platform's nor in `ca_file`.
    Untrusted,
    Expired {
        not_after: u64,
    },
    NotYetValid {
        not_before: u64,
    },
    /// Issued for other names (the DNS names it lists; empty when it lists none).
    WrongName {
        presented: Vec<String>,
    },
    /// A CA certificate that is not in `ca_file`, presented as a server's own.
    CaAsServer,
    /// The platform has no roots to check against (a container without ca-certificates).
    NoRoots,
    Other(String),
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{self:?}")
    }
}

impl std::error::Error for Refusal {}

/// The platform verifier, built on the first https handshake (an http-only run never reads
/// the system's bundle), with `ca_file` as extra roots.
#[derive(Debug)]
struct Verifier {
    extra: Vec<CertificateDer<'static>>,
    provider: Arc<CryptoProvider>,
    inner: OnceLock<std::result::Result<rustls_platform_verifier::Verifier, rustls::Error>>,
}

fn refused(why: Refusal) -> rustls::Error {
    rustls::Error::InvalidCertificate(CertificateError::Other(OtherError(Arc::new(why))))
}

impl Verifier {
    fn inner(&self) -> std::result::Result<&rustls_platform_verifier::Verifier, rustls::Error> {
        self.inner
            .get_or_init(|| {
                rustls_platform_verifier::Verifier::new_with_extra_roots(
                    self.extra.iter().cloned(),
                    self.provider.clone(),
                )
            })
            .as_ref()
            .map_err(|e| match e {
                rustls::Error::General(_) if self.extra.is_empty() => refused(Refusal::NoRoots),
                e => refused(Refusal::Other(e.to_string())),
            })
    }

    fn listed(&self, cert: &CertificateDer<'_>) -> bool {
        self.extra.iter().any(|c| c.as_ref() == cert.as_ref())
    }
}

impl ServerCertVerifier for Verifier {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        let outcome = self.inner()?.verify_server_cert(
            end_entity,
            intermediates,
            server_name,
            ocsp_response,
            now,
        );
        match outcome {
            Ok(v) => Ok(v),
            // WebPKI checks validity before the CA flag, so a listed certificate that got
            // this far is in date; only its names are left to check.
            Err(e)
                if is_webpki(&e, &webpki::Error::CaUsedAsEndEntity) && self.listed(end_entity) =>
            {
                let cert = webpki::EndEntityCert::try_from(end_entity)
                    .map_err(|e| refused(Refusal::Other(format!("{e:?}"))))?;
                cert.verify_is_valid_for_subject_name(server_name)
                    .map_err(|_| refused(wrong_name(&cert)))?;
                Ok(ServerCertVerified::assertion())
            }
            Err(e) => Err(refused(classify(&e, end_entity))),
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(
            message,
            cert,
            dss,
            &self.provider.signature_verification_algorithms,
        )
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}

fn is_webpki(e: &rustls::Error, want: &webpki::Error) -> bool {
    match e {
        rustls::Error::InvalidCertificate(CertificateError::Other(o)) => {
            let inner: &(dyn std::error::Error + 'static) = &*o.0;
            inner.downcast_ref::<webpki::Error>() == Some(want)
        }
        _ => false,
    }
}

fn wrong_name(cert: &webpki::EndEntityCert<'_>) -> Refusal {
    Refusal::WrongName {
        presented: cert.valid_dns_names().map(str::to_string).collect(),
    }
}

/// The verifier's error as a [`Refusal`], looking at the certificate where the error alone
/// cannot tell (self-signed or signed by an unknown authority).
fn classify(e: &rustls::Error, end_entity: &CertificateDer<'_>) -> Refusal {
    let cert = webpki::EndEntityCert::try_from(end_entity).ok();
    let self_signed = cert.as_ref().is_some_and(|c| c.issuer() == c.subject());
    let rustls::Error::InvalidCertificate(ce) = e else {
        return Refusal::Other(e.to_string());
    };
    match ce {
        CertificateError::UnknownIssuer if self_signed => Refusal::SelfSigned,
        CertificateError::UnknownIssuer => Refusal::Untrusted,
        CertificateError::ExpiredContext { not_after, .. } => Refusal::Expired {
            not_after: not_after.as_secs(),
        },
        CertificateError::NotValidYetContext { not_before, .. } => Refusal::NotYetValid {
            not_before: not_before.as_secs(),
        },
        CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. } => {
            match &cert {
                Some(c) => wrong_name(c),
                None => Refusal::WrongName {
                    presented: Vec::new(),
                },
            }
        }
        _ if is_webpki(e, &webpki::Error::CaUsedAsEndEntity) && self_signed => Refusal::SelfSigned,
        _ if is_webpki(e, &webpki::Error::CaUsedAsEndEntity) => Refusal::CaAsServer,
        other => Refusal::Other(format!("{other:?}")),
    }
}

/// The refusal inside a failed request's error chain, if a certificate was what failed.
pub fn refusal_in(e: &(dyn std::error::Error + 'static)) -> Option<Refusal> {
    if let Some(rustls::Error::InvalidCertificate(ce)) = e.downcast_ref::<rustls::Error>() {
        return Some(match ce {
            CertificateError::Other(o) => {
                let inner: &(dyn std::error::Error + 'static) = &*o.0;
                inner
                    .downcast_ref::<Refusal>()
                    .cloned()
                    .unwrap_or_else(|| Refusal::Other(format!("{ce:?}")))
            }
            other => Refusal::Other(format!("{other:?}")),
        });
    }
    // io::Error's source() skips the error it wraps (which may be another io::Error).
    let wrapped = e
        .downcast_ref::<std::io::Error>()
        .and_then(|io| io.get_ref())
        .and_then(|inner| refusal_in(inner));
    wrapped.or_else(|| e.source().and_then(refusal_in))
}

/// The sentence and hints for a refused certificate of `host`: exit 6, never retried.
pub fn explain(refusal: &Refusal, host: &str) -> AppError {
    use crate::fix::{EnvFix, Hint};
    let trust_hint = Hint::Fix(EnvFix::TrustCa.into());
    let (message, hint) = match refusal {
        Refusal::SelfSigned => (
            format!("the certificate of {host} is self-signed, and not trusted"),
            trust_hint.clone(),
        ),
        Refusal::Untrusted => (
            format!(
                "the certificate of {host} is not trusted: it is signed by an authority that is \
                 neither the system's nor in ca_file"
            ),
            trust_hint.clone(),
        ),
        Refusal::CaAsServer => (
            format!("the certificate of {host} is a CA certificate, not trusted as a server's"),
            trust_hint.clone(),
        ),
        Refusal::NoRoots => (
            format!("no certificate authorities on this system to check {host} against"),
            Hint::Text(
                "install the system's CA certificates (ca-certificates), or name a bundle in \
                 SSL_CERT_FILE or the environment's ca_file"
                    .to_string(),
            ),
        ),
        Refusal::Expired { not_after } => (
            format!(
                "the certificate of {host} expired on {}",
                crate::time::rfc3339(*not_after as i64)
            ),
            Hint::Text(
                "the server's certificate must be renewed (or this machine's clock is wrong)"
                    .to_string(),
            ),
        ),
        Refusal::NotYetValid { not_before } => (
            format!(
                "the certificate of {host} is not valid before {}",
                crate::time::rfc3339(*not_before as i64)
            ),
            Hint::Text("check this machine's clock".to_string()),
        ),
        Refusal::WrongName { presented } => (
            match presented.is_empty() {
                true => format!("the certificate of {host} is not issued for {host}"),
                false => format!(
                    "the certificate of {host} is issued for {}, not {host}",
                    presented.join(", ")
                ),
            },
            Hint::Text(
                "use the host name the certificate names in the environment's URLs".to_string(),
            ),
        ),
        Refusal::Other(why) => (
            format!("the certificate of {host} was refused: {why}"),
            trust_hint.clone(),
        ),
    };
    let mut err = AppError::network(crate::sanitize::terminal(&message));
    err.hints.push(hint);
    err.with_cause(crate::error::Cause::CertificateRefused)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_device_or_fifo_is_not_read() {
        // /dev/zero would be read until memory runs out, a FIFO until a writer comes.
        let Err(err) = Trust::from_file(std::path::Path::new("/dev/null")) else {
            panic!("/dev/null accepted as ca_file");
        };
        assert!(err.to_string().contains("not a regular file"), "{err}");
    }

    #[test]
    fn a_file_without_certificates_is_refused() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("ca.pem");
        std::fs::write(&path, "not a certificate\n").expect("write");
        let e = Trust::from_file(&path).expect_err("no certificate");
        assert_eq!(e.exit_code(), 3);
        assert!(e.message.contains("holds no certificate"), "{}", e.message);
        let e = Trust::from_file(&dir.path().join("missing.pem")).expect_err("missing");
        assert!(e.message.contains("missing.pem"), "{}", e.message);
    }

    #[test]
    fn refusals_read_as_sentences() {
        let e = explain(
            &Refusal::WrongName {
                presented: vec!["a.example".into()],
            },
            "127.0.0.1",
        );
        assert_eq!(
            e.message,
            "the certificate of 127.0.0.1 is issued for a.example, not 127.0.0.1"
        );
        assert_eq!(e.exit_code(), 6);
        let e = explain(&Refusal::Expired { not_after: 0 }, "h");
        assert_eq!(
            e.message,
            "the certificate of h expired on 1970-01-01T00:00:00Z"
        );
        let e = explain(&Refusal::SelfSigned, "h");
        assert!(
            e.hint_lines()
                .iter()
                .any(|h| h.contains("ca_file") && h.contains("SSL_CERT_FILE"))
        );
    }
}
