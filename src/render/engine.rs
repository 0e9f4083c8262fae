//! Stage 3, templates: the Tera instance for a theme, and its errors.
//!
//! Only the render stage knows Tera. Every `.html` and `.xml` template is
//! autoescaped (with an escaper that leaves `/` alone, so URLs stay
//! readable), and `url(path="style.css")` prefixes the site's base path.
//! Tera errors become [`Diagnostic`]s naming the template file, its line and
//! the page being rendered.

use std::collections::HashMap;

use tera::{Tera, Value};

use super::markdown::escape_html;
use super::theme::Theme;
use crate::error::Diagnostic;

/// Parses the theme's templates into a ready Tera instance.
pub fn build(theme: &Theme, base_path: &str) -> Result<Tera, Diagnostic> {
    let mut tera = Tera::default();
    tera.autoescape_on(vec![".html", ".xml"]);
    tera.set_escape_fn(escape_html);
    let base = base_path.to_owned();
    tera.register_function("url", move |args: &HashMap<String, Value>| {
        let path = args.get("path").and_then(Value::as_str).ok_or("url() needs path=\"...\"")?;
        Ok(Value::String(format!("{base}{}", path.trim_start_matches('/'))))
    });
    let sources = theme.templates.iter().map(|(name, (_, src))| (name.as_str(), src.as_str()));
    tera.add_raw_templates(sources).map_err(|e| diagnostic(theme, &e, None))?;
    Ok(tera)
}

/// A Tera error as a diagnostic on the template it happened in.
pub fn diagnostic(theme: &Theme, err: &tera::Error, page: Option<&str>) -> Diagnostic {
    let chain = error_chain(err);
    let template = quoted_name(&chain).and_then(|name| theme.templates.get_key_value(name));
    let mut message = format!(
        "template error: {}",
        chain.iter().map(|m| without_snippet(m)).collect::<Vec<_>>().join(": ")
    );
    if let Some(page) = page {
        message.push_str(&format!(" (while rendering {page})"));
    }
    let Some((_, (path, source))) = template else {
        return Diagnostic::new("templates", message);
    };
    let line = parse_error_line(&chain).or_else(|| mentioned_line(&chain, source)).unwrap_or(1);
    Diagnostic::new(path, message)
        .at(source, line, 1)
        .help("fix the template; the page context is documented in the README")
}

fn error_chain(err: &tera::Error) -> Vec<String> {
    let mut chain = vec![err.to_string()];
    let mut source = std::error::Error::source(err);
    while let Some(cause) = source {
        chain.push(cause.to_string());
        source = cause.source();
    }
    chain
}

/// Parse errors embed a source snippet; keep the `= expected ...` line of it.
fn without_snippet(message: &str) -> &str {
    if !message.contains(" --> ") {
        return message.trim();
    }
    message
        .lines()
        .find_map(|l| l.trim().strip_prefix("= "))
        .unwrap_or_else(|| message.lines().next().unwrap_or(message).trim())
}

/// The first `'name.html'` the messages quote: the template at fault.
fn quoted_name(chain: &[String]) -> Option<&str> {
    chain
        .iter()
        .rev()
        .find_map(|m| m.split('\'').nth(1).filter(|n| n.ends_with(".html") || n.ends_with(".xml")))
}

/// Parse errors carry ` --> LINE:COL`.
fn parse_error_line(chain: &[String]) -> Option<usize> {
    chain.iter().find_map(|m| {
        let rest = &m[m.find("--> ")? + 4..];
        rest.split(':').next()?.trim().parse().ok()
    })
}

/// Render errors name a variable or filter in backticks; find where it is used.
fn mentioned_line(chain: &[String], source: &str) -> Option<usize> {
    let names = chain.iter().flat_map(|m| m.split('`').skip(1).step_by(2));
    for name in names {
        if let Some(i) = source.lines().position(|l| l.contains(name)) {
            return Some(i + 1);
        }
    }
    None
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
    fn a_syntax_error_names_the_template_and_line() {
        let t = theme(&[("a.html", "ok\n{{ a + }}\nmore\n")]);
        let d = build(&t, "/").unwrap_err();
        assert_eq!(d.path, std::path::Path::new("templates/a.html"));
        assert_eq!(d.line, 2, "{d}");
        assert!(d.message.contains("expected"), "{d}");
        assert!(!d.message.contains('\n'), "{d}");
    }

    #[test]
    fn a_render_error_names_the_line_and_the_page() {
        let t = theme(&[("a.html", "line one\n{{ paper.titel }}\n")]);
        let tera = build(&t, "/").unwrap();
        let err = tera.render("a.html", &tera::Context::new()).unwrap_err();
        let d = diagnostic(&t, &err, Some("/paper/x/"));
        assert_eq!(d.line, 2, "{d}");
        assert!(d.message.contains("/paper/x/"), "{d}");
    }

    #[test]
    fn output_is_escaped_and_urls_get_the_base_path() {
        let t = theme(&[("a.html", "{{ x }} {{ url(path=\"/style.css\") }}")]);
        let tera = build(&t, "/repo/").unwrap();
        let mut ctx = tera::Context::new();
        ctx.insert("x", "<script>");
        assert_eq!(tera.render("a.html", &ctx).unwrap(), "&lt;script&gt; /repo/style.css");
    }
}
