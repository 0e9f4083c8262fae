//! Stage 2: papers -> digests.
//!
//! Papers are gathered by the period of their date ([`period::key`]); inside a
//! digest they are ordered by `order`, then by id, and numbered from 1 (the
//! footnote number of their summary-table row). Digests are listed newest
//! first. Categories and tags list their papers in the same order
//! ([`terms`]); `[[id]]` references are resolved ([`links`]). The result, [`Model`], is plain data: no template type leaks in.

pub mod links;
pub mod period;
pub mod terms;

use std::collections::BTreeMap;
use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::Period;
use crate::error::Diagnostic;
use crate::load::Paper;
pub use terms::{Term, TermKind};

/// Every paper of the site, grouped into digests.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Papers in reading order: newest digest first, digest order inside.
    /// Shared, so a rebuild after one edit reuses every other paper as is.
    pub papers: Vec<Arc<Paper>>,
    /// Digests, newest first.
    pub digests: Vec<Digest>,
    /// For each paper (same index), its digest and its 1-based number in it.
    pub placement: Vec<Placement>,
    /// Categories, by slug.
    pub categories: Vec<Term>,
    /// Tags, by slug.
    pub tags: Vec<Term>,
    /// Which papers cite which, through `[[id]]`.
    pub citations: links::Citations,
}

impl Model {
    pub fn terms(&self, kind: TermKind) -> &[Term] {
        match kind {
            TermKind::Category => &self.categories,
            TermKind::Tag => &self.tags,
        }
    }
}

/// One digest page's worth of papers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Digest {
    /// `2024-04-02`, `2024-W14` or `2024-04`.
    pub key: String,
    /// The first day of the period.
    pub start: NaiveDate,
    /// Indices into [`Model::papers`], in digest order.
    pub papers: std::ops::Range<usize>,
}

/// Where a paper sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub digest: usize,
    /// 1-based position inside the digest.
    pub number: usize,
}

/// Groups papers into digests by `period`, and lists them under their terms.
pub fn group(papers: impl IntoIterator<Item = Arc<Paper>>, period: Period) -> Result<Model, Vec<Diagnostic>> {
    let mut by_key: BTreeMap<String, Vec<Arc<Paper>>> = BTreeMap::new();
    for p in papers {
        by_key.entry(period::key(period, p.date)).or_default().push(p);
    }
    let mut site = Model::default();
    for (key, mut members) in by_key.into_iter().rev() {
        members.sort_by(digest_order);
        let first = site.papers.len();
        let digest = site.digests.len();
        let start = members.iter().map(|p| period::start(period, p.date)).min();
        for (i, p) in members.into_iter().enumerate() {
            site.papers.push(p);
            site.placement.push(Placement { digest, number: i + 1 });
        }
        site.digests.push(Digest { key, start: start.unwrap_or_default(), papers: first..site.papers.len() });
    }
    let ((categories, tags), citations) = rayon::join(
        || (terms::collect(&site.papers, TermKind::Category), terms::collect(&site.papers, TermKind::Tag)),
        || links::resolve(&site.papers),
    );
    match (categories, tags, citations) {
        (Ok(categories), Ok(tags), Ok(citations)) => Ok(Model { categories, tags, citations, ..site }),
        (categories, tags, citations) => {
            Err([categories.err(), tags.err(), citations.err()].into_iter().flatten().flatten().collect())
        }
    }
}

/// Whether `new` can take the place of `old` without grouping again: the
/// same id, date, order, draft state, categories and tags, citing the same
/// papers. Then every digest, list and citation stays as it is, and only
/// what shows the paper's text changes.
pub fn same_place(old: &Paper, new: &Paper) -> bool {
    old.id == new.id
        && old.date == new.date
        && old.order == new.order
        && old.draft == new.draft
        && old.categories == new.categories
        && old.tags == new.tags
        && links::cited_ids(old) == links::cited_ids(new)
}

/// `order` first (papers without one after those with one), then id.
fn digest_order(a: &Arc<Paper>, b: &Arc<Paper>) -> std::cmp::Ordering {
    let rank = |p: &Paper| (p.order.is_none(), p.order);
    rank(a).cmp(&rank(b)).then_with(|| a.id.cmp(&b.id))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn paper(id: &str, date: &str, order: Option<i64>) -> Arc<Paper> {
        Arc::new(Paper { order, ..Paper::example(id, date) })
    }

    fn with_terms(id: &str, date: &str, categories: &[&str]) -> Arc<Paper> {
        let mut p = (*paper(id, date, None)).clone();
        p.categories = categories.iter().map(|c| c.to_string()).collect();
        Arc::new(p)
    }

    #[test]
    fn a_paper_is_listed_under_every_category_newest_first() {
        let site = group(
            vec![
                with_terms("a", "2024-04-01", &["cs.CV", "cs.LG"]),
                with_terms("b", "2024-04-02", &["cs.LG"]),
            ],
            Period::Day,
        )
        .unwrap();
        let names: Vec<_> = site.categories.iter().map(|t| (t.slug.as_str(), t.papers.len())).collect();
        assert_eq!(names, [("cs-cv", 1), ("cs-lg", 2)]);
        let lg = &site.categories[1];
        assert_eq!(lg.papers.iter().map(|&i| site.papers[i].id.as_str()).collect::<Vec<_>>(), ["b", "a"]);
    }

    #[test]
    fn terms_sharing_a_slug_are_an_error_naming_both() {
        let err = group(
            vec![with_terms("a", "2024-04-01", &["cs.CV"]), with_terms("b", "2024-04-02", &["cs-cv"])],
            Period::Day,
        )
        .unwrap_err();
        assert_eq!(err.len(), 1);
        assert!(
            err[0].message.contains("`cs.CV`") && err[0].message.contains("`cs-cv`"),
            "{}",
            err[0].message
        );
    }

    fn ids(site: &Model, d: usize) -> Vec<&str> {
        site.papers[site.digests[d].papers.clone()].iter().map(|p| p.id.as_str()).collect()
    }

    #[test]
    fn digests_are_newest_first_and_ordered_inside() {
        let site = group(
            vec![
                paper("b", "2024-04-01", None),
                paper("c", "2024-04-02", Some(2)),
                paper("a", "2024-04-02", None),
                paper("d", "2024-04-02", Some(1)),
            ],
            Period::Day,
        )
        .unwrap();
        let keys: Vec<_> = site.digests.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(keys, ["2024-04-02", "2024-04-01"]);
        assert_eq!(ids(&site, 0), ["d", "c", "a"]);
        assert_eq!(site.placement[2], Placement { digest: 0, number: 3 });
        assert_eq!(site.placement[3], Placement { digest: 1, number: 1 });
    }

    #[test]
    fn only_text_changes_keep_a_paper_in_place() {
        let old = Paper::example("a", "2024-04-02");
        let same = |f: fn(&mut Paper)| {
            let mut new = old.clone();
            f(&mut new);
            same_place(&old, &new)
        };
        assert!(same(|p| p.title = "Another title".into()));
        assert!(same(|p| p.body = "New [text](x), and `[[code]]` is no reference".into()));
        assert!(same(|p| p.abstract_md = Some("An abstract".into())));
        assert!(!same(|p| p.date = NaiveDate::from_ymd_opt(2024, 4, 3).unwrap()));
        assert!(!same(|p| p.order = Some(1)));
        assert!(!same(|p| p.draft = true));
        assert!(!same(|p| p.categories.push("cs.AI".into())));
        assert!(!same(|p| p.tags.push("new".into())));
        assert!(!same(|p| p.body.push_str(" See [[b]].")));
    }

    #[test]
    fn weeks_gather_days_across_a_year_end() {
        let site = group(vec![paper("x", "2024-12-30", None), paper("y", "2025-01-02", None)], Period::Week)
            .unwrap();
        assert_eq!(site.digests.len(), 1);
        assert_eq!(site.digests[0].key, "2025-W01");
        assert_eq!(site.digests[0].start, NaiveDate::from_ymd_opt(2024, 12, 30).unwrap());
    }
}
