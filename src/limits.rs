//! What a host accepts, told before a site passes it: GitHub Pages
//! publishes no site larger than 1 GB, and GitHub takes no file over 100 MB.
//!
//! `quire build` warns past [`WARN_SHARE_PERCENT`] of the site limit, or
//! for a file over the file limit, naming the largest parts of the site;
//! with `[limits] strict = true` the warning is an error and nothing is
//! written (for CI). A site whose paper pages repeat their text is told
//! the setting that trades it for room (`[paper] full_text = false`).

use std::path::Path;

use crate::error::Diagnostic;
use crate::write::Sizes;

/// The largest site GitHub Pages publishes.
pub const SITE_BYTES: u64 = 1_000_000_000;
/// A build warns past this share of [`SITE_BYTES`].
pub const WARN_SHARE_PERCENT: u64 = 80;
/// The largest file GitHub accepts in a repository.
pub const FILE_BYTES: u64 = 100_000_000;
/// How many parts of the site a warning names.
const PARTS_NAMED: usize = 3;

/// What a site of `sizes`, written to `output`, is warned about: nothing
/// while it stays well inside the limits. With `strict`, errors instead;
/// `full_text`: its paper pages show their abstract and body.
pub fn check(sizes: &Sizes, output: &Path, strict: bool, full_text: bool) -> Vec<Diagnostic> {
    let make = |message: String| {
        let d = Diagnostic::new(output, message);
        if strict {
            d
        } else {
            Diagnostic::warning(output, d.message)
        }
    };
    let mut problems = Vec::new();
    if sizes.bytes * 100 > SITE_BYTES * WARN_SHARE_PERCENT {
        let parts: Vec<String> = sizes
            .largest_kinds()
            .into_iter()
            .take(PARTS_NAMED)
            .map(|(kind, bytes)| format!("{kind} {}", human(bytes)))
            .collect();
        problems.push(
            make(format!(
                "the site is {} in {} files, past {WARN_SHARE_PERCENT}% of the {} GitHub Pages publishes; \
                 its largest parts: {}",
                human(sizes.bytes),
                sizes.files,
                human(SITE_BYTES),
                parts.join(", ")
            ))
            .help(if full_text { FULL_TEXT_HELP } else { HELP }),
        );
    }
    if let Some((path, bytes)) = sizes.largest.as_ref().filter(|(_, bytes)| *bytes > FILE_BYTES) {
        problems.push(
            make(format!("{path} is {}: GitHub takes no file over {}", human(*bytes), human(FILE_BYTES)))
                .help(HELP),
        );
    }
    problems
}

const HELP: &str = "see “Size and limits” in quire's README; `[limits] strict = true` makes this an error";
const FULL_TEXT_HELP: &str =
    "`[paper] full_text = false` in site.toml keeps each paper's abstract and body on its \
     digest's page only, which makes room; see “Size and limits” in quire's README; \
     `[limits] strict = true` makes this an error";

/// A size as people read it: `512 B`, `41.2 KB`, `912.4 MB`, `1.20 GB`
/// (powers of 1,000, as hosts state their limits).
pub fn human(bytes: u64) -> String {
    match bytes {
        b if b < 1_000 => format!("{b} B"),
        b if b < 1_000_000 => format!("{:.1} KB", b as f64 / 1e3),
        b if b < 1_000_000_000 => format!("{:.1} MB", b as f64 / 1e6),
        b => format!("{:.2} GB", b as f64 / 1e9),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `(path, kind, bytes)`: that many bytes in files of at most 1 MB, at
    /// `path` with `{n}` numbering them, so no file passes the file limit.
    fn sizes(files: &[(&str, &'static str, u64)]) -> Sizes {
        let mut sizes = Sizes::default();
        for (path, kind, bytes) in files {
            for n in 0..bytes.div_ceil(1_000_000) {
                let size = (bytes - n * 1_000_000).min(1_000_000);
                sizes.add(&path.replace("{n}", &n.to_string()), kind, size);
            }
        }
        sizes
    }

    #[test]
    fn sizes_read_as_people_write_them() {
        assert_eq!(human(512), "512 B");
        assert_eq!(human(41_200), "41.2 KB");
        assert_eq!(human(912_400_000), "912.4 MB");
        assert_eq!(human(1_200_000_000), "1.20 GB");
    }

    #[test]
    fn a_site_well_inside_the_limits_has_nothing_to_hear() {
        let site = sizes(&[
            ("paper/{n}/index.html", "paper pages", 500_000_000),
            ("digest/{n}/index.html", "digest pages", 299_000_000),
        ]);
        assert!(check(&site, Path::new("public"), true, true).is_empty());
    }

    #[test]
    fn past_80_percent_the_largest_parts_are_named() {
        let site = sizes(&[
            ("paper/{n}/index.html", "paper pages", 500_000_000),
            ("digest/{n}/index.html", "digest pages", 250_000_000),
            ("search/s/{n}.json", "search index", 40_000_000),
            ("search/d/{n}.json", "search index", 20_000_000),
            ("style.css", "static files", 10_000),
            ("atom.xml", "feeds", 5_000),
        ]);
        let warnings = check(&site, Path::new("public"), false, false);
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].is_warning());
        assert_eq!(
            warnings[0].message,
            "the site is 810.0 MB in 812 files, past 80% of the 1.00 GB GitHub Pages publishes; \
             its largest parts: paper pages 500.0 MB, digest pages 250.0 MB, search index 60.0 MB"
        );
        assert!(!check(&site, Path::new("public"), true, false)[0].is_warning(), "strict: an error");
        assert!(!warnings[0].help.as_deref().unwrap_or_default().contains("full_text"));
        let full_text = check(&site, Path::new("public"), false, true);
        let help = full_text[0].help.as_deref().unwrap_or_default();
        assert!(help.contains("`[paper] full_text = false`"), "the setting that makes room is named: {help}");
    }

    #[test]
    fn a_file_over_100_mb_is_named() {
        let mut site = sizes(&[("paper/{n}/index.html", "paper pages", 1_000)]);
        site.add("digest/huge/index.html", "digest pages", 120_000_000);
        let warnings = check(&site, Path::new("public"), false, true);
        assert_eq!(warnings.len(), 1);
        assert_eq!(
            warnings[0].message,
            "digest/huge/index.html is 120.0 MB: GitHub takes no file over 100.0 MB"
        );
        assert_eq!(warnings[0].path, Path::new("public"));
    }
}
