//! Imported `password_hash` values: validating and the re-hash check must never panic.
#![no_main]

use gatehouse::password::{needs_rehash, validate_phc};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        let _ = validate_phc(s);
        let _ = needs_rehash(s);
    }
});
