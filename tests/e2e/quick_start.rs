//! The README's quick start, run as it is written: each `quire` line of its
//! first block in a fresh folder (`cargo install` aside: the binary under
//! test stands in for it), `cd` followed, and `quire serve` asked for the
//! new paper's page. A quick start that no longer works fails here.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Command, Stdio};

use crate::static_server::get;
use crate::support::stderr;

/// The commands of the quick start's first block, comments left out.
fn quick_start() -> Vec<String> {
    let readme = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap();
    let section = &readme[readme.find("\n## Quick start\n").expect("the README has a quick start")..];
    let block = &section[section.find("```sh\n").unwrap() + 6..];
    let block = &block[..block.find("```").unwrap()];
    block
        .lines()
        .map(|l| l.split("  #").next().unwrap().trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect()
}

#[test]
fn the_quick_start_works_as_written() {
    let commands = quick_start();
    assert!(commands[0].starts_with("cargo install --locked"), "{commands:?}");
    let home = tempfile::tempdir().unwrap();
    let mut dir = PathBuf::from(home.path());
    let mut served = false;
    for command in &commands[1..] {
        let words: Vec<&str> = command.split_whitespace().collect();
        match words[..] {
            ["cd", to] => dir.push(to),
            ["quire", "serve", ..] => {
                serve_shows_the_new_draft(&dir, &words[1..]);
                served = true;
            }
            ["quire", ..] => {
                let out = Command::new(env!("CARGO_BIN_EXE_quire"))
                    .args(&words[1..])
                    .current_dir(&dir)
                    .output()
                    .unwrap();
                assert!(out.status.success(), "{command}: {}", stderr(&out));
            }
            _ => panic!("the quick start has a line this test does not know: {command}"),
        }
    }
    assert!(served, "the quick start ends with quire serve: {commands:?}");
    assert!(dir.join(".github/workflows/pages.yml").is_file(), "the site publishes itself");
}

/// `quire <args>` (serve) in `dir`: the new paper, a draft, is served.
fn serve_shows_the_new_draft(dir: &std::path::Path, args: &[&str]) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .args(args)
        .current_dir(dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let serving = lines.map_while(Result::ok).find_map(|l| l.strip_prefix("Serving ").map(str::to_owned));
    let url = serving.expect("quire serve says where").split_whitespace().next().unwrap().to_owned();
    assert!(url.ends_with("/my-digest/"), "served at the site's path: {url}");
    let page = get(&format!("{url}paper/2404.01300/"));
    let _ = child.kill();
    let _ = child.wait();
    assert_eq!(page.status, 200, "the new draft is served with -D");
    assert!(String::from_utf8_lossy(&page.body).contains("TODO"), "its placeholder title is shown");
}
