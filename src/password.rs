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

/// Verifies `pw` against a stored PHC string, with the hash's own parameters (so older
/// hashes still verify). A malformed or unusable hash verifies nothing.
pub fn verify(pw: &SecretString, phc: &str) -> bool {
    verify_inner(pw, phc).unwrap_or(false)
}

fn verify_inner(pw: &SecretString, phc: &str) -> Option<bool> {
    let parsed = PasswordHash::new(phc).ok()?;
    let algorithm = Algorithm::try_from(parsed.algorithm).ok()?;
    let version = match parsed.version {
        Some(v) => Version::try_from(v).ok()?,
        None => Version::V0x13,
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
    let norm = normalized(pw);
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(
            norm.expose_secret().as_bytes(),
            salt,
            &mut out,
            memory.blocks(),
        )
        .ok()?;
    // `Output`'s equality is constant-time.
    Some(argon2::password_hash::Output::new(&out).ok()? == expected)
}

/// The most memory (KiB) an imported hash may ask for: 4 × ours.
pub const MAX_M_COST: u32 = 4 * M_COST;
/// The most work (memory × passes) an imported hash may ask for: 4 × ours.
pub const MAX_WORK: u64 = 4 * M_COST as u64 * T_COST as u64;
pub const MAX_P_COST: u32 = 16;

/// Hashes are data from outside (imports): refuse parameters that would make one login
/// attempt — which anyone can trigger with a wrong password — cost more than about four
/// normal ones in time or memory.
fn within_limits(p: &Params) -> bool {
    p.m_cost() <= MAX_M_COST
        && u64::from(p.m_cost()) * u64::from(p.t_cost()) <= MAX_WORK
        && p.p_cost() <= MAX_P_COST
}

/// Spends the time of one verification, for an email that does not exist.
pub fn verify_dummy(pw: &SecretString) {
    let _ = verify(pw, DUMMY_HASH);
}

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

/// Checks that an imported `password_hash` is an argon2 PHC string we can verify.
pub fn validate_phc(phc: &str) -> Result<()> {
    let parsed =
        PasswordHash::new(phc).map_err(|_| Error::invalid("password_hash is not a PHC string"))?;
    if !matches!(
        parsed.algorithm.as_str(),
        "argon2id" | "argon2i" | "argon2d"
    ) {
        return Err(Error::invalid(format!(
            "password_hash uses `{}`, only argon2 hashes are accepted",
            parsed.algorithm
        )));
    }
    let params = Params::try_from(&parsed)
        .map_err(|e| Error::invalid(format!("password_hash has unusable parameters: {e}")))?;
    if !within_limits(&params) || parsed.hash.is_none() || parsed.salt.is_none() {
        return Err(Error::invalid(format!(
            "password_hash needs a salt, a hash, and a cost of at most 4 × ours \
             (m ≤ {MAX_M_COST} KiB, m × t ≤ {MAX_WORK}, p ≤ {MAX_P_COST})"
        ))
        .with_hint("import such users with a generated password and must_change_password"));
    }
    Ok(())
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
