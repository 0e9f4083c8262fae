//! `quire theme eject`: the default theme, built into the binary, written
//! into a site to edit. Whole, into `themes/default/` (which the site then
//! uses instead of the built-in one); one template or static file, into the
//! site's `templates/` or `static/` (over the theme's, file by file); or one
//! language's interface strings, into `i18n/<language>.toml` (over the
//! theme's, key by key; the English ones to translate, for a language the
//! theme lacks). It never replaces a file.

use std::fmt;
use std::path::{Path, PathBuf};

use super::create_new;
use crate::error::{closest, Error, Result};
use crate::layout::CONFIG_FILE;
use crate::theme::{default_theme_files, shipped_languages};

/// What to write.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Eject {
    /// The whole theme, into `themes/default/`.
    Theme,
    /// One template (`paper.html`) or static file (`style.css`).
    File(String),
    /// One language's interface strings.
    Strings(String),
}

/// What `quire theme eject` wrote, and what it left alone (relative to the site).
#[derive(Debug, Clone)]
pub struct EjectReport {
    pub root: PathBuf,
    pub what: Eject,
    pub written: Vec<PathBuf>,
    pub skipped: Vec<PathBuf>,
}

/// Writes what `what` names into the site at `root`.
pub fn eject(root: &Path, what: &Eject) -> Result<EjectReport> {
    if !root.join(CONFIG_FILE).is_file() {
        return Err(Error::NoSite(root.to_path_buf()));
    }
    let files = match what {
        Eject::Theme => default_theme_files()
            .map(|(path, bytes)| (Path::new("themes/default").join(path), bytes.to_vec()))
            .collect(),
        Eject::File(name) => vec![one_file(name)?],
        Eject::Strings(language) => vec![strings(language)?],
    };
    let mut report = EjectReport {
        root: root.to_path_buf(),
        what: what.clone(),
        written: Vec::new(),
        skipped: Vec::new(),
    };
    for (rel, bytes) in files {
        match create_new(&root.join(&rel), bytes)? {
            true => report.written.push(rel),
            false if *what == Eject::Theme => report.skipped.push(rel),
            false => {
                return Err(Error::Usage(format!(
                "{} already exists in the site; nothing was written (edit it, or remove it to start again \
                     from the default theme's)",
                rel.display()
            )))
            }
        }
    }
    Ok(report)
}

/// A template or static file of the default theme, by its name in the
/// theme's `templates/` or `static/` (either prefix may be given), and
/// where the site's own copy goes.
fn one_file(name: &str) -> Result<(PathBuf, Vec<u8>)> {
    let name = name.trim_start_matches("templates/").trim_start_matches("static/");
    let found = default_theme_files()
        .find(|(path, _)| ["templates/", "static/"].iter().any(|dir| path.strip_prefix(dir) == Some(name)));
    if let Some((path, bytes)) = found {
        return Ok((PathBuf::from(path), bytes.to_vec()));
    }
    let names: Vec<&str> = default_theme_files()
        .filter_map(|(path, _)| path.strip_prefix("templates/").or_else(|| path.strip_prefix("static/")))
        .collect();
    let hint = match closest(name, &names) {
        Some(known) => format!("did you mean `{known}`? "),
        None => String::new(),
    };
    Err(Error::Usage(format!(
        "the default theme has no template or static file `{name}`; {hint}it has: {}",
        names.join(", ")
    )))
}

/// `i18n/<language>.toml`: the theme's strings in that language (or its
/// base language, `en` for `en-GB`), else its English ones to translate.
fn strings(language: &str) -> Result<(PathBuf, Vec<u8>)> {
    let valid = |c: char| c.is_ascii_alphanumeric() || c == '-' || c == '_';
    if language.is_empty() || !language.chars().all(valid) {
        return Err(Error::Usage(format!(
            "--i18n `{language}` is not a language code: give one like zh, en-GB or fr"
        )));
    }
    let base = language.split(['-', '_']).next().unwrap_or(language);
    let shipped = shipped_languages();
    let from = [language, base].into_iter().find(|l| shipped.contains(l)).unwrap_or("en");
    let text = default_theme_files()
        .find(|(path, _)| *path == format!("i18n/{from}.toml"))
        .map(|(_, bytes)| String::from_utf8_lossy(bytes).into_owned())
        .unwrap_or_default();
    let header = match from == language {
        true => format!(
            "# The default theme's `{language}` interface strings. A key here replaces the theme's;\n\
             # change the ones you want and remove the others (they stay the theme's).\n"
        ),
        false => format!(
            "# The default theme's `{from}` interface strings, to translate into `{language}`; then set\n\
             # language = \"{language}\" in site.toml. A key left out stays as the theme has it.\n"
        ),
    };
    Ok((PathBuf::from(format!("i18n/{language}.toml")), format!("{header}{text}").into_bytes()))
}

impl fmt::Display for EjectReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let what = match &self.what {
            Eject::Theme => "The default theme is in themes/default/ now: the site uses those files instead \
                             of the theme built into quire (a newer quire's theme reaches the site only if you \
                             copy it in)."
                .to_owned(),
            Eject::File(_) => "The site's copy replaces the default theme's file; edit it (`quire serve` \
                               shows each save)."
                .to_owned(),
            Eject::Strings(language) => format!(
                "Its keys replace the default theme's, one by one, in a site whose language is `{language}` \
                 (its first lines say what to do)."
            ),
        };
        match self.root.as_os_str().to_str() {
            Some(".") => write!(f, "Wrote")?,
            _ => write!(f, "Wrote into {}:", self.root.display())?,
        }
        super::list_files(f, &self.written, &self.skipped)?;
        write!(f, "\n{what}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn site() -> tempfile::TempDir {
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("site.toml"), "title = \"T\"\nbase_url = \"/\"\n").unwrap();
        root
    }

    #[test]
    fn one_template_or_static_file_goes_where_the_site_overrides_it() {
        let root = site();
        for (name, path) in [
            ("paper.html", "templates/paper.html"),
            ("templates/base.html", "templates/base.html"),
            ("style.css", "static/style.css"),
            ("fonts/OFL.txt", "static/fonts/OFL.txt"),
        ] {
            let report = eject(root.path(), &Eject::File(name.into())).unwrap();
            assert_eq!(report.written, [PathBuf::from(path)], "{name}");
            let theirs = default_theme_files().find(|(p, _)| *p == path).unwrap().1;
            assert_eq!(std::fs::read(root.path().join(path)).unwrap(), theirs, "{name}");
        }
        let again = eject(root.path(), &Eject::File("paper.html".into()));
        assert!(
            matches!(again, Err(Error::Usage(m)) if m.starts_with("templates/paper.html already exists"))
        );
        let Err(Error::Usage(m)) = eject(root.path(), &Eject::File("papr.html".into())) else { panic!() };
        assert!(m.contains("no template or static file `papr.html`; did you mean `paper.html`?"), "{m}");
    }

    #[test]
    fn strings_are_the_languages_own_or_english_to_translate() {
        let root = site();
        eject(root.path(), &Eject::Strings("zh".into())).unwrap();
        let zh = std::fs::read_to_string(root.path().join("i18n/zh.toml")).unwrap();
        assert!(
            zh.starts_with("# The default theme's `zh` interface strings.") && zh.contains("首页"),
            "{zh}"
        );
        eject(root.path(), &Eject::Strings("fr".into())).unwrap();
        let fr = std::fs::read_to_string(root.path().join("i18n/fr.toml")).unwrap();
        assert!(
            fr.contains("to translate into `fr`; then set\n# language = \"fr\"") && fr.contains("\"Home\"")
        );
        let strings: std::collections::BTreeMap<String, String> = toml::from_str(&fr).unwrap();
        assert_eq!(strings["home"], "Home");
        for bad in ["../x", "", "a/b"] {
            assert!(matches!(eject(root.path(), &Eject::Strings(bad.into())), Err(Error::Usage(_))), "{bad}");
        }
    }

    #[test]
    fn the_whole_theme_keeps_the_files_already_there() {
        let root = site();
        std::fs::create_dir_all(root.path().join("themes/default/templates")).unwrap();
        std::fs::write(root.path().join("themes/default/templates/paper.html"), "mine").unwrap();
        let report = eject(root.path(), &Eject::Theme).unwrap();
        assert_eq!(report.skipped, [PathBuf::from("themes/default/templates/paper.html")]);
        assert_eq!(report.written.len(), default_theme_files().count() - 1);
        assert!(root.path().join("themes/default/static/fonts/stix-two-math-core.woff2").is_file());
        assert_eq!(
            std::fs::read_to_string(root.path().join("themes/default/templates/paper.html")).unwrap(),
            "mine"
        );
    }

    #[test]
    fn outside_a_site_nothing_is_written() {
        let root = tempfile::tempdir().unwrap();
        assert!(matches!(eject(root.path(), &Eject::Theme), Err(Error::NoSite(_))));
        assert!(std::fs::read_dir(root.path()).unwrap().next().is_none());
    }
}
