//! Which words of a chapter mean a topic, so that a link says what the text
//! says.
//!
//! A block's candidate mentions are every topic phrase and every acronym's
//! expansion written right before its acronym (`civilian harm mitigation
//! (CHM)`). The longest candidate claims its words first, so a shorter topic
//! phrase inside a longer term is never a mention of its own; an expansion
//! means the topic its acronym names, or nothing when it names none. A
//! claimed mention is then dropped when it is part of a proper name of
//! something else (`Iraq's National Protection of Civilians (PoC) Policy`,
//! `a Human Security Adviser`), or when the decomposition file excludes the
//! place (`exclude:`, for a phrase used in another sense).
//!
//! [`listing`] lists the topic links of the generated chapters, for
//! `dossier import --explain`.

use super::decompose::TopicSpec;
use super::pages::{find_phrase, Pages};
use super::text::normalise;
use std::collections::{BTreeMap, BTreeSet};

/// An acronym and its expansion, with the topic it names, if any.
#[derive(Debug, Clone)]
pub struct Term {
    /// `CHM`.
    pub acronym: String,
    /// `Civilian harm mitigation`.
    pub expansion: String,
    /// Index into the topics of the topic the acronym names.
    pub topic: Option<usize>,
}

/// The topic (index) an acronym's expansion names: its title or one of its
/// phrases, ignoring case, a plural `s`, and the acronym in brackets after a
/// title (`Civil-military cooperation (CIMIC)`).
pub fn topic_named(topics: &[TopicSpec], acronym: &str, expansion: &str) -> Option<usize> {
    let bare = |s: &str| {
        let s = s.trim();
        let s = s.strip_suffix(&format!("({acronym})")).unwrap_or(s);
        let n = normalise(s.trim()).to_lowercase();
        n.strip_suffix('s').map(str::to_string).unwrap_or(n)
    };
    let e = bare(expansion);
    topics.iter().position(|t| {
        std::iter::once(&t.title)
            .chain(&t.phrases)
            .any(|p| bare(p) == e)
    })
}

/// The terms of `acronyms` (acronym, expansion) with the topics they name.
pub fn terms(topics: &[TopicSpec], acronyms: &[(String, String)]) -> Vec<Term> {
    acronyms
        .iter()
        .map(|(a, e)| Term {
            acronym: a.clone(),
            expansion: e.clone(),
            topic: topic_named(topics, a, e),
        })
        .collect()
}

/// The mentions of topics in the markdown `md` of one block: byte span and
/// topic index, in text order.
pub fn mentions(md: &str, topics: &[TopicSpec], terms: &[Term]) -> Vec<((usize, usize), usize)> {
    let mut cands: Vec<((usize, usize), Option<usize>)> = Vec::new();
    for (ti, t) in topics.iter().enumerate() {
        for p in &t.phrases {
            cands.extend(find_phrase(md, p, false).into_iter().map(|s| (s, Some(ti))));
        }
    }
    for term in terms {
        for (s, e) in find_phrase(md, &term.expansion, false) {
            if defines(&md[e..], &term.acronym) {
                cands.push(((s, e), term.topic));
            }
        }
    }
    // Longest first: the words belong to the longest term that covers them.
    cands.sort_by_key(|&((s, e), t)| (std::cmp::Reverse(e - s), s, std::cmp::Reverse(t)));
    let mut claimed: Vec<((usize, usize), Option<usize>)> = Vec::new();
    for c in cands {
        if claimed
            .iter()
            .all(|&((s, e), _)| c.0 .1 <= s || c.0 .0 >= e)
        {
            claimed.push(c);
        }
    }
    let mut out: Vec<((usize, usize), usize)> = claimed
        .into_iter()
        .filter_map(|(span, t)| Some((span, t?)))
        .filter(|&(span, _)| !in_proper_name(md, span))
        .collect();
    if out.iter().any(|&(_, t)| !topics[t].exclude.is_empty()) {
        // ASCII case folding keeps byte offsets, which index `md`.
        let hay = md.to_ascii_lowercase();
        out.retain(|&(span, t)| !excluded(&hay, span, &topics[t].exclude));
    }
    out.sort();
    out
}

/// Whether `after` (the text after an expansion) opens with its acronym in
/// brackets: `(CHM)`, `(NGOs)`, `(MH, NATO's primary responsibility)`.
fn defines(after: &str, acronym: &str) -> bool {
    let Some(rest) = after
        .strip_prefix(" (")
        .and_then(|r| r.strip_prefix(acronym))
    else {
        return false;
    };
    let rest = rest.strip_prefix('s').unwrap_or(rest);
    rest.starts_with([')', ',', ';'])
}

/// Lowercase words that join the words of a name (`Protection of Cultural
/// Property`, `Policy for the Protection of Civilians`).
const JOINERS: [&str; 3] = ["of", "for", "the"];

/// Whether the capitalised words at `span` are part of a longer name: the
/// run of capitalised words goes on after them (past an acronym in
/// brackets), or began before them (past joining words), other than with a
/// sentence's first word or a possessive (`NATO's`).
fn in_proper_name(md: &str, (s, e): (usize, usize)) -> bool {
    if !md[s..e].starts_with(char::is_uppercase) {
        return false;
    }
    let mut after = md[e..].trim_start_matches(['*', '_']).trim_start();
    if let Some(inner) = after.strip_prefix('(') {
        if let Some(close) = inner.find(')') {
            if super::acronyms::acronym_shaped(inner[..close].trim_end_matches('s')) {
                after = inner[close + 1..].trim_start();
            }
        }
    }
    if after.starts_with(char::is_uppercase) {
        return true;
    }
    let mut before = &md[..s];
    let mut skipped = 0;
    loop {
        // Inline markup and a hyphen (`NATO-Ukraine Council`) join words.
        let trimmed = before.trim_end_matches(['*', '_', '-']);
        if trimmed.len() < before.len() && !trimmed.ends_with(char::is_whitespace) {
            before = trimmed;
        } else {
            before = trimmed.trim_end();
        }
        let start = before
            .rfind(|c: char| !(c.is_alphanumeric() || c == '’' || c == '\''))
            .map_or(0, |i| {
                i + before[i..].chars().next().map_or(1, char::len_utf8)
            });
        let word = &before[start..];
        if word.is_empty() {
            return false;
        }
        if JOINERS.contains(&word) && skipped < 2 {
            skipped += 1;
            before = &before[..start];
            continue;
        }
        if !word.starts_with(char::is_uppercase) || word.ends_with("’s") || word.ends_with("'s") {
            return false;
        }
        return !sentence_start(&before[..start]);
    }
}

/// Whether a word after `before` begins a sentence: nothing but opening
/// quotes and markup since a full stop (or colon), past any note markers
/// and closing quotes that follow it.
fn sentence_start(before: &str) -> bool {
    let mut ahead = before;
    loop {
        let t = ahead.trim_end_matches(|c: char| {
            c.is_whitespace()
                || matches!(
                    c,
                    '*' | '_' | '“' | '‘' | '"' | '\'' | '(' | '”' | '’' | ')'
                )
        });
        // A note marker `[^12]` after the full stop.
        let marker = t
            .strip_suffix(']')
            .and_then(|r| r.rfind("[^").map(|i| (i, &r[i + 2..])))
            .filter(|(_, digits)| !digits.is_empty() && digits.bytes().all(|b| b.is_ascii_digit()));
        match marker {
            Some((i, _)) => ahead = &t[..i],
            None => return t.is_empty() || t.ends_with(['.', '!', '?', ':', ';']),
        }
    }
}

/// Whether `span` lies inside one of the `contexts` (a few words around a
/// phrase used in another sense), ignoring case; `hay` is the text folded
/// to ASCII lowercase.
fn excluded(hay: &str, (s, e): (usize, usize), contexts: &[String]) -> bool {
    contexts.iter().any(|c| {
        let c = c.to_ascii_lowercase();
        hay.match_indices(&c)
            .any(|(a, m)| a <= s && e <= a + m.len())
    })
}

/// One topic link in a generated chapter, or a topic its section could not
/// link.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TopicLink {
    /// The page, relative to the content folder.
    pub page: String,
    /// Its line (1-based, counting the front matter).
    pub line: usize,
    /// The linked words.
    pub phrase: String,
    /// The topic's slug.
    pub topic: String,
    /// False for a section that mentions the topic without linking it
    /// (where the mention straddles the edge of another link, or sits in
    /// the words of one that cannot be cut): the editor may want to link it
    /// otherwise.
    pub linked: bool,
}

/// Every link to a topic page in the chapters of `pages`, and every section
/// that mentions a topic without linking it (see [`unlinked`]), in page and
/// line order, for an editor to review.
pub fn listing(pages: &Pages, topics: &[TopicSpec]) -> Vec<TopicLink> {
    let terms = page_terms(pages, topics);
    let mut out = Vec::new();
    for (rel, text) in pages.iter().filter(|(r, _)| r.starts_with("chapters/")) {
        for (i, line) in text.lines().enumerate() {
            if line.starts_with("[^") {
                continue;
            }
            for l in unwrap_links(line).links {
                let Some(slug) = l
                    .target
                    .strip_prefix("../topics/")
                    .and_then(|r| r.strip_suffix(".md"))
                else {
                    continue;
                };
                out.push(TopicLink {
                    page: rel.clone(),
                    line: i + 1,
                    phrase: line[l.words.0..l.words.1].to_string(),
                    topic: slug.to_string(),
                    linked: true,
                });
            }
        }
        out.extend(unlinked(rel, text, topics, &terms));
    }
    out.sort_by(|a, b| (&a.page, a.line).cmp(&(&b.page, b.line)));
    out
}

/// Where a mention sits among the links a topic mention may sit in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Spot {
    /// Outside every link.
    Free,
    /// Inside the words of the link with this index into [`Unwrapped::links`].
    InLink(usize),
    /// Partly inside a link: it cannot be linked without breaking that one.
    Across,
}

/// A link of a block that may hold a topic mention: to a topic page or to
/// a recommendation page (whose words are the report's own sentence).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WordsLink {
    /// The whole `[words](target)`, as byte range of the markdown.
    pub whole: (usize, usize),
    /// The words alone.
    pub words: (usize, usize),
    /// The target, `../topics/x.md`.
    pub target: String,
}

/// A block's markdown read through its topic and recommendation links, so
/// that a phrase means the same whether a link has been put around it or
/// not: their brackets and targets taken out, with each byte's offset in
/// the markdown.
struct Unwrapped {
    text: String,
    at: Vec<usize>,
    links: Vec<WordsLink>,
}

/// The targets whose links [`Unwrapped`] reads through.
const READ_THROUGH: [&str; 2] = ["../topics/", "../recommendations/"];

fn unwrap_links(md: &str) -> Unwrapped {
    let mut links = Vec::new();
    let mut from = 0;
    while let Some(k) = md[from..].find("](") {
        let close = from + k;
        from = close + 2;
        let target_start = close + 2;
        if !READ_THROUGH
            .iter()
            .any(|t| md[target_start..].starts_with(t))
        {
            continue;
        }
        let Some(end) = md[target_start..].find(')') else {
            continue;
        };
        // Link words escape their brackets (`\[`), so the last bare `[`
        // opens them.
        let Some(open) = md[..close]
            .rmatch_indices('[')
            .map(|(i, _)| i)
            .find(|&i| !md[..i].ends_with('\\'))
        else {
            continue;
        };
        if links.last().is_some_and(|l: &WordsLink| open < l.whole.1) {
            continue;
        }
        links.push(WordsLink {
            whole: (open, target_start + end + 1),
            words: (open + 1, close),
            target: md[target_start..target_start + end].to_string(),
        });
    }
    let mut text = String::with_capacity(md.len());
    let mut at = Vec::with_capacity(md.len() + 1);
    let mut pos = 0;
    let keep = |text: &mut String, at: &mut Vec<usize>, s: usize, e: usize| {
        text.push_str(&md[s..e]);
        at.extend(s..e);
    };
    for l in &links {
        keep(&mut text, &mut at, pos, l.words.0 - 1);
        keep(&mut text, &mut at, l.words.0, l.words.1);
        pos = l.whole.1;
    }
    keep(&mut text, &mut at, pos, md.len());
    at.push(md.len());
    Unwrapped { text, at, links }
}

/// A mention: byte span in the markdown, topic index, where it sits.
pub type Mention = ((usize, usize), usize, Spot);

/// The mentions of topics in the markdown `md` of one block, read through
/// its topic and recommendation links (the words of a link are text like
/// any other): byte span in `md`, topic index and where the span sits, in
/// text order.
pub fn mentions_through_links(
    md: &str,
    topics: &[TopicSpec],
    terms: &[Term],
) -> (Vec<Mention>, Vec<WordsLink>) {
    let u = unwrap_links(md);
    let out = mentions(&u.text, topics, terms)
        .into_iter()
        .map(|((s, e), t)| {
            let span = (u.at[s], u.at[e - 1] + 1);
            let spot = u
                .links
                .iter()
                .enumerate()
                .find(|(_, l)| span.0 < l.whole.1 && l.whole.0 < span.1)
                .map_or(Spot::Free, |(i, l)| {
                    if l.words.0 <= span.0 && span.1 <= l.words.1 {
                        Spot::InLink(i)
                    } else {
                        Spot::Across
                    }
                });
            (span, t, spot)
        })
        .collect();
    (out, u.links)
}

/// `md` with the words at `span`, inside the words of `link`, linked to
/// `target` instead: the link is cut around them, so that its own words
/// keep their link on both sides (`[NATO should](rec.md)
/// [protect civilians](topic.md) [at home](rec.md)`), with the spaces
/// between the pieces left unlinked so that a reader sees where one ends.
/// `None` where the cut would break emphasis inside the link's words.
pub fn cut_link(md: &str, link: &WordsLink, span: (usize, usize), target: &str) -> Option<String> {
    let words = &md[link.words.0..link.words.1];
    if words.contains(['*', '_', '`']) {
        return None;
    }
    let piece = |s: &str| -> String {
        let lead = &s[..s.len() - s.trim_start().len()];
        let trail = &s[s.trim_end().len()..];
        let core = s.trim();
        if core.is_empty() {
            s.to_string()
        } else {
            format!("{lead}[{core}]({}){trail}", link.target)
        }
    };
    Some(format!(
        "{}{}[{}]({target}){}{}",
        &md[..link.whole.0],
        piece(&md[link.words.0..span.0]),
        &md[span.0..span.1],
        piece(&md[span.1..link.words.1]),
        &md[link.whole.1..]
    ))
}

/// The section key of every block, given whether it is a heading and the
/// box it belongs to: a heading opens a new section, a box is a section of
/// its own, and the text after a box is back in the section it
/// interrupted. Chapters link a topic once per key.
pub fn section_keys(blocks: impl IntoIterator<Item = (bool, Option<usize>)>) -> Vec<usize> {
    let mut sections = Sections::default();
    blocks
        .into_iter()
        .map(|(heading, aside)| {
            if aside != sections.aside {
                if sections.aside.is_some() {
                    sections.leave_box();
                }
                if aside.is_some() {
                    sections.enter_box();
                }
                sections.aside = aside;
            }
            if heading {
                sections.heading();
            }
            sections.current
        })
        .collect()
}

/// The sections of one chapter as its blocks or its page lines go by.
#[derive(Debug, Default)]
struct Sections {
    current: usize,
    next: usize,
    /// The section a box interrupted.
    outer: Option<usize>,
    aside: Option<usize>,
}

impl Sections {
    fn fresh(&mut self) -> usize {
        self.next += 1;
        self.next
    }
    fn heading(&mut self) {
        self.current = self.fresh();
    }
    fn enter_box(&mut self) {
        self.outer = Some(self.current);
        self.current = self.fresh();
    }
    fn leave_box(&mut self) {
        if let Some(o) = self.outer.take() {
            self.current = o;
        }
    }
}

/// The terms (acronym, expansion) of the acronym pages among `pages`.
pub fn page_terms(pages: &Pages, topics: &[TopicSpec]) -> Vec<Term> {
    let list: Vec<(String, String)> = pages
        .iter()
        .filter(|(rel, _)| rel.starts_with("acronyms/"))
        .filter_map(|(_, text)| {
            let fm = crate::content::frontmatter::split(text)
                .ok()?
                .front_matter?;
            Some((fm.title?, fm.expansion?))
        })
        .collect();
    terms(topics, &list)
}

/// The topics a generated chapter page mentions in a section without
/// linking them there, read with the linker's own matcher and sections:
/// the lines of its blocks between headings (`#`), a box (`<aside>`) being
/// a section of its own; a line of HTML (a photo's credit in `<small>`) is
/// not the report's argument. `terms` are the site's acronyms.
pub fn unlinked(rel: &str, page: &str, topics: &[TopicSpec], terms: &[Term]) -> Vec<TopicLink> {
    let body_from = crate::content::frontmatter::split(page).map_or(0, |s| s.body_offset);
    let first_line = page[..body_from].matches('\n').count();
    let mut sections = Sections::default();
    // Per section: the topics linked, and the first mention of each.
    let mut linked: BTreeSet<(usize, usize)> = BTreeSet::new();
    let mut first: BTreeMap<(usize, usize), TopicLink> = BTreeMap::new();
    for (i, line) in page[body_from..].lines().enumerate() {
        let t = line.trim();
        if t == "<aside>" {
            sections.enter_box();
            continue;
        }
        if t == "</aside>" {
            sections.leave_box();
            continue;
        }
        if t.starts_with('#') {
            sections.heading();
            continue;
        }
        if t.starts_with("[^") || t.starts_with('<') {
            continue;
        }
        let md = t
            .strip_prefix("- ")
            .or_else(|| t.strip_prefix("> "))
            .unwrap_or(t);
        let (found, links) = mentions_through_links(md, topics, terms);
        for l in &links {
            if let Some(ti) = topics
                .iter()
                .position(|x| l.target == format!("../topics/{}.md", x.slug))
            {
                linked.insert((sections.current, ti));
            }
        }
        for ((s, e), ti, _) in found {
            first
                .entry((sections.current, ti))
                .or_insert_with(|| TopicLink {
                    page: rel.to_string(),
                    line: first_line + i + 1,
                    phrase: md[s..e].to_string(),
                    topic: topics[ti].slug.clone(),
                    linked: false,
                });
        }
    }
    let mut out: Vec<TopicLink> = first
        .into_iter()
        .filter(|(k, _)| !linked.contains(k))
        .map(|(_, l)| l)
        .collect();
    out.sort_by_key(|l| l.line);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn topic(slug: &str, title: &str, phrases: &[&str], exclude: &[&str]) -> TopicSpec {
        TopicSpec {
            slug: slug.into(),
            title: title.into(),
            aliases: vec![],
            summary: String::new(),
            phrases: phrases.iter().map(|p| p.to_string()).collect(),
            definition: String::new(),
            sentences: None,
            clause: false,
            related: vec![],
            exclude: exclude.iter().map(|p| p.to_string()).collect(),
            antecedent: None,
            quoting: None,
        }
    }

    fn topics() -> Vec<TopicSpec> {
        vec![
            topic(
                "mitigating-harm",
                "Mitigating harm",
                &["harm mitigation"],
                &[],
            ),
            topic(
                "chm",
                "Civilian harm mitigation and response",
                &["civilian harm", "civilian harm mitigation"],
                &[],
            ),
            topic(
                "poc",
                "Protection of Civilians",
                &["protection of civilians"],
                &[],
            ),
            topic(
                "expertise",
                "Expertise",
                &["human security expertise"],
                &["a consultant with human security expertise"],
            ),
            topic("hs", "Human security", &["human security"], &[]),
            topic("wps", "Women, Peace and Security", &[], &[]),
        ]
    }

    fn linked(md: &str) -> Vec<(String, String)> {
        let ts = topics();
        let terms = terms(
            &ts,
            &[
                ("CHM".into(), "Civilian harm mitigation".into()),
                ("PoC".into(), "Protection of Civilians".into()),
                ("US".into(), "United States".into()),
                ("WPS".into(), "Women, Peace and Security".into()),
            ],
        );
        mentions(md, &ts, &terms)
            .into_iter()
            .map(|((s, e), t)| (md[s..e].to_string(), ts[t].slug.clone()))
            .collect()
    }

    fn pair(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn an_acronym_defined_after_a_phrase_ties_the_whole_phrase_to_its_topic() {
        // Not "civilian [harm mitigation]": the longer term wins, and it is CHM's.
        assert_eq!(
            linked("the US dismantling civilian harm mitigation (CHM) approaches"),
            vec![pair("civilian harm mitigation", "chm")]
        );
        // Matched by the topic's title alone.
        assert_eq!(
            linked("the Women, Peace and Security (WPS) agenda"),
            vec![pair("Women, Peace and Security", "wps")]
        );
        assert_eq!(
            linked("NATO's harm mitigation and civilian harm tracking"),
            vec![
                pair("harm mitigation", "mitigating-harm"),
                pair("civilian harm", "chm")
            ]
        );
    }

    #[test]
    fn an_expansion_naming_no_topic_claims_its_words_for_nothing() {
        let ts = vec![topic("states", "States", &["states"], &[])];
        let terms = terms(&ts, &[("US".into(), "United States".into())]);
        let md = "the United States (US) and other states";
        let found: Vec<&str> = mentions(md, &ts, &terms)
            .into_iter()
            .map(|((s, e), _)| &md[s..e])
            .collect();
        assert_eq!(found, vec!["states"]);
        assert_eq!(
            mentions(md, &ts, &terms)[0].0 .0,
            md.rfind("states").unwrap()
        );
    }

    #[test]
    fn a_phrase_inside_a_proper_name_of_something_else_is_not_a_mention() {
        assert!(
            linked("the adoption of Iraq’s National Protection of Civilians (PoC) Policy.")
                .is_empty()
        );
        assert!(linked("The PAX Protection of Civilians (PoC) program seeks").is_empty());
        assert!(linked("it included a Human Security Adviser.").is_empty());
        // Nor does a sentence's first word after a note marker.
        assert_eq!(
            linked("levels.[^12] The Protection of Civilians work"),
            vec![pair("Protection of Civilians", "poc")]
        );
        // A sentence's first word and a possessive do not make a name.
        assert_eq!(
            linked("Protection of Civilians (PoC) grew. Human security matters."),
            vec![
                pair("Protection of Civilians", "poc"),
                pair("Human security", "hs")
            ]
        );
        assert_eq!(
            linked("It revised NATO's Protection of Civilians policy."),
            vec![pair("Protection of Civilians", "poc")]
        );
        assert_eq!(
            linked("five areas: **Protection of Civilians (PoC)**, and more"),
            vec![pair("Protection of Civilians", "poc")]
        );
    }

    #[test]
    fn a_phrase_in_an_excluded_place_is_not_a_mention() {
        // The longer phrase claims the words, and its place is excluded.
        assert!(
            linked("PAX tasked a consultant with human security expertise to write.").is_empty()
        );
        assert_eq!(
            linked("diminishing human security expertise within NATO"),
            vec![pair("human security expertise", "expertise")]
        );
    }

    #[test]
    fn the_listing_names_page_line_words_and_topic() {
        let mut pages = Pages::new();
        pages.insert(
            "chapters/01-a.md".into(),
            "---\ntitle: A\n---\n\nOn [human security](../topics/hs.md) and [x](../recommendations/x.md).\n\nThen [**civilian harm**](../topics/chm.md).\n\n## B\n\nWe [end civilian harm](../recommendations/x.md) and [human security](../recommendations/y.md); [human security](../topics/hs.md).\n".into(),
        );
        pages.insert(
            "topics/hs.md".into(),
            "---\ntitle: H\n---\n\n- [Other](../topics/chm.md)\n".into(),
        );
        assert_eq!(
            listing(&pages, &topics()),
            vec![
                TopicLink {
                    page: "chapters/01-a.md".into(),
                    line: 5,
                    phrase: "human security".into(),
                    topic: "hs".into(),
                    linked: true,
                },
                TopicLink {
                    page: "chapters/01-a.md".into(),
                    line: 7,
                    phrase: "**civilian harm**".into(),
                    topic: "chm".into(),
                    linked: true,
                },
                TopicLink {
                    page: "chapters/01-a.md".into(),
                    line: 11,
                    phrase: "human security".into(),
                    topic: "hs".into(),
                    linked: true,
                },
                // Only inside a recommendation link in section B.
                TopicLink {
                    page: "chapters/01-a.md".into(),
                    line: 11,
                    phrase: "civilian harm".into(),
                    topic: "chm".into(),
                    linked: false,
                },
            ]
        );
    }

    #[test]
    fn a_link_is_cut_around_a_topic_phrase_in_its_words() {
        let cut = |md: &str, phrase: &str| {
            let (_, links) = mentions_through_links(md, &[], &[]);
            let s = md.find(phrase).unwrap();
            cut_link(md, &links[0], (s, s + phrase.len()), "t.md")
        };
        // In the middle: the ask keeps its link on both sides, the spaces
        // between the pieces stay unlinked.
        assert_eq!(
            cut("**[build expertise for partnerships abroad](../recommendations/r.md)**.", "partnerships").as_deref(),
            Some("**[build expertise for](../recommendations/r.md) [partnerships](t.md) [abroad](../recommendations/r.md)**.")
        );
        // At either end, one piece is left.
        assert_eq!(
            cut(
                "to [respond to humanitarian needs](../recommendations/r.md), and",
                "humanitarian needs"
            )
            .as_deref(),
            Some("to [respond to](../recommendations/r.md) [humanitarian needs](t.md), and")
        );
        assert_eq!(
            cut(
                "[Ukraine offers a chance](../recommendations/r.md)",
                "Ukraine"
            )
            .as_deref(),
            Some("[Ukraine](t.md) [offers a chance](../recommendations/r.md)")
        );
        // Emphasis inside the words would be cut in two.
        assert_eq!(
            cut(
                "[keep **harm** mitigation](../recommendations/r.md)",
                "mitigation"
            ),
            None
        );
    }

    #[test]
    fn mentions_read_through_topic_and_recommendation_links_only() {
        let ts = topics();
        let md = "[We keep protection of civilians](../recommendations/r.md), [human security](../topics/hs.md) and [civilian harm and more](../sources/s.md); [keep civilian](../recommendations/k.md) harm low.";
        let (found, links) = mentions_through_links(md, &ts, &[]);
        let got: Vec<(&str, &str, Spot)> = found
            .iter()
            .map(|&((s, e), t, spot)| (&md[s..e], ts[t].slug.as_str(), spot))
            .collect();
        assert_eq!(
            got,
            vec![
                ("protection of civilians", "poc", Spot::InLink(0)),
                ("human security", "hs", Spot::InLink(1)),
                (
                    "civilian](../recommendations/k.md) harm",
                    "chm",
                    Spot::Across
                ),
            ]
        );
        assert_eq!(links.len(), 3);
    }

    #[test]
    fn a_box_is_a_section_and_the_text_after_it_is_back_in_the_one_it_interrupted() {
        let keys = section_keys([
            (false, None),
            (true, None),
            (false, None),
            (true, Some(0)),
            (false, Some(0)),
            (false, None),
            (true, None),
        ]);
        assert_eq!(keys[1], keys[2]);
        assert_ne!(keys[0], keys[1]);
        assert_eq!(keys[3], keys[4]);
        assert_ne!(keys[4], keys[2]);
        assert_eq!(keys[5], keys[2]);
        assert_ne!(keys[6], keys[5]);
    }

    #[test]
    fn a_section_that_mentions_a_topic_without_linking_it_is_listed() {
        let ts = topics();
        let page = "---\ntitle: A\n---\n\nOn [human security](../topics/hs.md).\n\n<aside>\n\n## Box\n\n- human security in a box.\n\n</aside>\n\nStill human security, linked above.\n\n### Sub\n\n> Quoted **human security** here.\n\nWe [keep civilian](../recommendations/k.md) harm low.\n\n[^1]: A note on human security.\n";
        let got: Vec<(usize, String, String)> = unlinked("chapters/a.md", page, &ts, &[])
            .into_iter()
            .map(|l| (l.line, l.phrase, l.topic))
            .collect();
        assert_eq!(
            got,
            vec![
                (11, "human security".into(), "hs".into()),
                (19, "human security".into(), "hs".into()),
                (
                    21,
                    "civilian](../recommendations/k.md) harm".into(),
                    "chm".into()
                ),
            ]
        );
    }
}
