//! Stage 3, texts on demand: each paper's rendered text, made when a page
//! first needs it, then kept.
//!
//! A [`Text`] holds one paper's [`PaperText`] once rendered, and a version
//! that tells this text from every other rendering: what a page shows is
//! fingerprinted by versions, so a text need not be rendered to know
//! whether it changed. [`Texts`] is what pages read texts through: the
//! first read renders the text. `build` renders every text up front, in
//! parallel; `serve` renders those of the pages asked for, and the rest in
//! the background.

use std::ops::Index;
use std::sync::{Arc, OnceLock};

use super::markdown::MarkdownOptions;
use super::{next_version, PaperText, Renderer};
use crate::group::Model;

/// One paper's text: its version, and the text once rendered.
#[derive(Clone)]
pub struct Text {
    version: u64,
    rendered: OnceLock<Arc<PaperText>>,
}

impl Text {
    /// A text still to render, with a new version.
    pub fn new() -> Self {
        Text { version: next_version(), rendered: OnceLock::new() }
    }

    /// A text rendered already, with a new version.
    pub fn rendered(text: Arc<PaperText>) -> Self {
        Text { version: next_version(), rendered: OnceLock::from(text) }
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    /// The text, if it was rendered.
    pub fn get(&self) -> Option<&Arc<PaperText>> {
        self.rendered.get()
    }
}

impl Default for Text {
    fn default() -> Self {
        Text::new()
    }
}

/// Every paper's text, by index in `model.papers`, and what renders one.
#[derive(Clone, Copy)]
pub struct Texts<'a> {
    pub slots: &'a [Text],
    pub renderer: &'a Renderer,
    pub model: &'a Model,
    pub md: &'a MarkdownOptions,
    /// Whether a category or tag feed shows each paper.
    pub in_feed: &'a [bool],
}

impl<'a> Texts<'a> {
    pub fn len(&self) -> usize {
        self.slots.len()
    }

    pub fn is_empty(&self) -> bool {
        self.slots.is_empty()
    }

    /// The version of paper `i`'s text, rendered or not.
    pub fn version(&self, i: usize) -> u64 {
        self.slots[i].version
    }

    /// Paper `i`'s text, rendered now if it was not yet.
    pub fn get(&self, i: usize) -> &'a Arc<PaperText> {
        self.slots[i]
            .rendered
            .get_or_init(|| self.renderer.paper_text(self.model, i, self.md, self.in_feed[i]))
    }
}

impl Index<usize> for Texts<'_> {
    type Output = Arc<PaperText>;

    fn index(&self, i: usize) -> &Arc<PaperText> {
        self.get(i)
    }
}
