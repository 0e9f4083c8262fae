//! Enrich: a language model fills what papers are missing, in the site's
//! language: `translated_title`, `summary`, `body` (the abstract
//! translated), and `tags` when asked.
//!
//! Outside the build pipeline, beside import: `quire enrich` reads the
//! `[llm]` settings of `site.toml`, picks the papers ([`select`]: those
//! missing a field it fills; a field a person wrote is never replaced),
//! asks an OpenAI-compatible API about each ([`prompt`], [`client`]), reads
//! each answer as untrusted content ([`answer`]) and writes it into the
//! paper's file as it arrives ([`run`]), through the import's in-place
//! editor and record ([`crate::import::merge`]). This module owns the
//! command's options, its settings and its report; [`progress`] draws the
//! bar the command shows on a terminal.

mod answer;
mod client;
pub mod progress;
mod prompt;
mod run;
mod select;

use std::fmt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::config::SiteConfig;
use crate::error::{plural, Error, Result};
use crate::import::merge::{PaperFile, Produced};
pub use client::Usage;

/// A field a model fills.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    TranslatedTitle,
    Summary,
    Body,
    Tags,
}

impl Field {
    /// Its name in a paper file, in the answer and in `[llm] fields`.
    pub fn name(self) -> &'static str {
        match self {
            Field::TranslatedTitle => "translated_title",
            Field::Summary => "summary",
            Field::Body => "body",
            Field::Tags => "tags",
        }
    }

    /// Every field, in the order they are asked for and written.
    const ALL: [Field; 4] = [Field::TranslatedTitle, Field::Summary, Field::Body, Field::Tags];

    fn from_name(name: &str) -> Option<Field> {
        Field::ALL.into_iter().find(|f| f.name() == name)
    }
}

/// What `quire enrich` was asked to do.
#[derive(Debug, Clone, Default)]
pub struct EnrichOptions {
    /// The site's folder.
    pub root: PathBuf,
    /// The language to write in (default: the site's).
    pub language: Option<String>,
    /// Override `[llm] base_url` and `model`.
    pub base_url: Option<String>,
    pub model: Option<String>,
    /// Only papers of this date or later, `YYYY-MM-DD`.
    pub since: Option<String>,
    /// Only these papers.
    pub ids: Vec<String>,
    /// At most this many papers (the newest first).
    pub limit: Option<usize>,
    /// Stop sending once the API counted this many tokens.
    pub max_tokens: Option<u64>,
    /// Ask again about papers a model did before (never over a person's fields).
    pub force: bool,
    pub dry_run: bool,
}

/// Why a run stopped before every paper was sent.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Stop {
    /// `--max-tokens` was reached: a clean stop.
    Budget(u64),
    /// The key, the settings or the network: the command fails.
    Failed(String),
}

/// Papers finished so far, and how.
#[derive(Debug, Clone, Default)]
pub struct Tally {
    pub total: usize,
    pub done: usize,
    /// Each paper skipped, with why.
    pub skipped: Vec<String>,
    pub failed: usize,
    /// Papers not sent (the run stopped).
    pub left: usize,
    pub usage: Usage,
    pub stop: Option<Stop>,
}

/// What `quire enrich` did, or with `--dry-run` would do.
#[derive(Debug, Default)]
pub struct EnrichReport {
    pub content: PathBuf,
    pub model: String,
    pub language: String,
    pub dry_run: bool,
    /// With `--dry-run`: each paper and the fields it would be asked for.
    pub planned: Vec<(PathBuf, Vec<Field>)>,
    /// With `--dry-run`: the tokens it would take, about: sent and answered.
    pub estimate: (u64, u64),
    pub tally: Tally,
    /// Paper files that do not load (left alone).
    pub unreadable: Vec<String>,
}

impl EnrichReport {
    /// What standard error shows before the final line.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings: Vec<String> =
            self.unreadable.iter().map(|u| format!("warning: {u}; not sent")).collect();
        warnings.extend(self.tally.skipped.iter().map(|s| format!("warning: {s}")));
        if let Some(Stop::Budget(budget)) = &self.tally.stop {
            warnings.push(format!(
                "note: stopped at the budget of {budget} tokens; {} left for the next run",
                plural(self.tally.left, "paper")
            ));
        }
        warnings
    }

    /// Why the command fails, when it does.
    pub fn failure(&self) -> Option<Error> {
        match &self.tally.stop {
            Some(Stop::Failed(why)) => {
                let left = plural(self.tally.left, "paper");
                Some(Error::Enrich(format!("{why}; stopped, {left} left for the next run")))
            }
            _ => None,
        }
    }
}

impl fmt::Display for EnrichReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let content = self.content.display();
        let t = &self.tally;
        if self.dry_run {
            for (path, fields) in &self.planned {
                let names: Vec<&str> = fields.iter().map(|f| f.name()).collect();
                writeln!(f, "ask  {} ({})", path.display(), names.join(", "))?;
            }
            let (sent, answered) = self.estimate;
            return write!(
                f,
                "Would ask {} ({}) about {} in {content}/ (dry run, nothing sent): about {sent} tokens sent and {answered} answered.",
                self.model,
                self.language,
                plural(self.planned.len(), "paper")
            );
        }
        write!(
            f,
            "Enriched {content}/ with {} ({}): {} done, {} skipped, {} failed, {} left; {} tokens ({} sent, {} answered).",
            self.model,
            self.language,
            t.done,
            t.skipped.len(),
            t.failed,
            t.left,
            t.usage.total(),
            t.usage.prompt,
            t.usage.completion
        )
    }
}

/// The settings of a run, from `site.toml` and the command line.
struct Settings {
    config: SiteConfig,
    endpoint: client::Endpoint,
    language: String,
    fields: Vec<Field>,
}

impl Settings {
    fn read(options: &EnrichOptions) -> Result<Settings> {
        let config = SiteConfig::load(&options.root)?;
        let llm = &config.llm;
        let base_url = match &options.base_url {
            Some(raw) => Some(
                crate::config::api_url(raw)
                    .ok_or_else(|| Error::Usage(format!("--base-url `{raw}` is not an http(s) address")))?,
            ),
            None => llm.base_url.clone(),
        };
        let model = options.model.clone().or_else(|| llm.model.clone()).filter(|m| !m.trim().is_empty());
        let (Some(base_url), Some(model)) = (base_url, model) else {
            return Err(Error::Usage(
                "no model to ask: set `base_url` and `model` in the [llm] table of site.toml \
                 (or give --base-url and --model)"
                    .into(),
            ));
        };
        let language = options.language.clone().unwrap_or_else(|| config.language.clone());
        let fields = match &llm.fields {
            Some(names) => names.iter().filter_map(|n| Field::from_name(n)).collect(),
            None if language.split(['-', '_']).next() == Some("en") => vec![Field::Summary],
            None => vec![Field::TranslatedTitle, Field::Summary, Field::Body],
        };
        let key = std::env::var(&llm.api_key_env).ok().filter(|k| !k.trim().is_empty());
        let endpoint = client::Endpoint {
            base_url,
            model,
            key: key.map(|k| k.trim().to_owned()),
            key_env: llm.api_key_env.clone(),
            timeout: Duration::from_secs(llm.timeout_secs),
            retries: llm.retries,
            concurrency: llm.concurrency,
        };
        Ok(Settings { config, endpoint, language, fields })
    }
}

/// Fills what the site's papers are missing; see the module's doc.
/// `progress` is told after each paper.
pub fn enrich(options: &EnrichOptions, progress: &mut dyn FnMut(&Tally)) -> Result<EnrichReport> {
    let since = options.since.as_deref().map(crate::dates::date_argument).transpose()?;
    let settings = Settings::read(options)?;
    let prompt = prompt::Prompt::load(&options.root, settings.config.llm.prompt.as_deref())?;
    let content = shown(&options.root.join(crate::layout::CONTENT_DIR));
    // Held until the run ends: no import writes the same files meanwhile.
    let _lock = (!options.dry_run).then(|| super::lock(&content, "enrich")).transpose()?;
    let mut produced = Produced::load(&content)?;
    let filter = select::Filter { since, ids: options.ids.clone(), force: options.force };
    let (mut candidates, unreadable) =
        select::candidates(select::files(&content)?, &produced, &settings.fields, &filter);
    candidates.truncate(options.limit.unwrap_or(usize::MAX));
    let mut report = EnrichReport {
        content: content.clone(),
        model: settings.endpoint.model.clone(),
        language: settings.language.clone(),
        dry_run: options.dry_run,
        unreadable,
        ..EnrichReport::default()
    };
    if options.dry_run {
        report.estimate = estimate(&candidates, &prompt, &settings.language);
        report.planned = candidates.into_iter().map(|c| (c.path, c.ask)).collect();
        return Ok(report);
    }
    let client = client::Client::new(settings.endpoint.clone());
    let job = run::Job {
        client: &client,
        prompt: &prompt,
        language: &settings.language,
        model: &settings.endpoint.model,
        today: chrono::Local::now().date_naive().to_string(),
        force: options.force,
        concurrency: settings.endpoint.concurrency,
        max_tokens: options.max_tokens,
    };
    report.tally = run::run(&job, &candidates, &mut produced, progress)?;
    Ok(report)
}

/// The tokens the candidates' prompts take (a system message each), and
/// about what their answers take: the title and abstract again, in another
/// language, and a sentence.
fn estimate(candidates: &[select::Candidate], prompt: &prompt::Prompt, language: &str) -> (u64, u64) {
    let mut totals = (0, 0);
    for c in candidates {
        let Ok(file) = PaperFile::open(&c.path) else { continue };
        let text = prompt.render(file.paper(), &c.ask, language).unwrap_or_default();
        totals.0 += prompt::tokens(&text) + prompt::tokens(prompt::SYSTEM);
        totals.1 += c.ask.iter().map(|f| answer_tokens(*f, file.paper())).sum::<u64>();
    }
    totals
}

fn answer_tokens(field: Field, paper: &crate::load::Paper) -> u64 {
    match field {
        Field::TranslatedTitle => prompt::tokens(&paper.title) + 5,
        Field::Summary => 60,
        Field::Body => prompt::tokens(paper.abstract_md.as_deref().unwrap_or("")) * 5 / 4,
        Field::Tags => 20,
    }
}

/// A path as the user would type it (without a leading `./`).
fn shown(path: &Path) -> PathBuf {
    path.strip_prefix(".").unwrap_or(path).to_path_buf()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fields_a_model_fills_are_named_alike_in_settings_and_papers() {
        let names = Field::ALL.map(Field::name);
        assert_eq!(names, crate::config::LLM_FIELDS);
        assert_eq!(names, crate::load::GENERATED_FIELDS);
    }
}
