//! Text engine, arXiv's TeX marks: quotes and dashes as TeX writes them
//! (`--`, a formula of quotes only), and where Markdown's escapes win in an
//! abstract (`\---`, `` \`not code` ``), for the walker of [`super`].

use std::borrow::Cow;

use super::Piece;

/// The typographic quote a formula of TeX quotes only means (`` $``$ ``,
/// `$"$`): arXiv authors write `` $``$word$"$ `` for “word”.
pub(super) fn quote_mark(tex: &str) -> Option<&'static str> {
    match tex.trim() {
        "``" => Some("“"),
        "`" => Some("‘"),
        "''" | "\"" => Some("”"),
        "'" => Some("’"),
        _ => None,
    }
}

/// `--` and `---` in a text as dashes (Markdown text, after parsing).
pub fn dashes(text: &str) -> Cow<'_, str> {
    if !text.contains("--") {
        return text.into();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("--") {
        let run = rest[i..].bytes().take_while(|&b| b == b'-').count();
        out.push_str(&rest[..i]);
        out.push_str(dash(run).unwrap_or(&rest[i..i + run]));
        rest = &rest[i + run..];
    }
    out.push_str(rest);
    out.into()
}

pub(super) fn dash(run: usize) -> Option<&'static str> {
    match run {
        2 => Some("–"),
        3 => Some("—"),
        _ => None,
    }
}

/// `run` hyphens, an escaped one and the hyphens after it (`\---`,
/// `--\-`), at the start of `rest`: shown as hyphens, as Markdown shows an
/// escape, never joined into a dash.
pub(super) fn escaped_hyphens(rest: &str, run: usize) -> (usize, Option<Piece<'_>>) {
    let after = rest[run + 2..].bytes().take_while(|&b| b == b'-').count();
    let len = run + 2 + after;
    (len, Some(Piece::Char { source: &rest[..len], shown: "-".repeat(len - 1).into() }))
}

/// Whether a backtick later on the line closes what comes before it, as
/// the end of a code span does: after a non-space, before no letter.
pub(super) fn closes_on_its_line(after: &str) -> bool {
    let line = after.split('\n').next().unwrap_or_default();
    line.match_indices('`').any(|(j, _)| {
        j > 0
            && !line[..j].ends_with(char::is_whitespace)
            && !line[j + 1..].starts_with(char::is_alphanumeric)
    })
}

/// Where the paragraph holding `at` ends: its blank line, or the end.
pub(super) fn paragraph_end(text: &str, at: usize) -> usize {
    text[at..].find("\n\n").map_or(text.len(), |n| at + n)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dashes_in_markdown_text() {
        assert_eq!(dashes("a -- b --- c ---- d"), "a – b — c ---- d");
        assert!(matches!(dashes("no dash"), Cow::Borrowed(_)));
    }

    #[test]
    fn marks_of_quotes_hyphens_and_backticks() {
        assert_eq!(quote_mark(" `` "), Some("“"));
        assert_eq!(quote_mark("x"), None);
        assert_eq!(escaped_hyphens("--\\--x", 2).0, 5);
        assert!(
            closes_on_its_line("not code` and")
                && !closes_on_its_line("a `b")
                && !closes_on_its_line("a\nb`")
        );
        assert_eq!(paragraph_end("a\nb\n\nc", 0), 3);
    }
}
