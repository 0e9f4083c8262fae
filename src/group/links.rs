//! Stage 2, cross-references: `[[2403.18211]]` in a paper's text names
//! another paper of the site.
//!
//! The text is scanned as the renderer shows it, with its own parser:
//! `[[...]]` inside code or inside a formula (`$[[17,1,3]]$`, quantum-code
//! notation) is left alone. A reference that names a paper of the site is
//! a citation. One shaped like an arXiv id that names none is an error at
//! its file and line (a typo of a real paper's id, or a draft left out of
//! this build, which the message says); anything else (`[[TODO]]`,
//! NumPy's `x[[0, 2]]`, a wiki link) is text. The result says, for each
//! paper, which papers it cites and which cite it.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::arxiv;
use crate::error::Diagnostic;
use crate::load::Paper;

/// Why a paper file's id names no paper of this build.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Absent {
    /// A draft, left out without `--drafts`.
    Draft,
    /// A file with a problem of its own, reported with it.
    Unread,
}

/// Who cites whom, by index into `Model::papers`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Citations {
    /// For each paper, the papers it cites, in order of first mention.
    pub cites: Vec<Vec<usize>>,
    /// For each paper, the papers that cite it, in site order.
    pub cited_by: Vec<Vec<usize>>,
}

/// The ids referenced as `[[id]]` in `text`, each with its 0-based line,
/// read exactly as the page renderer reads the text (the body as Markdown,
/// the abstract as arXiv's Markdown).
pub fn references(text: &str, arxiv: bool) -> Vec<(String, usize)> {
    crate::text::markdown::references(text, arxiv)
}

/// Resolves every reference of every paper; an unknown arXiv id is a
/// diagnostic, which says so when `absent` names it a draft.
pub fn resolve(
    papers: &[Arc<Paper>],
    absent: &HashMap<String, Absent>,
) -> Result<Citations, Vec<Diagnostic>> {
    let index: HashMap<&str, usize> = papers.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let mut citations =
        Citations { cites: vec![Vec::new(); papers.len()], cited_by: vec![Vec::new(); papers.len()] };
    let mut problems = Vec::new();
    // Scanning the texts is most of the work: in parallel, then in order.
    let found: Vec<_> =
        papers.par_iter().map(|p| texts(p).map(|(text, _, arxiv)| references(text, arxiv))).collect();
    for (i, (paper, refs)) in papers.iter().zip(found).enumerate() {
        for ((text, first_line, _), refs) in texts(paper).into_iter().zip(refs) {
            for (id, line) in refs {
                match index.get(id.as_str()) {
                    Some(&j) if !citations.cites[i].contains(&j) => citations.cites[i].push(j),
                    Some(_) => {}
                    None => match absent.get(id.as_str()) {
                        Some(Absent::Draft) => problems.push(draft(paper, &id, text, line, first_line)),
                        Some(Absent::Unread) => {}
                        None if arxiv::is_id(&id) => {
                            problems.push(unknown(paper, &id, text, line, first_line))
                        }
                        None => {}
                    },
                }
            }
        }
    }
    for (i, cited) in citations.cites.iter().enumerate() {
        for &j in cited {
            citations.cited_by[j].push(i);
        }
    }
    if problems.is_empty() {
        Ok(citations)
    } else {
        Err(problems)
    }
}

/// The ids a paper references, in order, repeats included.
pub fn cited_ids(paper: &Paper) -> Vec<String> {
    texts(paper).into_iter().flat_map(|(text, _, arxiv)| references(text, arxiv)).map(|(id, _)| id).collect()
}

/// The texts of a paper that may hold references, with their first file
/// line and whether they come from arXiv.
fn texts(paper: &Paper) -> [(&str, usize, bool); 2] {
    [
        (paper.body.as_str(), paper.body_line, false),
        (paper.abstract_md.as_deref().unwrap_or(""), paper.abstract_line, true),
    ]
}

/// An unknown reference, at `line` of `text`, which starts on file line `first_line`.
fn unknown(paper: &Paper, id: &str, text: &str, line: usize, first_line: usize) -> Diagnostic {
    at_reference(paper, id, text, line, first_line, format!("[[{id}]] names no paper of this site"))
        .help("write the id of a paper in content/, or drop the brackets")
}

/// A reference to a draft left out of this build.
fn draft(paper: &Paper, id: &str, text: &str, line: usize, first_line: usize) -> Diagnostic {
    at_reference(paper, id, text, line, first_line, format!("[[{id}]] names a draft, left out of this build"))
        .help("build (or serve) with `--drafts` to include drafts, or remove `draft: true` from that paper")
}

/// A diagnostic at the reference to `id`, on `line` of `text`, which starts
/// on file line `first_line`.
fn at_reference(
    paper: &Paper,
    id: &str,
    text: &str,
    line: usize,
    first_line: usize,
    message: String,
) -> Diagnostic {
    let source = text.lines().nth(line).unwrap_or_default();
    let at = source.find(&format!("[[{id}")).or_else(|| source.find("[["));
    let column = at.map_or(0, |b| source[..b].chars().count()) + 1;
    Diagnostic {
        line: first_line + line,
        column,
        source_line: Some(source.to_owned()),
        ..Diagnostic::new(&paper.source, message)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refs(text: &str) -> Vec<(String, usize)> {
        references(text, false)
    }

    fn owned(list: &[(&str, usize)]) -> Vec<(String, usize)> {
        list.iter().map(|(id, line)| (id.to_string(), *line)).collect()
    }

    #[test]
    fn finds_references_with_their_lines() {
        let text = "See [[2403.18211]] and [[ cs/0112017 ]].\n\nAlso [[a]][[b]].";
        assert_eq!(refs(text), owned(&[("2403.18211", 0), ("cs/0112017", 0), ("a", 2), ("b", 2)]));
    }

    #[test]
    fn code_is_left_alone() {
        let text = "`[[x]]` is code\n```\n[[y]]\n```\n[[z]] ~~~";
        assert_eq!(refs(text), owned(&[("z", 4)]));
    }

    #[test]
    fn math_is_left_alone_as_the_renderer_reads_it() {
        let text = "A $[[17,1,3]]$ code, $$[[n,k,d]]$$, \\([[4,2,2]]\\) and\n\\[\n[[5,1,3]]\n\\]\nbut [[x]] here\n$$\nq\n$$ and [[y]].";
        assert_eq!(refs(text), owned(&[("x", 4), ("y", 7)]));
        assert_eq!(refs("costs $5 and [[z]] for $10"), owned(&[("z", 0)]), "currency is no formula");
    }

    fn site(texts: &[(&str, &str)]) -> Vec<Arc<Paper>> {
        texts
            .iter()
            .map(|(id, body)| Arc::new(Paper { body: body.to_string(), ..Paper::example(id, "2024-04-02") }))
            .collect()
    }

    #[test]
    fn only_unknown_arxiv_ids_are_errors_and_a_draft_says_so() {
        let papers = site(&[
            ("2404.01300", "cites [[2404.01301]] and [[note]]"),
            (
                "note",
                "x[[0, 2]] [[TODO]] [[foo]] [[2404.013]] [[2404.99999v2]] [[2404.77777]] [[2404.88888]]",
            ),
        ]);
        let absent = HashMap::from([
            ("2404.77777".to_owned(), Absent::Draft),
            ("2404.88888".to_owned(), Absent::Unread),
        ]);
        let problems = resolve(&papers, &absent).unwrap_err();
        let messages: Vec<&str> = problems.iter().map(|d| d.message.as_str()).collect();
        assert_eq!(
            messages,
            [
                "[[2404.01301]] names no paper of this site",
                "[[2404.99999v2]] names no paper of this site",
                "[[2404.77777]] names a draft, left out of this build"
            ]
        );
        assert!(problems[2].help.as_deref().unwrap().contains("--drafts"), "{:?}", problems[2]);
        assert_eq!(problems[2].column, 58, "{:?}", problems[2]);
        let fixed = site(&[("2404.01300", "cites [[note]] and [[TODO]]"), ("note", "x")]);
        let citations = resolve(&fixed, &HashMap::new()).unwrap();
        assert_eq!(citations.cites, [vec![1], vec![]]);
    }

    #[test]
    fn brackets_that_are_not_references_are_ignored() {
        assert!(refs("[[]] [[ ]] [[a [b]] [link](x) [^1]").is_empty());
    }
}
