//! Reading the attributes of the tags in an HTML text, as a browser's
//! tokenizer splits them: double-quoted, single-quoted and unquoted values,
//! `>` inside quotes, comments skipped, and the contents of `<script>` and
//! `<style>` read as text, not as tags. One scanner serves the printout
//! (which rewrites ids and links), `check --site` (which follows every URL)
//! and the build's own tests. Values are given as written: decoding
//! character references is the caller's business (the printout copies
//! them, `check --site` decodes them).

use std::ops::Range;

/// One attribute of a tag, borrowed from the scanned text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attr<'h> {
    /// The tag's name as written (`a`, `IMG`); compare ignoring case.
    pub tag: &'h str,
    /// The attribute's name as written; compare ignoring case.
    pub name: &'h str,
    /// The value as written, without its quotes; empty without a value.
    pub value: &'h str,
    /// Where the value stands in the text; `None` without `=`.
    pub value_at: Option<Range<usize>>,
    /// Where the tag's `<` stands in the text.
    pub tag_at: usize,
}

impl Attr<'_> {
    /// Whether this is attribute `name` (lowercase) of any tag.
    pub fn is(&self, name: &str) -> bool {
        self.name.eq_ignore_ascii_case(name)
    }

    /// Whether this is attribute `name` of tag `tag` (both lowercase).
    pub fn is_of(&self, tag: &str, name: &str) -> bool {
        self.tag.eq_ignore_ascii_case(tag) && self.is(name)
    }
}

/// What the scanner meets: an attribute, or the text of a `<script>` or
/// `<style>` element.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Item<'h> {
    Attr(Attr<'h>),
    /// The contents of a `<script>` or `<style>`, with the element's name
    /// as written and where the contents start.
    RawText {
        tag: &'h str,
        at: usize,
        text: &'h str,
    },
}

/// Every attribute of every tag in `html`, in order.
pub fn attributes(html: &str) -> impl Iterator<Item = Attr<'_>> {
    scan(html).filter_map(|item| match item {
        Item::Attr(a) => Some(a),
        Item::RawText { .. } => None,
    })
}

/// Every attribute and every script or style text in `html`, in order.
pub fn scan(html: &str) -> Scanner<'_> {
    Scanner {
        html,
        at: 0,
        tag: None,
        raw_text_of: None,
    }
}

/// The iterator of [`scan`].
pub struct Scanner<'h> {
    html: &'h str,
    /// Where scanning goes on.
    at: usize,
    /// Inside a tag: its name and where its `<` stands.
    tag: Option<(&'h str, usize)>,
    /// After the `>` of a `<script>` or `<style>`: its name.
    raw_text_of: Option<&'h str>,
}

impl<'h> Iterator for Scanner<'h> {
    type Item = Item<'h>;

    fn next(&mut self) -> Option<Item<'h>> {
        loop {
            if let Some((tag, tag_at)) = self.tag {
                match self.next_attribute(tag, tag_at) {
                    // A stray `=` names nothing; its value is passed over.
                    Some(attr) if attr.name.is_empty() => continue,
                    Some(attr) => return Some(Item::Attr(attr)),
                    None => {
                        self.tag = None;
                        let raw = ["script", "style"];
                        if raw.iter().any(|r| tag.eq_ignore_ascii_case(r)) {
                            self.raw_text_of = Some(tag);
                        }
                    }
                }
            }
            if let Some(tag) = self.raw_text_of.take() {
                let at = self.at;
                let end = raw_text_end(self.html, at, tag);
                self.at = end;
                let text = &self.html[at..end];
                return Some(Item::RawText { tag, at, text });
            }
            self.next_tag()?;
        }
    }
}

impl<'h> Scanner<'h> {
    /// Moves to the next start tag, past comments and end tags; `None` at
    /// the end of the text.
    fn next_tag(&mut self) -> Option<()> {
        let html = self.html;
        let b = html.as_bytes();
        loop {
            let start = self.at + memchr::memchr(b'<', &b[self.at..])?;
            if html[start..].starts_with("<!--") {
                self.at = memchr::memmem::find(&b[start + 4..], b"-->")
                    .map_or(html.len(), |e| start + 4 + e + 3);
                continue;
            }
            let name_end = start
                + 1
                + b[start + 1..]
                    .iter()
                    .position(|c| !(c.is_ascii_alphanumeric() || *c == b'-'))
                    .unwrap_or(b.len() - start - 1);
            self.at = name_end;
            if name_end > start + 1 {
                self.tag = Some((&html[start + 1..name_end], start));
                return Some(());
            }
        }
    }

    /// The next attribute of the tag being read, or `None` at its `>` (the
    /// scan then goes on after it).
    fn next_attribute(&mut self, tag: &'h str, tag_at: usize) -> Option<Attr<'h>> {
        let html = self.html;
        let b = html.as_bytes();
        let skip_space = |mut j: usize| {
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            j
        };
        let mut j = self.at;
        loop {
            j = skip_space(j);
            match b.get(j) {
                None => {
                    self.at = j;
                    return None;
                }
                Some(b'>') => {
                    self.at = j + 1;
                    return None;
                }
                Some(b'/') => j += 1,
                Some(_) => break,
            }
        }
        let name_start = j;
        while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'=' && b[j] != b'>' {
            j += 1;
        }
        let name = &html[name_start..j];
        let mut value_at = None;
        let after_name = skip_space(j);
        if b.get(after_name) == Some(&b'=') {
            j = skip_space(after_name + 1);
            match b.get(j) {
                Some(&q @ (b'"' | b'\'')) => {
                    let end = memchr::memchr(q, &b[j + 1..]).map_or(b.len(), |e| j + 1 + e);
                    value_at = Some(j + 1..end);
                    j = (end + 1).min(b.len());
                }
                _ => {
                    let start = j;
                    while j < b.len() && !b[j].is_ascii_whitespace() && b[j] != b'>' {
                        j += 1;
                    }
                    value_at = Some(start..j);
                }
            }
        }
        self.at = j;
        Some(Attr {
            tag,
            name,
            value: value_at.clone().map_or("", |r| &html[r]),
            value_at,
            tag_at,
        })
    }
}

/// Where the text of a `<script>` or `<style>` that starts at `from` ends:
/// at its end tag (`</script`, any case), or at the end of `html`.
fn raw_text_end(html: &str, from: usize, tag: &str) -> usize {
    let b = html.as_bytes();
    memchr::memmem::find_iter(&b[from..], b"</")
        .map(|i| from + i)
        .find(|&i| {
            b.get(i + 2..i + 2 + tag.len())
                .is_some_and(|name| name.eq_ignore_ascii_case(tag.as_bytes()))
        })
        .unwrap_or(html.len())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn triples(html: &str) -> Vec<(&str, &str, &str)> {
        attributes(html).map(|a| (a.tag, a.name, a.value)).collect()
    }

    #[test]
    fn quoted_single_quoted_and_unquoted_values_are_read() {
        assert_eq!(
            triples("<a href=\"a b.html\" id='z' class=x hidden data-x = \"y\">t</a>"),
            [
                ("a", "href", "a b.html"),
                ("a", "id", "z"),
                ("a", "class", "x"),
                ("a", "hidden", ""),
                ("a", "data-x", "y"),
            ]
        );
        assert_eq!(
            triples("<img src=x.png/><br/><p title=\"q\"id=r>"),
            [
                ("img", "src", "x.png/"),
                ("p", "title", "q"),
                ("p", "id", "r")
            ]
        );
    }

    #[test]
    fn a_gt_or_quote_inside_quotes_stays_in_the_value() {
        assert_eq!(
            triples("<a title=\"a > b\" alt='say \"hi\"' href=\"x\">"),
            [
                ("a", "title", "a > b"),
                ("a", "alt", "say \"hi\""),
                ("a", "href", "x")
            ]
        );
    }

    #[test]
    fn values_keep_their_character_references_and_say_where_they_stand() {
        let html = "<p><a HREF=\"a.html?x=1&amp;y=2\">t</a>";
        let a: Vec<Attr> = attributes(html).collect();
        assert_eq!(a.len(), 1);
        assert_eq!(a[0].value, "a.html?x=1&amp;y=2");
        assert_eq!(&html[a[0].value_at.clone().unwrap()], a[0].value);
        assert_eq!(a[0].tag_at, 3);
        assert!(a[0].is_of("a", "href"));
    }

    #[test]
    fn comments_end_tags_and_script_or_style_text_hold_no_attributes() {
        let html = "<!-- <a href=\"no\"> --><a href=x>t</a ><SCRIPT>var s = '<a href=\"no\">';\
                    </b></Script ><style>p{background:url(q.png)}</style><img src=y><!-- open";
        assert_eq!(triples(html), [("a", "href", "x"), ("img", "src", "y")]);
        let raw: Vec<(&str, &str)> = scan(html)
            .filter_map(|i| match i {
                Item::RawText { tag, text, .. } => Some((tag, text)),
                Item::Attr(_) => None,
            })
            .collect();
        assert_eq!(
            raw,
            [
                ("SCRIPT", "var s = '<a href=\"no\">';</b>"),
                ("style", "p{background:url(q.png)}")
            ]
        );
    }

    #[test]
    fn text_cut_short_ends_the_scan() {
        for html in [
            "<",
            "<a",
            "<a href",
            "<a href=",
            "<a href=\"x",
            "<script>x",
            "é<é",
        ] {
            let _ = scan(html).count();
        }
        assert_eq!(triples("<a href=\"x"), [("a", "href", "x")]);
        assert_eq!(triples("<a b"), [("a", "b", "")]);
        let no_value: Vec<Attr> = attributes("<p id>").collect();
        assert_eq!(no_value[0].value_at, None);
        assert_eq!(triples("<a =\"x\" b=\"\">"), [("a", "b", "")]);
    }
}
