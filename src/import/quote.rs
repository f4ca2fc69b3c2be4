//! Quotes that stand on their own. A sentence lifted out of its paragraph
//! may open with a word that points back at the sentence before it ("It
//! should…", "This is…", "Two, the focus…"); quoted alone, the reader cannot
//! tell what it refers to. An enumerator is simply dropped; a pronoun needs
//! the editor's antecedent from the decomposition file, written in brackets
//! as editors mark their own words inside a quote.

/// Opening words that refer back to an earlier sentence.
const PRONOUNS: [&str; 9] = [
    "It", "Its", "This", "These", "Those", "That", "They", "Their", "Such",
];

/// Opening words that count an item of a list begun earlier.
const ENUMERATORS: [&str; 10] = [
    "One", "Two", "Three", "Four", "Five", "First", "Second", "Third", "Fourth", "Finally",
];

/// The first word of `quote`, without trailing punctuation.
fn first_word(quote: &str) -> &str {
    let w = quote.split_whitespace().next().unwrap_or("");
    w.trim_end_matches([',', ';', ':'])
}

/// The word that leaves `quote` without its antecedent, if it opens with
/// one; `None` when it opens with an editor's bracket.
pub fn dangling_opening(quote: &str) -> Option<&str> {
    let q = quote.trim_start();
    if q.starts_with('[') {
        return None;
    }
    let w = first_word(q);
    let enumerator = ENUMERATORS.contains(&w) && q[w.len()..].starts_with(',');
    (PRONOUNS.contains(&w) || enumerator).then_some(w)
}

/// `quote` made to stand alone: an opening enumerator ("Two, the focus…")
/// is dropped and the next word capitalised in brackets ("[T]he focus…");
/// an opening pronoun is replaced by `antecedent` in brackets when the
/// editor gives one.
pub fn stand_alone(quote: &str, antecedent: Option<&str>) -> String {
    let q = quote.trim_start();
    let Some(w) = dangling_opening(q) else {
        return q.to_string();
    };
    if ENUMERATORS.contains(&w) && q[w.len()..].starts_with(',') {
        let rest = q[w.len() + 1..].trim_start();
        let mut chars = rest.chars();
        return match chars.next() {
            Some(c) if c.is_lowercase() => {
                format!("[{}]{}", c.to_uppercase(), chars.as_str())
            }
            _ => rest.to_string(),
        };
    }
    match antecedent {
        Some(a) => format!("[{}]{}", a.trim(), &q[w.len()..]),
        None => q.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pronouns_and_enumerators_dangle_brackets_do_not() {
        assert_eq!(dangling_opening("It should be done."), Some("It"));
        assert_eq!(dangling_opening("These factors matter."), Some("These"));
        assert_eq!(dangling_opening("Two, the focus moved."), Some("Two"));
        assert_eq!(dangling_opening("[The plan] should be done."), None);
        assert_eq!(dangling_opening("Itself a word."), None);
        assert_eq!(dangling_opening("Two tactical headquarters agree."), None);
        assert_eq!(dangling_opening("NATO should act."), None);
    }

    #[test]
    fn an_enumerator_is_dropped_and_a_pronoun_replaced() {
        assert_eq!(
            stand_alone("Two, the focus on defence has grown.", None),
            "[T]he focus on defence has grown."
        );
        assert_eq!(
            stand_alone("It should, however, be complemented.", Some("The focus")),
            "[The focus] should, however, be complemented."
        );
        // Without an antecedent the words stay as the report has them.
        assert_eq!(stand_alone("It should.", None), "It should.");
        assert_eq!(stand_alone("NATO should.", Some("X")), "NATO should.");
    }
}
