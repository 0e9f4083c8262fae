//! The site, told what changed: changed paths -> [`Changes`], what must be
//! read again.
//!
//! Pure functions, so every way an editor saves a file (write in place,
//! write a temporary file and rename it, vim's swap files, delete and
//! recreate) can be tested without a watcher: whatever events arrive, the
//! decision depends only on which paths they name. Editor leftovers never
//! trigger a rebuild. What the changes touch among the outputs is decided
//! later, by [`super::Site::apply`].

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use crate::layout::{is_ignored_name, CONTENT_DIR, STATIC_DIR};
use crate::load::paper_kind;

/// What one changed path means for the site.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `site.toml`: everything is read again.
    Config,
    /// A template, a theme's or the site's interface strings, or `theme.toml`.
    Theme,
    /// A paper file (changed, created or deleted).
    Paper(PathBuf),
    /// Something else under `content/` (a folder renamed or removed).
    ContentTree,
    /// A static file, by its path in the output.
    Static(String),
    /// Nothing the site is built from.
    Ignored,
}

/// Classifies `path` (absolute, under `root`) for a site using `theme`.
pub fn classify(root: &Path, theme: &str, path: &Path) -> Change {
    let Ok(rel) = path.strip_prefix(root) else { return Change::Ignored };
    let parts: Vec<String> = rel.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect();
    if parts.iter().any(|p| is_ignored_name(p)) {
        return Change::Ignored;
    }
    let name = parts.last().map(String::as_str).unwrap_or_default();
    match parts.iter().map(String::as_str).collect::<Vec<_>>().as_slice() {
        [f] if *f == crate::layout::CONFIG_FILE => Change::Config,
        [CONTENT_DIR, ..] if paper_kind(name).is_some() => Change::Paper(path.to_path_buf()),
        [CONTENT_DIR, ..] if !name.contains('.') => Change::ContentTree,
        ["templates" | "i18n", _, ..] => Change::Theme,
        [STATIC_DIR, rest @ ..] if !rest.is_empty() => Change::Static(rest.join("/")),
        ["themes", t, STATIC_DIR, rest @ ..] if *t == theme && !rest.is_empty() => {
            Change::Static(rest.join("/"))
        }
        ["themes", t, _, ..] if *t == theme => Change::Theme,
        _ => Change::Ignored,
    }
}

/// What a batch of changes asks to read again.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    /// Read `site.toml`, the theme and every paper again.
    pub everything: bool,
    /// Read the theme again; content stays as it is.
    pub theme: bool,
    /// Walk `content/` for papers that appeared or disappeared.
    pub content_tree: bool,
    /// Paper files to read again (or drop, if they are gone).
    pub papers: BTreeSet<PathBuf>,
    /// Static files to copy again (or drop), by output path.
    pub statics: BTreeSet<String>,
}

impl Changes {
    /// Everything: what a first load reads.
    pub fn everything() -> Self {
        Changes { everything: true, ..Changes::default() }
    }

    /// Folds a batch of changes into one.
    pub fn from_changes(changes: impl IntoIterator<Item = Change>) -> Self {
        let mut plan = Changes::default();
        for change in changes {
            match change {
                Change::Config => plan.everything = true,
                Change::Theme => plan.theme = true,
                Change::Paper(p) => {
                    plan.papers.insert(p);
                }
                Change::ContentTree => plan.content_tree = true,
                Change::Static(s) => {
                    plan.statics.insert(s);
                }
                Change::Ignored => {}
            }
        }
        plan
    }

    /// Nothing to do.
    pub fn is_empty(&self) -> bool {
        *self == Changes::default()
    }

    /// Only stylesheets changed: the browser can swap them without a reload.
    pub fn css_only(&self) -> bool {
        !self.statics.is_empty()
            && self.statics.iter().all(|s| s.ends_with(".css"))
            && Changes { statics: BTreeSet::new(), ..self.clone() }.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan_for(paths: &[&str]) -> Changes {
        let root = Path::new("/site");
        Changes::from_changes(paths.iter().map(|p| classify(root, "default", &root.join(p))))
    }

    #[test]
    fn classifies_each_kind_of_file() {
        let root = Path::new("/site");
        let c = |p: &str| classify(root, "default", &root.join(p));
        assert_eq!(c("site.toml"), Change::Config);
        assert_eq!(c("content/2024-04-02/a.md"), Change::Paper(root.join("content/2024-04-02/a.md")));
        assert_eq!(c("content/b.yaml"), Change::Paper(root.join("content/b.yaml")));
        assert_eq!(c("content/2024-04-02"), Change::ContentTree);
        assert_eq!(c("templates/paper.html"), Change::Theme);
        assert_eq!(c("themes/default/templates/base.html"), Change::Theme);
        assert_eq!(c("themes/default/i18n/zh.toml"), Change::Theme);
        assert_eq!(c("i18n/fr.toml"), Change::Theme);
        assert_eq!(c("themes/other/templates/base.html"), Change::Ignored);
        assert_eq!(c("static/img/logo.png"), Change::Static("img/logo.png".into()));
        assert_eq!(c("themes/default/static/style.css"), Change::Static("style.css".into()));
        assert_eq!(c("public/index.html"), Change::Ignored);
        assert_eq!(classify(root, "default", Path::new("/elsewhere/site.toml")), Change::Ignored);
    }

    #[test]
    fn editor_leftovers_never_trigger_a_rebuild() {
        for p in [
            "content/.a.md.swp",
            "content/.a.md.swx",
            "content/a.md~",
            "content/.#a.md",
            "content/#a.md#",
            "content/.git/index",
            "content/a.md.tmp",
            "templates/.base.html.swp",
            "content/notes.txt",
        ] {
            assert!(plan_for(&[p]).is_empty(), "{p}");
        }
    }

    #[test]
    fn every_way_of_saving_a_paper_is_one_paper_rebuild() {
        let a = "content/2024-04-02/a.md";
        let in_place = plan_for(&[a, a]);
        let by_rename = plan_for(&["content/2024-04-02/.a.md.tmp123", a]);
        let vim = plan_for(&["content/2024-04-02/.a.md.swp", "content/2024-04-02/a.md~", a]);
        let recreate = plan_for(&[a, a]);
        for plan in [in_place, by_rename, vim, recreate] {
            assert_eq!(plan.papers.len(), 1);
            assert!(!plan.everything && !plan.theme && plan.statics.is_empty());
        }
    }

    #[test]
    fn css_alone_is_swapped_without_a_reload() {
        assert!(plan_for(&["static/style.css"]).css_only());
        assert!(!plan_for(&["static/style.css", "content/a.md"]).css_only());
        assert!(!plan_for(&["static/app.js"]).css_only());
        assert!(!plan_for(&["content/a.md"]).css_only());
    }

    #[test]
    fn config_and_templates_are_coarser() {
        assert!(plan_for(&["site.toml"]).everything);
        let t = plan_for(&["templates/paper.html"]);
        assert!(t.theme && t.papers.is_empty());
    }
}
