//! Session lifetimes (`--ttl`, `session.ttl`): any text parses to 1s..=24h or is refused.
#![no_main]

use gatehouse::model::Ttl;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(s) = std::str::from_utf8(data) {
        if let Ok(Ttl(d)) = s.parse::<Ttl>() {
            assert!(
                d.as_secs() >= 1 && d.as_secs() <= 24 * 3600,
                "{s:?} gave {d:?}"
            );
        }
    }
});
