//! Stage 2, listings: which digests list each paper, and the rows they make.
//!
//! A paper's `date`, `order` and `announce_type` are its first listing; each
//! entry of `listed` adds another ([`crate::load::Listing`]). A digest lists
//! a paper once: a listing whose period already holds an earlier one of the
//! same paper (two days of one week) adds nothing ([`further`]). Each row of
//! a digest is an [`Entry`]: the paper, the digest, its number there and
//! which listing put it there.

use std::borrow::Cow;

use chrono::NaiveDate;

use super::{period, Model};
use crate::config::Period;
use crate::load::Paper;

/// One row of a digest: a paper as one of its listings places it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Entry {
    /// Index into [`Model::papers`].
    pub paper: usize,
    /// Index into [`Model::digests`].
    pub digest: usize,
    /// 1-based position inside the digest.
    pub number: usize,
    /// `None` for the paper's first listing (its `date`), else the index of
    /// the listing in the paper's `listed`.
    pub listing: Option<usize>,
}

/// The further listings of `paper` that show it in another digest than
/// `first` (the key of its `date`), with their digest keys: one per period,
/// the earliest of the period.
pub fn further(paper: &Paper, period: Period, first: &str) -> Vec<(usize, String)> {
    if paper.listed.is_empty() {
        return Vec::new();
    }
    let mut by_date: Vec<usize> = (0..paper.listed.len()).collect();
    by_date.sort_by_key(|&l| paper.listed[l].date);
    let mut shown: Vec<(usize, String)> = Vec::with_capacity(by_date.len());
    for l in by_date {
        let key = period::key(period, paper.listed[l].date);
        if key != first && shown.iter().all(|(_, k)| *k != key) {
            shown.push((l, key));
        }
    }
    shown
}

/// The date of one of a paper's listings.
pub fn listing_date(paper: &Paper, listing: Option<usize>) -> NaiveDate {
    listing.map_or(paper.date, |l| paper.listed[l].date)
}

/// The `order` of one of a paper's listings.
pub fn listing_order(paper: &Paper, listing: Option<usize>) -> Option<i64> {
    listing.map_or(paper.order, |l| paper.listed[l].order)
}

/// The `announce_type` of one of a paper's listings.
pub fn listing_announce_type(paper: &Paper, listing: Option<usize>) -> Option<&str> {
    match listing {
        None => paper.announce_type.as_deref(),
        Some(l) => paper.listed[l].announce_type.as_deref(),
    }
}

impl Model {
    /// The announce type an entry shows: its listing's.
    pub fn announce_type(&self, entry: &Entry) -> Option<&str> {
        listing_announce_type(&self.papers[entry.paper], entry.listing)
    }

    /// The date of the listing that made an entry.
    pub fn entry_date(&self, entry: &Entry) -> NaiveDate {
        listing_date(&self.papers[entry.paper], entry.listing)
    }

    /// The entry of paper `p`'s first listing, in the digest of its `date`.
    pub fn first_entry(&self, p: usize) -> usize {
        let place = self.placement[p];
        self.digests[place.digest].entries.start + place.number - 1
    }

    /// Every entry of paper `p`, one per digest that lists it, in date order
    /// (the first listing first, unless a listing is dated before it).
    pub fn listings(&self, p: usize) -> Cow<'_, [usize]> {
        match self.relisted.get(&p) {
            Some(all) => Cow::Borrowed(all),
            None => Cow::Owned(vec![self.first_entry(p)]),
        }
    }
}
