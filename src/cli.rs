//! The command line: one `Args` struct per subcommand, each with `run()`.
//! `--root` is global, as in Zola and Hugo: before the subcommand or after.

use std::path::{Path, PathBuf};

use clap::{Parser, Subcommand};

use crate::error::{printable, Error, Result};

/// quire: a static site generator for paper digests.
#[derive(Debug, Parser)]
#[command(name = "quire", version, about, long_about = None, after_help = EXAMPLES)]
pub struct Cli {
    /// The site's folder (holding site.toml and content/) [default: .].
    #[arg(short, long, global = true, value_name = "DIR")]
    pub root: Option<PathBuf>,
    #[command(subcommand)]
    pub command: Command,
}

const EXAMPLES: &str = "\
Examples:
  quire init my-digest      start a site in my-digest/ (with its GitHub Pages workflow)
  quire new 2404.01300      a paper file to fill in, in content/<today>/
  quire serve -D            preview at http://127.0.0.1:1111/, drafts included
  quire build               the site into public/
  quire -r my-digest build  the same, from another folder
  curl -fsSL https://rss.arxiv.org/rss/cs.CV | quire import -";

impl Cli {
    /// Runs the subcommand, in the site `--root` names.
    pub fn run(self) -> Result<()> {
        let root = self.root.clone().unwrap_or_else(|| PathBuf::from("."));
        match self.command {
            Command::Build(args) => args.run(root),
            Command::Check(args) => args.run(root),
            Command::Serve(args) => args.run(root),
            Command::Import(args) => args.run(self.root),
            Command::Enrich(args) => args.run(root),
            Command::Init(args) => args.run(self.root),
            Command::New(args) => args.run(root),
            Command::Theme(ThemeCommand::Eject(args)) => args.run(root),
            Command::Completions(args) => args.run(),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Build the site into the output folder (default: public/).
    #[command(after_help = "Examples:\n  quire build\n  quire build -D -o /tmp/preview\n  \
        quire build -u https://user.github.io/repo/")]
    Build(BuildArgs),
    /// Build in memory and check every internal link and #fragment.
    #[command(after_help = "Examples:\n  quire check\n  quire check --external --delay-ms 2000")]
    Check(CheckArgs),
    /// Serve the site locally, rebuild on every save and reload the browser.
    #[command(
        after_help = "Examples:\n  quire serve\n  quire serve -D --open\n  quire serve -i 0.0.0.0 -p 8080"
    )]
    Serve(ServeArgs),
    /// Import digests, feeds and producers' records: one file per paper, merged into content/.
    #[command(after_help = "Examples:\n  curl -fsSL https://rss.arxiv.org/rss/cs.CV | quire import -\n  \
        quire import digests/ --dry-run\n  quire import 2024-04-02.md --category cs.CV")]
    Import(ImportArgs),
    /// Fill what papers are missing (translated title, summary, body) with a language model.
    #[command(after_help = "Examples:\n  LLM_API_KEY=... quire enrich --since 2024-04-01\n  \
        quire enrich --dry-run --limit 20")]
    Enrich(EnrichArgs),
    /// Create a new site: site.toml, an example paper, a GitHub Pages workflow.
    #[command(after_help = "Examples:\n  quire init my-digest -u https://user.github.io/my-digest/\n  \
        quire init my-digest --language zh --feed cs.CV --feed cs.LG")]
    Init(InitArgs),
    /// Write a paper file with every field, ready to fill in.
    #[command(after_help = "Examples:\n  quire new 2404.01300\n  quire new cs/0112017 --date 2024-04-02")]
    New(NewArgs),
    /// Write the default theme built into quire, or one of its files, into the site to edit.
    #[command(subcommand)]
    Theme(ThemeCommand),
    /// Print a shell completion script: bash, zsh, fish, powershell or elvish.
    #[command(
        after_help = "Examples:\n  quire completions bash > ~/.local/share/bash-completion/completions/quire\n  \
        quire completions zsh > ~/.zfunc/_quire\n  \
        quire completions fish > ~/.config/fish/completions/quire.fish"
    )]
    Completions(CompletionsArgs),
}

#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Where to write the site, relative to the current folder [default: ROOT/public].
    #[arg(short, long)]
    pub output_dir: Option<PathBuf>,
    /// Use this base URL instead of the one in site.toml.
    #[arg(short = 'u', long)]
    pub base_url: Option<String>,
    /// Include papers marked `draft: true`.
    #[arg(short = 'D', long)]
    pub drafts: bool,
}

impl BuildArgs {
    pub fn run(self, root: PathBuf) -> Result<()> {
        let options = crate::BuildOptions {
            output_dir: self.output_dir.unwrap_or_else(|| root.join("public")),
            root,
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
    /// Use this base URL instead of the one in site.toml.
    #[arg(short = 'u', long)]
    pub base_url: Option<String>,
    /// Include papers marked `draft: true`.
    #[arg(short = 'D', long)]
    pub drafts: bool,
    /// Also ask other sites whether the pages linked to exist.
    #[arg(long)]
    pub external: bool,
    /// With --external: milliseconds between two requests to the same host.
    #[arg(long, default_value_t = 1000)]
    pub delay_ms: u64,
}

impl CheckArgs {
    pub fn run(self, root: PathBuf) -> Result<()> {
        let base_url = self.base_url.as_deref().map(crate::url::base_url_argument).transpose()?;
        let politeness = self.external.then(|| crate::check::external::Politeness {
            delay: std::time::Duration::from_millis(self.delay_ms),
            timeout: std::time::Duration::from_secs(15),
        });
        let report = crate::check::check(&root, base_url, self.drafts, politeness)?;
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
    #[arg(short = 'D', long)]
    pub drafts: bool,
}

impl ServeArgs {
    pub fn run(self, root: PathBuf) -> Result<()> {
        crate::serve::serve(&crate::serve::ServeOptions {
            root,
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
    /// The folder new papers go into, as INTO/DATE/ID.md; papers already anywhere in the site's
    /// content/ are updated where they are [default: content, or ROOT/content with --root].
    #[arg(long)]
    pub into: Option<PathBuf>,
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
    pub fn run(self, root: Option<PathBuf>) -> Result<()> {
        let content = || root.map_or_else(|| PathBuf::from("content"), |r| r.join("content"));
        let options = crate::import::ImportOptions {
            paths: self.paths,
            from: self.from,
            date: self.date,
            category: self.category,
            into: self.into.unwrap_or_else(content),
            dry_run: self.dry_run,
            strict: self.strict,
            force: self.force,
        };
        let report = crate::import::import(&options)?;
        for warning in report.warnings() {
            eprintln!("{}", printable(&warning));
        }
        println!("{}", printable(&report.to_string()));
        report.failure().map_or(Ok(()), Err)
    }
}

#[derive(Debug, clap::Args)]
pub struct EnrichArgs {
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
    pub fn run(self, root: PathBuf) -> Result<()> {
        let options = crate::import::enrich::EnrichOptions {
            root,
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
    /// The folder to create the site in (created if needed) [default: --root, or .].
    pub dir: Option<PathBuf>,
    /// The site's title.
    #[arg(long, default_value = "Paper digest")]
    pub title: String,
    /// The address the site will be published at (GitHub Pages: https://USER.github.io/REPO/).
    #[arg(short = 'u', long, default_value = "https://example.org/")]
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
    pub fn run(self, root: Option<PathBuf>) -> Result<()> {
        let dir = match (self.dir, root) {
            (Some(dir), Some(root)) if dir != root => {
                return Err(Error::Usage(format!(
                    "two folders for the new site, {} and --root {}: name it once",
                    dir.display(),
                    root.display()
                )))
            }
            (dir, root) => dir.or(root).unwrap_or_else(|| PathBuf::from(".")),
        };
        let options = crate::init::InitOptions {
            dir,
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
}

impl NewArgs {
    pub fn run(self, root: PathBuf) -> Result<()> {
        let options = crate::init::NewOptions { id: self.id, date: self.date, root };
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

#[derive(Debug, Subcommand)]
pub enum ThemeCommand {
    /// Write the whole default theme into themes/default/, or one template or static file into
    /// the site's templates/ or static/, or one language's strings into i18n/LANG.toml.
    #[command(
        after_help = "Examples:\n  quire theme eject paper.html      templates/paper.html, over the theme's\n  \
        quire theme eject style.css       static/style.css, over the theme's\n  \
        quire theme eject --i18n fr       i18n/fr.toml: the English strings to translate\n  \
        quire theme eject                 the whole theme, into themes/default/"
    )]
    Eject(EjectArgs),
}

#[derive(Debug, clap::Args)]
pub struct EjectArgs {
    /// A template or static file of the theme (paper.html, style.css) [default: the whole theme].
    #[arg(value_name = "FILE")]
    pub file: Option<String>,
    /// A language's interface strings (the English ones to translate, for a language the theme lacks).
    #[arg(long, value_name = "LANG", conflicts_with = "file")]
    pub i18n: Option<String>,
}

impl EjectArgs {
    pub fn run(self, root: PathBuf) -> Result<()> {
        let what = match (self.file, self.i18n) {
            (_, Some(language)) => crate::init::Eject::Strings(language),
            (Some(file), None) => crate::init::Eject::File(file),
            (None, None) => crate::init::Eject::Theme,
        };
        let report = crate::init::eject(&root, &what)?;
        println!("{}", printable(&report.to_string()));
        Ok(())
    }
}

#[derive(Debug, clap::Args)]
pub struct CompletionsArgs {
    /// The shell to complete quire's commands and flags in.
    #[arg(value_enum)]
    pub shell: clap_complete::Shell,
}

impl CompletionsArgs {
    pub fn run(self) -> Result<()> {
        let mut command = <Cli as clap::CommandFactory>::command();
        let mut out = Vec::new();
        clap_complete::generate(self.shell, &mut command, "quire", &mut out);
        write_stdout(&out)
    }
}

/// Writes `bytes` to standard output; a closed pipe (`| head`) is no error.
fn write_stdout(bytes: &[u8]) -> Result<()> {
    use std::io::Write as _;
    match std::io::stdout().lock().write_all(bytes) {
        Err(e) if e.kind() != std::io::ErrorKind::BrokenPipe => {
            Err(Error::io("write", Path::new("<stdout>"))(e))
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    fn parse(args: &[&str]) -> Cli {
        Cli::try_parse_from([&["quire"], args].concat()).unwrap_or_else(|e| panic!("{args:?}: {e}"))
    }

    #[test]
    fn short_flags_are_those_of_zola_and_hugo() {
        Cli::command().debug_assert();
        let cli = parse(&["build", "-r", "site", "-o", "out", "-u", "https://x.org/", "-D"]);
        let Command::Build(b) = cli.command else { panic!() };
        assert_eq!(
            (cli.root, b.output_dir, b.base_url, b.drafts),
            (Some("site".into()), Some("out".into()), Some("https://x.org/".into()), true)
        );
        let cli = parse(&["serve", "-r", "site", "-i", "0.0.0.0", "-p", "8080", "-D"]);
        let Command::Serve(s) = cli.command else { panic!() };
        assert_eq!(
            (cli.root, s.interface.to_string(), s.port, s.drafts),
            (Some("site".into()), "0.0.0.0".into(), Some(8080), true)
        );
        let cli = parse(&["check", "-r", "site", "-u", "/", "-D"]);
        let Command::Check(c) = cli.command else { panic!() };
        assert_eq!((cli.root, c.base_url, c.drafts), (Some("site".into()), Some("/".into()), true));
        let Command::Init(i) = parse(&["init", "-f", "-u", "https://x.org/"]).command else { panic!() };
        assert_eq!((i.force, i.base_url.as_str()), (true, "https://x.org/"));
        let Command::Import(i) = parse(&["import", "d.md", "--date", "2024-04-02", "-f"]).command else {
            panic!()
        };
        assert!(i.force);
        assert_eq!(parse(&["new", "x", "-r", "site"]).root, Some(PathBuf::from("site")));
    }

    #[test]
    fn the_root_may_come_before_the_subcommand() {
        for args in [&["-r", "site", "build"][..], &["--root", "site", "build"], &["build", "--root", "site"]]
        {
            assert_eq!(parse(args).root, Some(PathBuf::from("site")), "{args:?}");
        }
        assert_eq!(parse(&["build"]).root, None);
    }

    #[test]
    fn help_shows_examples() {
        let help = Cli::command().render_long_help().to_string();
        assert!(help.contains("Examples:\n  quire init my-digest"), "{help}");
        for name in ["build", "serve", "check", "import", "enrich", "init", "new", "completions"] {
            let mut command = Cli::command();
            let sub = command.find_subcommand_mut(name).unwrap();
            assert!(sub.render_long_help().to_string().contains("Examples:\n  "), "{name}");
        }
    }
}
