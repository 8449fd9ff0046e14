//! Email parsing: any text must parse or be refused, never panic; a parsed email is
//! trimmed, lower-case and parses again to itself.
#![no_main]

use gatehouse::model::Email;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(e) = s.parse::<Email>() {
            let again: Email = e.as_str().parse().expect("a parsed email parses again");
            assert_eq!(again, e);
        }
    }
});
