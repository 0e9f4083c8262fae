//! Stage 4: where a site's files go.
//!
//! [`dir`]: the output folder on disk, written whole and swapped in at once.

mod dir;

pub use dir::{static_files, OutputDir, STATIC_DIR};
