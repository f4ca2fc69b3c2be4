//! The markdown pass (ids, links, wikilinks, footnotes) on two pages cut from
//! the input: see `checks::markdown_links`.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
#[allow(dead_code)] // each target uses one of the checks
mod checks;

fuzz_target!(|data: &[u8]| checks::markdown_links(data));
