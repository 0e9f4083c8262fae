//! End-to-end tests: the real `quire` binary on fixture sites, the HTML it
//! writes read back with an HTML parser.

mod archive;
mod browser;
mod build;
mod check;
mod crash;
#[cfg(unix)]
mod daily_workflow;
mod errors;
mod example_site;
mod import;
mod import_formats;
mod init;
mod language;
mod math;
mod reader;
mod readers;
mod safety;
mod search;
mod seed;
mod serve;
mod size;
mod static_server;
mod support;
mod tools;
mod workflows;
