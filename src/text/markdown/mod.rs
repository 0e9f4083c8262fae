//! Text engine, Markdown: one paper's Markdown -> safe HTML, rendered once and reused.
//!
//! On top of pulldown-cmark (GFM's tables, strikethrough, task lists and
//! autolinks; footnotes):
//!
//! - **Math becomes MathML** ([`math`](super::math)): formulas are found
//!   first ([`spans`](super::spans): `$...$`, `$$...$$`, `\(...\)`,
//!   `\[...\]`) and taken out before Markdown reads the text
//!   ([`prepare`]), so `$a_i * b_i$` is not emphasis. A formula the
//!   converter cannot handle is shown as its escaped source in
//!   `<span class="math">` and reported in [`Rendered::warnings`].
//! - **arXiv's TeX** in abstracts ([`render_arxiv`]): accents, `\emph{}`,
//!   quotes, dashes and `\url{}` as a reader expects ([`tex`](super::tex)).
//!   A person's body is Markdown only: there `--` may be a command-line flag
//!   and `~` means "about", and Markdown has its own emphasis and escapes.
//! - **Footnotes are scoped** to one piece of text ([`footnotes`]).
//! - **Untrusted text stays text**: raw HTML is shown escaped unless the site
//!   opts in; link and image URLs must be http(s), mailto, relative or a
//!   `#fragment` ([`super::html::safe_href`]), anything else drops the link and keeps its text.
//! - **Root-relative links get the site's path prefix** (`/x` -> `/repo/x`).
//! - **`[[id]]` links to that paper** where it is published (its details on
//!   its digest page), showing its title ([`PaperRef`]); bare URLs become
//!   links ([`inline`]).

mod footnotes;
mod inline;
mod prepare;

use std::collections::HashMap;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use footnotes::Footnotes;
use inline::Finisher;
use prepare::{prepare, Prepared};

use super::html::safe_href;
use crate::url::BaseUrl;

/// How to render the Markdown of one site.
#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    /// Where the site is: root-relative links get its path prefix (`/repo/`).
    pub base: BaseUrl,
    /// Pass raw HTML through instead of escaping it.
    pub unsafe_html: bool,
    /// Every paper a `[[id]]` may name, by id.
    pub papers: HashMap<String, PaperRef>,
}

/// What a `[[id]]` reference shows and where it leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperRef {
    /// The title as HTML: escaped, its formulas as MathML (no links: it is
    /// shown inside one).
    pub title_html: String,
    pub url: String,
}

/// One text rendered to HTML, with what could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// One line per formula shown as source: the TeX and the error.
    pub warnings: Vec<String>,
}

/// Renders a person's Markdown (a body) to HTML; `scope` keeps its footnote
/// ids apart from others'.
pub fn render(text: &str, scope: &str, options: &MarkdownOptions) -> Rendered {
    render_text(text, scope, options, false)
}

/// Renders text from arXiv (an abstract): Markdown, with arXiv's TeX outside
/// math shown as a reader expects it.
pub fn render_arxiv(text: &str, scope: &str, options: &MarkdownOptions) -> Rendered {
    render_text(text, scope, options, true)
}

fn render_text(text: &str, scope: &str, options: &MarkdownOptions, arxiv: bool) -> Rendered {
    let prepared = prepare(text, arxiv);
    let parser = Parser::new_ext(&prepared.text, parser_options());
    let mut body = Vec::new();
    let mut notes = Footnotes::new(scope);
    let mut current_note: Option<(String, Vec<Event>)> = None;
    let mut skipped_ends: Vec<bool> = Vec::new();
    for event in parser {
        let event = match event {
            Event::Start(Tag::FootnoteDefinition(label)) => {
                current_note = Some((label.to_string(), Vec::new()));
                continue;
            }
            Event::End(TagEnd::FootnoteDefinition) => {
                if let Some((label, events)) = current_note.take() {
                    notes.define(label, events);
                }
                continue;
            }
            other => match transform(other, options, &prepared, &mut skipped_ends) {
                Some(e) => e,
                None => continue,
            },
        };
        match &mut current_note {
            Some((_, events)) => events.push(event),
            None => body.push(event),
        }
    }
    let mut finisher = Finisher {
        prepared: &prepared,
        papers: &options.papers,
        base: &options.base,
        arxiv,
        warnings: Vec::new(),
    };
    let body = notes.link_references(finisher.finish(body));
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, body.into_iter());
    notes.push_section(&mut out, |events| finisher.finish(events));
    Rendered { html: out, warnings: finisher.warnings }
}

/// The ids a text names as `[[id]]`, each with its 0-based line, read as
/// [`render`] (or, with `arxiv`, [`render_arxiv`]) reads them: not in code,
/// not in a formula.
pub fn references(text: &str, arxiv: bool) -> Vec<(String, usize)> {
    if !text.contains("[[") {
        return Vec::new();
    }
    let prepared = prepare(text, arxiv);
    let mut found = Vec::new();
    // Joined text, with the prepared offset where each part starts.
    let mut joined = String::new();
    let mut starts: Vec<(usize, usize)> = Vec::new();
    let mut flush = |joined: &mut String, starts: &mut Vec<(usize, usize)>| {
        let mut from = 0;
        while let Some(start) = joined[from..].find("[[").map(|i| from + i) {
            let Some(len) = joined[start + 2..].find("]]") else { break };
            let id = joined[start + 2..start + 2 + len].trim();
            if !id.is_empty() && !id.contains(['[', ']']) {
                let part = starts.iter().rev().find(|(at, _)| *at <= start).map_or(0, |p| p.1);
                let line = text[..prepared.original_offset(part).min(text.len())].matches('\n').count();
                found.push((id.to_owned(), line));
            }
            from = start + 2 + len + 2;
        }
        joined.clear();
        starts.clear();
    };
    let mut verbatim = 0usize;
    for (event, range) in Parser::new_ext(&prepared.text, parser_options()).into_offset_iter() {
        match event {
            Event::Text(t) if verbatim == 0 => {
                starts.push((joined.len(), range.start));
                joined.push_str(&t);
                continue;
            }
            Event::Start(Tag::CodeBlock(_) | Tag::Image { .. }) => verbatim += 1,
            Event::End(TagEnd::CodeBlock | TagEnd::Image) => verbatim = verbatim.saturating_sub(1),
            _ => {}
        }
        flush(&mut joined, &mut starts);
    }
    flush(&mut joined, &mut starts);
    found
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
}

/// Applies the safety rules to one event, putting taken pieces back where
/// they are not text; `None` drops it.
fn transform<'a>(
    event: Event<'a>,
    options: &MarkdownOptions,
    prepared: &Prepared,
    skipped: &mut Vec<bool>,
) -> Option<Event<'a>> {
    let restore = |s: CowStr<'a>| -> CowStr<'a> {
        let restored = match prepared.restore(&s) {
            std::borrow::Cow::Owned(o) => Some(o),
            std::borrow::Cow::Borrowed(_) => None,
        };
        restored.map_or(s, Into::into)
    };
    Some(match event {
        Event::Html(raw) | Event::InlineHtml(raw) if !options.unsafe_html => Event::Text(restore(raw)),
        Event::Html(raw) => Event::Html(restore(raw)),
        Event::InlineHtml(raw) => Event::InlineHtml(restore(raw)),
        Event::Code(code) => Event::Code(restore(code)),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let url = safe_href(&restore(dest_url), &options.base);
            skipped.push(url.is_none());
            let dest_url = CowStr::from(url?);
            Event::Start(Tag::Link { link_type, dest_url, title: restore(title), id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            let url = safe_href(&restore(dest_url), &options.base);
            skipped.push(url.is_none());
            Event::Start(Tag::Image { link_type, dest_url: CowStr::from(url?), title: restore(title), id })
        }
        Event::End(end @ (TagEnd::Link | TagEnd::Image)) => {
            if skipped.pop().unwrap_or(false) {
                return None;
            }
            Event::End(end)
        }
        other => other,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> MarkdownOptions {
        let papers = [("2403.18211", "NeuroPictor <v2>")]
            .iter()
            .map(|(id, title)| {
                let title_html = crate::text::tex::to_html(title, false, &mut Vec::new());
                (id.to_string(), PaperRef { title_html, url: format!("/repo/p/{id}/") })
            })
            .collect();
        MarkdownOptions { base: BaseUrl::parse("/repo/").unwrap(), unsafe_html: false, papers }
    }

    #[test]
    fn latex_delimiters_become_math_outside_code() {
        let h = md("a \\( x_i \\) b `\\(c\\)`\n\\[y\\]");
        assert!(
            h.contains("a <math display=\"inline\"><msub>") && h.contains("\n<math display=\"block\">"),
            "{h}"
        );
        assert!(h.contains("<code>\\(c\\)</code>"), "{h}");
        assert!(md("\\[\nE = mc^2\n\\]\n").contains("<math display=\"block\">"));
        assert!(md("> \\[ E = mc^2 \\]").contains("<blockquote>\n<p><math display=\"block\">"));
        assert_eq!(md("```\n\\(x\\)\n```\n"), "<pre><code>\\(x\\)\n</code></pre>\n");
        assert_eq!(md("open \\( only"), "<p>open ( only</p>\n");
        let h = md("Runs in \\(\\mathcal{O}(n)\\) time.");
        assert!(h.contains("<math") && !h.contains("\\("), "{h}");
    }

    #[test]
    fn escaped_brackets_and_link_targets_are_not_math() {
        assert_eq!(md("see \\[1\\] and \\[foo\\]"), "<p>see [1] and [foo]</p>\n");
        assert_eq!(md("\\[1\\] A. Author, a title."), "<p>[1] A. Author, a title.</p>\n");
        assert_eq!(
            md("[wiki](https://en.wikipedia.org/wiki/Foo_\\(bar\\)) and \\(x\\)"),
            "<p><a href=\"https://en.wikipedia.org/wiki/Foo_(bar)\">wiki</a> and <math display=\"inline\"><mi>x</mi></math></p>\n"
        );
        assert_eq!(md("[link](\\(foo\\))"), "<p><a href=\"(foo)\">link</a></p>\n");
        assert_eq!(md("[link](</a b\\(c\\)>)"), "<p><a href=\"/repo/a%20b(c)\">link</a></p>\n");
        assert_eq!(
            md("<https://x.org/\\(a\\)>"),
            "<p><a href=\"https://x.org/%5C(a%5C)\">https://x.org/\\(a\\)</a></p>\n"
        );
    }

    #[test]
    fn paper_references_become_links_showing_the_title() {
        let h = md("As in [[2403.18211]], and [[unknown]] or `[[2403.18211]]`.");
        assert!(
            h.contains("<a class=\"paper-ref\" href=\"/repo/p/2403.18211/\">NeuroPictor &lt;v2&gt;</a>"),
            "{h}"
        );
        assert!(h.contains("[[unknown]]"), "{h}");
        assert!(h.contains("<code>[[2403.18211]]</code>"), "{h}");
    }

    fn md(text: &str) -> String {
        render(text, "p1", &opts()).html
    }

    #[test]
    fn footnotes_are_scoped_and_link_both_ways() {
        let a = render("A[^1].\n\n[^1]: note a\n", "a", &opts()).html;
        let b = render("B[^1].\n\n[^1]: note b\n", "b", &opts()).html;
        assert!(a.contains("href=\"#fn-a-1\" id=\"fnref-a-1\""), "{a}");
        assert!(a.contains("<li id=\"fn-a-1\">"), "{a}");
        assert!(a.contains("href=\"#fnref-a-1\""), "{a}");
        assert!(b.contains("id=\"fn-b-1\""), "{b}");
        assert!(!b.contains("fn-a-"), "{b}");
    }

    #[test]
    fn repeated_references_get_distinct_ids() {
        let h = md("x[^n] y[^n]\n\n[^n]: note\n");
        assert!(h.contains("id=\"fnref-p1-n\""), "{h}");
        assert!(h.contains("id=\"fnref-p1-n-2\""), "{h}");
    }

    #[test]
    fn undefined_footnotes_stay_text() {
        assert!(md("see [^9]").contains("[^9]"));
    }

    #[test]
    fn raw_html_is_escaped_unless_allowed() {
        let h = md("<script>alert(1)</script>\n\nhi <b onmouseover=x>b</b>");
        assert!(!h.contains("<script"), "{h}");
        assert!(!h.contains("<b "), "{h}");
        assert!(h.contains("&lt;script&gt;"), "{h}");
        let allowed = render("<b>b</b>", "s", &MarkdownOptions { unsafe_html: true, ..opts() }).html;
        assert!(allowed.contains("<b>b</b>"));
    }

    #[test]
    fn dangerous_urls_are_neutralised_in_any_disguise() {
        for text in [
            "[x](javascript:alert(1))",
            "[x](&#106;avascript:alert(1))",
            "[x](java&#x09;script:alert(1))",
            "![i](data:image/svg+xml,<svg>)",
            "<javascript:alert(1)>",
        ] {
            let h = md(text);
            assert!(!h.to_lowercase().contains("javascript:") || !h.contains("href"), "{text} -> {h}");
            assert!(!h.contains("src=\"data:"), "{text} -> {h}");
        }
    }

    #[test]
    fn root_relative_links_get_the_prefix() {
        assert!(md("[p](/paper/x/)").contains("href=\"/repo/paper/x/\""));
    }

    #[test]
    fn math_is_not_emphasis_and_becomes_mathml() {
        let r = render("where $a_i$ and $b_i$ hold, $$x_1 * y_2$$", "p1", &opts());
        let h = r.html;
        assert!(!h.contains("<em>"), "{h}");
        assert!(h.contains("<math display=\"inline\"><msub><mi>a</mi><mi>i</mi></msub></math>"), "{h}");
        assert!(h.contains("<math display=\"block\">"), "{h}");
        assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    }

    #[test]
    fn unsupported_math_stays_source_and_is_reported() {
        let r =
            render("see $\\frac{a_i$ and [^1]\n\n[^1]: $\\href{javascript:alert(1)}{x}$\n", "p1", &opts());
        assert!(r.html.contains("<span class=\"math math-inline\">$\\frac{a_i$</span>"), "{}", r.html);
        assert!(!r.html.contains("href=\"javascript"), "{}", r.html);
        assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
        assert!(r.warnings[0].starts_with("unsupported TeX `\\frac{a_i`: "), "{:?}", r.warnings);
        assert!(r.warnings[1].contains("\\href"), "{:?}", r.warnings);
    }

    #[test]
    fn tables_and_strikethrough_render() {
        let h = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~");
        assert!(h.contains("<table>") && h.contains("<del>gone</del>"), "{h}");
    }

    #[test]
    fn task_lists_show_checkboxes() {
        let h = md("- [ ] to do\n- [x] done");
        assert_eq!(
            h,
            "<ul>\n<li><input disabled=\"\" type=\"checkbox\"/>\nto do</li>\n\
             <li><input disabled=\"\" type=\"checkbox\" checked=\"\"/>\ndone</li>\n</ul>\n"
        );
    }

    #[test]
    fn bare_addresses_are_links_where_gfm_makes_them() {
        let links = |text: &str| {
            let h = md(text);
            let fragment = scraper::Html::parse_fragment(&h);
            let a = scraper::Selector::parse("a").unwrap();
            fragment
                .select(&a)
                .map(|a| a.value().attr("href").unwrap_or_default().to_owned())
                .collect::<Vec<_>>()
        };
        assert_eq!(links("git clone git@github.com:foo/bar.git"), Vec::<String>::new());
        assert_eq!(links("<foo\\+@bar.example.com> <https://foo.bar/baz bim>"), Vec::<String>::new());
        assert_eq!(links("x\"https://a.org\" and a!b@c.org"), Vec::<String>::new());
        assert_eq!(
            links("(https://a.org) *www.b.org* 代码：https://c.org 邮件：d@e.org hello+xyz@mail.example"),
            [
                "https://a.org",
                "http://www.b.org",
                "https://c.org",
                "mailto:d@e.org",
                "mailto:hello+xyz@mail.example"
            ]
        );
        assert_eq!(links("a.b-c_d@a.b- a.b-c_d@a.b_ a.b-c_d@a.bc."), ["mailto:a.b-c_d@a.bc"]);
    }

    #[test]
    fn bare_urls_become_links_outside_code_math_and_links() {
        let h = md("See https://arxiv.org/abs/2404.01300, www.example.org and a@b.org.\n\n\
                    `https://code.example` $x$ [https://x.org](https://y.org) javascript://x");
        assert!(
            h.contains("<a href=\"https://arxiv.org/abs/2404.01300\">https://arxiv.org/abs/2404.01300</a>,"),
            "{h}"
        );
        assert!(h.contains("<a href=\"http://www.example.org\">www.example.org</a>"), "{h}");
        assert!(h.contains("<a href=\"mailto:a@b.org\">a@b.org</a>."), "{h}");
        assert!(h.contains("<code>https://code.example</code>"), "{h}");
        assert_eq!(h.matches("<a ").count(), 4, "no link inside a link, none for javascript: {h}");
        assert!(!h.contains("href=\"javascript"), "{h}");
    }

    #[test]
    fn a_footnote_back_link_ends_its_text() {
        let h = md("A[^1].\n\n[^1]: The note.\n");
        assert!(h.contains("<p>The note. <a href=\"#fnref-p1-1\" class=\"footnote-back\""), "{h}");
        assert!(h.contains("↩</a></p>\n</li>"), "{h}");
    }

    #[test]
    fn arxiv_abstracts_show_tex_and_bodies_stay_markdown() {
        let text = "Enestr\\\"om's ``so-called'' \\emph{arbitrary} bound, Fig.~3, 1--2, $a~b$ and \\url{https://x.org/a_b}.";
        let h = render_arxiv(text, "a", &opts()).html;
        assert_eq!(
            h,
            "<p>Eneström's “so-called” <em>arbitrary</em> bound, Fig.\u{a0}3, 1–2, <math display=\"inline\"><mi>a</mi>\
             <mspace width=\"0.33333334em\" /><mi>b</mi></math> and <a href=\"https://x.org/a_b\">https://x.org/a_b</a>.</p>\n"
        );
        let body = md("Run `quire --help` or -- as a dash -- and ~5% more, \\emph{x}");
        assert!(
            body.contains("-- as a dash --") && body.contains("~5%") && body.contains("\\emph{x}"),
            "{body}"
        );
        let code = render_arxiv("`\\\"o` and\n\n    \\\"o indented", "a", &opts()).html;
        assert!(code.contains("<code>\\\"o</code>") && code.contains("<pre><code>\\\"o indented"), "{code}");
        let open = render_arxiv("\\emph{a\n\n- b}", "a", &opts()).html;
        assert_eq!(open.matches("<em>").count(), open.matches("</em>").count(), "{open}");
    }

    #[test]
    fn markdown_escapes_in_abstracts_are_not_tex() {
        let arxiv = |text: &str| render_arxiv(text, "a", &opts()).html;
        assert_eq!(arxiv("a \\--- b, c--\\-d, e -- f"), "<p>a --- b, c---d, e – f</p>\n");
        assert_eq!(arxiv("\\`not code`\n\nUniversit\\`a"), "<p>`not code`</p>\n<p>Università</p>\n");
        assert_eq!(arxiv("``a'' `b' ``c\" `d`"), "<p>“a” ‘b’ “c” <code>d</code></p>\n");
        assert_eq!(arxiv("\\---\n\n---\n"), "<p>---</p>\n<hr />\n");
    }

    #[test]
    fn formulas_with_markdown_characters_stay_whole() {
        let h = md("$a * b * c$ and $\\{x\\}$ in | a | table |\n\n| $P(Y|X)$ | b |\n|---|---|\n| 1 | 2 |");
        assert!(!h.contains("<em>"), "{h}");
        assert!(h.contains("<mo symmetric=\"false\" stretchy=\"false\">{</mo>"), "{h}");
        assert!(h.contains("<th><math"), "{h}");
    }

    #[test]
    fn any_mix_of_delimiters_renders_without_a_panic_and_balanced() {
        let alphabet: Vec<char> = "$\\`'~{}-[]()*_|\n #>\"aé中\u{F0000}".chars().collect();
        let mut state = 0x2545_f491_4f6c_dd1du64;
        for _ in 0..3000 {
            let len = (state >> 59) as usize + 1;
            let text: String = (0..len * 2)
                .map(|_| {
                    state ^= state << 13;
                    state ^= state >> 7;
                    state ^= state << 17;
                    alphabet[(state % alphabet.len() as u64) as usize]
                })
                .collect();
            let h = render_arxiv(&text, "f", &opts()).html;
            assert_eq!(h.matches("<em>").count(), h.matches("</em>").count(), "{text:?} -> {h}");
            assert_eq!(h.matches("<math").count(), h.matches("</math>").count(), "{text:?} -> {h}");
            let _ = md(&text);
            let _ = references(&text, true);
            let _ = crate::text::tex::to_html(&text, true, &mut Vec::new());
        }
    }
}
