//! The front door of a published report: the home page states the report's
//! facts, key findings, recommendations by who must act and how to cite it;
//! every page's head names the report for machines; chapters carry their
//! numbers.

use std::fs;

use crate::support::{html_pages, Project};

/// A small report whose title tries to break out of every place it is written.
const HOSTILE: &str = "Safe & \"sound\" </script><script>alert(1)</script>";

fn report(with_actors: bool) -> Project {
    let p = Project::empty();
    let c = p.path().join("content");
    for dir in ["chapters", "recommendations"] {
        fs::create_dir_all(c.join(dir)).unwrap();
    }
    let write = |rel: &str, text: &str| fs::write(c.join(rel), text).unwrap();
    write(
        "_index.md",
        &format!(
            "---\ntitle: '{}'\ndate: 2025-06-01\nsummary: Why it matters </script>.\nauthors: [Jo Doe, Al Roe]\npublisher: ACME\npublished: June 2025\npdf: https://acme.example/r.pdf\n---\n\n## Key findings\n\n- “Plans work.” ([Chapter 3](chapters/three.md#p-plans-work))\n",
            HOSTILE.replace('\'', "''")
        ),
    );
    write(
        "chapters/three.md",
        "---\ntitle: 'Plans: do they work?'\nkind: chapter\norder: 1\nnumber: 3\n---\n\nPlans work.\n",
    );
    write(
        "chapters/four.md",
        "---\ntitle: After\nkind: chapter\norder: 2\nnumber: 4\n---\n\nMore.\n",
    );
    let actor = |a: &str| {
        if with_actors {
            format!("actor: {a}\n")
        } else {
            String::new()
        }
    };
    write(
        "recommendations/fund.md",
        &format!(
            "---\ntitle: Fund the plans\nkind: recommendation\n{}---\n\nMoney.\n",
            actor("Allied governments")
        ),
    );
    write(
        "recommendations/train.md",
        &format!(
            "---\ntitle: Train the staff\nkind: recommendation\n{}---\n\nSkills.\n",
            actor("NATO")
        ),
    );
    p
}

#[test]
fn every_page_head_cites_the_report_and_nothing_in_it_breaks_out() {
    let p = report(true);
    p.build(&["--base-url", "https://example.org/r/"]).success();
    let site = html_pages(&p.tree("site"));
    for (url, html) in &site {
        let head = &html[..html.find("</head>").unwrap()];
        // The title is text in every attribute and in the JSON-LD.
        assert!(!head.contains("<script>alert"), "{url}: {head}");
        assert_eq!(head.matches("</script>").count(), 3, "{url}: {head}");
        if url == "404.html" {
            continue;
        }
        assert!(
            head.contains("<meta name=\"citation_title\" content=\"Safe &amp; &quot;sound&quot; &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;\">"),
            "{url}: {head}"
        );
        assert!(head.contains("<meta name=\"citation_author\" content=\"Jo Doe\">\n<meta name=\"citation_author\" content=\"Al Roe\">"), "{url}");
        assert!(
            head.contains("<meta name=\"citation_publication_date\" content=\"2025/06/01\">"),
            "{url}: {head}"
        );
        assert!(
            head.contains("<meta name=\"citation_publisher\" content=\"ACME\">"),
            "{url}"
        );
        assert!(
            head.contains(
                "<meta name=\"citation_pdf_url\" content=\"https://acme.example/r.pdf\">"
            ),
            "{url}: {head}"
        );
        assert!(head.contains("<meta property=\"og:site_name\""), "{url}");
        assert!(
            head.contains("<meta property=\"og:url\" content=\"https://example.org/r/"),
            "{url}: {head}"
        );
        let ld = &head[head.find("<script type=\"application/ld+json\">").unwrap() + 35..];
        let ld = &ld[..ld.find("</script>").unwrap()];
        let v: serde_json::Value = serde_json::from_str(ld).unwrap();
        assert_eq!(v["@type"], "Report");
        assert_eq!(v["name"], HOSTILE);
        assert_eq!(v["author"][1]["name"], "Al Roe");
        assert_eq!(v["publisher"]["name"], "ACME");
        assert_eq!(v["url"], "https://example.org/r/");
    }
    let chapter = &site["chapters/three.html"];
    assert!(chapter.contains("<meta property=\"og:type\" content=\"article\">"));
    assert!(
        chapter.contains("<meta property=\"og:title\" content=\"3. Plans: do they work?\">"),
        "{chapter}"
    );
    assert!(site["index.html"].contains("<meta property=\"og:type\" content=\"website\">"));
}

#[test]
fn without_a_base_url_there_is_no_og_url_and_an_ordinary_site_cites_nothing() {
    let p = report(true);
    p.build(&[]).success();
    let site = html_pages(&p.tree("site"));
    assert!(site.len() > 3, "{} pages", site.len());
    for (url, html) in site {
        assert!(!html.contains("og:url"), "{url}");
    }
    let plain = Project::new("basic");
    plain.build(&[]).success();
    for (url, html) in html_pages(&plain.tree("site")) {
        assert!(
            !html.contains("citation_title") && !html.contains("ld+json"),
            "{url}"
        );
        if url != "404.html" {
            assert!(html.contains("<meta property=\"og:title\""), "{url}");
        }
    }
}

#[test]
fn the_home_page_is_a_front_door() {
    let p = report(true);
    p.build(&["--base-url", "https://example.org/r/"]).success();
    let home = p.page("index.html");
    let main = crate::support::main_of(&home);
    // Publisher and the date as the report states it; authors; start reading.
    assert!(main.contains("<span class=\"publisher\">ACME</span> · <time datetime=\"2025-06-01\">June 2025</time>"), "{main}");
    assert!(
        main.contains(
            "By <span class=\"author\">Jo Doe</span> and <span class=\"author\">Al Roe</span>"
        ),
        "{main}"
    );
    assert!(
        main.contains(
            "<a class=\"button button-primary\" href=\"chapters/three.html\">Start reading</a>"
        ),
        "{main}"
    );
    assert!(
        main.contains("<a class=\"button\" href=\"https://acme.example/r.pdf\">Original PDF</a>"),
        "{main}"
    );
    // Key findings link to their paragraph.
    assert!(
        main.contains("<a href=\"chapters/three.html#p-plans-work\">Chapter 3</a>"),
        "{main}"
    );
    // Recommendations grouped by who must act.
    let allied = main.find(">Allied governments</h3>").expect(main);
    let nato = main.find(">NATO</h3>").expect(main);
    assert!(allied < main.find(">Fund the plans</a>").unwrap());
    assert!(nato < main.find(">Train the staff</a>").unwrap());
    // How to cite, with the site's address, BibTeX and RIS.
    assert!(main.contains("<p class=\"cite-text\">Jo Doe and Al Roe (2025) Safe &amp; &quot;sound&quot; &lt;/script&gt;&lt;script&gt;alert(1)&lt;/script&gt;. ACME, June 2025. https://example.org/r/</p>"), "{main}");
    assert!(
        main.contains("@techreport{doe2025safe,\n  author = {Jo Doe and Al Roe},"),
        "{main}"
    );
    assert!(
        main.contains("TY  - RPRT\nAU  - Jo Doe\nAU  - Al Roe\n"),
        "{main}"
    );
    assert!(main.contains("UR  - https://example.org/r/"), "{main}");
    // Chapters listed with their numbers, not numbered twice.
    assert!(
        main.contains("<ol class=\"chapter-list numbered\">"),
        "{main}"
    );
    assert!(main.contains(">3. Plans: do they work?</a>"), "{main}");
}

#[test]
fn recommendations_without_an_actor_are_one_list() {
    let p = report(false);
    p.build(&[]).success();
    let home = p.page("index.html");
    let main = crate::support::main_of(&home);
    assert!(main.contains("Recommendations at a glance"), "{main}");
    assert!(!main.contains("<h3"), "{main}");
    assert!(main.contains(">Fund the plans</a>") && main.contains(">Train the staff</a>"));
}

#[test]
fn chapter_titles_carry_their_numbers_wherever_the_site_names_them() {
    let p = report(true);
    p.build(&[]).success();
    let three = p.page("chapters/three.html");
    assert!(
        three.contains("<h1>3. Plans: do they work?</h1>"),
        "{three}"
    );
    assert!(
        three.contains("<li aria-current=\"page\">3. Plans: do they work?</li>"),
        "{three}"
    );
    assert!(
        three.contains("<span>Next chapter</span> 4. After</a>"),
        "{three}"
    );
    let four = p.page("chapters/four.html");
    assert!(
        four.contains("<span>Previous chapter</span> 3. Plans: do they work?</a>"),
        "{four}"
    );
    // Titles are in the search index's page parts.
    let search: String = p
        .tree("site/search")
        .into_values()
        .map(|b| String::from_utf8(b).unwrap())
        .collect();
    assert!(search.contains("\"3. Plans: do they work?\""), "{search}");
    let print = p.page("print.html");
    assert!(
        print.contains(">3. Plans: do they work?</a></li>"),
        "{print}"
    );
    assert!(
        print.contains("<h2>3. Plans: do they work?</h2>"),
        "{print}"
    );
    let index = p.page("chapters/index.html");
    assert!(
        index.contains("<ol class=\"item-list numbered\">"),
        "{index}"
    );
}

/// A report whose decomposition file names its PDF: the import carries the
/// address to the home page's "Original PDF" link and to every page's head.
#[test]
fn an_imported_report_links_the_pdf_its_decomposition_names() {
    let p = Project::empty();
    let seed = "June 2025\n\nACME\n\nA short report on plans\n\n1. First chapter\n\nPlans work when people make them.\n\nA Section\n\nPeople make plans.\n\n2. Second chapter\n\nMore on plans.\n";
    fs::write(p.path().join("r.txt"), seed).unwrap();
    fs::write(
        p.path().join("r.decomposition.yaml"),
        "summary: Why plans work.\npdf: https://acme.example/plans.pdf\n",
    )
    .unwrap();
    p.run(&["import", "r.txt"]).success();
    p.build(&[]).success();
    let home = p.page("index.html");
    assert!(
        crate::support::main_of(&home).contains(
            "<a class=\"button\" href=\"https://acme.example/plans.pdf\">Original PDF</a>"
        ),
        "{home}"
    );
    let site = html_pages(&p.tree("site"));
    assert!(site.len() > 3, "{:?}", site.keys());
    for (url, html) in &site {
        if url == "404.html" {
            continue;
        }
        let head = &html[..html.find("</head>").unwrap()];
        assert!(
            head.contains(
                "<meta name=\"citation_pdf_url\" content=\"https://acme.example/plans.pdf\">"
            ),
            "{url}: {head}"
        );
    }
}

/// A box's heading is listed in "On this page" as a box, not as one of the
/// page's numbered sections.
#[test]
fn on_this_page_marks_a_box_heading_as_a_box() {
    let p = Project::empty();
    let c = p.path().join("content");
    fs::create_dir_all(&c).unwrap();
    fs::write(
        c.join("plans.md"),
        "---\ntitle: Plans\n---\n\n## Why plans\n\nText.\n\n<aside>\n\n## What is a plan?\n\nA plan is short.\n\n</aside>\n\nMore text.\n\n## How plans fail\n\nOften.\n",
    )
    .unwrap();
    p.build(&[]).success();
    let page = p.page("plans.html");
    let toc = crate::support::element_inner(
        &page,
        "<nav class=\"toc\" aria-labelledby=\"toc-title\">",
        "nav",
    )
    .expect(&page);
    assert!(
        toc.contains("<li class=\"toc-level-2 toc-box\"><span class=\"toc-box-label\">Box:</span> <a href=\"#what-is-a-plan\">What is a plan?</a></li>"),
        "{toc}"
    );
    assert!(
        toc.contains("<li class=\"toc-level-2\"><a href=\"#why-plans\">Why plans</a></li>"),
        "{toc}"
    );
    assert_eq!(toc.matches("toc-box\"").count(), 1, "{toc}");
}

/// An actor written with spaces around it is the same actor: one group on
/// the recommendations index, named without the spaces in the printout,
/// and the reading order (previous/next) agrees with the index.
#[test]
fn an_actor_is_one_group_however_it_is_spaced() {
    let p = Project::empty();
    let c = p.path().join("content/recommendations");
    fs::create_dir_all(&c).unwrap();
    for (name, order, actor) in [
        ("a", 1, "NATO"),
        ("b", 2, "\" Allies\""),
        ("c", 3, "\"NATO \""),
    ] {
        fs::write(
            c.join(format!("{name}.md")),
            format!("---\ntitle: Rec {name}\nkind: recommendation\norder: {order}\nactor: {actor}\n---\n\nText.\n"),
        )
        .unwrap();
    }
    // With a chapter, the printout lists recommendations with who acts.
    fs::create_dir_all(p.path().join("content/chapters")).unwrap();
    fs::write(
        p.path().join("content/chapters/one.md"),
        "---\ntitle: One\nkind: chapter\n---\n\nText.\n",
    )
    .unwrap();
    p.build(&[]).success();
    let index = p.page("recommendations/index.html");
    assert_eq!(
        index.matches("<h2 id=\"actor-nato\">NATO</h2>").count(),
        1,
        "{index}"
    );
    assert!(!index.contains(">NATO </h2>"), "{index}");
    assert!(
        index.contains("<h2 id=\"actor-allies\">Allies</h2>"),
        "{index}"
    );
    assert!(
        index.find(">Rec c<").unwrap() < index.find(">Allies<").unwrap(),
        "{index}"
    );
    let print = p.page("print.html");
    assert_eq!(print.matches("(who acts: NATO)").count(), 2, "{print}");
    assert!(print.contains("(who acts: Allies)"), "{print}");
    let a = p.page("recommendations/a.html");
    assert!(
        a.contains("<span>Next recommendation</span> Rec c</a>"),
        "{a}"
    );
}
