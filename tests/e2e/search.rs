//! Search: the index the binary writes under `search/`, queried by the
//! theme's own `search.js` in Node (`tests/search/run.mjs`), exactly as a
//! browser would query it. The queries need Node.js: without it they are
//! skipped, and required when `CI` is set ([`crate::tools`]).

use std::path::Path;
use std::process::Command;

use serde_json::Value;

use crate::support::{check_links, select, Site};
use crate::tools::{available, Tool};

fn paper(site: &Site, id: &str, date: &str, title: &str, translated: &str, summary: &str, abstract_: &str) {
    site.write(
        &format!("content/{date}/{id}.md"),
        format!(
            "---\nid: \"{id}\"\ntitle: \"{title}\"\ntranslated_title: \"{translated}\"\nsummary: \"{summary}\"\n\
             authors: [Ada Lovelace]\nabstract: |\n  {abstract_}\n---\n正文：不进入索引的笔记。\n"
        ),
    );
}

/// English and Chinese papers, with near misses for each query.
fn search_site() -> Site {
    let site = Site::new();
    paper(
        &site,
        "2404.01300",
        "2024-04-02",
        "NeRF-MAE: Masked AutoEncoders for Self Supervised 3D Representation Learning",
        "NeRF-MAE：自监督三维表示学习中的掩码自编码器",
        "把掩码自编码器用于神经辐射场。",
        "Neural fields excel in computer vision; we scale $\\mathcal{O}(n)$ pretraining.",
    );
    paper(
        &site,
        "2404.01000",
        "2024-04-02",
        "Diffusion Models for Video Generation",
        "用于视频生成的扩散模型",
        "视频扩散模型。",
        "Unlike masked autoencoders, diffusion models generate frames.",
    );
    paper(
        &site,
        "2111.06377",
        "2024-04-01",
        "Masked Autoencoders Are Scalable Vision Learners",
        "掩码自编码器是可扩展的视觉学习器",
        "简单的视觉预训练方法。",
        "This paper shows that masked autoencoders (MAE) are scalable self-supervised learners.",
    );
    paper(
        &site,
        "2403.00001",
        "2024-03-29",
        "Contrastive Learning of Speech",
        "语音的对比学习",
        "一种自监督的语音表示方法。",
        "We learn speech representations without labels.",
    );
    paper(
        &site,
        "2403.00002",
        "2024-03-29",
        "Autoregressive Decoders Beat Masked Language Models",
        "有监督学习的极限与自动监督",
        "自回归解码器胜过掩码语言模型。",
        "Masked language models are compared with decoders.",
    );
    site
}

/// Runs `tests/search/run.mjs` on a built output; one JSON value per line.
/// `None` when Node.js is missing (and `CI` is not set): the caller skips.
fn node(args: &[&str]) -> Option<Vec<Value>> {
    if !available("the search tests that run search.js (tests/search)", &[Tool::Node]) {
        return None;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/search/run.mjs");
    let out = Command::new("node").arg(&script).args(args).output().expect("node runs");
    assert!(
        out.status.success(),
        "node {} failed:\n{}{}",
        script.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    Some(String::from_utf8(out.stdout).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect())
}

fn ids(found: &Value) -> Vec<&str> {
    found["results"].as_array().unwrap().iter().map(|r| r["id"].as_str().unwrap()).collect()
}

/// Every result links to a paper's details on a digest page that exists.
fn assert_links_exist(out: &Path, prefix: &str, found: &Value) {
    for result in found["results"].as_array().unwrap() {
        let link = result["link"].as_str().unwrap();
        let id = result["id"].as_str().unwrap();
        let (page, fragment) = link.split_once('#').unwrap();
        assert_eq!(fragment, format!("paper-{id}"), "{link}");
        let rel = page.strip_prefix(prefix).unwrap_or_else(|| panic!("{link} does not start with {prefix}"));
        assert!(rel.starts_with("digest/"), "{link} is not a digest_permalink");
        let html = std::fs::read_to_string(out.join(rel).join("index.html"))
            .unwrap_or_else(|e| panic!("{link}: no page ({e})"));
        assert!(html.contains(&format!("id=\"{fragment}\"")), "{link}: no id {fragment}");
    }
}

#[test]
fn english_and_chinese_queries_find_the_right_papers_through_search_js() {
    let site = search_site();
    site.build(&[]);
    let out = site.path("public");
    let Some(found) = node(&[
        out.to_str().unwrap(),
        "masked autoencoders",
        "自监督",
        "NeRF-MAE 自监督",
        "Masked AUTOENCODERS",
        "the of",
        "笔记",
        "zebra",
    ]) else {
        return;
    };
    let [english, chinese, mixed, upper, stop, body, missing] = &found[..] else { panic!("{found:?}") };
    // Title matches first, newest first; then the paper that only mentions it.
    assert_eq!(ids(english), ["2404.01300", "2111.06377", "2404.01000"], "{english}");
    assert_eq!(english["tokens"], serde_json::json!(["masked", "autoencoders"]));
    assert_eq!(english["results"][0]["link"], "/digest/2024-04-02/#paper-2404.01300");
    assert_eq!(english["results"][0]["translated_title"], "NeRF-MAE：自监督三维表示学习中的掩码自编码器");
    assert_eq!(english["results"][0]["date"], "2024-04-02");
    assert_eq!(ids(chinese), ["2404.01300", "2403.00001"], "{chinese}");
    assert_eq!(chinese["tokens"], serde_json::json!(["自监", "监督"]));
    assert_eq!(ids(mixed), ["2404.01300"]);
    assert_eq!(ids(upper), ids(english));
    assert_eq!(stop["total"], 0, "stopwords alone find nothing");
    assert_eq!(body["total"], 0, "the body is not indexed");
    assert_eq!(missing["total"], 0);
    for f in &found {
        assert_links_exist(&out, "/", f);
    }
    // One query reads meta.json, one shard per distinct token, and the chunks
    // of its results: here, everything is small.
    assert!(english["files"].as_array().unwrap().len() <= 4, "{}", english["files"]);
    assert_eq!(english["bytes"]["total"].as_u64().unwrap(), {
        let b = &english["bytes"];
        b["meta"].as_u64().unwrap() + b["shards"].as_u64().unwrap() + b["docs"].as_u64().unwrap()
    });
}

#[test]
fn search_js_tokenizes_exactly_like_the_index_builder() {
    let site = search_site();
    site.build(&[]);
    let texts = [
        "NeRF-MAE: 自监督三维表示",
        "Masked AutoEncoders for Self-Supervised 3D Learning: a 2-step O(n) method, v2",
        r"$\mathcal{O}(n \log n)$ and $\ell_2$ **bold** [link](https://arxiv.org/abs/2404.01300)",
        "日本語のテキスト・한국어 猫 ΣΑΣ Schrödinger İstanbul ＡＢＣ １２",
        "3D重建GPT4模型，的。x",
        "Eneström ENESTRÖM Enestro\u{308}m Phragmén Łódź Ἀθῆναι が ǅ ﬁ Ωmega",
    ];
    let Some(js) = node(&[&["--tokenize", site.path("public").to_str().unwrap()][..], &texts[..]].concat())
    else {
        return;
    };
    for (text, tokens) in texts.iter().zip(&js) {
        assert_eq!(tokens, &serde_json::json!(quire::render::search::tokenize(text)), "{text}");
    }
}

#[test]
fn accents_fold_so_enestrom_finds_enestr_tex_om() {
    let site = Site::new();
    site.full_text();
    site.write(
        "content/2024-04-02/a.md",
        r#"---
id: "2404.00001"
title: 'On the Enestr\"om--Kakeya theorem of Phragm\''en'
authors: ['J\"urgen M{\"u}ller']
---
Notes.
"#,
    );
    site.build(&[]);
    let out = site.path("public");
    if let Some(found) = node(&[out.to_str().unwrap(), "Enestrom", "eneström", "ENESTRÖM phragmen", "Muller"])
    {
        for f in &found {
            assert_eq!(ids(f), ["2404.00001"], "{f}");
        }
        assert_eq!(found[0]["results"][0]["title"], "On the Eneström–Kakeya theorem of Phragmén");
    }
    let page = site.page("paper/2404.00001/index.html");
    assert_eq!(
        crate::support::text(&select(&page, "h1.paper-title span:not(.backref)")[0]),
        "On the Eneström–Kakeya theorem of Phragmén"
    );
    assert_eq!(crate::support::text(&select(&page, "p.authors")[0]), "Authors: Jürgen Müller");
}

#[test]
fn the_search_page_has_a_form_and_every_page_a_search_box_under_the_base_path() {
    let site = search_site();
    site.build(&["--base-url", "https://user.github.io/repo/"]);
    let out = site.path("public");
    let page = site.page("search/index.html");
    let form = select(&page, "main form[role=search]");
    assert_eq!(form.len(), 1);
    let form = form[0].value();
    assert_eq!(form.attr("action"), Some("/repo/search/"));
    assert_eq!(form.attr("data-search-index"), Some("/repo/search/"));
    assert_eq!(form.attr("data-search-base"), Some("/repo/"));
    assert_eq!(select(&page, "main form input[type=search][name=q]").len(), 1);
    assert_eq!(select(&page, "#search-results").len(), 1);
    assert_eq!(select(&page, "script[type=module][src='/repo/search.js']").len(), 1);
    assert!(select(&page, "header form").is_empty(), "one search form on the search page");
    let digest = site.page("digest/2024-04-02/index.html");
    let header = select(&digest, "header form[role=search]");
    assert_eq!(header.len(), 1);
    assert_eq!(header[0].value().attr("action"), Some("/repo/search/"));
    assert_eq!(header[0].value().attr("method"), Some("get"));
    assert_eq!(select(&digest, "header form input[type=search][name=q]").len(), 1);
    let sitemap = std::fs::read_to_string(out.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://user.github.io/repo/search/</loc>"), "{sitemap}");
    check_links(&out, "/repo/");
    if let Some(found) = node(&[out.to_str().unwrap(), "自监督"]) {
        assert_eq!(ids(&found[0]), ["2404.01300", "2403.00001"]);
        assert_links_exist(&out, "/repo/", &found[0]);
    }
}

#[test]
fn the_index_is_sharded_and_the_same_bytes_on_every_build() {
    let site = search_site();
    site.build(&[]);
    let first = crate::support::tree(&site.path("public/search"));
    site.build(&[]);
    assert_eq!(first, crate::support::tree(&site.path("public/search")));
    let meta: Value = serde_json::from_slice(&first[Path::new("meta.json")]).unwrap();
    assert_eq!(meta["version"], 1);
    assert_eq!(meta["docs"], 5);
    let shards = meta["shards"].as_u64().unwrap() as usize;
    let chunk = meta["chunk_size"].as_u64().unwrap() as usize;
    for n in 0..shards {
        assert!(first.contains_key(Path::new(&format!("s/{n}.json"))), "shard {n}");
    }
    for n in 0..5usize.div_ceil(chunk) {
        assert!(first.contains_key(Path::new(&format!("d/{n}.json"))), "chunk {n}");
    }
    assert_eq!(first.len(), 2 + shards + 5usize.div_ceil(chunk), "index.html, meta.json, shards, chunks");
}
