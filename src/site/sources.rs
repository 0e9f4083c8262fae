//! The site, as last read from its files: `site.toml`, the theme, and every
//! paper by path, with the problems of those that could not be read.
//!
//! Papers are kept by file, parsed once; a changed file is parsed alone.
//! A paper file with a problem keeps its last good version: once the file is
//! fixed, it is an edit like any other. Whether the papers can stay where
//! they are or must be grouped again is recorded here (`edited`, `moved`)
//! for the site to decide ([`super::Site::apply`]).

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::config::SiteConfig;
use crate::error::{Diagnostic, Error, Result};
use crate::group::links::{self, Absent};
use crate::layout::{check_no_link, CONTENT_DIR};
use crate::load::{self, paper_kind, Paper};
use crate::theme::Theme;
use crate::url::BaseUrl;

/// Where a site is published, when not where its `site.toml` says.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub enum Address {
    /// At its `base_url`.
    #[default]
    AsConfigured,
    /// At another address altogether: `--base-url`, or the prefix `check`
    /// tries links under.
    At(BaseUrl),
    /// At its `base_url`'s path on another host: `serve`'s own
    /// (`http://127.0.0.1:1111`).
    Origin(String),
}

impl Address {
    /// `config` published at this address.
    fn apply(&self, config: &mut SiteConfig) {
        match self {
            Address::AsConfigured => {}
            Address::At(base_url) => config.base_url = base_url.clone(),
            Address::Origin(origin) => config.base_url.origin = origin.clone(),
        }
    }
}

/// The configuration and the theme, read together.
pub(super) struct Setup {
    pub config: SiteConfig,
    pub theme: Theme,
}

pub(super) struct Sources {
    pub root: PathBuf,
    address: Address,
    pub setup: Result<Setup, Vec<Diagnostic>>,
    /// Every paper file read, drafts included, in path order (a site's
    /// papers are put in their digests' order when they are grouped).
    pub papers: BTreeMap<PathBuf, Arc<Paper>>,
    pub problems: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Papers replaced since the last render, by file.
    pub edited: Vec<PathBuf>,
    /// Whether anything else changed since the last render: papers added or
    /// removed, a problem, the configuration or the theme.
    pub moved: bool,
}

impl Sources {
    /// Nothing read yet.
    pub fn empty(root: &Path, address: Address) -> Self {
        Sources {
            root: root.to_path_buf(),
            address,
            setup: Err(Vec::new()),
            papers: BTreeMap::new(),
            problems: BTreeMap::new(),
            edited: Vec::new(),
            moved: true,
        }
    }

    /// Reads `site.toml` and the theme again: the one reading of
    /// `site.toml` for `build`, `serve` and `check`. Problems in them are
    /// kept, for [`Sources::problems`]; a file that cannot be read at all
    /// (no `site.toml`: there is no site here) is also returned.
    pub fn read_setup(&mut self) -> Result<()> {
        let config = SiteConfig::load(&self.root).map(|mut config| {
            self.address.apply(&mut config);
            config
        });
        let setup =
            config.and_then(|config| Theme::load(&self.root, &config).map(|theme| Setup { config, theme }));
        match setup {
            Ok(setup) => self.setup = Ok(setup),
            Err(Error::Site(problems)) => self.setup = Err(problems),
            Err(other) => {
                self.setup = Err(vec![Diagnostic::new("", other.chain())]);
                return Err(other);
            }
        }
        Ok(())
    }

    /// Reads every paper file again.
    pub fn read_all(&mut self) {
        self.papers.clear();
        self.problems.clear();
        self.moved = true;
        match load::read_papers(&self.root) {
            Ok(read) => {
                // In path order: the map is built at once, not a paper at a time.
                let mut papers = Vec::with_capacity(read.len());
                for (path, read) in read {
                    match read {
                        Ok(paper) => papers.push((path, Arc::new(paper))),
                        Err(problems) => {
                            self.problems.insert(path, problems);
                        }
                    }
                }
                self.papers = papers.into_iter().collect();
            }
            Err(e) => {
                self.problems.insert(self.root.join(CONTENT_DIR), e.into_diagnostics());
            }
        }
    }

    /// Picks up paper files that appeared and drops those that are gone.
    pub fn rescan(&mut self) {
        let Ok(files) = load::paper_files(&self.root) else { return self.read_all() };
        let known: Vec<PathBuf> = self.papers.keys().chain(self.problems.keys()).cloned().collect();
        for path in known.iter().filter(|p| !files.iter().any(|(f, _)| f == *p)) {
            self.papers.remove(path);
            self.problems.remove(path);
        }
        for (path, _) in files.iter().filter(|(f, _)| !known.contains(f)) {
            self.read_paper(path);
        }
    }

    /// Reads one paper file again, or forgets it when it is gone.
    pub fn read_paper(&mut self, path: &Path) {
        let kind = path.file_name().and_then(|n| paper_kind(&n.to_string_lossy()));
        match kind.filter(|_| path.is_file() || path.is_symlink()) {
            Some(kind) => {
                // The walk refuses links; a path given by the watcher is checked alike.
                let read = check_no_link(&self.root, path)
                    .map_err(|d| vec![d])
                    .and_then(|()| load::load_paper(&self.root, path, kind));
                self.store(path.to_path_buf(), read);
            }
            None => {
                self.papers.remove(path);
                self.problems.remove(path);
                self.moved = true;
            }
        }
    }

    fn store(&mut self, path: PathBuf, read: load::Read) {
        match read {
            Ok(paper) => {
                self.problems.remove(&path);
                // A save that changed nothing keeps the paper as it was, so
                // none of its pages is rendered again.
                match self.papers.get(&path) {
                    Some(old) if **old == paper => return,
                    Some(_) => self.edited.push(path.clone()),
                    None => self.moved = true,
                }
                self.papers.insert(path, Arc::new(paper));
            }
            // The last good version stays: once the file is fixed, it is
            // an edit like any other, and may take its old place.
            Err(problems) => {
                self.problems.insert(path, problems);
            }
        }
    }

    /// Every problem of the sources: of `site.toml` and the theme, then of
    /// every paper file read, in path order.
    pub fn problems(&self) -> Vec<Diagnostic> {
        let setup = self.setup.as_ref().err().into_iter().flatten();
        setup.chain(self.problems.values().flatten()).cloned().collect()
    }

    /// The ids of the paper files a build leaves out: drafts (unless
    /// `drafts`), and files with a problem, by name (their id, unless
    /// their front matter gives another).
    pub fn absent(&self, drafts: bool) -> HashMap<String, Absent> {
        let unread = self.problems.keys().filter_map(|path| path.file_stem());
        let unread = unread.map(|stem| (stem.to_string_lossy().into_owned(), Absent::Unread));
        let left_out = self.papers.values().filter(|p| p.draft && !drafts);
        unread.chain(left_out.map(|p| (p.id.clone(), Absent::Draft))).collect()
    }

    /// The `[[id]]` problems of the papers read, so they are reported with
    /// the problems of the files that could not be.
    pub fn reference_problems(&self, drafts: bool) -> Vec<Diagnostic> {
        let papers: Vec<Arc<Paper>> = self.papers.values().filter(|p| drafts || !p.draft).cloned().collect();
        links::resolve(&papers, &self.absent(drafts)).err().unwrap_or_default()
    }

    /// The papers that clash with another's id or slug
    /// ([`load::duplicates`]), named in path order.
    pub fn duplicates(&self) -> Vec<Diagnostic> {
        load::duplicates(&self.root, self.papers.values().map(Arc::as_ref))
    }
}
