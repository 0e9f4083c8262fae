//! Stage 2, cross-references: `[[2403.18211]]` in a paper's text names
//! another paper of the site.
//!
//! The text is scanned as Markdown would show it: `[[...]]` inside inline
//! code or a fenced code block is left alone. Every reference must name a
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

/// The ids referenced as `[[id]]` in `text`, each with its 0-based line.
pub fn references(text: &str) -> Vec<(&str, usize)> {
    let mut found = Vec::new();
    let mut fence: Option<&str> = None;
    for (n, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if let Some(open) = fence {
            if trimmed.starts_with(open) {
                fence = None;
            }
            continue;
        }
        if trimmed.starts_with("```") || trimmed.starts_with("~~~") {
            fence = Some(&trimmed[..3]);
            continue;
        }
        found.extend(in_line(line).into_iter().map(|id| (id, n)));
    }
    found
}

/// `[[id]]` in one line, outside backtick code spans.
fn in_line(line: &str) -> Vec<&str> {
    let mut ids = Vec::new();
    for (i, part) in line.split('`').enumerate() {
        if i % 2 == 1 {
            continue;
        }
        let mut rest = part;
        while let Some(start) = rest.find("[[") {
            let after = &rest[start + 2..];
            let Some(end) = after.find("]]") else { break };
            let id = after[..end].trim();
            if !id.is_empty() && !id.contains(['[', ']']) {
                ids.push(id);
            }
            rest = &after[end + 2..];
        }
    }
    ids
}

/// Resolves every reference of every paper; unknown ids are diagnostics.
pub fn resolve(papers: &[Arc<Paper>]) -> Result<Citations, Vec<Diagnostic>> {
    let index: HashMap<&str, usize> = papers.iter().enumerate().map(|(i, p)| (p.id.as_str(), i)).collect();
    let mut citations =
        Citations { cites: vec![Vec::new(); papers.len()], cited_by: vec![Vec::new(); papers.len()] };
    let mut problems = Vec::new();
    // Scanning the texts is most of the work: in parallel, then in order.
    let found: Vec<_> = papers.par_iter().map(|p| texts(p).map(|(text, _)| references(text))).collect();
    for (i, (paper, refs)) in papers.iter().zip(found).enumerate() {
        for ((text, first_line), refs) in texts(paper).into_iter().zip(refs) {
            for (id, line) in refs {
                match index.get(id) {
                    Some(&j) if !citations.cites[i].contains(&j) => citations.cites[i].push(j),
                    Some(_) => {}
                    None => problems.push(unknown(paper, id, text, line, first_line)),
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
pub fn cited_ids(paper: &Paper) -> Vec<&str> {
    texts(paper).into_iter().flat_map(|(text, _)| references(text)).map(|(id, _)| id).collect()
}

/// The texts of a paper that may hold references, with their first file line.
fn texts(paper: &Paper) -> [(&str, usize); 2] {
    [
        (paper.body.as_str(), paper.body_line),
        (paper.abstract_md.as_deref().unwrap_or(""), paper.abstract_line),
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

    #[test]
    fn finds_references_with_their_lines() {
        let text = "See [[2403.18211]] and [[ cs/0112017 ]].\n\nAlso [[a]][[b]].";
        assert_eq!(references(text), [("2403.18211", 0), ("cs/0112017", 0), ("a", 2), ("b", 2)]);
    }

    #[test]
    fn code_is_left_alone() {
        let text = "`[[x]]` is code\n```\n[[y]]\n```\n[[z]] ~~~";
        assert_eq!(references(text), [("z", 4)]);
    }

    #[test]
    fn brackets_that_are_not_references_are_ignored() {
        assert!(references("[[]] [[ ]] [[a [b]] [link](x) [^1]").is_empty());
    }
}
