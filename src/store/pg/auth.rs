//! How the server may log us in: by default only SCRAM-SHA-256, which never shows the
//! password to the server (nor to anyone between), and proves that the server knows the
//! role's verifier. The client library would answer any request — a cleartext password
//! (`AuthenticationCleartextPassword`) or MD5 — so the connection is watched: the
//! server's first authentication request is read before the library sees it, and one
//! that `require_auth` does not allow ends the connection there, the password unsent.
//!
//! To watch plain connections too (with `sslmode=prefer` a man in the middle simply
//! answers "no TLS"), gatehouse negotiates TLS itself: the library is told to use
//! "direct" TLS, so it hands the fresh socket to [`Guard`], which sends the
//! `SSLRequest`, starts TLS when the server agrees (or goes on in plain text when the
//! `sslmode` allows), and wraps whichever stream it got. Channel binding is kept: the
//! wrapper answers for the TLS session underneath.
//!
//! Over a Unix-domain socket the library connects without TLS and gives no hook: there
//! the server is whoever may create the socket in its directory (see the README).

use std::future::Future;
use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use postgres::tls::{ChannelBinding, MakeTlsConnect, TlsConnect, TlsStream};
use postgres::Socket;
use tokio::io::{AsyncRead, AsyncReadExt, AsyncWrite, AsyncWriteExt, ReadBuf};
use tokio_postgres_rustls::MakeRustlsConnect;

use super::conninfo::{AuthMethod, AuthMethods, SslMode};

type RustlsConnect = <MakeRustlsConnect as MakeTlsConnect<Socket>>::TlsConnect;
type RustlsStream = <MakeRustlsConnect as MakeTlsConnect<Socket>>::Stream;
type BoxError = Box<dyn std::error::Error + Sync + Send>;

/// The connector handed to the client library: TLS by `sslmode`, and the watch on the
/// server's authentication request.
#[derive(Clone)]
pub struct Guard {
    tls: MakeRustlsConnect,
    /// The `sslmode` asked for, which this connector carries out itself when `direct`.
    sslmode: SslMode,
    /// The library was told to use direct TLS, so the socket comes here untouched.
    direct: bool,
    allowed: AuthMethods,
}

impl Guard {
    pub fn new(
        tls: MakeRustlsConnect,
        sslmode: SslMode,
        direct: bool,
        allowed: AuthMethods,
    ) -> Guard {
        Guard {
            tls,
            sslmode,
            direct,
            allowed,
        }
    }
}

impl MakeTlsConnect<Socket> for Guard {
    type Stream = Guarded;
    type TlsConnect = GuardConnect;
    type Error = BoxError;

    fn make_tls_connect(&mut self, domain: &str) -> Result<GuardConnect, BoxError> {
        Ok(GuardConnect {
            tls: MakeTlsConnect::<Socket>::make_tls_connect(&mut self.tls, domain)?,
            sslmode: self.sslmode,
            direct: self.direct,
            allowed: self.allowed,
        })
    }
}

pub struct GuardConnect {
    tls: RustlsConnect,
    sslmode: SslMode,
    direct: bool,
    allowed: AuthMethods,
}

/// PostgreSQL's `SSLRequest`: length 8, code 80877103.
const SSL_REQUEST: [u8; 8] = [0, 0, 0, 8, 0x04, 0xd2, 0x16, 0x2f];

impl TlsConnect<Socket> for GuardConnect {
    type Stream = Guarded;
    type Error = BoxError;
    type Future = Pin<Box<dyn Future<Output = Result<Guarded, BoxError>> + Send>>;

    fn connect(self, mut socket: Socket) -> Self::Future {
        Box::pin(async move {
            let watch = Some(Watch::new(self.allowed));
            if !self.direct {
                // The library sent the SSLRequest and the server agreed.
                let tls = self.tls.connect(socket).await?;
                return Ok(Guarded {
                    inner: Inner::Tls(Box::new(tls)),
                    watch,
                });
            }
            if self.sslmode != SslMode::Disable {
                socket.write_all(&SSL_REQUEST).await?;
                let mut answer = [0u8];
                socket.read_exact(&mut answer).await?;
                if answer[0] == b'S' {
                    let tls = self.tls.connect(socket).await?;
                    return Ok(Guarded {
                        inner: Inner::Tls(Box::new(tls)),
                        watch,
                    });
                }
                if !matches!(self.sslmode, SslMode::Allow | SslMode::Prefer) {
                    return Err("server does not support TLS".into());
                }
            }
            Ok(Guarded {
                inner: Inner::Plain(socket),
                watch,
            })
        })
    }
}

enum Inner {
    Tls(Box<RustlsStream>),
    Plain(Socket),
}

/// The connection, watched until the server has said how it will log us in.
pub struct Guarded {
    inner: Inner,
    /// `None` once the server's request was allowed.
    watch: Option<Watch>,
}

/// The server asked for a way of logging in that `require_auth` does not allow; the
/// connection ends before the client library answers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Refused(pub AuthMethod);

impl std::fmt::Display for Refused {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "the server asked for `{}` authentication",
            self.0.as_str()
        )
    }
}

impl std::error::Error for Refused {}

/// The refusal behind a connection error, if that is what ended it.
pub fn refused(e: &(dyn std::error::Error + 'static)) -> Option<Refused> {
    let mut cause: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(c) = cause {
        if let Some(r) = c.downcast_ref::<Refused>() {
            return Some(*r);
        }
        if let Some(r) = c
            .downcast_ref::<io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|inner| inner.downcast_ref::<Refused>())
        {
            return Some(*r);
        }
        cause = c.source();
    }
    None
}

impl AsyncRead for Guarded {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        let this = self.get_mut();
        if let Some(Watch {
            refused: Some(r), ..
        }) = &this.watch
        {
            return Poll::Ready(Err(io::Error::new(io::ErrorKind::PermissionDenied, *r)));
        }
        let before = buf.filled().len();
        let polled = match &mut this.inner {
            Inner::Tls(s) => Pin::new(s.as_mut()).poll_read(cx, buf),
            Inner::Plain(s) => Pin::new(s).poll_read(cx, buf),
        };
        if let (Poll::Ready(Ok(())), Some(watch)) = (&polled, &mut this.watch) {
            match watch.feed(&buf.filled()[before..]) {
                Verdict::Undecided => {}
                Verdict::Allowed => this.watch = None,
                Verdict::Refused(r) => {
                    // Not one byte of the request reaches the library.
                    buf.set_filled(before);
                    return Poll::Ready(Err(io::Error::new(io::ErrorKind::PermissionDenied, r)));
                }
            }
        }
        polled
    }
}

impl AsyncWrite for Guarded {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        data: &[u8],
    ) -> Poll<io::Result<usize>> {
        match &mut self.get_mut().inner {
            Inner::Tls(s) => Pin::new(s.as_mut()).poll_write(cx, data),
            Inner::Plain(s) => Pin::new(s).poll_write(cx, data),
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().inner {
            Inner::Tls(s) => Pin::new(s.as_mut()).poll_flush(cx),
            Inner::Plain(s) => Pin::new(s).poll_flush(cx),
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        match &mut self.get_mut().inner {
            Inner::Tls(s) => Pin::new(s.as_mut()).poll_shutdown(cx),
            Inner::Plain(s) => Pin::new(s).poll_shutdown(cx),
        }
    }
}

impl TlsStream for Guarded {
    fn channel_binding(&self) -> ChannelBinding {
        match &self.inner {
            Inner::Tls(s) => s.channel_binding(),
            Inner::Plain(_) => ChannelBinding::none(),
        }
    }
}

enum Verdict {
    Undecided,
    Allowed,
    Refused(Refused),
}

/// Reads the server's messages, a byte at a time as they arrive, up to its first
/// authentication request (`R`): its code says the method.
struct Watch {
    allowed: AuthMethods,
    /// The message type and length being read (5 bytes), then its first 4 body bytes.
    head: Vec<u8>,
    /// Body bytes of a message that is not `R`, still to pass.
    skip: u64,
    refused: Option<Refused>,
}

impl Watch {
    fn new(allowed: AuthMethods) -> Watch {
        Watch {
            allowed,
            head: Vec::with_capacity(9),
            skip: 0,
            refused: None,
        }
    }

    fn feed(&mut self, mut data: &[u8]) -> Verdict {
        while !data.is_empty() {
            if self.skip > 0 {
                let n = (self.skip as usize).min(data.len());
                self.skip -= n as u64;
                data = &data[n..];
                continue;
            }
            self.head.push(data[0]);
            data = &data[1..];
            if self.head.len() < 5 {
                continue;
            }
            let len = u32::from_be_bytes([self.head[1], self.head[2], self.head[3], self.head[4]]);
            if len < 4 {
                // Not PostgreSQL's protocol; the library will say so.
                return Verdict::Allowed;
            }
            if self.head[0] != b'R' {
                self.skip = u64::from(len) - 4;
                self.head.clear();
                continue;
            }
            if self.head.len() < 9 {
                continue;
            }
            let code = u32::from_be_bytes([self.head[5], self.head[6], self.head[7], self.head[8]]);
            let method = match code {
                0 => AuthMethod::None,
                3 => AuthMethod::Password,
                5 => AuthMethod::Md5,
                7 => AuthMethod::Gss,
                9 => AuthMethod::Sspi,
                10 => AuthMethod::ScramSha256,
                // Methods the library does not speak: it refuses them itself.
                _ => return Verdict::Allowed,
            };
            return if self.allowed.allows(method) {
                Verdict::Allowed
            } else {
                self.refused = Some(Refused(method));
                Verdict::Refused(Refused(method))
            };
        }
        Verdict::Undecided
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(code: u32) -> Vec<u8> {
        let mut m = vec![b'R', 0, 0, 0, 8];
        m.extend_from_slice(&code.to_be_bytes());
        m
    }

    #[test]
    fn the_first_request_decides_however_it_arrives() {
        let scram_only = AuthMethods::default();
        for (code, allowed) in [(3, false), (5, false), (0, false), (10, true)] {
            // A notice first, then the request, one byte at a time.
            let mut bytes = vec![b'N', 0, 0, 0, 6, b'x', 0];
            bytes.extend(request(code));
            let mut w = Watch::new(scram_only);
            let mut verdict = Verdict::Undecided;
            for b in &bytes {
                verdict = w.feed(std::slice::from_ref(b));
                if !matches!(verdict, Verdict::Undecided) {
                    break;
                }
            }
            match verdict {
                Verdict::Allowed => assert!(allowed, "code {code}"),
                Verdict::Refused(_) => assert!(!allowed, "code {code}"),
                Verdict::Undecided => panic!("code {code}: undecided"),
            }
        }
    }
}
