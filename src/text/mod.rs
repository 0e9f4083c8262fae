//! The text engine: a paper's texts -> safe HTML, and the `[[id]]` references
//! in them. A leaf: grouping reads references with it ([`crate::group`]),
//! rendering shows texts with it ([`crate::render`]); it uses neither.
//!
//! Its parts, each using only those listed before it:
//!
//! - [`plain`]: line and column of an offset, and quoting for YAML and TOML
//!   (also read by `config`, `load`, `import` and `init`);
//! - [`html`]: escaping, and which link targets become links;
//! - [`spans`]: where the formulas (and, in Markdown, the code) are;
//! - [`math`]: one formula, TeX -> MathML, made safe;
//! - [`tex`]: arXiv's TeX outside math (accents, quotes, `\emph{}`), and
//!   plain text with formulas (titles, summaries) as HTML;
//! - [`markdown`]: a body or an abstract as HTML, and the `[[id]]`
//!   references it names ([`markdown::references`]).
//!
//! Everything here is a pure function of its text and options: no file is
//! read, nothing is kept between calls.

pub mod html;
pub mod markdown;
pub mod math;
pub mod plain;
pub mod spans;
pub mod tex;

pub use plain::{line_col, needs_escape, quote};
