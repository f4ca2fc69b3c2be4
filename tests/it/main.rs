//! End-to-end tests: every test copies a fixture from `tests/fixtures/` into a
//! fresh temporary folder and runs the real `dossier` binary there, the way a
//! user would, then checks the files it wrote and what it printed.
//!
//! `import` runs the importer on the real seed in `seeds/`.
//!
//! One test binary (rather than one per file) so the crate is linked once.

mod book;
mod commands;
mod committed;
mod config;
// Kills, permissions and inodes as Unix has them.
#[cfg(unix)]
mod crash;
mod docs;
mod errors;
mod front;
mod fuzz_regressions;
mod guide;
mod hostile;
mod import;
mod incremental;
mod layout;
mod out_dir;
mod serve;
mod site;
mod support;
mod syntax;
mod transclusion;
mod understood;
mod urls;
mod vault;
