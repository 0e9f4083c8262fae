//! The `quire` binary: parse the command line, run it, report any error once.

use std::process::ExitCode;

use annotate_snippets::Renderer;
use clap::Parser;
use quire::cli::Cli;
use quire::error::Error;

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static ALLOCATOR: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's settings (read before the first allocation; `_RJEM_MALLOC_CONF`
/// in the environment still overrides them): one arena for the few threads
/// of a build, and freed pages handed back after 0.6 s instead of 10 s, so
/// the peak stays near the system allocator's (measured at 10,000 and
/// 65,000 papers: a sixth less CPU). 0.6 s rather than 0.3 s: a tenth
/// fewer pages handed back and faulted in again, 4-5% less time at 65,000
/// papers (median) for the same peak, 1-2 MiB more at 10,000 (`bench/RESULTS.md`).
#[cfg(not(target_env = "msvc"))]
#[export_name = "_rjem_malloc_conf"]
static JEMALLOC_CONF: &[u8; 46] = b"narenas:1,dirty_decay_ms:600,muzzy_decay_ms:0\0";

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
