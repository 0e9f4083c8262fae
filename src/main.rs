//! The `quire` binary: parse the command line, run it, report any error once.

use std::process::ExitCode;

use annotate_snippets::Renderer;
use clap::Parser;
use quire::cli::Cli;
use quire::error::Error;

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => return command_line_error(&e),
    };
    match cli.run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            report(&err);
            ExitCode::FAILURE
        }
    }
}

/// Prints clap's help or version on standard output, or its error on
/// standard error: the error quotes what was typed, so it is printed
/// through [`quire::error::printable`] like any other untrusted text.
fn command_line_error(e: &clap::Error) -> ExitCode {
    let text = e.render().to_string();
    if e.use_stderr() {
        eprint!("{}", quire::error::printable(&text));
    } else {
        print!("{text}");
    }
    ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(2))
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
