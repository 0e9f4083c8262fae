//! The import picture of `docs/architecture.md` is the code's: every
//! `crate::...` (and `super::...`) path in `src/` names a module its own
//! module may use there, and the picture has no cycle.
//!
//! A module is a top-level module of the crate (`render`, `site`...), or a
//! part of the text engine (`text::markdown`...) for the engine's own files,
//! so the picture keeps the engine free of cycles too. Items of the crate
//! root (`crate::build`, `crate::built_line`) are the module `lib`. Comments
//! are not read; test code is held to the same picture (an inline
//! `mod tests {` is taken to run to the end of its file).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Module -> the modules it may use, from the table between the
/// `<!-- imports -->` markers of `docs/architecture.md`.
fn picture(doc: &str) -> BTreeMap<String, BTreeSet<String>> {
    let start = doc.find("<!-- imports -->").expect("the doc marks its import picture");
    let end = doc[start..].find("<!-- /imports -->").expect("and its end") + start;
    let mut rules = BTreeMap::new();
    for row in doc[start..end].lines().filter(|l| l.starts_with("| `")) {
        let cells: Vec<&str> = row.trim_matches('|').split('|').map(str::trim).collect();
        let names = |cell: &str| -> BTreeSet<String> {
            cell.split('`').skip(1).step_by(2).map(str::to_owned).collect()
        };
        let module = names(cells[0]).into_iter().next().unwrap();
        rules.insert(module, names(cells.last().unwrap()));
    }
    rules
}

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).unwrap().flatten() {
        let path = entry.path();
        if path.is_dir() {
            files.extend(sources(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            files.push(path);
        }
    }
    files
}

/// The module path of a file: `src/text/tex/mod.rs` -> `["text", "tex"]`.
fn module_path(src: &Path, file: &Path) -> Vec<String> {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut path: Vec<String> = rel.iter().map(|c| c.to_string_lossy().into_owned()).collect();
    if path.last().is_some_and(|l| l == "mod") {
        path.pop();
    }
    path
}

/// The module of the picture a module path belongs to.
fn unit(path: &[String], modules: &BTreeSet<String>, in_text: bool) -> String {
    let Some(top) = path.first() else { return "lib".into() };
    if !modules.contains(top) {
        return "lib".into(); // An item of the crate root.
    }
    match path.get(1) {
        Some(part) if top == "text" && in_text && modules.contains(&format!("text::{part}")) => {
            format!("text::{part}")
        }
        _ => top.clone(),
    }
}

/// The module paths a line of code names through `crate::` or `super::`,
/// from the file at module path `here` (`use super::{html, math}` names two).
fn named(code: &str, here: &[String]) -> Vec<Vec<String>> {
    let mut found = Vec::new();
    let mut rest = code;
    while let Some(at) = rest.find("crate::").into_iter().chain(rest.find("super::")).min() {
        let before = rest[..at].chars().last();
        let word = &rest[at..];
        rest = &rest[at + 1..];
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_' || c == ':') {
            continue;
        }
        let (mut base, mut tail) = if let Some(t) = word.strip_prefix("crate::") {
            (Vec::new(), t)
        } else {
            let mut base = here.to_vec();
            let mut t = word;
            while let Some(next) = t.strip_prefix("super::") {
                base.pop();
                t = next;
            }
            (base, t)
        };
        if let Some(list) = tail.strip_prefix('{') {
            let inner = &list[..list.find('}').unwrap_or(list.len())];
            for item in inner.split(',') {
                let name: String =
                    item.trim().chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
                if !name.is_empty() && name != "self" {
                    found.push([base.clone(), vec![name]].concat());
                }
            }
            continue;
        }
        while let Some((name, next)) = tail.split_once("::") {
            base.push(name.to_owned());
            tail = next;
            if base.len() >= 2 {
                break;
            }
        }
        let name: String = tail.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
        if name.is_empty() && base.len() < 2 {
            continue; // `use super::*`: what a test module takes from the module it tests.
        }
        if base.len() < 2 {
            base.push(name);
        }
        found.push(base);
    }
    found
}

#[test]
fn every_import_follows_the_architecture_picture() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let doc = std::fs::read_to_string(root.join("docs/architecture.md")).unwrap();
    let rules = picture(&doc);
    let modules: BTreeSet<String> = rules.keys().cloned().collect();
    let src = root.join("src");
    let mut broken = Vec::new();
    let mut seen = BTreeSet::new();
    for file in sources(&src) {
        let here = module_path(&src, &file);
        if matches!(here.as_slice(), [m] if m == "lib" || m == "main") {
            continue; // The crate root and the binary may use any module.
        }
        let in_text = here.first().is_some_and(|m| m == "text");
        let from = unit(&here, &modules, in_text);
        assert!(rules.contains_key(&from), "{} is in no row of the picture", file.display());
        seen.insert(from.clone());
        let text = std::fs::read_to_string(&file).unwrap();
        // Inside an inline module (`mod tests {`, at the end of a file),
        // `super` is one level deeper.
        let mut inner = here.clone();
        for (n, line) in text.lines().enumerate() {
            let code = line.split("//").next().unwrap_or_default();
            if let Some(name) = code.trim().strip_prefix("mod ").and_then(|m| m.strip_suffix(" {")) {
                inner.push(name.to_owned());
            }
            for path in named(code, &inner) {
                let to = unit(&path, &modules, in_text);
                if to != from && !rules[&from].contains(&to) {
                    let shown = file.strip_prefix(root).unwrap().display().to_string();
                    broken.push(format!("{shown}:{}: `{from}` uses `{to}`: {}", n + 1, line.trim()));
                }
            }
        }
    }
    assert!(broken.is_empty(), "imports the picture does not allow:\n{}", broken.join("\n"));
    let missing: Vec<_> = modules.iter().filter(|m| *m != "lib" && !seen.contains(*m)).collect();
    assert!(missing.is_empty(), "rows of the picture with no module in src/: {missing:?}");
}

#[test]
fn the_architecture_picture_has_no_cycle() {
    let doc =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/architecture.md")).unwrap();
    let rules = picture(&doc);
    // Take away, again and again, the modules that use none of those left.
    let mut left: BTreeSet<&String> = rules.keys().collect();
    loop {
        let leaves: Vec<&String> =
            left.iter().copied().filter(|m| rules[*m].iter().all(|u| !left.contains(u) || u == *m)).collect();
        if leaves.is_empty() {
            break;
        }
        for module in leaves {
            left.remove(module);
        }
    }
    assert!(left.is_empty(), "these modules use each other in a cycle: {left:?}");
    for (module, uses) in &rules {
        for used in uses {
            assert!(rules.contains_key(used), "`{module}` may use `{used}`, which has no row");
        }
    }
}

#[test]
fn a_forbidden_import_is_caught() {
    let rules = picture("<!-- imports -->\n| `a` | x | `b` |\n| `b` | y | |\n<!-- /imports -->");
    assert_eq!(rules["a"], BTreeSet::from(["b".to_owned()]));
    assert!(rules["b"].is_empty());
    let here = vec!["text".to_owned(), "tex".to_owned()];
    assert_eq!(
        named("use super::{html, math};", &here),
        [vec!["text".to_owned(), "html".to_owned()], vec!["text".to_owned(), "math".to_owned()]]
    );
    let render = vec!["render".to_owned(), "pages".to_owned()];
    let path = |a: &str, b: &str| vec![vec![a.to_owned(), b.to_owned()]];
    assert_eq!(named("use crate::text::markdown::{x, y};", &render), path("text", "markdown"));
    assert_eq!(named("let a = crate::group::group(x);", &render), path("group", "group"));
    assert_eq!(named("use super::search;", &render), path("render", "search"));
    assert!(named("use super::*;", &render).is_empty());
    let modules = ["text", "text::html", "render"].map(str::to_owned).into();
    assert_eq!(unit(&["text".into(), "html".into()], &modules, true), "text::html");
    assert_eq!(unit(&["text".into(), "html".into()], &modules, false), "text");
    assert_eq!(unit(&["built_line".into()], &modules, false), "lib");
}
