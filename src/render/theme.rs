//! Stage 3, theme: find the templates, static files and interface text.
//!
//! A theme is `themes/<name>/` with `templates/*.html` (Tera), `static/` and
//! `i18n/<language>.toml`. The default theme also ships inside the binary, so
//! a site without a `themes/` folder builds. A site's own `templates/` folder
//! overrides the theme file by file.

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
        ($($name:literal),* $(,)?) => { &[$(($name, include_str!(concat!("../../themes/default/", $name)))),*] };
    }
    pub const TEMPLATES: &[(&str, &str)] = theme_files!(
        "templates/base.html",
        "templates/paper_details.html",
        "templates/pagination.html",
        "templates/list_title.html",
        "templates/index.html",
        "templates/digest.html",
        "templates/paper.html",
        "templates/archive.html",
        "templates/404.html",
        "templates/terms.html",
        "templates/term.html",
        "templates/search.html",
    );
    pub const STATIC: &[(&str, &str)] =
        theme_files!("static/style.css", "static/search.js", "static/theme.js", "static/fonts/OFL.txt");
    /// STIX Two Math (SIL Open Font License 1.1, beside it in `OFL.txt`):
    /// the math font, fetched by browsers only for pages with formulas.
    pub const FONTS: &[(&str, &[u8])] = &[(
        "static/fonts/stix-two-math.woff2",
        include_bytes!("../../themes/default/static/fonts/stix-two-math.woff2"),
    )];
    pub const I18N: &[(&str, &str)] = theme_files!("i18n/en.toml", "i18n/zh.toml");
}

impl Theme {
    /// The theme named in `site.toml`, with the site's template overrides.
    pub fn load(root: &Path, config: &SiteConfig) -> Result<Self> {
        let dir = root.join("themes").join(&config.theme);
        let mut theme = if dir.is_dir() {
            Self::from_dir(root, &dir, &config.theme, &config.language)?
        } else if config.theme == "default" {
            Self::embedded(&config.language)?
        } else {
            return Err(Error::Site(vec![Diagnostic::new(
                crate::config::FILE_NAME,
                format!("theme `{}` not found", config.theme),
            )
            .help(format!("create themes/{}/ or use theme = \"default\"", config.theme))]));
        };
        theme.override_templates(root, &root.join("templates"))?;
        theme.check_complete()?;
        Ok(theme)
    }

    fn embedded(language: &str) -> Result<Self> {
        let templates = embedded::TEMPLATES
            .iter()
            .map(|(path, src)| {
                (template_name(path), (Path::new("themes/default").join(path), src.to_string()))
            })
            .collect();
        let texts = embedded::STATIC.iter().map(|(path, src)| (*path, src.as_bytes()));
        let statics = texts
            .chain(embedded::FONTS.iter().copied())
            .map(|(path, bytes)| StaticFile {
                path: PathBuf::from(path.trim_start_matches("static/")),
                source: StaticSource::Embedded(bytes),
            })
            .collect();
        let i18n = embedded::I18N.iter().find(|(p, _)| *p == format!("i18n/{language}.toml"));
        let (path, text) = i18n.or_else(|| embedded::I18N.first()).copied().unwrap_or(("", ""));
        let strings = parse_strings(Path::new("themes/default").join(path).as_path(), text)?;
        Ok(Theme { name: "default".into(), templates, statics, strings })
    }

    fn from_dir(root: &Path, dir: &Path, name: &str, language: &str) -> Result<Self> {
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
        let i18n = dir.join("i18n").join(format!("{language}.toml"));
        let i18n = if i18n.is_file() { i18n } else { dir.join("i18n").join("en.toml") };
        if i18n.is_file() {
            crate::load::check_no_link(root, &i18n).map_err(|d| Error::Site(vec![d]))?;
            let text = std::fs::read_to_string(&i18n).map_err(Error::io("read", &i18n))?;
            theme.strings = parse_strings(&relative(&i18n, root), &text)?;
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
                    Diagnostic::new(format!("themes/{}/templates/{t}", self.name), "template missing")
                        .help(format!("every theme needs these templates: {}", PAGE_TEMPLATES.join(", ")))
                })
                .collect(),
        ))
    }
}

fn template_name(path: &str) -> String {
    path.trim_start_matches("templates/").to_owned()
}

/// The files under a theme folder, hidden ones left out; links are refused
/// like everywhere in a site's sources.
fn files_under(root: &Path, dir: &Path) -> Result<Vec<PathBuf>> {
    let files = crate::load::source_files(root, dir, |_| false)?;
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

    #[test]
    fn the_embedded_theme_is_complete_in_both_languages() {
        for lang in ["en", "zh"] {
            let t = Theme::embedded(lang).unwrap();
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
        let zh = Theme::embedded("zh").unwrap();
        let en = Theme::embedded("en").unwrap();
        assert_ne!(zh.strings.get("archive"), en.strings.get("archive"));
        assert_eq!(zh.strings.keys().collect::<Vec<_>>(), en.strings.keys().collect::<Vec<_>>());
    }
}
