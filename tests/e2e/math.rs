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

        let abstract_math = select(&html, "details.abstract math");
        assert_eq!(abstract_math.len(), 1, "{page}");
        assert!(text(&abstract_math[0]).contains("𝒪"), "{page}: {}", text(&abstract_math[0]));

        let body = select(&html, "div.body math[display=block]");
        assert_eq!(body.len(), 1, "{page}");
        assert!(text(&body[0]).contains('∑'), "{page}");
        assert_eq!(select(&html, "div.body em").iter().map(text).collect::<Vec<_>>(), ["this"], "{page}");
        let source = select(&html, "div.body span.math.math-inline");
        assert_eq!(source.len(), 1, "{page}");
        assert_eq!(text(&source[0]), "\\(\\href{javascript:alert(1)}{x}\\)", "{page}");
    }
    let digest = site.page("digest/2024-04-02/index.html");
    assert_eq!(select(&digest, "td.summary math msub").len(), 1);
}
