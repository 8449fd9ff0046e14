//! `user import` input as Jsonl: any bytes must give rows or a clean error, never a panic.
#![no_main]

use gatehouse::import::{parse, InputFormat};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = parse(data, InputFormat::Jsonl, None);
});
