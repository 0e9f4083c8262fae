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

use rayon::prelude::*;

use crate::config::SiteConfig;
use crate::error::{Diagnostic, Error};
use crate::layout::{check_no_link, CONTENT_DIR};
use crate::load::{self, paper_kind, Paper};
use crate::theme::Theme;
use crate::url::BaseUrl;

/// The configuration and the theme, read together.
pub(super) struct Setup {
    pub config: SiteConfig,
    pub theme: Theme,
}

pub(super) struct Sources {
    pub root: PathBuf,
    /// `serve`'s own address: it replaces the host of `base_url`.
    origin: Option<String>,
    pub setup: Result<Setup, Vec<Diagnostic>>,
    /// Every paper file read, drafts included. Not in order: a site's
    /// papers are put in order when they are grouped.
    pub papers: HashMap<PathBuf, Arc<Paper>>,
    pub problems: BTreeMap<PathBuf, Vec<Diagnostic>>,
    /// Papers replaced since the last render, by file.
    pub edited: Vec<PathBuf>,
    /// Whether anything else changed since the last render: papers added or
    /// removed, a problem, the configuration or the theme.
    pub moved: bool,
}

impl Sources {
    /// Nothing read yet.
    pub fn empty(root: &Path, origin: Option<String>) -> Self {
        Sources {
            root: root.to_path_buf(),
            origin,
            setup: Err(Vec::new()),
            papers: HashMap::new(),
            problems: BTreeMap::new(),
            edited: Vec::new(),
            moved: true,
        }
    }

    /// Sources read whole beforehand, without a problem.
    pub fn read(root: &Path, setup: Setup, papers: HashMap<PathBuf, Arc<Paper>>) -> Self {
        Sources { setup: Ok(setup), papers, ..Sources::empty(root, None) }
    }

    /// Reads `site.toml` and the theme again.
    pub fn read_setup(&mut self) {
        let mut config = match SiteConfig::load(&self.root) {
            Ok(c) => c,
            Err(e) => return self.setup = Err(e.into_diagnostics()),
        };
        if let Some(origin) = &self.origin {
            config.base_url = BaseUrl { origin: origin.clone(), path: config.base_url.path };
        }
        self.setup = Theme::load(&self.root, &config)
            .map(|theme| Setup { config, theme })
            .map_err(Error::into_diagnostics);
    }

    /// Reads every paper file again.
    pub fn read_all(&mut self) {
        self.papers.clear();
        self.problems.clear();
        match load::paper_files(&self.root) {
            Ok(files) => {
                let loaded: Vec<_> = files
                    .par_iter()
                    .map(|(path, kind)| (path.clone(), load::load_paper(&self.root, path, *kind)))
                    .collect();
                for (path, result) in loaded {
                    self.store(path, result);
                }
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
                let result = check_no_link(&self.root, path)
                    .map_err(|d| vec![d])
                    .and_then(|()| load::load_paper(&self.root, path, kind));
                self.store(path.to_path_buf(), result);
            }
            None => {
                self.papers.remove(path);
                self.problems.remove(path);
                self.moved = true;
            }
        }
    }

    fn store(&mut self, path: PathBuf, result: Result<Paper, Vec<Diagnostic>>) {
        match result {
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

    /// Every problem of every paper file read.
    pub fn problems(&self) -> Vec<Diagnostic> {
        self.problems.values().flatten().cloned().collect()
    }
}
