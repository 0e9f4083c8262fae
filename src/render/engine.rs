//! Stage 3, templates: the Tera instance for a theme, and its errors.
//!
//! Only the render stage knows Tera. Every `.html` and `.xml` template is
//! autoescaped (with an escaper that leaves `/` alone, so URLs stay
//! readable), `url(path="style.css")` prefixes the site's base path,
//! `safe_url` lets a free-form value (`extra`) be a link only when the URL
//! rule allows it, `slug` gives a category's or tag's slug (`cs.CV` ->
//! `cs-cv`), `json_encode` writes a value as JSON and
//! `n | plural(one=..., other=...)` picks the text for a count. `safe` is
//! Tera's, without its copy of the text. Tera errors
//! become [`Diagnostic`]s naming the template file, its line and column, and
//! the page being rendered.

use tera::{ErrorKind, Kwargs, State, Tera, Value};

use crate::error::Diagnostic;
use crate::text::html::{escape_html_to, safe_url};
use crate::theme::Theme;
use crate::url::BaseUrl;

/// Parses the theme's templates into a ready Tera instance.
pub fn build(theme: &Theme, base: &BaseUrl) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::new();
    tera.autoescape_on([".html", ".xml"]);
    tera.set_escape_fn(escape_html_to);
    let link_base = base.clone();
    tera.register_function("url", move |kwargs: Kwargs, _: &State| -> tera::TeraResult<String> {
        let path = kwargs.must_get::<&str>("path")?;
        Ok(link_base.link(path.trim_start_matches('/')))
    });
    let prefix = base.clone();
    tera.register_filter("safe_url", move |value: &Value, _: Kwargs, _: &State| {
        let raw = value.as_str().map(|s| s.to_string()).unwrap_or_default();
        safe_url(&raw, &prefix).unwrap_or_default()
    });
    tera.register_filter("slug", |value: &Value, _: Kwargs, _: &State| {
        crate::slug::term(&value.as_str().map(|s| s.to_string()).unwrap_or_default())
    });
    tera.register_filter("json_encode", |value: &Value, _: Kwargs, _: &State| {
        serde_json::to_string(value).map_err(|e| tera::Error::message(e.to_string()))
    });
    tera.register_filter("plural", plural);
    tera.register_filter("safe", safe);
    let sources = theme.templates.iter().map(|(name, (_, src))| (name.as_str(), src.as_str()));
    tera.add_raw_templates(sources).map_err(|e| diagnostic(theme, &e, None))?;
    Ok(tera)
}

/// `n | plural(one="{n} paper", other="{n} papers")`: the `one` text for 1,
/// the `other` for every other count, with `{n}` replaced by the count.
/// Both are required, so a theme cannot forget one; a language with one form
/// gives the same text twice.
fn plural(n: i64, kwargs: Kwargs, _: &State) -> tera::TeraResult<String> {
    let (one, other) = (kwargs.must_get::<&str>("one")?, kwargs.must_get::<&str>("other")?);
    Ok(if n == 1 { one } else { other }.replace("{n}", &n.to_string()))
}

/// `x | safe`, as Tera's own filter shows it, but a text is marked safe as
/// it is rather than copied: every paper's rendered HTML passes through it,
/// on its digest's page and on its own (a tenth of a build's copying).
fn safe(value: Value, _: Kwargs, _: &State) -> Value {
    match value.as_str() {
        Some(_) => value.mark_safe(),
        None => Value::safe_string(&value.to_string()),
    }
}

/// A Tera error as a diagnostic on the template, line and column it
/// happened at.
pub fn diagnostic(theme: &Theme, err: &tera::Error, page: Option<&str>) -> Diagnostic {
    let (place, text) = match err.kind() {
        ErrorKind::SyntaxError(report) | ErrorKind::RenderingError(report) => {
            let span = report.span();
            let place = (report.filename().to_owned(), span.start_line, span.start_col + 1);
            (Some(place), report.message().to_owned())
        }
        ErrorKind::MissingParent { current, .. } => (Some((current.clone(), 1, 1)), err.to_string()),
        // Checks made when templates are added (an unknown filter,
        // function or test) come as a finished report.
        _ => match parse_report(&err.to_string()) {
            Some((place, text)) => (Some(place), text),
            None => (None, err.to_string()),
        },
    };
    let mut message = format!("template error: {}", with_causes(text, err));
    if let Some(page) = page {
        message.push_str(&format!(" (while rendering {page})"));
    }
    let found = place.and_then(|(name, line, col)| Some((theme.templates.get(&name)?, line, col)));
    let Some(((path, source), line, col)) = found else {
        return Diagnostic::new("templates", message);
    };
    Diagnostic::new(path, message)
        .at(source, line.max(1), col)
        .help("fix the template; the page context is documented in docs/themes.md")
}

/// The first error of a report: its message, and the template, line and
/// column (counted from 1) of its ` --> name:line:col` line.
fn parse_report(report: &str) -> Option<((String, usize, usize), String)> {
    let message = report.lines().next()?.trim().strip_prefix("error: ")?.to_owned();
    let at = report.lines().find_map(|l| l.trim().strip_prefix("--> "))?;
    let mut parts = at.rsplitn(3, ':');
    let col = parts.next()?.trim().parse::<usize>().ok()?;
    let line = parts.next()?.trim().parse::<usize>().ok()?;
    Some(((parts.next()?.to_owned(), line, col), message))
}

/// The message followed by the errors that caused it, on one line.
fn with_causes(mut text: String, err: &tera::Error) -> String {
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        text.push_str(&format!(": {cause}"));
        source = cause.source();
    }
    text.lines().map(str::trim).filter(|l| !l.is_empty()).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeMap;

    fn theme(templates: &[(&str, &str)]) -> Theme {
        Theme {
            name: "t".into(),
            templates: templates
                .iter()
                .map(|(n, s)| (n.to_string(), (format!("templates/{n}").into(), s.to_string())))
                .collect(),
            statics: vec![],
            strings: BTreeMap::new(),
        }
    }

    #[test]
    fn a_template_mistake_names_the_template_line_and_column() {
        // A syntax error, and an unknown filter (found when templates are added).
        let cases = [
            ("ok\n{{ a + }}\nmore\n", (2, 8), "expected"),
            ("ok\n\n  {{ a | nope }}\n", (3, 10), "Unknown filter `nope`"),
        ];
        for (source, at, says) in cases {
            let d = build(&theme(&[("a.html", source)]), &BaseUrl::parse("/").unwrap()).unwrap_err();
            assert_eq!(d.path, std::path::Path::new("templates/a.html"));
            assert_eq!((d.line, d.column), at, "{d}");
            assert!(d.message.contains(says), "{d}");
            assert!(!d.message.contains('\n') && !d.message.contains("-->"), "{d}");
        }
    }

    #[test]
    fn json_encode_writes_json_and_the_page_escapes_it() {
        let t = theme(&[("a.html", "<p data-x=\"{{ x | json_encode }}\">")]);
        let tera = build(&t, &BaseUrl::parse("/").unwrap()).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("x", &["cs.CV", "it's"]);
        let html = tera.render("a.html", &ctx).unwrap();
        assert_eq!(html, "<p data-x=\"[&quot;cs.CV&quot;,&quot;it&#39;s&quot;]\">");
    }

    #[test]
    fn a_render_error_names_the_line_and_the_page() {
        let t = theme(&[("a.html", "line one\n{{ paper.titel }}\n")]);
        let tera = build(&t, &BaseUrl::parse("/").unwrap()).unwrap();
        let err = tera.render("a.html", &tera::Context::new()).unwrap_err();
        let d = diagnostic(&t, &err, Some("/paper/x/"));
        assert_eq!(d.line, 2, "{d}");
        assert!(d.message.contains("/paper/x/"), "{d}");
    }

    #[test]
    fn plural_picks_the_text_for_the_count() {
        let t = theme(&[("a.html", "{% for n in [0, 1, 2, 11] %}{{ n | plural(one=\"{n} paper\", other=\"{n} papers\") }};{% endfor %}")]);
        let html = build(&t, &BaseUrl::parse("/").unwrap())
            .unwrap()
            .render("a.html", &tera::Context::new())
            .unwrap();
        assert_eq!(html, "0 papers;1 paper;2 papers;11 papers;");
        let t = theme(&[("a.html", "{{ 1 | plural(other=\"{n} papers\") }}")]);
        assert!(
            build(&t, &BaseUrl::parse("/").unwrap())
                .unwrap()
                .render("a.html", &tera::Context::new())
                .is_err(),
            "one is required"
        );
    }

    #[test]
    fn output_is_escaped_and_urls_get_the_base_path() {
        let t = theme(&[("a.html", "{{ x }} {{ url(path=\"/style.css\") }}")]);
        let tera = build(&t, &BaseUrl::parse("/repo/").unwrap()).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("x", "<script>");
        assert_eq!(tera.render("a.html", &ctx).unwrap(), "&lt;script&gt; /repo/style.css");
    }

    #[test]
    fn safe_shows_text_unescaped_and_other_values_as_tera_does() {
        let t = theme(&[("a.html", "{{ h | safe }} {{ h }} {{ n | safe }} {{ l | safe }} {{ z | safe }}")]);
        let tera = build(&t, &BaseUrl::parse("/").unwrap()).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("h", "<b>&amp;</b>");
        ctx.insert("n", &3.5);
        ctx.insert("l", &["<i>", "x"]);
        ctx.insert("z", &None::<String>);
        let mut tera_own = Tera::new();
        tera_own.autoescape_on([".html"]);
        tera_own.set_escape_fn(escape_html_to);
        tera_own.add_raw_template("a.html", &t.templates["a.html"].1).unwrap();
        let html = tera.render("a.html", &ctx).unwrap();
        assert_eq!(html, tera_own.render("a.html", &ctx).unwrap());
        assert!(html.starts_with("<b>&amp;</b> &lt;b&gt;"), "{html}");
    }

    #[test]
    fn safe_url_keeps_only_links_the_url_rule_allows() {
        let t = theme(&[("a.html", "{% for u in urls %}[{{ u | safe_url }}]{% endfor %}")]);
        let tera = build(&t, &BaseUrl::parse("/repo/").unwrap()).unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("urls", &["https://x.org/a", "/about/", " JavaScript:alert(1)", "data:text/html,x"]);
        assert_eq!(tera.render("a.html", &ctx).unwrap(), "[https://x.org/a][/repo/about/][][]");
    }
}
