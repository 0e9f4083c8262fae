//! Text engine, math input: TeX as real abstracts write it, in the dialect
//! pulldown-latex reads. [`math`](super) renders what [`prepare`]
//! gives and asks [`name_unknown`] when the parser meets a command it lacks;
//! its sanitizer still has the last word on what comes out.
//!
//! - **Spelled another way**: `\unicode{x2014}` (any code point, hex or
//!   decimal) is the character itself; `\prop` is `\propto`, `\mathscr`
//!   `\mathcal`, `\bm` `\boldsymbol`, `\mathds` and `\mathbbm` `\mathbb`,
//!   `\mbox`, `\hbox`, `\textup`, `\textnormal` and `\textrm` `\text`, `\emph`
//!   `\textit`, `\mod` `\bmod`, `\Tilde` and the like their lowercase twins;
//!   `\newcommand{\X}` is `\newcommand\X`.
//! - **Infix fractions**: `{n \choose k}` is `\binom{n}{k}`, `{a \over b}`
//!   `\frac{a}{b}`, within their group.
//! - **Nothing to show**: `\big.` (and its kin), `\nolimits`, `\nonumber`,
//!   `\notag`, `\label{...}` and `\tag{...}` are dropped.
//! - **Text styles**: `\textit{...}` and `\textbf{...}` are text in italics
//!   or bold (`<mtext style=...>`), not math letters, which copy and search
//!   badly: they are marked here and styled by [`style_text`].
//! - **Unknown commands** (user macros such as `\OPT`): shown as an upright
//!   name, like `\operatorname{OPT}`: a user macro in an abstract almost
//!   always names a quantity or an operator (`\OPT`, `\ALG`, `\poly`), which
//!   TeX sets upright, and the name is what the reader of the source saw.

use std::borrow::Cow;
use std::cell::RefCell;
use std::collections::HashMap;

/// Marks text to be shown in italics and in bold ([`style_text`]).
const ITALIC: char = '\u{E000}';
const BOLD: char = '\u{E001}';

/// The longest `\choose` rewriting loop: one pass per infix command.
const MAX_INFIX: usize = 32;

/// `tex` with what pulldown-latex lacks spelled the way it reads.
pub fn prepare(tex: &str) -> Cow<'_, str> {
    if !tex.contains(['\\', ITALIC, BOLD]) {
        return tex.into();
    }
    let mut out = String::with_capacity(tex.len() + 16);
    let mut rest = tex;
    while let Some(i) = rest.find(['\\', ITALIC, BOLD]) {
        out.push_str(&rest[..i]);
        let at = &rest[i..];
        if !at.starts_with('\\') {
            // A marker in the input is not ours: keep it visible but inert.
            out.push('\u{FFFD}');
            rest = &at[at.chars().next().map_or(1, char::len_utf8)..];
            continue;
        }
        let name_len = at[1..].bytes().take_while(u8::is_ascii_alphabetic).count();
        if name_len == 0 {
            let len = at[1..].chars().next().map_or(1, |c| 1 + c.len_utf8());
            out.push_str(&at[..len]);
            rest = &at[len..];
            continue;
        }
        let name = &at[1..1 + name_len];
        let after = &at[1 + name_len..];
        let (replacement, used) = rewrite(name, after);
        match replacement {
            Some(r) => {
                out.push_str(&r);
                rest = &after[used..];
            }
            None => {
                out.push_str(&at[..1 + name_len]);
                rest = after;
            }
        }
    }
    out.push_str(rest);
    infix(&out).map_or(out.into(), Into::into)
}

/// The rewriting of `\name` followed by `after`: the new text and how much
/// of `after` it used; `None` keeps the command as it is.
fn rewrite(name: &str, after: &str) -> (Option<Cow<'static, str>>, usize) {
    let alias = |to: &'static str| (Some(Cow::Borrowed(to)), 0);
    match name {
        "prop" => alias("\\propto"),
        "mathscr" => alias("\\mathcal"),
        "bm" => alias("\\boldsymbol"),
        "mathds" | "mathbbm" => alias("\\mathbb"),
        "mbox" | "hbox" | "textup" | "textnormal" | "textrm" => alias("\\text"),
        "mod" => alias("\\bmod"),
        "Tilde" => alias("\\tilde"),
        "Hat" => alias("\\hat"),
        "Bar" => alias("\\bar"),
        "Vec" => alias("\\vec"),
        "Dot" => alias("\\dot"),
        "nolimits" | "nonumber" | "notag" => alias(""),
        "label" | "tag" => (Some("".into()), group_len(after).unwrap_or(0)),
        "big" | "Big" | "bigg" | "Bigg" | "bigl" | "Bigl" | "biggl" | "Biggl" | "bigr" | "Bigr" | "biggr"
        | "Biggr" | "bigm" | "Bigm" | "biggm" | "Biggm"
            if after.trim_start().starts_with('.') =>
        {
            (Some("".into()), after.len() - after.trim_start().len() + 1)
        }
        "newcommand" | "renewcommand" => {
            let inner = after.strip_prefix('{').and_then(|a| {
                let close = a.find('}')?;
                let cs = &a[..close];
                (cs.starts_with('\\') && cs[1..].bytes().all(|b| b.is_ascii_alphabetic()))
                    .then_some((cs, close))
            });
            match inner {
                Some((cs, close)) => (Some(format!("\\{name}{cs}").into()), close + 2),
                None => (None, 0),
            }
        }
        "unicode" => match unicode(after) {
            Some((text, used)) => (Some(text.into()), used),
            None => (None, 0),
        },
        "textit" | "emph" | "textbf" if after.starts_with('{') => {
            let mark = if name == "textbf" { BOLD } else { ITALIC };
            (Some(format!("\\text{{{mark}").into()), 1)
        }
        _ => (None, 0),
    }
}

/// The length of a `{...}` group at the start of `s`.
fn group_len(s: &str) -> Option<usize> {
    let mut depth = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '{' => depth += 1,
            '}' if depth > 0 => {
                depth -= 1;
                if depth == 0 {
                    return Some(i + 1);
                }
            }
            _ if depth == 0 => return None,
            _ => {}
        }
    }
    None
}

/// `{x2014}` or `{8212}` after `\unicode`: the character as TeX (a special
/// character escaped), and the length used. Controls, surrogates and
/// non-characters are refused.
fn unicode(after: &str) -> Option<(String, usize)> {
    let len = group_len(after)?;
    let inner = after[1..len - 1].trim();
    let code = match inner.strip_prefix(['x', 'X']).or_else(|| inner.strip_prefix("0x")) {
        Some(hex) => u32::from_str_radix(hex, 16).ok()?,
        None => inner.parse().ok()?,
    };
    let c = char::from_u32(code)
        .filter(|c| !c.is_control() && (code & 0xFFFE) != 0xFFFE && *c != ITALIC && *c != BOLD)?;
    let text = match c {
        '\\' => "\\backslash ".to_owned(),
        '<' => "\\lt ".to_owned(),
        '>' => "\\gt ".to_owned(),
        '{' | '}' | '$' | '&' | '#' | '%' | '_' => format!("\\{c}"),
        '^' => "\\hat{}".to_owned(),
        '~' => "\\sim ".to_owned(),
        ' ' => "\\ ".to_owned(),
        c => c.to_string(),
    };
    Some((text, len))
}

/// `A \choose B` -> `\binom{A}{B}` and `A \over B` -> `\frac{A}{B}`, where
/// `A` and `B` are the rest of the innermost group; `None` when there is none.
fn infix(tex: &str) -> Option<String> {
    let find = |s: &str| {
        ["\\choose", "\\over", "\\atop"]
            .into_iter()
            .filter_map(|w| {
                let i = s.find(w)?;
                let next = s[i + w.len()..].chars().next();
                (!next.is_some_and(|c| c.is_ascii_alphabetic())).then_some((i, w))
            })
            .min()
    };
    find(tex)?;
    let mut out = tex.to_owned();
    for _ in 0..MAX_INFIX {
        let Some((at, word)) = find(&out) else { break };
        let (start, end) = enclosing_group(&out, at);
        let left = &out[start..at];
        let right = &out[at + word.len()..end];
        let command = match word {
            "\\choose" => format!("\\binom{{{left}}}{{{right}}}"),
            "\\over" => format!("\\frac{{{left}}}{{{right}}}"),
            _ => format!("\\genfrac{{}}{{}}{{0pt}}{{}}{{{left}}}{{{right}}}"),
        };
        out.replace_range(start..end, &command);
    }
    Some(out)
}

/// The inside of the innermost `{...}` around byte `at` (the whole formula
/// when there is none).
fn enclosing_group(tex: &str, at: usize) -> (usize, usize) {
    let bytes = tex.as_bytes();
    let escaped = |i: usize| i > 0 && bytes[i - 1] == b'\\';
    let mut depth = 0i32;
    let mut start = 0;
    for i in (0..at).rev() {
        match bytes[i] {
            b'}' if !escaped(i) => depth += 1,
            b'{' if !escaped(i) => {
                if depth == 0 {
                    start = i + 1;
                    break;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    depth = 0;
    let mut end = tex.len();
    for (i, &b) in bytes.iter().enumerate().skip(at) {
        match b {
            b'{' if !escaped(i) => depth += 1,
            b'}' if !escaped(i) => {
                if depth == 0 {
                    end = i;
                    break;
                }
                depth -= 1;
            }
            _ => {}
        }
    }
    (start, end)
}

/// `tex` with each command pulldown-latex does not know (and `tex` does
/// not define) written as `\operatorname{name}`; `None` when there is none.
pub fn name_unknown(tex: &str, known: impl Fn(&str) -> bool) -> Option<String> {
    let mut out = String::with_capacity(tex.len() + 32);
    let mut changed = false;
    let mut rest = tex;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let at = &rest[i..];
        let name_len = at[1..].bytes().take_while(u8::is_ascii_alphabetic).count();
        let name = &at[1..1 + name_len];
        let defined = tex.contains(&format!("\\def\\{name}")) || tex.contains(&format!("command\\{name}"));
        if name_len > 0 && !defined && !live(name) && !known(name) {
            out.push_str(&format!("\\operatorname{{{name}}}"));
            changed = true;
        } else {
            let len = if name_len == 0 {
                at[1..].chars().next().map_or(1, |c| 1 + c.len_utf8())
            } else {
                1 + name_len
            };
            out.push_str(&at[..len]);
            rest = &at[len..];
            continue;
        }
        rest = &at[1 + name_len..];
    }
    out.push_str(rest);
    changed.then_some(out)
}

/// Commands that would make links, classes, styles or HTML attributes in
/// MathJax: never shown as names, they stay errors (the formula shows as
/// its source).
fn live(name: &str) -> bool {
    matches!(name, "href" | "url" | "class" | "style" | "cssId") || name.starts_with("html")
}

/// Whether the parser knows `\name`, asked once per name and thread.
pub fn known_by(name: &str, parses_alone: impl Fn(&str) -> bool) -> bool {
    // Commands that only make sense after another one.
    if matches!(name, "limits" | "right" | "middle" | "end") {
        return true;
    }
    thread_local! {
        static KNOWN: RefCell<HashMap<String, bool>> = RefCell::new(HashMap::new());
    }
    KNOWN.with(|cache| {
        if let Some(&k) = cache.borrow().get(name) {
            return k;
        }
        let k = parses_alone(&format!("\\{name}"));
        cache.borrow_mut().insert(name.to_owned(), k);
        k
    })
}

/// The renderer's MathML with the marked text styled: an `<mtext>` whose
/// text starts with a marker gets `style="font-style: italic"` (or bold).
pub fn style_text(mathml: String) -> String {
    if !mathml.contains([ITALIC, BOLD]) {
        return mathml;
    }
    let mut out = String::with_capacity(mathml.len() + 64);
    let mut rest = mathml.as_str();
    while let Some(i) = rest.find([ITALIC, BOLD]) {
        let mark = rest[i..].chars().next().unwrap_or(ITALIC);
        let before = &rest[..i];
        match before.rfind("<mtext>") {
            Some(open) => {
                let style = if mark == BOLD { "font-weight: bold" } else { "font-style: italic" };
                out.push_str(&before[..open]);
                out.push_str(&format!("<mtext style=\"{style}\">"));
                out.push_str(&before[open + "<mtext>".len()..]);
            }
            None => out.push_str(before),
        }
        rest = &rest[i + mark.len_utf8()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_spelled_another_way_are_respelled() {
        assert_eq!(prepare(r"a\unicode{x2014}b \unicode{8211}"), "a—b –");
        assert_eq!(prepare(r"\unicode{x3C}\unicode{x7B}"), r"\lt \{");
        assert_eq!(prepare(r"\unicode{x0}\unicode{xFFFF}"), r"\unicode{x0}\unicode{xFFFF}");
        assert_eq!(
            prepare(r"x \prop y, \mathscr{A}, \bm{x}, \mbox{if}"),
            r"x \propto y, \mathcal{A}, \boldsymbol{x}, \text{if}"
        );
        assert_eq!(prepare(r"\propto \bigl. x \Big. \big( \label{eq:1} \nonumber"), r"\propto  x  \big(  ");
        assert_eq!(prepare(r"\newcommand{\R}{\mathbb{R}}"), r"\newcommand\R{\mathbb{R}}");
    }

    #[test]
    fn infix_fractions_take_their_group() {
        assert_eq!(prepare(r"{n \choose k} + 1"), r"{\binom{n }{ k}} + 1");
        assert_eq!(prepare(r"a \over b"), r"\frac{a }{ b}");
        assert_eq!(prepare(r"\left({a+1 \over 2}\right)"), r"\left({\frac{a+1 }{ 2}}\right)");
        assert_eq!(prepare(r"\overline{x}"), r"\overline{x}");
    }

    #[test]
    fn unknown_commands_become_names_and_defined_ones_stay() {
        let known = |n: &str| ["frac", "def", "alpha"].contains(&n);
        assert_eq!(
            name_unknown(r"\OPT \ge \alpha", known).unwrap(),
            r"\operatorname{OPT} \operatorname{ge} \alpha"
        );
        assert_eq!(name_unknown(r"\def\R{x}\R", known), None);
        assert_eq!(name_unknown(r"\alpha \{", known), None);
        assert_eq!(name_unknown(r"\href{javascript:x}{y} \htmlData{a}{b}", known), None);
    }

    #[test]
    fn text_styles_are_marked_and_styled() {
        assert_eq!(prepare(r"\textit{arbitrary} \textbf{b}"), "\\text{\u{E000}arbitrary} \\text{\u{E001}b}");
        assert_eq!(prepare("a\u{E000}b"), "a\u{FFFD}b");
        assert_eq!(
            style_text("<math><mtext>\u{E000}arbitrary</mtext><mtext>&nbsp;\u{E001}b</mtext></math>".into()),
            "<math><mtext style=\"font-style: italic\">arbitrary</mtext><mtext style=\"font-weight: bold\">&nbsp;b</mtext></math>"
        );
    }
}
