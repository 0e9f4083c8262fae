//! Import, the formats: which producers' files quire reads, how each is
//! recognised from its first bytes, and the reader of each.
//!
//! Every reader turns one input into [`Item`]s, streaming where the format
//! allows it; the date, the category and the site's language come from the
//! [`Context`].

mod atom;
mod digest;
mod digest_parse;
mod hf;
mod json;
mod jsonl;
mod paper_json;
mod rss;
mod xml;

use std::io::Read;
use std::path::Path;

use chrono::NaiveDate;

use super::code;
use super::record::{diagnostic_at, Item};
use super::text::{BadByte, TextReader, RECORD_LIMIT};
use crate::error::Diagnostic;

/// The formats quire imports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    /// The seed producer's Markdown digest (summary table + details).
    Digest,
    /// The seed producer's per-paper JSON (`papers/YY/MM/<id>.json`).
    PaperJson,
    /// daily-arXiv-ai-enhanced's JSONL (`data/YYYY-MM-DD_AI_enhanced_Chinese.jsonl`).
    Jsonl,
    /// A saved arXiv API response (`export.arxiv.org/api/query`, Atom).
    ArxivApi,
    /// arXiv's Atom feed of a category (`rss.arxiv.org/atom/cs.CV`).
    RssAtom,
    /// arXiv's RSS 2.0 feed of a category (`rss.arxiv.org/rss/cs.CV`).
    Rss,
    /// A saved Hugging Face daily papers list (`/api/daily_papers`).
    HuggingFace,
}

impl Format {
    pub const ALL: [Format; 7] = [
        Format::Digest,
        Format::PaperJson,
        Format::Jsonl,
        Format::ArxivApi,
        Format::RssAtom,
        Format::Rss,
        Format::HuggingFace,
    ];

    /// The name `--from` takes and the report shows.
    pub fn name(self) -> &'static str {
        match self {
            Format::Digest => "digest",
            Format::PaperJson => "paper-json",
            Format::Jsonl => "jsonl",
            Format::ArxivApi => "arxiv-api",
            Format::RssAtom => "rss-atom",
            Format::Rss => "rss",
            Format::HuggingFace => "hf",
        }
    }

    pub fn from_name(name: &str) -> Option<Format> {
        Format::ALL.into_iter().find(|f| f.name() == name)
    }

    /// Every format's name, for messages.
    pub fn names() -> String {
        Format::ALL.map(Format::name).join(", ")
    }
}

/// What a reader needs to know besides the input itself.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    /// The input as the user named it.
    pub shown: &'a Path,
    /// `--date`: the date of every record.
    pub date: Option<NaiveDate>,
    /// A `YYYY-MM-DD` in the input's file name or folders.
    pub path_date: Option<NaiveDate>,
    /// `--category`, or the category the file is named after.
    pub category: Option<String>,
    /// The site's language (`en`, `zh`, ...), for the headings a format adds.
    pub language: &'a str,
}

impl Context<'_> {
    /// The date of a format whose records carry none.
    pub fn day(&self) -> Option<NaiveDate> {
        self.date.or(self.path_date)
    }

    /// The digest's name: the category when one is known, else the format's.
    pub fn digest_name(&self, format: &str) -> String {
        self.category.clone().unwrap_or_else(|| format.to_owned())
    }

    /// A record with a byte that is not UTF-8: skipped, named where the byte is.
    fn not_utf8(&self, bad: BadByte) -> Diagnostic {
        let message =
            format!("the file is not UTF-8 text: byte 0x{:02x} at offset {}", bad.byte, bad.at.offset);
        diagnostic_at(self.shown, bad.at.line, bad.at.column, message)
            .help("save it as UTF-8; the other records were read")
    }

    /// The diagnostic for a stream that stopped with `error`.
    fn read_problem<R: Read>(&self, reader: &TextReader<R>, error: &std::io::Error) -> Diagnostic {
        match reader.too_long() {
            Some(too_long) => diagnostic_at(
                self.shown,
                too_long.line,
                1,
                format!("this record is longer than {} MB", RECORD_LIMIT >> 20),
            )
            .help("a record this long is no paper; nothing after this point was read"),
            None => {
                let at = reader.place();
                diagnostic_at(self.shown, at.line, at.column, format!("cannot read further: {error}"))
            }
        }
    }

    #[cfg(test)]
    pub fn example(shown: &'static str, date: &str, category: Option<&str>) -> Context<'static> {
        Context {
            shown: Path::new(shown),
            date: crate::dates::parse_day(date),
            path_date: None,
            category: category.map(str::to_owned),
            language: "zh",
        }
    }
}

/// Reads `input` as `format`, handing each record or problem to `emit`;
/// a record gets the code repository its text links to ([`code::fill`]).
pub fn read<R: Read>(format: Format, input: R, cx: &Context, emit: &mut dyn FnMut(Item)) {
    let mut reader = TextReader::new(input);
    let emit = &mut |item| emit(code::fill(item));
    match format {
        Format::Digest => digest::read(&mut reader, cx, emit),
        Format::PaperJson => paper_json::read(&mut reader, cx, emit),
        Format::Jsonl => jsonl::read(&mut reader, cx, emit),
        Format::ArxivApi | Format::RssAtom => atom::read(&mut reader, format, cx, emit),
        Format::Rss => rss::read(&mut reader, cx, emit),
        Format::HuggingFace => hf::read(&mut reader, cx, emit),
    }
}

/// The formats the first bytes of an input could be, best guess first:
/// none, one, or (rarely) several.
pub fn detect(head: &str) -> Vec<Format> {
    let head = head.trim_start_matches('\u{feff}').trim_start();
    let has = |needle: &str| head.contains(needle);
    let mut found = Vec::new();
    if head.starts_with('<') {
        match xml::root_name(head).as_deref() {
            Some("rss") => found.push(Format::Rss),
            Some("feed") => {
                if has("announce_type") || has("rss.arxiv.org") {
                    found.push(Format::RssAtom);
                }
                if has("opensearch") || has("arxiv.org/api") || has("<arxiv:primary_category") {
                    found.push(Format::ArxivApi);
                }
            }
            _ => {}
        }
    } else if head.starts_with('[') {
        if has("\"paper\"") {
            found.push(Format::HuggingFace);
        }
    } else if head.starts_with('{') {
        let keys = json::keys(head);
        let key = |k: &str| keys.iter().any(|x| x == k);
        let seed_keys = key("translated_abstract") || key("en_tdlr");
        if seed_keys || (key("abstract") && (key("translated_title") || key("link"))) {
            found.push(Format::PaperJson);
        }
        if key("AI") || (key("abs") && key("pdf")) || (key("categories") && key("summary")) {
            found.push(Format::Jsonl);
        }
    } else if digest_parse::has_summary_table(head) {
        found.push(Format::Digest);
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_are_told_apart_by_their_first_bytes() {
        let cases = [
            ("# 摘要\n\n| Ref | Title | Summary |\n| --- | --- | --- |\n", vec![Format::Digest]),
            (
                "{\"title\": \"T\", \"abstract\": \"A\", \"translated_title\": \"标题\"}",
                vec![Format::PaperJson],
            ),
            (
                "{\"title\": \"T\", \"abstract\": \"A\", \"link\": \"L\", \"context\": \"a long cut",
                vec![Format::PaperJson],
            ),
            (
                "{\"id\": \"2404.01300\", \"categories\": [\"cs.CV\"], \"summary\": \"S\", \"AI\": {\"tldr\": \"T\"}}\n",
                vec![Format::Jsonl],
            ),
            ("<?xml version=\"1.0\"?>\n<rss version=\"2.0\"><channel>", vec![Format::Rss]),
            (
                "<feed xmlns=\"http://www.w3.org/2005/Atom\"><id>http://rss.arxiv.org/atom/cs.CV</id>",
                vec![Format::RssAtom],
            ),
            ("<?xml version=\"1.0\"?><!-- x --><feed><opensearch:totalResults>", vec![Format::ArxivApi]),
            ("\u{feff}  [{\"paper\": {\"id\": \"2404.01300\"}}]", vec![Format::HuggingFace]),
            (
                "{\"abstract\": \"a\", \"translated_title\": \"t\", \"AI\": {}}",
                vec![Format::PaperJson, Format::Jsonl],
            ),
        ];
        for (head, want) in cases {
            assert_eq!(detect(head), want, "{head}");
        }
        for head in ["# Notes\n\nSome text.", "{\"name\": 1}", "[1, 2]", "<html><body>", ""] {
            assert_eq!(detect(head), [], "{head}");
        }
    }

    #[test]
    fn names_read_back() {
        for f in Format::ALL {
            assert_eq!(Format::from_name(f.name()), Some(f));
        }
        assert_eq!(Format::from_name("markdown"), None);
    }
}
