//! Import, categories and tags as the build takes them: what a producer
//! gives is checked with the build's own rules ([`crate::slug`]) before it
//! is written, so an import never writes a term the build refuses.
//!
//! - A term whose page could not be made (no letter or digit, too long for
//!   a file name, a name Windows keeps for a device) is left out, and the
//!   report says so.
//! - Two spellings of one page (`LLM`, `llm`) are one term: the spelling
//!   already in the content folder (else the first one imported) is
//!   written, so no two papers ever share a page under two names.
//! - A paper gets at most [`MAX_TERMS`] of each kind from one record.

use std::collections::HashMap;

use crate::slug;

/// The most categories (or tags) one record gives a paper: a producer's
/// keyword list is a few dozen, and each term is a page of the site.
pub const MAX_TERMS: usize = 100;

/// Categories or tags.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Category,
    Tag,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Category => "category",
            Kind::Tag => "tag",
        }
    }
}

/// The spelling of each term's page in the content folder, by kind and slug.
#[derive(Debug, Default)]
pub struct Terms {
    categories: HashMap<String, String>,
    tags: HashMap<String, String>,
}

impl Terms {
    /// Notes `names` as written in a paper of the content folder (the
    /// first spelling of a page is kept).
    pub fn add(&mut self, kind: Kind, names: &[String]) {
        let table = self.table(kind);
        for name in names {
            table.entry(slug::term(name)).or_insert_with(|| name.clone());
        }
    }

    /// `names` as the build will take them: one spelling per page, the
    /// content folder's; the terms left out are described in `left_out`.
    pub fn normalise(&mut self, kind: Kind, names: &[String], left_out: &mut Vec<String>) -> Vec<String> {
        let table = self.table(kind);
        let mut kept: Vec<String> = Vec::new();
        let mut slugs = std::collections::HashSet::new();
        let mut over = 0;
        for name in names {
            let name = name.trim();
            let slug = slug::term(name);
            if let Some(why) = slug::problem(&slug) {
                left_out.push(format!("{} `{}` {why}", kind.name(), abbreviated(name)));
                continue;
            }
            if slugs.contains(&slug) {
                continue;
            }
            if kept.len() == MAX_TERMS {
                over += 1;
                continue;
            }
            kept.push(table.entry(slug.clone()).or_insert_with(|| name.to_owned()).clone());
            slugs.insert(slug);
        }
        if over > 0 {
            left_out.push(format!(
                "{over} more {}s (a paper takes at most {MAX_TERMS} from a record)",
                kind.name()
            ));
        }
        kept
    }

    fn table(&mut self, kind: Kind) -> &mut HashMap<String, String> {
        match kind {
            Kind::Category => &mut self.categories,
            Kind::Tag => &mut self.tags,
        }
    }
}

/// The first 40 characters of `text`, and `...` when it goes on.
fn abbreviated(text: &str) -> String {
    match text.char_indices().nth(40) {
        Some((end, _)) => format!("{}...", &text[..end]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(list: &[&str]) -> Vec<String> {
        list.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn one_spelling_per_page_the_content_folders_first() {
        let mut terms = Terms::default();
        terms.add(Kind::Tag, &names(&["Large Language Models"]));
        let mut left_out = Vec::new();
        let got = terms.normalise(
            Kind::Tag,
            &names(&["large-language-models", "LLM", "llm", " Diffusion "]),
            &mut left_out,
        );
        assert_eq!(got, ["Large Language Models", "LLM", "Diffusion"]);
        assert_eq!(
            terms.normalise(Kind::Tag, &names(&["llm"]), &mut left_out),
            ["LLM"],
            "the first imported"
        );
        assert_eq!(terms.normalise(Kind::Category, &names(&["llm"]), &mut left_out), ["llm"], "kinds apart");
        assert!(left_out.is_empty(), "{left_out:?}");
    }

    #[test]
    fn terms_the_build_refuses_are_left_out_and_said() {
        let mut terms = Terms::default();
        let mut left_out = Vec::new();
        let long = "x".repeat(201);
        let got = terms.normalise(Kind::Category, &names(&["cs.CV", "!!", &long, "aux"]), &mut left_out);
        assert_eq!(got, ["cs.CV"]);
        assert_eq!(left_out.len(), 3, "{left_out:?}");
        assert!(left_out[0].starts_with("category `!!` has no letters or digits"), "{left_out:?}");
        assert!(left_out[1].contains("is too long for a file name"), "{left_out:?}");
        assert!(left_out[2].contains("Windows keeps for a device"), "{left_out:?}");
        let many: Vec<String> = (0..MAX_TERMS + 5).map(|i| format!("k{i}")).collect();
        left_out.clear();
        assert_eq!(terms.normalise(Kind::Tag, &many, &mut left_out).len(), MAX_TERMS);
        assert_eq!(left_out, ["5 more tags (a paper takes at most 100 from a record)"]);
    }
}
