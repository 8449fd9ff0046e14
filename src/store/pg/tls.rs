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
    let (check, mode) = match sslmode {
        SslMode::Disable => (Check::Nothing, Client::Disable),
        SslMode::Allow | SslMode::Prefer => (Check::Nothing, Client::Prefer),
        SslMode::Require => (Check::Nothing, Client::Require),
        SslMode::VerifyCa => (Check::Chain(chain(info, env, &provider)?), Client::Require),
        SslMode::VerifyFull => (
            Check::ChainAndName(chain(info, env, &provider)?),
            Client::Require,
        ),
    };
    let config = builder
        .dangerous()
        .with_custom_certificate_verifier(Arc::new(Verifier { provider, check }))
        .with_no_client_auth();
    Ok((MakeRustlsConnect::new(config), mode))
}

/// The chain check against the certificates `sslrootcert` names.
fn chain(
    info: &ConnInfo,
    env: &Env,
    provider: &Arc<CryptoProvider>,
) -> Result<Arc<WebPkiServerVerifier>> {
    let roots = Arc::new(roots(info, env)?);
    WebPkiServerVerifier::builder_with_provider(roots, provider.clone())
        .build()
        .map_err(|e| Error::usage(format!("unusable sslrootcert: {e}")))
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

/// How much of the server's certificate is checked, by `sslmode`.
#[derive(Debug)]
enum Check {
    /// `require` (and `prefer`): encrypted, the certificate not checked — what libpq
    /// does too.
    Nothing,
    /// `verify-ca`: the chain must lead to a trusted root; the name is not checked.
    Chain(Arc<WebPkiServerVerifier>),
    /// `verify-full`: the chain, and that the certificate names the host.
    ChainAndName(Arc<WebPkiServerVerifier>),
}

/// The server certificate verifier for every mode. The handshake's signatures are
/// verified in all of them, with the provider's algorithms (the ones the chain check
/// is built with).
#[derive(Debug)]
struct Verifier {
    provider: Arc<CryptoProvider>,
    check: Check,
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
        let (chain, name_checked) = match &self.check {
            Check::Nothing => return Ok(ServerCertVerified::assertion()),
            Check::Chain(chain) => (chain, false),
            Check::ChainAndName(chain) => (chain, true),
        };
        match chain.verify_server_cert(end_entity, intermediates, server_name, ocsp_response, now) {
            Err(rustls::Error::InvalidCertificate(
                CertificateError::NotValidForName | CertificateError::NotValidForNameContext { .. },
            )) if !name_checked => Ok(ServerCertVerified::assertion()),
            other => other,
        }
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
            &self.provider.signature_verification_algorithms,
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
            &self.provider.signature_verification_algorithms,
        )
    }
    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider
            .signature_verification_algorithms
            .supported_schemes()
    }
}
