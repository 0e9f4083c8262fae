//! `[llm]` of `site.toml`: the language model `quire enrich` asks, checked
//! like every setting (each value at its line, unknown keys with a
//! suggestion) so a build catches a typo there too.

use serde::Deserialize;

use crate::error::Diagnostic;
use crate::layout::CONFIG_FILE as FILE_NAME;
use crate::text::line_col;

/// `[llm]`: an OpenAI-compatible Chat Completions API that `quire enrich`
/// asks for what papers are missing. The key is never in the file: it is
/// read from the environment variable `api_key_env` names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LlmConfig {
    /// `https://api.deepseek.com/v1`: requests go to `<base_url>/chat/completions`.
    /// `None`: it must be given on the command line.
    pub base_url: Option<String>,
    pub model: Option<String>,
    pub api_key_env: String,
    /// The fields to fill, among [`FIELDS`]; `None`:
    /// the default for the site's language.
    pub fields: Option<Vec<String>>,
    /// A Tera template that replaces the built-in prompt, relative to the site.
    pub prompt: Option<std::path::PathBuf>,
    /// Requests at a time.
    pub concurrency: usize,
    /// Seconds one answer may take.
    pub timeout_secs: u64,
    /// Further tries of a request that failed (429, 5xx, no answer in time).
    pub retries: u32,
}

impl Default for LlmConfig {
    fn default() -> Self {
        LlmConfig {
            base_url: None,
            model: None,
            api_key_env: "LLM_API_KEY".into(),
            fields: None,
            prompt: None,
            concurrency: 10,
            timeout_secs: 120,
            retries: 3,
        }
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RawLlm {
    base_url: Option<toml::Spanned<String>>,
    model: Option<toml::Spanned<String>>,
    api_key_env: Option<toml::Spanned<String>>,
    fields: Option<toml::Spanned<Vec<String>>>,
    prompt: Option<toml::Spanned<String>>,
    concurrency: Option<toml::Spanned<usize>>,
    timeout: Option<toml::Spanned<u64>>,
    retries: Option<toml::Spanned<u32>>,
}

/// The fields a model may fill, as `fields` names them (the same as a
/// paper's `generated.fields` may name).
pub const FIELDS: &[&str] = &["translated_title", "summary", "body", "tags"];

/// An API's address as requests are sent to it (an http(s) URL, without a
/// final `/`), or `None` when `raw` is not one: for `base_url` and `--base-url`.
pub fn api_url(raw: &str) -> Option<String> {
    let url = crate::url::web_url(raw).filter(|u| u == raw.trim())?;
    Some(url.trim_end_matches('/').to_owned())
}

/// Checks `[llm]`: every value is one `quire enrich` can use.
pub(super) fn check(text: &str, raw: RawLlm) -> std::result::Result<LlmConfig, Diagnostic> {
    let at = |span: std::ops::Range<usize>, message: String, help: &str| {
        let (line, column) = line_col(text, span.start);
        Diagnostic::new(FILE_NAME, message).at(text, line, column).help(help.to_owned())
    };
    let mut llm = LlmConfig::default();
    if let Some(url) = raw.base_url {
        let span = url.span();
        let value = url.into_inner();
        let checked = api_url(&value).ok_or_else(|| {
            let help =
                "write the API's address, like https://api.deepseek.com/v1 or http://localhost:11434/v1";
            at(span, format!("[llm] base_url `{value}` is not an http(s) address"), help)
        })?;
        llm.base_url = Some(checked);
    }
    if let Some(model) = raw.model {
        let span = model.span();
        let model = model.into_inner().trim().to_owned();
        if model.is_empty() {
            return Err(at(span, "[llm] model is empty".into(), "name the model, like deepseek-chat"));
        }
        llm.model = Some(model);
    }
    if let Some(name) = raw.api_key_env {
        let span = name.span();
        let name = name.into_inner();
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            let message = format!("[llm] api_key_env `{name}` is not the name of an environment variable");
            return Err(at(
                span,
                message,
                "write a name like LLM_API_KEY: the key itself is never written here",
            ));
        }
        llm.api_key_env = name;
    }
    if let Some(fields) = raw.fields {
        let span = fields.span();
        let fields = fields.into_inner();
        let known = FIELDS;
        let unknown = fields.iter().find(|f| !known.contains(&f.as_str()));
        let repeated = fields.iter().enumerate().find(|(i, f)| fields[..*i].contains(f)).map(|(_, f)| f);
        let problem = match (unknown, repeated) {
            _ if fields.is_empty() => Some("[llm] fields is empty".to_owned()),
            (Some(f), _) => Some(format!("[llm] fields: a model does not fill `{f}`")),
            (_, Some(f)) => Some(format!("[llm] fields: `{f}` is named twice")),
            _ => None,
        };
        if let Some(message) = problem {
            return Err(at(span, message, &format!("name some of: {}", known.join(", "))));
        }
        llm.fields = Some(fields);
    }
    llm.prompt = raw.prompt.map(|p| std::path::PathBuf::from(p.into_inner()));
    llm.concurrency = within(text, raw.concurrency, 1..=64, llm.concurrency)?;
    llm.timeout_secs = within(text, raw.timeout, 1..=3600, llm.timeout_secs)?;
    llm.retries = within(text, raw.retries, 0..=10, llm.retries)?;
    Ok(llm)
}

/// A number of `[llm]` in `range`, or `default` when it is not set.
fn within<T: Copy + PartialOrd + std::fmt::Display>(
    text: &str,
    value: Option<toml::Spanned<T>>,
    range: std::ops::RangeInclusive<T>,
    default: T,
) -> std::result::Result<T, Diagnostic> {
    let Some(value) = value else { return Ok(default) };
    if range.contains(value.get_ref()) {
        return Ok(value.into_inner());
    }
    let (line, column) = line_col(text, value.span().start);
    Err(Diagnostic::new(FILE_NAME, format!("must be from {} to {}", range.start(), range.end()))
        .at(text, line, column)
        .help("use a number in that range"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn llm_settings_are_checked_at_their_line() {
        let head = "title = \"T\"\nbase_url = \"/\"\n[llm]\n";
        let llm = |rest: &str| crate::config::SiteConfig::parse(&format!("{head}{rest}")).map(|c| c.llm);
        assert_eq!(llm("").unwrap(), LlmConfig::default());
        assert_eq!(LlmConfig::default().concurrency, 10);
        let set = llm("base_url = \"http://localhost:11434/v1/\"\nmodel = \"qwen2.5:7b\"\nfields = [\"summary\", \"tags\"]\n")
            .unwrap();
        assert_eq!(set.base_url.as_deref(), Some("http://localhost:11434/v1"));
        assert_eq!((set.model.as_deref(), set.fields.unwrap().len()), (Some("qwen2.5:7b"), 2));
        for (bad, line, message) in [
            ("base_url = \"javascript:alert(1)\"\n", 4, "is not an http(s) address"),
            ("model = \" \"\n", 4, "model is empty"),
            ("api_key_env = \"sk-123\"\n", 4, "is not the name of an environment variable"),
            ("fields = [\"summary\", \"url\"]\n", 4, "a model does not fill `url`"),
            ("fields = [\"summary\", \"summary\"]\n", 4, "`summary` is named twice"),
            ("fields = []\n", 4, "fields is empty"),
            ("model = \"m\"\nconcurrency = 0\n", 5, "must be from 1 to 64"),
            ("retries = 11\n", 4, "must be from 0 to 10"),
        ] {
            let d = llm(bad).unwrap_err();
            assert!(d.line == line && d.message.contains(message), "{bad}: {d}");
        }
        assert_eq!(llm("modle = \"m\"\n").unwrap_err().help.as_deref(), Some("did you mean `model`?"));
    }
}
