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
        .filter(|&(span, t)| !excluded(md, span, &topics[t].exclude))
        .collect();
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
/// phrase used in another sense), ignoring case.
fn excluded(md: &str, (s, e): (usize, usize), contexts: &[String]) -> bool {
    // ASCII case folding keeps byte offsets, which index `md`.
    let hay = md.to_ascii_lowercase();
    contexts.iter().any(|c| {
        let c = c.to_ascii_lowercase();
        hay.match_indices(&c)
            .any(|(a, m)| a <= s && e <= a + m.len())
    })
}

/// At a section's end: its topics mentioned only inside other links go to
/// `out` as not linked.
fn end_section(linked: &mut Vec<String>, inside: &mut Vec<TopicLink>, out: &mut Vec<TopicLink>) {
    for t in inside.drain(..) {
        if !linked.contains(&t.topic) {
            out.push(t);
        }
    }
    linked.clear();
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
    /// False for a section that mentions the topic only inside another link
    /// (links do not nest): the editor may want to link it otherwise.
    pub linked: bool,
}

/// Every link to a topic page in the chapters of `pages`, and every section
/// whose only mentions of a topic sit inside another link, in page and line
/// order, for an editor to review.
pub fn listing(pages: &Pages, topics: &[TopicSpec]) -> Vec<TopicLink> {
    const TOPICS: &str = "../topics/";
    let mut out = Vec::new();
    for (rel, text) in pages.iter().filter(|(r, _)| r.starts_with("chapters/")) {
        let mut linked: Vec<String> = Vec::new();
        let mut inside: Vec<TopicLink> = Vec::new();
        for (i, line) in text.lines().enumerate() {
            if line.starts_with("## ") {
                end_section(&mut linked, &mut inside, &mut out);
                continue;
            }
            if line.starts_with("[^") {
                continue;
            }
            let mut from = 0;
            while let Some(k) = line[from..].find("](") {
                let close = from + k;
                from = close + 2;
                let Some(open) = line[..close].rfind('[') else {
                    continue;
                };
                let target = &line[close + 2..];
                let words = &line[open + 1..close];
                if let Some(rest) = target.strip_prefix(TOPICS) {
                    let Some(end) = rest.find(".md)") else {
                        continue;
                    };
                    linked.push(rest[..end].to_string());
                    out.push(TopicLink {
                        page: rel.clone(),
                        line: i + 1,
                        phrase: words.to_string(),
                        topic: rest[..end].to_string(),
                        linked: true,
                    });
                    continue;
                }
                for t in topics {
                    let hit = t
                        .phrases
                        .iter()
                        .find_map(|p| find_phrase(words, p, false).first().copied());
                    if let Some((s, e)) = hit {
                        if !inside.iter().any(|x| x.topic == t.slug) {
                            inside.push(TopicLink {
                                page: rel.clone(),
                                line: i + 1,
                                phrase: words[s..e].to_string(),
                                topic: t.slug.clone(),
                                linked: false,
                            });
                        }
                    }
                }
            }
        }
        end_section(&mut linked, &mut inside, &mut out);
    }
    out.sort_by(|a, b| (&a.page, a.line).cmp(&(&b.page, b.line)));
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
}
