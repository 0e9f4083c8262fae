//! Test support: fixture sites in temporary folders, the real `quire`
//! binary, and the produced HTML parsed with an HTML parser.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use scraper::{Html, Selector};

/// A site in a temporary folder, built with the real binary.
pub struct Site {
    pub dir: tempfile::TempDir,
}

pub const SITE_TOML: &str =
    "title = \"Test digest\"\nbase_url = \"https://example.org/\"\nlanguage = \"en\"\n";

impl Site {
    /// An empty site with a default `site.toml` and `content/`.
    pub fn new() -> Self {
        let site = Site { dir: tempfile::tempdir().unwrap() };
        site.write("site.toml", SITE_TOML);
        std::fs::create_dir_all(site.path("content")).unwrap();
        site
    }

    /// A copy of the fixture site `tests/fixtures/<name>/`.
    pub fn from_fixture(name: &str) -> Self {
        let site = Site { dir: tempfile::tempdir().unwrap() };
        for (rel, bytes) in tree(&fixtures().join(name)) {
            site.write(&rel.to_string_lossy(), bytes);
        }
        site
    }

    pub fn root(&self) -> &Path {
        self.dir.path()
    }

    pub fn path(&self, rel: &str) -> PathBuf {
        self.root().join(rel)
    }

    /// Writes a file, creating its folders.
    pub fn write(&self, rel: &str, contents: impl AsRef<[u8]>) -> &Self {
        let path = self.path(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, contents).unwrap();
        self
    }

    /// Writes a minimal valid paper.
    pub fn paper(&self, rel: &str, id: &str, date: &str) -> &Self {
        self.write(
            rel,
            format!("---\nid: \"{id}\"\ntitle: \"Paper {id}\"\ndate: {date}\n---\nBody of {id}.\n"),
        )
    }

    /// Runs `quire` with `args` in the site folder.
    pub fn quire(&self, args: &[&str]) -> Output {
        Command::new(env!("CARGO_BIN_EXE_quire")).args(args).current_dir(self.root()).output().unwrap()
    }

    /// `quire build` that must succeed.
    pub fn build(&self, args: &[&str]) -> Output {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let out = self.quire(&all);
        assert!(out.status.success(), "build failed:\n{}", stderr(&out));
        out
    }

    /// `quire build` that must fail; returns its standard error.
    pub fn build_fails(&self, args: &[&str]) -> String {
        let mut all = vec!["build"];
        all.extend_from_slice(args);
        let out = self.quire(&all);
        assert!(
            !out.status.success(),
            "build should fail; stdout:\n{}",
            String::from_utf8_lossy(&out.stdout)
        );
        stderr(&out)
    }

    /// A page of the output, parsed.
    pub fn page(&self, rel: &str) -> Html {
        let path = self.path("public").join(rel);
        let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        Html::parse_document(&text)
    }

    /// Every file under `public/` with its bytes.
    pub fn output(&self) -> BTreeMap<PathBuf, Vec<u8>> {
        tree(&self.path("public"))
    }
}

pub fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

pub fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// Every file under `dir` (relative path -> bytes).
pub fn tree(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(Result::unwrap)
        .filter(|e| e.file_type().is_file())
        .map(|e| (e.path().strip_prefix(dir).unwrap().to_path_buf(), std::fs::read(e.path()).unwrap()))
        .collect()
}

pub fn select<'a>(html: &'a Html, css: &str) -> Vec<scraper::ElementRef<'a>> {
    html.select(&Selector::parse(css).unwrap()).collect()
}

pub fn text(el: &scraper::ElementRef) -> String {
    el.text().collect::<String>().split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Checks that every internal link and asset of every HTML page under
/// `out` resolves to a file, and every `#fragment` to an id on its page.
/// `prefix` is the base path links must start with (`/` or `/repo/`).
/// Links are resolved as a browser does ([`url::Url::join`]) from each
/// page's address on a placeholder host.
pub fn check_links(out: &Path, prefix: &str) -> usize {
    let pages: BTreeMap<PathBuf, Html> = tree(out)
        .into_iter()
        .filter(|(p, _)| p.extension().is_some_and(|e| e == "html"))
        .map(|(p, bytes)| (p, Html::parse_document(&String::from_utf8(bytes).unwrap())))
        .collect();
    let ids = |page: &Html| -> Vec<String> {
        select(page, "[id]").iter().map(|e| e.value().attr("id").unwrap().to_owned()).collect()
    };
    let host = url::Url::parse("http://site.test/").unwrap();
    let mut checked = 0;
    for (path, page) in &pages {
        let page_path = path.to_string_lossy().replace('\\', "/");
        let page_url = host.join(&format!("{prefix}{}", page_path.trim_end_matches("index.html"))).unwrap();
        for el in select(page, "[href], [src]") {
            let target = el.value().attr("href").or(el.value().attr("src")).unwrap();
            if target.starts_with("http://")
                || target.starts_with("https://")
                || target.starts_with("mailto:")
            {
                continue;
            }
            let url =
                page_url.join(target).unwrap_or_else(|e| panic!("{}: link {target}: {e}", path.display()));
            let file = match url.path().strip_prefix(prefix) {
                _ if url.path() == page_url.path() => path.clone(),
                Some(rel) => {
                    let rel = percent_encoding::percent_decode_str(rel).decode_utf8().unwrap();
                    let rel = if rel.is_empty() || rel.ends_with('/') {
                        format!("{rel}index.html")
                    } else {
                        rel.into_owned()
                    };
                    assert!(out.join(&rel).is_file(), "{}: link {target} has no file {rel}", path.display());
                    PathBuf::from(rel)
                }
                None => panic!("{}: link {target} does not start with {prefix}", path.display()),
            };
            if let Some(fragment) = url.fragment().filter(|f| !f.is_empty()) {
                let target_page =
                    pages.get(&file).unwrap_or_else(|| panic!("{} is not a page", file.display()));
                assert!(
                    ids(target_page).iter().any(|id| id == fragment),
                    "{}: link {target}: no id {fragment} on {}",
                    path.display(),
                    file.display()
                );
            }
            checked += 1;
        }
    }
    checked
}
