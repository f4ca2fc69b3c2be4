//! The report as a publication: who wrote it, who published it and when,
//! read from the home page's front matter (`authors`, `publisher`,
//! `published`, `date`, `pdf`). The home page shows how to cite it; every
//! page's head names it for machines (Google Scholar's Highwire tags, Open
//! Graph, a schema.org `Report`).
//!
//! Everything here is made once per build from data an author wrote, so
//! every format escapes for where it goes: BibTeX braces, RIS lines, and
//! JSON that cannot close the `<script>` element it is written into.

use serde::Serialize;

use crate::content::frontmatter::FrontMatter;

/// The facts a citation needs, and the citation in the usual formats.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct Report {
    /// The title.
    pub title: String,
    /// Authors, as written.
    pub authors: Vec<String>,
    /// Publisher.
    pub publisher: Option<String>,
    /// The date as the report states it (`July 2026`), else the machine date.
    pub published: Option<String>,
    /// Four-digit year, from the machine date or the stated one.
    pub year: Option<String>,
    /// `YYYY-MM-DD` (or `YYYY-MM`, `YYYY`) when the front matter's `date` is one.
    pub iso_date: Option<String>,
    /// The same with `/`, as Highwire's `citation_publication_date` wants it.
    pub citation_date: Option<String>,
    /// One or two sentences about the report.
    pub summary: Option<String>,
    /// The original PDF (`http(s)` only).
    pub pdf: Option<String>,
    /// The site's address, when the build was given one.
    pub url: Option<String>,
    /// A reference in prose: authors (year) title. publisher. URL.
    pub cite: String,
    /// BibTeX entry.
    pub bibtex: String,
    /// RIS record.
    pub ris: String,
    /// schema.org `Report` JSON-LD, safe inside `<script type="application/ld+json">`.
    pub json_ld: String,
}

impl Report {
    /// The report named by home page front matter `meta` titled `title`;
    /// `None` when it names neither authors, publisher nor a stated date
    /// (an ordinary site, not a publication). `url` is the site's address.
    pub fn from_home(title: &str, meta: &FrontMatter, url: Option<&str>) -> Option<Report> {
        if meta.authors.is_empty() && meta.publisher.is_none() && meta.published.is_none() {
            return None;
        }
        let nonempty = |s: &Option<String>| {
            s.as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty())
                .map(str::to_string)
        };
        let iso_date = nonempty(&meta.date).filter(|d| is_iso_date(d));
        let published = nonempty(&meta.published).or_else(|| iso_date.clone());
        let year = iso_date
            .as_deref()
            .map(|d| d[..4].to_string())
            .or_else(|| published.as_deref().and_then(year_in));
        let pdf = nonempty(&meta.pdf)
            .filter(|p| matches!(crate::url::scheme(p).as_deref(), Some("http" | "https")));
        let mut r = Report {
            title: title.trim().to_string(),
            authors: meta
                .authors
                .iter()
                .map(|a| a.trim().to_string())
                .filter(|a| !a.is_empty())
                .collect(),
            publisher: nonempty(&meta.publisher),
            citation_date: iso_date.as_ref().map(|d| d.replace('-', "/")),
            iso_date,
            published,
            year,
            summary: nonempty(&meta.summary),
            pdf,
            url: url.map(str::to_string),
            cite: String::new(),
            bibtex: String::new(),
            ris: String::new(),
            json_ld: String::new(),
        };
        r.cite = r.cite_text();
        r.bibtex = r.bibtex();
        r.ris = r.ris();
        r.json_ld = r.json_ld();
        Some(r)
    }

    fn cite_text(&self) -> String {
        let mut s = String::new();
        if !self.authors.is_empty() {
            s.push_str(&list(&self.authors));
            s.push(' ');
        } else if let Some(p) = &self.publisher {
            s.push_str(p);
            s.push(' ');
        }
        if let Some(y) = &self.year {
            s.push_str(&format!("({y}) "));
        }
        s.push_str(&self.title);
        if !self.title.ends_with(['.', '?', '!']) {
            s.push('.');
        }
        if let Some(p) = self.publisher.as_ref().filter(|_| !self.authors.is_empty()) {
            s.push_str(&format!(" {p}"));
            if let Some(d) = &self.published {
                s.push_str(&format!(", {d}"));
            }
            s.push('.');
        }
        if let Some(u) = &self.url {
            s.push_str(&format!(" {u}"));
        }
        s
    }

    fn key(&self) -> String {
        let who = self
            .authors
            .first()
            .and_then(|a| a.split_whitespace().last())
            .or(self.publisher.as_deref())
            .unwrap_or("report");
        let word = self
            .title
            .split_whitespace()
            .find(|w| w.chars().filter(|c| c.is_alphanumeric()).count() > 3)
            .unwrap_or("");
        let mut key: String = format!("{who}{}{word}", self.year.as_deref().unwrap_or(""))
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect();
        key.make_ascii_lowercase();
        if key.is_empty() {
            "report".into()
        } else {
            key
        }
    }

    fn bibtex(&self) -> String {
        let mut fields: Vec<(&str, String)> = Vec::new();
        if !self.authors.is_empty() {
            let names: Vec<String> = self.authors.iter().map(|a| bib(a)).collect();
            fields.push(("author", names.join(" and ")));
        }
        fields.push(("title", bib(&self.title)));
        if let Some(p) = &self.publisher {
            fields.push(("institution", bib(p)));
        }
        if let Some(y) = &self.year {
            fields.push(("year", y.clone()));
        }
        if let Some(m) = self.iso_date.as_deref().and_then(|d| d.get(5..7)) {
            fields.push(("month", m.trim_start_matches('0').to_string()));
        }
        if let Some(u) = &self.url {
            fields.push(("url", bib(u)));
        }
        let mut s = format!("@techreport{{{},\n", self.key());
        for (k, v) in &fields {
            s.push_str(&format!("  {k} = {{{v}}},\n"));
        }
        s.push('}');
        s
    }

    fn ris(&self) -> String {
        let mut s = String::from("TY  - RPRT\n");
        let mut line = |tag: &str, v: &str| {
            // One value per line: a line break would start a bogus tag.
            let v = v.split_whitespace().collect::<Vec<_>>().join(" ");
            s.push_str(&format!("{tag}  - {v}\n"));
        };
        for a in &self.authors {
            line("AU", a);
        }
        line("TI", &self.title);
        if let Some(p) = &self.publisher {
            line("PB", p);
        }
        if let Some(y) = &self.year {
            line("PY", y);
        }
        if let Some(d) = &self.citation_date {
            line("DA", d);
        }
        if let Some(a) = &self.summary {
            line("AB", a);
        }
        if let Some(u) = &self.url {
            line("UR", u);
        }
        if let Some(p) = &self.pdf {
            line("L1", p);
        }
        s.push_str("ER  - ");
        s
    }

    fn json_ld(&self) -> String {
        let mut v = serde_json::json!({
            "@context": "https://schema.org",
            "@type": "Report",
            "name": self.title,
            "inLanguage": "en",
        });
        let o = v.as_object_mut().expect("a JSON object");
        if !self.authors.is_empty() {
            let people: Vec<serde_json::Value> = self
                .authors
                .iter()
                .map(|a| serde_json::json!({"@type": "Person", "name": a}))
                .collect();
            o.insert("author".into(), people.into());
        }
        if let Some(p) = &self.publisher {
            o.insert(
                "publisher".into(),
                serde_json::json!({"@type": "Organization", "name": p}),
            );
        }
        if let Some(d) = self.iso_date.as_ref().or(self.year.as_ref()) {
            o.insert("datePublished".into(), d.clone().into());
        }
        if let Some(s) = &self.summary {
            o.insert("description".into(), s.clone().into());
        }
        if let Some(u) = &self.url {
            o.insert("url".into(), u.clone().into());
        }
        if let Some(p) = &self.pdf {
            o.insert(
                "encoding".into(),
                serde_json::json!({"@type": "MediaObject", "contentUrl": p, "encodingFormat": "application/pdf"}),
            );
        }
        script_safe_json(&v.to_string())
    }
}

/// JSON that an HTML parser cannot end early: inside `<script>` only
/// `</script` (any case), `<!--` and `<script` mean anything, and all need
/// `<`; `>` and `&` are escaped too, as JSON allows, so no reading of the
/// text as HTML finds markup in it.
pub fn script_safe_json(json: &str) -> String {
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        match c {
            '<' => out.push_str("\\u003c"),
            '>' => out.push_str("\\u003e"),
            '&' => out.push_str("\\u0026"),
            '\u{2028}' => out.push_str("\\u2028"),
            '\u{2029}' => out.push_str("\\u2029"),
            c => out.push(c),
        }
    }
    out
}

/// A BibTeX value: braces balanced by escaping them, TeX specials escaped.
fn bib(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '{' | '}' | '&' | '%' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '\\' => out.push_str("\\textbackslash{}"),
            '\n' | '\r' => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// `["1", "2", "3"]` → `1, 2 and 3`.
pub(crate) fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

fn is_iso_date(d: &str) -> bool {
    let b = d.as_bytes();
    let digits = |r: std::ops::Range<usize>| b[r].iter().all(u8::is_ascii_digit);
    match b.len() {
        4 => digits(0..4),
        7 => digits(0..4) && b[4] == b'-' && digits(5..7),
        10 => digits(0..4) && b[4] == b'-' && digits(5..7) && b[7] == b'-' && digits(8..10),
        _ => false,
    }
}

/// The first four-digit word of `s` (`July 2026` → `2026`).
fn year_in(s: &str) -> Option<String> {
    s.split(|c: char| !c.is_ascii_digit())
        .find(|w| w.len() == 4)
        .map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(yaml: &str) -> FrontMatter {
        crate::content::yaml::from_str(yaml).unwrap()
    }

    #[test]
    fn an_ordinary_site_is_no_report() {
        assert_eq!(Report::from_home("Docs", &meta("summary: x\n"), None), None);
    }

    #[test]
    fn citations_name_authors_year_title_publisher_and_url() {
        let m = meta("authors: [Ann Lee, Bo Kim]\npublisher: ACME\npublished: May 2025\ndate: 2025-05-01\nsummary: Short.\npdf: https://x.org/r.pdf\n");
        let r =
            Report::from_home("Safe & sound {draft}", &m, Some("https://site.example/")).unwrap();
        assert_eq!(
            r.cite,
            "Ann Lee and Bo Kim (2025) Safe & sound {draft}. ACME, May 2025. https://site.example/"
        );
        assert!(
            r.bibtex.starts_with("@techreport{kim2025safe,\n")
                || r.bibtex.starts_with("@techreport{lee2025safe,\n"),
            "{}",
            r.bibtex
        );
        assert!(
            r.bibtex.contains("  author = {Ann Lee and Bo Kim},\n"),
            "{}",
            r.bibtex
        );
        assert!(
            r.bibtex
                .contains("  title = {Safe \\& sound \\{draft\\}},\n"),
            "{}",
            r.bibtex
        );
        assert!(
            r.bibtex
                .contains("  institution = {ACME},\n  year = {2025},\n  month = {5},\n"),
            "{}",
            r.bibtex
        );
        assert!(r.ris.contains("TY  - RPRT\nAU  - Ann Lee\nAU  - Bo Kim\nTI  - Safe & sound {draft}\nPB  - ACME\nPY  - 2025\nDA  - 2025/05/01\n"), "{}", r.ris);
        assert!(
            r.ris.contains("L1  - https://x.org/r.pdf\n") && r.ris.ends_with("ER  - "),
            "{}",
            r.ris
        );
        assert_eq!(r.citation_date.as_deref(), Some("2025/05/01"));
        assert_eq!(r.published.as_deref(), Some("May 2025"));
    }

    #[test]
    fn json_ld_cannot_close_its_script_element() {
        let m = meta("authors: ['</script><script>alert(1)</script>']\npublisher: P\n");
        let r = Report::from_home("A <!-- b --> & </SCRIPT>", &m, None).unwrap();
        assert!(
            !r.json_ld.contains('<') && !r.json_ld.contains('>'),
            "{}",
            r.json_ld
        );
        let v: serde_json::Value = serde_json::from_str(&r.json_ld).unwrap();
        assert_eq!(v["@type"], "Report");
        assert_eq!(v["name"], "A <!-- b --> & </SCRIPT>");
        assert_eq!(v["author"][0]["name"], "</script><script>alert(1)</script>");
    }

    #[test]
    fn a_pdf_that_is_not_on_the_web_is_left_out_and_the_year_comes_from_the_stated_date() {
        let m = meta("publisher: P\npublished: Spring 2024\npdf: 'javascript:alert(1)'\n");
        let r = Report::from_home("T", &m, None).unwrap();
        assert_eq!(r.pdf, None);
        assert_eq!(r.year.as_deref(), Some("2024"));
        assert_eq!(r.citation_date, None);
    }
}
