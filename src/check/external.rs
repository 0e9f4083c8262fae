//! `quire check --external`: links to other sites, asked politely.
//!
//! Each distinct URL is asked once, however many pages link to it: a HEAD
//! request, then a GET when the server refuses HEAD. Hosts are asked in
//! parallel, but each host one request at a time with a pause between
//! requests: a digest links every paper to arxiv.org twice, and a checker
//! must not hammer it.

use std::collections::{BTreeMap, BTreeSet};
use std::time::Duration;

use super::Broken;
use crate::error::{Error, Result};

/// How to ask other sites.
#[derive(Debug, Clone, Copy)]
pub struct Politeness {
    /// The pause between two requests to the same host.
    pub delay: Duration,
    /// How long one request may take.
    pub timeout: Duration,
}

/// At most this many hosts are asked at the same time.
const PARALLEL_HOSTS: usize = 4;

/// Asks every URL of `links` (URL -> the pages linking to it); returns the
/// broken ones, once per page. A worker that panicked is an error: its
/// hosts' broken links would otherwise go unreported.
pub fn check(links: &BTreeMap<String, BTreeSet<String>>, politeness: Politeness) -> Result<Vec<Broken>> {
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .timeout_global(Some(politeness.timeout))
        .user_agent(concat!("quire-check/", env!("CARGO_PKG_VERSION")))
        .build()
        .into();
    let mut by_host: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for url in links.keys() {
        by_host.entry(host(url)).or_default().push(url);
    }
    let hosts: Vec<Vec<&str>> = by_host.into_values().collect();
    let failures = std::thread::scope(|scope| -> Result<Vec<Vec<(String, String)>>> {
        let workers: Vec<_> = (0..PARALLEL_HOSTS.min(hosts.len()))
            .map(|w| {
                let (agent, hosts) = (&agent, &hosts);
                scope.spawn(move || {
                    hosts
                        .iter()
                        .skip(w)
                        .step_by(PARALLEL_HOSTS)
                        .flat_map(|urls| ask_host(agent, urls, politeness))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        workers.into_iter().map(|w| w.join().map_err(|_| Error::Panicked("a link-checking worker"))).collect()
    })?;
    let mut broken: Vec<Broken> = failures
        .into_iter()
        .flatten()
        .flat_map(|(url, reason)| {
            links[&url].iter().map(move |page| Broken {
                page: page.clone(),
                link: url.clone(),
                reason: reason.clone(),
            })
        })
        .collect();
    broken.sort();
    Ok(broken)
}

/// Asks one host's URLs in turn, pausing between them; returns the failures.
fn ask_host(agent: &ureq::Agent, urls: &[&str], politeness: Politeness) -> Vec<(String, String)> {
    let mut failures = Vec::new();
    for (i, url) in urls.iter().enumerate() {
        if i > 0 {
            std::thread::sleep(politeness.delay);
        }
        if let Err(reason) = ask(agent, url) {
            failures.push((url.to_string(), reason));
        }
    }
    failures
}

fn ask(agent: &ureq::Agent, url: &str) -> Result<(), String> {
    match agent.head(url).call() {
        Ok(_) => Ok(()),
        Err(ureq::Error::StatusCode(403 | 405 | 501)) => agent.get(url).call().map(drop).map_err(describe),
        Err(e) => Err(describe(e)),
    }
}

fn describe(e: ureq::Error) -> String {
    match e {
        ureq::Error::StatusCode(code) => format!("HTTP {code}"),
        other => other.to_string(),
    }
}

/// `scheme://host:port` of a URL, the unit requests are spaced by.
fn host(url: &str) -> &str {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let end = url[after_scheme..].find(['/', '?', '#']).map_or(url.len(), |i| after_scheme + i);
    &url[..end]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn requests_are_grouped_by_host() {
        assert_eq!(host("https://arxiv.org/abs/2404.01300"), "https://arxiv.org");
        assert_eq!(host("http://127.0.0.1:8080/x?y"), "http://127.0.0.1:8080");
        assert_eq!(host("https://example.org"), "https://example.org");
    }
}
