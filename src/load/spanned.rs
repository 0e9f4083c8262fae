//! Stage 1, places: a front-matter value with the place it is written at.
//!
//! serde-saphyr gives a value's place through its own `Spanned`, whose
//! place cannot be made outside that crate; front matter read without it
//! ([`super::plain_yaml`]) needs to give places too. This `Spanned` is read
//! through serde-saphyr's and keeps the same names (`value`,
//! `referenced.line()`, `referenced.column()`), so the validation code reads
//! both alike.

use serde::{Deserialize, Deserializer};

/// A value and where it is written in the YAML.
#[derive(Debug, Clone, PartialEq)]
pub struct Spanned<T> {
    pub value: T,
    /// Where the value is written (for an alias, where it is used).
    pub referenced: Place,
}

/// A 1-based line and column (counted in characters) in the YAML text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Place {
    line: u64,
    column: u64,
}

impl Place {
    pub fn new(line: usize, column: usize) -> Self {
        Place { line: line as u64, column: column as u64 }
    }

    pub fn line(&self) -> u64 {
        self.line
    }

    pub fn column(&self) -> u64 {
        self.column
    }
}

impl<T> Spanned<T> {
    pub fn new(value: T, line: usize, column: usize) -> Self {
        Spanned { value, referenced: Place::new(line, column) }
    }
}

/// An empty value at no known place (line 0).
impl<T: Default> Default for Spanned<T> {
    fn default() -> Self {
        Spanned::new(T::default(), 0, 0)
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Spanned<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let read = serde_saphyr::Spanned::<T>::deserialize(deserializer)?;
        let place = Place { line: read.referenced.line(), column: read.referenced.column() };
        Ok(Spanned { value: read.value, referenced: place })
    }
}
