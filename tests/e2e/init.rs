//! `quire init` and `quire new` as a user runs them: a new site that builds
//! and works under a project-site path, a workflow GitHub can read, paper
//! skeletons that build, and files that are never overwritten.

use std::process::Command;

use crate::static_server::{crawl, StaticServer};
use crate::support::{select, stderr, text, Site};

/// An empty temporary folder.
fn empty() -> Site {
    Site { dir: tempfile::tempdir().unwrap() }
}

/// Runs `quire` in the site's folder; it must succeed. Returns its output.
fn quire_ok(site: &Site, args: &[&str]) -> String {
    let out = site.quire(args);
    assert!(out.status.success(), "quire {args:?} failed:\n{}", stderr(&out));
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Runs `quire` in the site's folder; it must fail. Returns its error output.
fn quire_fails(site: &Site, args: &[&str]) -> String {
    let out = site.quire(args);
    assert!(!out.status.success(), "quire {args:?} should fail:\n{}", String::from_utf8_lossy(&out.stdout));
    stderr(&out)
}

#[test]
fn init_gives_a_site_without_broken_links_under_a_project_path() {
    let site = empty();
    let said = quire_ok(&site, &["init", "digest", "--title", "A \"quoted\" digest"]);
    assert!(said.contains("\n  cd digest\n  quire new 2404.01300 "), "{said}");
    assert!(
        said.contains("\n  quire serve -D          (a preview at http://127.0.0.1:1111/, drafts included)"),
        "{said}"
    );
    assert!(said.contains("git push -u origin main"), "{said}");
    let out = site.build(&["--root", "digest", "--base-url", "https://user.github.io/repo/"]);
    assert!(!stderr(&out).contains("warning"), "{}", stderr(&out));
    let server = StaticServer::start(&site.path("digest/public"), "/repo/");
    let crawl = crawl(&server.url("/repo/"));
    assert!(crawl.problems.is_empty(), "{:#?}", crawl.problems);
    let paper = crawl.pages.iter().find(|u| u.contains("/repo/paper/1706.03762/")).expect("the paper page");
    assert!(crawl.pages.len() >= 8 && crawl.fetched > crawl.pages.len(), "{crawl:?}");
    let page =
        scraper::Html::parse_document(&String::from_utf8(crate::static_server::get(paper).body).unwrap());
    assert!(text(&select(&page, "title")[0]).contains("A \"quoted\" digest"));
    assert!(!select(&page, "math").is_empty(), "the example's formulas are rendered");
}

#[test]
fn init_takes_the_address_with_u_as_the_readme_says() {
    let site = empty();
    let said = quire_ok(&site, &["init", "digest", "-u", "https://user.github.io/digest/"]);
    assert!(
        said.contains("a preview at http://127.0.0.1:1111/digest/,"),
        "the path serve previews at: {said}"
    );
    let config: toml::Table =
        toml::from_str(&std::fs::read_to_string(site.path("digest/site.toml")).unwrap()).unwrap();
    assert_eq!(config["base_url"].as_str(), Some("https://user.github.io/digest/"));
}

#[test]
fn init_writes_a_workflow_naming_the_pages_actions() {
    let site = empty();
    quire_ok(&site, &["init"]);
    let yaml = std::fs::read_to_string(site.path(".github/workflows/pages.yml")).unwrap();
    let workflow: serde_json::Value = serde_saphyr::from_str(&yaml).unwrap_or_else(|e| panic!("{e}\n{yaml}"));
    let uses: Vec<&str> = ["build", "deploy"]
        .iter()
        .flat_map(|job| workflow["jobs"][job]["steps"].as_array().unwrap())
        .filter_map(|step| step["uses"].as_str())
        .collect();
    for action in ["actions/configure-pages@", "actions/upload-pages-artifact@", "actions/deploy-pages@"] {
        assert!(uses.iter().any(|u| u.starts_with(action)), "{action} in {uses:?}");
    }
    let permissions = &workflow["permissions"];
    assert_eq!(
        (&permissions["pages"], &permissions["id-token"], &permissions["contents"]),
        (&"write".into(), &"write".into(), &"read".into())
    );
    assert_eq!(workflow["jobs"]["deploy"]["environment"]["name"], "github-pages");
    assert!(workflow["on"]["push"]["branches"].as_array().is_some_and(|b| b.contains(&"main".into())));
    assert!(yaml.contains("--tag \"$QUIRE_VERSION\" quire"), "{yaml}");
    assert_eq!(workflow["jobs"]["build"]["env"]["QUIRE_VERSION"], concat!("v", env!("CARGO_PKG_VERSION")));
    assert!(yaml.contains("quire build --base-url \"${{ steps.pages.outputs.base_url }}/\""), "{yaml}");
    assert_eq!(std::fs::read_to_string(site.path(".gitignore")).unwrap().lines().last(), Some("/public"));
}

#[test]
fn init_refuses_a_folder_that_is_not_empty() {
    let site = empty();
    site.write("notes.txt", "mine");
    let error = quire_fails(&site, &["init"]);
    assert!(error.contains("is not empty") && error.contains("--force"), "{error}");
    assert!(!site.path("site.toml").exists() && !site.path("content").exists());
}

#[test]
fn init_with_force_keeps_an_existing_site_toml_byte_for_byte() {
    let site = empty();
    let mine = "title = \"Mine\"   # my own\nbase_url = \"/\"\n";
    site.write("site.toml", mine);
    let said = quire_ok(&site, &["init", "--force", "--title", "Other"]);
    assert_eq!(std::fs::read(site.path("site.toml")).unwrap(), mine.as_bytes());
    assert!(said.contains("Skipped, already there (left as they are):\n  site.toml"), "{said}");
    assert!(site.path(".github/workflows/pages.yml").is_file() && site.path("static").is_dir());
}

#[test]
fn new_writes_a_skeleton_that_builds_into_its_page() {
    let site = Site::new();
    let said = quire_ok(&site, &["new", "2404.01300", "--date", "2024-04-02"]);
    assert!(said.contains("content/2024-04-02/2404.01300.md"), "{said}");
    assert!(said.contains("quire serve --drafts"), "{said}");
    assert!(site.path("content/2024-04-02/2404.01300.md").is_file());
    let root = site.root().to_str().unwrap();
    quire_ok(&empty(), &["new", "cs/0112017", "--date", "2024-04-02", "--root", root]);
    assert!(site.path("content/2024-04-02/cs-0112017.md").is_file());
    // A new paper is a draft, as with Hugo's `new`: built only with --drafts.
    site.build(&[]);
    assert!(!site.path("public/paper/2404.01300").exists());
    site.build(&["--drafts"]);
    let page = site.page("paper/2404.01300/index.html");
    assert!(text(&select(&page, "title")[0]).contains("TODO"), "the placeholder title is shown");
    assert!(site.path("public/paper/cs-0112017/index.html").is_file());
}

#[test]
fn new_refuses_to_run_outside_a_site() {
    let site = empty();
    let error = quire_fails(&site, &["new", "2404.01300", "--date", "2024-04-02"]);
    assert!(error.contains("no site.toml in .") && error.contains("quire init"), "{error}");
    assert!(!site.path("content").exists());
}

#[test]
fn new_dates_a_paper_by_the_local_clock() {
    // UTC+14 and UTC-12 are 26 hours apart: never on the same date.
    let dated = |tz: &str, id: &str| {
        let site = Site::new();
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_quire"))
            .args(["new", id])
            .current_dir(site.root())
            .env("TZ", tz)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", stderr(&out));
        let folder = std::fs::read_dir(site.path("content")).unwrap().next().unwrap().unwrap();
        folder.file_name().into_string().unwrap()
    };
    let (east, west) = (dated("Etc/GMT-14", "a"), dated("Etc/GMT+12", "b"));
    assert_ne!(east, west, "both folders say {east}");
}

#[test]
fn new_refuses_to_write_over_a_paper() {
    let site = Site::new();
    quire_ok(&site, &["new", "2404.01300", "--date", "2024-04-02"]);
    site.write("content/2024-04-02/2404.01300.md", "mine");
    let error = quire_fails(&site, &["new", "2404.01300", "--date", "2024-04-02"]);
    assert!(error.contains("2404.01300.md already exists"), "{error}");
    assert_eq!(std::fs::read_to_string(site.path("content/2024-04-02/2404.01300.md")).unwrap(), "mine");
}

#[test]
fn new_refuses_a_date_that_does_not_exist() {
    let site = Site::new();
    let error = quire_fails(&site, &["new", "2404.01300", "--date", "2024-13-01"]);
    assert!(error.contains("`2024-13-01` is not a date") && error.contains("YYYY-MM-DD"), "{error}");
    assert!(!site.path("content/2024-13-01").exists());
}

#[test]
fn inits_gitignore_covers_the_output_and_what_a_build_makes_beside_it() {
    let site = empty();
    quire_ok(&site, &["init"]);
    let git = |args: &[&str]| Command::new("git").args(args).current_dir(site.root()).output().unwrap();
    assert!(git(&["init", "-q"]).status.success());
    for made in ["public/index.html", ".public.quire-Ab12Cd/site-x/index.html", ".public.quire-lock"] {
        site.write(made, "x");
        assert!(git(&["check-ignore", "-q", made]).status.success(), "{made} is not ignored");
    }
    for kept in ["site.toml", "content/2024-04-02/x.md", "static/CNAME"] {
        site.write(kept, "x");
        assert!(!git(&["check-ignore", "-q", kept]).status.success(), "{kept} is ignored");
    }
}

#[test]
fn new_of_a_paper_the_site_has_says_listed_and_the_build_says_so_too() {
    let site = empty();
    quire_ok(&site, &["init"]);
    let error = quire_fails(&site, &["new", "1706.03762", "--date", "2024-04-05"]);
    assert!(
        error.contains("`1706.03762` is already a paper of this site, in content/2017-06-12/1706.03762.md; nothing was written."),
        "{error}"
    );
    assert!(error.contains("add to its front matter:\n  listed:\n    - date: 2024-04-05\n"), "{error}");
    assert!(!site.path("content/2024-04-05").exists());
    // A second file for it anyway: the build says the same, at a line of that file.
    let example = std::fs::read_to_string(site.path("content/2017-06-12/1706.03762.md")).unwrap();
    site.write("content/2024-04-05/1706.03762.md", example.replacen("---\n", "---\ndate: 2024-04-05\n", 1));
    let error = site.build_fails(&[]);
    assert!(
        error.contains(
            "duplicate id `1706.03762`: also in content/2017-06-12/1706.03762.md (dated 2017-06-12)"
        ),
        "{error}"
    );
    assert!(
        error.contains(" --> content/2024-04-05/1706.03762.md:2:1\n  |\n2 | date: 2024-04-05\n"),
        "the source line:\n{error}"
    );
    assert!(
        error.contains("add `listed: [{date: 2024-04-05}]` to content/2017-06-12/1706.03762.md"),
        "{error}"
    );
    // The advice, followed, builds: one paper in both digests.
    std::fs::remove_dir_all(site.path("content/2024-04-05")).unwrap();
    site.write(
        "content/2017-06-12/1706.03762.md",
        example.replacen("---\n", "---\nlisted: [{date: 2024-04-05}]\n", 1),
    );
    site.build(&[]);
    for digest in ["2017-06-12", "2024-04-05"] {
        let page = site.page(&format!("digest/{digest}/index.html"));
        assert_eq!(select(&page, "#paper-1706\\.03762").len(), 1, "{digest}");
    }
}
