//! TLS as libpq's `sslmode` asks for it, through rustls.

use std::path::Path;
use std::sync::Arc;

use rustls::client::WebPkiServerVerifier;
use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::crypto::{CryptoProvider, verify_tls12_signature, verify_tls13_signature};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, Error, RootCertStore, SignatureScheme};

use super::Tls;

/// The connector for a mode: `Prefer` and `Require` (without a root
/// certificate) encrypt without checking who answers, as libpq does;
/// `VerifyCa` checks the certificate's signature by the root, `VerifyFull`
/// its host name too.
pub(super) fn connector(
    mode: Tls,
    root: Option<&Path>,
) -> Result<tokio_postgres_rustls::MakeRustlsConnect, String> {
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let mode = match (mode, root) {
        (Tls::Require, Some(_)) => Tls::VerifyCa,
        (mode, _) => mode,
    };
    let verifier: Arc<dyn ServerCertVerifier> = match mode {
        Tls::VerifyCa | Tls::VerifyFull => {
            let Some(root) = root else {
                return Err(format!(
                    "sslmode={} needs a root certificate (sslrootcert=… or ~/.postgresql/root.crt)",
                    if mode == Tls::VerifyCa {
                        "verify-ca"
                    } else {
                        "verify-full"
                    }
                ));
            };
            let mut roots = RootCertStore::empty();
            let certs = CertificateDer::pem_file_iter(root)
                .map_err(|e| format!("{}: {e}", root.display()))?;
            for cert in certs {
                let cert = cert.map_err(|e| format!("{}: {e}", root.display()))?;
                roots
                    .add(cert)
                    .map_err(|e| format!("{}: {e}", root.display()))?;
            }
            let webpki =
                WebPkiServerVerifier::builder_with_provider(Arc::new(roots), provider.clone())
                    .build()
                    .map_err(|e| format!("{}: {e}", root.display()))?;
            if mode == Tls::VerifyFull {
                webpki
            } else {
                Arc::new(Lenient {
                    provider: provider.clone(),
                    chain: Some(webpki),
                })
            }
        }
        _ => Arc::new(Lenient {
            provider: provider.clone(),
            chain: None,
        }),
    };
    let config = rustls::ClientConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .dangerous()
        .with_custom_certificate_verifier(verifier)
        .with_no_client_auth();
    Ok(tokio_postgres_rustls::MakeRustlsConnect::new(config))
}

/// A certificate checked against the root (whatever host it names,
/// `verify-ca`), or not at all (libpq's `prefer`, `require`); the
/// handshake's signatures are checked either way.
#[derive(Debug)]
struct Lenient {
    provider: Arc<CryptoProvider>,
    chain: Option<Arc<WebPkiServerVerifier>>,
}

impl ServerCertVerifier for Lenient {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp: &[u8],
        now: UnixTime,
    ) -> Result<ServerCertVerified, Error> {
        let Some(chain) = &self.chain else {
            return Ok(ServerCertVerified::assertion());
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp, now) {
            Err(Error::InvalidCertificate(rustls::CertificateError::NotValidForName))
            | Err(Error::InvalidCertificate(rustls::CertificateError::NotValidForNameContext {
                ..
            })) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        verify_tls12_signature(message, cert, dss, algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> Result<HandshakeSignatureValid, Error> {
        let algorithms = &self.provider.signature_verification_algorithms;
        verify_tls13_signature(message, cert, dss, algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
