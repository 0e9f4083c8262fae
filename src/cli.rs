//! The command line: one `Args` struct per subcommand, each with `run()`.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

use crate::error::{printable, Result};

/// quire: a static site generator for paper digests.
#[derive(Debug, Parser)]
#[command(name = "quire", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: public/).
    Build(BuildArgs),
    /// Build in memory and check every internal link and #fragment.
    Check(CheckArgs),
    /// Serve the site locally, rebuild on every save and reload the browser.
    Serve(ServeArgs),
    /// Import digests, feeds and producers' records: one file per paper, merged into content/.
    Import(ImportArgs),
    /// Fill what papers are missing (translated title, summary, body) with a language model.
    Enrich(EnrichArgs),
    /// Create a new site: site.toml, an example paper, a GitHub Pages workflow.
    Init(InitArgs),
    /// Write a paper file with every field, ready to fill in.
    New(NewArgs),
}

impl Command {
    pub fn run(self) -> Result<()> {
        match self {
            Command::Build(args) => args.run(),
            Command::Check(args) => args.run(),
            Command::Serve(args) => args.run(),
            Command::Import(args) => args.run(),
            Command::Enrich(args) => args.run(),
            Command::Init(args) => args.run(),
            Command::New(args) => args.run(),
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// The site's folder (holding site.toml and content/).
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Where to write the site, relative to the current folder [default: ROOT/public].
    #[arg(short, long)]
    pub output_dir: Option<PathBuf>,
    /// Use this base URL instead of the one in site.toml.
    #[arg(short = 'u', long)]
    pub base_url: Option<String>,
    /// Include papers marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

impl BuildArgs {
    pub fn run(self) -> Result<()> {
        let options = crate::BuildOptions {
            output_dir: self.output_dir.unwrap_or_else(|| self.root.join("public")),
            root: self.root,
            base_url: self.base_url,
            drafts: self.drafts,
        };
        let summary = crate::build(&options)?;
        for warning in &summary.warnings {
            eprintln!("warning: {warning}");
        }
        println!("{summary}");
        Ok(())
    }
}

#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// The site's folder (holding site.toml and content/).
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// Use this base URL instead of the one in site.toml.
    #[arg(short = 'u', long)]
    pub base_url: Option<String>,
    /// Include papers marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
    /// Also ask other sites whether the pages linked to exist.
    #[arg(long)]
    pub external: bool,
    /// With --external: milliseconds between two requests to the same host.
    #[arg(long, default_value_t = 1000)]
    pub delay_ms: u64,
}

impl CheckArgs {
    pub fn run(self) -> Result<()> {
        let base_url = self.base_url.as_deref().map(crate::url::base_url_argument).transpose()?;
        let politeness = self.external.then(|| crate::check::external::Politeness {
            delay: std::time::Duration::from_millis(self.delay_ms),
            timeout: std::time::Duration::from_secs(15),
        });
        let report = crate::check::check(&self.root, base_url, self.drafts, politeness)?;
        println!("{}", printable(&report.to_string()));
        if report.broken.is_empty() {
            Ok(())
        } else {
            Err(crate::error::Error::BrokenLinks(report.broken.len()))
        }
    }
}

#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// The site's folder (holding site.toml and content/).
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// The address to listen on; anything but loopback is readable by other machines.
    #[arg(short, long, default_value = "127.0.0.1")]
    pub interface: std::net::IpAddr,
    /// The port to listen on; one asked for must be free [default: 1111, or the next free one].
    #[arg(short, long)]
    pub port: Option<u16>,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
    /// Include papers marked `draft: true`.
    #[arg(long)]
    pub drafts: bool,
}

impl ServeArgs {
    pub fn run(self) -> Result<()> {
        crate::serve::serve(&crate::serve::ServeOptions {
            root: self.root,
            interface: self.interface,
            port: self.port,
            open: self.open,
            drafts: self.drafts,
        })
    }
}

#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// Files, folders (every file of a known format in them) or `-` for standard input.
    #[arg(required = true)]
    pub paths: Vec<PathBuf>,
    /// The format of every input: digest, paper-json, jsonl, arxiv-api, rss-atom, rss, hf
    /// [default: recognised from each input's content].
    #[arg(long, value_name = "FORMAT")]
    pub from: Option<String>,
    /// The digests' date, YYYY-MM-DD [default: from each input, or its file name].
    #[arg(long)]
    pub date: Option<String>,
    /// The digest's category, for papers that name none [default: from a file named like one, cs.LG.md].
    #[arg(long, value_name = "CAT")]
    pub category: Option<String>,
    /// The folder new papers go into, as INTO/DATE/ID.md; papers already anywhere in the site's content/ are updated where they are.
    #[arg(long, default_value = "content")]
    pub into: PathBuf,
    /// Show what would change; write nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Any record that cannot be read is an error, and nothing is written.
    #[arg(long)]
    pub strict: bool,
    /// The producers' values replace hand edits of the fields they set (never the body).
    #[arg(short, long)]
    pub force: bool,
}

impl ImportArgs {
    pub fn run(self) -> Result<()> {
        let options = crate::import::ImportOptions {
            paths: self.paths,
            from: self.from,
            date: self.date,
            category: self.category,
            into: self.into,
            dry_run: self.dry_run,
            strict: self.strict,
            force: self.force,
        };
        let report = crate::import::import(&options)?;
        for warning in report.warnings() {
            eprintln!("{}", printable(&warning));
        }
        println!("{}", printable(&report.to_string()));
        Ok(())
    }
}

#[derive(Debug, clap::Args)]
pub struct EnrichArgs {
    /// The site's folder (holding site.toml and content/).
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
    /// The language to write in [default: the site's `language`].
    #[arg(long)]
    pub language: Option<String>,
    /// The API's address, over `[llm] base_url`: https://api.deepseek.com/v1.
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// The model, over `[llm] model`: deepseek-chat.
    #[arg(long)]
    pub model: Option<String>,
    /// Only papers of this date or later, YYYY-MM-DD.
    #[arg(long, value_name = "DATE")]
    pub since: Option<String>,
    /// Only these papers (ids, separated by commas or repeated).
    #[arg(long, value_name = "ID", value_delimiter = ',')]
    pub ids: Vec<String>,
    /// At most N papers, the newest first.
    #[arg(long, visible_alias = "max-papers", value_name = "N")]
    pub limit: Option<usize>,
    /// Send no more once the API has counted N tokens.
    #[arg(long, value_name = "N")]
    pub max_tokens: Option<u64>,
    /// Ask again about papers a model did before (a person's fields are still never replaced).
    #[arg(short, long)]
    pub force: bool,
    /// List the papers and the fields that would be asked for, with an estimate of the tokens; send nothing.
    #[arg(long)]
    pub dry_run: bool,
}

impl EnrichArgs {
    pub fn run(self) -> Result<()> {
        let options = crate::import::enrich::EnrichOptions {
            root: self.root,
            language: self.language,
            base_url: self.base_url,
            model: self.model,
            since: self.since,
            ids: self.ids,
            limit: self.limit,
            max_tokens: self.max_tokens,
            force: self.force,
            dry_run: self.dry_run,
        };
        let terminal = std::io::IsTerminal::is_terminal(&std::io::stderr());
        let mut bar = crate::import::enrich::progress::Progress::new(terminal);
        let report = crate::import::enrich::enrich(&options, &mut |tally| bar.update(tally));
        bar.finish();
        let report = report?;
        for warning in report.warnings() {
            eprintln!("{}", printable(&warning));
        }
        println!("{}", printable(&report.to_string()));
        report.failure().map_or(Ok(()), Err)
    }
}

#[derive(Debug, clap::Args)]
pub struct InitArgs {
    /// The folder to create the site in (created if needed).
    #[arg(default_value = ".")]
    pub dir: PathBuf,
    /// The site's title.
    #[arg(long, default_value = "Paper digest")]
    pub title: String,
    /// The address the site will be published at.
    #[arg(long, default_value = "https://example.org/")]
    pub base_url: String,
    /// The language of the interface text: en, zh, or one the site has in i18n/<language>.toml.
    #[arg(long, default_value = "en")]
    pub language: String,
    /// Also write .github/workflows/daily.yml, which imports this arXiv category's feed each
    /// weekday and publishes the site (repeat for more: --feed cs.CV --feed cs.LG).
    #[arg(long = "feed", value_name = "CATEGORY")]
    pub feeds: Vec<String>,
    /// Add the missing files to a folder that is not empty, keeping every existing file.
    #[arg(short, long)]
    pub force: bool,
}

impl InitArgs {
    pub fn run(self) -> Result<()> {
        let options = crate::init::InitOptions {
            dir: self.dir,
            title: self.title,
            base_url: self.base_url,
            language: self.language,
            feeds: self.feeds,
            force: self.force,
        };
        let report = crate::init::init(&options)?;
        println!("{}", printable(&report.to_string()));
        Ok(())
    }
}

#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// The paper's id: an arXiv id like 2404.01300 or cs/0112017, or any name.
    pub id: String,
    /// The digest's date, YYYY-MM-DD; the file goes to content/DATE/ [default: today].
    #[arg(long)]
    pub date: Option<String>,
    /// The site's folder (holding site.toml and content/).
    #[arg(short, long, default_value = ".")]
    pub root: PathBuf,
}

impl NewArgs {
    pub fn run(self) -> Result<()> {
        let options = crate::init::NewOptions { id: self.id, date: self.date, root: self.root };
        let path = crate::init::new_paper(&options)?;
        let path = path.display().to_string();
        println!(
            "Wrote {}: fill in the title and the rest, then `quire serve --drafts` to see it \
             (it is a draft until you remove `draft: true`).",
            printable(&path)
        );
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    fn parse(args: &[&str]) -> Command {
        Cli::try_parse_from([&["quire"], args].concat()).unwrap_or_else(|e| panic!("{args:?}: {e}")).command
    }

    #[test]
    fn short_flags_are_those_of_zola_and_hugo() {
        Cli::command().debug_assert();
        let Command::Build(b) = parse(&["build", "-r", "site", "-o", "out", "-u", "https://x.org/"]) else {
            panic!()
        };
        assert_eq!(
            (b.root, b.output_dir, b.base_url),
            ("site".into(), Some("out".into()), Some("https://x.org/".into()))
        );
        let Command::Serve(s) = parse(&["serve", "-r", "site", "-i", "0.0.0.0", "-p", "8080"]) else {
            panic!()
        };
        assert_eq!((s.root, s.interface.to_string(), s.port), ("site".into(), "0.0.0.0".into(), Some(8080)));
        let Command::Check(c) = parse(&["check", "-r", "site", "-u", "/"]) else { panic!() };
        assert_eq!((c.root, c.base_url), ("site".into(), Some("/".into())));
        let Command::Init(i) = parse(&["init", "-f"]) else { panic!() };
        assert!(i.force);
        let Command::Import(i) = parse(&["import", "d.md", "--date", "2024-04-02", "-f"]) else { panic!() };
        assert!(i.force);
        let Command::New(n) = parse(&["new", "x", "-r", "site"]) else { panic!() };
        assert_eq!(n.root, PathBuf::from("site"));
    }
}
