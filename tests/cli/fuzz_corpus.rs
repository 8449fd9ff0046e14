//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) through the same library
//! functions the cargo-fuzz targets call, on stable Rust, so every input the fuzzer
//! ever kept stays a regression test. Each call only has to return: no panic.

use std::fs;
use std::path::{Path, PathBuf};

use gatehouse::import::{parse, InputFormat};
use gatehouse::model::{Email, Ttl};
use gatehouse::password::{needs_rehash, validate_phc};

fn corpus(target: &str) -> Vec<(PathBuf, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("fuzz")
        .join("corpus")
        .join(target);
    let mut files: Vec<(PathBuf, Vec<u8>)> = fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("corpus {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_file())
        .map(|p| {
            let bytes = fs::read(&p).unwrap();
            (p, bytes)
        })
        .collect();
    files.sort();
    assert!(!files.is_empty(), "empty corpus {}", dir.display());
    files
}

/// Runs `f` on every file of the corpus, naming the file that panics.
fn replay(target: &str, f: impl Fn(&[u8]) + std::panic::RefUnwindSafe) {
    let mut panicked = Vec::new();
    for (path, bytes) in corpus(target) {
        if std::panic::catch_unwind(|| f(&bytes)).is_err() {
            panicked.push(path.display().to_string());
        }
    }
    assert!(
        panicked.is_empty(),
        "{target}: panicked on {}",
        panicked.join(", ")
    );
}

fn text(bytes: &[u8]) -> Option<&str> {
    std::str::from_utf8(bytes).ok()
}

#[test]
fn import_csv_corpus() {
    replay("import_csv", |b| {
        let _ = parse(b, InputFormat::Csv, None);
    });
}

#[test]
fn import_json_corpus() {
    replay("import_json", |b| {
        let _ = parse(b, InputFormat::Json, None);
    });
}

#[test]
fn import_jsonl_corpus() {
    replay("import_jsonl", |b| {
        let _ = parse(b, InputFormat::Jsonl, None);
    });
}

#[test]
fn email_corpus() {
    replay("email", |b| {
        if let Some(s) = text(b) {
            if let Ok(e) = s.parse::<Email>() {
                let again: Email = e.as_str().parse().expect("a parsed email parses again");
                assert_eq!(again, e);
            }
        }
    });
}

#[test]
fn duration_corpus() {
    replay("duration", |b| {
        if let Some(s) = text(b) {
            if let Ok(Ttl(d)) = s.parse::<Ttl>() {
                assert!((1..=24 * 3600).contains(&d.as_secs()), "{s:?} gave {d:?}");
            }
        }
    });
}

#[test]
fn phc_corpus() {
    replay("phc", |b| {
        if let Some(s) = text(b) {
            let _ = validate_phc(s);
            let _ = needs_rehash(s);
        }
    });
}
