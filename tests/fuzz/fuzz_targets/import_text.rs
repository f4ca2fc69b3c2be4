//! The importer's text parser and repairs on arbitrary seed text: an error
//! or pages, never a panic or a hang.
#![no_main]
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let _ = dossier::import::generate(Path::new("seed.txt"), data, Path::new("d.yaml"), None);
});
