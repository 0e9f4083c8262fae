//! Stage 3, text: one paper's Markdown -> safe HTML, rendered once and reused.
//!
//! On top of pulldown-cmark (tables, footnotes, strikethrough, math spans):
//!
//! - **Footnotes are scoped** to one piece of text: their ids carry a scope
//!   (`fn-<scope>-<label>`), so two papers on one digest page that both use
//!   `[^1]` never clash. Definitions are gathered at the end of the text, in
//!   the order of first reference, each with a link back.
//! - **Untrusted text stays text**: raw HTML is shown escaped unless the site
//!   opts in; link and image URLs must be http(s), mailto, relative or a
//!   `#fragment` ([`safe_url`]), anything else drops the link and keeps its text.
//! - **Root-relative links get the site's path prefix** (`/x` -> `/repo/x`).
//! - **`[[id]]` links to that paper** where it is published (its details on
//!   its digest page), showing its title ([`PaperRef`]).
//! - **Math becomes MathML** ([`math`](super::math)): `$a_i$` is not
//!   emphasis; a formula the converter cannot handle is shown as its escaped
//!   source in `<span class="math">` and reported in [`Rendered::warnings`].

use std::collections::HashMap;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

use super::math;
use crate::url::Kind;

/// How to render the Markdown of one site.
#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    /// The path prefix for root-relative links (`/` or `/repo/`).
    pub base_path: String,
    /// Pass raw HTML through instead of escaping it.
    pub unsafe_html: bool,
    /// Every paper a `[[id]]` may name, by id.
    pub papers: HashMap<String, PaperRef>,
}

/// What a `[[id]]` reference shows and where it leads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PaperRef {
    pub title: String,
    pub url: String,
}

/// One text rendered to HTML, with what could not be rendered.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub html: String,
    /// One line per formula shown as source: the TeX and the error.
    pub warnings: Vec<String>,
}

/// Renders `text` to HTML; `scope` keeps its footnote ids apart from others'.
pub fn render(text: &str, scope: &str, options: &MarkdownOptions) -> Rendered {
    let text = &*tex_delimiters(text);
    let parser = Parser::new_ext(text, parser_options());
    let mut warnings = Vec::new();
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
            Event::InlineMath(tex) => Event::InlineHtml(math_span(&tex, false, &mut warnings).into()),
            Event::DisplayMath(tex) => Event::InlineHtml(math_span(&tex, true, &mut warnings).into()),
            other => match transform(other, options, &mut skipped_ends) {
                Some(e) => e,
                None => continue,
            },
        };
        match &mut current_note {
            Some((_, events)) => events.push(event),
            None => body.push(event),
        }
    }
    let body = if text.contains("[[") { link_papers(body, &options.papers) } else { body };
    let body = notes.link_references(body);
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, body.into_iter());
    notes.push_section(&mut out);
    Rendered { html: out, warnings }
}

/// Rewrites LaTeX's `\(...\)` and `\[...\]` as `$...$` and `$$...$$`,
/// which the parser knows (it would read `\(` as an escaped parenthesis).
/// Only pairs closed on the same line count, or a `\[` and a `\]` each
/// alone on a line; code spans and fenced code are left alone.
fn tex_delimiters(text: &str) -> std::borrow::Cow<'_, str> {
    if !text.contains("\\(") && !text.contains("\\[") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut fenced = false;
    for line in text.split_inclusive('\n') {
        let bare = line.trim();
        if bare.starts_with("```") || bare.starts_with("~~~") {
            fenced = !fenced;
        }
        match bare {
            _ if fenced => out.push_str(line),
            "\\[" | "\\]" => out.push_str(&line.replacen(bare, "$$", 1)),
            _ => out.push_str(&inline_delimiters(line)),
        }
    }
    out.into()
}

/// `\(x\)` -> `$x$` and `\[x\]` -> `$$x$$` within one line, outside code spans.
fn inline_delimiters(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    for (i, part) in line.split('`').enumerate() {
        if i > 0 {
            out.push('`');
        }
        if i % 2 == 1 {
            out.push_str(part);
            continue;
        }
        let mut rest = part;
        loop {
            let next = [("\\(", "\\)", "$"), ("\\[", "\\]", "$$")]
                .into_iter()
                .filter_map(|(open, close, dollar)| {
                    let start = rest.find(open)?;
                    let len = rest[start + 2..].find(close)?;
                    Some((start, len, dollar))
                })
                .min_by_key(|(start, _, _)| *start);
            let Some((start, len, dollar)) = next else { break };
            let tex = rest[start + 2..start + 2 + len].trim();
            out.push_str(&rest[..start]);
            out.push_str(&format!("{dollar}{tex}{dollar}"));
            rest = &rest[start + 2 + len + 2..];
        }
        out.push_str(rest);
    }
    out
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_MATH
}

/// Applies the safety rules to one event; `None` drops it.
fn transform<'a>(event: Event<'a>, options: &MarkdownOptions, skipped: &mut Vec<bool>) -> Option<Event<'a>> {
    Some(match event {
        Event::Html(raw) | Event::InlineHtml(raw) if !options.unsafe_html => Event::Text(raw),
        Event::Start(Tag::Link { link_type, dest_url, title, id }) => {
            let url = safe_url(&dest_url, &options.base_path);
            skipped.push(url.is_none());
            let dest_url = CowStr::from(url?);
            Event::Start(Tag::Link { link_type, dest_url, title, id })
        }
        Event::Start(Tag::Image { link_type, dest_url, title, id }) => {
            let url = safe_url(&dest_url, &options.base_path);
            skipped.push(url.is_none());
            Event::Start(Tag::Image { link_type, dest_url: CowStr::from(url?), title, id })
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

/// Turns `[[id]]` in text into a link to that paper, showing its title.
/// (The parser splits text at brackets, so adjacent text is joined first.)
fn link_papers<'a>(events: Vec<Event<'a>>, papers: &HashMap<String, PaperRef>) -> Vec<Event<'a>> {
    let mut out = Vec::with_capacity(events.len());
    let mut text = String::new();
    for event in events {
        match event {
            Event::Text(t) => text.push_str(&t),
            other => {
                flush_text(&mut text, &mut out, papers);
                out.push(other);
            }
        }
    }
    flush_text(&mut text, &mut out, papers);
    out
}

fn flush_text<'a>(text: &mut String, out: &mut Vec<Event<'a>>, papers: &HashMap<String, PaperRef>) {
    let mut rest = std::mem::take(text);
    while let Some(start) = rest.find("[[") {
        let Some(len) = rest[start + 2..].find("]]") else { break };
        let id = rest[start + 2..start + 2 + len].trim();
        let Some(paper) = papers.get(id) else {
            out.push(Event::Text(rest[..start + 2].to_owned().into()));
            rest = rest[start + 2..].to_owned();
            continue;
        };
        out.push(Event::Text(rest[..start].to_owned().into()));
        out.push(Event::InlineHtml(
            format!(
                "<a class=\"paper-ref\" href=\"{}\">{}</a>",
                escape_html(&paper.url),
                escape_html(&paper.title)
            )
            .into(),
        ));
        rest = rest[start + 2 + len + 2..].to_owned();
    }
    if !rest.is_empty() {
        out.push(Event::Text(rest.into()));
    }
}

/// A formula as MathML, or as its escaped source in
/// `<span class="math math-inline">\(...\)</span>` (`math-display`, `\[...\]`)
/// with a warning.
fn math_span(tex: &str, display: bool, warnings: &mut Vec<String>) -> String {
    math::to_html(tex, display, warnings)
}

/// A link target a reader can follow safely, with the site prefix applied;
/// `None` for `javascript:`, `data:`, `vbscript:` and every other scheme
/// (the rule is [`crate::url::check`], shared with every other URL).
///
/// Entities are already decoded by the parser.
pub fn safe_url(raw: &str, base_path: &str) -> Option<String> {
    let checked = crate::url::check(raw);
    match checked.kind {
        Kind::Refused => None,
        Kind::Relative => match checked.url.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') => Some(format!("{base_path}{rest}")),
            _ => Some(checked.url),
        },
        Kind::Web | Kind::Mail => Some(checked.url),
    }
}

/// Escapes text for HTML content and for attributes in either kind of quotes.
///
/// Copies runs of ordinary bytes at once, so it is cheap on long text.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
    escape_runs(s, |run| out.push_str(run));
    out
}

/// [`escape_html`] into a writer: the escape function of every template.
pub fn escape_html_to(s: &str, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    let mut result = Ok(());
    escape_runs(s, |run| {
        if result.is_ok() {
            result = out.write_all(run.as_bytes());
        }
    });
    result
}

/// Hands `s` to `push` in runs: text as it is, and an entity for each of
/// `& < > " '`.
fn escape_runs(s: &str, mut push: impl FnMut(&str)) {
    let mut last = 0;
    for (i, b) in s.bytes().enumerate() {
        let entity = match b {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' => "&quot;",
            b'\'' => "&#39;",
            _ => continue,
        };
        push(&s[last..i]);
        push(entity);
        last = i + 1;
    }
    push(&s[last..]);
}

/// Footnotes of one text: definitions by label, numbered by first reference.
struct Footnotes<'a> {
    scope: String,
    definitions: HashMap<String, Vec<Event<'a>>>,
    /// Labels in order of first reference, with how often each was referenced.
    referenced: Vec<(String, usize)>,
}

impl<'a> Footnotes<'a> {
    fn new(scope: &str) -> Self {
        Footnotes { scope: id_part(scope), definitions: HashMap::new(), referenced: Vec::new() }
    }

    fn define(&mut self, label: String, events: Vec<Event<'a>>) {
        self.definitions.entry(label).or_insert(events);
    }

    fn note_id(&self, label: &str) -> String {
        format!("fn-{}-{}", self.scope, id_part(label))
    }

    fn ref_id(&self, label: &str, nth: usize) -> String {
        let base = format!("fnref-{}-{}", self.scope, id_part(label));
        if nth == 1 {
            base
        } else {
            format!("{base}-{nth}")
        }
    }

    /// Replaces each reference to a defined footnote by a scoped link.
    fn link_references(&mut self, events: Vec<Event<'a>>) -> Vec<Event<'a>> {
        events
            .into_iter()
            .map(|e| match e {
                Event::FootnoteReference(label) if self.definitions.contains_key(label.as_ref()) => {
                    Event::InlineHtml(self.reference(&label).into())
                }
                Event::FootnoteReference(label) => Event::Text(format!("[^{label}]").into()),
                other => other,
            })
            .collect()
    }

    fn reference(&mut self, label: &str) -> String {
        let (number, nth) = match self.referenced.iter().position(|(l, _)| l == label) {
            Some(i) => {
                self.referenced[i].1 += 1;
                (i + 1, self.referenced[i].1)
            }
            None => {
                self.referenced.push((label.to_owned(), 1));
                (self.referenced.len(), 1)
            }
        };
        format!(
            "<sup class=\"footnote-ref\"><a href=\"#{}\" id=\"{}\">{number}</a></sup>",
            self.note_id(label),
            self.ref_id(label, nth)
        )
    }

    /// The list of referenced footnotes, each linking back to its first reference.
    fn push_section(mut self, out: &mut String) {
        if self.referenced.is_empty() {
            return;
        }
        out.push_str("<section class=\"footnotes\"><ol>\n");
        for (label, _) in std::mem::take(&mut self.referenced) {
            let events = self.definitions.remove(&label).unwrap_or_default();
            let events = self.link_references(events);
            out.push_str(&format!("<li id=\"{}\">", self.note_id(&label)));
            html::push_html(out, events.into_iter());
            out.push_str(&format!(
                "<a href=\"#{}\" class=\"footnote-back\" aria-label=\"back\">↩</a></li>\n",
                self.ref_id(&label, 1)
            ));
        }
        out.push_str("</ol></section>\n");
    }
}

/// A label or scope made safe inside an HTML id.
fn id_part(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '-' })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn opts() -> MarkdownOptions {
        let papers = [("2403.18211", "NeuroPictor <v2>")]
            .iter()
            .map(|(id, title)| {
                (id.to_string(), PaperRef { title: title.to_string(), url: format!("/repo/p/{id}/") })
            })
            .collect();
        MarkdownOptions { base_path: "/repo/".into(), unsafe_html: false, papers }
    }

    #[test]
    fn latex_delimiters_become_math_outside_code() {
        assert_eq!(tex_delimiters("a \\( x_i \\) b \\[y\\] `\\(c\\)`"), "a $x_i$ b $$y$$ `\\(c\\)`");
        assert_eq!(tex_delimiters("\\[\nE = mc^2\n\\]\n"), "$$\nE = mc^2\n$$\n");
        assert_eq!(tex_delimiters("```\n\\(x\\)\n```\n"), "```\n\\(x\\)\n```\n");
        assert_eq!(tex_delimiters("open \\( only"), "open \\( only");
        let h = md("Runs in \\(\\mathcal{O}(n)\\) time.");
        assert!(h.contains("<math") && !h.contains("\\("), "{h}");
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
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox(1)",
        ] {
            assert_eq!(safe_url(url, "/"), None, "{url:?}");
        }
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
    fn safe_urls_pass_and_root_relative_ones_get_the_prefix() {
        assert_eq!(safe_url("https://arxiv.org/abs/1", "/"), Some("https://arxiv.org/abs/1".into()));
        assert_eq!(safe_url("mailto:a@b.c", "/"), Some("mailto:a@b.c".into()));
        assert_eq!(safe_url("#sec", "/repo/"), Some("#sec".into()));
        assert_eq!(safe_url("/paper/x/", "/repo/"), Some("/repo/paper/x/".into()));
        assert_eq!(safe_url("../x/", "/repo/"), Some("../x/".into()));
        assert_eq!(safe_url("//cdn.example/x", "/repo/"), Some("//cdn.example/x".into()));
        assert!(md("[p](/paper/x/)").contains("href=\"/repo/paper/x/\""));
    }

    #[test]
    fn escapes_every_special_character_and_keeps_the_rest() {
        assert_eq!(escape_html("a<b>&\"c'd 论文"), "a&lt;b&gt;&amp;&quot;c&#39;d 论文");
        assert_eq!(escape_html(""), "");
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
            render("see $\\nope a_i$ and [^1]\n\n[^1]: $\\href{javascript:alert(1)}{x}$\n", "p1", &opts());
        assert!(r.html.contains("<span class=\"math math-inline\">\\(\\nope a_i\\)</span>"), "{}", r.html);
        assert!(!r.html.contains("href=\"javascript"), "{}", r.html);
        assert_eq!(r.warnings.len(), 2, "{:?}", r.warnings);
        assert!(r.warnings[0].starts_with("unsupported TeX `\\nope a_i`: "), "{:?}", r.warnings);
        assert!(r.warnings[1].contains("\\href"), "{:?}", r.warnings);
    }

    #[test]
    fn tables_and_strikethrough_render() {
        let h = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~");
        assert!(h.contains("<table>") && h.contains("<del>gone</del>"), "{h}");
    }
}
