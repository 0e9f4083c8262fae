//! Stage 2: papers -> digests.
//!
//! Papers are gathered by the period of their date ([`period::key`]), and
//! again by the period of each further listing ([`entries`]); inside a
//! digest they are ordered by that listing's `order`, then by id, and
//! numbered from 1 (the footnote number of their summary-table row).
//! Digests are listed newest first. Categories and tags list each paper
//! once, in the order of their first listings ([`terms`]), and so do the
//! topics of `site.toml` that their texts match ([`topics`]); `[[id]]`
//! references are resolved ([`links`]). The result, [`Model`], is plain
//! data: no template type leaks in.

pub mod entries;
pub mod links;
pub mod period;
pub mod terms;
pub mod topics;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use chrono::NaiveDate;

use crate::config::{Period, Topic};
use crate::error::Diagnostic;
use crate::load::Paper;
pub use entries::Entry;
pub use terms::{Term, TermKind};

/// Every paper of the site, grouped into digests.
#[derive(Debug, Clone, Default)]
pub struct Model {
    /// Papers in reading order: by their first listing, newest digest first,
    /// digest order inside. Shared, so a rebuild after one edit reuses every
    /// other paper as is.
    pub papers: Vec<Arc<Paper>>,
    /// Digests, newest first.
    pub digests: Vec<Digest>,
    /// Every digest's rows, digest after digest: each digest ranges over its own.
    pub entries: Vec<Entry>,
    /// For each paper (same index), the digest of its first listing and its
    /// 1-based number there.
    pub placement: Vec<Placement>,
    /// The papers listed in more than one digest: their entries, in date
    /// order ([`Model::listings`]).
    pub relisted: BTreeMap<usize, Vec<usize>>,
    /// Categories, by slug.
    pub categories: Vec<Term>,
    /// Tags, by slug.
    pub tags: Vec<Term>,
    /// Topics: one for each of the configuration's, in its order (by slug).
    pub topics: Vec<Term>,
    /// Which papers cite which, through `[[id]]`.
    pub citations: links::Citations,
}

impl Model {
    pub fn terms(&self, kind: TermKind) -> &[Term] {
        match kind {
            TermKind::Category => &self.categories,
            TermKind::Tag => &self.tags,
            TermKind::Topic => &self.topics,
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
    /// Indices into [`Model::entries`], in digest order.
    pub entries: std::ops::Range<usize>,
}

/// Where a paper's first listing sits.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Placement {
    pub digest: usize,
    /// 1-based position inside the digest.
    pub number: usize,
}

/// A paper in one digest, before numbering: `listing` as in [`Entry`].
struct Member {
    paper: Arc<Paper>,
    listing: Option<usize>,
}

/// Groups papers into digests by `period`, and lists them under their
/// terms and the `topics` they match.
pub fn group(
    papers: impl IntoIterator<Item = Arc<Paper>>,
    period: Period,
    topics: &[Topic],
) -> Result<Model, Vec<Diagnostic>> {
    group_without(papers, &HashMap::new(), period, topics)
}

/// [`group`], with the ids of the paper files left out of this build
/// (drafts, files with a problem): a reference to one says why.
pub fn group_without(
    papers: impl IntoIterator<Item = Arc<Paper>>,
    absent: &HashMap<String, links::Absent>,
    period: Period,
    topics: &[Topic],
) -> Result<Model, Vec<Diagnostic>> {
    let mut by_key: BTreeMap<String, Vec<Member>> = BTreeMap::new();
    let mut any_further = false;
    for p in papers {
        let first = period::key(period, p.date);
        for (l, key) in entries::further(&p, period, &first) {
            any_further = true;
            by_key.entry(key).or_default().push(Member { paper: p.clone(), listing: Some(l) });
        }
        by_key.entry(first).or_default().push(Member { paper: p, listing: None });
    }
    let mut site = Model::default();
    // Entries of further listings, whose paper index is known once every
    // first listing is placed: (entry, id).
    let mut pending: Vec<(usize, Arc<Paper>)> = Vec::new();
    for (key, mut members) in by_key.into_iter().rev() {
        members.sort_by(digest_order);
        let first = site.entries.len();
        let digest = site.digests.len();
        let start =
            members.iter().map(|m| period::start(period, entries::listing_date(&m.paper, m.listing))).min();
        for (i, m) in members.into_iter().enumerate() {
            let number = i + 1;
            let paper = match m.listing {
                None => {
                    site.papers.push(m.paper);
                    site.placement.push(Placement { digest, number });
                    site.papers.len() - 1
                }
                Some(_) => {
                    pending.push((site.entries.len(), m.paper));
                    usize::MAX
                }
            };
            site.entries.push(Entry { paper, digest, number, listing: m.listing });
        }
        site.digests.push(Digest {
            key,
            start: start.unwrap_or_default(),
            entries: first..site.entries.len(),
        });
    }
    if any_further {
        place_further(&mut site, pending);
    }
    let ((categories, tags), (citations, topics)) = rayon::join(
        || (terms::collect(&site.papers, TermKind::Category), terms::collect(&site.papers, TermKind::Tag)),
        || rayon::join(|| links::resolve(&site.papers, absent), || topics::collect(&site.papers, topics)),
    );
    match (categories, tags, citations) {
        (Ok(categories), Ok(tags), Ok(citations)) => {
            Ok(Model { categories, tags, topics, citations, ..site })
        }
        (categories, tags, citations) => {
            Err([categories.err(), tags.err(), citations.err()].into_iter().flatten().flatten().collect())
        }
    }
}

/// Gives the entries of further listings their paper, and lists every
/// entry of each paper listed more than once, in date order.
fn place_further(site: &mut Model, pending: Vec<(usize, Arc<Paper>)>) {
    let index: HashMap<*const Paper, usize> =
        site.papers.iter().enumerate().map(|(i, p)| (Arc::as_ptr(p), i)).collect();
    for (e, paper) in pending {
        let p = index[&Arc::as_ptr(&paper)];
        site.entries[e].paper = p;
        let first = site.first_entry(p);
        site.relisted.entry(p).or_insert_with(|| vec![first]).push(e);
    }
    let relisted = std::mem::take(&mut site.relisted);
    site.relisted = relisted
        .into_iter()
        .map(|(p, mut all)| {
            all.sort_by_key(|&e| site.entry_date(&site.entries[e]));
            (p, all)
        })
        .collect();
}

/// Whether `new` can take the place of `old` without grouping again: the
/// same id, date, order, listings, draft state, categories and tags, in the
/// same `topics`, citing the same papers. Then every digest, list and
/// citation stays as it is, and only what shows the paper's text changes.
pub fn same_place(old: &Paper, new: &Paper, topics: &[Topic]) -> bool {
    let listing = |l: &crate::load::Listing| (l.date, l.order, l.announce_type.clone());
    old.id == new.id
        && old.date == new.date
        && old.order == new.order
        && old.draft == new.draft
        && old.categories == new.categories
        && old.tags == new.tags
        && old.listed.iter().map(listing).eq(new.listed.iter().map(listing))
        && links::cited_ids(old) == links::cited_ids(new)
        && topics::same_topics(old, new, topics)
}

/// The listing's `order` first (papers without one after those with one),
/// then id.
fn digest_order(a: &Member, b: &Member) -> std::cmp::Ordering {
    let rank = |m: &Member| {
        let order = entries::listing_order(&m.paper, m.listing);
        (order.is_none(), order)
    };
    rank(a).cmp(&rank(b)).then_with(|| a.paper.id.cmp(&b.paper.id))
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
            &[],
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
            &[],
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
        site.entries[site.digests[d].entries.clone()]
            .iter()
            .map(|e| site.papers[e.paper].id.as_str())
            .collect()
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
            &[],
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
            same_place(&old, &new, &[])
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

    fn listed(
        id: &str,
        date: &str,
        order: Option<i64>,
        listings: &[(&str, Option<i64>, &str)],
    ) -> Arc<Paper> {
        let mut p = (*paper(id, date, order)).clone();
        p.announce_type = Some("new".into());
        p.listed = listings
            .iter()
            .map(|&(d, order, t)| crate::load::Listing {
                date: crate::dates::parse_day(d).unwrap(),
                order,
                announce_type: Some(t.into()),
                line: 1,
            })
            .collect();
        Arc::new(p)
    }

    /// Each digest's rows as (id, number, announce type).
    fn rows(site: &Model, d: usize) -> Vec<(&str, usize, Option<&str>)> {
        site.entries[site.digests[d].entries.clone()]
            .iter()
            .map(|e| (site.papers[e.paper].id.as_str(), e.number, site.announce_type(e)))
            .collect()
    }

    #[test]
    fn a_paper_is_in_the_digest_of_each_listing_with_its_order_and_type() {
        let site = group(
            vec![
                listed("a", "2024-04-02", Some(1), &[("2024-04-09", Some(2), "replace")]),
                paper("b", "2024-04-09", Some(1)),
                paper("c", "2024-04-09", Some(3)),
                paper("d", "2024-04-02", Some(2)),
            ],
            Period::Day,
            &[],
        )
        .unwrap();
        assert_eq!(
            site.digests.iter().map(|d| d.key.as_str()).collect::<Vec<_>>(),
            ["2024-04-09", "2024-04-02"]
        );
        assert_eq!(rows(&site, 0), [("b", 1, None), ("a", 2, Some("replace")), ("c", 3, None)]);
        assert_eq!(rows(&site, 1), [("a", 1, Some("new")), ("d", 2, None)]);
        // One paper stays one paper, placed at its first listing.
        assert_eq!(site.papers.iter().map(|p| p.id.as_str()).collect::<Vec<_>>(), ["b", "c", "a", "d"]);
        assert_eq!(site.placement[2], Placement { digest: 1, number: 1 });
        let dates: Vec<String> =
            site.listings(2).iter().map(|&e| site.entry_date(&site.entries[e]).to_string()).collect();
        assert_eq!(dates, ["2024-04-02", "2024-04-09"]);
        assert_eq!(site.listings(0).as_ref(), [0]);
    }

    #[test]
    fn two_listings_in_one_period_show_the_paper_once_at_the_first() {
        let a = listed(
            "a",
            "2024-04-01",
            None,
            &[("2024-04-03", None, "replace"), ("2024-04-10", None, "cross")],
        );
        let b = listed(
            "b",
            "2024-04-16",
            None,
            &[("2024-04-09", None, "cross"), ("2024-04-11", None, "replace")],
        );
        let site = group(vec![a, b], Period::Week, &[]).unwrap();
        let keys: Vec<_> = site.digests.iter().map(|d| d.key.as_str()).collect();
        assert_eq!(keys, ["2024-W16", "2024-W15", "2024-W14"]);
        assert_eq!(rows(&site, 0), [("b", 1, Some("new"))]);
        assert_eq!(rows(&site, 1), [("a", 1, Some("cross")), ("b", 2, Some("cross"))]);
        assert_eq!(rows(&site, 2), [("a", 1, Some("new"))]);
        assert_eq!(site.entries.len(), 4);
    }

    #[test]
    fn a_paper_listed_again_is_under_each_category_once_at_its_first_place() {
        let mut a = (*listed("a", "2024-04-01", None, &[("2024-04-02", None, "cross")])).clone();
        a.categories = vec!["cs.LG".into(), "stat.ML".into()];
        let b = with_terms("b", "2024-04-02", &["cs.LG"]);
        let site = group(vec![Arc::new(a), b], Period::Day, &[]).unwrap();
        let lg = &site.categories[0];
        assert_eq!(lg.papers.iter().map(|&i| site.papers[i].id.as_str()).collect::<Vec<_>>(), ["b", "a"]);
        assert_eq!(site.categories[1].papers.len(), 1);
    }

    #[test]
    fn a_listing_change_takes_a_paper_out_of_its_place() {
        let old = (*listed("a", "2024-04-02", None, &[("2024-04-09", None, "replace")])).clone();
        let mut moved = old.clone();
        moved.listed[0].line = 9;
        assert!(same_place(&old, &moved, &[]), "a listing on another line is the same listing");
        moved.listed[0].announce_type = Some("cross".into());
        assert!(!same_place(&old, &moved, &[]));
        let mut more = old.clone();
        more.listed.push(crate::load::Listing { line: 1, ..old.listed[0].clone() });
        assert!(!same_place(&old, &more, &[]));
    }

    #[test]
    fn weeks_gather_days_across_a_year_end() {
        let site =
            group(vec![paper("x", "2024-12-30", None), paper("y", "2025-01-02", None)], Period::Week, &[])
                .unwrap();
        assert_eq!(site.digests.len(), 1);
        assert_eq!(site.digests[0].key, "2025-W01");
        assert_eq!(site.digests[0].start, NaiveDate::from_ymd_opt(2024, 12, 30).unwrap());
    }
}
