//! `quire import` where a daily job meets its edges: a feed whose date is
//! wrong (told as wrong, nothing imported, a failing exit), an empty feed
//! on a day arXiv announces nothing (a plain line, success), and per-paper
//! JSON whose translated announce prefix lost a part (taken off by shape).

use crate::import::{import, json, zh_site};
use crate::support::{stderr, Site};

fn feed(pub_date: &str, items: usize) -> String {
    let item = |n: usize| {
        format!(
            "<item><title>Paper {n}</title><link>https://arxiv.org/abs/2404.0000{n}</link>\
             <description>arXiv:2404.0000{n}v1 Announce Type: new Abstract: Text {n}.</description>\
             <category>cs.CV</category></item>"
        )
    };
    format!(
        "<?xml version='1.0' encoding='UTF-8'?>\n<rss version=\"2.0\"><channel><title>cs.CV updates on arXiv.org</title>\
         <link>http://rss.arxiv.org/rss/cs.CV</link><pubDate>{pub_date}</pubDate>\n{}</channel></rss>\n",
        (1..=items).map(item).collect::<String>()
    )
}

#[test]
fn a_feed_whose_weekday_is_not_its_dates_imports_nothing_and_fails() {
    let site = Site::new();
    // 2 April 2024 was a Tuesday.
    site.write("cs.CV.xml", feed("Mon, 02 Apr 2024 00:00:00 -0400", 2));
    let out = site.quire(&["import", "cs.CV.xml"]);
    let err = stderr(&out);
    assert!(!out.status.success(), "a run that imported nothing from a feed with papers fails:\n{err}");
    assert!(err.starts_with("warning: 2 records skipped; nothing was imported:"), "{err}");
    assert!(
        err.contains("the feed's date is wrong: <pubDate> `Mon, 02 Apr 2024 00:00:00 -0400` says Monday, but 2024-04-02 is a Tuesday"),
        "{err}"
    );
    assert!(!err.contains("unknown"), "the date is there, and wrong: {err}");
    assert!(err.contains("error: nothing was imported from cs.CV.xml: every record was skipped"), "{err}");
    assert!(std::fs::read_dir(site.path("content")).unwrap().next().is_none(), "nothing written");
    // The fix it names works.
    let (said, _) = import(&site, &["cs.CV.xml", "--date", "2024-04-02"]);
    assert!(said.contains("rss: 2 added"), "{said}");
}

#[test]
fn an_empty_feed_says_so_and_passes() {
    let site = Site::new();
    site.write("cs.CV.xml", feed("Sat, 06 Apr 2024 00:00:00 -0400", 0));
    let (said, err) = import(&site, &["cs.CV.xml"]);
    assert_eq!(said.trim_end(), "Imported into content/: nothing; the input held no papers (a feed does on days arXiv announces none).");
    assert!(err.is_empty(), "{err}");
}

#[test]
fn translated_prefixes_that_lost_a_part_are_taken_off() {
    // (id, translated abstract, the body it gives, the announce type)
    let papers = [
        (
            "2403.06833",
            "arXiv:2403.06833v1 公告类型: 跨 我们提出一种方法：它有效。",
            "我们提出一种方法：它有效。",
            "cross",
        ),
        ("2403.06834", "arXiv:2403.06834v1 交叉类型：摘要：我们研究事物。", "我们研究事物。", "cross"),
        ("2403.06835", "公告类型: 新 我们提出。", "我们提出。", "new"),
    ];
    let site = zh_site();
    for (id, translated, _, _) in papers {
        let paper = serde_json::json!({
            "title": format!("Paper {id}"),
            "abstract": "We study things.",
            "link": format!("https://arxiv.org/abs/{id}"),
            "translated_abstract": translated,
        });
        site.write(&format!("papers/2024-04-02/{id}.json"), paper.to_string());
    }
    import(&site, &["papers"]);
    site.build(&[]);
    for (id, _, body, kind) in papers {
        let paper = json(&site, &format!("paper/{id}/index.json"));
        let got = (paper["body"].as_str().map(str::trim_end), paper["announce_type"].as_str());
        assert_eq!(got, (Some(body), Some(kind)), "{id}");
    }
}
