//! Stage 1, names: an id, a category or a tag becomes a folder name in the
//! output (`paper/<slug>/`, `category/<slug>/`, `tag/<slug>/`), so each is
//! checked here, where its file, line and column are known, rather than
//! failing later as "File name too long" with no place.

/// The longest slug a folder may be named after, in bytes. File systems
/// allow 255; this leaves room for `<slug>.md` and for encrypted home
/// folders, which allow less.
pub const MAX_SLUG_BYTES: usize = 200;

/// Why a slug cannot name a folder, if it cannot.
pub fn slug_problem(slug: &str) -> Option<String> {
    if slug.is_empty() {
        Some("has no letters or digits".into())
    } else if slug.len() > MAX_SLUG_BYTES {
        Some(format!("is too long for a file name ({} bytes in a URL, at most {MAX_SLUG_BYTES})", slug.len()))
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_must_fit_a_file_name() {
        assert_eq!(slug_problem("2404.01300"), None);
        assert_eq!(slug_problem(&"a".repeat(MAX_SLUG_BYTES)), None);
        assert!(slug_problem(&"a".repeat(MAX_SLUG_BYTES + 1)).unwrap().contains("too long"));
        assert!(slug_problem("").unwrap().contains("no letters"));
    }
}
