//! Import, one record into one paper file: each field the producer gives
//! is decided ([`super::fields::decide`]) against what the file has and
//! what the producer last wrote, and written into the [`Doc`] when it
//! changes. What changed and what was kept are listed for the report.

use std::collections::HashSet;

use chrono::NaiveDate;
use serde_json::Value as Json;

use super::doc::Doc;
use super::fields::{
    decide, json_hash, json_yaml, list_hash, list_yaml, listed_yaml, text_hash, text_yaml, Decision,
    ListingValues,
};
use super::produced::{Hash, ListingMark, Marks};
use crate::import::record::Record;
use crate::load::{FileKind, RawFrontMatter as Fields, Written};

/// One record being merged into one file.
pub struct Edit<'a> {
    pub doc: Doc,
    /// The file as the loader read it (`None`: a new paper).
    current: Option<&'a Written>,
    /// The date of the file's `YYYY-MM-DD` folder, its date when `date:` is absent.
    folder_date: Option<NaiveDate>,
    pub marks: Marks,
    force: bool,
    /// The fields written.
    pub changed: Vec<String>,
    /// The fields kept against a producer's new value.
    pub kept: Vec<String>,
}

impl<'a> Edit<'a> {
    pub fn new(
        doc: Doc,
        current: Option<&'a Written>,
        folder_date: Option<NaiveDate>,
        marks: Marks,
        force: bool,
    ) -> Self {
        Edit { doc, current, folder_date, marks, force, changed: Vec::new(), kept: Vec::new() }
    }

    /// The fields of the file as written (`None`: a new paper).
    fn fields(&self) -> Option<&'a Fields> {
        self.current.map(Written::fields)
    }

    /// Every field of `record`, its terms as `categories` and `tags` (the
    /// record's, as the site spells them).
    pub fn record(&mut self, record: &Record, categories: &[String], tags: Option<&[String]>) {
        let c = self.fields();
        self.text("title", c.map(Fields::title), record.title.as_deref());
        self.text(
            "translated_title",
            c.and_then(Fields::translated_title),
            record.translated_title.as_deref(),
        );
        self.text("summary", c.and_then(Fields::summary), record.summary.as_deref());
        self.text(
            "abstract",
            c.and_then(Fields::abstract_md),
            record.abstract_md.as_ref().map(|a| format!("{a}\n")).as_deref(),
        );
        if let Some(authors) = &record.authors {
            self.field("authors", c.and_then(Fields::authors).map(list_hash), list_hash(authors), || {
                list_yaml("authors", authors)
            });
        }
        self.text("code", c.and_then(Fields::code), record.code.as_deref());
        self.categories(categories);
        if let Some(tags) = tags {
            self.tags(tags);
        }
        for (key, value) in &record.extra {
            self.extra(key, value);
        }
        self.listing(record);
        if let Some(body) = &record.body {
            self.body(body);
        }
    }

    /// One field, by the merge rule; `yaml` writes the new value.
    fn field(&mut self, key: &str, current: Option<Hash>, new: Hash, yaml: impl FnOnce() -> String) {
        let last = self.marks.fields.get(key).copied();
        match decide(current, last, new, self.force) {
            Decision::Same => {}
            Decision::Take => {
                self.doc.set(key, &yaml());
                self.changed.push(key.to_owned());
            }
            Decision::Keep { conflict } => {
                if conflict {
                    self.kept.push(key.to_owned());
                }
            }
        }
        self.marks.fields.insert(key.to_owned(), new);
    }

    fn text(&mut self, key: &str, current: Option<&str>, new: Option<&str>) {
        if let Some(new) = new {
            self.field(key, current.map(text_hash), text_hash(new), || text_yaml(key, new));
        }
    }

    /// Categories are merged: every new one is added, except one a person
    /// removed after a producer gave it.
    fn categories(&mut self, new: &[String]) {
        let current = self.fields().map(Fields::categories).unwrap_or_default();
        let mut merged = current.clone();
        let mut in_merged: HashSet<String> = merged.iter().cloned().collect();
        let mut given: HashSet<String> = self.marks.categories.iter().cloned().collect();
        for c in new {
            if (self.force || !given.contains(c)) && in_merged.insert(c.clone()) {
                merged.push(c.clone());
            }
            if given.insert(c.clone()) {
                self.marks.categories.push(c.clone());
            }
        }
        if merged != current {
            self.doc.set("categories", &list_yaml("categories", &merged));
            self.changed.push("categories".into());
        }
    }

    /// Tags: the producer's new ones are added, the ones it no longer gives
    /// are removed, a person's own (and one a person removed) stay as they are.
    fn tags(&mut self, new: &[String]) {
        let current = self.fields().map(Fields::tags).unwrap_or_default();
        let last: HashSet<String> = self.marks.tags.take().unwrap_or_default().into_iter().collect();
        let given: HashSet<&String> = new.iter().collect();
        let mut merged: Vec<String> =
            current.iter().filter(|t| given.contains(t) || !last.contains(*t)).cloned().collect();
        let mut in_merged: HashSet<String> = merged.iter().cloned().collect();
        for t in new {
            if (self.force || !last.contains(t)) && in_merged.insert(t.clone()) {
                merged.push(t.clone());
            }
        }
        if merged != current {
            self.doc.set("tags", &list_yaml("tags", &merged));
            self.changed.push("tags".into());
        }
        self.marks.tags = Some(new.to_vec());
    }

    fn extra(&mut self, key: &str, value: &Json) {
        let field = format!("extra.{key}");
        let current = self.fields().and_then(Fields::extra).and_then(|e| e.get(key)).map(json_hash);
        let last = self.marks.fields.get(&field).copied();
        match decide(current, last, json_hash(value), self.force) {
            Decision::Same => {}
            Decision::Take if self.doc.set_in_map("extra", key, &json_yaml(value)) => {
                self.changed.push(field.clone())
            }
            Decision::Take => self.kept.push(format!("{field} (`extra` is written inline)")),
            Decision::Keep { conflict } => {
                if conflict {
                    self.kept.push(field.clone());
                }
            }
        }
        self.marks.fields.insert(field, json_hash(value));
    }

    /// The body: the producer's text is replaced where it still starts the
    /// body as the producer wrote it (notes a person added after it stay);
    /// a body a person changed is kept.
    fn body(&mut self, new: &str) {
        let new = format!("{}\n", new.trim_end());
        let current = self.current.map_or("", Written::body).to_owned();
        let notes = self.marks.body.and_then(|(hash, len)| {
            current.get(..len).filter(|written| Hash::of(written) == hash).map(|_| &current[len..])
        });
        let replaced = match notes {
            _ if current == new || current.starts_with(&new) => None,
            Some(notes) => Some(format!("{new}{notes}")),
            None if current.trim().is_empty() => Some(new.clone()),
            None => {
                if self.marks.body.map(|(h, _)| h) != Some(Hash::of(&new)) {
                    self.kept.push("body".into());
                }
                None
            }
        };
        if let Some(body) = replaced {
            match self.doc.kind() {
                FileKind::Markdown => self.doc.body = body,
                FileKind::Yaml => self.doc.set("body", &text_yaml("body", &body)),
            }
            self.changed.push("body".into());
        }
        self.marks.body = Some((Hash::of(&new), new.len()));
    }

    /// The record's listing: added, or updated where the producer's digest
    /// owns it. One digest of a day owns a paper's listing on that day: the
    /// first to list it, unless a later one is its home (announced `new` or
    /// `replace` there, against `cross` in the first).
    fn listing(&mut self, record: &Record) {
        let date = crate::dates::format_day(record.date);
        let mark = self.marks.listed.get(&date).cloned();
        if let Some(m) = &mark {
            if m.digest != record.digest && rank(record.announce_type) <= rank(m.announce_type.as_deref()) {
                return;
            }
        }
        let (first, mut others) = self.listings();
        let new = ListingValues {
            date: date.clone(),
            order: record.order,
            announce_type: record.announce_type.map(str::to_owned),
        };
        let existing = match &first {
            Some(f) if f.date == date => Some(f.clone()),
            _ => others.iter().find(|l| l.date == date).cloned(),
        };
        let written = match existing {
            Some(current) => {
                let new = ListingValues {
                    order: new.order.or(current.order),
                    announce_type: new.announce_type.or(current.announce_type.clone()),
                    ..new
                };
                let last = mark.as_ref().map(|m| listing_of(&date, m).hash());
                // A listing with neither order nor announce type has nothing to keep.
                let said = current.order.is_some() || current.announce_type.is_some();
                match decide(said.then(|| current.hash()), last, new.hash(), self.force) {
                    Decision::Same => {}
                    Decision::Take => self.write_listing(&first, &mut others, new.clone()),
                    Decision::Keep { conflict } => {
                        if conflict {
                            self.kept.push(format!("listing of {date}"));
                        }
                    }
                }
                new
            }
            None if mark.is_some() && !self.force => return,
            None => {
                self.add_listing(first, others, new.clone());
                new
            }
        };
        let mark = ListingMark {
            digest: record.digest.clone(),
            order: written.order,
            announce_type: written.announce_type,
        };
        self.marks.listed.insert(date, mark);
    }

    /// The file's first listing (`date`, or its folder's) and the others (`listed`).
    fn listings(&self) -> (Option<ListingValues>, Vec<ListingValues>) {
        let c = self.fields();
        let date = c
            .and_then(Fields::date)
            .map(|d| d.trim().to_owned())
            .or_else(|| self.folder_date.map(|d| d.to_string()));
        let first = date.map(|date| ListingValues {
            date,
            order: c.and_then(Fields::order),
            announce_type: c.and_then(Fields::announce_type).map(str::to_owned),
        });
        let others = c
            .into_iter()
            .flat_map(Fields::listed)
            .filter_map(|l| {
                Some(ListingValues {
                    date: l.date()?.to_owned(),
                    order: l.order(),
                    announce_type: l.announce_type().map(str::to_owned),
                })
            })
            .collect();
        (first, others)
    }

    fn write_listing(
        &mut self,
        first: &Option<ListingValues>,
        others: &mut [ListingValues],
        new: ListingValues,
    ) {
        self.changed.push(format!("listing of {}", new.date));
        if first.as_ref().is_some_and(|f| f.date == new.date) {
            self.set_first(&new, false);
        } else if let Some(slot) = others.iter_mut().find(|l| l.date == new.date) {
            *slot = new;
            self.doc.set("listed", &listed_yaml(others));
        }
    }

    /// A new listing: the first when it is earlier than the file's first
    /// (which moves to `listed`), else one more in `listed`, by date.
    fn add_listing(
        &mut self,
        first: Option<ListingValues>,
        mut others: Vec<ListingValues>,
        new: ListingValues,
    ) {
        self.changed.push(format!("listing of {}", new.date));
        match first {
            None => self.set_first(&new, true),
            Some(first) if new.date < first.date => {
                self.set_first(&new, true);
                others.push(first);
            }
            Some(_) => others.push(new),
        }
        others.sort_by(|a, b| a.date.cmp(&b.date));
        if !others.is_empty() {
            self.doc.set("listed", &listed_yaml(&others));
        }
    }

    fn set_first(&mut self, listing: &ListingValues, with_date: bool) {
        if with_date {
            self.doc.set("date", &text_yaml("date", &listing.date));
        }
        match listing.order {
            Some(order) => self.doc.set("order", &format!("order: {order}\n")),
            None => self.doc.set("order", ""),
        }
        match &listing.announce_type {
            Some(t) => self.doc.set("announce_type", &text_yaml("announce_type", t)),
            None => self.doc.set("announce_type", ""),
        }
    }
}

fn listing_of(date: &str, mark: &ListingMark) -> ListingValues {
    ListingValues { date: date.to_owned(), order: mark.order, announce_type: mark.announce_type.clone() }
}

/// How much a digest is a paper's home: announced there as new (or
/// replaced) over cross-listed, over not said.
fn rank(announce_type: Option<&str>) -> u8 {
    match announce_type {
        Some("new" | "replace") => 2,
        Some(_) => 1,
        None => 0,
    }
}
