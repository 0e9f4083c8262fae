//! Import, a paper's code: the address of its repository, from a
//! producer's own field (Hugging Face's `githubRepo`), else from the first
//! GitHub or GitLab repository its arXiv comment or its abstract links to
//! (`Code: https://github.com/owner/repo`, `\url{github.com/owner/repo}`).
//! Every reader's records pass through [`fill`], so every format finds them
//! the same way.

use super::record::{Item, Record};

/// Gives `item`'s record a `code` found in its comment or abstract when its
/// producer gave none.
pub fn fill(item: Item) -> Item {
    match item {
        Item::Paper(mut record) if record.code.is_none() => {
            record.code = found(&record);
            Item::Paper(record)
        }
        other => other,
    }
}

/// The first repository in the record's comment, else in its abstract.
fn found(record: &Record) -> Option<String> {
    let comment = record.extra.iter().find(|(key, _)| *key == "comment").and_then(|(_, v)| v.as_str());
    comment.and_then(repository).or_else(|| record.abstract_md.as_deref().and_then(repository))
}

/// The first GitHub or GitLab repository `text` links to, as
/// `https://github.com/owner/repo`: its page, whatever file or branch the
/// link points into.
pub fn repository(text: &str) -> Option<String> {
    let lower = text.to_ascii_lowercase();
    let lower = lower.as_str();
    HOSTS
        .iter()
        .flat_map(|&(host, nested)| {
            lower.match_indices(host).filter_map(move |(at, _)| {
                let path =
                    at_boundary(&lower[..at]).then(|| repository_path(&text[at + host.len()..], nested));
                Some((at, format!("https://{host}{}", path??)))
            })
        })
        .min_by_key(|(at, _)| *at)
        .map(|(_, url)| url)
}

/// Each host, and whether a project may sit in nested groups (GitLab's
/// `group/subgroup/project`) rather than always at `owner/repo`.
const HOSTS: &[(&str, bool)] = &[("github.com/", false), ("gitlab.com/", true)];

/// Pages of GitHub that are no user's repository.
const NOT_OWNERS: &[&str] = &["orgs", "topics", "features", "sponsors", "marketplace", "collections", "apps"];

/// Where a GitLab path stops naming the project: its pages under it.
const GITLAB_PAGES: &[&str] = &["-", "tree", "blob", "issues", "merge_requests", "wikis"];

/// Whether a host name starting after `before` is the host itself: at the
/// start of a word, after `https://`, `http://` or `www.` (not inside
/// `gist.github.com` or `notgithub.com`).
fn at_boundary(before: &str) -> bool {
    let before = before.strip_suffix("www.").unwrap_or(before);
    let before = before.strip_suffix("https://").or_else(|| before.strip_suffix("http://")).unwrap_or(before);
    before.chars().next_back().is_none_or(|c| !(c.is_alphanumeric() || matches!(c, '.' | '-' | '/' | '@')))
}

/// `owner/repo` from the path after the host (`owner/repo/tree/main`,
/// `owner/repo.git`, `owner/repo.` at a sentence's end), if it names one.
fn repository_path(path: &str, nested: bool) -> Option<String> {
    let mut segments = Vec::new();
    for segment in path.split('/') {
        let name: &str = &segment[..segment.find(|c: char| !is_name(c)).unwrap_or(segment.len())];
        let name = name.trim_end_matches('.');
        let name = name.strip_suffix(".git").unwrap_or(name);
        let ends_here = name.len() < segment.len();
        if name.is_empty() || (nested && GITLAB_PAGES.contains(&name)) {
            break;
        }
        segments.push(name);
        if ends_here || (!nested && segments.len() == 2) {
            break;
        }
    }
    let owner = segments.first()?;
    (segments.len() >= 2 && !NOT_OWNERS.contains(&owner.to_ascii_lowercase().as_str()))
        .then(|| segments.join("/"))
}

/// A character of an owner's, a group's or a repository's name.
fn is_name(c: char) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')
}

#[cfg(test)]
mod tests {
    use serde_json::Value as Json;

    use super::*;

    #[test]
    fn repositories_are_found_in_the_shapes_abstracts_write_them() {
        let cases = [
            (
                "Code is available at https://github.com/ada/crane-folding.",
                "https://github.com/ada/crane-folding",
            ),
            ("Code: \\url{https://github.com/Ada-L/nerf_mae}", "https://github.com/Ada-L/nerf_mae"),
            ("see github.com/ada/x.y/tree/main/src for details", "https://github.com/ada/x.y"),
            ("[code](https://www.github.com/ada/repo.git)", "https://github.com/ada/repo"),
            ("HTTPS://GitHub.com/Ada/Repo)", "https://github.com/Ada/Repo"),
            ("at https://gitlab.com/group/sub/project/-/tree/main", "https://gitlab.com/group/sub/project"),
            ("gitlab.com/ada/clouds.", "https://gitlab.com/ada/clouds"),
            ("first gitlab.com/a/one, then https://github.com/b/two", "https://gitlab.com/a/one"),
        ];
        for (text, url) in cases {
            assert_eq!(repository(text).as_deref(), Some(url), "{text}");
        }
        for text in [
            "no link here",
            "https://github.com/ada",
            "https://github.com/ada/",
            "https://github.com/orgs/ada/repositories",
            "https://gist.github.com/ada/abc123",
            "https://notgithub.com/ada/repo",
            "https://ada.github.io/project/",
            "git@github.com:ada/repo.git",
            "https://gitlab.com/-/snippets/1",
        ] {
            assert_eq!(repository(text), None, "{text}");
        }
    }

    fn record(abstract_md: &str, comment: Option<&str>, code: Option<&str>) -> Item {
        Item::Paper(Box::new(Record {
            abstract_md: Some(abstract_md.into()),
            extra: comment.map(|c| ("comment", Json::from(c))).into_iter().collect(),
            code: code.map(str::to_owned),
            ..Record::default()
        }))
    }

    fn code_of(item: Item) -> Option<String> {
        match fill(item) {
            Item::Paper(r) => r.code,
            Item::Skipped(_) => unreachable!(),
        }
    }

    #[test]
    fn a_producers_field_comes_first_then_the_comment_then_the_abstract() {
        let abstract_md = "Baselines from https://github.com/other/baseline.";
        assert_eq!(
            code_of(record(abstract_md, Some("Code: github.com/ada/ours"), None)).as_deref(),
            Some("https://github.com/ada/ours")
        );
        assert_eq!(
            code_of(record(abstract_md, Some("9 pages"), None)).as_deref(),
            Some("https://github.com/other/baseline")
        );
        let given = record(abstract_md, None, Some("https://huggingface.co/spaces/ada/demo"));
        assert_eq!(code_of(given).as_deref(), Some("https://huggingface.co/spaces/ada/demo"));
        assert_eq!(code_of(record("Nothing.", None, None)), None);
    }
}
