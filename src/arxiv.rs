//! arXiv ids, as the content contract reads them: which ids are arXiv's, and
//! the links an arXiv id gives a paper that names none (its abstract page and
//! its PDF). `load` fills those links in, `render` writes the id into
//! citation tags and BibTeX, `import` recognises ids in links. And arXiv's
//! categories, whose feeds `quire init --feed` subscribes a site to.

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
}
