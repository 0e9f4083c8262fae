//! The `quire` binary: parse the command line, run it, report any error once.

use std::process::ExitCode;

use annotate_snippets::Renderer;
use clap::Parser;
use quire::cli::Cli;
use quire::error::Error;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err);
            ExitCode::FAILURE
        }
    }
}

/// Prints every diagnostic, or the error and its chain of causes.
fn report(err: &Error) {
    let renderer = if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        Renderer::styled()
    } else {
        Renderer::plain()
    };
    if let Error::Site(diagnostics) | Error::Skipped(diagnostics) = err {
        for d in diagnostics {
            eprintln!("{}\n", d.render(&renderer));
        }
    }
    eprintln!("error: {}", quire::error::printable(&err.chain()));
}
