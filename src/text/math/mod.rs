//! Text engine, math: TeX -> MathML, on the server.
//!
//! Chromium, Firefox and Safari display MathML natively, so rendering TeX
//! here means formulas show as math with no CDN, no web fonts and no
//! JavaScript: also offline and with scripts off.
//! [`pulldown_latex`] does the conversion; around it, this module makes it
//! safe for untrusted text:
//!
//! - **Errors are errors**: the crate draws an `<merror>` and goes on; here any
//!   unsupported or malformed TeX is an `Err`, and the caller shows the source
//!   instead ([`to_html`]) with a warning.
//! - **Bounded work**: a formula longer than [`MAX_TEX_BYTES`] or nested deeper
//!   than [`MAX_NESTING`] is refused before parsing, rendering stops once the
//!   MathML passes [`MAX_MATHML_BYTES`], and the crate itself cuts `\def`
//!   recursion at depth 64.
//! - **Nothing live comes out**: the crate copies some text unescaped
//!   (`\operatorname{<b>}`, a `<` relation), so its output is re-read against
//!   an allowlist of MathML elements and attributes ([`sanitize`]): stray `<`,
//!   `>` and `&` are escaped, anything else tag-like is refused. There is no
//!   `\href`, `\url`, `\class`, `\style` or `\htmlData`: they are errors.

use std::io::{self, Write};
use std::panic::{catch_unwind, AssertUnwindSafe};

use pulldown_latex::config::DisplayMode;
use pulldown_latex::event::{Content, Dimension, DimensionUnit};
use pulldown_latex::{Event, Parser, RenderConfig, Storage};

mod input;
mod sanitize;

pub use sanitize::sanitize;

use super::html::escape_html;

/// The longest formula rendered, in bytes of TeX.
pub const MAX_TEX_BYTES: usize = 4_000;
/// The deepest nesting of `{}` groups, `\left`...`\right` and environments.
pub const MAX_NESTING: usize = 50;
/// The most MathML one formula may produce (macros can multiply their input).
pub const MAX_MATHML_BYTES: usize = 128 * 1024;

/// Renders one formula to MathML (`<math display="block">` when `display`),
/// or says why it cannot.
pub fn render(tex: &str, display: bool) -> Result<String, String> {
    if tex.len() > MAX_TEX_BYTES {
        return Err(format!("formula longer than {MAX_TEX_BYTES} bytes"));
    }
    if nesting(tex) > MAX_NESTING {
        return Err(format!("formula nested deeper than {MAX_NESTING} levels"));
    }
    let mathml = catch_unwind(AssertUnwindSafe(|| convert(tex, display)))
        .map_err(|_| "the TeX renderer failed".to_owned())??;
    sanitize(&mathml)
}

/// A formula as HTML: its MathML, or else, escaped in a
/// `<span class="math ...">`, its `source` as the author wrote it (its
/// delimiters included: `$\frac{1}{2$`), with a warning that names the TeX
/// and the error.
pub fn to_html(source: &str, tex: &str, display: bool, warnings: &mut Vec<String>) -> String {
    match render(tex, display) {
        Ok(mathml) => mathml,
        Err(error) => {
            warnings.push(format!("unsupported TeX `{}`: {error}", shorten(tex)));
            let class = if display { "math math-display" } else { "math math-inline" };
            format!("<span class=\"{class}\">{}</span>", escape_html(source))
        }
    }
}

/// The message of pulldown-latex for a command it does not know.
const UNKNOWN_COMMAND: &str = "unknown primitive command found";

/// Renders `tex` as pulldown-latex reads it ([`input`]): a command the
/// parser does not know is shown as an upright name.
fn convert(tex: &str, display: bool) -> Result<String, String> {
    // pulldown-latex 0.8 reads `\operatorname*{argmax}` as a function named
    // `*{argmax}`; without the star only the place of limits differs.
    let tex = tex.replace("\\operatorname*", "\\operatorname");
    let tex = input::prepare(&tex);
    let mathml = match write_mathml(&tex, display) {
        Err(e) if e == UNKNOWN_COMMAND => match input::name_unknown(&tex, known) {
            Some(named) => write_mathml(&named, display)?,
            None => return Err(e),
        },
        other => other?,
    };
    Ok(input::style_text(mathml))
}

/// Whether the renderer knows the command `\name`.
fn known(name: &str) -> bool {
    input::known_by(name, |alone| !matches!(write_mathml(alone, false), Err(e) if e == UNKNOWN_COMMAND))
}

/// Whether `tex` is TeX that LaTeX reads as it is written, for a BibTeX
/// entry: it renders, and with no help: every command one the renderer
/// knows, none that defines or reads anything (`\def`, `\input`), no
/// comment, parameter or alignment character (`%`, `#`, `&`).
pub fn renders_as_written(tex: &str) -> bool {
    const DEFINING: &[&str] =
        &["def", "gdef", "edef", "xdef", "let", "newcommand", "renewcommand", "providecommand"];
    let mut rest = tex;
    while let Some(i) = rest.find(['\\', '%', '#', '&']) {
        if !rest[i..].starts_with('\\') {
            return false;
        }
        let name_len = rest[i + 1..].bytes().take_while(u8::is_ascii_alphabetic).count();
        let name = &rest[i + 1..i + 1 + name_len];
        if name_len > 0 && (DEFINING.contains(&name) || !known(name)) {
            return false;
        }
        // The command, or the one character it escapes.
        let len =
            if name_len > 0 { name_len } else { rest[i + 1..].chars().next().map_or(0, char::len_utf8) };
        rest = &rest[i + 1 + len..];
    }
    render(tex, false).is_ok()
}

/// Runs the crate's parser and renderer, stopping at the first error.
fn write_mathml(tex: &str, display: bool) -> Result<String, String> {
    let storage = Storage::new();
    let mut error = None;
    let events = Parser::new(tex, &storage).map_while(|event| match event {
        // `~` and `\ `: the crate would escape its own `&nbsp;` entity.
        Ok(Event::Content(Content::Text("&nbsp;"))) => Some(Ok(Event::Space {
            width: Some(Dimension::new(1. / 3., DimensionUnit::Em)),
            height: None,
            depth: None,
        })),
        // The name is copied as is: `\operatorname{arg\,max}` would show `\,`.
        Ok(Event::Content(Content::Function(name)))
            if !name.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '\'')) =>
        {
            error = Some(format!("unsupported operator name `{name}`"));
            None
        }
        Ok(event) => Some(Ok::<_, io::Error>(event)),
        Err(e) => {
            error = Some(e.to_string());
            None
        }
    });
    let config = RenderConfig {
        display_mode: if display { DisplayMode::Block } else { DisplayMode::Inline },
        ..RenderConfig::default()
    };
    let mut out = Capped(Vec::with_capacity(tex.len() * 12));
    let written = pulldown_latex::write_mathml(&mut out, events, config);
    if let Some(e) = error {
        // The message continues with a drawing of the place: keep its first line.
        let first = e.lines().next().unwrap_or_default();
        return Err(first.strip_prefix("parsing error: ").unwrap_or(first).to_owned());
    }
    written.map_err(|_| format!("formula expands to more than {MAX_MATHML_BYTES} bytes of MathML"))?;
    let mathml = String::from_utf8(out.0).map_err(|_| "the TeX renderer wrote invalid UTF-8".to_owned())?;
    // pulldown-latex 0.8 writes `\big(` as `<mo ... stretchy="true"minsize=...>`.
    Ok(space_before_scripts(mathml.replace("\"minsize=", "\" minsize=")))
}

/// The elements that put scripts on a base, their first child.
const SCRIPTED: [&str; 6] = ["msub", "msup", "msubsup", "munder", "mover", "munderover"];

/// pulldown-latex 0.8 puts the thin space before an operator name inside
/// the operator's scripts: `N\log^d` gives `<msup><mspace .../><mi>log</mi>
/// <mi>d</mi></msup>`, three children where MathML wants two, shown as a
/// small "logd". The space goes before them: `<mspace .../><msup><mi>log</mi>`.
fn space_before_scripts(mathml: String) -> String {
    if !SCRIPTED.iter().any(|tag| mathml.contains(&format!("<{tag}><mspace "))) {
        return mathml;
    }
    let mut out = String::with_capacity(mathml.len());
    let mut rest = mathml.as_str();
    while let Some(at) = rest.find("<mspace ") {
        let Some(end) = rest[at..].find("/>").map(|e| at + e + 2) else { break };
        let before = &rest[..at];
        let opened = SCRIPTED.iter().find_map(|tag| Some((before.strip_suffix(&format!("<{tag}>"))?, tag)));
        match opened {
            Some((outside, tag)) => {
                out.push_str(outside);
                out.push_str(&rest[at..end]);
                out.push_str(&format!("<{tag}>"));
            }
            None => out.push_str(&rest[..end]),
        }
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// A buffer that refuses to grow past [`MAX_MATHML_BYTES`].
struct Capped(Vec<u8>);

impl Write for Capped {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        if self.0.len() + buf.len() > MAX_MATHML_BYTES {
            return Err(io::Error::other("too long"));
        }
        self.0.extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// How deeply groups nest in `tex`: `{`, `\left`, `\begin` open one level.
fn nesting(tex: &str) -> usize {
    let (mut depth, mut deepest) = (0usize, 0usize);
    let mut chars = tex.char_indices();
    while let Some((i, c)) = chars.next() {
        let step = match c {
            '{' => 1,
            '}' => -1,
            '\\' => {
                let word: String = tex[i + 1..].chars().take_while(char::is_ascii_alphabetic).collect();
                // Skip the word, or the one escaped character (`\{`).
                chars.nth(word.len().saturating_sub(1));
                match word.as_str() {
                    "left" | "begin" => 1,
                    "right" | "end" => -1,
                    _ => 0,
                }
            }
            _ => 0,
        };
        depth = depth.saturating_add_signed(step);
        deepest = deepest.max(depth);
    }
    deepest
}

/// A long formula cut for a message, on one line.
pub(super) fn shorten(s: &str) -> String {
    let one_line: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match one_line.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &one_line[..i]),
        None => one_line,
    }
}

#[cfg(test)]
mod tests {

    use super::*;

    fn ok(tex: &str) -> String {
        render(tex, false).unwrap_or_else(|e| panic!("{tex}: {e}"))
    }

    #[test]
    fn big_o_becomes_mathml_with_identifiers_and_operators() {
        let m = ok(r"\mathcal{O}(n \log n)");
        assert!(m.starts_with("<math display=\"inline\">") && m.ends_with("</math>"), "{m}");
        assert!(m.contains("<mi>𝒪</mi>") && m.contains("<mi>log</mi>"), "{m}");
        assert!(m.contains("<mo") && m.contains("<mi>n</mi>"), "{m}");
    }

    #[test]
    fn scripts_on_an_operator_have_the_operator_as_base() {
        let m = ok(r"O(N\log^d(N/\epsilon))");
        assert!(
            m.contains("<mi>N</mi><mspace width=\"0.1667em\" /><msup><mi>log</mi><mi>d</mi></msup>"),
            "{m}"
        );
        let m = render(r"x\max_S f + y\lim_{n\to\infty} a", true).unwrap();
        assert!(m.contains("<mspace width=\"0.1667em\" /><munder><mi>max</mi><mi>S</mi></munder>"), "{m}");
        assert!(m.contains("<mspace width=\"0.1667em\" /><munder><mi>lim</mi><mrow>"), "{m}");
        assert!(ok(r"\log_2 n").starts_with("<math display=\"inline\"><msub><mi>log</mi><mn>2</mn></msub>"));
        assert!(ok(r"\sum_{i=1}^n x_i").contains("<msubsup><mo movablelimits=\"false\">∑</mo><mrow>"));
        for tex in [r"a\log^d", r"a\max_S", r"a\lim_{n}", r"a\sum_i", r"a\min\limits_x^y", r"a\sin^2 x"] {
            for display in [false, true] {
                let m = render(tex, display).unwrap();
                assert!(SCRIPTED.iter().all(|tag| !m.contains(&format!("<{tag}><mspace"))), "{tex}: {m}");
            }
        }
    }

    #[test]
    fn tex_that_latex_reads_as_written_is_told_apart() {
        for tex in [r"\beta", r"O(n \log n)", r"\mathcal{L}_{\text{rec}}", r"50\%", r"\frac{1}{2}", r"x^2"] {
            assert!(renders_as_written(tex), "{tex}");
        }
        for tex in
            [r"\OPT", r"\input{/etc/passwd}", r"\def\a{b}\a", r"5%", r"a & b", r"\frac{1}{2", r"\href{x}{y}"]
        {
            assert!(!renders_as_written(tex), "{tex}");
        }
    }

    #[test]
    fn subscripts_become_msub() {
        assert_eq!(ok("a_i"), "<math display=\"inline\"><msub><mi>a</mi><mi>i</mi></msub></math>");
    }

    #[test]
    fn display_math_is_a_block() {
        let m = render(r"\sum_i x_i", true).unwrap();
        assert!(m.starts_with("<math display=\"block\">"), "{m}");
        assert!(m.contains("∑"), "{m}");
    }

    #[test]
    fn malformed_or_unknown_tex_is_an_error() {
        for tex in [r"\frac{", r"\frac{a}{", "a}", r"\begin{pmatrix}a", r"a \\ b", r"\href{x}{y}"] {
            assert!(render(tex, false).is_err(), "{tex}: {:?}", render(tex, false));
        }
        let e = render(r"\frac{", false).unwrap_err();
        assert!(!e.contains('\n') && e.contains("unbalanced"), "{e}");
    }

    #[test]
    fn operator_names_render_or_fail_cleanly() {
        assert!(ok(r"\operatorname{softmax}(x)").contains("<mi>softmax</mi>"));
        assert!(ok(r"\operatorname*{argmax}_x").contains("<mi>argmax</mi>"));
        let e = render(r"\operatorname{arg\,max}_x", false).unwrap_err();
        assert!(e.contains("operator name"), "{e}");
    }

    #[test]
    fn relations_and_text_are_escaped() {
        let m = ok(r"a < b > c \text{<b> & </b>}");
        assert!(m.contains("<mo>&lt;</mo>") && m.contains("<mo>&gt;</mo>"), "{m}");
        assert!(m.contains("&lt;b&gt; &amp; &lt;/b&gt;"), "{m}");
        assert!(!m.contains("<b>"), "{m}");
    }

    #[test]
    fn nothing_in_tex_makes_a_link_handler_or_script() {
        for tex in [
            r"\href{javascript:alert(1)}{x}",
            r"\url{javascript:alert(1)}",
            r"\class{x}{y}",
            r"\style{background:url(javascript:alert(1))}{y}",
            r"\htmlData{onclick=alert(1)}{x}",
            r"\htmlId{x}{y}",
            r"\operatorname{<script>alert(1)</script>}",
            r"\operatorname{<img src=x onerror=alert(1)>}",
            r#"\operatorname{<mi href="javascript:alert(1)">}"#,
            r"\operatorname{<!-- x -->}",
            r#"\color{red" onmouseover="alert(1)}{x}"#,
            r"\mathrm{<script>}",
        ] {
            let html = to_html(tex, tex, false, &mut Vec::new());
            let fragment = scraper::Html::parse_fragment(&html);
            for node in fragment.tree.nodes() {
                let Some(el) = node.value().as_element() else { continue };
                assert!(!["script", "img", "a", "iframe"].contains(&el.name()), "{tex} -> {html}");
                for (name, value) in el.attrs() {
                    assert!(!name.starts_with("on") && !["href", "src"].contains(&name), "{tex} -> {html}");
                    assert!(!value.contains("url(") && !value.contains("javascript"), "{tex} -> {html}");
                }
            }
        }
        assert!(render(r"\href{javascript:alert(1)}{x}", false).is_err());
        assert!(render(r"\operatorname{<script>alert(1)</script>}", false).is_err());
    }

    #[test]
    fn pathological_input_ends_with_bounded_output() {
        // Each case ends (a hang fails the run) with at most MAX_MATHML_BYTES;
        // how fast is measured by benchmarks, never asserted in a test.
        let cases = [
            "x+".repeat(50_000),
            "{".repeat(3_000),
            format!("{}x{}", "{".repeat(1_990), "}".repeat(1_990)),
            format!("{}x{}", r"\frac{".repeat(40), "}{y}".repeat(40)),
            "x+".repeat(1_999),
            format!("{}x{}", r"\left(".repeat(45), r"\right)".repeat(45)),
            format!(r"\def\a{{{}}}{}", "x+".repeat(1_000), r"\a".repeat(900)),
            format!("{}x{}", "x^{".repeat(45), "}".repeat(45)),
            r"\def\a{\a}\a".to_owned(),
            r"\def\a{\a\a}\a".to_owned(),
            r"\newcommand{\a}{\a}\a".to_owned(),
            format!(
                r"\def\a{{{}}}\def\b{{\a\a\a\a\a\a\a\a}}\def\c{{\b\b\b\b\b\b\b\b}}\def\d{{\c\c\c\c\c\c\c\c}}\def\e{{\d\d\d\d\d\d\d\d}}\e\e\e\e\e\e\e\e",
                "x".repeat(200)
            ),
        ];
        for tex in &cases {
            let result = render(tex, false);
            assert!(result.as_ref().map_or(0, String::len) <= MAX_MATHML_BYTES, "{} bytes", tex.len());
        }
        assert!(render(&"x".repeat(MAX_TEX_BYTES + 1), false).unwrap_err().contains("longer than"));
        assert!(render(&"{".repeat(60), false).unwrap_err().contains("nested"));
        assert!(render(r"\def\a{\a}\a", false).is_err());
    }

    #[test]
    fn failures_fall_back_to_the_escaped_source_with_a_warning() {
        let mut warnings = Vec::new();
        let h = to_html(r"$\frac{<b>$", r"\frac{<b>", false, &mut warnings);
        assert_eq!(h, "<span class=\"math math-inline\">$\\frac{&lt;b&gt;$</span>");
        assert_eq!(warnings.len(), 1);
        assert!(warnings[0].starts_with("unsupported TeX `\\frac{<b>`: "), "{warnings:?}");
        let h = to_html(r"\[\sqrt{\]", r"\sqrt{", true, &mut warnings);
        assert_eq!(h, "<span class=\"math math-display\">\\[\\sqrt{\\]</span>");
    }

    /// Commands real abstracts use, each with what it must become: the
    /// character, size or layout it means, not merely some MathML.
    #[test]
    fn commands_real_abstracts_use_render_as_what_they_mean() {
        let cases: &[(&str, &[&str])] = &[
            (r"\unicode{x2014}", &["<mi>—</mi>"]),
            (r"a \unicode{x2013} b", &["<mi>a</mi><mi>–</mi><mi>b</mi>"]),
            (r"\big( x \big)", &["minsize=\"1.2em\" maxsize=\"1.2em\">(</mo><mi>x</mi>", "1.2em\">)</mo>"]),
            (r"\Bigl\{ x \Bigr\}", &["minsize=\"1.8em\" maxsize=\"1.8em\">{</mo>", "1.8em\">}</mo>"]),
            (r"\bigg\| x \biggr|", &["minsize=\"2.4em\" maxsize=\"2.4em\">‖</mo>", "2.4em\">|</mo>"]),
            (
                r"\left( x \middle| y \right)",
                &["<mrow><mo stretchy=\"true\">(</mo><mi>x</mi>", ">|</mo><mi>y</mi>"],
            ),
            // `\big.` is an empty delimiter: nothing is drawn for it.
            (r"\big. x \big|", &["<math display=\"inline\"><mi>x</mi><mo ", ">|</mo></math>"]),
            (r"{\cal S}", &["<mi>𝒮</mi>"]),
            (
                r"{\bf x} {\rm d}x {\it abc}",
                &["<mi>𝐱</mi>", "<mi mathvariant=\"normal\">d</mi>", "<mi>𝑎</mi><mi>𝑏</mi><mi>𝑐</mi>"],
            ),
            (r"x \prop y", &["<mi>x</mi><mo>∝</mo><mi>y</mi>"]),
            (
                r"{n \choose k}",
                &["<mo stretchy=\"true\">(</mo><mfrac linethickness=\"0em\"><mrow><mi>n</mi>"],
            ),
            (r"{a \over b}", &["<mfrac><mrow><mi>a</mi></mrow><mrow><mi>b</mi></mrow></mfrac>"]),
            (r"\OPT \le 2 \cdot \ALG", &["<mi>OPT</mi>", "<mo>≤</mo><mn>2</mn><mo>⋅</mo><mi>ALG</mi>"]),
            (r"\mathbbm{1} \mathscr{L} \bm{x}", &["<mn>𝟙</mn>", "<mi>ℒ</mi>", "<mi>𝒙</mi>"]),
            (r"\textit{arbitrary} x", &["<mtext style=\"font-style: italic\">arbitrary</mtext><mi>x</mi>"]),
        ];
        for (tex, expected) in cases {
            let mathml = ok(tex);
            for fragment in *expected {
                assert!(mathml.contains(fragment), "{tex}: no {fragment} in {mathml}");
            }
        }
    }

    #[test]
    fn tilde_is_a_space_and_unknown_commands_are_upright_names() {
        let m = ok("a~b");
        assert!(!m.contains("nbsp") && m.contains("<mspace width="), "{m}");
        assert!(ok(r"a\ b").contains("<mspace width="));
        assert_eq!(ok(r"\OPT"), "<math display=\"inline\"><mi>OPT</mi></math>");
        assert!(ok(r"\unicode{x2014}").contains('—'));
        assert!(ok(r"{n \choose k}").contains("<mfrac linethickness=\"0em\">"));
        assert!(ok(r"\big(").contains("stretchy=\"true\" minsize=\"1.2em\""), "{}", ok(r"\big("));
    }

    #[test]
    fn text_in_italics_is_text_not_math_letters() {
        let m = ok(r"\textit{arbitrary} \textbf{bold}");
        assert!(m.contains("<mtext style=\"font-style: italic\">arbitrary</mtext>"), "{m}");
        assert!(m.contains("<mtext style=\"font-weight: bold\">bold</mtext>"), "{m}");
    }
}
