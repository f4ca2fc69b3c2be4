//! dossier: a static documentation site generator.
//!
//! The folders are the pipeline, one step each. No module uses a module
//! that uses it back, so each step reads knowing only the ones it uses (a
//! test, `tests/it/layout.rs`, keeps it so):
//!
//! ```text
//! seed ─ import ─→ content/ ─ content ─→ links::index ─→ markdown ─→ links::graph ─→ render ─→ output ─→ site/
//!                                                           └──────→ search ─────────────────────┘
//! ```
//!
//! - [`import`] turns a seed report into the pages of `content/`.
//! - [`content`] loads the pages: typed front matter (YAML or TOML), and
//!   what other tools' collections mean by their files (mdBook's
//!   `SUMMARY.md` and includes, `README.md` indexes, Hugo/Zola shortcodes).
//! - [`links`] is the step on both sides of markdown: its [`links::index`]
//!   (where every page is, the names and acronyms that point at it, and
//!   [`links::vault`]'s Obsidian file names) is made
//!   before any markdown is rendered; its [`links::graph`] (who links to
//!   whom) from the links the pages recorded.
//! - [`markdown`] renders one page: HTML, ids, the links it found, and its
//!   plain text for [`search`], which keeps what its index needs of it.
//! - [`render`] fills the templates: content pages, the pages the build
//!   makes itself (kind indexes, home, 404, map, printout), backlinks.
//! - [`output`] writes the site atomically.
//!
//! [`config`] reads `dossier.toml` and detects the conventions a site
//! follows. [`build`] runs the steps in order, one after another; [`incremental`]
//! runs the same steps for `dossier serve`, keeping what an edit left as it
//! was; [`check`] lints content and checks a built site; [`serve`] rebuilds
//! on edits. [`diag`], [`html`], [`slug`] and [`url`] are leaves any step
//! uses.

pub mod build;
pub mod check;
pub mod cli;
pub mod config;
pub mod content;
pub mod diag;
pub mod html;
pub mod import;
pub mod incremental;
pub mod links;
pub mod markdown;
pub mod output;
pub mod render;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod slug;
#[cfg(test)]
mod testing;
pub mod url;
