//! Import: a digest in the seed's format -> one paper file per paper.
//!
//! Outside the build pipeline: `quire import DIGEST.md --date YYYY-MM-DD`
//! reads a digest (a summary table, then one footnote of details per paper)
//! and writes `<into>/<date>/<id>.md` for each paper, in the content format
//! the [`crate::load`] stage reads. This module owns the command's flow:
//! check the date, read the digest, refuse to overwrite existing files
//! unless `--force`, write. The steps live beside it:
//!
//! - [`parse`]: the digest's text -> summary rows and details, with lines;
//! - [`clean`]: text rules (announce prefixes, title suffixes, ids, escapes);
//! - [`paper`]: rows + details -> clean paper records -> file text;
//! - [`yaml`]: the front matter writer.

mod clean;
mod paper;
mod parse;
mod yaml;

use std::fmt;
use std::fs;
use std::path::{Path, PathBuf};

use crate::error::{plural, Error, Result};

/// What `quire import` was asked to do.
#[derive(Debug, Clone)]
pub struct ImportOptions {
    pub digest: PathBuf,
    /// `YYYY-MM-DD`.
    pub date: String,
    pub into: PathBuf,
    pub force: bool,
}

/// What an import wrote.
#[derive(Debug, Clone, Default)]
pub struct ImportReport {
    /// The folder the papers went into, `<into>/<date>`.
    pub dir: PathBuf,
    /// Every file written, in the digest's order.
    pub written: Vec<PathBuf>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let papers = plural(self.written.len(), "paper");
        write!(f, "Imported {papers} into {}/", self.dir.display())?;
        for path in &self.written {
            write!(f, "\n  {}", path.display())?;
        }
        Ok(())
    }
}

/// Reads the digest and writes its papers; on any problem nothing is written.
pub fn import_digest(options: &ImportOptions) -> Result<ImportReport> {
    let date = crate::dates::date_argument(&options.date)?;
    let bytes = fs::read(&options.digest).map_err(Error::io("read", &options.digest))?;
    let raw = crate::error::utf8_text(&options.digest, bytes).map_err(|d| Error::Site(vec![d]))?;
    let text = clean::normalize(&raw);
    let source = parse::Source { path: &options.digest, text: &text };
    let papers = paper::papers(&source).map_err(Error::Site)?;
    let dir = options.into.join(date.format("%Y-%m-%d").to_string());
    let files: Vec<(PathBuf, String)> = papers
        .iter()
        .map(|p| (dir.join(format!("{}.md", crate::slug::paper(&p.id))), p.to_markdown(date)))
        .collect();
    if !options.force {
        refuse_existing(&files)?;
    }
    write_all(&dir, &files)?;
    Ok(ImportReport { dir, written: files.into_iter().map(|(path, _)| path).collect() })
}

/// Fails, naming them, when any of the files already exists.
fn refuse_existing(files: &[(PathBuf, String)]) -> Result<()> {
    let existing: Vec<&Path> = files.iter().map(|(p, _)| p.as_path()).filter(|p| p.exists()).collect();
    if existing.is_empty() {
        return Ok(());
    }
    let verb = if existing.len() == 1 { "exists" } else { "exist" };
    let mut message = format!(
        "{} already {verb}; nothing was written (pass --force to overwrite):",
        plural(existing.len(), "paper file")
    );
    for path in existing {
        message.push_str(&format!("\n  {}", path.display()));
    }
    Err(Error::Usage(message))
}

fn write_all(dir: &Path, files: &[(PathBuf, String)]) -> Result<()> {
    fs::create_dir_all(dir).map_err(Error::io("create", dir))?;
    for (path, text) in files {
        fs::write(path, text).map_err(Error::io("write", path))?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/import/seed-digest.md")
    }

    #[test]
    fn written_files_load_as_papers() {
        let root = tempfile::tempdir().unwrap();
        let options = ImportOptions {
            digest: fixture(),
            date: "2024-04-02".into(),
            into: root.path().join("content"),
            force: false,
        };
        let report = import_digest(&options).unwrap();
        assert_eq!(report.written.len(), 18);
        assert!(report.to_string().starts_with("Imported 18 papers into "));
        for path in &report.written {
            let paper = crate::load::load_paper(root.path(), path, crate::load::FileKind::Markdown)
                .unwrap_or_else(|d| panic!("{d:#?}"));
            assert_eq!(paper.date.to_string(), "2024-04-02");
        }
        let first = crate::load::load_paper(root.path(), &report.written[0], crate::load::FileKind::Markdown)
            .unwrap();
        assert_eq!(
            (first.id.as_str(), first.order, first.announce_type.as_deref()),
            ("2404.01300", Some(1), Some("cross"))
        );
        assert!(first.body.starts_with("由于神经场"), "{}", first.body);
    }

    #[test]
    fn existing_files_are_kept_unless_forced() {
        let root = tempfile::tempdir().unwrap();
        let mut options = ImportOptions {
            digest: fixture(),
            date: "2024-04-02".into(),
            into: root.path().to_path_buf(),
            force: false,
        };
        let report = import_digest(&options).unwrap();
        fs::write(&report.written[1], "mine").unwrap();
        let err = import_digest(&options).unwrap_err().to_string();
        assert!(err.starts_with("18 paper files already exist; nothing was written"), "{err}");
        assert!(err.contains("2403.18211.md"), "{err}");
        assert_eq!(fs::read_to_string(&report.written[1]).unwrap(), "mine");
        options.force = true;
        import_digest(&options).unwrap();
        assert_ne!(fs::read_to_string(&report.written[1]).unwrap(), "mine");
    }

    #[test]
    fn bad_digests_are_diagnostics_naming_file_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let digest = dir.path().join("bad.md");
        let text = "| Ref | Title | Summary |\n|---|---|---|\n| [^1] | [t](https://example.org/x) | s |\n\
            | [^2] | [t](https://arxiv.org/abs/2404.1) | s |\n\n[^1]: t\n\n    t\n\n    [u](https://example.org/x)\n";
        fs::write(&digest, text).unwrap();
        let options = ImportOptions {
            digest: digest.clone(),
            date: "2024-04-02".into(),
            into: dir.path().join("out"),
            force: false,
        };
        let Err(Error::Site(problems)) = import_digest(&options) else { panic!("expected diagnostics") };
        let shown: Vec<String> = problems.iter().map(|d| d.to_string()).collect();
        let name = digest.display();
        assert!(
            shown[0].starts_with(&format!("{name}:3:14: `https://example.org/x` is not an arXiv link")),
            "{shown:?}"
        );
        assert!(
            shown[1].starts_with(&format!("{name}:4:14: `https://arxiv.org/abs/2404.1` is not")),
            "{shown:?}"
        );
        assert!(shown[2].starts_with(&format!("{name}:4:3: [^2] has no details")), "{shown:?}");
        assert_eq!(shown.len(), 3);
        assert!(!dir.path().join("out").exists());
    }
}
