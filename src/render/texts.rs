//! Stage 3, texts on demand: each paper's rendered text, made when a page
//! first needs it, then kept.
//!
//! A [`Text`] holds one paper's [`PaperText`] once rendered, and a version
//! that tells this text from every other rendering: what a page shows is
//! fingerprinted by versions, so a text need not be rendered to know
//! whether it changed. [`Texts`] is what pages read texts through: the
//! first read renders the text. `build` renders the texts of a few
//! digests at a time, in parallel, and lets go of each full text once the
//! pages showing it in full are written, keeping what lists show
//! ([`Text::forget`]); `serve` renders and keeps those of the pages asked
//! for, and renders the rest in the background for what lists show and
//! their warnings only ([`Texts::render_brief`]), so a large archive's
//! full texts are not all held.

use std::ops::Index;
use std::sync::{Arc, OnceLock};

use super::{next_version, Brief, PaperText, Renderer};
use crate::group::Model;
use crate::text::markdown::MarkdownOptions;

/// One paper's text: its version, and the text once rendered.
#[derive(Clone)]
pub struct Text {
    version: u64,
    rendered: OnceLock<Arc<PaperText>>,
    /// What lists show, kept without the full text: after the full text
    /// was let go, or when only this was asked for.
    kept: OnceLock<Arc<Brief>>,
}

impl Text {
    /// A text still to render, with a new version.
    pub fn new() -> Self {
        Text { version: next_version(), rendered: OnceLock::new(), kept: OnceLock::new() }
    }

    /// A text rendered already, with a new version.
    pub fn rendered(text: Arc<PaperText>) -> Self {
        Text { version: next_version(), rendered: OnceLock::from(text), kept: OnceLock::new() }
    }

    pub fn version(&self) -> u64 {
        self.version
    }

    /// What lists and feeds show, and the warnings, if the text was rendered.
    pub fn brief(&self) -> Option<&Arc<Brief>> {
        self.rendered.get().map(|t| &t.brief).or(self.kept.get())
    }

    /// Whether the full text is rendered and held.
    #[cfg(test)]
    pub fn is_full(&self) -> bool {
        self.rendered.get().is_some()
    }

    /// Lets go of the full text, keeping its [`Brief`]; a page that needs
    /// the full text again renders it again. Returns the text let go, for
    /// the caller to drop where that keeps no thread waiting.
    pub fn forget(&mut self) -> Option<Arc<PaperText>> {
        let text = self.rendered.take()?;
        self.kept.get_or_init(|| text.brief.clone());
        Some(text)
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

    /// What lists and feeds show of paper `i`, its text rendered now if it
    /// was not yet.
    pub fn brief(&self, i: usize) -> &'a Arc<Brief> {
        self.slots[i].brief().unwrap_or_else(|| &self.get(i).brief)
    }

    /// Renders paper `i`'s text if not even its brief is held, and keeps
    /// only the brief: what lists show and the warnings, for a fraction of
    /// the memory. A page that shows the paper renders its text again.
    pub fn render_brief(&self, i: usize) {
        let slot = &self.slots[i];
        if slot.brief().is_none() {
            let text = self.renderer.paper_text(self.model, i, self.md, self.in_feed[i]);
            slot.kept.get_or_init(|| text.brief.clone());
        }
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
