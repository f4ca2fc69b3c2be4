//! The URL policy: which URLs written in content may reach a page, and how
//! the build's own relative URLs are kept from reading as a scheme.
//!
//! Content is often written by several people, and readers trust the site,
//! so a URL from markdown must never run script when followed. As GitHub's
//! sanitizer and markdown-it do, schemes are allowed by name rather than
//! refused by name: `http`, `https`, `mailto`, `tel`, and relative URLs;
//! images may also be `data:` images of the raster types (not SVG, which
//! can carry script). The scheme is read the way a browser reads it (after
//! the markdown parser decoded entities): ASCII whitespace and control
//! characters anywhere are dropped and case is ignored, so `java\tscript:`,
//! ` JaVaScRiPt:` and `java&#115;cript:` are all `javascript:`.
//!
//! Also the URL helpers every step shares: percent-encoding a path,
//! decoding one, and joining a relative path onto a folder.

use std::borrow::Cow;

use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, CONTROLS};

/// What a URL is used for: an image may be a `data:` image, a link may not.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Use {
    /// Followed when clicked (`<a href>`).
    Link,
    /// Loaded as an image (`<img src>`).
    Image,
}

/// Schemes a link may have.
const ALLOWED: [&str; 4] = ["http", "https", "mailto", "tel"];

/// `data:` types an image may have.
const DATA_IMAGES: [&str; 4] = ["image/png", "image/gif", "image/jpeg", "image/webp"];

/// What to tell an author whose URL was refused.
pub const HINT: &str = "only http, https, mailto and tel URLs and relative ones are allowed, \
     and in images data: URLs of PNG, GIF, JPEG or WebP";

/// The URL as a browser reads its scheme: without ASCII whitespace and
/// control characters (browsers strip them at the ends and drop tabs and
/// line breaks inside; dropping all of them can only find more schemes).
fn squeezed(url: &str) -> Cow<'_, str> {
    let dropped = |c: char| c.is_ascii_control() || c == ' ';
    if url.contains(dropped) {
        Cow::Owned(url.chars().filter(|&c| !dropped(c)).collect())
    } else {
        Cow::Borrowed(url)
    }
}

/// The scheme of `url` as a browser reads it, lowercase and without the
/// `:`; `None` for a relative URL (a path, `#fragment`, `//host/…`).
pub fn scheme(url: &str) -> Option<String> {
    // Most links are paths: without a colon there is no scheme to read.
    memchr::memchr(b':', url.as_bytes())?;
    let url = squeezed(url);
    let colon = url.find(':')?;
    let scheme = &url[..colon];
    let mut chars = scheme.chars();
    let valid = chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    valid.then(|| scheme.to_ascii_lowercase())
}

/// Checks `url` against the policy: `Err` with the refused scheme.
pub fn check(url: &str, used: Use) -> Result<(), String> {
    let Some(scheme) = scheme(url) else {
        return Ok(());
    };
    if ALLOWED.contains(&scheme.as_str()) || (used == Use::Image && is_data_image(url)) {
        Ok(())
    } else {
        Err(scheme)
    }
}

/// Whether `url` is a `data:` URL of an allowed image type.
fn is_data_image(url: &str) -> bool {
    let url = squeezed(url);
    let Some((_, rest)) = url.split_once(':') else {
        return false;
    };
    let media = rest.split([';', ',']).next().unwrap_or("");
    DATA_IMAGES.iter().any(|t| media.eq_ignore_ascii_case(t))
}

/// Whether `url`, whose scheme [`scheme`] read as `scheme`, runs script
/// when followed or loaded (`javascript:`, `vbscript:`, `data:text/html`):
/// what `check --site` refuses in any site, whatever else it allows.
pub fn runs_script(scheme: Option<&str>, url: &str) -> bool {
    match scheme {
        Some("javascript" | "vbscript") => true,
        Some("data") => {
            let url = squeezed(url);
            let media = url[5..].split([';', ',']).next().unwrap_or("");
            ["text/html", "application/xhtml+xml"]
                .iter()
                .any(|t| media.eq_ignore_ascii_case(t))
        }
        _ => false,
    }
}

/// Whether the relative URL `href` needs `./` in front so that a browser
/// does not read its first segment as a scheme (`note:1.html`).
pub fn reads_as_scheme(href: &str) -> bool {
    href.bytes()
        .take_while(|b| !matches!(b, b'/' | b'?' | b'#'))
        .any(|b| b == b':')
}

/// What a path keeps escaped: everything but letters, digits and
/// `-._~/!$&'()*+,;=:@` (RFC 3986's path characters). Bytes beyond ASCII
/// are always escaped.
const PATH: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// Percent-encodes what may not stand raw in a URL path (spaces, `#`, `?`,
/// `%`, non-ASCII, …).
pub fn percent_encode_path(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    push_percent_encoded(&mut out, path);
    out
}

/// [`percent_encode_path`] onto the end of `out`.
pub fn push_percent_encoded(out: &mut String, path: &str) {
    out.extend(utf8_percent_encode(path, PATH));
}

/// Decodes `%XX` escapes leniently: a malformed one stays as written and
/// bytes that are not UTF-8 become U+FFFD (authors' links and built pages,
/// which are to be read, not refused). Borrows when there is no escape.
pub fn percent_decode(s: &str) -> Cow<'_, str> {
    // Most paths have no escape: found as such in one search.
    if memchr::memchr(b'%', s.as_bytes()).is_none() {
        return Cow::Borrowed(s);
    }
    percent_decode_str(s).decode_utf8_lossy()
}

/// Decodes `%XX` escapes strictly: `None` for a `%` without two hex digits
/// or bytes that are not UTF-8 (requests to the server, refused rather
/// than guessed at).
pub fn percent_decode_strict(s: &str) -> Option<Cow<'_, str>> {
    let well_formed = s.split('%').skip(1).all(|after| {
        after
            .as_bytes()
            .get(..2)
            .is_some_and(|h| h.iter().all(u8::is_ascii_hexdigit))
    });
    well_formed
        .then(|| percent_decode_str(s).decode_utf8().ok())
        .flatten()
}

/// Joins the relative path `link` onto the folder `dir` (both `/`-separated
/// from one root: the content folder, the site) and resolves `.` and `..`;
/// `None` if it climbs above the root. A leading `/` starts at the root.
pub fn join(dir: &str, link: &str) -> Option<String> {
    let mut out = String::with_capacity(dir.len() + link.len() + 1);
    if !link.starts_with('/') {
        push_path(&mut out, dir);
    }
    push_path(&mut out, link).then_some(out)
}

/// Appends the segments of `path` to the folder path `out`, normalising
/// `.` and `..`; false if a `..` climbed above the root (it is dropped).
/// Built in place (every link of every page comes here, twice with the
/// printout): a segment is appended after a `/`, and `..` cuts back to the
/// last `/`.
pub fn push_path(out: &mut String, path: &str) -> bool {
    let mut inside = true;
    for seg in path.split('/') {
        match seg {
            "" | "." => {}
            ".." if out.is_empty() => inside = false,
            ".." => out.truncate(out.rfind('/').unwrap_or(0)),
            s => {
                if !out.is_empty() {
                    out.push('/');
                }
                out.push_str(s);
            }
        }
    }
    inside
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_byte_is_encoded_by_the_rule_of_rfc_3986_paths() {
        let raw = |b: u8| b.is_ascii_alphanumeric() || b"-._~/!$&'()*+,;=:@".contains(&b);
        for c in (0u8..128).map(char::from).chain(['é', '€', '😀']) {
            let path = format!("a{c}b");
            let mut want = String::from("a");
            for b in c.to_string().bytes() {
                if raw(b) {
                    want.push(char::from(b));
                } else {
                    want.push_str(&format!("%{b:02X}"));
                }
            }
            want.push('b');
            assert_eq!(percent_encode_path(&path), want, "{c:?}");
        }
    }

    #[test]
    fn paths_are_encoded_and_decoded_back() {
        for (path, encoded) in [
            ("a b.html", "a%20b.html"),
            ("100%.html", "100%25.html"),
            ("q?#x.html", "q%3F%23x.html"),
            ("café/ü.html", "caf%C3%A9/%C3%BC.html"),
            ("a/b:c@d.html", "a/b:c@d.html"),
            ("", ""),
        ] {
            assert_eq!(percent_encode_path(path), encoded, "{path:?}");
            assert_eq!(percent_decode(encoded), path, "{encoded:?}");
            assert_eq!(percent_decode_strict(encoded).as_deref(), Some(path));
        }
    }

    #[test]
    fn malformed_escapes_stay_when_lenient_and_refuse_when_strict() {
        for (s, lenient) in [
            ("%", "%"),
            ("%4", "%4"),
            ("a%zz", "a%zz"),
            ("%%41", "%A"),
            ("%4%41", "%4A"),
            ("%C3", "\u{FFFD}"),
            ("%FF%41", "\u{FFFD}A"),
        ] {
            assert_eq!(percent_decode(s), lenient, "{s:?}");
            assert_eq!(percent_decode_strict(s), None, "{s:?}");
        }
        assert_eq!(percent_decode("%2e%2E/%41"), "../A");
        assert_eq!(percent_decode_strict("%2e%2E/%41").as_deref(), Some("../A"));
        assert!(matches!(percent_decode("no escapes"), Cow::Borrowed(_)));
    }

    #[test]
    fn schemes_are_read_as_browsers_read_them() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "\u{1}javascript:x",
            "javascript\u{7f}:x",
        ] {
            assert_eq!(scheme(url).as_deref(), Some("javascript"), "{url:?}");
        }
        for url in [
            "a/b:c.html",
            "#x:y",
            "?q=a:b",
            "//host/a:b",
            "./note:1.html",
            "ünï:x",
            "",
        ] {
            assert_eq!(scheme(url), None, "{url:?}");
        }
        assert_eq!(scheme("note:1.html").as_deref(), Some("note"));
    }

    #[test]
    fn only_the_allowed_schemes_pass() {
        for url in [
            "https://example.org",
            "HTTP://example.org",
            "mailto:a@b.org",
            "tel:+31",
            "topics/a.html#x",
            "#x",
            "//example.org/x",
        ] {
            assert_eq!(check(url, Use::Link), Ok(()), "{url}");
        }
        for (url, s) in [
            ("javascript:alert(1)", "javascript"),
            ("vbscript:x", "vbscript"),
            ("data:text/html,<script>", "data"),
            ("data:image/png;base64,AA", "data"),
            ("file:///etc/passwd", "file"),
            ("note:1.html", "note"),
        ] {
            assert_eq!(check(url, Use::Link), Err(s.to_string()), "{url}");
        }
    }

    #[test]
    fn images_may_be_raster_data_urls_only() {
        for url in [
            "data:image/png;base64,AA",
            "DATA:Image/GIF,x",
            "data:image/webp;base64,AA",
        ] {
            assert_eq!(check(url, Use::Image), Ok(()), "{url}");
        }
        for url in [
            "data:image/svg+xml,<svg/>",
            "data:text/html,x",
            "data:,x",
            "javascript:x",
        ] {
            assert!(check(url, Use::Image).is_err(), "{url}");
        }
    }

    #[test]
    fn script_urls_are_recognised_in_any_disguise() {
        for url in [
            "javascript:alert(1)",
            " VBScript:x",
            "data:text/html,<b>",
            "Data:Text/HTML;base64,PGI+",
        ] {
            assert!(runs_script(scheme(url).as_deref(), url), "{url}");
        }
        // An SVG icon in CSS is common, and as an image it runs nothing.
        for url in [
            "https://x.org",
            "data:image/png,AA",
            "data:image/svg+xml,<svg/>",
            "a:b.html",
            "x.html",
        ] {
            assert!(!runs_script(scheme(url).as_deref(), url), "{url}");
        }
    }

    #[test]
    fn a_colon_in_the_first_segment_reads_as_a_scheme() {
        assert!(reads_as_scheme("note:1.html"));
        assert!(reads_as_scheme("javascript:alert(1).html#x"));
        assert!(!reads_as_scheme("a/note:1.html"));
        assert!(!reads_as_scheme("../note:1.html"));
        assert!(!reads_as_scheme("#x:y"));
        assert!(!reads_as_scheme("a.html?x=b:c"));
    }

    #[test]
    fn joined_in_place_as_segment_by_segment() {
        fn plain(dir: &str, link: &str) -> Option<String> {
            let mut parts: Vec<&str> = if link.starts_with('/') {
                Vec::new()
            } else {
                dir.split('/').filter(|s| !s.is_empty()).collect()
            };
            for seg in link.split('/') {
                match seg {
                    "" | "." => {}
                    ".." => {
                        parts.pop()?;
                    }
                    s => parts.push(s),
                }
            }
            Some(parts.join("/"))
        }
        let dirs = ["", "a", "a/bb", "a/bb/c"];
        let alphabet = ["x", "yy", "/", "..", ".", "...", "é", "a b"];
        let mut rng = crate::testing::Rng::new(0x2545_F491_4F6C_DD1D);
        for _ in 0..20_000 {
            let link = rng.text(&alphabet, 12);
            let dir = dirs[rng.next() % dirs.len()];
            assert_eq!(join(dir, &link), plain(dir, &link), "{dir:?} + {link:?}");
        }
        assert_eq!(join("a/bb", "../x.md").as_deref(), Some("a/x.md"));
        assert_eq!(join("a", "../../x.md"), None);
    }
}
