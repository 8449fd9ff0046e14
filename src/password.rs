//! Password policy, argon2id hashing and verification.
//!
//! Passwords are NFKC-normalized before they are counted or hashed, so the composed and
//! decomposed spellings of the same text are the same password. They are never trimmed
//! or truncated.

use argon2::password_hash::{PasswordHash, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};
use secrecy::{ExposeSecret, SecretString};
use unicode_normalization::UnicodeNormalization;

use crate::error::{Error, Result};

pub const MIN_LENGTH: usize = 6;
pub const WARN_BELOW: usize = 8;
pub const MAX_BYTES: usize = 1024;

const M_COST: u32 = 19_456;
const T_COST: u32 = 2;
const P_COST: u32 = 1;

/// Common passwords (lower-cased, sorted, 6+ characters), taken from the ranked list the
/// `zxcvbn` crate carries.
const BLOCKLIST: &str = include_str!("../data/common-passwords.txt");

/// Verifying against this costs what verifying a real hash costs, so an unknown email
/// takes as long as a wrong password. Its password is random and thrown away.
const DUMMY_HASH: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$wVkKVnRgi0mryDxTzsbVHVdEtz7u6Tm0TE1Xt6v0n/A";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub min_length: usize,
    pub blocklist: bool,
}

impl Default for Policy {
    fn default() -> Self {
        Policy {
            min_length: MIN_LENGTH,
            blocklist: true,
        }
    }
}

/// Whom a password is for: it may not equal these (ignoring case).
pub struct Owner<'a> {
    pub email: &'a str,
    pub name: &'a str,
}

fn argon2() -> Argon2<'static> {
    let params = Params::new(M_COST, T_COST, P_COST, None).expect("valid argon2 params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn normalized(pw: &SecretString) -> SecretString {
    SecretString::from(pw.expose_secret().nfkc().collect::<String>())
}

/// Checks `pw` against the policy. `Ok` carries warnings to show (not errors).
pub fn check(pw: &SecretString, policy: &Policy, owner: &Owner<'_>) -> Result<Vec<String>> {
    let raw = pw.expose_secret();
    if raw.len() > MAX_BYTES {
        return Err(Error::invalid(format!(
            "password is too long: {} bytes, at most {MAX_BYTES} are allowed",
            raw.len()
        )));
    }
    let norm = normalized(pw);
    let norm = norm.expose_secret();
    let chars = norm.chars().count();
    let min = policy.min_length.max(MIN_LENGTH);
    if chars < min {
        return Err(Error::invalid(format!(
            "password is too short: {chars} characters, at least {min} are required"
        )));
    }
    let lower = norm.to_lowercase();
    let email = owner.email.to_lowercase();
    let local = email.split('@').next().unwrap_or("");
    if lower == email || lower == local {
        return Err(Error::invalid("password must not be the user's email"));
    }
    if lower == owner.name.to_lowercase() {
        return Err(Error::invalid("password must not be the user's name"));
    }
    if policy.blocklist && is_common(&lower) {
        return Err(
            Error::invalid("password is on the list of common passwords")
                .with_hint("choose a longer passphrase, or use --generate-password"),
        );
    }
    let mut warnings = Vec::new();
    if chars < WARN_BELOW {
        warnings.push(format!(
            "password has only {chars} characters; {WARN_BELOW} or more are recommended"
        ));
    }
    Ok(warnings)
}

fn is_common(lower: &str) -> bool {
    // Split once per process, and only when a password is checked; the list is sorted.
    static LINES: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    LINES
        .get_or_init(|| BLOCKLIST.lines().collect())
        .binary_search(&lower)
        .is_ok()
}

/// Hashes a password: argon2id v19, m=19456 KiB, t=2, p=1, random 16-byte salt.
pub fn hash(pw: &SecretString) -> Result<String> {
    hash_with_memory(pw, &mut new_memory())
}

/// The working memory of argon2: `blocks` blocks of 1 KiB (19 MiB for ours). Bulk
/// import reuses one per thread instead of allocating and faulting in a fresh one for
/// every password.
pub struct Memory(Vec<argon2::Block>);

impl Memory {
    pub fn new(blocks: usize) -> Memory {
        Memory(vec![argon2::Block::default(); blocks])
    }

    fn blocks(&mut self) -> &mut [argon2::Block] {
        &mut self.0
    }
}

/// Memory for hashes with our parameters.
pub fn new_memory() -> Memory {
    Memory::new(M_COST as usize)
}

/// [`hash`] with caller-provided working memory from [`new_memory`].
pub fn hash_with_memory(pw: &SecretString, memory: &mut Memory) -> Result<String> {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).map_err(|e| Error::internal(format!("no randomness: {e}")))?;
    let salt_b64 = SaltString::encode_b64(&salt).map_err(|e| Error::internal(e.to_string()))?;
    let norm = normalized(pw);
    let mut out = [0u8; 32];
    argon2()
        .hash_password_into_with_memory(
            norm.expose_secret().as_bytes(),
            &salt,
            &mut out,
            memory.blocks(),
        )
        .map_err(|e| Error::internal(format!("cannot hash password: {e}")))?;
    let out = argon2::password_hash::Output::new(&out)
        .map_err(|e| Error::internal(format!("cannot encode hash: {e}")))?;
    Ok(format!(
        "$argon2id$v=19$m={M_COST},t={T_COST},p={P_COST}${}${out}",
        salt_b64.as_str()
    ))
}

/// A well-formed hash that no password produced, for a dry run that skips hashing.
pub const PLACEHOLDER_HASH: &str = DUMMY_HASH;

/// Verifies `pw` against a stored hash — gatehouse's argon2id, or one imported from
/// another system (argon2, bcrypt, PBKDF2, SHA-512-crypt) — with the hash's own
/// parameters. The password is tried as typed first, then in its NFKC form (what
/// gatehouse itself hashes), as other systems may have hashed either. A malformed,
/// unknown or too costly hash verifies nothing.
pub fn verify(pw: &SecretString, stored: &str) -> bool {
    let Ok(stored) = parse_stored(stored.trim()) else {
        return false;
    };
    let raw = pw.expose_secret();
    let norm = normalized(pw);
    let norm = norm.expose_secret();
    stored.verify(raw.as_bytes()) || (norm != raw && stored.verify(norm.as_bytes()))
}

/// A stored password hash gatehouse can verify.
enum Stored<'a> {
    Argon2(&'a str),
    /// bcrypt; Django's `bcrypt_sha256$` first turns the password into the hex of its
    /// SHA-256 (`prehash`), so no byte past the 72nd is lost.
    Bcrypt {
        hash: &'a str,
        prehash: bool,
    },
    Pbkdf2 {
        sha512: bool,
        iterations: u32,
        salt: Vec<u8>,
        hash: Vec<u8>,
    },
    ShaCrypt {
        rounds: usize,
        salt: &'a str,
        hash: &'a str,
    },
    /// Werkzeug's `scrypt:N:r:p$SALT$HEX`: classic scrypt, the salt as text.
    Scrypt {
        params: yescrypt::Params,
        salt: &'a str,
        hash: Vec<u8>,
    },
    /// libxcrypt's `$y$PARAMS$SALT$HASH`, as `chpasswd` writes it on Debian and Ubuntu.
    Yescrypt(&'a str),
}

/// The most work an imported hash may ask of one login, by scheme: where one
/// verification takes about a second on a small machine (2 cores, 2026) — a little above
/// what the frameworks write by default today, so those hashes import and log in, and a
/// planted hash cannot make a login cost minutes. (One argon2id verification of ours is
/// 16–26 ms; `bench/legacy-costs.sh` measures each bound.)
pub const MAX_BCRYPT_COST: u32 = 13;
pub const MAX_PBKDF2_SHA256_ITERATIONS: u32 = 3_000_000;
pub const MAX_PBKDF2_SHA512_ITERATIONS: u32 = 1_000_000;
pub const MAX_SHA_CRYPT_ROUNDS: u32 = 2_000_000;
/// scrypt and yescrypt: N × r × p (× 1 + t for yescrypt), in units of 128 bytes of
/// memory: 256 MiB, as for argon2 (Werkzeug's default 32768 × 8 × 1 is 32 MiB; Debian's
/// yescrypt `j9T` is 4096 × 32 × 1, 16 MiB).
pub const MAX_SCRYPT_WORK: u64 = 2_097_152;

/// What a scheme's recogniser says of a hash: not mine (`None`), or mine and usable or not.
type Recognised<'a> = Option<std::result::Result<Stored<'a>, String>>;

/// Recognises a stored hash and checks its cost, or says why it cannot be used.
fn parse_stored(h: &str) -> std::result::Result<Stored<'_>, String> {
    // Django's `argon2` hasher writes `argon2` before argon2-cffi's PHC string.
    let h = match h.strip_prefix("argon2$argon2") {
        Some(_) => &h["argon2".len()..],
        None => h,
    };
    let schemes: [fn(&str) -> Recognised<'_>; 6] = [
        argon2_stored,
        bcrypt_stored,
        sha_crypt_stored,
        yescrypt_stored,
        werkzeug_scrypt_stored,
        pbkdf2_stored,
    ];
    for scheme in schemes {
        if let Some(answer) = scheme(h) {
            return answer;
        }
    }
    Err(unsupported(h))
}

fn too_costly(what: &str, max: u64) -> String {
    format!("{what} above {max} costs a login more than about a second")
}

fn argon2_stored(h: &str) -> Recognised<'_> {
    if !h.starts_with("$argon2") {
        return None;
    }
    Some((|| {
        let parsed = PasswordHash::new(h)
            .map_err(|_| "an argon2 hash that is not a PHC string".to_string())?;
        let params = Params::try_from(&parsed).map_err(|e| format!("argon2 parameters: {e}"))?;
        if !within_limits(&params) || parsed.hash.is_none() || parsed.salt.is_none() {
            return Err(format!(
                "an argon2 hash needs a salt, a hash, and a cost of at most about a second \
                 (m ≤ {MAX_M_COST} KiB, m × t ≤ {MAX_WORK}, p ≤ {MAX_P_COST})"
            ));
        }
        Ok(Stored::Argon2(h))
    })())
}

/// bcrypt, bare or in Django's `bcrypt$` and `bcrypt_sha256$` wrappers.
fn bcrypt_stored(h: &str) -> Recognised<'_> {
    let (h, prehash) = if let Some(rest) = h.strip_prefix("bcrypt_sha256$") {
        (rest, true)
    } else if let Some(rest) = h.strip_prefix("bcrypt$") {
        (rest, false)
    } else {
        (h, false)
    };
    let rest = ["$2a$", "$2b$", "$2y$"]
        .iter()
        .find_map(|prefix| h.strip_prefix(prefix))?;
    Some((|| {
        let cost: u32 = rest
            .get(..2)
            .and_then(|c| c.parse().ok())
            .ok_or("a bcrypt hash without a cost")?;
        if cost > MAX_BCRYPT_COST {
            return Err(too_costly("bcrypt cost", MAX_BCRYPT_COST.into()));
        }
        if h.len() != 60 {
            return Err("a bcrypt hash is 60 characters".into());
        }
        Ok(Stored::Bcrypt { hash: h, prehash })
    })())
}

fn sha_crypt_stored(h: &str) -> Recognised<'_> {
    let rest = h.strip_prefix("$6$")?;
    let bad = || "a SHA-512-crypt hash that is not `$6$[rounds=N$]SALT$HASH`".to_string();
    Some((|| {
        let (rounds, rest) = match rest.strip_prefix("rounds=") {
            Some(r) => {
                let (n, rest) = r.split_once('$').ok_or_else(bad)?;
                (n.parse::<u32>().map_err(|_| bad())?, rest)
            }
            None => (5000, rest),
        };
        if rounds > MAX_SHA_CRYPT_ROUNDS {
            return Err(too_costly(
                "SHA-512-crypt rounds",
                MAX_SHA_CRYPT_ROUNDS.into(),
            ));
        }
        let (salt, hash) = rest.split_once('$').ok_or_else(bad)?;
        if hash.len() != 86 || hash.contains('$') {
            return Err(bad());
        }
        // As glibc: at most 16 characters of salt, and at least 1000 rounds.
        let salt = salt.get(..16).unwrap_or(salt);
        Ok(Stored::ShaCrypt {
            rounds: (rounds as usize).max(1000),
            salt,
            hash,
        })
    })())
}

fn yescrypt_stored(h: &str) -> Recognised<'_> {
    let body = h.strip_prefix("$y$")?;
    let bad = || "a yescrypt hash that is not `$y$PARAMS$SALT$HASH`".to_string();
    Some((|| {
        let mut parts = body.split('$');
        let (Some(params), Some(_), Some(_), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(bad());
        };
        let params: yescrypt::Params = params.parse().map_err(|_| bad())?;
        let work = yescrypt_t(&params).map_or(u64::MAX, |t| {
            scrypt_work(&params).saturating_mul(u64::from(t) + 1)
        });
        if work > MAX_SCRYPT_WORK {
            return Err(too_costly("yescrypt N × r × p", MAX_SCRYPT_WORK));
        }
        Ok(Stored::Yescrypt(h))
    })())
}

/// yescrypt's `t`, which makes it slower at the same memory: found by trying the few we
/// allow.
fn yescrypt_t(params: &yescrypt::Params) -> Option<u32> {
    (0..=3u32).find(|t| {
        [
            yescrypt::Mode::Classic,
            yescrypt::Mode::Worm,
            yescrypt::Mode::Rw,
        ]
        .into_iter()
        .filter_map(|m| {
            yescrypt::Params::new_with_all_params(m, params.n(), params.r(), params.p(), *t, 0).ok()
        })
        .any(|q| q == *params)
    })
}

fn werkzeug_scrypt_stored(h: &str) -> Recognised<'_> {
    let rest = h.strip_prefix("scrypt:")?;
    let bad = || "a Werkzeug scrypt hash that is not `scrypt:N:r:p$SALT$HEX`".to_string();
    Some((|| {
        let (method, rest) = rest.split_once('$').ok_or_else(bad)?;
        let (salt, hex) = rest.split_once('$').ok_or_else(bad)?;
        let nums: Vec<u64> = method
            .split(':')
            .map(|n| n.parse().map_err(|_| bad()))
            .collect::<std::result::Result<_, _>>()?;
        let [n, r, p] = nums[..] else {
            return Err(bad());
        };
        let hash = from_hex(hex).ok_or_else(bad)?;
        let params = u32::try_from(r)
            .ok()
            .zip(u32::try_from(p).ok())
            .and_then(|(r, p)| yescrypt::Params::new(yescrypt::Mode::Classic, n, r, p).ok())
            .ok_or_else(bad)?;
        if scrypt_work(&params) > MAX_SCRYPT_WORK {
            return Err(too_costly("scrypt N × r × p", MAX_SCRYPT_WORK));
        }
        if hash.is_empty() || hash.len() > 128 {
            return Err(bad());
        }
        Ok(Stored::Scrypt { params, salt, hash })
    })())
}

fn pbkdf2_stored(h: &str) -> Recognised<'_> {
    let (sha512, iterations, salt, hash) = match pbkdf2_parts(h) {
        Err(e) => return Some(Err(e)),
        Ok(parts) => parts?,
    };
    let max = if sha512 {
        MAX_PBKDF2_SHA512_ITERATIONS
    } else {
        MAX_PBKDF2_SHA256_ITERATIONS
    };
    if iterations > max {
        return Some(Err(too_costly("PBKDF2 iterations", max.into())));
    }
    if iterations == 0 || hash.is_empty() || hash.len() > 64 {
        return Some(Err(
            "a PBKDF2 hash needs iterations and a hash of at most 64 bytes".into(),
        ));
    }
    Some(Ok(Stored::Pbkdf2 {
        sha512,
        iterations,
        salt,
        hash,
    }))
}

/// Why a hash no scheme recognised cannot be used.
fn unsupported(h: &str) -> String {
    let known = [
        ("$7$", "scrypt"),
        ("$scrypt$", "scrypt"),
        ("$1$", "MD5-crypt"),
        ("$5$", "SHA-256-crypt"),
        ("$apr1$", "Apache MD5"),
        ("{SSHA}", "salted SHA-1"),
        ("keycloak-pbkdf2", "Keycloak's PBKDF2-SHA1"),
    ];
    match known.iter().find(|(p, _)| h.starts_with(p)) {
        Some((_, name)) => format!("{name} hashes are not supported"),
        None => "not a password hash gatehouse knows (argon2, bcrypt, PBKDF2, SHA-512-crypt, \
                 scrypt, yescrypt)"
            .into(),
    }
}

/// The memory an scrypt-family hash asks for, in units of 128 bytes: its time grows
/// with it too.
fn scrypt_work(p: &yescrypt::Params) -> u64 {
    p.n()
        .saturating_mul(u64::from(p.r()))
        .saturating_mul(u64::from(p.p()))
}

fn from_hex(s: &str) -> Option<Vec<u8>> {
    if s.len() % 2 != 0 {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(s.get(i..i + 2)?, 16).ok())
        .collect()
}

/// How a PBKDF2 format writes its salt and hash after `ITER$`.
#[derive(Clone, Copy)]
enum Pbkdf2Text {
    /// Werkzeug: the salt as text, the hash in hex.
    SaltHex,
    /// Django: the salt as text, the hash in base64.
    SaltBase64,
    /// passlib: both in passlib's base64 (`.` for `+`, no padding).
    Passlib,
}

/// Each PBKDF2 format by its prefix: whether it is SHA-512 (else SHA-256), and how the
/// rest is written.
const PBKDF2_FORMATS: [(&str, bool, Pbkdf2Text); 6] = [
    ("pbkdf2:sha256:", false, Pbkdf2Text::SaltHex),
    ("pbkdf2:sha512:", true, Pbkdf2Text::SaltHex),
    ("pbkdf2_sha256$", false, Pbkdf2Text::SaltBase64),
    ("pbkdf2_sha512$", true, Pbkdf2Text::SaltBase64),
    ("$pbkdf2-sha256$", false, Pbkdf2Text::Passlib),
    ("$pbkdf2-sha512$", true, Pbkdf2Text::Passlib),
];

/// Django's `pbkdf2_sha256$ITER$SALT$HASH` (salt as text, hash in base64), passlib's
/// `$pbkdf2-sha256$ITER$SALT$HASH` (both in passlib's base64 with `.` for `+`) and
/// Werkzeug's `pbkdf2:sha256:ITER$SALT$HEX` (salt as text).
#[allow(clippy::type_complexity)]
fn pbkdf2_parts(h: &str) -> std::result::Result<Option<(bool, u32, Vec<u8>, Vec<u8>)>, String> {
    use base64::Engine;
    let std_b64 = base64::engine::general_purpose::STANDARD;
    let bad = || "a PBKDF2 hash that is not `ALGORITHM$ITERATIONS$SALT$HASH`".to_string();
    let Some((body, sha512, text)) = PBKDF2_FORMATS
        .iter()
        .find_map(|&(prefix, sha512, text)| Some((h.strip_prefix(prefix)?, sha512, text)))
    else {
        return Ok(None);
    };
    let mut parts = body.split('$');
    let (Some(iter), Some(salt), Some(hash), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(bad());
    };
    let iterations: u32 = iter.parse().map_err(|_| bad())?;
    let ab64 = |s: &str| {
        let mut t = s.replace('.', "+");
        while t.len() % 4 != 0 {
            t.push('=');
        }
        std_b64.decode(t).map_err(|_| bad())
    };
    let (salt, hash) = match text {
        Pbkdf2Text::SaltHex => (salt.as_bytes().to_vec(), from_hex(hash).ok_or_else(bad)?),
        Pbkdf2Text::SaltBase64 => (
            salt.as_bytes().to_vec(),
            std_b64.decode(hash).map_err(|_| bad())?,
        ),
        Pbkdf2Text::Passlib => (ab64(salt)?, ab64(hash)?),
    };
    Ok(Some((sha512, iterations, salt, hash)))
}

impl Stored<'_> {
    fn verify(&self, pw: &[u8]) -> bool {
        match self {
            Stored::Argon2(phc) => verify_argon2(pw, phc).unwrap_or(false),
            // bcrypt reads at most 72 bytes of a password, like every bcrypt.
            Stored::Bcrypt {
                hash,
                prehash: false,
            } => bcrypt::verify(pw, hash).unwrap_or(false),
            Stored::Bcrypt {
                hash,
                prehash: true,
            } => {
                use sha2::Digest;
                let hex: String = sha2::Sha256::digest(pw)
                    .iter()
                    .map(|b| format!("{b:02x}"))
                    .collect();
                bcrypt::verify(hex, hash).unwrap_or(false)
            }
            Stored::Scrypt { params, salt, hash } => {
                let mut out = vec![0u8; hash.len()];
                yescrypt::yescrypt(pw, salt.as_bytes(), params, &mut out).is_ok()
                    && constant_time_eq(&out, hash)
            }
            Stored::Yescrypt(h) => {
                use yescrypt::PasswordVerifier;
                yescrypt::Yescrypt::default()
                    .verify_password(pw, *h)
                    .is_ok()
            }
            Stored::ShaCrypt { rounds, salt, hash } => {
                let Ok(params) = sha_crypt::Sha512Params::new(*rounds) else {
                    return false;
                };
                sha_crypt::sha512_crypt_b64(pw, salt.as_bytes(), &params)
                    .is_ok_and(|out| constant_time_eq(out.as_bytes(), hash.as_bytes()))
            }
            Stored::Pbkdf2 {
                sha512,
                iterations,
                salt,
                hash,
            } => {
                let mut out = vec![0u8; hash.len()];
                if *sha512 {
                    pbkdf2::pbkdf2_hmac::<sha2::Sha512>(pw, salt, *iterations, &mut out);
                } else {
                    pbkdf2::pbkdf2_hmac::<sha2::Sha256>(pw, salt, *iterations, &mut out);
                }
                constant_time_eq(&out, hash)
            }
        }
    }
}

/// Equal, compared byte by byte whatever the first difference, so the time says nothing.
fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn verify_argon2(pw: &[u8], phc: &str) -> Option<bool> {
    let parsed = PasswordHash::new(phc).ok()?;
    let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
    // A PHC string without `v=` is version 16, as in the reference implementation.
    let version = match parsed.version {
        Some(v) => Version::try_from(v).ok()?,
        None => Version::V0x10,
    };
    let params = Params::try_from(&parsed).ok()?;
    if !within_limits(&params) {
        return None;
    }
    let expected = parsed.hash?;
    let mut salt = [0u8; 64];
    let salt = parsed.salt?.decode_b64(&mut salt).ok()?;
    let mut out = vec![0u8; expected.len()];
    let mut memory = Memory::new(params.block_count());
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(pw, salt, &mut out, memory.blocks())
        .ok()?;
    // `Output`'s equality is constant-time.
    Some(argon2::password_hash::Output::new(&out).ok()? == expected)
}

/// The most memory (KiB) an imported hash may ask for: 256 MiB, over Django's 100 MiB.
pub const MAX_M_COST: u32 = 262_144;
/// The most work (memory × passes) an imported hash may ask for: about a second, almost
/// four times Django's argon2 hasher (100 MiB × 2), the costliest default we read.
pub const MAX_WORK: u64 = 3 * 262_144;
pub const MAX_P_COST: u32 = 16;

/// Hashes are data from outside (imports): refuse parameters that would make one login
/// attempt — which anyone can trigger with a wrong password — cost more than about a
/// second, or more memory than a small machine spares.
fn within_limits(p: &Params) -> bool {
    p.m_cost() <= MAX_M_COST
        && u64::from(p.m_cost()) * u64::from(p.t_cost()) <= MAX_WORK
        && p.p_cost() <= MAX_P_COST
}

/// Spends the time of one verification, for an email that does not exist.
pub fn verify_dummy(pw: &SecretString) {
    let _ = verify(pw, DUMMY_HASH);
}

/// Whether a login with `pw` that `stored` verified replaces the hash with our argon2id.
/// Not when the password is 72 bytes or more and the hash is bcrypt, which read only
/// those 72: the password that was set may have gone on differently, and a new hash of
/// this typing would lock it out (or let this one in for good). Such an account keeps
/// its bcrypt hash — with bcrypt's meaning, as before the move — until the password is
/// changed. (A shorter password is all of what was set: bcrypt hashes its end too.)
pub fn upgrade_at_login(pw: &SecretString, stored: &str) -> bool {
    let truncated = matches!(
        parse_stored(stored.trim()),
        Ok(Stored::Bcrypt { prehash: false, .. })
    ) && pw.expose_secret().len() >= BCRYPT_MAX_BYTES;
    needs_rehash(stored) && !truncated
}

/// The bytes of a password bcrypt reads.
pub const BCRYPT_MAX_BYTES: usize = 72;

/// Whether a stored hash is weaker or older than what we write today.
pub fn needs_rehash(phc: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(phc) else {
        return true;
    };
    if parsed.algorithm.as_str() != "argon2id" || parsed.version != Some(0x13) {
        return true;
    }
    let Ok(params) = Params::try_from(&parsed) else {
        return true;
    };
    params.m_cost() != M_COST || params.t_cost() != T_COST || params.p_cost() != P_COST
}

/// Checks that an imported `password_hash` is one gatehouse can verify at a bounded
/// cost, or says why not, naming the algorithm (never echoing the hash).
pub fn check_stored(phc: &str) -> std::result::Result<(), String> {
    parse_stored(phc.trim()).map(|_| ())
}

/// [`check_stored`] as an error that names the way forward.
pub fn validate_phc(phc: &str) -> Result<()> {
    check_stored(phc).map_err(|why| {
        Error::invalid(format!(
            "{why}; import such users with --unusable-hash generate or --unusable-hash inactive"
        ))
    })
}

/// A random 20-character password from an unambiguous alphabet (about 113 bits).
pub fn generate() -> Result<SecretString> {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut out = String::with_capacity(20);
    while out.len() < 20 {
        let mut buf = [0u8; 32];
        getrandom::fill(&mut buf).map_err(|e| Error::internal(format!("no randomness: {e}")))?;
        // Rejection sampling keeps every character equally likely.
        let limit = 256 - (256 % ALPHABET.len());
        for b in buf {
            if (b as usize) < limit && out.len() < 20 {
                out.push(ALPHABET[b as usize % ALPHABET.len()] as char);
            }
        }
    }
    Ok(SecretString::from(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(x: &str) -> SecretString {
        SecretString::from(x.to_string())
    }

    const OWNER: Owner<'static> = Owner {
        email: "alice@example.com",
        name: "Alice",
    };

    #[test]
    fn length_rules_count_characters_after_nfkc() {
        let p = Policy::default();
        assert!(check(&s("Xk4#q"), &p, &OWNER).is_err());
        assert_eq!(check(&s("Xk4#qZ"), &p, &OWNER).unwrap().len(), 1);
        assert!(check(&s("Xk4#qZ9!"), &p, &OWNER).unwrap().is_empty());
        // Six characters, twelve bytes: long enough.
        assert!(check(&s("ééééé9"), &p, &OWNER).is_ok());
        assert!(check(&s(&"x".repeat(1025)), &p, &OWNER).is_err());
        assert!(check(&s(&"xq7".repeat(341)), &p, &OWNER).is_ok());
        let strict = Policy {
            min_length: 12,
            ..p
        };
        assert!(check(&s("Xk4#qZ9!aa"), &strict, &OWNER).is_err());
    }

    #[test]
    fn identity_and_common_passwords_are_refused() {
        let p = Policy::default();
        for bad in [
            "ALICE@example.com",
            "alice",
            "ALICE",
            "password",
            "Qwerty123",
            "letmein",
        ] {
            let pw = if bad == "alice" {
                "Alice1".replace('1', "")
            } else {
                bad.to_string()
            };
            assert!(check(&s(&pw), &p, &OWNER).is_err(), "{pw} accepted");
        }
        let off = Policy {
            blocklist: false,
            ..p
        };
        assert!(check(&s("password"), &off, &OWNER).is_ok());
    }

    #[test]
    fn hashes_are_argon2id_with_the_spec_parameters() {
        let h = hash(&s("correct horse")).unwrap();
        assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
        assert!(verify(&s("correct horse"), &h));
        assert!(!verify(&s("correct horsE"), &h));
        assert!(!needs_rehash(&h));
        // NFC and NFD spellings are the same password.
        let h = hash(&s("caf\u{e9}-latte")).unwrap();
        assert!(verify(&s("cafe\u{301}-latte"), &h));
        // Reused memory gives hashes the standard verifier accepts.
        let mut mem = new_memory();
        for pw in ["first-pass", "second-pass"] {
            let h = hash_with_memory(&s(pw), &mut mem).unwrap();
            assert!(h.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"), "{h}");
            assert!(verify(&s(pw), &h));
            assert!(!verify(&s("other"), &h));
        }
    }

    #[test]
    fn weaker_hashes_are_flagged_for_rehash() {
        use argon2::password_hash::PasswordHasher;
        let weak = Argon2::new(
            Algorithm::Argon2id,
            Version::V0x13,
            Params::new(8192, 1, 1, None).unwrap(),
        );
        let salt = SaltString::encode_b64(b"0123456789abcdef").unwrap();
        let h = weak.hash_password(b"pw", &salt).unwrap().to_string();
        assert!(needs_rehash(&h));
        assert!(verify(&s("pw"), &h));
        assert!(PasswordHash::new(DUMMY_HASH).is_ok());
        assert!(!needs_rehash(DUMMY_HASH));
    }

    #[test]
    fn generated_passwords_pass_the_policy() {
        let g = generate().unwrap();
        assert_eq!(g.expose_secret().len(), 20);
        assert!(check(&g, &Policy::default(), &OWNER).unwrap().is_empty());
    }
}
