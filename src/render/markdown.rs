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
//! - **Math is left intact** (`$a_i$` is not emphasis) and wrapped in
//!   `<span class="math">` for the theme.

use std::collections::HashMap;

use pulldown_cmark::{html, CowStr, Event, Options, Parser, Tag, TagEnd};

/// How to render the Markdown of one site.
#[derive(Debug, Clone)]
pub struct MarkdownOptions {
    /// The path prefix for root-relative links (`/` or `/repo/`).
    pub base_path: String,
    /// Pass raw HTML through instead of escaping it.
    pub unsafe_html: bool,
}

/// Renders `text` to HTML; `scope` keeps its footnote ids apart from others'.
pub fn render(text: &str, scope: &str, options: &MarkdownOptions) -> String {
    let parser = Parser::new_ext(text, parser_options());
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
    let body = notes.link_references(body);
    let mut out = String::with_capacity(text.len() * 3 / 2);
    html::push_html(&mut out, body.into_iter());
    notes.push_section(&mut out);
    out
}

fn parser_options() -> Options {
    Options::ENABLE_TABLES | Options::ENABLE_FOOTNOTES | Options::ENABLE_STRIKETHROUGH | Options::ENABLE_MATH
}

/// Applies the safety rules to one event; `None` drops it.
fn transform<'a>(event: Event<'a>, options: &MarkdownOptions, skipped: &mut Vec<bool>) -> Option<Event<'a>> {
    Some(match event {
        Event::Html(raw) | Event::InlineHtml(raw) if !options.unsafe_html => Event::Text(raw),
        Event::InlineMath(tex) => Event::InlineHtml(math_span(&tex, false).into()),
        Event::DisplayMath(tex) => Event::InlineHtml(math_span(&tex, true).into()),
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

fn math_span(tex: &str, display: bool) -> String {
    let (class, open, close) =
        if display { ("math math-display", "\\[", "\\]") } else { ("math math-inline", "\\(", "\\)") };
    format!("<span class=\"{class}\">{open}{}{close}</span>", escape_html(tex))
}

/// A link target a reader can follow safely, with the site prefix applied;
/// `None` for `javascript:`, `data:`, `vbscript:` and every other scheme.
///
/// The check is made on the URL as a browser would see it: entities are
/// already decoded by the parser, and ASCII whitespace and control characters
/// (which browsers drop inside a scheme) are removed first.
pub fn safe_url(raw: &str, base_path: &str) -> Option<String> {
    let cleaned: String = raw.chars().filter(|c| !c.is_ascii_whitespace() && !c.is_control()).collect();
    if let Some(colon) = cleaned.find(':') {
        let scheme = &cleaned[..colon];
        let is_scheme = !scheme.is_empty()
            && scheme.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
        if is_scheme {
            let scheme = scheme.to_ascii_lowercase();
            return ["http", "https", "mailto"].contains(&scheme.as_str()).then_some(cleaned);
        }
    }
    if cleaned.contains(['\\']) {
        return None;
    }
    match cleaned.strip_prefix('/') {
        Some(rest) if !rest.starts_with('/') => Some(format!("{base_path}{rest}")),
        _ => Some(cleaned),
    }
}

/// Escapes text for HTML content and for attributes in either kind of quotes.
///
/// Copies runs of ordinary bytes at once: Tera calls this on every string a
/// template prints or tests, so it must be cheap on long text.
pub fn escape_html(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + s.len() / 16);
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
        out.push_str(&s[last..i]);
        out.push_str(entity);
        last = i + 1;
    }
    out.push_str(&s[last..]);
    out
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
        MarkdownOptions { base_path: "/repo/".into(), unsafe_html: false }
    }

    fn md(text: &str) -> String {
        render(text, "p1", &opts())
    }

    #[test]
    fn footnotes_are_scoped_and_link_both_ways() {
        let a = render("A[^1].\n\n[^1]: note a\n", "a", &opts());
        let b = render("B[^1].\n\n[^1]: note b\n", "b", &opts());
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
        let allowed = render("<b>b</b>", "s", &MarkdownOptions { unsafe_html: true, ..opts() });
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
    fn math_is_not_emphasis() {
        let h = md("where $a_i$ and $b_i$ hold, $$x_1 * y_2$$");
        assert!(!h.contains("<em>"), "{h}");
        assert!(h.contains("<span class=\"math math-inline\">\\(a_i\\)</span>"), "{h}");
        assert!(h.contains("math-display"), "{h}");
    }

    #[test]
    fn tables_and_strikethrough_render() {
        let h = md("| a | b |\n|---|---|\n| 1 | 2 |\n\n~~gone~~");
        assert!(h.contains("<table>") && h.contains("<del>gone</del>"), "{h}");
    }
}
