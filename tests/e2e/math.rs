//! TeX in summaries, abstracts and bodies becomes MathML on the server; TeX
//! that cannot be rendered stays visible as source, with a warning, and
//! never becomes a link.

use crate::support::{select, stderr, text, Site};

const PAPER: &str = r#"---
id: m1
title: Math paper
date: 2024-04-02
summary: "Bounds $a_i$ for *all* <script>alert(1)</script> i."
abstract: |
  Runs in $\mathcal{O}(n \log n)$ time.
---
The total is $$\sum_i x_i$$ and *this* is emphasis.

A link in TeX: $\href{javascript:alert(1)}{x}$.
"#;

#[test]
fn formulas_become_mathml_and_unsupported_tex_is_reported() {
    let site = Site::new();
    site.full_text();
    site.write("content/m1.md", PAPER);
    let out = site.build(&[]);
    let err = stderr(&out);
    let warning = "warning: content/m1.md: unsupported TeX `\\href{javascript:alert(1)}{x}`: ";
    assert_eq!(err.matches(warning).count(), 1, "{err}");
    assert_eq!(err.matches("warning:").count(), 1, "{err}");

    for page in ["digest/2024-04-02/index.html", "paper/m1/index.html"] {
        let html = site.page(page);
        let maths = select(&html, "math");
        assert!(maths.len() >= 3, "{page}: {} math elements", maths.len());
        assert!(select(&html, "math em, math a, math script").is_empty(), "{page}");
        for el in select(&html, "*") {
            for (name, value) in el.value().attrs() {
                let v = value.to_ascii_lowercase();
                assert!(!(name == "href" && v.contains("javascript:")), "{page}: {name}={value}");
                assert!(!name.starts_with("on"), "{page}: {name}={value}");
            }
        }
        assert!(select(&html, "script").iter().all(|s| s.value().attr("src").is_some()), "{page}");

        let summary = select(&html, "p.tldr");
        assert_eq!(summary.len(), 1, "{page}");
        assert_eq!(select(&html, "p.tldr math msub").len(), 1, "{page}");
        assert!(text(&summary[0]).contains("*all* <script>alert(1)</script> i."), "{page}");

        let abstract_math = select(&html, "div.abstract math");
        assert_eq!(abstract_math.len(), 1, "{page}");
        assert!(text(&abstract_math[0]).contains("𝒪"), "{page}: {}", text(&abstract_math[0]));

        let body = select(&html, "div.body math[display=block]");
        assert_eq!(body.len(), 1, "{page}");
        assert!(text(&body[0]).contains('∑'), "{page}");
        assert_eq!(select(&html, "div.body em").iter().map(text).collect::<Vec<_>>(), ["this"], "{page}");
        let source = select(&html, "div.body span.math.math-inline");
        assert_eq!(source.len(), 1, "{page}");
        assert_eq!(text(&source[0]), "$\\href{javascript:alert(1)}{x}$", "{page}");
    }
    let digest = site.page("digest/2024-04-02/index.html");
    assert_eq!(select(&digest, "td.summary math msub").len(), 1);
}

const ARXIV: &str = r#"---
id: "2404.00002"
title: 'Enestr\"om and \emph{arbitrary} bounds: $\mathcal{O}(n)$ -- fast'
translated_title: '关于 Enestr\"om 的界'
date: 2024-04-02
categories: [math.CA]
summary: |-
  Proves a ``sharp'' bound \textbf{fast}, see \url{https://example.org/a_b} and \url{javascript:alert(1)}.
abstract: |
  We show Phragm\'en's bound, Fig.~3, for $\OPT \le {n \choose k}$ with
  $\big( x \big)$ and $x = \unicode{x2014}$. Code at \url{https://example.org/c}.
---
Run `quire --help`; -- not a dash here -- and ~5% more.
"#;

#[test]
fn arxiv_tex_outside_math_shows_as_readers_expect_in_pages_and_feeds() {
    let site = Site::new();
    site.full_text();
    site.write("content/a.md", ARXIV);
    let out = site.build(&[]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    for page in ["digest/2024-04-02/index.html", "paper/2404.00002/index.html"] {
        let html = site.page(page);
        let title = &select(&html, ".paper-title .original-title")[0];
        assert!(text(title).starts_with("Eneström and arbitrary bounds:"), "{page}: {}", text(title));
        assert!(text(title).ends_with("– fast"), "{page}: {}", text(title));
        assert_eq!(select(&html, ".paper-title .original-title em").len(), 1, "{page}");
        assert_eq!(select(&html, ".paper-title .original-title math").len(), 1, "{page}");
        assert_eq!(text(&select(&html, ".paper-title .lang-tr")[0]), "关于 Eneström 的界", "{page}");
        let tldr = &select(&html, "p.tldr")[0];
        assert!(text(tldr).starts_with("Proves a “sharp” bound fast, see https://example.org/a_b"), "{page}");
        assert_eq!(select(&html, "p.tldr strong").len(), 1, "{page}");
        let links: Vec<_> =
            select(&html, "p.tldr a").iter().map(|a| a.value().attr("href").unwrap()).collect();
        assert_eq!(links, ["https://example.org/a_b"], "{page}");
        let abstract_ = &select(&html, "div.abstract div")[0];
        assert!(
            abstract_.text().collect::<String>().contains("Phragmén's bound, Fig.\u{a0}3, for"),
            "{page}: {}",
            text(abstract_)
        );
        assert_eq!(select(&html, "div.abstract math").len(), 3, "{page}");
        assert!(select(&html, "div.abstract span.math").is_empty(), "{page}: nothing fell back to source");
        assert_eq!(select(&html, "div.abstract a[href='https://example.org/c']").len(), 1, "{page}");
        let body = text(&select(&html, "div.body")[0]);
        assert!(
            body.contains("quire --help") && body.contains("-- not a dash here --") && body.contains("~5%"),
            "{body}"
        );
    }
    let paper = site.page("paper/2404.00002/index.html");
    let head_title = text(&select(&paper, "title")[0]);
    assert!(head_title.starts_with("关于 Eneström 的界"), "{head_title}");
    let citation = select(&paper, "meta[name=citation_title]")[0].value().attr("content").unwrap().to_owned();
    assert_eq!(citation, "Eneström and arbitrary bounds: $\\mathcal{O}(n)$ – fast");
    let feed = std::fs::read_to_string(site.path("public/category/math-ca/atom.xml")).unwrap();
    let feed: atom_syndication::Feed = feed.parse().unwrap();
    assert_eq!(feed.entries()[0].title().value, "关于 Eneström 的界");
    assert!(feed.entries()[0].summary().unwrap().value.starts_with("Proves a “sharp” bound fast"));
    let content = feed.entries()[0].content().unwrap().value().unwrap();
    assert!(content.contains("Phragmén") && !content.contains("javascript:alert(1)\""), "{content}");
}

#[test]
fn quantum_code_brackets_in_math_are_no_cross_link_and_dollars_pair_in_order() {
    let site = Site::new();
    site.full_text();
    site.write(
        "content/q.md",
        "---\nid: q\ntitle: Codes\ndate: 2024-04-02\nabstract: 'A $[[17,1,3]]$ code and \\([[5,1,3]]\\).'\n---\n\
         The $$[[n,k,d]]$$ family.\n\n文本$ n $-gram 模型，生成$L_1$模型。\n",
    );
    let out = site.build(&[]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let html = site.page("paper/q/index.html");
    assert!(select(&html, "a.paper-ref").is_empty());
    assert_eq!(select(&html, "div.abstract math").len(), 2);
    assert_eq!(select(&html, "div.body math").len(), 3, "[[n,k,d]], n and L_1, nothing else");
    let body = text(&select(&html, "div.body")[0]);
    assert!(body.contains("-gram 模型，生成") && !body.contains('$'), "the prose stays text: {body}");
}
