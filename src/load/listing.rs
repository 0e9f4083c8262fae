//! Stage 1, validating `listed`: the further digests that list a paper.
//!
//! A paper's `date`, `order` and `announce_type` describe its first listing;
//! each entry of `listed` (`{date, order, announce_type}`, date required)
//! adds another. A listing on the paper's own date, or two on one date, is
//! an error at the listing's line, as is an unknown announce type.

use std::collections::HashMap;

use super::paper::{Origin, ANNOUNCE_TYPES};
use super::spanned::Spanned;
use crate::dates::parse_day as parse_date;
use crate::error::Diagnostic;
use chrono::NaiveDate;
use serde::Deserialize;

/// One further digest that lists the paper.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Listing {
    pub date: NaiveDate,
    /// Position inside that digest.
    pub order: Option<i64>,
    pub announce_type: Option<String>,
    /// The file line the listing starts on.
    pub line: usize,
}

/// One entry of `listed`, exactly as written.
#[derive(Debug, Clone, Deserialize)]
#[cfg_attr(test, derive(PartialEq))]
#[serde(deny_unknown_fields)]
pub struct RawListing {
    date: Option<Spanned<String>>,
    order: Option<i64>,
    announce_type: Option<Spanned<String>>,
}

/// Each value as written, for a command that edits the file in place.
impl RawListing {
    pub fn date(&self) -> Option<&str> {
        self.date.as_ref().map(|d| d.value.as_str())
    }

    pub fn order(&self) -> Option<i64> {
        self.order
    }

    pub fn announce_type(&self) -> Option<&str> {
        self.announce_type.as_ref().map(|t| t.value.as_str())
    }
}

/// Checks every listing against the paper's `date` (when it has a valid one)
/// and against each other; problems go to `problems`.
pub fn check_listed(
    origin: &Origin,
    raw: Vec<Spanned<RawListing>>,
    date: Option<NaiveDate>,
    problems: &mut Vec<Diagnostic>,
) -> Vec<Listing> {
    let mut seen: HashMap<NaiveDate, usize> = HashMap::new();
    let mut listed = Vec::with_capacity(raw.len());
    for item in raw {
        let (at_line, at_column) = (item.referenced.line() as usize, item.referenced.column() as usize);
        let line = origin.file_line(at_line);
        let listing = item.value;
        let Some(raw_date) = &listing.date else {
            problems.push(
                origin
                    .at(at_line, at_column, "this listing has no `date`")
                    .help("write the digest's date as `- date: YYYY-MM-DD`, or remove the listing"),
            );
            continue;
        };
        let Some(listed_on) = parse_date(&raw_date.value) else {
            problems.push(
                origin
                    .at_span(raw_date, crate::dates::not_a_day(&raw_date.value))
                    .help("write the date as YYYY-MM-DD, for example 2024-04-09"),
            );
            continue;
        };
        if date == Some(listed_on) {
            problems.push(
                origin.at_span(raw_date, format!("the paper's `date` is already {listed_on}")).help(
                    "`date` is the first listing; remove this one or give it the date of another digest",
                ),
            );
        } else if let Some(first) = seen.insert(listed_on, line) {
            problems.push(
                origin
                    .at_span(raw_date, format!("listed twice on {listed_on} (also on line {first})"))
                    .help("keep one listing per digest date"),
            );
        }
        if let Some(t) = &listing.announce_type {
            if !ANNOUNCE_TYPES.contains(&t.value.as_str()) {
                problems.push(
                    origin
                        .at_span(t, format!("unknown announce_type `{}`", t.value))
                        .help(format!("use one of: {}", ANNOUNCE_TYPES.join(", "))),
                );
            }
        }
        listed.push(Listing {
            date: listed_on,
            order: listing.order,
            announce_type: listing.announce_type.map(|t| t.value),
            line,
        });
    }
    listed
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::load::{parse_paper, FileKind};

    fn load(yaml: &str) -> Result<crate::load::Paper, Vec<String>> {
        let text = format!("---\ntitle: T\ndate: 2024-04-02\n{yaml}---\nBody.\n");
        parse_paper(Path::new("p.md"), text, FileKind::Markdown)
            .map_err(|d| d.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn listings_are_kept_with_their_lines() {
        let paper = load(
            "listed:\n  - date: 2024-04-09\n    order: 17\n    announce_type: replace\n  - {date: \"2024-04-03\"}\n",
        )
        .unwrap();
        let got: Vec<_> = paper
            .listed
            .iter()
            .map(|l| (l.date.to_string(), l.order, l.announce_type.as_deref(), l.line))
            .collect();
        assert_eq!(
            got,
            [("2024-04-09".into(), Some(17), Some("replace"), 5), ("2024-04-03".into(), None, None, 8)]
        );
        assert!(load("listed: []\n").unwrap().listed.is_empty());
        assert!(load("").unwrap().listed.is_empty());
    }

    #[test]
    fn a_listing_on_the_papers_date_or_twice_on_a_day_is_an_error_at_its_line() {
        let err = load("listed:\n  - date: 2024-04-02\n").unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert!(err[0].starts_with("p.md:5:11: the paper's `date` is already 2024-04-02"), "{err:?}");
        let err = load("listed:\n  - date: 2024-04-09\n  - order: 3\n    date: 2024-04-09\n").unwrap_err();
        assert_eq!(err.len(), 1, "{err:?}");
        assert!(err[0].starts_with("p.md:7:11: listed twice on 2024-04-09 (also on line 5)"), "{err:?}");
    }

    #[test]
    fn a_listing_without_a_good_date_or_with_a_bad_type_is_an_error_at_its_line() {
        let err = load(
            "listed:\n  - order: 3\n  - date: 2024-13-01\n  - date: 2024-04-10\n    announce_type: updated\n",
        )
        .unwrap_err();
        assert_eq!(err.len(), 3, "{err:?}");
        assert!(err[0].starts_with("p.md:5:") && err[0].contains("this listing has no `date`"), "{err:?}");
        assert!(err[1].starts_with("p.md:6:11: `2024-13-01` is not a date"), "{err:?}");
        assert!(err[2].starts_with("p.md:8:20: unknown announce_type `updated`"), "{err:?}");
        let err = load("listed:\n  - date: 2024-04-10\n    oder: 3\n").unwrap_err();
        assert!(err[0].starts_with("p.md:6:5: unknown field `oder`"), "{err:?}");
    }
}
