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

/// The rules on a small synthetic report: how its quotes, recommendations
/// and actors come out of the importer.
#[cfg(test)]
mod import_tests {
    use crate::diag::Diagnostics;
    use crate::import::{generate, pages::Pages};
    use std::path::Path;

    const SEED: &str = "June 2025\n\nACME\n\nA short report on plans\n\nColophon\n\nAuthor: Jo Doe\n\nList of acronyms\n\nUN\tUnited Nations\n\n1. First chapter: the start\n\nThe plan is late. It should be finished soon. Allies must fund the plan in full. Two, the budget is small.\n\n2. Second chapter\n\nA heading here\n\nNGOs should watch the plan closely.\n";

    fn gen(dec: &str) -> Result<(Pages, Diagnostics), Diagnostics> {
        generate(
            Path::new("s.txt"),
            SEED.as_bytes(),
            Path::new("d.yaml"),
            Some(dec),
        )
    }

    fn messages(d: &Diagnostics) -> Vec<String> {
        d.iter().map(|d| d.to_string()).collect()
    }

    const TOPIC: &str =
        "topics:\n  - slug: plans\n    title: Plans\n    summary: S.\n    phrases: [plan]\n";

    #[test]
    fn two_recommendations_quoting_one_sentence_are_an_error_naming_both() {
        let dec = "recommendations:\n  - slug: fund-it\n    title: Fund it\n    actor: Allies\n    phrase: Allies must\n    rationale: R.\n  - slug: pay-for-it\n    title: Pay for it\n    actor: Allies\n    phrase: fund the plan\n    rationale: R.\n";
        let e = messages(&gen(dec).unwrap_err());
        assert!(
            e.iter().any(|m| m.starts_with("d.yaml:7:")
                && m.contains(
                    "'pay-for-it' quotes the same sentence as recommendation 'fund-it' (line 2)"
                )),
            "{e:?}"
        );
    }

    #[test]
    fn also_may_not_repeat_the_pages_own_quote() {
        let dec = "recommendations:\n  - slug: fund-it\n    title: Fund it\n    actor: Allies\n    phrase: Allies must\n    also: [fund the plan]\n    rationale: R.\n";
        let e = messages(&gen(dec).unwrap_err());
        assert!(
            e.iter().any(|m| m.starts_with("d.yaml:6:")
                && m.contains("'fund-it': `also` finds the sentence the page already quotes")),
            "{e:?}"
        );
    }

    #[test]
    fn a_quote_opening_with_a_pronoun_warns_at_its_line_unless_given_an_antecedent() {
        let dec = format!("{TOPIC}    definition: should be finished soon\n");
        let (pages, warnings) = gen(&dec).unwrap();
        let w = messages(&warnings);
        assert!(
            w.iter().any(|m| m.starts_with("d.yaml:6: warning:")
                && m.contains("topic 'plans': the quote opens with \"It\"")),
            "{w:?}"
        );
        assert!(pages["topics/plans.md"].contains("> It should be finished soon."));

        let dec = format!("{dec}    antecedent: The plan\n");
        let (pages, warnings) = gen(&dec).unwrap();
        assert!(
            !messages(&warnings).iter().any(|m| m.contains("opens with")),
            "{warnings:?}"
        );
        let topic = &pages["topics/plans.md"];
        assert!(
            topic.contains("> [The plan] should be finished soon.\n"),
            "{topic}"
        );
    }

    #[test]
    fn an_opening_enumerator_is_dropped_and_the_quoted_source_named() {
        let dec = format!(
            "{TOPIC}    definition: the budget is small\n    quoting: the Treasury (note 3)\n"
        );
        let (pages, warnings) = gen(&dec).unwrap();
        assert!(
            !messages(&warnings).iter().any(|m| m.contains("opens with")),
            "{warnings:?}"
        );
        let topic = &pages["topics/plans.md"];
        assert!(topic.contains("> [T]he budget is small.\n"), "{topic}");
        assert!(
            topic.contains("), quoting the Treasury (note 3)\n"),
            "{topic}"
        );
    }

    #[test]
    fn a_recommendation_names_its_actor_and_quotes_what_its_sentence_needs() {
        let dec = "recommendations:\n  - slug: finish-it\n    title: Finish the plan\n    actor: NATO\n    phrase: should be finished soon\n    before: 1\n    rationale: R.\n  - slug: watch-it\n    title: Watch the plan\n    phrase: should watch the plan\n    rationale: R.\n";
        let (pages, warnings) = gen(dec).unwrap();
        let finish = &pages["recommendations/finish-it.md"];
        assert!(finish.contains("\nactor: NATO\n"), "{finish}");
        assert!(finish.contains("Who acts: **NATO**"), "{finish}");
        assert!(
            finish.contains("> The plan is late. It should be finished soon.\n"),
            "{finish}"
        );
        let w = messages(&warnings);
        assert!(
            w.iter()
                .any(|m| m.starts_with("d.yaml:8: warning:")
                    && m.contains("'watch-it' names no actor")),
            "{w:?}"
        );
        assert!(!pages["recommendations/watch-it.md"].contains("actor:"));
    }
}
