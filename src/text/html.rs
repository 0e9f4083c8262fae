//! HTML from text: escaping, and the links a reader may follow.
//!
//! The two rules every piece of the text engine and every template share:
//! [`escape_html`] (text in HTML content and attributes) and [`safe_url`]
//! (which link targets become links, with the site's path prefix).

use crate::url::{check, BaseUrl, Kind};

/// A link target a reader can follow safely, with the site prefix applied;
/// `None` for `javascript:`, `data:`, `vbscript:` and every other scheme
/// (the rule is [`crate::url::check`], shared with every other URL).
///
/// Entities are already decoded by the parser.
pub fn safe_url(raw: &str, base: &BaseUrl) -> Option<String> {
    let checked = check(raw);
    match checked.kind {
        Kind::Refused => None,
        Kind::Relative => match checked.url.strip_prefix('/') {
            Some(rest) if !rest.starts_with('/') => Some(base.link(rest)),
            _ => Some(checked.url),
        },
        Kind::Web | Kind::Mail => Some(checked.url),
    }
}

/// The target of a Markdown link or image, as its page will hold it
/// (`None` when [`safe_url`] refuses it): as written, root-relative ones
/// with the site prefix. The HTML writer percent-encodes a target, so a
/// space reaches the page as `%20` (`</my uri>`) and a backslash as `%5C`,
/// which no browser reads as `/`: a relative target may hold either.
pub fn safe_href(raw: &str, base: &BaseUrl) -> Option<String> {
    let written = raw.replace('\\', "%5C");
    safe_url(&written, base)?;
    match written.strip_prefix('/') {
        Some(rest) if !rest.starts_with('/') => Some(base.link(rest)),
        _ => Some(written),
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
    // Most text holds none of them: two vector searches tell at once.
    let bytes = s.as_bytes();
    if memchr::memchr3(b'&', b'<', b'>', bytes).is_none() && memchr::memchr2(b'"', b'\'', bytes).is_none() {
        push(s);
        return;
    }
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

#[cfg(test)]
mod tests {
    use super::*;

    fn base(path: &str) -> BaseUrl {
        BaseUrl::parse(path).unwrap()
    }

    #[test]
    fn dangerous_urls_are_refused_in_any_disguise() {
        for url in [
            "javascript:alert(1)",
            "JaVaScRiPt:alert(1)",
            " javascript:alert(1)",
            "java\tscript:alert(1)",
            "data:text/html;base64,PHNjcmlwdD4=",
            "vbscript:msgbox(1)",
        ] {
            assert_eq!(safe_url(url, &base("/")), None, "{url:?}");
        }
    }

    #[test]
    fn safe_urls_pass_and_root_relative_ones_get_the_prefix() {
        let (root, repo) = (base("/"), base("/repo/"));
        assert_eq!(safe_url("https://arxiv.org/abs/1", &root), Some("https://arxiv.org/abs/1".into()));
        assert_eq!(safe_url("mailto:a@b.c", &root), Some("mailto:a@b.c".into()));
        assert_eq!(safe_url("#sec", &repo), Some("#sec".into()));
        assert_eq!(safe_url("/paper/x/", &repo), Some("/repo/paper/x/".into()));
        assert_eq!(safe_url("../x/", &repo), Some("../x/".into()));
        assert_eq!(safe_url("//cdn.example/x", &repo), Some("//cdn.example/x".into()));
    }

    #[test]
    fn markdown_targets_keep_what_the_writer_encodes() {
        let repo = base("/repo/");
        assert_eq!(safe_href("/my uri", &repo), Some("/repo/my uri".into()));
        assert_eq!(safe_href("foo\\bar", &repo), Some("foo%5Cbar".into()));
        assert_eq!(safe_href("/\\\\evil.example", &repo), Some("/repo/%5C%5Cevil.example".into()));
        assert_eq!(safe_href("\\\\evil.example/x", &repo), Some("%5C%5Cevil.example/x".into()));
        for refused in
            ["javascript:alert(1)", "java\tscript:alert(1)", " javascript:x", "irc://x", "JAVASCRIPT:x"]
        {
            assert_eq!(safe_href(refused, &repo), None, "{refused:?}");
        }
    }

    #[test]
    fn escapes_every_special_character_and_keeps_the_rest() {
        assert_eq!(escape_html("a<b>&\"c'd 论文"), "a&lt;b&gt;&amp;&quot;c&#39;d 论文");
        assert_eq!(escape_html(""), "");
    }
}
