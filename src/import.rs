//! The old path of the import parsers, which now live in [`crate::input_formats`]; kept
//! for the callers that name it (the fuzz test reads `gatehouse::import::parse`).

pub use crate::input_formats::*;
