//! Scaffolding: `quire init` writes a new site, `quire new` a paper file,
//! `quire theme eject` the default theme's files to edit.
//!
//! Outside the build pipeline. Everything `init` and `new` write is a real
//! file under `src/init/scaffold/`, embedded with `include_str!` so it can be
//! read and reviewed as it is (`eject` writes the theme's own files). Placeholders are `{{name}}`, without spaces,
//! so GitHub's `${{ ... }}` expressions pass through untouched; [`fill`]
//! replaces them in one pass, and values that land in a TOML or YAML string
//! are written with [`quote`]. No command here ever overwrites a file.
//!
//! - [`site`]: `quire init [DIR]`, the files of a new site;
//! - [`paper`]: `quire new ID`, a paper file with every field of the contract;
//! - [`eject`]: `quire theme eject`, the default theme's files written into a site.

mod eject;
mod paper;
mod site;

use std::fs;
use std::io::{ErrorKind, Write as _};
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
// Its double-quoted text reads back exactly in TOML too: the escapes agree.
use crate::text::quote;

pub use eject::{eject, Eject, EjectReport};
pub use paper::{new_paper, NewOptions};
pub use site::{init, InitOptions, InitReport};

/// Where quire's source lives: a new site's workflow installs quire from it.
pub const REPOSITORY: &str = "https://github.com/quire-ssg/quire";

/// `template` with every known `{{name}}` replaced by its value, in one
/// pass (a value is never searched for placeholders); others are kept.
fn fill(template: &str, values: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(start) = rest.find("{{") {
        out.push_str(&rest[..start]);
        let after = &rest[start + 2..];
        let known = after
            .split_once("}}")
            .and_then(|(name, tail)| values.iter().find(|(n, _)| *n == name).map(|(_, value)| (value, tail)));
        match known {
            Some((value, tail)) => {
                out.push_str(value);
                rest = tail;
            }
            None => {
                out.push_str("{{");
                rest = after;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Writes `bytes` to `path`, creating its folders, only if nothing is there:
/// `Ok(false)`, with nothing touched, when the path already exists.
fn create_new(path: &Path, bytes: impl AsRef<[u8]>) -> Result<bool> {
    if let Some(dir) = path.parent() {
        fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
    }
    match fs::OpenOptions::new().write(true).create_new(true).open(path) {
        Ok(mut file) => file.write_all(bytes.as_ref()).map(|()| true).map_err(Error::io("write", path)),
        Err(e) if e.kind() == ErrorKind::AlreadyExists => Ok(false),
        Err(e) => Err(Error::io("create", path)(e)),
    }
}

/// The files a command wrote, one a line, then those it left as they were.
fn list_files(f: &mut std::fmt::Formatter<'_>, written: &[PathBuf], skipped: &[PathBuf]) -> std::fmt::Result {
    for path in written {
        write!(f, "\n  {}", path.display())?;
    }
    if !skipped.is_empty() {
        write!(f, "\nSkipped, already there (left as they are):")?;
        for path in skipped {
            write!(f, "\n  {}", path.display())?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;

    #[test]
    fn fill_replaces_known_placeholders_once() {
        let values = [("a", "{{c}}"), ("c", "x")];
        assert_eq!(fill("{{a}} ${{ b }} {{c}} {{", &values), "{{c}} ${{ b }} x {{");
        assert_eq!(fill("no placeholder", &values), "no placeholder");
    }

    #[test]
    fn quoted_text_reads_back_in_toml_and_yaml() {
        let tricky = [
            "A \"quoted\" \\ digest",
            "tab\there, line\nbreak",
            "bell\u{7} del\u{7f} next\u{85}line\u{2028}bom\u{feff}",
            "数学 $\\textit{x}$ ☃ 𝔸",
            "'single' # not a comment",
            "",
        ];
        for s in tricky {
            let toml: BTreeMap<String, String> = toml::from_str(&format!("k = {}", quote(s))).unwrap();
            assert_eq!(toml["k"], s, "TOML {}", quote(s));
            let yaml: BTreeMap<String, String> = serde_saphyr::from_str(&format!("k: {}", quote(s))).unwrap();
            assert_eq!(yaml["k"], s, "YAML {}", quote(s));
        }
    }

    #[test]
    fn create_new_never_replaces_a_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a/b/c.txt");
        assert!(create_new(&path, "first").unwrap());
        assert!(!create_new(&path, "second").unwrap());
        assert_eq!(fs::read_to_string(&path).unwrap(), "first");
        assert!(!create_new(dir.path().join("a").as_path(), "a folder").unwrap());
    }
}
