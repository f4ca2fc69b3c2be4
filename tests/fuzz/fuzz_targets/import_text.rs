//! The importer's text parser, repairs and page writer on arbitrary seed text
//! (and decomposition): see `checks::import_text`.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
#[allow(dead_code)] // each target uses one of the checks
mod checks;

fuzz_target!(|data: &[u8]| checks::import_text(data));
