//! Acronym matching: hits are in order, inside the text, on char
//! boundaries, and each one is a defined term (or its plural).
#![no_main]
use libfuzzer_sys::fuzz_target;

fuzz_target!(|text: &str| {
    let mut m = dossier::acronyms::Matcher::new();
    let terms = ["US", "NGO", "C-SASE", "PoC", "A-B-C-D", "UN"];
    for (i, t) in terms.iter().enumerate() {
        m.insert(t, i);
    }
    let mut last = 0;
    for h in m.find(text) {
        assert!(h.start >= last && h.end <= text.len() && h.start < h.end);
        assert!(text.is_char_boundary(h.start) && text.is_char_boundary(h.end));
        let word = &text[h.start..h.end];
        assert!(word == terms[h.id] || word.strip_suffix('s') == Some(terms[h.id]));
        last = h.end;
    }
});
