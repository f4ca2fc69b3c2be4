//! Acronyms: the report's own list, plus those it defines inline as
//! `Long Form (ACR)` but leaves out of the list.

/// Whether `token` looks like an acronym: 2–8 characters, letters and
/// hyphens, starting with a capital, at least two capitals.
pub fn acronym_shaped(token: &str) -> bool {
    let n = token.chars().count();
    (2..=8).contains(&n)
        && token.starts_with(|c: char| c.is_ascii_uppercase())
        && token.chars().all(|c| c.is_ascii_alphabetic() || c == '-')
        && token.chars().filter(char::is_ascii_uppercase).count() >= 2
}

/// Inline definitions `Long Form (ACR)` in `text`: the acronym (a plural `s`
/// dropped) and the shortest run of words before the parenthesis whose
/// initials contain the acronym's capitals in order.
pub fn inline_definitions(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(rel) = text[from..].find('(') {
        let open = from + rel;
        from = open + 1;
        let Some(close_rel) = text[open..].find(')') else {
            break;
        };
        let inner = &text[open + 1..open + close_rel];
        let token = if acronym_shaped(inner) {
            inner
        } else if inner.ends_with('s') && acronym_shaped(&inner[..inner.len() - 1]) {
            &inner[..inner.len() - 1]
        } else {
            continue;
        };
        let letters: Vec<char> = token.chars().filter(char::is_ascii_uppercase).collect();
        let words: Vec<&str> = text[..open]
            .split_whitespace()
            .rev()
            .take(letters.len() + 4)
            .collect::<Vec<_>>()
            .into_iter()
            .rev()
            .collect();
        for start in (0..words.len()).rev() {
            let window = &words[start..];
            let first = window[0].trim_matches(|c: char| !c.is_alphanumeric());
            if !first.starts_with(letters[0]) {
                continue;
            }
            let initials: Vec<char> = window
                .iter()
                .filter_map(|w| {
                    w.trim_matches(|c: char| !c.is_alphanumeric())
                        .chars()
                        .next()
                })
                .filter(|c| c.is_uppercase())
                .collect();
            let mut it = initials.iter();
            if letters.iter().all(|l| it.any(|c| c == l)) {
                let expansion = window
                    .join(" ")
                    .trim_end_matches(|c: char| !c.is_alphanumeric())
                    .trim_start_matches(|c: char| !c.is_alphanumeric())
                    .to_string();
                out.push((token.to_string(), expansion));
                break;
            }
        }
    }
    out
}

/// Where and how the report explains an acronym, best rule first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Definition {
    /// Which rule found it (lower is better): a label opening a paragraph
    /// (`Building Integrity (BI). While …`), an apposition (`the Finnish
    /// Defence Forces International Centre (FINCENT), NATO's academic lead
    /// for …,`), a clause of an enumeration that explains the term before
    /// naming it (`understanding the human environment through continuous
    /// assessment … (UHE);`), a sentence saying what it is (`BI is …`).
    pub rank: u8,
    /// A short definition, with the spelled-out form written as the
    /// acronym (the page states the expansion once, in its header).
    pub short: String,
    /// The report's passage it comes from.
    pub passage: String,
}

/// Words a short definition keeps before it is cut at a clause.
const SHORT_WORDS: usize = 35;

/// The definition of `acronym` (spelled out `expansion`) in the plain text
/// `p` of one paragraph, if `p` explains it.
pub fn definition(p: &str, acronym: &str, expansion: &str) -> Option<Definition> {
    // ASCII case folding keeps byte offsets, which index the original text.
    let lower = p.to_ascii_lowercase();
    let exp = expansion.to_ascii_lowercase();
    let label = format!("{exp} ({})", acronym.to_ascii_lowercase());
    let sentences = super::text::sentences(p);
    // A label: the paragraph opens with `Expansion (ACR).`; the next
    // sentence explains it.
    if lower.trim_start().starts_with(&format!("{label}.")) && sentences.len() > 1 {
        let passage = sentences[1].clone();
        return Some(Definition {
            rank: 0,
            short: shorten(&spell_as(&passage, expansion, acronym)),
            passage,
        });
    }
    for s in &sentences {
        let sl = s.to_ascii_lowercase();
        // An apposition: `Expansion (ACR), a noun phrase, …`.
        if let Some(at) = sl.find(&format!("{label}, ")) {
            let after = &s[at + label.len() + 2..];
            if let Some(end) = after.find(", ") {
                let words = after[..end].split_whitespace().count();
                let first = after.split_whitespace().next().unwrap_or("");
                const NOT_NOUNS: [&str; 9] = [
                    "which",
                    "who",
                    "that",
                    "including",
                    "and",
                    "or",
                    "but",
                    "while",
                    "as",
                ];
                if (2..=15).contains(&words) && !NOT_NOUNS.contains(&first) {
                    return Some(Definition {
                        rank: 1,
                        short: sentence_case(&after[..end]),
                        passage: s.clone(),
                    });
                }
            }
        }
        // A clause that explains the term before naming it.
        for clause in s.split("; ").flat_map(|c| c.split(": ")) {
            // The last item of an enumeration: `…; and contributing to …`.
            let clause = ["and ", "or "]
                .iter()
                .find_map(|w| clause.strip_prefix(w))
                .unwrap_or(clause);
            let cl = clause.to_ascii_lowercase();
            let open = format!(" ({}", acronym.to_ascii_lowercase());
            let Some(paren) = cl.find(&open) else {
                continue;
            };
            if !cl.starts_with(&exp) || paren <= exp.len() {
                continue;
            }
            let between = clause[exp.len()..paren].trim_start_matches([',', ' ']);
            if between.split_whitespace().count() < 2 {
                continue;
            }
            // `(MH, NATO's primary responsibility)` adds to the definition.
            let inside = &clause[paren + open.len()..];
            let extra = inside
                .split_once(')')
                .map(|(x, _)| x.trim_start_matches([',', ' ']).trim())
                .filter(|x| !x.is_empty() && *x != "s");
            let short = match extra {
                Some(x) => format!("… {between} ({x})."),
                None => format!("… {between}."),
            };
            return Some(Definition {
                rank: 2,
                short,
                passage: format!("… {} …", clause.trim_end_matches(['.', ';'])),
            });
        }
        // A sentence saying what it is.
        let a = acronym.to_ascii_lowercase();
        let subjects = [
            format!("{a} is "),
            format!("the {a} is "),
            format!("{label} is "),
            format!("{a} refers to "),
            format!("{label} refers to "),
        ];
        if subjects.iter().any(|x| sl.starts_with(x.as_str())) {
            return Some(Definition {
                rank: 3,
                short: shorten(&spell_as(s, expansion, acronym)),
                passage: s.clone(),
            });
        }
    }
    None
}

/// `text` with its spelled-out `expansion` (any case, with or without the
/// acronym in brackets after it) written as `acronym`.
fn spell_as(text: &str, expansion: &str, acronym: &str) -> String {
    let mut out = text.to_string();
    for form in [format!("{expansion} ({acronym})"), expansion.to_string()] {
        // ASCII case folding keeps byte offsets, which index `out`; one pass,
        // so that an acronym holding the form cannot be replaced again.
        let form = form.to_ascii_lowercase();
        if form.is_empty() {
            continue;
        }
        let lower = out.to_ascii_lowercase();
        let mut next = String::new();
        let mut from = 0;
        for (i, _) in lower.match_indices(&form) {
            next.push_str(&out[from..i]);
            next.push_str(acronym);
            from = i + form.len();
        }
        next.push_str(&out[from..]);
        out = next;
    }
    out
}

/// A definition cut to about [`SHORT_WORDS`] words, at a clause boundary.
fn shorten(s: &str) -> String {
    if s.split_whitespace().count() <= SHORT_WORDS {
        return s.to_string();
    }
    // Where the word after the last one kept begins.
    let limit = s
        .split_whitespace()
        .nth(SHORT_WORDS)
        .map_or(s.len(), |w| w.as_ptr() as usize - s.as_ptr() as usize);
    let head = &s[..limit];
    let cut = [", ", " – ", "; ", " (", ": "]
        .iter()
        .filter_map(|b| head.rfind(b))
        .filter(|&i| s[..i].split_whitespace().count() >= 8)
        .max()
        .unwrap_or(head.trim_end().len());
    format!("{} …", s[..cut].trim_end())
}

fn sentence_case(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => format!("{}{}.", f.to_uppercase(), c.as_str().trim_end_matches('.')),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_inline_definitions() {
        let t = "While Building Integrity (BI) is separate, the Department for Stabilisation and Humanitarian Aid (DSH) pays; (2021) and (independent consultant) are not; non-governmental organisations (NGOs) are.";
        assert_eq!(
            inline_definitions(t),
            vec![
                ("BI".to_string(), "Building Integrity".to_string()),
                (
                    "DSH".to_string(),
                    "Department for Stabilisation and Humanitarian Aid".to_string()
                ),
            ]
        );
    }

    #[test]
    fn shapes() {
        assert!(acronym_shaped("PoC"));
        assert!(acronym_shaped("C-SASE"));
        assert!(!acronym_shaped("Poc"));
        assert!(!acronym_shaped("2021"));
    }

    #[test]
    fn definitions_by_label_apposition_clause_and_copula() {
        let d = definition(
            "Building Integrity (BI). While at the political level Building Integrity – NATO’s approach to corruption – is separate, it connects. More text.",
            "BI",
            "Building Integrity",
        )
        .unwrap();
        assert_eq!(d.rank, 0);
        assert_eq!(
            d.short,
            "While at the political level BI – NATO’s approach to corruption – is separate, it connects."
        );
        let d = definition(
            "In short, the Finnish Defence Forces International Centre (FINCENT), NATO's academic lead for human security, is revising its course.",
            "FINCENT",
            "Finnish Defence Forces International Centre",
        )
        .unwrap();
        assert_eq!(
            (d.rank, d.short.as_str()),
            (1, "NATO's academic lead for human security.")
        );
        let d = definition(
            "It has four parts: understanding the human environment through continuous assessment (UHE); mitigating harm to civilians from the force's actions (MH, NATO's primary responsibility); and contributing to a safe and secure environment by providing security (C-SASE).",
            "MH",
            "Mitigating Harm",
        )
        .unwrap();
        assert_eq!(
            (d.rank, d.short.as_str()),
            (
                2,
                "… to civilians from the force's actions (NATO's primary responsibility)."
            )
        );
        let d = definition(
            "It has four parts: understanding the human environment through continuous assessment (UHE); and contributing to a safe and secure environment by providing security (C-SASE).",
            "C-SASE",
            "Contributing to a Safe and Secure Environment",
        )
        .unwrap();
        assert_eq!(d.short, "… by providing security.");
        let d = definition(
            "Early on, CHM is the practice of avoiding harm.",
            "CHM",
            "Civilian harm mitigation",
        );
        assert!(d.is_none(), "{d:?}");
        let d = definition(
            "CHM is the practice of avoiding harm.",
            "CHM",
            "Civilian harm mitigation",
        )
        .unwrap();
        assert_eq!(d.rank, 3);
        // A mere use explains nothing, nor does a relative clause.
        assert!(definition(
            "The US ended civilian harm mitigation (CHM) approaches.",
            "CHM",
            "Civilian harm mitigation"
        )
        .is_none());
        assert!(definition(
            "The NATO Mission Iraq (NMI), which had supported work, was hit.",
            "NMI",
            "NATO Mission Iraq"
        )
        .is_none());
    }

    #[test]
    fn long_definitions_are_cut_at_a_clause() {
        let long = format!("Covering grave violence, the policy mandates that NATO assesses the risk, liaises with organisations, {} and more.", "word ".repeat(40));
        let s = shorten(&long);
        // Any spacing and any letters: never cut inside a character.
        let odd = format!("Ça  va, {}", "é\u{a0}é  ".repeat(40));
        assert!(shorten(&odd).ends_with(" …"));
        assert!(
            s.ends_with(" …") && s.split_whitespace().count() <= SHORT_WORDS + 1,
            "{s}"
        );
        assert!(s.starts_with("Covering grave violence, the policy"), "{s}");
    }
}
