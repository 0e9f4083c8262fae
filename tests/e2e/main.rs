//! End-to-end tests: the real `quire` binary on fixture sites, the HTML it
//! writes read back with an HTML parser.

mod architecture;
mod archive;
mod arxiv_tex;
mod browser;
mod build;
mod check;
mod cli;
mod commonmark;
mod crash;
#[cfg(unix)]
mod daily_workflow;
mod enrich;
mod errors;
mod example_site;
mod golden;
mod import;
mod import_bounds;
mod import_edges;
mod import_formats;
mod import_safety;
mod init;
mod language;
mod llm_server;
mod math;
mod messages;
mod page_head;
mod quick_start;
mod reader;
mod readers;
mod safety;
mod search;
mod seed;
mod serve;
mod size;
mod static_server;
mod support;
mod theme_eject;
mod tools;
mod topics;
mod workflows;
