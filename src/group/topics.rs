//! Stage 2, topics: the papers whose texts name one of a topic's words
//! (`[topics]` in `site.toml`, [`crate::config::Topic`]).
//!
//! A paper's title, translated title, summary, abstract and tags are read
//! as the search index reads them ([`fold`]: case and accents folded, TeX
//! resolved, formulas and punctuation left out), each on its own, once per
//! grouping. A topic's word matches:
//!
//! - in Latin script (any script that writes spaces), **whole words in
//!   order**, whatever punctuation or space is between them: `graph neural`
//!   matches "Graph-Neural Networks", `score-based` matches "score based";
//!   `GNN` matches "GNN", "(GNN)" and "GNN-based", not "MGNN" or
//!   "GNNExplainer". The last word may take a plural `s` or `es`: `GNN`
//!   matches "GNNs", `patch` "patches".
//! - in Chinese, Japanese or Korean, **anywhere in a run** of those
//!   characters, which are written without spaces: `扩散` matches
//!   "扩散模型" and "基于扩散的".
//!
//! A word mixing both (`3D重建`) matches each part by its rule.

use std::sync::Arc;

use memchr::memmem::Finder;
use rayon::prelude::*;

use super::Term;
use crate::config::Topic;
use crate::fold::{self, Piece};
use crate::load::Paper;

/// Each topic of `topics` (in their order) with the papers of `papers`
/// (in site order) whose texts match one of its words. A topic no paper
/// matches has a page too: its feed is there before its first paper.
pub fn collect(papers: &[Arc<Paper>], topics: &[Topic]) -> Vec<Term> {
    let mut terms: Vec<Term> = topics
        .iter()
        .map(|t| Term { name: t.name.clone(), slug: t.slug.clone(), papers: Vec::new() })
        .collect();
    if topics.is_empty() {
        return terms;
    }
    let matcher = Matcher::new(topics);
    let found: Vec<Vec<usize>> = papers.par_iter().map(|p| matcher.topics_of(p)).collect();
    for (paper, topics) in found.into_iter().enumerate() {
        topics.into_iter().for_each(|t| terms[t].papers.push(paper));
    }
    terms
}

/// Whether `old` and `new` are in the same topics.
pub fn same_topics(old: &Paper, new: &Paper, topics: &[Topic]) -> bool {
    if topics.is_empty() {
        return true;
    }
    let matcher = Matcher::new(topics);
    matcher.topics_of(old) == matcher.topics_of(new)
}

/// Every topic's words, ready to look for.
pub struct Matcher {
    /// By topic.
    topics: Vec<Vec<Phrase>>,
}

impl Matcher {
    pub fn new(topics: &[Topic]) -> Self {
        Matcher {
            topics: topics.iter().map(|t| t.words.iter().filter_map(|w| Phrase::new(w)).collect()).collect(),
        }
    }

    /// The topics whose words `paper`'s texts match, by index.
    pub fn topics_of(&self, paper: &Paper) -> Vec<usize> {
        let text = spaced_texts(paper);
        (0..self.topics.len()).filter(|&t| self.topics[t].iter().any(|p| p.is_in(&text))).collect()
    }
}

/// One word of a topic, as it is looked for in [`spaced`] text.
struct Phrase {
    /// Its units, spaced; with a space in front when it starts with a word
    /// (not CJK), so that it starts where a word does.
    finder: Finder<'static>,
    /// It ends with a word: what follows must end that word.
    ends_with_word: bool,
}

impl Phrase {
    /// `None` for a word with no letter or digit (the configuration refuses those).
    fn new(word: &str) -> Option<Self> {
        let mut spaced = String::new();
        write_spaced(&fold::as_shown(word), &mut spaced);
        let units = spaced.trim();
        let starts_with_word = !units.chars().next().is_some_and(fold::is_cjk);
        let ends_with_word = !units.chars().next_back().is_some_and(fold::is_cjk);
        if units.is_empty() {
            return None;
        }
        let pattern = if starts_with_word { &spaced[..spaced.len() - 1] } else { units };
        Some(Phrase { finder: Finder::new(pattern).into_owned(), ends_with_word })
    }

    /// Whether the phrase is in `text` ([`spaced`]).
    fn is_in(&self, text: &str) -> bool {
        let text = text.as_bytes();
        let len = self.finder.needle().len();
        self.finder.find_iter(text).any(|at| {
            let rest = &text[at + len..];
            !self.ends_with_word || [&b" "[..], b"s ", b"es "].iter().any(|end| rest.starts_with(end))
        })
    }
}

/// A paper's texts that topics read, [`spaced`], one after the other: two
/// spaces between two texts, so that no word matches across them.
fn spaced_texts(paper: &Paper) -> String {
    let texts = [
        Some(&paper.title),
        paper.translated_title.as_ref(),
        paper.summary.as_ref(),
        paper.abstract_md.as_ref(),
    ];
    let mut out = String::new();
    for text in texts.into_iter().flatten().chain(&paper.tags) {
        write_spaced(&fold::as_shown(text), &mut out);
    }
    out
}

/// Appends `text` spaced: each word and each run of CJK letters, as
/// [`fold`] reads them, after one space, and a space at the end. So
/// "3D重建，GPT-4模型" is ` 3d 重建 gpt 4 模型 `: a word starts after a
/// space and ends before one, and a CJK run holds its letters together.
fn write_spaced(text: &str, out: &mut String) {
    let mut in_run = false;
    fold::read(text, &mut |piece| match piece {
        Piece::Word { folded, .. } => {
            out.push(' ');
            out.push_str(folded);
            in_run = false;
        }
        Piece::Cjk(c) => {
            if !in_run {
                out.push(' ');
            }
            out.push(c);
            in_run = true;
        }
        Piece::Break => in_run = false,
    });
    out.push(' ');
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spaced(text: &str) -> String {
        let mut out = String::new();
        write_spaced(&fold::as_shown(text), &mut out);
        out
    }

    /// Whether `word` matches `text`.
    fn matches(word: &str, text: &str) -> bool {
        Phrase::new(word).unwrap().is_in(&spaced(text))
    }

    #[test]
    fn text_is_spaced_by_words_and_cjk_runs() {
        assert_eq!(spaced("3D重建，GPT-4模型"), " 3d 重建 gpt 4 模型 ");
        assert_eq!(spaced("Schr\u{f6}dinger's $\\alpha$"), " schrodinger s ");
    }

    #[test]
    fn latin_words_match_whole_words_in_order() {
        assert!(matches("GNN", "A GNN for molecules"));
        assert!(matches("GNN", "(GNN)-based models"));
        assert!(matches("gnn", "GNN."));
        assert!(!matches("GNN", "MGNN: a multi-graph network"));
        assert!(!matches("GNN", "GNNExplainer"));
        assert!(matches("graph neural", "Graph-Neural Networks"));
        assert!(matches("graph neural", "graph\nneural"));
        assert!(!matches("graph neural", "neural graph"));
        assert!(!matches("graph neural", "graph and neural"));
        assert!(matches("score-based", "Score Based Generative Models"));
        assert!(!matches("diffusion", "diffusivity"));
    }

    #[test]
    fn the_last_word_may_be_plural() {
        assert!(matches("GNN", "Scaling GNNs"));
        assert!(matches("patch", "Image patches"));
        assert!(matches("graph neural network", "Graph neural networks"));
        assert!(!matches("graph neural", "graphs neural"), "only the last word");
        assert!(!matches("GNN", "GNNss"));
    }

    #[test]
    fn case_and_accents_are_folded() {
        assert!(matches("schrödinger", "SCHRODINGER BRIDGES"));
        assert!(matches("Schrodinger", "Schro\u{308}dinger bridges"));
        assert!(matches("schrödinger", r#"Schr\"odinger bridges"#), "arXiv's TeX as shown");
        assert!(matches("Ἀθῆναι", "ΑΘΗΝΑΙ"));
    }

    #[test]
    fn cjk_words_match_anywhere_in_a_run() {
        assert!(matches("扩散", "基于扩散模型的图像生成"));
        assert!(matches("图神经网络", "一种新的图神经网络"));
        assert!(!matches("图神经网络", "图神经，网络"), "punctuation ends a run");
        assert!(matches("扩散", "Diffusion（扩散）"));
        assert!(matches("GNN", "基于GNN的方法"), "a word beside CJK is still a word");
        assert!(matches("3D重建", "单目3D重建方法"));
        assert!(!matches("3D重建", "单目23D重建方法"));
    }

    fn paper(f: impl FnOnce(&mut Paper)) -> Arc<Paper> {
        let mut p = Paper::example("2404.00001", "2024-04-02");
        f(&mut p);
        Arc::new(p)
    }

    fn topic(name: &str, words: &[&str]) -> Topic {
        Topic {
            name: name.into(),
            slug: crate::slug::term(name),
            words: words.iter().map(|w| w.to_string()).collect(),
        }
    }

    #[test]
    fn every_text_a_reader_sees_is_read_but_not_across_texts() {
        let topics = [topic("diffusion", &["diffusion model", "扩散"])];
        let ids = |p: Arc<Paper>| collect(&[p], &topics)[0].papers.len();
        assert_eq!(ids(paper(|p| p.title = "A Diffusion Model".into())), 1);
        assert_eq!(ids(paper(|p| p.translated_title = Some("扩散模型".into()))), 1);
        assert_eq!(ids(paper(|p| p.summary = Some("Uses diffusion models.".into()))), 1);
        assert_eq!(ids(paper(|p| p.abstract_md = Some("We train a *diffusion* model.".into()))), 1);
        assert_eq!(ids(paper(|p| p.tags = vec!["diffusion-model".into()])), 1);
        assert_eq!(ids(paper(|p| p.body = "A diffusion model.".into())), 0, "the body is not read");
        assert_eq!(ids(paper(|p| p.authors = vec!["Diffusion Model".into()])), 0, "nor the authors");
        let across = paper(|p| {
            p.title = "Towards diffusion".into();
            p.summary = Some("Model of things".into());
        });
        assert_eq!(ids(across), 0, "a phrase does not run from one text into the next");
    }

    #[test]
    fn topics_list_their_papers_in_site_order_and_stay_when_empty() {
        let a = paper(|p| p.title = "GNNs and diffusion".into());
        let b = paper(|p| p.title = "Diffusion".into());
        let topics =
            [topic("diffusion", &["diffusion"]), topic("graph", &["GNN"]), topic("empty", &["nothing"])];
        let terms = collect(&[a.clone(), b.clone()], &topics);
        let papers: Vec<_> = terms.iter().map(|t| (t.slug.as_str(), t.papers.clone())).collect();
        assert_eq!(papers, [("diffusion", vec![0, 1]), ("graph", vec![0]), ("empty", vec![])]);
        assert!(same_topics(&a, &paper(|p| p.title = "GNN and diffusion, again".into()), &topics));
        assert!(!same_topics(&b, &paper(|p| p.title = "GNN and diffusion".into()), &topics));
        assert!(same_topics(&a, &b, &[]), "without topics, every paper is in none");
    }
}
