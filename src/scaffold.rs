//! `dossier new`: a new page with valid front matter, at the path its kind
//! and title suggest, never overwriting anything.

use std::path::{Path, PathBuf};

use crate::content::frontmatter::{FrontMatter, Kind};
use crate::content::yaml;
use crate::diag::Diagnostic;
use crate::slug::{shorten, slugify};

/// The longest file name `new` makes from a title, extension aside: a whole
/// sentence as a file name is unwieldy in a shell and in links, and some
/// file systems and archive formats limit a name's or a path's length.
const MAX_SLUG_BYTES: usize = 60;

/// The folder under content/ where pages of a kind usually live.
pub fn folder_for(kind: Kind) -> &'static str {
    match kind {
        Kind::Chapter => "chapters",
        Kind::Topic => "topics",
        Kind::Acronym => "acronyms",
        Kind::Recommendation => "recommendations",
        Kind::Source => "sources",
        Kind::Interview => "interviews",
        Kind::Page => "",
    }
}

/// Creates `content/<folder>/<slug>.md` for a page of `kind` titled `title`
/// and returns its path. Ordered kinds get the next free `order`.
pub fn new_page(
    content: &Path,
    kind: Kind,
    title: &str,
    expansion: Option<&str>,
) -> Result<PathBuf, Diagnostic> {
    let title = title.trim();
    let slug = slugify(title);
    let slug = shorten(&slug, MAX_SLUG_BYTES);
    if slug.is_empty() {
        return Err(Diagnostic::error(
            content,
            0,
            0,
            format!("cannot make a file name from the title '{title}'"),
        )
        .with_hint("use a title with letters or digits"));
    }
    if kind == Kind::Acronym && expansion.is_none_or(|e| e.trim().is_empty()) {
        return Err(
            Diagnostic::error(content, 0, 0, "an acronym page needs its expansion").with_hint(
                format!("dossier new acronym \"{title}\" --expansion \"its long form\""),
            ),
        );
    }
    let dir = content.join(folder_for(kind));
    let path = dir.join(format!("{slug}.md"));
    if path.exists() {
        return Err(
            Diagnostic::error(&path, 0, 0, "already exists; not overwritten")
                .with_hint("choose another title, or edit the existing page"),
        );
    }
    let order = matches!(kind, Kind::Chapter | Kind::Recommendation | Kind::Interview)
        .then(|| next_order(&dir));
    let meta = FrontMatter {
        title: Some(title.to_string()),
        kind: Some(kind),
        order,
        expansion: expansion.map(|e| e.trim().to_string()),
        ..FrontMatter::default()
    };
    let yaml = yaml::to_string(&meta).map_err(|e| Diagnostic::error(&path, 0, 0, e))?;
    let text = format!("---\n{yaml}summary: \"\"\n---\n\nWrite the page here.\n");
    std::fs::create_dir_all(&dir)
        .map_err(|e| Diagnostic::error(&dir, 0, 0, format!("cannot create folder: {e}")))?;
    // create_new: a file that appeared since the check above is still not overwritten.
    use std::io::Write;
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(&path)
        .map_err(|e| Diagnostic::error(&path, 0, 0, format!("cannot create: {e}")))?;
    f.write_all(text.as_bytes())
        .map_err(|e| Diagnostic::error(&path, 0, 0, format!("cannot write: {e}")))?;
    Ok(path)
}

/// One more than the highest `order` among the pages already in `dir`.
fn next_order(dir: &Path) -> i64 {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return 1;
    };
    entries
        .flatten()
        .filter_map(|e| std::fs::read_to_string(e.path()).ok())
        .filter_map(|t| {
            crate::content::frontmatter::split(&t)
                .ok()
                .and_then(|s| s.front_matter)
                .and_then(|f| f.order)
        })
        .max()
        .map_or(1, |m| m + 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn creates_a_valid_page_and_refuses_to_overwrite() {
        let dir = tempfile::tempdir().unwrap();
        let p = new_page(dir.path(), Kind::Topic, "Civilian harm", None).unwrap();
        assert_eq!(p, dir.path().join("topics/civilian-harm.md"));
        let page = crate::content::load_page(&p, "topics/civilian-harm.md").unwrap();
        assert_eq!(
            (page.title.as_str(), page.kind),
            ("Civilian harm", Kind::Topic)
        );
        std::fs::write(&p, "edited").unwrap();
        let e = new_page(dir.path(), Kind::Topic, "Civilian harm", None).unwrap_err();
        assert!(e.message.contains("already exists"));
        assert_eq!(std::fs::read_to_string(&p).unwrap(), "edited");
    }

    #[test]
    fn ordered_kinds_get_the_next_order_and_acronyms_need_an_expansion() {
        let dir = tempfile::tempdir().unwrap();
        new_page(dir.path(), Kind::Chapter, "One", None).unwrap();
        let two = new_page(dir.path(), Kind::Chapter, "Two", None).unwrap();
        let page = crate::content::load_page(&two, "chapters/two.md").unwrap();
        assert_eq!(page.meta.order, Some(2));
        assert!(new_page(dir.path(), Kind::Acronym, "UN", None).is_err());
        let un = new_page(dir.path(), Kind::Acronym, "UN", Some("United Nations")).unwrap();
        assert!(crate::content::load_page(&un, "acronyms/un.md").is_ok());
    }

    #[test]
    fn a_very_long_title_gets_a_short_file_name() {
        let dir = tempfile::tempdir().unwrap();
        let title = "A ".repeat(10) + &"word ".repeat(60);
        let p = new_page(dir.path(), Kind::Topic, &title, None).unwrap();
        let name = p.file_name().unwrap().to_str().unwrap();
        assert!(name.len() <= 63, "{name}");
        assert!(name.ends_with("-word.md"), "{name}");
        let page = crate::content::load_page(&p, name).unwrap();
        assert_eq!(page.title, title.trim());
    }
}
