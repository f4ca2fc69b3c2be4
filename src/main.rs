//! The `dossier` command: parses arguments, calls the library, prints
//! diagnostics one per line and maps the outcome to an exit status.

use std::process::ExitCode;

use clap::Parser;
use dossier::build::{build, BuildOptions};
use dossier::cli::{Cli, Command};
use dossier::diag::Diagnostics;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Build(args) => {
            let opts = BuildOptions {
                content: args.content,
                templates: args.templates,
                out: args.out.clone(),
                base_url: args.base_url,
            };
            match build(&opts) {
                Ok(report) => {
                    if !args.quiet {
                        eprintln!(
                            "built {} pages ({} links, {} acronym links, {} backlinks, {} acronyms) into {}: {} files, {} KB",
                            report.pages,
                            report.links,
                            report.acronym_links,
                            report.backlinks,
                            report.acronyms,
                            args.out.display(),
                            report.files,
                            report.bytes.div_ceil(1024)
                        );
                    }
                    ExitCode::SUCCESS
                }
                Err(diags) => fail(diags),
            }
        }
    }
}

/// Prints every problem, sorted, one per line, and a count.
fn fail(diags: Diagnostics) -> ExitCode {
    let n = diags
        .iter()
        .filter(|d| d.level == dossier::diag::Level::Error)
        .count();
    for d in diags.sorted() {
        eprintln!("{d}");
    }
    eprintln!(
        "error: build failed with {n} error{}; the previous site was left as it was",
        if n == 1 { "" } else { "s" }
    );
    ExitCode::FAILURE
}
