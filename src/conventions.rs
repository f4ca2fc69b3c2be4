//! Which markdown conventions a site's content follows, where dossier and
//! another tool would give the same text different meanings.
//!
//! Syntax with a marker plain CommonMark never means otherwise (callouts,
//! task lists, `%%comments%%`) is always read; what remains here would
//! change the output of a site written for dossier alone.

/// The conventions of one site.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Conventions {
    /// Headings also answer to the ids GitHub gives them
    /// (`Smileys & Emotion` → `smileys--emotion`), so that `#anchor` links
    /// written for GitHub (or mdBook, which makes the same ids) still land.
    pub github_ids: bool,
}

impl Conventions {
    /// The conventions a collection of pages (their paths under the content
    /// folder) shows it follows: a `README.md` at the top is how GitHub and
    /// mdBook collections open.
    pub fn detect<'a>(rels: impl IntoIterator<Item = &'a str>) -> Self {
        Conventions {
            github_ids: rels
                .into_iter()
                .any(|rel| rel.eq_ignore_ascii_case("README.md")),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_readme_at_the_top_means_github_ids() {
        assert!(Conventions::detect(["a.md", "README.md"]).github_ids);
        assert!(!Conventions::detect(["a.md", "sub/README.md"]).github_ids);
        assert!(!Conventions::detect(["_index.md", "chapters/a.md"]).github_ids);
    }
}
