//! `user import` input as Csv: any bytes must give rows or a clean error, never a panic.
#![no_main]

use gatehouse::import::{parse, InputFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse(data, InputFormat::Csv, None);
});
