//! Stage 3, citations: a paper's BibTeX entry, as its page and the "copy
//! BibTeX" button give it.

use std::fmt::Write;

use chrono::Datelike;

use crate::arxiv::is_id as is_arxiv_id;
use crate::load::Paper;
use crate::text::math::renders_as_written;
use crate::text::spans::Reading;
use crate::text::tex::{self, Piece};

/// A `@misc` BibTeX entry for a paper. A title's or name's formulas stay
/// TeX, as LaTeX users write them (`{$\beta$}`), when LaTeX reads them as
/// written ([`renders_as_written`]: no macro of the author's, nothing that
/// defines or reads a file); the rest is text, arXiv's TeX outside math
/// resolved (`Enestr\"om` -> Eneström) and TeX's special characters
/// escaped, so the entry always parses and no title can run a TeX command.
/// The title is braced to keep its capitals.
pub fn entry(paper: &Paper) -> String {
    let mut fields = vec![("title", format!("{{{}}}", bibtex_tex(&paper.title)))];
    if !paper.authors.is_empty() {
        let names: Vec<String> = paper
            .authors
            .iter()
            .map(|a| {
                let name = bibtex_tex(a.trim());
                // " and " separates names: a name containing it is braced whole.
                let splits = name.split_whitespace().any(|w| w.eq_ignore_ascii_case("and"));
                if splits {
                    format!("{{{name}}}")
                } else {
                    name
                }
            })
            .collect();
        fields.push(("author", names.join(" and ")));
    }
    fields.push(("year", paper.date.year().to_string()));
    if is_arxiv_id(&paper.id) {
        fields.push(("eprint", bibtex_text(&paper.id)));
        fields.push(("archivePrefix", "arXiv".into()));
        if let Some(primary) = paper.categories.first() {
            fields.push(("primaryClass", bibtex_text(primary)));
        }
    }
    if let Some(url) = &paper.url {
        fields.push(("url", bibtex_url(url)));
    }
    let mut out = format!("@misc{{{},", paper.slug);
    for (i, (k, v)) in fields.iter().enumerate() {
        let comma = if i == 0 { "" } else { "," };
        let _ = write!(out, "{comma}\n  {k}={{{v}}}");
    }
    out.push_str("\n}");
    out
}

/// A title or a name as a BibTeX value: its formulas as TeX where LaTeX
/// reads them as written, everything else as text.
fn bibtex_tex(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    tex::walk(text, Reading::PLAIN, true, &mut |piece| match piece {
        // Braced, as BibTeX keeps math: no style changes its case.
        Piece::Math { tex, .. } if renders_as_written(tex) => {
            out.push_str("{$");
            out.push_str(tex.trim());
            out.push_str("$}");
        }
        Piece::Text(s)
        | Piece::Math { source: s, .. }
        | Piece::Code { source: s }
        | Piece::Url { url: s, .. } => out.push_str(&bibtex_text(s)),
        Piece::Char { shown, .. } => out.push_str(&bibtex_text(&shown)),
        Piece::Escape { shown, .. } => out.push_str(&bibtex_text(shown.encode_utf8(&mut [0; 4]))),
        Piece::Dash { shown, .. } => out.push_str(shown),
        Piece::Open { .. } | Piece::Close { .. } => {}
    });
    out
}

/// Text as a BibTeX value: the characters TeX treats specially are escaped.
fn bibtex_text(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '#' | '_' | '$' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\textasciicircum{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out
}

/// A URL as a BibTeX value: kept as written (`url` fields are verbatim),
/// except what would unbalance the entry's braces or end its line.
fn bibtex_url(url: &str) -> String {
    let mut out = String::with_capacity(url.len());
    for c in url.chars() {
        match c {
            '{' => out.push_str("%7B"),
            '}' => out.push_str("%7D"),
            '\\' => out.push_str("%5C"),
            c if c.is_control() || c.is_whitespace() => out.push_str("%20"),
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Whether every brace of a BibTeX entry is balanced, not counting `\{` and `\}`.
    fn balanced(entry: &str) -> bool {
        let mut depth = 0i32;
        let mut chars = entry.chars();
        while let Some(c) = chars.next() {
            match c {
                '\\' => {
                    chars.next();
                }
                '{' => depth += 1,
                '}' => depth -= 1,
                _ => {}
            }
            if depth < 0 {
                return false;
            }
        }
        depth == 0
    }

    #[test]
    fn an_arxiv_paper_gets_a_complete_misc_entry() {
        assert_eq!(
            entry(&Paper::arxiv_example()),
            "@misc{2404.01300,\n  title={{NeRF-MAE: Masked AutoEncoders for 3D}},\n  \
             author={Muhammad Zubair Irshad and Sergey Zakharov},\n  year={2024},\n  \
             eprint={2404.01300},\n  archivePrefix={arXiv},\n  primaryClass={cs.CV},\n  \
             url={https://arxiv.org/abs/2404.01300}\n}"
        );
    }

    #[test]
    fn formulas_stay_tex_and_the_rest_is_text() {
        let paper = Paper {
            title: r#"{$\beta$}-VAE in $O(N\log^d(N/\epsilon))$ for Enestr\"om's ``Sticky'' Sets, $\OPT$ and $5%$"#.into(),
            authors: vec![r#"J. M\"uller"#.into()],
            ..Paper::example("b", "2023-01-05")
        };
        let entry = entry(&paper);
        assert!(balanced(&entry), "{entry}");
        assert!(
            entry.contains(
                r"title={{\{{$\beta$}\}-VAE in {$O(N\log^d(N/\epsilon))$} for Eneström's “Sticky” Sets, \$\textbackslash{}OPT\$ and \$5\%\$}}"
            ),
            "{entry}"
        );
        assert!(entry.contains("author={J. Müller}"), "{entry}");
    }

    #[test]
    fn bibtex_escapes_tex_and_keeps_braces_balanced() {
        let paper = Paper {
            title: "}\\input{/etc/passwd} 100% R&D #1 $x_i^2$ $\\input{/etc/passwd}$ ~{".into(),
            authors: vec!["Smith and Sons".into(), "A {B".into()],
            url: Some("https://example.org/a}b c".into()),
            ..Paper::example("my paper", "2023-01-05")
        };
        let entry = entry(&paper);
        assert!(entry.starts_with("@misc{my-paper,\n"), "{entry}");
        assert!(balanced(&entry), "{entry}");
        assert!(!entry.contains("\\input"), "{entry}");
        assert!(entry.contains("title={{\\}\\textbackslash{}input\\{/etc/passwd\\} 100\\% R\\&D \\#1 {$x_i^2$} \\$\\textbackslash{}input\\{/etc/passwd\\}\\$ \\textasciitilde{}\\{}}"), "{entry}");
        assert!(entry.contains("author={{Smith and Sons} and A \\{B}"), "{entry}");
        assert!(entry.contains("url={https://example.org/a%7Db%20c}"), "{entry}");
        assert!(entry.contains("year={2023}"), "{entry}");
        assert!(!entry.contains("eprint"), "not an arXiv id: {entry}");
    }
}
