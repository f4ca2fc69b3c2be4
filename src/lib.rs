//! dossier: a static documentation site generator.
//!
//! The folders are the pipeline, one step each:
//! seed → [`import`] → `content/` → [`content`] (pages, typed front matter,
//! YAML) → [`markdown`] (HTML, ids, outgoing links) → [`links`] (URL map,
//! wikilinks, link graph) → [`render`] (Tera; backlinks, map, print page,
//! wayfinding) → [`output`] (atomic write of `site/`). Beside the pages the
//! [`search`] index is written. [`build`] runs the steps in order; [`check`]
//! lints content and checks a built site; [`serve`] rebuilds on edits.

pub mod build;
pub mod check;
pub mod cli;
pub mod content;
pub mod conventions;
pub mod diag;
pub mod import;
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
