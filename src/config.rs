//! `site.toml` -> a validated [`SiteConfig`].
//!
//! The raw file is read into [`RawConfig`] (unknown keys are errors, with a
//! suggestion), then checked and given its defaults. Nothing past this module
//! sees an unvalidated setting.

use std::path::Path;

use serde::Deserialize;

use crate::error::{unknown_field_help, unknown_field_in_message, Diagnostic, Error, Result};
use crate::layout::CONFIG_FILE;
use crate::text::line_col;
use crate::url::BaseUrl;

mod llm;
mod topics;

pub use llm::{api_url, LlmConfig, FIELDS as LLM_FIELDS};
pub use topics::Topic;

/// How papers are grouped into digest pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Period {
    #[default]
    Day,
    Week,
    Month,
}

/// The validated configuration every stage reads.
#[derive(Debug, Clone)]
pub struct SiteConfig {
    pub title: String,
    pub description: String,
    pub base_url: BaseUrl,
    /// BCP 47 language of the interface text, `zh` or `en` shipped.
    pub language: String,
    pub theme: String,
    pub period: Period,
    /// Digests per home page.
    pub home_per_page: usize,
    /// Paper titles listed per digest on a home page: the page stays small
    /// however many papers a digest holds.
    pub home_papers: usize,
    /// Papers per category or tag page.
    pub terms_per_page: usize,
    /// Entries per feed.
    pub feed_limit: usize,
    /// The size warnings (past 80% of what GitHub Pages publishes, a file
    /// over 100 MB) are errors that fail the build (`[limits] strict`).
    pub strict_limits: bool,
    /// A paper's page repeats the abstract and body its digest shows
    /// (`[paper] full_text`). On by default: a reader who arrives at a paper
    /// reads its abstract there; off stores the text once, on the digest.
    pub paper_full_text: bool,
    /// Write `index.json` beside each digest and paper page (`[data] json`).
    /// Off by default: it doubles a site's size and files.
    pub json: bool,
    /// Let raw HTML in Markdown through (off: it is shown as text).
    pub unsafe_html: bool,
    /// Internal links in HTML pages relative to the page, naming `index.html`,
    /// so the output folder also works opened from disk.
    pub relative_urls: bool,
    /// The custom domain GitHub Pages serves the site on, written to `CNAME`.
    pub cname: Option<String>,
    /// Free-form values for themes.
    pub extra: serde_json::Value,
    /// `[llm]`: the language model `quire enrich` asks.
    pub llm: LlmConfig,
    /// `[topics]`: pages of the papers whose texts name some words, by slug.
    pub topics: Vec<Topic>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    title: String,
    base_url: String,
    description: Option<String>,
    language: Option<String>,
    theme: Option<String>,
    relative_urls: Option<bool>,
    cname: Option<toml::Spanned<String>>,
    digest: Option<RawDigest>,
    home: Option<RawHome>,
    terms: Option<RawPaging>,
    feeds: Option<RawFeeds>,
    data: Option<RawData>,
    paper: Option<RawPaper>,
    limits: Option<RawLimits>,
    markdown: Option<RawMarkdown>,
    llm: Option<llm::RawLlm>,
    topics: Option<topics::RawTopics>,
    extra: Option<serde_json::Value>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDigest {
    period: Option<Period>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawHome {
    per_page: Option<toml::Spanned<usize>>,
    papers: Option<toml::Spanned<usize>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPaging {
    per_page: Option<toml::Spanned<usize>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFeeds {
    limit: Option<toml::Spanned<usize>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawPaper {
    full_text: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawLimits {
    strict: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawData {
    json: Option<bool>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawMarkdown {
    unsafe_html: Option<bool>,
}

impl SiteConfig {
    /// Reads and validates `site.toml` in `root`; none there: [`Error::NoSite`].
    pub fn load(root: &Path) -> Result<Self> {
        let path = root.join(CONFIG_FILE);
        crate::layout::check_no_link(root, &path).map_err(|d| Error::Site(vec![d]))?;
        let text = std::fs::read_to_string(&path).map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => Error::NoSite(root.to_path_buf()),
            _ => Error::io("read", &path)(e),
        })?;
        Self::parse(&text).map_err(|d| Error::Site(vec![d]))
    }

    /// Validates the text of a `site.toml`.
    pub fn parse(text: &str) -> std::result::Result<Self, Diagnostic> {
        let raw: RawConfig = toml::from_str(text).map_err(|e| toml_diagnostic(text, &e))?;
        let base_url = BaseUrl::parse(&raw.base_url).map_err(|msg| {
            diagnostic_at_key(text, "base_url", format!("invalid base_url: {msg}"))
                .help("write it like `https://user.github.io/repo/` or `/`")
        })?;
        let positive = |value: Option<toml::Spanned<usize>>, default: usize| match value {
            Some(v) if *v.get_ref() == 0 => {
                let (line, column) = line_col(text, v.span().start);
                Err(Diagnostic::new(CONFIG_FILE, "must be at least 1")
                    .at(text, line, column)
                    .help("use a positive number"))
            }
            other => Ok(other.map_or(default, toml::Spanned::into_inner)),
        };
        let (home_per_page, home_papers) = match raw.home {
            Some(h) => (positive(h.per_page, 10)?, positive(h.papers, 20)?),
            None => (10, 20),
        };
        let terms_per_page = positive(raw.terms.and_then(|h| h.per_page), 50)?;
        let feed_limit = positive(raw.feeds.and_then(|f| f.limit), 50)?;
        let cname = raw.cname.map(|c| check_cname(text, c)).transpose()?;
        let llm = raw.llm.map(|l| llm::check(text, l)).transpose()?.unwrap_or_default();
        let topics = raw.topics.map(|t| topics::check(text, t)).transpose()?.unwrap_or_default();
        Ok(SiteConfig {
            title: raw.title,
            description: raw.description.unwrap_or_default(),
            base_url,
            language: raw.language.unwrap_or_else(|| "en".to_owned()),
            theme: raw.theme.unwrap_or_else(|| "default".to_owned()),
            period: raw.digest.and_then(|d| d.period).unwrap_or_default(),
            home_per_page,
            home_papers,
            terms_per_page,
            feed_limit,
            json: raw.data.and_then(|d| d.json).unwrap_or(false),
            paper_full_text: raw.paper.and_then(|p| p.full_text).unwrap_or(true),
            strict_limits: raw.limits.and_then(|l| l.strict).unwrap_or(false),
            unsafe_html: raw.markdown.and_then(|m| m.unsafe_html).unwrap_or(false),
            relative_urls: raw.relative_urls.unwrap_or(false),
            cname,
            extra: raw.extra.unwrap_or(serde_json::Value::Object(Default::default())),
            llm,
            topics,
        })
    }
}

/// A custom domain is a bare host name: `digest.example.org`.
fn check_cname(text: &str, cname: toml::Spanned<String>) -> std::result::Result<String, Diagnostic> {
    let span = cname.span();
    let host = cname.into_inner();
    let label_ok = |l: &str| {
        !l.is_empty() && !l.starts_with('-') && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
    };
    if host.contains('.') && host.split('.').all(label_ok) {
        return Ok(host.to_ascii_lowercase());
    }
    let (line, column) = line_col(text, span.start);
    Err(Diagnostic::new(CONFIG_FILE, format!("invalid cname `{host}`: not a domain name"))
        .at(text, line, column)
        .help("write the bare domain, like `cname = \"digest.example.org\"` (no https://, no path)"))
}

fn toml_diagnostic(text: &str, err: &toml::de::Error) -> Diagnostic {
    let message = err.message().trim().to_owned();
    let (line, column) = err.span().map_or((1, 1), |s| line_col(text, s.start));
    let d = Diagnostic::new(CONFIG_FILE, message.clone()).at(text, line, column);
    match unknown_field_in_message(&message) {
        Some((field, known)) => d.help(unknown_field_help(field, &known)),
        None => d,
    }
}

/// A diagnostic on the line of `site.toml` (its `text`) that sets `key`.
pub fn diagnostic_at_key(text: &str, key: &str, message: impl Into<String>) -> Diagnostic {
    let line = text.lines().position(|l| l.trim_start().starts_with(key)).map_or(1, |i| i + 1);
    Diagnostic::new(CONFIG_FILE, message).at(text, line, 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_what_is_missing() {
        let c = SiteConfig::parse("title = \"T\"\nbase_url = \"/\"\n").unwrap();
        assert_eq!(c.period, Period::Day);
        assert_eq!(c.language, "en");
        assert_eq!((c.home_per_page, c.home_papers), (10, 20));
        assert_eq!((c.terms_per_page, c.feed_limit), (50, 50));
        assert!(!c.unsafe_html);
        assert!(!c.relative_urls);
        assert!(!c.json, "JSON data is opt-in");
        assert!(c.paper_full_text, "a paper's page shows its abstract and body");
        assert!(!c.strict_limits, "size limits warn");
        assert!(SiteConfig::parse("title = \"T\"\nbase_url = \"/\"\n[data]\njson = true\n").unwrap().json);
        assert_eq!(c.cname, None);
    }

    #[test]
    fn cname_is_a_bare_domain() {
        let ok =
            SiteConfig::parse("title = \"T\"\nbase_url = \"/\"\ncname = \"Digest.Example.org\"\n").unwrap();
        assert_eq!(ok.cname.as_deref(), Some("digest.example.org"));
        for bad in ["https://digest.example.org", "example.org/x", "localhost", "a..b"] {
            let d = SiteConfig::parse(&format!("title = \"T\"\nbase_url = \"/\"\ncname = \"{bad}\"\n"))
                .unwrap_err();
            assert_eq!((d.line, d.column), (3, 9), "{bad}: {d}");
        }
    }

    #[test]
    fn unknown_keys_are_errors_with_a_suggestion() {
        let d = SiteConfig::parse("title = \"T\"\nbase_url = \"/\"\nlanguag = \"zh\"\n").unwrap_err();
        assert_eq!((d.line, d.column), (3, 1));
        assert_eq!(d.help.as_deref(), Some("did you mean `language`?"));
    }

    #[test]
    fn zero_per_page_is_an_error() {
        let d = SiteConfig::parse("title = \"T\"\nbase_url = \"/\"\n[feeds]\nlimit = 0\n").unwrap_err();
        assert_eq!(d.line, 4, "{d}");
    }

    #[test]
    fn a_bad_period_names_its_line() {
        let d =
            SiteConfig::parse("title = \"T\"\nbase_url = \"/\"\n[digest]\nperiod = \"year\"\n").unwrap_err();
        assert_eq!(d.line, 4);
    }
}
