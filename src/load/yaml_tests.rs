//! Front matter read fast ([`super::plain_yaml`]) against serde-saphyr: on
//! every input the fast reader accepts, both give the very same fields and
//! places. Inputs are hand-written, and generated: fields of every kind in
//! every style YAML has, then bent character by character.

use super::plain_yaml;
use super::raw::RawFrontMatter;

/// What the fast reader makes of `yaml`, when it reads it.
fn fast(yaml: &str) -> Option<RawFrontMatter> {
    plain_yaml::read(yaml).and_then(RawFrontMatter::from_entries)
}

/// Checks one input; returns whether the fast reader took it.
fn agree(yaml: &str) -> bool {
    let Some(read_fast) = fast(yaml) else { return false };
    match serde_saphyr::from_str::<RawFrontMatter>(yaml) {
        Ok(full) => assert_eq!(read_fast, full, "the readers differ on {yaml:?}"),
        Err(e) => panic!("read fast, but serde-saphyr refuses {yaml:?}: {e}"),
    }
    true
}

#[test]
fn hand_written_front_matter_reads_alike() {
    let taken = [
        "title: \"NeRF-MAE: Masked\"\n",
        "id: \"2404.01300\"\ntitle: T\nurl: https://arxiv.org/abs/2404.01300\ndate: 2024-04-02\n",
        "title: 'It''s'\nsummary: \"a \\\"quote\\\" and \\\\ back\"\n",
        "title: x\nauthors: [Muhammad Zubair Irshad, \"Sergey Zakharov\", 'O''Brien']\n",
        "title: x\ncategories: [\"cs.CV\", cs.RO]\ntags: []\n",
        "title: x\ntags: [ nerf ,  \"3d\" ]\n",
        "title: x\nabstract: |\n  Neural fields.\n\n  Second paragraph $x$.\n\n\n",
        "title: x\nabstract: |-\n    deep\n      deeper\n    back\nid: y\n",
        "title: Schrödinger $k$-Means 100%\ntranslated_title: \"自监督：三维\"\n",
        "title: x\norder: 12\ndraft: false\n",
        "title: x\norder: -3\ndraft: true\n",
        "title: x\nannounce_type: replace-cross\n",
        "title: x\nbody: |\n  A body in a YAML file.\n",
        "title: true\ntranslated_title: yes\nsummary: 1e3\n",
        "title: \"\"\nsummary: ''\n",
        "title:    spaced    out   \n",
        "title: x\ncategories: [\"Nguyễn\", é, x]\n",
        "title: a:b\n",
        "title: x\ngenerated:\n  by: \"deepseek-chat\"\n  date: \"2024-04-03\"\n  fields: [\"translated_title\", summary]\n",
        "generated:\n  fields: []\n  date: 2024-04-03\n  by:  m \ntitle: x\nabstract: |\n  A.\n",
    ];
    for yaml in taken {
        assert!(agree(yaml), "not read fast: {yaml:?}");
    }
    let left_to_saphyr = [
        "title: x # comment\n",
        "title: null\n",
        "title: ~\n",
        "title: x\ntitle: y\n",
        "title: \"\\u00e9\"\n",
        "title: >\n  folded\n",
        "title: |2\n   x\n",
        "title: x\n  continued\n",
        "title: x\nextra:\n  a: 1\n",
        "title: x\nauthors:\n  - A\n",
        "title: x\norder: 007\n",
        "title: x\norder: \"3\"\n",
        "title: x\ndraft: yes\n",
        "title: x\ntitel: y\n",
        "title: x\nabstract: |\n\n  leading empty line\n",
        "title: x\nabstract: |\n  x\n  \n  spaces-only line\n",
        "title: x\nabstract: |\n    x\n  less\n",
        "summary: no title\n",
        "title: x\n\nid: y\n",
        "title: \"a\tb\"\n",
        "title: x",
        "---\ntitle: x\n",
        "title: [a]\n",
        "tags: x\ntitle: y\n",
        "title: x\ntags: [a, , b]\n",
        "title: x\ntags: [a, b,]\n",
        "title: x\ntags: [a,\n  b]\n",
        "title: &anchor x\n",
        "title: !!str x\n",
        "title: a\u{85}b\n",
        "title: x#y\n",
        "title: x\ngenerated: {by: m, date: 2024-04-03}\n",
        "title: x\ngenerated:\n  by: m\n",
        "title: x\ngenerated:\n  by: m\n  date: 2024-04-03\n  model: m\n",
        "title: x\ngenerated:\n  by: m\n\n  date: 2024-04-03\n",
        "title: x\ngenerated:\n   by: m\n  date: 2024-04-03\n",
    ];
    for yaml in left_to_saphyr {
        assert!(fast(yaml).is_none(), "read fast: {yaml:?}");
    }
}

/// xorshift64*: the same inputs on every run. `clean` asks for documents
/// of the common shape (before they are bent).
struct Random {
    state: u64,
    clean: bool,
}

impl Random {
    fn next(&mut self) -> u64 {
        self.state ^= self.state >> 12;
        self.state ^= self.state << 25;
        self.state ^= self.state >> 27;
        self.state.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

/// Pieces of text, the ordinary and the ones YAML treats specially.
const WORDS: &[&str] = &[
    "model",
    "NeRF",
    "3D",
    "自监督",
    "表示",
    "Schrödinger",
    "Nguyễn",
    "$k$",
    "a",
    "x",
    "12",
    "\\mathcal{O}",
    "-",
    ":",
    ": ",
    "#",
    " #",
    "'",
    "\"",
    "\\\"",
    "\\\\",
    "\\n",
    "\\t",
    "[",
    "]",
    ",",
    "{",
    "}",
    "&",
    "*",
    "!",
    "|",
    ">",
    "%",
    "@",
    "`",
    "?",
    "~",
    "null",
    "true",
    "no",
    "  ",
    "\t",
    "\u{85}",
    "\u{feff}",
    "\u{7}",
];

/// Some words; in a `clean` document only ordinary ones.
fn words(r: &mut Random, quoted: bool) -> String {
    let n = 1 + r.below(5);
    let mut text = String::new();
    for i in 0..n {
        if i > 0 {
            text.push(' ');
        }
        // Mostly ordinary words; the special ones now and then.
        text.push_str(if r.clean || r.chance(85) { r.pick(&WORDS[..10]) } else { r.pick(WORDS) });
    }
    if quoted && r.chance(50) {
        text.retain(|c| c != '"' && c != '\\');
    }
    text
}

fn scalar(r: &mut Random) -> String {
    match r.below(6) {
        3 | 4 if r.clean => words(r, false),
        0 | 1 => format!("\"{}\"", words(r, true)),
        2 => format!("'{}'", words(r, true).replace('\'', "''")),
        3 => r
            .pick(&[
                "0", "12", "-3", "007", "0x1f", "+4", "1.5", "true", "false", "True", "yes", "~", "null", "",
            ])
            .into(),
        _ => words(r, false),
    }
}

fn block(r: &mut Random) -> String {
    let header =
        if r.clean { r.pick(&["|", "|-"]) } else { r.pick(&["|", "|", "|-", "|+", "|2", ">", "| # c"]) };
    let indent = " ".repeat(1 + r.below(4));
    let mut text = format!("{header}\n");
    for _ in 0..1 + r.below(4) {
        match r.below(8) {
            _ if r.clean && text.len() == header.len() + 1 => {
                text.push_str(&format!("{indent}{}\n", words(r, false)))
            }
            0 => text.push('\n'),
            1 => text.push_str(&format!("{indent}  {}\n", words(r, false))),
            2 if !r.clean && r.chance(30) => text.push_str(&format!("{}\n", " ".repeat(r.below(6)))),
            3 if !r.clean && r.chance(30) => text.push_str(&format!(" {}\n", words(r, false))),
            _ => text.push_str(&format!("{indent}{}\n", words(r, false))),
        }
    }
    text.push_str(&"\n".repeat(r.below(3)));
    text
}

fn list(r: &mut Random) -> String {
    let items: Vec<String> = (0..r.below(4)).map(|_| scalar(r)).collect();
    let separator = r.pick(&[", ", ",", " , ", ",  "]);
    format!("[{}]", items.join(separator))
}

/// `generated`'s lines: `by`, `date` and `fields`, mostly all and in order.
fn map(r: &mut Random) -> String {
    let mut lines = vec![format!("  by: {}\n", scalar(r)), format!("  date: {}\n", scalar(r))];
    lines.push(format!("  fields: {}\n", list(r)));
    if !r.clean && r.chance(30) {
        lines.swap(0, r.below(3));
    }
    if !r.clean && r.chance(20) {
        lines.remove(r.below(3));
    }
    lines.concat()
}

const KEYS: &[&str] = &[
    "title",
    "title",
    "id",
    "translated_title",
    "url",
    "date",
    "summary",
    "abstract",
    "body",
    "authors",
    "categories",
    "tags",
    "announce_type",
    "order",
    "draft",
    "generated",
    "extra",
    "titel",
    "Title",
];

fn document(r: &mut Random) -> String {
    let mut yaml = String::new();
    let mut keys: Vec<&str> = vec!["title"];
    let known = if r.clean { KEYS.len() - 3 } else { KEYS.len() };
    for _ in 0..r.below(8) {
        keys.push(KEYS[r.below(known)]);
    }
    if r.clean || r.chance(70) {
        keys.dedup();
        keys.sort_unstable();
        keys.dedup();
    }
    for key in keys {
        let value = match key {
            "authors" | "categories" | "tags" if r.chance(85) => list(r),
            "abstract" | "body" if r.chance(60) => block(r),
            "order" if r.clean => r.pick(&["0", "12", "-3", "987654"]).into(),
            "draft" if r.clean => r.pick(&["true", "false"]).into(),
            _ => scalar(r),
        };
        let spaces = " ".repeat(1 + usize::from(r.chance(10)));
        let trailing = if r.chance(10) { " " } else { "" };
        if key == "generated" && (r.clean || r.chance(80)) {
            yaml.push_str(&format!("{key}:\n{}", map(r)));
        } else if value.contains('\n') {
            yaml.push_str(&format!("{key}:{spaces}{value}"));
        } else {
            yaml.push_str(&format!("{key}:{spaces}{value}{trailing}\n"));
        }
    }
    yaml
}

/// Bends `yaml` a little: a character of [`WORDS`] put in, one taken out.
fn bend(r: &mut Random, yaml: &str) -> String {
    let chars: Vec<char> = yaml.chars().collect();
    let at = r.below(chars.len() + 1);
    let mut out: String = chars[..at].iter().collect();
    if r.chance(50) {
        out.push_str(r.pick(WORDS));
        out.extend(&chars[at..]);
    } else {
        out.extend(chars.iter().skip(at + 1));
    }
    out
}

#[test]
fn generated_front_matter_reads_alike_whenever_it_is_read_fast() {
    let mut r = Random { state: 0x9e37_79b9_7f4a_7c15, clean: false };
    let (mut taken, mut total) = (0, 0);
    for _ in 0..6000 {
        r.clean = r.chance(50);
        let mut yaml = document(&mut r);
        while r.chance(30) {
            yaml = bend(&mut r, &yaml);
        }
        total += 1;
        taken += usize::from(agree(&yaml));
    }
    // Both ways are exercised: most inputs of the common shape are read
    // fast, and the bent ones mostly are not.
    assert!(taken > total / 5 && taken < total * 4 / 5, "{taken} of {total} read fast");
}
