//! Format `digest`, reading: a digest's text -> its summary rows and its details.
//!
//! A digest (see `tests/fixtures/import/seed-digest.md`) is a summary table
//! `| Ref | Title | Summary |` with one row `| [^N] | [title](url) | summary |`
//! per paper, then one footnote per paper: `[^N]: translated title` followed
//! by indented paragraphs (the original title, `[url](url)`, the summary, and
//! the abstract: an optional Chinese translation, then the English original).
//! This module only finds those pieces and the lines they are on;
//! [`super::digest`] cleans and checks what they say.

use std::path::Path;

use crate::error::Diagnostic;

/// The digest file, to place diagnostics.
pub struct Source<'a> {
    /// As the user named it.
    pub path: &'a Path,
    /// The normalised text, by line.
    lines: Vec<&'a str>,
}

impl<'a> Source<'a> {
    pub fn new(path: &'a Path, text: &'a str) -> Self {
        Source { path, lines: text.lines().collect() }
    }

    /// A diagnostic at a 1-based line and column of the digest, showing
    /// that line (found at once: a digest may have a diagnostic per row).
    pub fn at(&self, line: usize, column: usize, message: impl Into<String>) -> Diagnostic {
        let mut d = Diagnostic::new(self.path, message);
        (d.line, d.column) = (line, column);
        d.source_line = self.lines.get(line.wrapping_sub(1)).map(|l| l.trim_end_matches('\r').to_owned());
        d
    }
}

/// The summary table and the details, in the order they are written.
pub struct Digest<'a> {
    pub rows: Vec<Row<'a>>,
    /// Table rows that could not be read, each with its reason.
    pub bad_rows: Vec<Diagnostic>,
    pub details: Vec<Detail<'a>>,
}

/// One row of the summary table.
pub struct Row<'a> {
    /// The `N` of `[^N]`.
    pub number: usize,
    pub line: usize,
    /// The link target of the title cell, as written.
    pub url: &'a str,
    /// 1-based column of `url` in the line.
    pub url_column: usize,
    /// The summary cell, still escaped: everything after the title cell.
    pub summary: &'a str,
}

/// One paper's footnote: `[^N]: heading` and the lines below it.
pub struct Detail<'a> {
    pub number: usize,
    pub line: usize,
    /// The translated title.
    pub heading: &'a str,
    /// Trimmed lines with their line numbers; blank ones separate paragraphs.
    lines: Vec<(usize, &'a str)>,
}

/// Consecutive non-blank lines.
#[derive(Debug, PartialEq, Eq)]
pub struct Paragraph<'a> {
    pub line: usize,
    pub lines: Vec<&'a str>,
}

impl Paragraph<'_> {
    pub fn text(&self) -> String {
        self.lines.join("\n")
    }

    /// A Chinese paragraph holds Han characters; an English abstract has none.
    pub fn is_chinese(&self) -> bool {
        self.lines.iter().any(|l| has_han(l))
    }
}

/// A link `[label](url)`: its url and the byte offset of the url.
pub struct Link<'a> {
    pub url: &'a str,
    pub offset: usize,
}

/// Finds the summary table and the details of `src`.
pub fn parse<'a>(src: &Source<'a>) -> Result<Digest<'a>, Vec<Diagnostic>> {
    let lines = &src.lines;
    let Some(header) = lines.iter().position(|l| is_header(l)) else {
        let d = Diagnostic::new(src.path, "no summary table found")
            .help("a digest starts with a table whose header is `| Ref | Title | Summary |`");
        return Err(vec![d]);
    };
    let mut first = header + 1;
    if lines.get(first).is_some_and(|l| is_separator(l)) {
        first += 1;
    }
    let end = lines[first..].iter().position(|l| cells(l).is_none()).map_or(lines.len(), |n| first + n);
    if end == first {
        let d = src.at(header + 1, 1, "the summary table has no rows");
        return Err(vec![d.help("add one row `| [^1] | [title](url) | summary |` per paper")]);
    }
    let mut rows = Vec::new();
    let mut bad_rows = Vec::new();
    for (i, line) in lines.iter().enumerate().take(end).skip(first) {
        match row(src, i + 1, line) {
            Ok(r) => rows.push(r),
            Err(d) => bad_rows.push(d),
        }
    }
    Ok(Digest { rows, bad_rows, details: details(lines, end) })
}

/// Whether `text` holds the header of a digest's summary table.
pub fn has_summary_table(text: &str) -> bool {
    text.lines().any(is_header)
}

fn is_header(line: &str) -> bool {
    cells(line).is_some_and(|cells| {
        let names: Vec<String> = cells.iter().map(|(_, c)| c.to_ascii_lowercase()).collect();
        names == ["ref", "title", "summary"]
    })
}

fn is_separator(line: &str) -> bool {
    line.contains('-') && line.trim().chars().all(|c| matches!(c, '|' | '-' | ':' | ' ' | '\t'))
}

/// A table line's cells, trimmed, each with its byte offset; `None` when the
/// line is not a table line. A `\|` does not end a cell.
fn cells(line: &str) -> Option<Vec<(usize, &str)>> {
    let line = line.trim_end();
    let start = line.len() - line.trim_start().len();
    if !line[start..].starts_with('|') {
        return None;
    }
    let mut cells = Vec::new();
    let mut cell_start = start + 1;
    let mut escaped = false;
    for (i, c) in line.char_indices().skip_while(|&(i, _)| i <= start) {
        if c == '|' && !escaped {
            cells.push(trimmed(line, cell_start, i));
            cell_start = i + 1;
        }
        escaped = c == '\\' && !escaped;
    }
    if cell_start < line.len() {
        cells.push(trimmed(line, cell_start, line.len()));
    }
    Some(cells)
}

fn trimmed(line: &str, start: usize, end: usize) -> (usize, &str) {
    let cell = &line[start..end];
    let lead = cell.len() - cell.trim_start().len();
    (start + lead, cell.trim())
}

/// A row has three cells by its structure: `[^N]`, `[title](url)` and the
/// summary. Any further `|` (unescaped, as in `$P(Y|X)$`) is the summary's.
fn row<'a>(src: &Source, line_no: usize, line: &'a str) -> Result<Row<'a>, Diagnostic> {
    let cells = cells(line).unwrap_or_default();
    let [(ref_at, reference), (title_at, _), _, ..] = cells[..] else {
        let d = src.at(line_no, 1, format!("a summary row needs 3 cells, this one has {}", cells.len()));
        return Err(d.help("write the row as `| [^N] | [title](url) | summary |`"));
    };
    let column = |byte: usize| line[..byte].chars().count() + 1;
    let number = footnote_number(reference).ok_or_else(|| {
        src.at(line_no, column(ref_at), format!("`{reference}` is not a footnote reference"))
            .help("the Ref cell is the paper's number as a footnote, like `[^1]`")
    })?;
    let (link, after) = title_link(&line[title_at..]).ok_or_else(|| {
        src.at(line_no, column(title_at), "the Title cell is not a link")
            .help("write the title as a link to the paper: `[title](https://arxiv.org/abs/ID)`")
    })?;
    let summary = line[title_at + after..].trim_end();
    let summary = summary.strip_suffix('|').unwrap_or(summary).trim();
    let url_column = column(title_at + link.offset);
    Ok(Row { number, line: line_no, url: link.url, url_column, summary })
}

/// The `[title](url)` at the start of a title cell, and the byte just past
/// the `|` that ends the cell. The title may hold `|` and `]`; the url
/// holds no space and is followed by `)` and the cell's `|`.
fn title_link(cell: &str) -> Option<(Link<'_>, usize)> {
    if !cell.starts_with('[') {
        return None;
    }
    cell.match_indices("](").find_map(|(at, _)| {
        let rest = &cell[at + 2..];
        let close = rest.find(')')?;
        let after = rest[close + 1..].trim_start().strip_prefix('|')?;
        let found = link(&cell[..at + 2 + close + 1])?;
        (!found.url.contains(char::is_whitespace)).then(|| (found, cell.len() - after.len()))
    })
}

/// `[^12]` -> 12.
fn footnote_number(reference: &str) -> Option<usize> {
    reference.strip_prefix("[^")?.strip_suffix(']')?.parse().ok()
}

/// `[label](url)`, the whole of `text`; a `<url>` loses its angle brackets.
pub fn link(text: &str) -> Option<Link<'_>> {
    let inner = text.strip_prefix('[')?.strip_suffix(')')?;
    let split = inner.rfind("](")?;
    let offset = 1 + split + 2;
    let raw = &inner[split + 2..];
    let url = raw.trim().trim_start_matches('<').trim_end_matches('>').trim();
    let offset = offset + raw.find(url).unwrap_or(0);
    (!url.is_empty()).then_some(Link { url, offset })
}

/// Every `[^N]: heading` after line index `from`, with the lines below it up
/// to the next footnote or heading.
fn details<'a>(lines: &[&'a str], from: usize) -> Vec<Detail<'a>> {
    let mut details: Vec<Detail> = Vec::new();
    let mut open = false;
    for (i, line) in lines.iter().enumerate().skip(from) {
        if let Some((number, heading)) = footnote_definition(line) {
            details.push(Detail { number, line: i + 1, heading, lines: Vec::new() });
            open = true;
        } else if line.starts_with('#') {
            open = false;
        } else if let Some(detail) = details.last_mut().filter(|_| open) {
            detail.lines.push((i + 1, line.trim()));
        }
    }
    details
}

/// `[^3]: heading` -> (3, "heading").
fn footnote_definition(line: &str) -> Option<(usize, &str)> {
    let (reference, heading) = line.split_once(':')?;
    Some((footnote_number(reference)?, heading.trim()))
}

impl<'a> Detail<'a> {
    /// The paragraphs below the heading. From the fourth on (the abstract),
    /// a paragraph is also split where lines change between Chinese and
    /// English, as a translation and its original may sit on consecutive lines.
    pub fn paragraphs(&self) -> Vec<Paragraph<'a>> {
        let mut paragraphs: Vec<Paragraph> = Vec::new();
        let mut after_blank = true;
        for &(line, text) in &self.lines {
            if text.is_empty() {
                after_blank = true;
                continue;
            }
            let in_abstract = paragraphs.len() > 3;
            let script_changes = paragraphs.last().is_some_and(|p| p.is_chinese() != has_han(text));
            if after_blank || (in_abstract && script_changes) {
                paragraphs.push(Paragraph { line, lines: Vec::new() });
            }
            if let Some(p) = paragraphs.last_mut() {
                p.lines.push(text);
            }
            after_blank = false;
        }
        paragraphs
    }
}

fn has_han(text: &str) -> bool {
    text.chars().any(|c| {
        matches!(c, '\u{3400}'..='\u{4dbf}' | '\u{4e00}'..='\u{9fff}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{3134f}')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> Source<'_> {
        Source::new(Path::new("digest.md"), text)
    }

    const DIGEST: &str = "# 摘要\n\n| Ref | Title | Summary |\n| --- | --- | --- |\n\
        | [^1] | [A \\| B](https://arxiv.org/abs/2404.01300) | 总结 \\| 一 |\n\
        | [^2] | [Old](<http://arxiv.org/abs/cs/0112017v2>) | 二 |\n\n# 详细\n\n\
        [^1]: 翻译\n\n    A | B\n\n    [https://arxiv.org/abs/2404.01300](https://arxiv.org/abs/2404.01300)\n\n\
        \x20   总结\n    \n    中文摘要。\n    English abstract.\n\n\
        [^2]: Old\n\n    Old\n\n    [u](http://arxiv.org/abs/cs/0112017v2)\n\n    二\n\n    Only English.\n";

    #[test]
    fn reads_rows_and_details_with_their_lines() {
        let digest = parse(&source(DIGEST)).unwrap();
        let rows: Vec<_> = digest.rows.iter().map(|r| (r.number, r.line, r.url, r.summary)).collect();
        assert_eq!(
            rows,
            [
                (1, 5, "https://arxiv.org/abs/2404.01300", "总结 \\| 一"),
                (2, 6, "http://arxiv.org/abs/cs/0112017v2", "二")
            ]
        );
        assert_eq!(digest.rows[0].url_column, 19);
        assert_eq!(digest.rows[1].url_column, 17);
        let heads: Vec<_> = digest.details.iter().map(|d| (d.number, d.line, d.heading)).collect();
        assert_eq!(heads, [(1, 10, "翻译"), (2, 21, "Old")]);
    }

    #[test]
    fn abstracts_on_consecutive_lines_are_split_by_script() {
        let digest = parse(&source(DIGEST)).unwrap();
        let texts: Vec<_> = digest.details[0].paragraphs().iter().map(|p| (p.line, p.text())).collect();
        assert_eq!(texts[0], (12, "A | B".to_owned()));
        assert_eq!(texts[3], (18, "中文摘要。".to_owned()));
        assert_eq!(texts[4], (19, "English abstract.".to_owned()));
        assert_eq!(texts.len(), 5);
        let second = digest.details[1].paragraphs();
        assert_eq!((second.len(), second[3].is_chinese()), (4, false));
    }

    #[test]
    fn a_wrapped_title_stays_one_paragraph() {
        let detail = Detail {
            number: 1,
            line: 1,
            heading: "",
            lines: vec![(2, "Long"), (3, "title"), (4, ""), (5, "x")],
        };
        let p = detail.paragraphs();
        assert_eq!(p[0], Paragraph { line: 2, lines: vec!["Long", "title"] });
        assert_eq!(p.len(), 2);
    }

    #[test]
    fn further_pipes_belong_to_the_summary() {
        let text = "| Ref | Title | Summary |\n|---|---|---|\n\
            | [^1] | [P(Y|X) and |S|](https://arxiv.org/abs/2404.01300) | $P(Y|X)$ with |S|^2 \\| x |\n";
        let digest = parse(&source(text)).unwrap();
        let row = &digest.rows[0];
        assert_eq!((row.url, row.summary), ("https://arxiv.org/abs/2404.01300", "$P(Y|X)$ with |S|^2 \\| x"));
        assert_eq!(row.url_column, 27);
        assert!(digest.bad_rows.is_empty());
    }

    #[test]
    fn cells_respect_escaped_pipes() {
        let got = cells("| a \\| b |c| d").unwrap();
        assert_eq!(got, [(2, "a \\| b"), (10, "c"), (13, "d")]);
        assert_eq!(cells("no table"), None);
    }

    #[test]
    fn links_give_their_url_and_where_it_is() {
        let l = link("[t](u)").unwrap();
        assert_eq!((l.url, l.offset), ("u", 4));
        let l = link("[a](b) c](< u >)").unwrap();
        assert_eq!((l.url, l.offset), ("u", 12));
        assert!(link("plain").is_none());
        assert!(link("[t]()").is_none());
    }

    #[test]
    fn problems_name_the_line() {
        let err = parse(&source("# x\n\ntext\n")).err().unwrap();
        assert_eq!(err[0].message, "no summary table found");
        let text =
            "| Ref | Title | Summary |\n|---|---|---|\n| 1 | [t](u) | s |\n| [^2] | t | s |\n| [^3] | x |\n\
            | [^4] | [t](u) | s |\n";
        let digest = parse(&source(text)).unwrap();
        let places: Vec<_> = digest.bad_rows.iter().map(|d| d.place()).collect();
        assert_eq!(places, ["digest.md:3:3", "digest.md:4:10", "digest.md:5:1"]);
        assert_eq!(digest.rows.len(), 1, "the good row is kept");
        let err = parse(&source("| Ref | Title | Summary |\n|---|---|---|\n\n")).err().unwrap();
        assert_eq!(err[0].place(), "digest.md:1:1");
    }
}
