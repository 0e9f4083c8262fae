//! A build killed at any moment, or started while another runs, never
//! leaves the output missing nor staging folders behind.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use crate::support::Site;

/// A site big enough that a build takes a while.
fn big_site(papers: usize) -> Site {
    let site = Site::new();
    let body = "A paragraph with $x_i$ math and [a link](https://example.org/).\n\n".repeat(20);
    for i in 0..papers {
        let day = i % 28 + 1;
        site.write(
            &format!("content/2024-02-{day:02}/p{i}.md"),
            format!("---\nid: p{i}\ntitle: Paper {i}\ntags: [t{}]\n---\n{body}", i % 50),
        );
    }
    site
}

/// Names beside the output that a build made: staging folders, the lock.
fn leftovers(site: &Site) -> Vec<String> {
    std::fs::read_dir(site.root())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("quire"))
        .collect()
}

/// Starts a build and returns once its staging folder holds `files` files.
fn mid_build(site: &Site, files: usize) -> std::process::Child {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quire"))
        .arg("build")
        .current_dir(site.root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(60);
    let written = || {
        walkdir::WalkDir::new(site.root())
            .into_iter()
            .filter_map(Result::ok)
            .filter(|e| e.path().to_string_lossy().contains(".public.quire-") && e.file_type().is_file())
            .count()
    };
    while written() < files {
        assert!(child.try_wait().unwrap().is_none(), "the build ended before it could be killed");
        assert!(Instant::now() < deadline, "the build wrote nothing");
        std::thread::sleep(Duration::from_millis(5));
    }
    child
}

/// Starts a build and kills it (SIGKILL) once its staging folder holds
/// `files` files.
fn kill_mid_build(site: &Site, files: usize) {
    let mut child = mid_build(site, files);
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_second_build_while_one_runs_fails_at_once_and_harms_neither() {
    let site = big_site(800);
    let mut first = mid_build(&site, 50);
    let err = site.build_fails(&[]);
    assert!(err.contains("error: another quire build is writing ./public now"), "{err}");
    assert!(first.wait().unwrap().success(), "the first build went on");
    assert!(site.path("public/paper/p799/index.html").is_file());
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[cfg(unix)]
#[test]
fn the_build_after_a_killed_one_removes_what_it_left_and_keeps_the_output() {
    let site = big_site(800);
    kill_mid_build(&site, 100);
    assert!(!leftovers(&site).is_empty(), "the killed build left its staging folder");
    site.build(&[]);
    assert!(site.path("public/paper/p0/index.html").is_file());
    assert_eq!(leftovers(&site), Vec::<String>::new());
    // Killed while a previous output is there: the output stays whole.
    site.write("content/2024-02-01/p0.md", "---\nid: p0\ntitle: Changed\n---\nChanged.\n");
    kill_mid_build(&site, 100);
    assert!(std::fs::read_to_string(site.path("public/paper/p0/index.html")).unwrap().contains("Paper 0"));
    site.build(&[]);
    assert!(std::fs::read_to_string(site.path("public/paper/p0/index.html")).unwrap().contains("Changed"));
    assert_eq!(leftovers(&site), Vec::<String>::new());
}

#[test]
fn a_build_puts_back_an_output_left_aside_by_a_swap_cut_in_two() {
    let site = Site::new();
    site.paper("content/a.md", "a", "2024-04-02");
    site.build(&[]);
    let before = site.output();
    // A build killed between the swap's two renames, with another killed earlier.
    let staging = site.path(".public.quire-Xy12ab");
    std::fs::create_dir_all(staging.join("site-Ab34cd/paper")).unwrap();
    std::fs::rename(site.path("public"), staging.join("previous-output")).unwrap();
    std::fs::create_dir_all(site.path(".public.quire-Zz99zz/site-Qq11qq")).unwrap();
    // Even a build that then fails puts the output back first.
    site.write("content/b.md", "---\nid: b\n---\n");
    site.build_fails(&[]);
    assert_eq!(site.output(), before);
    assert_eq!(leftovers(&site), Vec::<String>::new());
}
