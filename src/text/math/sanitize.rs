//! Text engine, math output: the renderer's MathML re-read against an allowlist
//! before it reaches a page ([`sanitize`]), so no TeX can make a link, a
//! script, an event handler or a style that loads anything.

use super::shorten;

/// The MathML elements a formula may contain.
const ELEMENTS: &[&str] = &[
    "math",
    "menclose",
    "mfrac",
    "mi",
    "mmultiscripts",
    "mn",
    "mo",
    "mover",
    "mpadded",
    "mphantom",
    "mprescripts",
    "mroot",
    "mrow",
    "ms",
    "mspace",
    "msqrt",
    "mstyle",
    "msub",
    "msubsup",
    "msup",
    "mtable",
    "mtd",
    "mtext",
    "mtr",
    "munder",
    "munderover",
    "none",
];

/// The attributes they may carry: presentation only, no links, no handlers.
const ATTRIBUTES: &[&str] = &[
    "accent",
    "accentunder",
    "class",
    "columnalign",
    "depth",
    "display",
    "displaystyle",
    "fence",
    "form",
    "height",
    "largeop",
    "linethickness",
    "lspace",
    "mathvariant",
    "maxsize",
    "minsize",
    "movablelimits",
    "notation",
    "rowalign",
    "rspace",
    "scriptlevel",
    "separator",
    "stretchy",
    "style",
    "symmetric",
    "voffset",
    "width",
];

/// Re-reads the renderer's MathML: one `<math>` element whose tags are all
/// allowlisted, well nested, with allowlisted attributes whose values are
/// plain words, numbers, lengths or `rgb(...)` colours. A stray `<`, `>` or
/// `&` in text is escaped; anything else is an error.
pub fn sanitize(mathml: &str) -> Result<String, String> {
    let refuse = |what: &str| Err(format!("the MathML has {what}"));
    let mut out = String::with_capacity(mathml.len() + 16);
    let mut open: Vec<&str> = Vec::new();
    let mut rest = mathml;
    if !rest.starts_with("<math") {
        return refuse("no <math> element");
    }
    while let Some(c) = rest.chars().next() {
        if open.is_empty() && !out.is_empty() {
            return refuse("text after </math>");
        }
        match c {
            '<' => {
                let after = &rest[1..];
                if let Some(close) = after.strip_prefix('/') {
                    let name = tag_name(close);
                    if open.pop() != Some(name) || !close[name.len()..].starts_with('>') {
                        return refuse(&format!("a misplaced </{name}>"));
                    }
                    out.push_str(&rest[..name.len() + 3]);
                    rest = &close[name.len() + 1..];
                } else if after.starts_with(|c: char| c.is_ascii_alphabetic() || matches!(c, '!' | '?')) {
                    let (len, name, self_closing) = start_tag(after)?;
                    if !self_closing {
                        open.push(name);
                    }
                    out.push_str(&rest[..len + 1]);
                    rest = &after[len..];
                } else {
                    out.push_str("&lt;");
                    rest = after;
                }
            }
            '>' => {
                out.push_str("&gt;");
                rest = &rest[1..];
            }
            '&' => {
                let entity = rest[1..]
                    .find(';')
                    .map(|end| &rest[1..end + 1])
                    .filter(|e| ["amp", "lt", "gt", "quot", "nbsp"].contains(e) || is_numeric_entity(e));
                match entity {
                    Some(e) => {
                        out.push_str(&rest[..e.len() + 2]);
                        rest = &rest[e.len() + 2..];
                    }
                    None => {
                        out.push_str("&amp;");
                        rest = &rest[1..];
                    }
                }
            }
            _ => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if !open.is_empty() {
        return refuse("unclosed elements");
    }
    Ok(out)
}

fn tag_name(s: &str) -> &str {
    let end = s.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(s.len());
    &s[..end]
}

/// Checks the start tag at the start of `s` (just after its `<`); returns its
/// length up to and including `>`, its name, and whether it closes itself.
fn start_tag(s: &str) -> Result<(usize, &str, bool), String> {
    let name = tag_name(s);
    if !ELEMENTS.contains(&name) {
        return Err(format!("the MathML has a <{}> element", shorten(&s[..name.len().max(1)])));
    }
    let mut rest = &s[name.len()..];
    loop {
        let trimmed = rest.trim_start_matches(' ');
        if let Some(after) = trimmed.strip_prefix('>') {
            return Ok((s.len() - after.len(), name, false));
        }
        if let Some(after) = trimmed.strip_prefix("/>") {
            return Ok((s.len() - after.len(), name, true));
        }
        if trimmed.len() == rest.len() {
            return Err(format!("the MathML has a malformed <{name}> tag"));
        }
        let attr = trimmed.find('=').map(|eq| &trimmed[..eq]).unwrap_or(trimmed);
        if !ATTRIBUTES.contains(&attr) {
            return Err(format!("the MathML has a `{}` attribute", shorten(attr)));
        }
        let value_start = &trimmed[attr.len()..];
        let Some(value) = value_start.strip_prefix("=\"").and_then(|v| v.split_once('"')) else {
            return Err(format!("the MathML has a malformed `{attr}` attribute"));
        };
        if !safe_value(attr, value.0) {
            return Err(format!("the MathML has `{attr}=\"{}\"`", shorten(value.0)));
        }
        rest = value.1;
    }
}

/// Words, numbers, lengths, `#hex` and, in `style`, `prop: value` pairs whose
/// only function is `rgb(...)`.
fn safe_value(attr: &str, value: &str) -> bool {
    let chars_ok = value.chars().all(|c| {
        c.is_ascii_alphanumeric()
            || matches!(c, ' ' | '.' | '-' | '#' | '%' | '_' | ',')
            || (attr == "style" && matches!(c, ':' | ';' | '(' | ')'))
    });
    let mut pieces = value.split('(');
    pieces.next_back();
    chars_ok && pieces.all(|before| before.ends_with("rgb"))
}

fn is_numeric_entity(e: &str) -> bool {
    match e.strip_prefix('#') {
        Some(hex) if hex.starts_with(['x', 'X']) => {
            hex.len() > 1 && hex[1..].chars().all(|c| c.is_ascii_hexdigit())
        }
        Some(dec) => !dec.is_empty() && dec.chars().all(|c| c.is_ascii_digit()),
        None => false,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sanitize_refuses_foreign_markup() {
        for bad in [
            "<math><mi href=\"x\">a</mi></math>",
            "<math><mi onclick=\"x\">a</mi></math>",
            "<math><script>a</script></math>",
            "<math><mi style=\"background: url(x)\">a</mi></math>",
            "<math><mi class=\"a\" class=\"b\"\">a</mi></math>",
            "<math><mi>a</mo></math>",
            "<math><mi>a</math>",
            "<math></math><b>",
            "<b></b>",
        ] {
            assert!(sanitize(bad).is_err(), "{bad}: {:?}", sanitize(bad));
        }
        assert_eq!(
            sanitize("<math><mo><</mo><mi>a&b</mi><mspace width=\"1em\" /></math>").unwrap(),
            "<math><mo>&lt;</mo><mi>a&amp;b</mi><mspace width=\"1em\" /></math>"
        );
        assert_eq!(
            sanitize("<math><mi style=\"color: rgb(255 0 0)\">&nbsp;&#x1D4AA;</mi></math>").unwrap(),
            "<math><mi style=\"color: rgb(255 0 0)\">&nbsp;&#x1D4AA;</mi></math>"
        );
    }
}
