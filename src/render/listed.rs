//! Stage 3, a paper in several digests: what a row of a further listing
//! shows instead of the paper's first place ([`ListedAs`]), and the digests
//! a paper's page names ([`listings`]). The values join the theme's
//! interface (`docs/themes.md`).

use serde::Serialize;

use super::pages::{digest_path, paper_on_digest, ref_anchor};
use crate::dates::format_day;
use crate::group::{Entry, Model};
use crate::url::BaseUrl;

/// What a further listing changes in a paper's value on the digest that
/// lists it: its number and announce type there, and links to that digest.
#[derive(Serialize)]
pub struct ListedAs<'a> {
    pub number: usize,
    pub announce_type: Option<&'a str>,
    pub digest_key: &'a str,
    pub digest_permalink: String,
    pub ref_permalink: String,
}

impl<'a> ListedAs<'a> {
    pub fn new(site: &'a Model, entry: &Entry, base: &BaseUrl) -> Self {
        let slug = &site.papers[entry.paper].slug;
        let key = &site.digests[entry.digest].key;
        ListedAs {
            number: entry.number,
            announce_type: site.announce_type(entry),
            digest_key: key,
            digest_permalink: base.link(&paper_on_digest(key, slug)),
            ref_permalink: format!("{}#{}", base.link(&digest_path(key)), ref_anchor(slug)),
        }
    }
}

/// One digest that lists a paper, as its page names it (`listings`).
#[derive(Serialize)]
pub struct ListingContext<'a> {
    /// The listing's date, `YYYY-MM-DD`.
    pub date: String,
    /// The digest's key and page.
    pub key: &'a str,
    pub permalink: String,
    /// The paper's details on that digest's page.
    pub paper_permalink: String,
    /// Its number in that digest.
    pub number: usize,
    pub announce_type: Option<&'a str>,
    /// The paper's first listing (its `date`): its home digest.
    pub first: bool,
}

/// Every digest that lists paper `p`, in date order.
pub fn listings<'a>(site: &'a Model, p: usize, base: &BaseUrl) -> Vec<ListingContext<'a>> {
    let slug = &site.papers[p].slug;
    site.listings(p)
        .iter()
        .map(|&e| {
            let entry = &site.entries[e];
            let key = site.digests[entry.digest].key.as_str();
            let permalink = base.link(&digest_path(key));
            ListingContext {
                date: format_day(site.entry_date(entry)),
                key,
                paper_permalink: base.link(&paper_on_digest(key, slug)),
                permalink,
                number: entry.number,
                announce_type: site.announce_type(entry),
                first: entry.listing.is_none(),
            }
        })
        .collect()
}
