//! The importer's text parser, repairs and page writer on arbitrary seed text
//! (and decomposition): see `checks::import_text`.
#![no_main]
use libfuzzer_sys::fuzz_target;

#[path = "../checks.rs"]
#[allow(dead_code)] // each target uses one of the checks
mod checks;

fuzz_target!(
    init: {
        // The link index is made on rayon's global pool. With worker threads,
        // when each wakes and sleeps shows up as "new coverage" for hours and
        // hides whether the importer's own coverage has levelled off; a pool
        // of only the fuzzing thread runs the same code in one order.
        rayon::ThreadPoolBuilder::new()
            .num_threads(1)
            .use_current_thread()
            .build_global()
            .expect("rayon's global pool is built once, before any input");
    },
    |data: &[u8]| checks::import_text(data)
);
