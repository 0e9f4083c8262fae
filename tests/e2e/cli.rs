//! The command line as users of Zola and Hugo reach for it: `--root`
//! before the subcommand, `-D` for drafts, examples in `--help`, and shell
//! completions that a shell loads.

use crate::support::{stderr, Site};

fn stdout(out: &std::process::Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// A folder holding a site in `site/`, with one paper and one draft.
fn site_in_a_folder() -> Site {
    let outer = Site { dir: tempfile::tempdir().unwrap() };
    outer.write("site/site.toml", crate::support::SITE_TOML);
    outer.paper("site/content/2024-04-02/a.md", "2404.00001", "2024-04-02");
    outer.write(
        "site/content/2024-04-02/b.md",
        "---\nid: \"2404.00002\"\ntitle: Draft\ndate: 2024-04-02\ndraft: true\n---\n",
    );
    outer
}

#[test]
fn the_root_is_taken_before_the_subcommand_and_d_builds_drafts() {
    let outer = site_in_a_folder();
    let out = outer.quire(&["-r", "site", "build", "-D"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(outer.path("site/public/paper/2404.00002/index.html").is_file(), "-D builds the draft");
    let out = outer.quire(&["--root", "site", "check", "-D"]);
    assert!(out.status.success(), "{}", stderr(&out));
    let out = outer.quire(&["-r", "site", "new", "2404.00003", "--date", "2024-04-03"]);
    assert!(out.status.success(), "{}", stderr(&out));
    assert!(outer.path("site/content/2024-04-03/2404.00003.md").is_file());
}

#[test]
fn help_gives_examples() {
    let site = Site::new();
    let help = stdout(&site.quire(&["--help"]));
    assert!(help.contains("Examples:\n  quire init my-digest"), "{help}");
    let help = stdout(&site.quire(&["build", "--help"]));
    assert!(help.contains("-D, --drafts") && help.contains("-r, --root <DIR>"), "{help}");
    assert!(help.contains("Examples:\n  quire build\n"), "{help}");
}

#[test]
fn completions_are_written_for_each_shell() {
    let site = Site::new();
    for shell in ["bash", "zsh", "fish", "powershell", "elvish"] {
        let out = site.quire(&["completions", shell]);
        assert!(out.status.success(), "{shell}: {}", stderr(&out));
        let script = stdout(&out);
        for word in ["serve", "drafts", "completions"] {
            assert!(script.contains(word), "{shell}: no {word}:\n{script}");
        }
    }
    let refused = site.quire(&["completions", "tcsh"]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("possible values: bash"), "{}", stderr(&refused));
}

/// bash loads the script and completes `quire se` to `serve`.
#[cfg(unix)]
#[test]
fn bash_completes_a_subcommand() {
    let site = Site::new();
    site.write("quire.bash", site.quire(&["completions", "bash"]).stdout);
    let out = std::process::Command::new("bash")
        .arg("-c")
        .arg("source ./quire.bash && COMP_WORDS=(quire se) COMP_CWORD=1 && _quire quire se quire && echo \"${COMPREPLY[@]}\"")
        .current_dir(site.root())
        .output()
        .expect("bash runs");
    assert!(out.status.success(), "{}", stderr(&out));
    assert_eq!(stdout(&out).trim(), "serve");
}
