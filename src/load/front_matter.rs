//! Stage 1, reading: a paper file's text -> its YAML part and its Markdown body.
//!
//! A Markdown paper opens with a `---` line, then YAML, then a closing `---`
//! (or `...`) line, then the body. A `.yaml`/`.yml` paper is YAML only. A UTF-8
//! byte-order mark and CRLF line ends are accepted and normalised here, so line
//! numbers reported later are those an editor shows.

/// The parts of a paper file.
#[derive(Debug, PartialEq, Eq)]
pub struct Parts<'a> {
    /// The YAML text (front matter or the whole file), and where it
    /// starts in the file's text (after the opening `---` line).
    pub yaml: &'a str,
    pub yaml_start: usize,
    /// The file line on which the YAML starts (1-based).
    pub yaml_line: usize,
    /// The Markdown body ("" for YAML files).
    pub body: &'a str,
    /// The file line on which the body starts (1-based).
    pub body_line: usize,
}

/// Why a Markdown file's front matter could not be found.
#[derive(Debug, PartialEq, Eq)]
pub enum SplitError {
    /// The file does not start with a `---` line.
    Missing,
    /// A `---` line opens the front matter but none closes it.
    Unterminated,
    /// The file opens with `+++`: TOML front matter, as Zola and Hugo read it.
    Toml,
}

/// Removes a UTF-8 BOM and turns CRLF (and lone CR) line ends into LF.
pub fn normalize(text: String) -> String {
    let text = match text.strip_prefix('\u{feff}') {
        Some(rest) => rest.to_owned(),
        None => text,
    };
    // memchr's vector search: the whole text is read for this, in every file.
    if memchr::memchr(b'\r', text.as_bytes()).is_some() {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// Splits normalised Markdown text into front matter and body.
pub fn split_markdown(text: &str) -> Result<Parts<'_>, SplitError> {
    let after_open = match text.strip_prefix("---") {
        Some(rest) if rest.trim_start_matches([' ', '\t']).starts_with('\n') => {
            &rest[rest.find('\n').map_or(rest.len(), |i| i + 1)..]
        }
        _ if text.lines().next().is_some_and(|l| l.trim_end() == "+++") => return Err(SplitError::Toml),
        _ => return Err(SplitError::Missing),
    };
    let yaml_start = text.len() - after_open.len();
    // Line by line, each found with memchr's vector search; the last may
    // have no line break.
    let ends = memchr::memchr_iter(b'\n', after_open.as_bytes()).map(|i| yaml_start + i + 1);
    let mut offset = yaml_start;
    for end in ends.chain([text.len()]) {
        let line = &text[offset..end];
        let bare = line.trim_end();
        if bare == "---" || bare == "..." {
            let yaml = &text[yaml_start..offset];
            let body = &text[end..];
            let body_line = 2 + memchr::memchr_iter(b'\n', yaml.as_bytes()).count() + 1;
            return Ok(Parts { yaml, yaml_start, yaml_line: 2, body, body_line });
        }
        offset = end;
    }
    Err(SplitError::Unterminated)
}

/// A YAML paper is YAML from its first line.
pub fn whole_yaml(text: &str) -> Parts<'_> {
    Parts { yaml: text, yaml_start: 0, yaml_line: 1, body: "", body_line: 1 }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_front_matter_and_body() {
        let p = split_markdown("---\ntitle: x\n---\nbody\n").unwrap();
        assert_eq!((p.yaml, p.yaml_start), ("title: x\n", 4));
        assert_eq!(p.body, "body\n");
        assert_eq!((p.yaml_line, p.body_line), (2, 4));
    }

    #[test]
    fn accepts_dots_as_the_closing_line_and_an_empty_body() {
        let p = split_markdown("---\na: 1\n...\n").unwrap();
        assert_eq!((p.yaml, p.body), ("a: 1\n", ""));
    }

    #[test]
    fn a_thematic_break_in_the_body_is_not_front_matter() {
        let p = split_markdown("---\na: 1\n---\ntext\n\n---\nmore\n").unwrap();
        assert_eq!(p.body, "text\n\n---\nmore\n");
    }

    #[test]
    fn reports_missing_and_unterminated_front_matter() {
        assert_eq!(split_markdown("title: x\n"), Err(SplitError::Missing));
        assert_eq!(split_markdown("----\n"), Err(SplitError::Missing));
        assert_eq!(split_markdown("+++\ntitle = \"x\"\n+++\n"), Err(SplitError::Toml));
        assert_eq!(split_markdown("---\ntitle: x\n"), Err(SplitError::Unterminated));
    }

    #[test]
    fn bom_and_crlf_become_plain_lf() {
        let text = normalize("\u{feff}---\r\ntitle: x\r\n---\r\nbody\r\n".to_owned());
        assert_eq!(text, "---\ntitle: x\n---\nbody\n");
        assert_eq!(split_markdown(&text).unwrap().yaml, "title: x\n");
    }
}
