//! `[topics]` of `site.toml`: the topics a site's owner names, each with
//! the words that put a paper in it, checked at their lines. Which papers
//! a topic's words match is grouping's ([`crate::group::topics`]).
//!
//! ```toml
//! [topics]
//! diffusion = ["diffusion", "扩散", "score-based"]
//! "graph learning" = ["graph neural", "图神经网络", "GNN"]
//! ```

use std::collections::BTreeMap;

use toml::Spanned;

use crate::error::Diagnostic;
use crate::fold::{self, Piece};
use crate::layout::CONFIG_FILE;
use crate::text::line_col;

/// One topic: its page is `/topic/<slug>/`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Topic {
    /// As `site.toml` names it: `graph learning`.
    pub name: String,
    /// `graph-learning`: unique among the site's topics.
    pub slug: String,
    /// The words that put a paper in the topic, each with a letter or digit.
    pub words: Vec<String>,
}

/// `[topics]` as written: name -> words, with where each is.
pub(super) type RawTopics = BTreeMap<Spanned<String>, Spanned<Vec<Spanned<String>>>>;

/// Checks `[topics]`: every topic has a page of its own and words that can
/// match. Topics come sorted by slug, as categories and tags do.
pub(super) fn check(text: &str, raw: RawTopics) -> Result<Vec<Topic>, Diagnostic> {
    let at = |span: std::ops::Range<usize>, message: String, help: &str| {
        let (line, column) = line_col(text, span.start);
        Diagnostic::new(CONFIG_FILE, message).at(text, line, column).help(help.to_owned())
    };
    let mut by_slug: BTreeMap<String, Topic> = BTreeMap::new();
    // In the order they are written, so a clash is reported at the second.
    let mut raw: Vec<_> = raw.into_iter().collect();
    raw.sort_by_key(|(name, _)| name.span().start);
    for (name, words) in raw {
        let span = name.span();
        let name = name.into_inner();
        let slug = crate::slug::term(&name);
        if let Some(problem) = crate::slug::problem(&slug) {
            let help = "name the topic with letters or digits, like `diffusion` or \"graph learning\"";
            return Err(at(span, format!("topic `{name}` cannot name a page: its name {problem}"), help));
        }
        if let Some(other) = by_slug.get(&slug) {
            let message = format!("topics `{}` and `{name}` would share the page /topic/{slug}/", other.name);
            return Err(at(span, message, "name them apart, or make them one topic"));
        }
        let words_span = words.span();
        let words = words.into_inner();
        if words.is_empty() {
            let help = "list the words that put a paper in it, like `diffusion = [\"diffusion\", \"扩散\"]`";
            return Err(at(words_span, format!("topic `{name}` has no words"), help));
        }
        if let Some(word) = words.iter().find(|w| !has_letters(w.get_ref())) {
            let message =
                format!("topic `{name}`: the word \"{}\" has no letter or digit to match", word.get_ref());
            return Err(at(
                word.span(),
                message,
                "write a word or phrase, like \"graph neural\" or \"扩散\"",
            ));
        }
        let words = words.into_iter().map(Spanned::into_inner).collect();
        by_slug.insert(slug.clone(), Topic { name, slug, words });
    }
    Ok(by_slug.into_values().collect())
}

/// Whether `word`, read as a paper's text is ([`fold`]), has a letter or digit.
fn has_letters(word: &str) -> bool {
    let mut any = false;
    fold::read(&fold::as_shown(word), &mut |piece| any |= piece != Piece::Break);
    any
}

#[cfg(test)]
mod tests {
    use crate::config::SiteConfig;

    fn topics(rest: &str) -> Result<Vec<super::Topic>, crate::error::Diagnostic> {
        SiteConfig::parse(&format!("title = \"T\"\nbase_url = \"/\"\n[topics]\n{rest}")).map(|c| c.topics)
    }

    #[test]
    fn topics_are_named_by_slug_with_their_words() {
        let t = topics("diffusion = [\"diffusion\", \"扩散\"]\n\"Graph Learning\" = [\"GNN\"]\n").unwrap();
        let named: Vec<_> = t.iter().map(|t| (t.name.as_str(), t.slug.as_str(), t.words.len())).collect();
        assert_eq!(named, [("diffusion", "diffusion", 2), ("Graph Learning", "graph-learning", 1)]);
        assert!(SiteConfig::parse("title = \"T\"\nbase_url = \"/\"\n").unwrap().topics.is_empty());
    }

    #[test]
    fn bad_topics_are_errors_at_their_line() {
        for (bad, line, column, message) in [
            ("a = []\n", 4, 5, "topic `a` has no words"),
            ("a = [\"x\"]\n\"++\" = [\"y\"]\n", 5, 1, "topic `++` cannot name a page"),
            ("\"\" = [\"y\"]\n", 4, 1, "topic `` cannot name a page"),
            ("\"Graph learning\" = [\"x\"]\ngraph-learning = [\"y\"]\n", 5, 1, "would share the page"),
            ("a = [\"ok\", \"--\"]\n", 4, 12, "the word \"--\" has no letter or digit"),
            ("a = [\"x\", \"\"]\n", 4, 11, "the word \"\" has no letter"),
            // Formulas are not read for words, in search as in topics.
            ("a = [\"$\\\\alpha$\"]\n", 4, 6, "the word \"$\\alpha$\" has no letter"),
            ("a = \"diffusion\"\n", 4, 5, "invalid type"),
        ] {
            let d = topics(bad).unwrap_err();
            assert!(
                (d.line, d.column) == (line, column) && d.message.contains(message),
                "{bad}: {}:{}: {}",
                d.line,
                d.column,
                d.message
            );
        }
    }
}
