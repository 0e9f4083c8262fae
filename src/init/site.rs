//! `quire init [DIR]`: the files of a new site, each written only where
//! nothing is: `site.toml`, an example paper, `static/`, a `.gitignore` and
//! the GitHub Pages workflow; with `--feed`, a workflow that imports arXiv's
//! feeds of those categories each weekday and publishes them.

use std::fmt;
use std::fs;
use std::io::ErrorKind;
use std::path::{Path, PathBuf};

use super::{create_new, fill, quote, REPOSITORY};
use crate::arxiv::CATEGORIES;
use crate::error::{closest, Error, Result};
use crate::theme::{has_language, shipped_languages};
use crate::url::base_url_argument;

const SITE_TOML: &str = include_str!("scaffold/site.toml");
const EXAMPLE_PAPER: &str = include_str!("scaffold/paper.md");
const GITIGNORE: &str = include_str!("scaffold/gitignore");
const PAGES_YML: &str = include_str!("scaffold/pages.yml");
const DAILY_YML: &str = include_str!("scaffold/daily.yml");
/// The steps both workflows install quire with.
const INSTALL_STEPS: &str = include_str!("scaffold/install-steps.yml");

/// Where the example paper goes: its folder gives its date, its name its id.
const EXAMPLE_PAPER_PATH: &str = "content/2017-06-12/1706.03762.md";

/// What `quire init` was asked to do.
#[derive(Debug, Clone)]
pub struct InitOptions {
    pub dir: PathBuf,
    pub title: String,
    pub base_url: String,
    pub language: String,
    /// arXiv categories (`cs.CV`) imported daily; none: no daily workflow.
    pub feeds: Vec<String>,
    /// Add the missing files to a folder that is not empty.
    pub force: bool,
}

/// What `quire init` wrote, and what it left alone.
#[derive(Debug, Clone)]
pub struct InitReport {
    pub dir: PathBuf,
    /// Relative to `dir`.
    pub written: Vec<PathBuf>,
    /// Files that were already there, untouched; relative to `dir`.
    pub skipped: Vec<PathBuf>,
    /// The site's path prefix, where `quire serve` previews it (`/repo/`).
    pub base_path: String,
}

/// Writes a new site into `options.dir`, creating it if needed.
pub fn init(options: &InitOptions) -> Result<InitReport> {
    let base_path = base_url_argument(&options.base_url)?.path;
    if !has_language(&options.dir, &options.language) {
        return Err(Error::Usage(format!(
            "quire has no interface text in `{0}`: use --language {1}; for another language, start \
             with --language en, then `quire theme eject --i18n {0}` writes the English strings into \
             i18n/{0}.toml to translate, and set language = \"{0}\" in site.toml",
            options.language,
            shipped_languages().join(" or "),
        )));
    }
    if let Some(bad) = options.feeds.iter().find(|f| !CATEGORIES.contains(&f.as_str())) {
        let hint = match closest_category(bad) {
            Some(known) => format!("did you mean --feed {known}?"),
            None => "give one like cs.CV, math.AG or hep-th (the name in \
                     https://rss.arxiv.org/rss/<category>; all: https://arxiv.org/category_taxonomy)"
                .to_owned(),
        };
        return Err(Error::Usage(format!("--feed {bad}: not an arXiv category; {hint}")));
    }
    if !options.force && !is_empty_dir(&options.dir)? {
        return Err(Error::Usage(format!(
            "the folder {} is not empty; nothing was written (pass --force to add the missing files, keeping every existing one)",
            options.dir.display()
        )));
    }
    let mut report =
        InitReport { dir: options.dir.clone(), written: Vec::new(), skipped: Vec::new(), base_path };
    for (rel, text) in files(options) {
        let list = if create_new(&options.dir.join(rel), &text)? {
            &mut report.written
        } else {
            &mut report.skipped
        };
        list.push(PathBuf::from(rel));
    }
    Ok(report)
}

/// True when `dir` has no entry, or does not exist yet.
fn is_empty_dir(dir: &Path) -> Result<bool> {
    match fs::read_dir(dir) {
        Ok(mut entries) => Ok(entries.next().is_none()),
        Err(e) if e.kind() == ErrorKind::NotFound => Ok(true),
        Err(e) => Err(Error::io("read", dir)(e)),
    }
}

/// The category arXiv has that `name` most likely meant: the same name in
/// another case (`cs.cv`), else the closest one (`cs.CVV` -> `cs.CV`).
fn closest_category(name: &str) -> Option<&'static str> {
    let same = CATEGORIES.iter().find(|c| c.eq_ignore_ascii_case(name)).copied();
    same.or_else(|| closest(name, CATEGORIES))
}

/// Every file of a new site: its path relative to the site and its text.
fn files(options: &InitOptions) -> Vec<(&'static str, String)> {
    let mut files = vec![
        ("site.toml", site_toml(options)),
        (EXAMPLE_PAPER_PATH, EXAMPLE_PAPER.to_owned()),
        ("static/.gitkeep", String::new()),
        (".gitignore", GITIGNORE.to_owned()),
        (".github/workflows/pages.yml", workflow(PAGES_YML, &[])),
    ];
    if !options.feeds.is_empty() {
        files.push((".github/workflows/daily.yml", workflow(DAILY_YML, &options.feeds)));
    }
    files
}

/// A workflow, pinned to this quire's version, with the steps that install
/// it (indented as its `{{install_steps}}` line is) and the `feeds`.
fn workflow(template: &str, feeds: &[String]) -> String {
    let indent = template
        .lines()
        .find_map(|l| l.strip_suffix("{{install_steps}}"))
        .expect("the workflow installs quire");
    let steps = INSTALL_STEPS.trim_end().replace('\n', &format!("\n{indent}"));
    let steps = fill(&steps, &[("repository", REPOSITORY)]);
    let feeds = feeds.join(" ");
    let values =
        [("install_steps", steps.as_str()), ("version", env!("CARGO_PKG_VERSION")), ("feeds", &feeds)];
    fill(template, &values)
}

fn site_toml(options: &InitOptions) -> String {
    fill(
        SITE_TOML,
        &[
            ("title", &quote(&options.title)),
            ("base_url", &quote(&options.base_url)),
            ("language", &quote(&options.language)),
            ("repository", REPOSITORY),
        ],
    )
}

impl fmt::Display for InitReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Created a quire site in {}:", self.dir.display())?;
        super::list_files(f, &self.written, &self.skipped)?;
        let cd = match self.dir.as_os_str().to_str() {
            Some(".") => String::new(),
            _ => format!("cd {}\n  ", self.dir.display()),
        };
        write!(
            f,
            "\n\nNext:\n  {cd}quire new 2404.01300    (a paper file to fill in, a draft until you remove \
             `draft: true`)\n  \
             quire serve -D          (a preview at http://127.0.0.1:1111{}, drafts included)\n  \
             git init -b main && git add . && git commit -m \"A new digest\"\n  \
             git remote add origin git@github.com:USER/REPO.git && git push -u origin main\n\
             Then, once, choose \"GitHub Actions\" as the source in the repository's Settings > Pages:\n\
             .github/workflows/pages.yml publishes every push to main.",
            self.base_path
        )?;
        if self.written.iter().any(|p| p.ends_with("daily.yml")) {
            write!(
                f,
                "\n.github/workflows/daily.yml imports arXiv's new papers each weekday morning and \
                 publishes them (\"Run workflow\" on the Actions tab runs it now)."
            )?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::SiteConfig;

    fn options(title: &str) -> InitOptions {
        InitOptions {
            dir: PathBuf::from("site"),
            title: title.into(),
            base_url: "https://example.org/".into(),
            language: "zh".into(),
            feeds: Vec::new(),
            force: false,
        }
    }

    #[test]
    fn site_toml_is_valid_whatever_the_title() {
        for title in ["Paper digest", "A \"quoted\" \\ digest", "论文\t摘要\n第二行", "{{language}}"] {
            let text = site_toml(&options(title));
            let config = SiteConfig::parse(&text).unwrap_or_else(|d| panic!("{d}\n{text}"));
            assert_eq!(config.title, title);
            assert_eq!((config.language.as_str(), config.base_url.path.as_str()), ("zh", "/"));
        }
    }

    #[test]
    fn every_commented_setting_is_a_real_one() {
        let text = site_toml(&options("T"));
        let uncommented: String = text
            .lines()
            .map(|l| match l.strip_prefix("# ") {
                Some(rest)
                    if rest.starts_with('[')
                        || rest.split_once(" = ").is_some_and(|(k, _)| !k.contains(' ')) =>
                {
                    rest
                }
                _ => l,
            })
            .map(|l| format!("{l}\n"))
            .collect();
        assert!(uncommented.contains("\n[digest]\nperiod = \"day\""), "{uncommented}");
        assert!(uncommented.contains("\ncname = \"digest.example.org\""), "{uncommented}");
        let config = SiteConfig::parse(&uncommented).unwrap_or_else(|d| panic!("{d}\n{uncommented}"));
        assert_eq!(config.llm.model.as_deref(), Some("deepseek-chat"), "{uncommented}");
    }

    #[test]
    fn placeholders_are_all_filled_and_github_expressions_kept() {
        let feeds = InitOptions { feeds: vec!["cs.CV".into(), "hep-th".into()], ..options("T") };
        let files = files(&feeds);
        for (rel, text) in &files {
            assert!(!text.replace("${{ ", "").contains("{{"), "{rel}: {text}");
        }
        let daily = &files.iter().find(|(rel, _)| rel.ends_with("daily.yml")).unwrap().1;
        assert!(daily.contains("      FEEDS: \"cs.CV hep-th\"\n"), "{daily}");
        assert!(
            daily.contains("\n      - name: Install quire\n        # "),
            "steps indented as the job's: {daily}"
        );
        let workflow = workflow(PAGES_YML, &[]);
        assert!(workflow.contains(concat!("QUIRE_VERSION: v", env!("CARGO_PKG_VERSION"), "\n")));
        assert!(workflow.contains(&format!("repository=\"${{QUIRE_REPOSITORY:-{REPOSITORY}}}\"")));
        assert!(workflow.contains(
            "cargo install --locked --root \"$root\" --git \"$repository\" --tag \"$QUIRE_VERSION\" quire"
        ));
        assert!(workflow.contains("quire build --base-url \"${{ steps.pages.outputs.base_url }}/\""));
    }

    #[test]
    fn feeds_are_arxiv_categories() {
        let dir = tempfile::tempdir().unwrap();
        let with_feed =
            |feed: &str| InitOptions { dir: dir.path().join("s"), feeds: vec![feed.into()], ..options("T") };
        for bad in ["", "cs.", ".CV", "cs.CV.x", "cs CV", "cs.CV\"", "$(x)", "cs/CV", "cs.CV;ls", "cs.XX"] {
            assert!(matches!(init(&with_feed(bad)), Err(Error::Usage(_))), "{bad}");
        }
        for (typo, meant) in
            [("cs.CVV", "cs.CV"), ("cs.cv", "cs.CV"), ("hep-thh", "hep-th"), ("Math.AG", "math.AG")]
        {
            let Err(Error::Usage(message)) = init(&with_feed(typo)) else { panic!("{typo} is refused") };
            assert_eq!(
                message,
                format!("--feed {typo}: not an arXiv category; did you mean --feed {meant}?")
            );
        }
        assert!(!dir.path().join("s").exists(), "nothing is written");
        for ok in ["cs.CV", "math.AG", "hep-th", "astro-ph.CO", "q-bio.NC", "cond-mat.mes-hall", "cs"] {
            assert!(CATEGORIES.contains(&ok), "{ok}");
        }
        let dir = tempfile::tempdir().unwrap();
        let options = InitOptions { dir: dir.path().into(), feeds: vec!["cs.CV; rm".into()], ..options("T") };
        let Err(Error::Usage(message)) = init(&options) else { panic!("a bad --feed is refused") };
        assert!(message.starts_with("--feed cs.CV; rm: not an arXiv category"), "{message}");
        assert!(std::fs::read_dir(dir.path()).unwrap().next().is_none(), "nothing is written");
    }

    #[test]
    fn a_new_site_loads_with_its_example_paper() {
        let dir = tempfile::tempdir().unwrap();
        let report = init(&InitOptions { dir: dir.path().to_path_buf(), ..options("T") }).unwrap();
        assert_eq!((report.written.len(), report.skipped.len()), (5, 0));
        SiteConfig::load(dir.path()).unwrap();
        let mut papers = crate::load::read_papers(dir.path()).unwrap();
        let paper = papers.pop().unwrap().1.unwrap();
        assert!(papers.is_empty(), "one example paper");
        assert_eq!((paper.id.as_str(), paper.date.to_string().as_str()), ("1706.03762", "2017-06-12"));
        assert_eq!(paper.categories, ["cs.CL", "cs.LG"]);
        assert!(paper.summary.as_deref().is_some_and(|s| s.contains('$')), "{paper:?}");
        assert!(dir.path().join("static").is_dir());
    }

    #[test]
    fn a_folder_with_files_is_refused_unless_forced_and_its_files_kept() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join("site.toml"), "mine").unwrap();
        let mut options = InitOptions { dir: dir.path().to_path_buf(), ..options("T") };
        assert!(matches!(init(&options), Err(Error::Usage(m)) if m.contains("is not empty")));
        options.force = true;
        let report = init(&options).unwrap();
        assert_eq!(report.skipped, [PathBuf::from("site.toml")]);
        assert_eq!(fs::read_to_string(dir.path().join("site.toml")).unwrap(), "mine");
        assert!(report.to_string().contains("Skipped, already there (left as they are):\n  site.toml"));
    }

    #[test]
    fn a_language_without_strings_is_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let new = dir.path().join("new");
        let options = InitOptions { dir: new.clone(), language: "fr".into(), ..options("T") };
        let refused = init(&options);
        assert!(
            matches!(&refused, Err(Error::Usage(m)) if m.contains("no interface text in `fr`: use --language en or zh")),
            "{refused:?}"
        );
        assert!(!new.exists());
        std::fs::create_dir_all(new.join("i18n")).unwrap();
        std::fs::write(new.join("i18n/fr.toml"), "home = \"Accueil\"\n").unwrap();
        init(&InitOptions { force: true, ..options }).unwrap();
        assert!(crate::config::SiteConfig::load(&new).is_ok_and(|c| c.language == "fr"));
    }

    #[test]
    fn a_bad_base_url_is_refused_before_writing() {
        let dir = tempfile::tempdir().unwrap();
        let options =
            InitOptions { dir: dir.path().join("new"), base_url: "example.org".into(), ..options("T") };
        assert!(matches!(init(&options), Err(Error::Usage(m)) if m.starts_with("invalid --base-url")));
        assert!(!dir.path().join("new").exists());
    }
}
