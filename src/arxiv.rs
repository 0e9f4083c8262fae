//! arXiv ids, as the content contract reads them: which ids are arXiv's, and
//! the links an arXiv id gives a paper that names none (its abstract page and
//! its PDF). `load` fills those links in, `render` writes the id into
//! citation tags and BibTeX, `import` recognises ids in links.

/// `2404.01300`, `2404.01300v2`, and old-style `cs/0112017`, `math.GT/0309136`.
pub fn is_id(id: &str) -> bool {
    let digits = |s: &str, n: std::ops::RangeInclusive<usize>| {
        n.contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    let without_version = match id.rsplit_once('v') {
        Some((base, v)) if digits(v, 1..=3) => base,
        _ => id,
    };
    if let Some((yymm, num)) = without_version.split_once('.') {
        if digits(yymm, 4..=4) && digits(num, 4..=5) {
            return true;
        }
    }
    match without_version.split_once('/') {
        Some((archive, num)) => {
            let (name, sub) = archive.split_once('.').unwrap_or((archive, "AA"));
            !name.is_empty()
                && name.bytes().all(|b| b.is_ascii_lowercase() || b == b'-')
                && sub.len() == 2
                && sub.bytes().all(|b| b.is_ascii_uppercase())
                && digits(num, 7..=7)
        }
        None => false,
    }
}

/// The abstract page of an arXiv paper.
pub fn abs_url(id: &str) -> String {
    format!("https://arxiv.org/abs/{id}")
}

/// The PDF of an arXiv paper.
pub fn pdf_url(id: &str) -> String {
    format!("https://arxiv.org/pdf/{id}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arxiv_ids_new_and_old_style() {
        for id in
            ["2404.01300", "2404.01300v2", "0704.0001", "cs/0112017", "math.GT/0309136", "hep-th/9901001"]
        {
            assert!(is_id(id), "{id}");
        }
        for id in ["paper-1", "2404.1", "cs/01", "CS/0112017", "2404.01300v"] {
            assert!(!is_id(id), "{id}");
        }
    }
}
