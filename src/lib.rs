//! dossier: a static documentation site generator.
//!
//! The pipeline, one module a step:
//! seed → [`import`] → `content/` → [`content`] (pages, typed front matter) →
//! [`markdown`] (HTML, ids, outgoing links) → [`links`] (URL map, wikilinks,
//! backlinks) → [`render`] (Tera) → [`output`] (atomic write of `site/`).
//! Beside the pages, the render step writes the reading aids: the [`search`]
//! index, the [`graph`] map and the [`print`](mod@print) page.

pub mod acronyms;
pub mod backlinks;
pub mod build;
pub mod cli;
pub mod content;
pub mod diag;
pub mod frontmatter;
pub mod graph;
pub mod import;
pub mod links;
pub mod lint;
pub mod markdown;
pub mod output;
pub mod print;
pub mod render;
pub mod report;
pub mod scaffold;
pub mod search;
pub mod serve;
pub mod sitecheck;
pub mod slug;
#[cfg(test)]
mod testing;
pub mod url;
pub mod wayfinding;
pub mod yaml;
