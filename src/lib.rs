//! quire turns one file per paper into a digest website.
//!
//! The pipeline, in the order data flows:
//!
//! 1. [`load`]: walk `content/`, parse and validate every paper file;
//! 2. [`group`]: gather papers into digests (day, ISO week or month), in order;
//! 3. [`render`]: Markdown to HTML once per paper, then every page through the theme;
//! 4. [`write`]: write the pages into a fresh folder and swap it in whole.
//!
//! [`config`] reads `site.toml`; [`url`] decides which URLs from content or
//! configuration may become links; [`check`] verifies the links of a built site; [`serve`] keeps the site in memory beside the
//! pipeline and rebuilds what a saved file changed; [`import`] turns a whole
//! digest into paper files; [`init`] scaffolds a new site and new paper files.

pub mod check;
pub mod cli;
pub mod config;
pub mod error;
pub mod group;
pub mod import;
pub mod init;
pub mod load;
pub mod render;
pub mod serve;
pub mod url;
pub mod write;

use std::fmt;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use config::{BaseUrl, SiteConfig};
use error::{plural, Error, Result};

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
    pub millis: u128,
}

impl fmt::Display for Summary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Built {} in {}: {}, {} in {} ms.",
            plural(self.papers, "paper"),
            plural(self.digests, "digest"),
            plural(self.pages, "page"),
            plural(self.files, "file"),
            self.millis
        )
    }
}

/// Reads `site.toml`, applying a `--base-url` override.
pub fn load_config(root: &Path, base_url: Option<&str>) -> Result<SiteConfig> {
    let mut config = SiteConfig::load(root)?;
    if let Some(raw) = base_url {
        config.base_url =
            BaseUrl::parse(raw).map_err(|msg| Error::Usage(format!("invalid --base-url: {msg}")))?;
    }
    Ok(config)
}

/// Stages 1 to 3 up to the point where pages can be rendered: load, group,
/// read the theme, build the search index, render every paper's text.
pub fn prepare(root: &Path, config: SiteConfig, drafts: bool) -> Result<render::SiteRenderer> {
    let papers = load::load_papers(root, drafts)?;
    let site = group::group(papers.into_iter().map(Arc::new), config.period).map_err(Error::Site)?;
    let theme = render::Theme::load(root, &config)?;
    // Built before the papers' texts are rendered, the index's working
    // memory is given back before theirs is taken: a lower peak.
    let index = render::search::SearchIndex::build(&site);
    Ok(render::SiteRenderer::new(config, theme, site)?.with_search(index))
}

/// Builds the site: load, group, render, write. Nothing is written on error.
pub fn build(options: &BuildOptions) -> Result<Summary> {
    let started = Instant::now();
    let config = load_config(&options.root, options.base_url.as_deref())?;
    // First: it takes the output's lock and repairs what killed builds left.
    let output = write::OutputDir::create(&options.root, &options.output_dir)?;
    let renderer = prepare(&options.root, config, options.drafts)?;
    let (pages, files) = output.write_from(|sink| renderer.render_all(sink))?;
    let statics = output.copy_static(renderer.theme(), &options.root, renderer.config().cname.as_deref())?;
    output.commit()?;
    let summary = Summary {
        papers: renderer.site().papers.len(),
        digests: renderer.site().digests.len(),
        pages,
        files: files + statics,
        millis: started.elapsed().as_millis(),
    };
    // Freeing every paper and context takes about 4% of a build's CPU time:
    // done on another thread, the summary does not wait for it.
    std::thread::spawn(move || drop(renderer));
    Ok(summary)
}
