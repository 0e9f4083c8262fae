//! Text engine, footnotes: `[^1]` in one piece of text, with ids scoped to it
//! (`fn-<scope>-<label>`) so two papers on one page never clash.
//! Definitions are gathered at the end of the text, in the order of first
//! reference, each with a link back at the end of its text.

use std::collections::HashMap;

use pulldown_cmark::{html, Event, TagEnd};

/// Footnotes of one text: definitions by label, numbered by first reference.
pub struct Footnotes<'a> {
    scope: String,
    definitions: HashMap<String, Vec<Event<'a>>>,
    /// Labels in order of first reference, with how often each was referenced.
    referenced: Vec<(String, usize)>,
}

impl<'a> Footnotes<'a> {
    pub fn new(scope: &str) -> Self {
        Footnotes { scope: id_part(scope), definitions: HashMap::new(), referenced: Vec::new() }
    }

    pub fn define(&mut self, label: String, events: Vec<Event<'a>>) {
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
    pub fn link_references(&mut self, events: Vec<Event<'a>>) -> Vec<Event<'a>> {
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

    /// The list of referenced footnotes, each linking back to its first
    /// reference at the end of its text; `finish` readies each one's events.
    pub fn push_section(
        mut self,
        out: &mut String,
        mut finish: impl FnMut(Vec<Event<'a>>) -> Vec<Event<'a>>,
    ) {
        if self.referenced.is_empty() {
            return;
        }
        out.push_str("<section class=\"footnotes\"><ol>\n");
        for (label, _) in std::mem::take(&mut self.referenced) {
            let events = self.definitions.remove(&label).unwrap_or_default();
            let mut events = self.link_references(finish(events));
            let back = format!(
                " <a href=\"#{}\" class=\"footnote-back\" aria-label=\"back\">↩</a>",
                self.ref_id(&label, 1)
            );
            // Inside the note's last paragraph, not on a line of its own.
            let at = match events.last() {
                Some(Event::End(TagEnd::Paragraph)) => events.len() - 1,
                _ => events.len(),
            };
            events.insert(at, Event::InlineHtml(back.into()));
            out.push_str(&format!("<li id=\"{}\">", self.note_id(&label)));
            html::push_html(out, events.into_iter());
            out.push_str("</li>\n");
        }
        out.push_str("</ol></section>\n");
    }
}

/// A label or scope made safe inside an HTML id.
pub fn id_part(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '_' || c == '.' { c } else { '-' })
        .collect()
}
