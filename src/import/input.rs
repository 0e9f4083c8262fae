//! Import, finding what to read and where it goes: the PATH arguments as
//! inputs (a file, every file of a known kind in a folder, or `-` for
//! standard input), the format of each, what its name says (a date, a
//! category), and the site the papers go into.

use std::fs::File;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use rayon::prelude::*;
use walkdir::WalkDir;

use super::arxiv;
use super::formats::{detect, Format};
use crate::dates::parse_day as parse_date;
use crate::error::{Error, Result};
use crate::layout::{is_ignored_name, CONTENT_DIR};

/// How many bytes of an input are read to recognise its format.
const HEAD: u64 = 16 * 1024;

/// Extensions of the files a folder is searched for.
const EXTENSIONS: &[&str] = &["md", "markdown", "json", "jsonl", "ndjson", "xml", "atom", "rss"];

/// One input and its format.
pub struct Input {
    /// As the user named it (`<stdin>` for `-`).
    pub shown: PathBuf,
    pub format: Format,
    /// Standard input's first bytes, already read to recognise it.
    stdin_head: Option<Vec<u8>>,
}

impl Input {
    /// The input's bytes from the start.
    pub fn open(&self) -> Result<Box<dyn Read + Send>> {
        match &self.stdin_head {
            Some(head) => Ok(Box::new(Cursor::new(head.clone()).chain(std::io::stdin()))),
            None => Ok(Box::new(File::open(&self.shown).map_err(Error::io("read", &self.shown))?)),
        }
    }

    /// A `YYYY-MM-DD` in the input's file name, else in its nearest folder so named.
    pub fn path_date(&self) -> Option<NaiveDate> {
        self.stdin_head.is_none().then_some(())?;
        self.shown.iter().rev().find_map(|part| date_in(&part.to_string_lossy()))
    }

    /// The category the file is named after (`cs.LG.md`).
    pub fn category(&self) -> Option<String> {
        self.stdin_head.is_none().then_some(())?;
        arxiv::category_of_file_name(&self.shown.file_name()?.to_string_lossy())
    }
}

/// The first `YYYY-MM-DD` written in `name`.
fn date_in(name: &str) -> Option<NaiveDate> {
    let bytes = name.as_bytes();
    (0..bytes.len().saturating_sub(9)).find_map(|i| {
        let candidate = name.get(i..i + 10)?;
        let bounded = |j: usize| bytes.get(j).is_none_or(|b| !b.is_ascii_digit());
        (bounded(i.wrapping_sub(1)) && bounded(i + 10)).then(|| parse_date(candidate)).flatten()
    })
}

/// Every input named by `paths`, in order, each with its format (`from`, or
/// recognised from its first bytes). Inputs whose format cannot be told
/// are one error naming them all.
pub fn gather(paths: &[PathBuf], from: Option<Format>) -> Result<Vec<Input>> {
    let mut inputs = Vec::new();
    let mut unknown = Vec::new();
    for path in paths {
        let files = if path.as_os_str() == "-" {
            let mut head = Vec::new();
            std::io::stdin().take(HEAD).read_to_end(&mut head).map_err(Error::io("read", "<stdin>"))?;
            let shown = PathBuf::from("<stdin>");
            match from.map_or_else(|| detect(&String::from_utf8_lossy(&head)), |f| vec![f]).as_slice() {
                [format] => inputs.push(Input { shown, format: *format, stdin_head: Some(head) }),
                found => unknown.push(unknown_format(&shown, found)),
            }
            continue;
        } else if path.is_dir() {
            folder_files(path)?
        } else if path.is_file() {
            vec![path.clone()]
        } else {
            return Err(Error::Usage(format!("cannot read {}: no such file or folder", path.display())));
        };
        let found: Vec<Result<Vec<Format>>> = files
            .par_iter()
            .map(|file| match from {
                Some(format) => Ok(vec![format]),
                None => Ok(detect(&head_of(file)?)),
            })
            .collect();
        for (file, found) in files.into_iter().zip(found) {
            match found?.as_slice() {
                [format] => inputs.push(Input { shown: file, format: *format, stdin_head: None }),
                found => unknown.push(unknown_format(&file, found)),
            }
        }
    }
    if !unknown.is_empty() {
        return Err(Error::Usage(format!(
            "cannot tell the format of {}; nothing was imported:\n  {}\n(pass --from FORMAT, one of: {})",
            crate::error::plural(unknown.len(), "input"),
            unknown.join("\n  "),
            Format::names()
        )));
    }
    Ok(inputs)
}

fn unknown_format(path: &Path, found: &[Format]) -> String {
    match found {
        [] => format!("{}: fits no format quire reads", path.display()),
        several => {
            let names: Vec<&str> = several.iter().map(|f| f.name()).collect();
            format!("{}: fits several formats ({})", path.display(), names.join(", "))
        }
    }
}

fn head_of(path: &Path) -> Result<String> {
    let mut head = Vec::new();
    File::open(path).and_then(|f| f.take(HEAD).read_to_end(&mut head)).map_err(Error::io("read", path))?;
    // The head may end inside a character, and hold bytes that are not UTF-8
    // (the format's reader names them).
    match std::str::from_utf8(&head) {
        Err(e) if e.error_len().is_some() => Ok(String::from_utf8_lossy(&head).into_owned()),
        Err(e) => {
            head.truncate(e.valid_up_to());
            Ok(String::from_utf8(head).unwrap_or_default())
        }
        Ok(_) => Ok(String::from_utf8(head).unwrap_or_default()),
    }
}

/// The files of a folder (any depth) with the extension of a format, by path.
fn folder_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    let walker = WalkDir::new(dir)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.depth() == 0 || !is_ignored_name(&e.file_name().to_string_lossy()));
    for entry in walker {
        let entry = entry.map_err(|e| Error::Io {
            action: "read",
            path: e.path().unwrap_or(dir).to_path_buf(),
            source: e.into(),
        })?;
        let name = entry.file_name().to_string_lossy().to_ascii_lowercase();
        let known = name.rsplit_once('.').is_some_and(|(_, ext)| EXTENSIONS.contains(&ext));
        if entry.file_type().is_file() && known {
            files.push(entry.into_path());
        }
    }
    Ok(files)
}

/// Where an import writes: the content folder searched for existing papers
/// (and holding the import record), and the site's language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    pub content: PathBuf,
    pub language: String,
}

/// The site is the nearest folder holding `site.toml` at or above `into`.
/// `into` must be inside that site's `content/` (anywhere else in a site,
/// `static/`, `public/` or the site's own folder, papers are never built),
/// and then the whole `content/` is searched. Outside any site, `into` is
/// searched alone. The language is the site's (`en` without a site); a
/// `site.toml` with a mistake is an error, as in a build.
pub fn target(into: &Path) -> Result<Target> {
    let absolute = lexically_normal(&std::path::absolute(into).unwrap_or_else(|_| into.to_path_buf()));
    let root = absolute.ancestors().find(|dir| dir.join(crate::layout::CONFIG_FILE).is_file());
    if let Some(root) = root.filter(|root| !absolute.starts_with(root.join(CONTENT_DIR))) {
        return Err(Error::Usage(format!(
            "--into {} is in the site at {} but not in its {CONTENT_DIR}/ folder, where papers must be \
             to be built (static/ is copied as it is, public/ is replaced by every build): import into \
             {CONTENT_DIR}/ (the default) or a folder inside it",
            into.display(),
            root.display()
        )));
    }
    let content = root.and_then(|root| {
        let content = root.join(CONTENT_DIR);
        absolute.starts_with(&content).then(|| {
            // The content folder as the user wrote `into` (a relative path stays relative).
            let depth = absolute.components().count() - content.components().count();
            let mut shown = into.to_path_buf();
            for _ in 0..depth {
                match shown.parent() {
                    Some(parent) if shown.file_name().is_some() => shown = parent.to_path_buf(),
                    _ => return content,
                }
            }
            if shown.as_os_str().is_empty() {
                shown = PathBuf::from(".");
            }
            shown
        })
    });
    let language = match root {
        Some(root) => crate::config::SiteConfig::load(root)?.language,
        None => "en".into(),
    };
    Ok(Target { content: content.unwrap_or_else(|| into.to_path_buf()), language })
}

/// `path` with its `.` and `..` parts resolved as written (`content/../static`
/// is `static`), as a site's folders are compared.
fn lexically_normal(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            std::path::Component::CurDir => {}
            std::path::Component::ParentDir => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_are_found_in_names() {
        let date = |s| date_in(s).map(|d| d.to_string());
        assert_eq!(date("2024-04-02_AI_enhanced_Chinese.jsonl").as_deref(), Some("2024-04-02"));
        assert_eq!(date("cs.LG-2024-04-02.md").as_deref(), Some("2024-04-02"));
        assert_eq!(date("2404.01300.json"), None);
        assert_eq!(date("12024-04-02.md"), None);
        assert_eq!(date("2024-02-30.md"), None);
        let input = Input { shown: "a/2024-04-03/cs.CV/x.xml".into(), format: Format::Rss, stdin_head: None };
        assert_eq!(input.path_date().map(|d| d.to_string()).as_deref(), Some("2024-04-03"));
        let input = Input { shown: "feeds/cs.CV.xml".into(), format: Format::Rss, stdin_head: None };
        assert_eq!(input.category().as_deref(), Some("cs.CV"));
    }

    #[test]
    fn the_target_is_the_sites_content_folder_and_nowhere_else_in_the_site() {
        let site = tempfile::tempdir().unwrap();
        std::fs::write(site.path().join("site.toml"), "title = \"T\"\nbase_url = \"/\"\nlanguage = \"zh\"\n")
            .unwrap();
        let content = site.path().join("content");
        let t = target(&content.join("2024")).unwrap();
        assert_eq!((t.content, t.language.as_str()), (content.clone(), "zh"));
        for elsewhere in ["static", "public", ".", "content/../static", "elsewhere"] {
            let Err(Error::Usage(why)) = target(&site.path().join(elsewhere)) else {
                panic!("{elsewhere} taken")
            };
            assert!(why.contains("but not in its content/ folder"), "{why}");
        }
        let bare = tempfile::tempdir().unwrap();
        let t = target(bare.path()).unwrap();
        assert_eq!(t, Target { content: bare.path().to_path_buf(), language: "en".into() });
        std::fs::write(site.path().join("site.toml"), "title = \"T\"\nlanguag = \"zh\"\n").unwrap();
        let Err(Error::Site(problems)) = target(&content) else {
            panic!("a site.toml with a mistake is an error")
        };
        assert_eq!((problems[0].path.to_str(), problems[0].line), (Some("site.toml"), 2));
    }

    #[test]
    fn folders_give_their_files_of_known_kinds_in_order_and_unknown_formats_are_named() {
        let dir = tempfile::tempdir().unwrap();
        let write = |rel: &str, text: &str| {
            let path = dir.path().join(rel);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, text).unwrap();
        };
        write("b/2024-04-02.jsonl", "{\"id\": \"2404.00001\", \"categories\": [], \"summary\": \"s\"}\n");
        write("a/feed.xml", "<rss version=\"2.0\"><channel></channel></rss>");
        write("a/picture.png", "not read");
        write(".hidden/x.md", "not read");
        let inputs = gather(&[dir.path().to_path_buf()], None).unwrap();
        let got: Vec<_> =
            inputs.iter().map(|i| (i.shown.strip_prefix(dir.path()).unwrap().to_owned(), i.format)).collect();
        assert_eq!(
            got,
            [
                (PathBuf::from("a/feed.xml"), Format::Rss),
                (PathBuf::from("b/2024-04-02.jsonl"), Format::Jsonl)
            ]
        );
        write("c/notes.md", "# Notes\n");
        let Err(Error::Usage(message)) = gather(&[dir.path().to_path_buf()], None) else { panic!() };
        assert!(message.contains("notes.md: fits no format quire reads"), "{message}");
        assert_eq!(gather(&[dir.path().join("c/notes.md")], Some(Format::Digest)).unwrap().len(), 1);
    }
}
