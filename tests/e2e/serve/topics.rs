//! `quire serve` with `[topics]`: an edit of a paper's text that moves it
//! into or out of a topic updates the topic's pages and feed.

use std::time::{Duration, Instant};

use super::client::Server;
use super::strip_reload_script;
use crate::support::{select, tree, Site, SITE_TOML};

fn paper(id: &str, title: &str, summary: &str) -> String {
    format!("---\nid: \"{id}\"\ntitle: \"{title}\"\ndate: 2024-04-02\nsummary: \"{summary}\"\n---\nBody.\n")
}

/// The papers a topic's page lists, by their links.
fn listed(body: &str) -> Vec<String> {
    let page = scraper::Html::parse_document(body);
    select(&page, ".term-papers a").iter().map(|a| a.value().attr("href").unwrap().to_owned()).collect()
}

#[test]
fn an_edit_that_moves_a_paper_into_or_out_of_a_topic_updates_its_pages() {
    let site = Site::new();
    site.write("site.toml", format!("{SITE_TOML}[topics]\ndiffusion = [\"diffusion\", \"扩散\"]\n"));
    site.write("content/a.md", paper("2404.00001", "First title", "A method."));
    site.write("content/b.md", paper("2404.00002", "A Diffusion Model", "Another method."));
    let server = Server::start(&site);
    let mut events = server.events();
    let topic = "/topic/diffusion/";
    assert_eq!(listed(&server.get(topic).body), ["/digest/2024-04-02/#paper-2404.00002"]);
    // Into the topic, by a Chinese word in its summary.
    site.write("content/a.md", paper("2404.00001", "First title", "一种基于扩散的方法。"));
    events.expect("reload");
    let page = server.wait_for(topic, "#paper-2404.00001");
    assert_eq!(
        listed(&page.body),
        ["/digest/2024-04-02/#paper-2404.00001", "/digest/2024-04-02/#paper-2404.00002"]
    );
    // Out of it again.
    site.write("content/b.md", paper("2404.00002", "A Different Model", "Another method."));
    events.expect("reload");
    let deadline = Instant::now() + Duration::from_secs(10);
    while listed(&server.get(topic).body).len() != 1 {
        assert!(Instant::now() < deadline, "the paper that left stays on {topic}");
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(listed(&server.get(topic).body), ["/digest/2024-04-02/#paper-2404.00001"]);
    // The list of topics and the feed follow too: as a full build makes them.
    site.build(&["--base-url", &format!("http://127.0.0.1:{}/", server.port)]);
    for (path, bytes) in tree(&site.path("public/topic")) {
        let path = format!("topic/{}", path.to_string_lossy().replace('\\', "/"));
        let body = strip_reload_script(&server.get(&format!("/{path}")).body);
        assert_eq!(body, String::from_utf8_lossy(&bytes), "{path} differs from the build");
    }
}
