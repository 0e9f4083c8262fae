//! Names -> URL path segments: the one place the rules live.
//!
//! The content contract fixes two forms, and both stay as they are:
//!
//! - **A paper's id** ([`paper`]) keeps its dots and its case: only ASCII
//!   letters, digits, `.`, `_` and `-` are kept, anything else becomes `-`,
//!   and dots at either end are dropped (`2404.01300` -> `/paper/2404.01300/`,
//!   `cs/0112017` -> `/paper/cs-0112017/`). Two ids with the same slug would
//!   share a page: the loader refuses them.
//! - **A category or tag** ([`term`]) is lowercased; letters and digits (of
//!   any script) are kept and every run of other characters becomes one `-`,
//!   trimmed at the ends (`cs.CV` -> `/category/cs-cv/`, `Self Supervised`
//!   -> `self-supervised`, `自监督` stays). Two terms with the same slug
//!   would share a page: grouping refuses them.
//!
//! Both are also HTML ids (`paper-<slug>`) and file names (`quire new`,
//! `quire import`), which is why a paper's slug is ASCII. Each names a
//! folder of the output too, so a slug must fit a file name ([`problem`]):
//! loading checks it where its file, line and column are known, rather than
//! failing later as "File name too long" with no place. Windows is a
//! release target: a name it keeps for a device (`CON`, `nul`, `com1`,
//! `con.txt`) can name no file or folder there, so it is no slug either.

/// The URL- and HTML-id-safe form of a paper id: ASCII letters, digits,
/// `.`, `_`, `-`; never empty.
pub fn paper(id: &str) -> String {
    let s: String = id
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') { c } else { '-' })
        .collect();
    match s.trim_matches('.') {
        "" => "-".to_owned(),
        t => t.to_owned(),
    }
}

/// The URL form of a category or tag: lowercase letters and digits, other
/// runs become one `-`; empty when the name has no letter or digit.
pub fn term(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    for c in name.chars().flat_map(char::to_lowercase) {
        if c.is_alphanumeric() {
            out.push(c);
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// The longest slug a folder may be named after, in bytes. File systems
/// allow 255; this leaves room for `<slug>.md` and for encrypted home
/// folders, which allow less.
pub const MAX_BYTES: usize = 200;

/// Why a slug cannot name a folder, if it cannot.
pub fn problem(slug: &str) -> Option<String> {
    if slug.is_empty() {
        Some("has no letters or digits".into())
    } else if slug.len() > MAX_BYTES {
        Some(format!("is too long for a file name ({} bytes in a URL, at most {MAX_BYTES})", slug.len()))
    } else {
        windows_device(slug).map(|device| {
            format!(
                "is a name Windows keeps for a device (`{device}`): no file or folder can be named so there"
            )
        })
    }
}

/// The device a name means on Windows, if it means one: the part before
/// its first dot, less trailing spaces and dots, is `CON`, `PRN`, `AUX`,
/// `NUL`, `COM0`-`COM9` or `LPT0`-`LPT9` (`¹²³` too), in any case. See
/// https://learn.microsoft.com/en-us/windows/win32/fileio/naming-a-file
fn windows_device(name: &str) -> Option<&str> {
    let base = name.split('.').next().unwrap_or(name).trim_end_matches([' ', '.']);
    let upper = base.to_uppercase();
    let device = match upper.as_str() {
        "CON" | "PRN" | "AUX" | "NUL" => true,
        other => ["COM", "LPT"].iter().any(|port| {
            other.strip_prefix(port).is_some_and(|n| {
                let mut digits = n.chars();
                matches!((digits.next(), digits.next()), (Some('0'..='9' | '¹' | '²' | '³'), None))
            })
        }),
    };
    device.then_some(base)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paper_slugs_are_safe_and_deterministic() {
        assert_eq!(paper("2404.01300"), "2404.01300");
        assert_eq!(paper("cs/0112017"), "cs-0112017");
        assert_eq!(paper("a b?c"), "a-b-c");
        assert_eq!(paper(".."), "-");
        assert_eq!(paper("论文"), "--");
    }

    #[test]
    fn term_slugs_are_lowercase_words_joined_by_dashes() {
        assert_eq!(term("cs.CV"), "cs-cv");
        assert_eq!(term("Self Supervised"), "self-supervised");
        assert_eq!(term("C++"), "c");
        assert_eq!(term("自监督"), "自监督");
        assert_eq!(term("--"), "");
    }

    #[test]
    fn slugs_must_fit_a_file_name() {
        assert_eq!(problem("2404.01300"), None);
        assert_eq!(problem(&"a".repeat(MAX_BYTES)), None);
        assert!(problem(&"a".repeat(MAX_BYTES + 1)).unwrap().contains("too long"));
        assert!(problem("").unwrap().contains("no letters"));
    }

    #[test]
    fn names_windows_keeps_for_devices_are_no_slugs() {
        for name in
            ["CON", "con", "Nul", "aux", "PRN", "COM1", "com9", "LPT0", "lpt¹", "con.txt", "NUL.tar.gz"]
        {
            let why = problem(name).unwrap_or_else(|| panic!("{name} was taken"));
            assert!(why.contains("Windows keeps for a device"), "{why}");
        }
        assert!(problem("con.txt").unwrap().contains("(`con`)"));
        for name in ["console", "com10", "com", "lpt", "nul-ls", "auxiliary", "2404.01300", "a.con", "icon"] {
            assert_eq!(problem(name), None, "{name}");
        }
        assert!(problem(&term("AUX")).is_some() && problem(&paper("CON")).is_some());
    }
}
