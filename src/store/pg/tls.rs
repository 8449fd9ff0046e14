//! TLS to the server, by libpq's `sslmode`: `disable` never; `allow` and `prefer` when
//! the server offers it (no certificate checks, as libpq); `require` always (no checks
//! either); `verify-ca` checks the certificate chains to `sslrootcert`; `verify-full`
//! also that it names the host. rustls with the ring provider: nothing to install.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::client::WebPkiServerVerifier;
use rustls::crypto::{verify_tls12_signature, verify_tls13_signature, CryptoProvider};
use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{
    CertificateError, ClientConfig, DigitallySignedStruct, RootCertStore, SignatureScheme,
};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::conninfo::{ConnInfo, SslMode};
use crate::env::Env;
use crate::error::{Error, Result};

/// The client's TLS side for this connection string, and the mode the client library
/// is to use.
pub fn connector(
    info: &ConnInfo,
    env: &Env,
) -> Result<(MakeRustlsConnect, postgres::config::SslMode)> {
    use postgres::config::SslMode as Client;
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let builder = ClientConfig::builder_with_provider(provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::internal(format!("TLS setup: {e}")))?;
    // As libpq: `require` with a root certificate at hand (named, or the default file)
    // verifies the chain, like `verify-ca`.
    let root_at_hand = info.sslrootcert.is_some() || default_root(env).is_some();
    let sslmode = match info.sslmode {
        SslMode::Require if root_at_hand => SslMode::VerifyCa,
        m => m,
    };
    let (config, mode) = match sslmode {
        SslMode::Disable => (
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
                .with_no_client_auth(),
            Client::Disable,
        ),
        SslMode::Allow | SslMode::Prefer | SslMode::Require => (
            builder
                .dangerous()
                .with_custom_certificate_verifier(Arc::new(Unchecked(provider)))
                .with_no_client_auth(),
            if sslmode == SslMode::Require {
                Client::Require
            } else {
                Client::Prefer
            },
        ),
        SslMode::VerifyCa | SslMode::VerifyFull => {
            let roots = Arc::new(roots(info, env)?);
            let webpki = WebPkiServerVerifier::builder_with_provider(roots, provider)
                .build()
                .map_err(|e| Error::usage(format!("unusable sslrootcert: {e}")))?;
            let verifier: Arc<dyn ServerCertVerifier> = if sslmode == SslMode::VerifyCa {
                Arc::new(ChainOnly(webpki))
            } else {
                webpki
            };
            (
                builder
                    .dangerous()
                    .with_custom_certificate_verifier(verifier)
                    .with_no_client_auth(),
                Client::Require,
            )
        }
    };
    Ok((MakeRustlsConnect::new(config), mode))
}

/// The certificates `sslrootcert` names (else `~/.postgresql/root.crt`, as libpq).
fn roots(info: &ConnInfo, env: &Env) -> Result<RootCertStore> {
    let file: PathBuf = match &info.sslrootcert {
        Some(f) => f.clone(),
        None => default_root(env).ok_or_else(|| {
            Error::usage("sslmode=verify-ca and verify-full need the server's CA certificate")
                .with_hint(
                    "name it with sslrootcert=FILE (PEM), or put it in ~/.postgresql/root.crt",
                )
        })?,
    };
    let unreadable = |e: &dyn std::fmt::Display| {
        Error::usage(format!("cannot read sslrootcert `{}`: {e}", file.display()))
    };
    let mut store = RootCertStore::empty();
    for cert in CertificateDer::pem_file_iter(&file).map_err(|e| unreadable(&e))? {
        let cert = cert.map_err(|e| unreadable(&e))?;
        store.add(cert).map_err(|e| unreadable(&e))?;
    }
    if store.is_empty() {
        return Err(unreadable(&"it holds no certificate"));
    }
    Ok(store)
}

/// libpq's default root certificate file, if there is one.
fn default_root(env: &Env) -> Option<PathBuf> {
    env.var("HOME")
        .map(|h| Path::new(h).join(".postgresql/root.crt"))
        .filter(|p| p.exists())
}

/// `sslmode=require` (and `prefer`): encrypted, the certificate not checked — what libpq
/// does too. The handshake's signatures are still verified.
#[derive(Debug)]
struct Unchecked(Arc<CryptoProvider>);

impl ServerCertVerifier for Unchecked {
    fn verify_server_cert(
        &self,
        _end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        Ok(ServerCertVerified::assertion())
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls12_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        verify_tls13_signature(
            message,
            cert,
            dss,
            &self.0.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.signature_verification_algorithms.supported_schemes()
    }
}

/// `sslmode=verify-ca`: the chain must lead to a trusted root; the name is not checked.
#[derive(Debug)]
struct ChainOnly(Arc<WebPkiServerVerifier>);

impl ServerCertVerifier for ChainOnly {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        intermediates: &[CertificateDer<'_>],
        server_name: &ServerName<'_>,
        ocsp_response: &[u8],
        now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        match self
            .0
            .verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now)
        {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) => Ok(ServerCertVerified::assertion()),
            other => other,
        }
    }
    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls12_signature(message, cert, dss)
    }
    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        self.0.verify_tls13_signature(message, cert, dss)
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.0.supported_verify_schemes()
    }
}
