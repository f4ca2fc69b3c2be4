//! Links, in two steps around the markdown step: before it, the [`index`]
//! (the URL map: where each page is, what names and acronyms point at it,
//! what a link or wikilink resolves to); after it, the [`graph`] (the links
//! each page recorded, and from them each page's backlinks).
//!
//! [`acronyms`] finds the words of prose that are acronyms with a page, for
//! the index to link them.

pub mod acronyms;
mod foreign;
pub mod graph;
pub mod index;
pub mod vault;

pub use graph::{backlinks, sentence_around, Backlink, Link, Mention, SharedText};
pub use index::{is_external, relative_href, HeadingsOf, Index, Target};
