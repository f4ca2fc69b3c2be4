//! Checks that do not build anything: [`lint`] warns about content an editor
//! will want to fix; [`site`] checks a built site the way a reader's browser
//! meets it; [`summary`] groups the problems of a run by kind.

pub mod lint;
pub mod site;
pub mod summary;
