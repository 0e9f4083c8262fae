//! `quire theme eject`: the theme built into the binary, written into a
//! site to edit, as someone with only the binary gets at it. An edited copy
//! of one template, one static file, one language's strings, or the whole
//! theme, shows in the built site; the errors that send a user to the
//! theme's files name the command, and following them works.

use crate::support::{select, stderr, text, Site};

fn eject(site: &Site, args: &[&str]) -> String {
    let out = site.quire(&[&["theme", "eject"], args].concat());
    assert!(out.status.success(), "theme eject {args:?}: {}", stderr(&out));
    String::from_utf8(out.stdout).unwrap()
}

fn one_paper() -> Site {
    let site = Site::new();
    site.paper("content/2024-04-02/a.md", "2404.00001", "2024-04-02");
    site
}

#[test]
fn an_ejected_template_and_stylesheet_are_the_sites_to_edit() {
    let site = one_paper();
    let said = eject(&site, &["paper.html"]);
    assert!(said.starts_with("Wrote\n  templates/paper.html\n"), "{said}");
    let template = std::fs::read_to_string(site.path("templates/paper.html")).unwrap();
    site.write(
        "templates/paper.html",
        template.replacen("{% block title %}", "{% block title %}Edited: ", 1),
    );
    eject(&site, &["style.css"]);
    let css = std::fs::read_to_string(site.path("static/style.css")).unwrap();
    site.write("static/style.css", format!("{css}\n.mine {{}}\n"));
    site.build(&[]);
    let page = site.page("paper/2404.00001/index.html");
    assert!(text(&select(&page, "title")[0]).starts_with("Edited: "), "the site's template is used");
    assert!(std::fs::read_to_string(site.path("public/style.css")).unwrap().ends_with(".mine {}\n"));
    let again = site.quire(&["theme", "eject", "paper.html"]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("templates/paper.html already exists"), "{}", stderr(&again));
}

#[test]
fn the_whole_theme_builds_from_the_sites_copy() {
    let site = one_paper();
    let said = eject(&site, &[]);
    assert!(
        said.contains("themes/default/templates/base.html") && said.contains("themes/default/i18n/zh.toml")
    );
    let base = std::fs::read_to_string(site.path("themes/default/templates/base.html")).unwrap();
    site.write(
        "themes/default/templates/base.html",
        base.replacen("<body>", "<body data-ejected=\"yes\">", 1),
    );
    site.build(&[]);
    let page = site.page("index.html");
    assert_eq!(select(&page, "body")[0].value().attr("data-ejected"), Some("yes"));
    assert!(site.path("public/fonts/stix-two-math-core.woff2").is_file());
}

#[test]
fn a_language_the_theme_lacks_is_built_as_the_error_says() {
    let site = one_paper();
    site.write("site.toml", crate::support::SITE_TOML.replace("language = \"en\"", "language = \"fr\""));
    let err = site.build_fails(&[]);
    assert!(err.contains("run `quire theme eject --i18n fr`"), "{err}");
    let said = eject(&site, &["--i18n", "fr"]);
    assert!(said.contains("i18n/fr.toml"), "{said}");
    let strings = std::fs::read_to_string(site.path("i18n/fr.toml")).unwrap();
    site.write("i18n/fr.toml", strings.replace("archive = \"Archive\"", "archive = \"Archives\""));
    site.build(&[]);
    let page = site.page("index.html");
    assert!(select(&page, "a").iter().any(|a| text(a) == "Archives"), "the translated string is used");
}

#[test]
fn init_in_a_language_without_strings_points_at_the_command() {
    let site = Site { dir: tempfile::tempdir().unwrap() };
    let out = site.quire(&["init", "digest", "--language", "fr"]);
    assert!(
        stderr(&out).contains("`quire theme eject --i18n fr` writes the English strings"),
        "{}",
        stderr(&out)
    );
}
