//! arXiv's TeX as arXiv's own pages show it, on the made-up papers of
//! `tests/fixtures/arxiv-tex/` (every shape real abstracts write): no `$`
//! left in the text where arXiv renders a formula, TeX quotes as
//! typographic quotes and never code, no text shown twice, scripts on an
//! operator with the operator as their base, BibTeX math kept as TeX; and,
//! in a body, brackets, link targets and bare addresses as CommonMark and
//! GFM read them.

use scraper::{ElementRef, Html};

use crate::support::{select, select_in, stderr, text, Site};

/// The fixture, built: its digest page and the paper pages by id.
fn built() -> (Site, Html) {
    let site = Site::from_fixture("arxiv-tex");
    let out = site.build(&[]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let digest = site.page("digest/2024-04-02/index.html");
    (site, digest)
}

/// The text of `el` outside formulas, code and links: what reads as prose.
fn prose(el: &ElementRef) -> String {
    let mut out = String::new();
    for node in el.descendants() {
        let Some(t) = node.value().as_text() else { continue };
        let hidden = node
            .ancestors()
            .filter_map(|a| a.value().as_element())
            .any(|a| ["math", "code", "pre", "a"].contains(&a.name()));
        if !hidden {
            out.push_str(t);
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn paper<'a>(page: &'a Html, id: &str) -> ElementRef<'a> {
    select(page, &format!("article[id='paper-{id}']"))[0]
}

#[test]
fn formulas_arxiv_renders_leave_no_dollar_and_prices_stay_text() {
    let (site, digest) = built();
    for page in [&digest, &site.page("paper/2404.10001/index.html")] {
        let math = paper(page, "2404.10001");
        assert!(!prose(&math).contains('$'), "{}", prose(&math));
        assert_eq!(select_in(&math, "div.abstract math").len(), 10, "{}", text(&math));
        assert_eq!(select_in(&math, "h3 math, h1 math").len(), 2);
        assert!(text(&math).contains("gains of ±70 points at 75.9±6.4% accuracy"), "{}", text(&math));
    }
    for id in ["2404.10002", "notes"] {
        assert!(!prose(&paper(&digest, id)).contains('$'), "{id}: {}", prose(&paper(&digest, id)));
    }
    let prices = text(&select(&digest, "article[id='paper-2404.10003'] div.abstract")[0]);
    assert!(prices.contains("Prices of $5 or $10, and $5-$10, stay as written, as does $3."), "{prices}");
}

#[test]
fn scripts_on_operators_have_the_operator_as_base() {
    let (_site, digest) = built();
    let math = paper(&digest, "2404.10001");
    let scripted = select_in(&math, "msub, msup, msubsup, munder, mover, munderover");
    assert!(scripted.len() >= 8, "{}", scripted.len());
    for el in scripted {
        let children: Vec<_> = el.children().filter_map(ElementRef::wrap).collect();
        let wanted = if ["msubsup", "munderover"].contains(&el.value().name()) { 3 } else { 2 };
        assert_eq!(children.len(), wanted, "{}", el.html());
        assert_ne!(children[0].value().name(), "mspace", "{}", el.html());
    }
    let bases: Vec<String> = select_in(&math, "msup > mi:first-child, msub > mi:first-child")
        .iter()
        .map(text)
        .filter(|t| t.len() > 1)
        .collect();
    assert_eq!(bases, ["log", "log", "max", "lim", "log"], "the title's, then the abstract's");
}

#[test]
fn tex_quotes_are_quotes_never_code_and_no_text_shows_twice() {
    let (_site, digest) = built();
    let quotes = paper(&digest, "2404.10002");
    assert!(select_in(&quotes, "code").is_empty(), "{}", quotes.html());
    assert_eq!(text(&select_in(&quotes, "h3 span")[0]), "The “Sticking” Effect of ‘Soft’ Priors");
    assert_eq!(
        text(&select_in(&quotes, "div.abstract > div")[0]),
        "The “sticking” and “sliding” effects differ, a ‘soft’ and a ‘hard’ prior agree, the “rolling” \
         and “slipping” regimes meet, and the “texture sticking” effect of Eneström's “slip” model \
         ends here: every word of this abstract is shown once."
    );
    let escapes = text(&select(&digest, "article[id='paper-2404.10003'] div.abstract > div")[0]);
    assert!(
        escapes.ends_with("An escaped --- stays three hyphens, and `not code` keeps its backticks."),
        "{escapes}"
    );
}

#[test]
fn bibtex_keeps_formulas_as_tex() {
    let (site, _) = built();
    let page = site.page("paper/2404.10001/index.html");
    let entry = text(&select(&page, "pre.bibtex")[0]);
    assert!(
        entry.contains(r"title={{Sorting in {$O(N\log^d(N/\epsilon))$} Time for {$\beta$}-Sets}}"),
        "{entry}"
    );
    assert!(entry.contains("author={J. Müller and A. Person}"), "{entry}");
}

#[test]
fn a_body_reads_brackets_links_and_addresses_as_commonmark_and_gfm_do() {
    let (_site, digest) = built();
    let notes = select(&digest, "article[id='paper-notes'] div.body")[0];
    let hrefs: Vec<&str> = select_in(&notes, "a").iter().filter_map(|a| a.value().attr("href")).collect();
    assert_eq!(
        hrefs,
        [
            "https://en.wikipedia.org/wiki/Foo_(bar)",
            "(foo)",
            "/my%20uri",
            "/digest/2024-04-02/#paper-2404.10001"
        ]
    );
    let shown = text(&notes);
    for expected in [
        "See [1] and [foo];",
        "Clone git@github.com:foo/bar.git or write to <foo+@bar.example.com>.",
        "Take x[[0, 2]], [[TODO]] and Sorting in",
    ] {
        assert!(shown.contains(expected), "{expected}: {shown}");
    }
    let reference = select_in(&notes, "a.paper-ref")[0];
    assert_eq!(select_in(&reference, "math").len(), 2, "the cited title's formulas: {}", reference.html());
    assert_eq!(select_in(&notes, "input[type=checkbox][disabled]").len(), 2);
    assert_eq!(select_in(&notes, "input[checked]").len(), 1);
    assert_eq!(select_in(&notes, "math[display=block]").len(), 1);
    assert_eq!(select_in(&notes, "math").len(), 3, "the block and the cited title's two");
}
