//! `argon2-floor time [N]`: N argon2id hashes and N verifications, one at a time on one
//! thread, with gatehouse's parameters; prints the medians (seconds) as one JSON line.
//! `argon2-floor phc PASSWORD`: prints an argon2id PHC string for PASSWORD (for seeding).
//! `argon2-floor verify-once PHC PASSWORD`: one verification, for timing a fresh process.

use std::time::Instant;

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

fn argon2() -> Argon2<'static> {
    let params = Params::new(19_456, 2, 1, None).expect("valid params");
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

fn hash(pw: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("randomness");
    let salt = SaltString::encode_b64(&salt).expect("salt");
    argon2()
        .hash_password(pw.as_bytes(), &salt)
        .expect("hash")
        .to_string()
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    match args.first().map(String::as_str) {
        Some("phc") => {
            let pw = args.get(1).expect("usage: argon2-floor phc PASSWORD");
            println!("{}", hash(pw));
        }
        Some("time") => {
            let n: usize = args.get(1).map_or(21, |s| s.parse().expect("N"));
            let pw = "bench-Floor-pw-7431";
            let stored = hash(pw);
            let parsed = PasswordHash::new(&stored).expect("phc");
            let a = argon2();
            let mut hashes = Vec::with_capacity(n);
            let mut verifies = Vec::with_capacity(n);
            for _ in 0..n {
                let t = Instant::now();
                std::hint::black_box(hash(pw));
                hashes.push(t.elapsed().as_secs_f64());
                let t = Instant::now();
                a.verify_password(pw.as_bytes(), &parsed).expect("verifies");
                verifies.push(t.elapsed().as_secs_f64());
            }
            println!(
                "{{\"n\":{n},\"hash_median_s\":{:.6},\"verify_median_s\":{:.6},\"hash_min_s\":{:.6},\"verify_min_s\":{:.6}}}",
                median(hashes.clone()),
                median(verifies.clone()),
                hashes.iter().cloned().fold(f64::INFINITY, f64::min),
                verifies.iter().cloned().fold(f64::INFINITY, f64::min),
            );
        }
        Some("verify-once") => {
            // One verification in a fresh process, as a command-line tool pays it: the
            // 19 MiB of working memory are faulted in anew, unlike in `time`'s loop.
            let phc = args.get(1).expect("usage: argon2-floor verify-once PHC PASSWORD");
            let pw = args.get(2).expect("usage: argon2-floor verify-once PHC PASSWORD");
            let parsed = PasswordHash::new(phc).expect("phc");
            argon2().verify_password(pw.as_bytes(), &parsed).expect("verifies");
        }
        _ => {
            eprintln!("usage: argon2-floor time [N] | phc PASSWORD | verify-once PHC PASSWORD");
            std::process::exit(2);
        }
    }
}
