//! The CommonMark spec's 652 examples (the npm package `commonmark-spec`,
//! in `tests/commonmark/`; skipped without Node.js and npm, required when
//! `CI` is set) through the renderer of a paper's body, with raw HTML
//! allowed (`unsafe_html = true`), compared as the spec's own runner
//! compares (its `normalize.py`: whitespace around blocks, attribute order
//! and entities do not count).
//!
//! Every example renders as the spec says but those of [`DIFFERENT`], each
//! for a reason the README gives.

use std::collections::HashMap;
use std::path::Path;
use std::process::Command;

use html5gum::{Token, Tokenizer};
use quire::text::markdown::{render, MarkdownOptions};
use quire::url::BaseUrl;
use serde_json::Value;

use crate::tools::{available, npm_install, Tool};

/// The examples quire renders otherwise, and why.
const DIFFERENT: &[(u64, &str)] = &[
    (596, "`<irc://...>`: a link to another scheme than http(s) or mailto keeps its text, not its link"),
    (598, "`<a+b+c:d>`: another scheme"),
    (599, "`<made-up-scheme://...>`: another scheme"),
    (601, "`<localhost:5001/foo>`: another scheme (`localhost:`)"),
    (608, "`< https://foo.bar >`: GFM's autolinks make a bare URL after a space a link"),
    (611, "`https://example.com`: a bare URL is a link (GFM's autolinks)"),
    (612, "`foo@bar.example.com`: a bare e-mail address is a link (GFM's autolinks)"),
];

/// The examples of the spec: (number, section, Markdown, HTML).
fn examples() -> Option<Vec<(u64, String, String, String)>> {
    if !available("the CommonMark spec examples (tests/commonmark)", &[Tool::Node, Tool::Npm]) {
        return None;
    }
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/commonmark");
    npm_install(&dir);
    let out = Command::new("node").arg(dir.join("examples.mjs")).output().expect("node runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let all: Vec<Value> = serde_json::from_slice(&out.stdout).expect("the examples are JSON");
    // The spec shows tabs as `→`.
    let field = |e: &Value, k: &str| e[k].as_str().expect("a string").replace('→', "\t");
    Some(
        all.iter()
            .map(|e| {
                (e["number"].as_u64().unwrap(), field(e, "section"), field(e, "markdown"), field(e, "html"))
            })
            .collect(),
    )
}

#[test]
fn commonmark_spec_examples_render_as_the_spec_says() {
    let Some(examples) = examples() else { return };
    assert_eq!(examples.len(), 652);
    let options =
        MarkdownOptions { base: BaseUrl::parse("/").unwrap(), unsafe_html: true, papers: HashMap::new() };
    let mut misses = Vec::new();
    for (number, section, markdown, expected) in &examples {
        let html = render(markdown, "spec", &options).html;
        if normalize(&html) != normalize(expected) {
            let miss =
                format!("example {number} ({section}):\n{markdown}\nexpected: {expected}\nquire:    {html}");
            misses.push((*number, miss));
        }
    }
    let passed = examples.len() - misses.len();
    eprintln!("CommonMark: {passed} of {} spec examples as the spec says", examples.len());
    let missed: Vec<u64> = misses.iter().map(|(number, _)| *number).collect();
    let documented: Vec<u64> = DIFFERENT.iter().map(|(number, _)| *number).collect();
    let unexpected: Vec<&str> = misses
        .iter()
        .filter(|(number, _)| !documented.contains(number))
        .map(|(_, miss)| miss.as_str())
        .collect();
    assert!(
        unexpected.is_empty(),
        "{passed} of 652 as the spec says; the misses:\n\n{}",
        unexpected.join("\n")
    );
    assert_eq!(missed, documented, "an example documented as different renders as the spec says now");
}

/// HTML as the spec's `normalize.py` writes it: whitespace collapsed outside
/// `<pre>` and removed around block tags, attributes sorted, entities
/// decoded and `<`, `>`, `&`, `"` written as entities, `<br />` as `<br>`.
fn normalize(html: &str) -> String {
    let mut out = Normalized::default();
    let mut text = String::new();
    for token in Tokenizer::new(html).flatten() {
        if let Token::String(s) = &token {
            text.push_str(&String::from_utf8_lossy(s));
            continue;
        }
        if !text.is_empty() {
            out.data(&std::mem::take(&mut text));
        }
        match token {
            Token::StartTag(tag) => {
                let name = String::from_utf8_lossy(&tag.name).into_owned();
                let attributes: Vec<(String, String)> = tag
                    .attributes
                    .iter()
                    .map(|(k, v)| {
                        (String::from_utf8_lossy(k).into_owned(), String::from_utf8_lossy(v).into_owned())
                    })
                    .collect();
                out.start(&name, &attributes, tag.self_closing);
            }
            Token::EndTag(tag) => out.end(&String::from_utf8_lossy(&tag.name)),
            Token::Comment(c) => {
                out.html.push_str(&format!("<!--{}-->", String::from_utf8_lossy(&c)));
                out.last = Last::Other;
            }
            Token::Doctype(d) => {
                out.html.push_str(&format!("<!DOCTYPE {}>", String::from_utf8_lossy(&d.name)));
                out.last = Last::Other;
            }
            Token::String(_) | Token::Error(_) => {}
        }
    }
    if !text.is_empty() {
        out.data(&text);
    }
    out.html
}

#[derive(Default, PartialEq, Eq)]
enum Last {
    #[default]
    Start,
    End,
    Data,
    Other,
}

#[derive(Default)]
struct Normalized {
    html: String,
    last: Last,
    last_tag: String,
    in_pre: bool,
}

impl Normalized {
    fn data(&mut self, data: &str) {
        let after_tag = matches!(self.last, Last::Start | Last::End);
        let after_block = after_tag && is_block(&self.last_tag);
        let mut data = data.to_owned();
        if after_tag && self.last_tag == "br" {
            data = data.trim_start_matches('\n').to_owned();
        }
        if !self.in_pre {
            data = collapse(&data);
        }
        if after_block && !self.in_pre {
            data = match self.last {
                Last::Start => data.trim_start().to_owned(),
                _ => data.trim().to_owned(),
            };
        }
        self.html.push_str(&escape(&data));
        self.last = Last::Data;
    }

    fn start(&mut self, tag: &str, attributes: &[(String, String)], self_closing: bool) {
        if tag == "pre" {
            self.in_pre = true;
        }
        if is_block(tag) {
            self.html.truncate(self.html.trim_end().len());
        }
        self.html.push('<');
        self.html.push_str(tag);
        for (k, v) in attributes {
            self.html.push_str(&format!(" {k}=\"{}\"", escape(v)));
        }
        self.html.push('>');
        self.last_tag = tag.to_owned();
        self.last = if self_closing { Last::End } else { Last::Start };
    }

    fn end(&mut self, tag: &str) {
        if tag == "pre" {
            self.in_pre = false;
        } else if is_block(tag) {
            self.html.truncate(self.html.trim_end().len());
        }
        self.html.push_str(&format!("</{tag}>"));
        self.last_tag = tag.to_owned();
        self.last = Last::End;
    }
}

/// Each run of whitespace as one space.
fn collapse(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c.is_ascii_whitespace() {
            true if out.ends_with(' ') => {}
            true => out.push(' '),
            false => out.push(c),
        }
    }
    out
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;").replace('"', "&quot;")
}

fn is_block(tag: &str) -> bool {
    [
        "article",
        "header",
        "aside",
        "hgroup",
        "blockquote",
        "hr",
        "iframe",
        "body",
        "li",
        "map",
        "button",
        "object",
        "canvas",
        "ol",
        "caption",
        "output",
        "col",
        "p",
        "colgroup",
        "pre",
        "dd",
        "progress",
        "div",
        "section",
        "dl",
        "table",
        "td",
        "dt",
        "tbody",
        "embed",
        "textarea",
        "fieldset",
        "tfoot",
        "figcaption",
        "th",
        "figure",
        "thead",
        "footer",
        "tr",
        "form",
        "ul",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "video",
        "script",
        "style",
    ]
    .contains(&tag)
}
