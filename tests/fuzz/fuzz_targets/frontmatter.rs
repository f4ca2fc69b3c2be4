//! Front matter splitting and YAML parsing never panic, and a split body is
//! always a suffix of the input at the offset it claims.
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    if let Ok(split) = dossier::frontmatter::split(text) {
        assert_eq!(&text[split.body_offset..], split.body);
    }
});
