//! Stage 2, terms: categories and tags -> the papers listed under each.
//! Topics are terms too, whose papers are found by their words ([`super::topics`]).
//!
//! A paper is listed under every one of its categories, not only the first.
//! A term's page is `/category/<slug>/` (or `/tag/<slug>/`); two different
//! terms whose slugs are the same (`cs.CV` and `cs-cv`, `C++` and `C`) would
//! share a page, which is an error naming both.

use std::collections::BTreeMap;
use std::sync::Arc;

use crate::error::Diagnostic;
use crate::load::Paper;

/// Categories, tags or topics.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TermKind {
    Category,
    Tag,
    /// `[topics]` of `site.toml`.
    Topic,
}

impl TermKind {
    /// The first path segment of its pages, and its name in messages.
    pub fn segment(self) -> &'static str {
        match self {
            TermKind::Category => "category",
            TermKind::Tag => "tag",
            TermKind::Topic => "topic",
        }
    }

    /// A paper's terms of this kind, and where each is written.
    fn of(self, paper: &Paper) -> (&[String], &[(usize, usize)]) {
        match self {
            TermKind::Category => (&paper.categories, &paper.category_places),
            TermKind::Tag => (&paper.tags, &paper.tag_places),
            // A paper names no topic: its texts match one.
            TermKind::Topic => (&[], &[]),
        }
    }
}

/// One category, tag or topic and its papers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub name: String,
    pub slug: String,
    /// Indices into `Model::papers`, in site order (newest digest first).
    pub papers: Vec<usize>,
}

/// Gathers the terms of `kind` over `papers` (in site order), sorted by slug.
pub fn collect(papers: &[Arc<Paper>], kind: TermKind) -> Result<Vec<Term>, Vec<Diagnostic>> {
    let mut terms: BTreeMap<String, Term> = BTreeMap::new();
    let mut first_use: BTreeMap<String, usize> = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, paper) in papers.iter().enumerate() {
        let (names, places) = kind.of(paper);
        for (n, name) in names.iter().enumerate() {
            // Loading made sure the slug is not empty.
            let slug = crate::slug::term(name);
            let term = terms.entry(slug.clone()).or_insert_with(|| Term {
                name: name.clone(),
                slug,
                papers: Vec::new(),
            });
            if &term.name != name {
                let first = &papers[first_use[&term.slug]];
                let mut d = Diagnostic::new(
                    &paper.source,
                    format!(
                        "{kind} `{name}` and `{}` ({}) would share the page /{kind}/{}/",
                        term.name,
                        first.source.display(),
                        term.slug,
                        kind = kind.segment()
                    ),
                )
                .help(format!("write the {} the same way in both papers", kind.segment()));
                (d.line, d.column) = places.get(n).copied().unwrap_or_default();
                problems.push(d);
                continue;
            }
            first_use.entry(term.slug.clone()).or_insert(i);
            if term.papers.last() != Some(&i) {
                term.papers.push(i);
            }
        }
    }
    if problems.is_empty() {
        Ok(terms.into_values().collect())
    } else {
        Err(problems)
    }
}
