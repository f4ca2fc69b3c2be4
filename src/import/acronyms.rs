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
}
