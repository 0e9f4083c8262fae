//! Stage 2, cross-references: `[[2403.18211]]` in a paper's text names
//! another paper of the site.
//!
//! The text is scanned as the renderer shows it, with its own parser:
//! `[[...]]` inside code or inside a formula (`$[[17,1,3]]$`, quantum-code
//! notation) is left alone. Every reference must name a
//! paper of the site; an unknown id is an error at its file and line. The
//! result says, for each paper, which papers it cites and which cite it.

use std::collections::HashMap;
use std::sync::Arc;

use rayon::prelude::*;

use crate::error::Diagnostic;
use crate::load::Paper;

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

/// Resolves every reference of every paper; unknown ids are diagnostics.
pub fn resolve(papers: &[Arc<Paper>]) -> Result<Citations, Vec<Diagnostic>> {
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
                    None => problems.push(unknown(paper, &id, text, line, first_line)),
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
    let source = text.lines().nth(line).unwrap_or_default();
    let at = source.find(&format!("[[{id}")).or_else(|| source.find("[["));
    let column = at.map_or(0, |b| source[..b].chars().count()) + 1;
    Diagnostic {
        line: first_line + line,
        column,
        source_line: Some(source.to_owned()),
        ..Diagnostic::new(&paper.source, format!("[[{id}]] names no paper of this site"))
            .help("write the id of a paper in content/, or drop the brackets")
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

    #[test]
    fn brackets_that_are_not_references_are_ignored() {
        assert!(refs("[[]] [[ ]] [[a [b]] [link](x) [^1]").is_empty());
    }
}
