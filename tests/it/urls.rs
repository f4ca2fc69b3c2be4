//! URLs a browser could run: script URLs written in markdown, file names
//! that read as a URL scheme, and `check --site` finding both in any site.

use std::fs;
use std::path::Path;

use crate::support::Project;

fn write(root: &Path, rel: &str, text: &str) {
    let path = root.join(rel);
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

/// Every way markdown writes a URL, with schemes a browser would run or
/// that are not allowed, obfuscated as browsers still read them: each is an
/// error at its place, also on a page that opted into raw HTML.
#[test]
fn script_urls_in_markdown_are_errors_at_their_place() {
    let p = Project::empty();
    let r = p.path();
    write(
        r,
        "content/_index.md",
        "# Home\n\
         \n\
         [inline](javascript:alert(1)) and <javascript:alert(2)>.\n\
         \n\
         [ref][r] and ![img](javascript:alert(3)).\n\
         \n\
         [ent](java&#115;cript:alert(4)) [case](JaVaScRiPt:alert(5)) [vb](vbscript:msgbox)\n\
         \n\
         [html](data:text/html;base64,PHNjcmlwdD4=) [tab](<java\tscript:alert(6)>)\n\
         \n\
         ![svg](data:image/svg+xml;base64,PHN2Zz4=) [link to png](data:image/png;base64,iVBO)\n\
         \n\
         Fine: [web](https://example.org), [mail](mailto:a@b.org), [tel](tel:+31), \
         ![dot](data:image/png;base64,iVBORw0KGgo=), [opted](opted.md), <https://example.org>.\n\
         \n\
         [r]: JavaScript:alert(7)\n",
    );
    write(
        r,
        "content/opted.md",
        "---\ntitle: Opted\nraw_html: true\n---\n[x](javascript:alert(8)) <a href=\"javascript:void(0)\">raw</a>\n",
    );
    let run = p.run(&["check"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    let places: Vec<&str> = errors
        .iter()
        .map(|l| l.split(": error: ").next().unwrap())
        .collect();
    assert_eq!(
        places,
        [
            "content/_index.md:3:1",
            "content/_index.md:3:35",
            "content/_index.md:5:1",
            "content/_index.md:5:14",
            "content/_index.md:7:1",
            "content/_index.md:7:33",
            "content/_index.md:7:61",
            "content/_index.md:9:1",
            "content/_index.md:9:44",
            "content/_index.md:11:1",
            "content/_index.md:11:44",
            "content/opted.md:5:1",
        ],
        "{}",
        run.stderr
    );
    assert!(
        errors[0].starts_with(
            "content/_index.md:3:1: error: link 'javascript:alert(1)' uses the scheme 'javascript:', which is not allowed (hint: only http, https, mailto and tel URLs and relative ones are allowed"
        ),
        "{}",
        run.stderr
    );
    assert!(
        errors[3].contains("image 'javascript:alert(3)'")
            && errors[4].contains("link 'javascript:alert(4)'"),
        "the URL as the browser would read it: {}",
        run.stderr
    );
    assert!(
        run.stderr.contains("image 'data:image/svg+xml"),
        "{}",
        run.stderr
    );
    assert!(
        !run.stderr.contains("javascript:void"),
        "raw HTML stays the opted-in page's own: {}",
        run.stderr
    );
    let run = p.run(&["check", "--raw-html"]);
    assert_eq!(
        run.stderr.matches(": error: ").count(),
        12,
        "{}",
        run.stderr
    );
}

/// A file whose name reads as a URL scheme (`javascript:alert(1).md`,
/// `note:1.md`) is linked as a relative path everywhere its URL is written.
#[test]
fn file_names_never_become_url_schemes() {
    let p = Project::empty();
    let r = p.path();
    write(
        r,
        "content/_index.md",
        "# Home\n\nSee [[note:1]], [the note](note:1.md)? No: [the note](./note:1.md) and [[Trap]].\n",
    );
    write(
        r,
        "content/javascript:alert(1).md",
        "---\ntitle: Trap\nkind: topic\n---\nBack [home](_index.md) and to [[note:1]].\n",
    );
    write(r, "content/note:1.md", "# Note one\n\nAbout [[Trap]].\n");
    write(
        r,
        "content/chapters/one.md",
        "---\ntitle: One\nkind: chapter\n---\nSee [[Trap]] and [[note:1]].\n",
    );
    let run = p.build(&[]);
    // `note:1.md` written as is reads as a URL with the scheme `note:`.
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "content/_index.md:3:17: error: link 'note:1.md' uses the scheme 'note:', which is not allowed"
        ),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr.contains("(hint: write ./note:1.md to link the file (a name with ':' before any '/' reads as a scheme))"),
        "the hint shows the way: {}",
        run.stderr
    );
    write(
        r,
        "content/_index.md",
        "# Home\n\nSee [[note:1]], [the note](./note:1.md) and [[Trap]].\n",
    );
    p.build(&[]).success();
    let site = p.tree("site");
    for (name, bytes) in &site {
        let text = String::from_utf8_lossy(bytes);
        for bad in ["javascript:alert", "note:1"] {
            for quote in ["\"", "'"] {
                assert!(
                    !text.contains(&format!("{quote}{bad}")),
                    "{name} writes a URL starting with {bad}: {text}"
                );
            }
        }
    }
    let home = p.page("index.html");
    assert!(home.contains("href=\"./note:1.html\""), "{home}");
    assert!(
        home.contains("href=\"./javascript:alert(1).html\""),
        "{home}"
    );
    let index = p.page("search-index.js");
    assert!(
        index.contains("\"./javascript:alert(1).html\"") && index.contains("\"./note:1.html\""),
        "{index}"
    );
    assert!(p
        .page("graph.html")
        .contains("href=\"./javascript:alert(1).html\""));
    assert!(p
        .page("chapters/one.html")
        .contains("href=\"../javascript:alert(1).html\""));
    // The printout links its own sections, and the site checks clean.
    let print = p.page("print.html");
    assert!(!print.contains("href=\"javascript:"), "{print}");
    let check = p.run(&["check", "--site", "site"]);
    assert_eq!(check.code, Some(0), "{}", check.stderr);
}

/// `check --site` reads every place a browser takes a URL from, in HTML and
/// CSS, and refuses URLs that run script wherever they stand.
#[test]
fn check_site_sees_what_a_browser_loads() {
    let p = Project::empty();
    let r = p.path();
    write(r, "site/ok.png", "png");
    write(
        r,
        "site/style.css",
        "@import \"gone.css\";\nbody { background: url('ok.png'); }\n/* url(commented.png) */\na { background: url(missing.png) }\n",
    );
    write(
        r,
        "site/index.html",
        "<link rel=\"stylesheet\" href=\"style.css\">\n\
         <img srcset=\"ok.png 1x, nope.png 2x\" src=\"ok.png\">\n\
         <p style=\"background: url(&quot;absent.png&quot;)\">x</p>\n\
         <style>\n@import url(lost.css);\n.a { background: URL( ok.png ) }\n</style>\n\
         <svg><use xlink:href=\"sprite.svg#i\"/></svg>\n\
         <meta http-equiv=\"refresh\" content=\"0; url=elsewhere.html\">\n\
         <form action=\"send.html\"></form>\n\
         <a href=\"java&#x73;cript:alert(1)\">a</a> <iframe src=\"data:text/html,&lt;script&gt;\"></iframe>\n\
         <a href=\" VBScript:x\">b</a> <form action=\"javascript:alert(2)\"></form>\n",
    );
    let run = p.run(&["check", "--site", "site"]);
    assert_eq!(run.code, Some(1), "{}", run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.contains(": error: "))
        .collect();
    let expected = [
        "site/index.html:2:1: error: broken link 'nope.png': no such file",
        "site/index.html:3:1: error: broken link 'absent.png': no such file",
        "site/index.html:5:9: error: broken link 'lost.css': no such file",
        "site/index.html:8:6: error: broken link 'sprite.svg#i': no such file",
        "site/index.html:9:1: error: broken link 'elsewhere.html': no such file",
        "site/index.html:10:1: error: broken link 'send.html': no such file",
        "site/index.html:11:1: error: 'javascript:alert(1)' runs script",
        "site/index.html:11:42: error: 'data:text/html,<script>' runs script",
        "site/index.html:12:1: error: 'VBScript:x' runs script",
        "site/index.html:12:29: error: 'javascript:alert(2)' runs script",
        "site/style.css:1:1: error: broken link 'gone.css': no such file",
        "site/style.css:4:17: error: broken link 'missing.png': no such file",
    ];
    assert_eq!(errors.len(), expected.len(), "{}", run.stderr);
    for (got, want) in errors.iter().zip(expected) {
        assert!(
            got.starts_with(want),
            "{got}\nwanted {want}\n{}",
            run.stderr
        );
    }
}
