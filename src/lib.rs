//! quire turns one file per paper into a digest website.
//!
//! The pipeline, in the order data flows:
//!
//! 1. [`load`]: walk `content/`, parse and validate every paper file;
//! 2. [`group`]: gather papers into digests (day, ISO week or month), in order;
//! 3. [`render`]: each paper's text once, then every page through the theme;
//! 4. [`write`](mod@write): where the files go: a folder swapped in whole, memory, a collector.
//!
//! [`text`], the text engine (Markdown, math, arXiv's TeX, `[[id]]`
//! references), sits below grouping and rendering, which both use it.
//! [`site`] is the core that runs the stages for `build`, `serve` and
//! `check`: it opens a site, applies a change and emits the plan of outputs
//! that change touches (`docs/architecture.md`). [`config`] reads
//! `site.toml` and [`theme`] the theme; [`check`] verifies the links of a
//! site built in memory; [`serve`] watches the sources, serves the site from
//! memory and reloads the browser; [`import`] turns a whole digest into
//! paper files; [`init`] scaffolds a new site and new paper files, and
//! writes the default theme into a site to edit; [`limits`] says what a
//! host accepts. [`url`], [`slug`], [`dates`], [`arxiv`], [`fold`] and
//! [`layout`] hold the rules several of them share; [`lock`] the one lock
//! `build` and `import` take.

pub mod arxiv;
pub mod check;
pub mod cli;
pub mod config;
pub mod dates;
pub mod error;
pub mod fold;
pub mod group;
pub mod import;
pub mod init;
pub mod layout;
pub mod limits;
pub mod load;
pub mod lock;
pub mod render;
pub mod serve;
pub mod site;
pub mod slug;
pub mod text;
pub mod theme;
pub mod url;
pub mod write;

use std::fmt;
use std::path::PathBuf;
use std::time::Instant;

use error::{plural, Diagnostic, Error, Result};

/// What `quire build` was asked to do.
#[derive(Debug, Clone)]
pub struct BuildOptions {
    pub root: PathBuf,
    pub output_dir: PathBuf,
    /// Overrides `base_url` from `site.toml`.
    pub base_url: Option<String>,
    pub drafts: bool,
}

/// The one line a build prints.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub papers: usize,
    pub digests: usize,
    /// HTML pages.
    pub pages: usize,
    /// Every file written: pages, feeds, data, sitemap, static files.
    pub files: usize,
    /// Their size, as a host counts it.
    pub bytes: u64,
    pub millis: u128,
    /// What the reader sees less well than intended; printed before the summary.
    pub warnings: Vec<Diagnostic>,
    /// Papers marked `draft: true` that were not built (no `--drafts`).
    pub drafts_left_out: usize,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let built = built_line(self.papers, self.digests, self.pages, self.files);
        write!(f, "{built}, {} in {} ms.", limits::human(self.bytes), self.millis)?;
        write!(f, "{}", drafts_left_out(self.drafts_left_out, "builds"))
    }
}

/// What the line that says what was built adds when drafts were left out:
/// ` 3 drafts left out; --drafts builds them.` (empty when none were).
pub fn drafts_left_out(drafts: usize, verb: &str) -> String {
    match drafts {
        0 => String::new(),
        1 => format!(" 1 draft left out; --drafts {verb} it."),
        n => format!(" {n} drafts left out; --drafts {verb} them."),
    }
}

/// What a build made, as its line starts (`quire serve` says it too):
/// `Built 18 papers in 1 digest: 27 pages, 59 files`.
pub fn built_line(papers: usize, digests: usize, pages: usize, files: usize) -> String {
    format!(
        "Built {} in {}: {}, {}",
        plural(papers, "paper"),
        plural(digests, "digest"),
        plural(pages, "page"),
        plural(files, "file")
    )
}

/// Builds the site: load, group, render, write. Nothing is written on error.
pub fn build(options: &BuildOptions) -> Result<Summary> {
    let started = Instant::now();
    let address = match &options.base_url {
        Some(raw) => site::Address::At(url::base_url_argument(raw)?),
        None => site::Address::AsConfigured,
    };
    let mut site = site::Site::open(&options.root, options.drafts, address)?;
    // Then: it takes the output's lock and repairs what killed builds left.
    let output = write::OutputDir::create(&options.root, &options.output_dir)?;
    let plan = site.read_whole()?;
    let tally = write::Tally::new(&output);
    site.emit_whole(&plan, &tally)?;
    let sizes = tally.sizes();
    let strict = site.config().is_some_and(|c| c.strict_limits);
    let full_text = site.config().is_some_and(|c| c.paper_full_text);
    let mut warnings = site.warnings();
    let shown = options.output_dir.strip_prefix(".").unwrap_or(&options.output_dir);
    let limits = limits::check(&sizes, shown, strict, full_text);
    if strict && !limits.is_empty() {
        // The staging folder goes with `output`: the old site stays.
        return Err(Error::Site(limits));
    }
    warnings.extend(limits);
    output.commit()?;
    let (papers, digests) = site.counts();
    let summary = Summary {
        papers,
        digests,
        pages: plan.html_pages(),
        files: plan.len(),
        bytes: sizes.bytes,
        millis: started.elapsed().as_millis(),
        warnings,
        drafts_left_out: site.drafts_left_out(),
    };
    // Freeing every paper and context takes about 4% of a build's CPU time:
    // done on another thread, the summary does not wait for it.
    std::thread::spawn(move || drop(site));
    Ok(summary)
}
