//! dossier: a static documentation site generator.
//!
//! The pipeline, one module a step:
//! seed → [`import`] → `content/` → [`content`] (pages, typed front matter) →
//! [`markdown`] (HTML, ids, outgoing links) → [`links`] (URL map, wikilinks,
//! backlinks) → [`render`] (Tera) → [`output`] (atomic write of `site/`).

pub mod diag;
pub mod frontmatter;
pub mod import;
pub mod slug;
pub mod yaml;
