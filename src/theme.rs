//! The theme: find the templates, static files and interface text. Read
//! with `site.toml` as the site's sources are; rendering makes its templates
//! into pages, `site` copies its static files, `init` asks which languages
//! ship.
//!
//! A theme is `themes/<name>/` with `templates/*.html` (Tera), `static/` and
//! `i18n/<language>.toml`. The default theme also ships inside the binary, so
//! a site without a `themes/` folder builds. A site's own `templates/` folder
//! overrides the theme file by file, and its own `i18n/<language>.toml` the
//! theme's strings key by key (or brings a language the theme lacks); a
//! language that neither has is an error naming those there are.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::SiteConfig;
use crate::error::{relative, Diagnostic, Error, Result};

/// The templates every theme must provide, one per kind of page.
pub const PAGE_TEMPLATES: &[&str] = &[
    "index.html",
    "digest.html",
    "paper.html",
    "archive.html",
    "404.html",
    "terms.html",
    "term.html",
    "search.html",
];

/// A theme, read and resolved against the site's overrides.
#[derive(Debug, Clone)]
pub struct Theme {
    pub name: String,
    /// Template name -> (the file to name in errors, its source).
    pub templates: BTreeMap<String, (PathBuf, String)>,
    /// Files copied to the output root before the site's `static/`.
    pub statics: Vec<StaticFile>,
    /// Interface text in the site's language.
    pub strings: BTreeMap<String, String>,
}

/// A theme static file: its path under `static/` and where its bytes are.
#[derive(Debug, Clone)]
pub struct StaticFile {
    pub path: PathBuf,
    pub source: StaticSource,
}

#[derive(Debug, Clone)]
pub enum StaticSource {
    Embedded(&'static [u8]),
    Disk(PathBuf),
}

/// The default theme, compiled in from `themes/default/`.
mod embedded {
    macro_rules! theme_files {
        ($($name:literal),* $(,)?) => { &[$(($name, include_str!(concat!("../themes/default/", $name)))),*] };
    }
    pub const TEMPLATES: &[(&str, &str)] = theme_files!(
        "templates/base.html",
        "templates/paper_details.html",
        "templates/pagination.html",
        "templates/list_title.html",
        "templates/announce.html",
        "templates/reader.html",
        "templates/index.html",
        "templates/digest.html",
        "templates/paper.html",
        "templates/archive.html",
        "templates/404.html",
        "templates/terms.html",
        "templates/term.html",
        "templates/search.html",
        "templates/starred.html",
    );
    pub const STATIC: &[(&str, &str)] = theme_files!(
        "static/style.css",
        "static/search.js",
        "static/theme.js",
        "static/reader.js",
        "static/keywords.js",
        "static/starred.js",
        "static/fonts/OFL.txt"
    );
    macro_rules! binary_files {
        ($($name:literal),* $(,)?) => { &[$(($name, include_bytes!(concat!("../themes/default/", $name)))),*] };
    }
    /// The favicon, and STIX Two Math (SIL Open Font License 1.1, beside it
    /// in `OFL.txt`) in subsets (`fonts-src/subset.py`): the math font,
    /// fetched by browsers only for pages with formulas, only the subsets
    /// their characters need.
    pub const BINARY: &[(&str, &[u8])] = binary_files!(
        "static/favicon.ico",
        "static/fonts/stix-two-math-core.woff2",
        "static/fonts/stix-two-math-letters.woff2",
        "static/fonts/stix-two-math-other.woff2",
    );
    pub const I18N: &[(&str, &str)] = theme_files!("i18n/en.toml", "i18n/zh.toml");
}

impl Theme {
    /// The theme named in `site.toml`, with the site's template overrides.
    pub fn load(root: &Path, config: &SiteConfig) -> Result<Self> {
        let dir = root.join("themes").join(&config.theme);
        let mut theme = if dir.is_dir() {
            Self::from_dir(root, &dir, &config.theme)?
        } else if config.theme == "default" {
            Self::embedded()
        } else {
            return Err(Error::Site(vec![Diagnostic::new(
                crate::layout::CONFIG_FILE,
                format!("theme `{}` not found", config.theme),
            )
            .help(format!(
                "create themes/{0}/ (`quire theme eject` writes the default theme into themes/default/ \
                 to start from: rename it themes/{0}/), or use theme = \"default\"",
                config.theme
            ))]));
        };
        let i18n = match dir.is_dir() {
            true => i18n_files(root, &dir.join("i18n"))?,
            false => embedded_i18n(),
        };
        theme.strings = interface_strings(root, &config.theme, &i18n, &config.language)?;
        theme.override_templates(root, &root.join("templates"))?;
        theme.check_complete()?;
        Ok(theme)
    }

    fn embedded() -> Self {
        let templates = embedded::TEMPLATES
            .iter()
            .map(|(path, src)| {
                (template_name(path), (Path::new("themes/default").join(path), src.to_string()))
            })
            .collect();
        let texts = embedded::STATIC.iter().map(|(path, src)| (*path, src.as_bytes()));
        let statics = texts
            .chain(embedded::BINARY.iter().copied())
            .map(|(path, bytes)| StaticFile {
                path: PathBuf::from(path.trim_start_matches("static/")),
                source: StaticSource::Embedded(bytes),
            })
            .collect();
        Theme { name: "default".into(), templates, statics, strings: BTreeMap::new() }
    }

    fn from_dir(root: &Path, dir: &Path, name: &str) -> Result<Self> {
        let mut theme = Theme {
            name: name.into(),
            templates: BTreeMap::new(),
            statics: Vec::new(),
            strings: BTreeMap::new(),
        };
        theme.override_templates(root, &dir.join("templates"))?;
        let static_dir = dir.join("static");
        for file in files_under(root, &static_dir)? {
            let path = file.strip_prefix(&static_dir).unwrap_or(&file).to_path_buf();
            theme.statics.push(StaticFile { path, source: StaticSource::Disk(file) });
        }
        Ok(theme)
    }

    /// Every `*.html`/`*.xml` under `dir` replaces the template of the same name.
    fn override_templates(&mut self, root: &Path, dir: &Path) -> Result<()> {
        for file in files_under(root, dir)? {
            let name = file.strip_prefix(dir).unwrap_or(&file).to_string_lossy().replace('\\', "/");
            if !(name.ends_with(".html") || name.ends_with(".xml")) {
                continue;
            }
            let source = std::fs::read_to_string(&file).map_err(Error::io("read", &file))?;
            self.templates.insert(name, (relative(&file, root), source));
        }
        Ok(())
    }

    fn check_complete(&self) -> Result<()> {
        let missing: Vec<_> = PAGE_TEMPLATES.iter().filter(|t| !self.templates.contains_key(**t)).collect();
        if missing.is_empty() {
            return Ok(());
        }
        Err(Error::Site(
            missing
                .into_iter()
                .map(|t| {
                    Diagnostic::new(format!("themes/{}/templates/{t}", self.name), "template missing").help(
                        format!(
                            "every theme needs these templates: {} (`quire theme eject {t}` writes the \
                             default theme's into the site's templates/)",
                            PAGE_TEMPLATES.join(", ")
                        ),
                    )
                })
                .collect(),
        ))
    }
}

/// One language's interface strings: the language, the file to name in
/// errors, its text.
struct I18nFile {
    language: String,
    path: PathBuf,
    text: String,
}

/// Every file of the default theme built into quire, as `quire theme
/// eject` writes it: its path in the theme (`templates/paper.html`,
/// `static/style.css`, `i18n/en.toml`) and its bytes.
pub fn default_theme_files() -> impl Iterator<Item = (&'static str, &'static [u8])> {
    let texts = embedded::TEMPLATES.iter().chain(embedded::STATIC).chain(embedded::I18N);
    texts.map(|(path, text)| (*path, text.as_bytes())).chain(embedded::BINARY.iter().copied())
}

/// The languages the default theme ships, as `quire init --language` takes them.
pub fn shipped_languages() -> Vec<&'static str> {
    embedded::I18N.iter().filter_map(|(p, _)| p.strip_prefix("i18n/")?.strip_suffix(".toml")).collect()
}

/// True when `language` can be used with the default theme in the site at
/// `root`: the theme ships it (or its base language, `en` for `en-GB`), or
/// the site has its own `i18n/<language>.toml`.
pub fn has_language(root: &Path, language: &str) -> bool {
    let shipped = shipped_languages();
    [language, base_language(language)].iter().any(|l| shipped.contains(l))
        || root.join("i18n").join(format!("{language}.toml")).is_file()
}

/// `en` for `en-GB`, `zh` for `zh-Hans-CN`.
fn base_language(language: &str) -> &str {
    language.split(['-', '_']).next().unwrap_or(language)
}

fn embedded_i18n() -> Vec<I18nFile> {
    embedded::I18N
        .iter()
        .map(|(path, text)| I18nFile {
            language: path.trim_start_matches("i18n/").trim_end_matches(".toml").to_owned(),
            path: Path::new("themes/default").join(path),
            text: (*text).to_owned(),
        })
        .collect()
}

/// Every `*.toml` in a theme's (or a site's) `i18n/` folder.
fn i18n_files(root: &Path, dir: &Path) -> Result<Vec<I18nFile>> {
    let mut files = Vec::new();
    for path in files_under(root, dir)? {
        let Some(language) = path.file_name().and_then(|n| n.to_str()?.strip_suffix(".toml")) else {
            continue;
        };
        let text = std::fs::read_to_string(&path).map_err(Error::io("read", &path))?;
        files.push(I18nFile { language: language.to_owned(), path: relative(&path, root), text });
    }
    Ok(files)
}

/// The strings for `language`: the theme's file for it (or for its base
/// language), else its English one, with the site's own `i18n/<language>.toml`
/// over it key by key. A theme without any strings needs none.
fn interface_strings(
    root: &Path,
    theme: &str,
    files: &[I18nFile],
    language: &str,
) -> Result<BTreeMap<String, String>> {
    let find = |l: &str| files.iter().find(|f| f.language == l);
    let own = i18n_files(root, &root.join("i18n"))?.into_iter().find(|f| f.language == language);
    let exact = find(language).or_else(|| find(base_language(language)));
    if exact.is_none() && own.is_none() && !files.is_empty() {
        let mut there: Vec<&str> = files.iter().map(|f| f.language.as_str()).collect();
        there.sort();
        let text = std::fs::read_to_string(root.join(crate::layout::CONFIG_FILE)).unwrap_or_default();
        return Err(Error::Site(vec![crate::config::diagnostic_at_key(
            &text,
            "language",
            format!("the theme `{theme}` has no interface text in `{language}`"),
        )
        .help(match theme {
            "default" => format!(
                "use one of: {}; or run `quire theme eject --i18n {language}`, which writes the English \
                 strings into i18n/{language}.toml to translate",
                there.join(", ")
            ),
            _ => format!(
                "use one of: {}; or translate the strings of themes/{theme}/i18n/en.toml into \
                 i18n/{language}.toml in the site",
                there.join(", ")
            ),
        })]));
    }
    let mut strings = match exact.or_else(|| find("en")).or(files.first()) {
        Some(file) => parse_strings(&file.path, &file.text)?,
        None => BTreeMap::new(),
    };
    if let Some(file) = own {
        strings.extend(parse_strings(&file.path, &file.text)?);
    }
    Ok(strings)
}

fn template_name(path: &str) -> String {
    path.trim_start_matches("templates/").to_owned()
}

/// The files under a theme folder, hidden ones left out; links are refused
/// like everywhere in a site's sources.
fn files_under(root: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    let files = crate::layout::source_files(root, dir, |_| false)?;
    Ok(files
        .into_iter()
        .filter(|f| !f.file_name().is_some_and(|n| n.to_string_lossy().starts_with('.')))
        .collect())
}

/// A flat `key = "text"` TOML file of interface strings.
fn parse_strings(path: &Path, text: &str) -> Result<BTreeMap<String, String>> {
    toml::from_str(text).map_err(|e| {
        let (line, column) = e.span().map_or((1, 1), |s| crate::text::line_col(text, s.start));
        Error::Site(vec![Diagnostic::new(path, e.message().trim().to_owned())
            .at(text, line, column)
            .help("write interface strings as key = \"text\"")])
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(root: &Path, language: &str) -> Result<BTreeMap<String, String>> {
        interface_strings(root, "default", &embedded_i18n(), language)
    }

    #[test]
    fn the_embedded_theme_is_complete_in_both_languages() {
        let root = tempfile::tempdir().unwrap();
        for lang in ["en", "zh"] {
            let t = Theme { strings: strings(root.path(), lang).unwrap(), ..Theme::embedded() };
            t.check_complete().unwrap();
            assert!(t.strings.contains_key("archive"), "{lang}");
            assert!(t.statics.iter().any(|s| s.path == Path::new("style.css")));
            assert!(t.statics.iter().any(|s| s.path == Path::new("search.js")));
            assert!(t.statics.iter().any(|s| s.path == Path::new("theme.js")));
            assert!(t.templates.contains_key("search.html"), "{lang}");
            for key in ["search", "search_placeholder", "search_none", "search_count", "search_more"] {
                assert!(t.strings.contains_key(key), "{lang}: {key}");
            }
        }
        let (zh, en) = (strings(root.path(), "zh").unwrap(), strings(root.path(), "en").unwrap());
        assert_ne!(zh.get("archive"), en.get("archive"));
        assert_eq!(zh.keys().collect::<Vec<_>>(), en.keys().collect::<Vec<_>>());
        assert_eq!(shipped_languages(), ["en", "zh"]);
    }

    #[test]
    fn a_language_the_theme_lacks_needs_the_sites_own_strings() {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("site.toml"), "title = \"T\"\nlanguage = \"fr\"\n").unwrap();
        let Err(Error::Site(d)) = strings(root.path(), "fr") else { panic!("fr is not shipped") };
        assert_eq!((d[0].path.to_str(), d[0].line), (Some("site.toml"), 2));
        assert_eq!(d[0].message, "the theme `default` has no interface text in `fr`");
        assert!(d[0].help.as_deref().is_some_and(|h| h.starts_with("use one of: en, zh;")), "{d:?}");
        assert!(!has_language(root.path(), "fr"));
        // A region falls back to its language.
        assert_eq!(strings(root.path(), "en-GB").unwrap()["archive"], "Archive");
        assert!(has_language(root.path(), "zh-CN"));
        // The site's own file brings the language; what it lacks stays English.
        std::fs::create_dir(root.path().join("i18n")).unwrap();
        std::fs::write(root.path().join("i18n/fr.toml"), "archive = \"Archives\"\n").unwrap();
        let fr = strings(root.path(), "fr").unwrap();
        assert_eq!((fr["archive"].as_str(), fr["home"].as_str()), ("Archives", "Home"));
        assert!(has_language(root.path(), "fr"));
        // And it overrides a shipped language key by key.
        std::fs::write(root.path().join("i18n/en.toml"), "home = \"Front page\"\n").unwrap();
        assert_eq!(strings(root.path(), "en").unwrap()["home"], "Front page");
    }
}
