//! Enrich, the answer: what a model replied -> the fields of one paper, or
//! why the reply is not used.
//!
//! A model's answer is untrusted content, read as strictly as a paper file:
//! one JSON object with exactly the fields asked for (a key that was not
//! asked for, such as `url` or `draft`, refuses the whole answer), each of
//! its type, non-empty, within a length, without raw HTML, and, for a
//! language written in its own script, in that script. What passes is
//! written through the same YAML writer and loader as any paper file, so it
//! can only ever become the values of those fields of that one paper.

use serde_json::{Map, Value};

use super::Field;

/// The values of an answer, in the order asked: text (tags one per line).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    pub values: Vec<(Field, String)>,
}

/// The longest value of each field, in characters.
fn longest(field: Field) -> usize {
    match field {
        Field::TranslatedTitle => 500,
        Field::Summary => 1_000,
        Field::Body => 100_000,
        Field::Tags => 50,
    }
}

/// Tags a model may give at most.
const MAX_TAGS: usize = 10;

/// Reads `content` as the answer to a request for `asked`, in `language`.
pub fn read(content: &str, asked: &[Field], language: &str) -> Result<Answer, String> {
    let json = unwrap(content);
    if json.is_empty() {
        return Err("the answer was empty".into());
    }
    let object: Map<String, Value> =
        serde_json::from_str(json).map_err(|_| "the answer is not one JSON object".to_owned())?;
    if let Some(key) = object.keys().find(|k| !asked.iter().any(|f| f.name() == k.as_str())) {
        let shown: String = key.chars().take(40).collect();
        return Err(format!("the answer has `{shown}`, which was not asked for"));
    }
    let mut values = Vec::with_capacity(asked.len());
    for &field in asked {
        let value =
            object.get(field.name()).ok_or_else(|| format!("the answer has no `{}`", field.name()))?;
        let text = match field {
            Field::Tags => tags(value)?,
            Field::Body => multi_line(text_of(field, value)?),
            _ => one_line(text_of(field, value)?),
        };
        if text.is_empty() {
            return Err(format!("`{}` is empty", field.name()));
        }
        if field != Field::Tags && text.chars().count() > longest(field) {
            return Err(format!("`{}` is longer than {} characters", field.name(), longest(field)));
        }
        if has_html(&text) {
            return Err(format!("`{}` holds HTML", field.name()));
        }
        if field != Field::Tags && !in_script(&text, language) {
            return Err(format!("`{}` is not in {}", field.name(), super::prompt::language_name(language)));
        }
        values.push((field, text));
    }
    Ok(Answer { values })
}

/// The JSON in a reply: without a reasoning model's leading
/// `<think>...</think>` and a Markdown code fence around it.
fn unwrap(content: &str) -> &str {
    let mut text = content.trim();
    if let Some(rest) = text.strip_prefix("<think>") {
        text = rest.split_once("</think>").map_or("", |(_, after)| after.trim());
    }
    if let Some(rest) = text.strip_prefix("```") {
        let rest = rest.trim_start_matches("json").trim_start_matches("JSON");
        text = rest.strip_suffix("```").unwrap_or(rest).trim();
    }
    text
}

fn text_of(field: Field, value: &Value) -> Result<&str, String> {
    value.as_str().ok_or_else(|| format!("`{}` is not text", field.name()))
}

/// The tags, one per line, each written as its page's name (`3D Vision`
/// -> `3d-vision`), so two papers' tags that differ in case or spacing
/// never share a page under two names (the build refuses that).
fn tags(value: &Value) -> Result<String, String> {
    let items = value.as_array().ok_or("`tags` is not a list")?;
    if items.len() > MAX_TAGS {
        return Err(format!("`tags` has more than {MAX_TAGS} tags"));
    }
    let mut tags: Vec<String> = Vec::new();
    for item in items {
        let tag = crate::slug::term(item.as_str().ok_or("a tag is not text")?);
        if tag.chars().count() > longest(Field::Tags) || crate::slug::problem(&tag).is_some() {
            return Err("a tag is too long or has no letters or digits".into());
        }
        if !tags.contains(&tag) {
            tags.push(tag);
        }
    }
    Ok(tags.join("\n"))
}

/// One line: control characters dropped, runs of white space one space.
fn one_line(text: &str) -> String {
    text.split(|c: char| c.is_whitespace() || c.is_control())
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Lines kept (`\r\n` as `\n`), other control characters but tabs dropped.
fn multi_line(text: &str) -> String {
    let text = text.replace("\r\n", "\n");
    text.chars().filter(|&c| c == '\n' || c == '\t' || !c.is_control()).collect::<String>().trim().to_owned()
}

/// Whether `text` has an HTML tag, comment or processing instruction:
/// `<` then a letter and a name ended by a space, `>` or `/`, or `</x`,
/// `<!`, `<?`. `$a<b$` and `<https://...>` are not tags.
fn has_html(text: &str) -> bool {
    text.match_indices('<').any(|(at, _)| {
        let rest = &text[at + 1..];
        let mut chars = rest.chars();
        match chars.next() {
            Some('!' | '?') => true,
            Some('/') => chars.next().is_some_and(|c| c.is_ascii_alphabetic()),
            Some(c) if c.is_ascii_alphabetic() => {
                let name_end =
                    rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '-')).unwrap_or(rest.len());
                rest[name_end..].chars().next().is_none_or(|c| c.is_whitespace() || c == '>' || c == '/')
            }
            _ => false,
        }
    })
}

/// Whether `text` is written in `language`'s script, for a language with
/// a script of its own (Chinese: a Chinese character at least); any text
/// for a language written in Latin letters, which cannot be told apart so.
fn in_script(text: &str, language: &str) -> bool {
    let base = language.split(['-', '_']).next().unwrap_or(language).to_ascii_lowercase();
    let script: fn(char) -> bool = match base.as_str() {
        "zh" => is_han,
        "ja" => |c| is_han(c) || matches!(c, '\u{3040}'..='\u{30ff}'),
        "ko" => |c| matches!(c, '\u{ac00}'..='\u{d7af}' | '\u{1100}'..='\u{11ff}' | '\u{3130}'..='\u{318f}'),
        "ru" | "uk" | "bg" | "be" | "sr" | "mk" => |c| matches!(c, '\u{400}'..='\u{4ff}'),
        "el" => |c| matches!(c, '\u{370}'..='\u{3ff}'),
        "ar" | "fa" | "ur" => |c| matches!(c, '\u{600}'..='\u{6ff}'),
        "he" => |c| matches!(c, '\u{590}'..='\u{5ff}'),
        "hi" | "mr" | "ne" => |c| matches!(c, '\u{900}'..='\u{97f}'),
        "th" => |c| matches!(c, '\u{e00}'..='\u{e7f}'),
        _ => return true,
    };
    text.chars().any(script)
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4e00}'..='\u{9fff}' | '\u{3400}'..='\u{4dbf}' | '\u{f900}'..='\u{faff}' | '\u{20000}'..='\u{2ebef}')
}

#[cfg(test)]
mod tests {
    use super::*;

    const ALL: &[Field] = &[Field::TranslatedTitle, Field::Summary, Field::Body, Field::Tags];

    fn value(answer: &Answer, field: Field) -> &str {
        &answer.values.iter().find(|(f, _)| *f == field).unwrap().1
    }

    #[test]
    fn a_good_answer_gives_each_field_asked() {
        let reply = r#"```json
{"translated_title": " 神经场\n掩码自编码器 ", "summary": "一句话。", "body": "第一段 $a<b$。\r\n\r\n第二段 <https://arxiv.org>", "tags": ["nerf", "NeRF", "3D  Vision", "神经场"]}
```"#;
        let answer = read(reply, ALL, "zh").unwrap();
        assert_eq!(value(&answer, Field::TranslatedTitle), "神经场 掩码自编码器");
        assert_eq!(value(&answer, Field::Body), "第一段 $a<b$。\n\n第二段 <https://arxiv.org>");
        assert_eq!(value(&answer, Field::Tags), "nerf\n3d-vision\n神经场");
        let thinking = "<think>The user wants JSON.</think>\n{\"summary\": \"Short.\"}";
        assert_eq!(value(&read(thinking, &[Field::Summary], "en").unwrap(), Field::Summary), "Short.");
    }

    #[test]
    fn anything_but_the_fields_asked_refuses_the_answer() {
        let asked = &[Field::Summary];
        let refused = [
            ("", "empty"),
            ("   ", "empty"),
            ("Sure! Here it is: {\"summary\": \"总结\"}", "not one JSON object"),
            ("{\"summary\": \"总结\"} {\"summary\": \"又一个\"}", "not one JSON object"),
            ("[\"总结\"]", "not one JSON object"),
            ("{\"summary\": \"总结\", \"url\": \"javascript:alert(1)\"}", "`url`, which was not asked for"),
            ("{\"summary\": \"总结\", \"draft\": true}", "`draft`, which was not asked for"),
            ("{\"translated_title\": \"标题\"}", "`translated_title`, which was not asked for"),
            ("{}", "no `summary`"),
            ("{\"summary\": 3}", "not text"),
            ("{\"summary\": \" \\n \"}", "empty"),
            ("{\"summary\": \"总结<script>alert(1)</script>\"}", "HTML"),
            ("{\"summary\": \"总结<img src=x onerror=alert(1)>\"}", "HTML"),
            ("{\"summary\": \"总结<!-- x -->\"}", "HTML"),
            ("{\"summary\": \"An English summary.\"}", "not in Chinese"),
        ];
        for (reply, why) in refused {
            let err = read(reply, asked, "zh").unwrap_err();
            assert!(err.contains(why), "{reply:?}: {err}");
        }
        let long = format!("{{\"summary\": \"{}\"}}", "长".repeat(1001));
        assert!(read(&long, asked, "zh").unwrap_err().contains("longer than 1000"));
        let tags = |t: &str| read(&format!("{{\"tags\": {t}}}"), &[Field::Tags], "zh");
        assert!(tags("\"nerf\"").unwrap_err().contains("not a list"));
        assert!(tags("[\"---\"]").is_err());
        assert!(tags(&format!("[{}]", ["\"a\""; 11].join(","))).is_err());
    }

    #[test]
    fn a_script_is_checked_where_a_language_has_its_own() {
        assert!(in_script("基于 NeRF 的方法", "zh-CN"));
        assert!(!in_script("A method based on NeRF", "zh"));
        assert!(in_script("ニューラル", "ja") && in_script("신경", "ko") && in_script("Нейронные", "ru"));
        assert!(in_script("Une méthode", "fr") && in_script("anything", "en"));
    }

    #[test]
    fn html_is_told_from_math_and_autolinks() {
        for html in ["<b>x</b>", "a <a href=x>", "<br/>", "<br>", "</p>", "<!doctype html>", "<?xml", "<svg"]
        {
            assert!(has_html(html), "{html}");
        }
        for text in ["$a<b$", "$a < b$", "<https://x.org>", "x<2", "1 <- 2", "<$x$>"] {
            assert!(!has_html(text), "{text}");
        }
    }
}
