//! arXiv's names: which ids are arXiv's (as the content contract reads
//! them), the id in every form producers write one (links, `arXiv:` and
//! `oai:` labels, versions), arXiv's category names, and the links an
//! arXiv id gives a paper that names none (its abstract page and its PDF).
//! `load` fills those links in, `render` writes the id into citation tags
//! and BibTeX, `import` reads ids and categories from what producers write.
//! [`CATEGORIES`] lists arXiv's categories, whose feeds `quire init --feed`
//! subscribes a site to.

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

/// The paper id (without version) of an arXiv link in any of its forms:
/// any `*.arxiv.org` host (`rss.`, `export.`, `www.`), `http` or `https`,
/// `abs/`, `pdf/` (with or without `.pdf`) or `html/`, with or without a
/// version: `https://rss.arxiv.org/abs/2405.12345v2` -> `2405.12345`.
pub fn id_from_link(url: &str) -> Option<String> {
    let url = url.trim();
    let rest = url.strip_prefix("https://").or_else(|| url.strip_prefix("http://"))?;
    let (host, path) = rest.split_once('/')?;
    let host = host.to_ascii_lowercase();
    if host != "arxiv.org" && !host.ends_with(".arxiv.org") {
        return None;
    }
    let path = path.split(['?', '#']).next()?.trim_end_matches('/');
    let (kind, id) = path.split_once('/')?;
    if !matches!(kind, "abs" | "pdf" | "html") {
        return None;
    }
    bare_id(id.strip_suffix(".pdf").unwrap_or(id))
}

/// The paper id of an id as feeds and producers write it: `2404.01300v1`,
/// `arXiv:2404.01300`, `oai:arXiv.org:2404.01300v1`, `cs/0112017v2`, or
/// an arXiv link.
pub fn id_from_text(text: &str) -> Option<String> {
    let text = text.trim();
    if text.starts_with("http") {
        return id_from_link(text);
    }
    let mut text = text;
    for label in ["oai:arxiv.org:", "arxiv:"] {
        if text.get(..label.len()).is_some_and(|l| l.eq_ignore_ascii_case(label)) {
            text = &text[label.len()..];
        }
    }
    bare_id(text)
}

fn bare_id(id: &str) -> Option<String> {
    is_id(id).then(|| without_version(id).to_owned())
}

fn without_version(id: &str) -> &str {
    match id.rsplit_once('v') {
        Some((base, v)) if !v.is_empty() && v.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => id,
    }
}

/// Whether `name` has the shape of an arXiv category: one of arXiv's
/// archives ([`CATEGORIES`] without a dot), alone or with a subject class
/// (`cs.LG`, `astro-ph.CO`, `physics.optics`). Looser than the list, so a
/// class arXiv adds later is still read from what producers write; `quire
/// init --feed`, which names a feed, takes only the list's names.
pub fn is_category(name: &str) -> bool {
    let (archive, class) = name.split_once('.').unwrap_or((name, ""));
    let class_ok = name.len() == archive.len()
        || (!class.is_empty()
            && class.len() <= 16
            && class.bytes().all(|b| b.is_ascii_alphabetic() || b == b'-'));
    // `archive` has no dot, so it can only match one of the archives.
    CATEGORIES.contains(&archive) && class_ok
}

/// arXiv's archives and categories (https://arxiv.org/category_taxonomy),
/// each the name of a feed: `https://rss.arxiv.org/rss/<name>`.
#[rustfmt::skip]
pub const CATEGORIES: &[&str] = &[
    "cs", "cs.AI", "cs.AR", "cs.CC", "cs.CE", "cs.CG", "cs.CL", "cs.CR", "cs.CV", "cs.CY", "cs.DB",
    "cs.DC", "cs.DL", "cs.DM", "cs.DS", "cs.ET", "cs.FL", "cs.GL", "cs.GR", "cs.GT", "cs.HC", "cs.IR",
    "cs.IT", "cs.LG", "cs.LO", "cs.MA", "cs.MM", "cs.MS", "cs.NA", "cs.NE", "cs.NI", "cs.OH", "cs.OS",
    "cs.PF", "cs.PL", "cs.RO", "cs.SC", "cs.SD", "cs.SE", "cs.SI", "cs.SY",
    "econ", "econ.EM", "econ.GN", "econ.TH",
    "eess", "eess.AS", "eess.IV", "eess.SP", "eess.SY",
    "math", "math.AC", "math.AG", "math.AP", "math.AT", "math.CA", "math.CO", "math.CT", "math.CV",
    "math.DG", "math.DS", "math.FA", "math.GM", "math.GN", "math.GR", "math.GT", "math.HO", "math.IT",
    "math.KT", "math.LO", "math.MG", "math.MP", "math.NA", "math.NT", "math.OA", "math.OC", "math.PR",
    "math.QA", "math.RA", "math.RT", "math.SG", "math.SP", "math.ST",
    "astro-ph", "astro-ph.CO", "astro-ph.EP", "astro-ph.GA", "astro-ph.HE", "astro-ph.IM", "astro-ph.SR",
    "cond-mat", "cond-mat.dis-nn", "cond-mat.mes-hall", "cond-mat.mtrl-sci", "cond-mat.other",
    "cond-mat.quant-gas", "cond-mat.soft", "cond-mat.stat-mech", "cond-mat.str-el", "cond-mat.supr-con",
    "gr-qc", "hep-ex", "hep-lat", "hep-ph", "hep-th", "math-ph",
    "nlin", "nlin.AO", "nlin.CD", "nlin.CG", "nlin.PS", "nlin.SI",
    "nucl-ex", "nucl-th",
    "physics", "physics.acc-ph", "physics.ao-ph", "physics.app-ph", "physics.atm-clus",
    "physics.atom-ph", "physics.bio-ph", "physics.chem-ph", "physics.class-ph", "physics.comp-ph",
    "physics.data-an", "physics.ed-ph", "physics.flu-dyn", "physics.gen-ph", "physics.geo-ph",
    "physics.hist-ph", "physics.ins-det", "physics.med-ph", "physics.optics", "physics.plasm-ph",
    "physics.pop-ph", "physics.soc-ph", "physics.space-ph",
    "quant-ph",
    "q-bio", "q-bio.BM", "q-bio.CB", "q-bio.GN", "q-bio.MN", "q-bio.NC", "q-bio.OT", "q-bio.PE",
    "q-bio.QM", "q-bio.SC", "q-bio.TO",
    "q-fin", "q-fin.CP", "q-fin.EC", "q-fin.GN", "q-fin.MF", "q-fin.PM", "q-fin.PR", "q-fin.RM",
    "q-fin.ST", "q-fin.TR",
    "stat", "stat.AP", "stat.CO", "stat.ME", "stat.ML", "stat.OT", "stat.TH",
];

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

    #[test]
    fn ids_come_from_links_in_every_form() {
        for (url, id) in [
            ("https://arxiv.org/abs/2404.01300", "2404.01300"),
            ("https://rss.arxiv.org/abs/2405.12345", "2405.12345"),
            ("https://export.arxiv.org/abs/2405.12345v3", "2405.12345"),
            ("https://arxiv.org/pdf/2405.12345v2", "2405.12345"),
            ("http://arxiv.org/pdf/2404.01300v1.pdf", "2404.01300"),
            ("http://arxiv.org/abs/2401.10005", "2401.10005"),
            ("https://www.arxiv.org/abs/2404.01300/?x=1", "2404.01300"),
            ("https://arxiv.org/abs/cs/0112017v3", "cs/0112017"),
            ("https://arxiv.org/html/2404.01300v1", "2404.01300"),
        ] {
            assert_eq!(id_from_link(url).as_deref(), Some(id), "{url}");
        }
        for bad in [
            "arxiv.org/abs/2404.01300",
            "https://example.org/abs/2404.01300",
            "https://notarxiv.org/abs/2404.01300",
            "https://arxiv.org/list/cs.CV",
            "https://arxiv.org/abs/2404.1",
            "",
        ] {
            assert_eq!(id_from_link(bad), None, "{bad}");
        }
    }

    #[test]
    fn ids_come_from_feed_ids() {
        for (text, id) in [
            ("2404.01300v1", "2404.01300"),
            ("arXiv:2404.01300", "2404.01300"),
            ("oai:arXiv.org:2404.01300v2", "2404.01300"),
            ("http://arxiv.org/abs/2404.01300v1", "2404.01300"),
            (" cs/0112017 ", "cs/0112017"),
        ] {
            assert_eq!(id_from_text(text).as_deref(), Some(id), "{text}");
        }
        assert_eq!(id_from_text("paper-1"), None);
    }

    #[test]
    fn categories_are_known_archives() {
        for name in ["cs.LG", "stat.ML", "econ.EM", "q-fin.ST", "astro-ph.CO", "hep-th", "physics.optics"] {
            assert!(is_category(name), "{name}");
        }
        for name in ["seed-digest", "2024-04-02", "cs.", "xx.LG", "cs.LG.extra", ""] {
            assert!(!is_category(name), "{name}");
        }
    }
}
