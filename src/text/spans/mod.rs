//! Text engine, where the formulas are: which `$`, `$$`, `\(...\)` and
//! `\[...\]` delimit math in a text, and, in Markdown, which code holds none.
//!
//! Every text shown (Markdown bodies and abstracts, plain summaries and
//! titles) and the `[[id]]` scan of [`crate::group::links`] read formulas
//! through [`find`], so they agree on where math is.
//!
//! **Dollars are paired in order**, as MathJax pairs them on arXiv's own
//! pages, within one paragraph: a `$` is closed by the next `$`, a `$$` by
//! the next `$$`, so no formula ever runs from the end of one formula to the
//! start of the next (`文本$ n $-gram ... 生成$L_1$模型`). As there, a pair
//! is a formula whatever spaces its TeX starts or ends with and whatever
//! follows it (`1$ \sigma$`, `$\Omega(n) $`, `75.9$\pm$6.4%`), but for one
//! shape MathJax gets wrong: **a price**. A pair whose TeX starts with a
//! number and either ends with a space or is followed by a digit (`$5 or
//! $10`, `$5-$10`) leaves its first dollar as text and tries again from its
//! second, which may open a formula (`costs $5, $x$`).
//!
//! A formula never crosses a blank line or a line that starts a Markdown
//! block (`- `, `#`, `>`, `|`...), and an inline one never holds CJK text
//! outside braces (that is prose between two formulas). `\$` is a dollar,
//! never a delimiter. `\(` pairs with the next `\)`, `\[` with the next `\]`.
//! In Markdown, `\[` is also an escaped bracket (`\[1\]`, as converters
//! write citations): there display math is a block, `\[` first on its line
//! and `\]` last on its.
//!
//! **Code** (Markdown only): fenced blocks and backtick code spans hold no
//! math, and neither does a link's destination (`[wiki](.../Foo_\(bar\))`,
//! `<https://...>`), which Markdown reads with its own escapes. With TeX
//! quotes on (arXiv text), ``` ``word'' ``` is a quotation, not the start of
//! a code span.

use std::ops::Range;

mod markdown;

pub(crate) use markdown::quote_closes;
use markdown::{code_span_end, ends_line, link_target, starts_line};

/// A formula or a piece of code in a text, by byte ranges.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Span {
    /// A formula: `range` with its delimiters, `tex` without.
    Math { range: Range<usize>, tex: Range<usize>, display: bool },
    /// Text read as written: code (a fenced block or a code span), or a
    /// link's destination.
    Code { range: Range<usize> },
}

impl Span {
    pub fn range(&self) -> Range<usize> {
        match self {
            Span::Math { range, .. } | Span::Code { range } => range.clone(),
        }
    }
}

/// How a text is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// Markdown: code spans and fenced code hold no math.
    pub markdown: bool,
    /// arXiv's TeX: ``` ``...'' ``` is a quotation, not code.
    pub tex_quotes: bool,
}

impl Reading {
    pub const PLAIN: Reading = Reading { markdown: false, tex_quotes: false };
    pub const MARKDOWN: Reading = Reading { markdown: true, tex_quotes: false };
    pub const ARXIV_MARKDOWN: Reading = Reading { markdown: true, tex_quotes: true };
}

/// The formulas and code of `text`, in order, not overlapping.
pub fn find(text: &str, reading: Reading) -> Vec<Span> {
    let mut spans = Vec::new();
    if !may_hold_math(text) {
        return spans;
    }
    for block in blocks(text, reading) {
        match block {
            Block::Fence(range) => spans.push(Span::Code { range }),
            Block::Paragraph(range) => {
                let first_code = spans.len();
                let tokens = tokens(text, range.clone(), reading, &mut spans);
                let code: Vec<Range<usize>> = spans[first_code..].iter().map(Span::range).collect();
                let first_math = spans.len();
                pair(text, &tokens, &mut spans);
                // A formula around code (`$a `x` b$`) is no formula: its
                // dollars stay text, and no text is shown twice.
                let mut i = first_math;
                while i < spans.len() {
                    let math = spans[i].range();
                    match code.iter().any(|c| c.start < math.end && math.start < c.end) {
                        true => drop(spans.remove(i)),
                        false => i += 1,
                    }
                }
            }
        }
    }
    spans.sort_by_key(|s| s.range().start);
    spans
}

/// Whether `text` holds a byte that may start a formula or code (`$`, `\\`,
/// `` ` ``): a fast look before reading it.
pub fn may_hold_math(text: &str) -> bool {
    memchr::memchr3(b'$', b'\\', b'`', text.as_bytes()).is_some()
}

enum Block {
    Fence(Range<usize>),
    Paragraph(Range<usize>),
}

/// Paragraphs (runs of non-blank lines) and, in Markdown, fenced code blocks.
fn blocks(text: &str, reading: Reading) -> Vec<Block> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    let mut fence: Option<(usize, &str)> = None;
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let here = offset;
        offset += line.len();
        let bare = line.trim_start_matches(' ');
        if let Some((open, marker)) = fence {
            let closing = bare.trim_end();
            if closing.starts_with(marker)
                && closing.trim_start_matches(marker.as_bytes()[0] as char).is_empty()
            {
                out.push(Block::Fence(open..offset));
                fence = None;
            }
            continue;
        }
        let indent = line.len() - bare.len();
        let marker = ["```", "~~~"].into_iter().find(|m| bare.starts_with(m));
        if let (true, Some(marker), true) = (reading.markdown, marker, indent < 4) {
            if let Some(s) = start.take() {
                out.push(Block::Paragraph(s..here));
            }
            fence = Some((here, marker));
            continue;
        }
        if line.trim().is_empty() {
            if let Some(s) = start.take() {
                out.push(Block::Paragraph(s..here));
            }
        } else if start.is_none() {
            start = Some(here);
        }
    }
    if let Some((open, _)) = fence {
        out.push(Block::Fence(open..text.len()));
    }
    if let Some(s) = start {
        out.push(Block::Paragraph(s..text.len()));
    }
    out
}

/// A delimiter found in a paragraph.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Token {
    /// `$` (1) or `$$` (2) at a byte offset.
    Dollar(usize, usize),
    /// `\(` or `\[` (display) at an offset.
    Open(usize, bool),
    /// `\)` or `\]` (display) at an offset.
    Close(usize, bool),
}

/// The delimiters of one paragraph outside code; code spans go to `spans`.
fn tokens(text: &str, range: Range<usize>, reading: Reading, spans: &mut Vec<Span>) -> Vec<Token> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = range.start;
    while i < range.end {
        let Some(step) = memchr::memchr3(b'\\', b'$', b'`', &bytes[i..range.end]) else { break };
        if reading.markdown {
            if let Some(target) = link_target(text, i..i + step, range.end) {
                spans.push(Span::Code { range: target.clone() });
                i = target.end;
                continue;
            }
        }
        i += step;
        // In Markdown, `\[` and `\]` are display math only as a block.
        let block = |open: bool| {
            !reading.markdown || if open { starts_line(text, i) } else { ends_line(text, i + 2) }
        };
        match bytes[i] {
            b'\\' => {
                match bytes.get(i + 1) {
                    Some(b'(') => out.push(Token::Open(i, false)),
                    Some(b'[') if block(true) => out.push(Token::Open(i, true)),
                    Some(b')') => out.push(Token::Close(i, false)),
                    Some(b']') if block(false) => out.push(Token::Close(i, true)),
                    _ => {}
                }
                // The escaped character is never a delimiter itself.
                i += 2;
            }
            b'$' => {
                let run = bytes[i..range.end].iter().take_while(|&&b| b == b'$').count();
                if run <= 2 {
                    out.push(Token::Dollar(i, run));
                }
                i += run;
            }
            b'`' if reading.markdown => {
                let run = bytes[i..range.end].iter().take_while(|&&b| b == b'`').count();
                if reading.tex_quotes && quote_closes(&text[i + run..range.end], run) {
                    i += run;
                    continue;
                }
                match code_span_end(&text[i + run..range.end], run) {
                    Some(len) => {
                        spans.push(Span::Code { range: i..i + run + len });
                        i += run + len;
                    }
                    None => i += run,
                }
            }
            _ => i += 1,
        }
    }
    out
}

/// Pairs the delimiters of a paragraph into formulas (see the module doc).
fn pair(text: &str, tokens: &[Token], spans: &mut Vec<Span>) {
    let mut i = 0;
    while i < tokens.len() {
        match tokens[i] {
            Token::Open(start, display) => {
                let close =
                    tokens[i + 1..].iter().position(|t| matches!(t, Token::Close(_, d) if *d == display));
                if let Some(k) = close {
                    let Token::Close(end, _) = tokens[i + 1 + k] else { unreachable!() };
                    let tex = start + 2..end;
                    if fits(text, tex.clone()) && !text[tex.clone()].trim().is_empty() {
                        spans.push(Span::Math { range: start..end + 2, tex, display });
                        i += k + 2;
                        continue;
                    }
                }
                i += 1;
            }
            Token::Close(..) => i += 1,
            Token::Dollar(start, 2) => {
                let close = tokens[i + 1..].iter().position(|t| matches!(t, Token::Dollar(_, 2)));
                if let Some(k) = close {
                    let Token::Dollar(end, _) = tokens[i + 1 + k] else { unreachable!() };
                    let tex = start + 2..end;
                    if !text[tex.clone()].trim().is_empty() && fits(text, tex.clone()) {
                        spans.push(Span::Math { range: start..end + 2, tex, display: true });
                        i += k + 2;
                        continue;
                    }
                }
                i += 1;
            }
            Token::Dollar(start, _) => {
                let next = tokens[i + 1..].iter().position(|t| matches!(t, Token::Dollar(..)));
                let Some(k) = next else { break };
                let Token::Dollar(end, run) = tokens[i + 1 + k] else { unreachable!() };
                if run == 2 {
                    // A `$` is never closed across a `$$`.
                    i += 1 + k;
                    continue;
                }
                let tex = start + 1..end;
                match inline_verdict(text, tex.clone()) {
                    Verdict::Formula => {
                        spans.push(Span::Math { range: start..end + 1, tex, display: false });
                        i += k + 2;
                    }
                    Verdict::RetryFromClose => i += 1 + k,
                    Verdict::Text => i += k + 2,
                }
            }
        }
    }
}

enum Verdict {
    Formula,
    /// The first dollar is text; the second may open a formula.
    RetryFromClose,
    /// Both dollars are text.
    Text,
}

/// What the pair of dollars around `tex` is (see the module doc).
fn inline_verdict(text: &str, tex: Range<usize>) -> Verdict {
    let s = &text[tex.clone()];
    if s.trim().is_empty() {
        return Verdict::Text;
    }
    let amount = s.trim_start().starts_with(|c: char| c.is_ascii_digit());
    let digit_after = text[tex.end + 1..].starts_with(|c: char| c.is_ascii_digit());
    if amount && (s.ends_with(char::is_whitespace) || digit_after) {
        return Verdict::RetryFromClose;
    }
    if fits(text, tex.clone()) && !cjk_outside_braces(s) {
        Verdict::Formula
    } else {
        Verdict::Text
    }
}

/// Whether a formula's TeX stays inside one Markdown block: no line of it
/// starts a list item, heading, quote or table row. (Blank lines end the
/// paragraph before pairing.)
fn fits(text: &str, tex: Range<usize>) -> bool {
    text[tex].split('\n').skip(1).all(|line| {
        let bare = line.trim_start();
        let digits = bare.bytes().take_while(u8::is_ascii_digit).count();
        let list = matches!(bare.as_bytes(), [b'-' | b'+' | b'*', b' ' | b'\t', ..]);
        let numbered = digits > 0 && matches!(bare.as_bytes().get(digits), Some(b'.' | b')'));
        !(list || numbered || bare.starts_with(['#', '>', '|']))
    })
}

/// CJK letters at brace depth 0: prose, not a formula (`$x_{训练}$` is fine).
fn cjk_outside_braces(s: &str) -> bool {
    let mut depth = 0i32;
    for c in s.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            c if depth <= 0 && is_cjk(c) => return true,
            _ => {}
        }
    }
    false
}

fn is_cjk(c: char) -> bool {
    matches!(c as u32, 0x3040..=0x30FF | 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xAC00..=0xD7AF | 0xF900..=0xFAFF | 0x3000..=0x303F | 0xFF00..=0xFFEF)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The formulas of `text` as TeX, displayed ones in `$$`.
    fn maths(text: &str, reading: Reading) -> Vec<String> {
        find(text, reading)
            .into_iter()
            .filter_map(|s| match s {
                Span::Math { tex, display, .. } => {
                    Some(if display { format!("$${}$$", &text[tex]) } else { text[tex].to_owned() })
                }
                Span::Code { .. } => None,
            })
            .collect()
    }

    fn plain(text: &str) -> Vec<String> {
        maths(text, Reading::PLAIN)
    }

    #[test]
    fn dollars_pair_in_order_so_no_formula_spans_prose_between_two() {
        assert_eq!(plain("文本$ n $-gram 模型，再用 生成$L_1$模型"), [" n ", "L_1"]);
        assert_eq!(plain("the $ n $-gram model and the$L_1$ loss"), [" n ", "L_1"]);
        assert_eq!(plain("we use $ x$ and $y$ here"), [" x", "y"]);
        assert_eq!(plain("where $a_i$ and $b_i$ hold"), ["a_i", "b_i"]);
        assert_eq!(plain("中文$x$中文$y$中文"), ["x", "y"]);
    }

    #[test]
    fn currency_stays_text_and_a_later_formula_still_renders() {
        assert_eq!(plain("costs $5 or $10, and $x$"), ["x"]);
        assert_eq!(plain("costs $5, $x$ here"), ["x"]);
        assert_eq!(plain("between $5 and $10."), Vec::<String>::new());
        assert_eq!(
            plain("$$\\sum_i x_i$$ costs $5 or $10, \\$3, a $ b $, $x$"),
            ["$$\\sum_i x_i$$", " b ", "x"]
        );
        assert_eq!(plain("$$ and $"), Vec::<String>::new());
        assert_eq!(plain("size $2^n$ and $3n$"), ["2^n", "3n"]);
        assert_eq!(plain("from $5-$10 or $ 5 and $ 10, $1.5M/$2M"), Vec::<String>::new());
        assert_eq!(plain("$0.5$-$1.0$ and $10^{-3}$ and $5$."), ["0.5", "1.0", "10^{-3}", "5"]);
    }

    #[test]
    fn spaces_inside_and_digits_after_are_formulas_as_on_arxiv() {
        assert_eq!(plain("a 1$ \\sigma$ band in $\\Omega(n) $ time"), [" \\sigma", "\\Omega(n) "]);
        assert_eq!(plain("gains of $\\pm$70 and 75.9$\\pm$6.4%"), ["\\pm", "\\pm"]);
        assert_eq!(plain("$a$5 and $ \\alpha $"), ["a", " \\alpha "]);
    }

    #[test]
    fn prose_in_a_formula_makes_it_text() {
        assert_eq!(plain("价格$5，模型$x$"), Vec::<String>::new());
        assert_eq!(plain("损失$L_{训练}$很小"), ["L_{训练}"]);
    }

    #[test]
    fn latex_delimiters_pair_with_their_own_closers() {
        assert_eq!(plain("a \\( x_i \\) b \\[y\\]"), [" x_i ", "$$y$$"]);
        assert_eq!(plain("\\[\nE = mc^2\n\\]\n"), ["$$\nE = mc^2\n$$"]);
        assert_eq!(plain("open \\( only"), Vec::<String>::new());
        assert_eq!(plain("\\\\(x\\\\)"), Vec::<String>::new());
    }

    #[test]
    fn a_text_may_end_in_any_delimiter() {
        for text in ["a\\", "$", "$$", "`", "a $x\\", "\\(", "x\n\\"] {
            assert!(find(text, Reading::ARXIV_MARKDOWN).is_empty(), "{text:?}");
        }
    }

    #[test]
    fn formulas_stay_in_their_paragraph_and_block() {
        assert_eq!(plain("a $x\n\ny$ b"), Vec::<String>::new());
        assert_eq!(plain("a $x\ny$ b"), ["x\ny"]);
        assert_eq!(maths("- a $x\n- b$ c", Reading::MARKDOWN), Vec::<String>::new());
        assert_eq!(maths("$$\nx\n$$\n\n$$y$$", Reading::MARKDOWN), ["$$\nx\n$$", "$$y$$"]);
    }

    #[test]
    fn code_holds_no_math_in_markdown() {
        let text = "`$x$` and $y$\n```\n$z$\n```\n``a $b$ ``";
        assert_eq!(maths(text, Reading::MARKDOWN), ["y"]);
        let code: Vec<_> = find(text, Reading::MARKDOWN)
            .into_iter()
            .filter_map(|s| matches!(s, Span::Code { .. }).then(|| &text[s.range()]))
            .collect();
        assert_eq!(code, ["`$x$`", "```\n$z$\n```\n", "``a $b$ ``"]);
        assert_eq!(plain("`$x$`"), ["x"], "plain text has no code");
    }

    #[test]
    fn tex_quotes_are_not_code_in_arxiv_text() {
        let text = "``one'' then $x$ and ``two''";
        assert_eq!(maths(text, Reading::MARKDOWN), Vec::<String>::new(), "one code span");
        assert_eq!(maths(text, Reading::ARXIV_MARKDOWN), ["x"]);
        for text in ["`one' then $x$ and `two'", "``one\" then $x$ and ``two\"", "`don't' $x$ `it's'"] {
            assert_eq!(maths(text, Reading::ARXIV_MARKDOWN), ["x"], "{text}");
        }
    }

    #[test]
    fn no_formula_holds_code_so_no_text_is_shown_twice() {
        let text = "a $x `y$` z$ b, $``$quoted$\"$ c, $``$ again``";
        let spans = find(text, Reading::MARKDOWN);
        for pair in spans.windows(2) {
            assert!(pair[0].range().end <= pair[1].range().start, "{spans:?}");
        }
        assert!(spans.iter().all(|s| matches!(s, Span::Code { .. })), "{spans:?}");
    }
}
