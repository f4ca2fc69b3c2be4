//! The `dossier` command line. Thin: parse arguments, call the library, print
//! diagnostics one per line on stderr, exit 1 on error.

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

use dossier::import::{import, ImportOptions};

/// A static documentation site generator.
#[derive(Parser)]
#[command(name = "dossier", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Import a report's extracted text into markdown pages.
    Import {
        /// The text extracted from the report's PDF.
        seed: PathBuf,
        /// Content directory to write into.
        #[arg(long, default_value = "content")]
        into: PathBuf,
        /// Decomposition file (default: the seed's path with `.txt` replaced
        /// by `.decomposition.yaml`).
        #[arg(long)]
        decomposition: Option<PathBuf>,
        /// Overwrite pages edited since the last import, after backing them up.
        #[arg(long)]
        force: bool,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Import {
            seed,
            into,
            decomposition,
            force,
        } => {
            let opts = ImportOptions {
                seed,
                into,
                decomposition,
                force,
            };
            match import(&opts) {
                Ok(report) => {
                    for w in report.warnings.clone().sorted() {
                        eprintln!("{w}");
                    }
                    let o = &report.outcome;
                    for p in &o.kept_edited {
                        eprintln!("{}: warning: edited since the last import, left alone (use --force to overwrite)", opts.into.join(p).display());
                    }
                    for (p, backup) in &o.backed_up {
                        eprintln!(
                            "{}: backed up to {} and overwritten",
                            opts.into.join(p).display(),
                            backup.display()
                        );
                    }
                    eprintln!(
                        "imported {} pages into {}: {} written, {} unchanged, {} edited left alone, {} backed up",
                        report.pages,
                        opts.into.display(),
                        o.written.len(),
                        o.unchanged.len(),
                        o.kept_edited.len(),
                        o.backed_up.len()
                    );
                    ExitCode::SUCCESS
                }
                Err(diags) => {
                    for d in diags.sorted() {
                        eprintln!("{d}");
                    }
                    ExitCode::FAILURE
                }
            }
        }
    }
}
