//! The `dossier` command: parses arguments, calls the library, prints
//! diagnostics one per line and maps the outcome to an exit status.

use std::io::IsTerminal;
use std::process::ExitCode;

use clap::Parser;
use dossier::build::{build, render_site, BuildOptions};
use dossier::cli::{BuildArgs, CheckArgs, Cli, Command, Format, NewArgs, ProjectArgs, ServeArgs};
use dossier::diag::{Diagnostic, Level};

fn main() -> ExitCode {
    match Cli::parse().command {
        Command::Build(args) => cmd_build(args),
        Command::Check(args) => cmd_check(args),
        Command::New(args) => cmd_new(args),
        Command::Serve(args) => cmd_serve(args),
    }
}

fn options(
    project: &ProjectArgs,
    out: std::path::PathBuf,
    base_url: Option<String>,
) -> BuildOptions {
    BuildOptions {
        content: project.content.clone(),
        templates: project.templates.clone(),
        out,
        base_url,
    }
}

fn cmd_build(args: BuildArgs) -> ExitCode {
    let opts = options(&args.project, args.out.clone(), args.base_url);
    match build(&opts) {
        Ok(report) => {
            if !args.quiet {
                print_all(&report.warnings.clone().sorted());
                eprintln!(
                    "built {} pages ({} links, {} acronym links, {} backlinks, {} acronyms, {} warnings) into {}: {} files, {} KB",
                    report.pages,
                    report.links,
                    report.acronym_links,
                    report.backlinks,
                    report.acronyms,
                    report.warnings.len(),
                    args.out.display(),
                    report.files,
                    report.bytes.div_ceil(1024)
                );
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            let sorted = diags.sorted();
            print_all(&sorted);
            let n = sorted.iter().filter(|d| d.level == Level::Error).count();
            let kept = if args.out.exists() {
                "the previous site was left as it was"
            } else {
                "nothing was written"
            };
            eprintln!(
                "{}: build failed with {n} error{}; {kept}",
                paint("error", RED),
                if n == 1 { "" } else { "s" }
            );
            ExitCode::FAILURE
        }
    }
}

fn cmd_check(args: CheckArgs) -> ExitCode {
    let diags = match &args.site {
        Some(site) => dossier::sitecheck::check_site(site),
        None => {
            // Rendered in memory only: check never writes.
            let opts = options(&args.project, "site".into(), None);
            match render_site(&opts) {
                Ok((_, report)) => report.warnings,
                Err(d) => d,
            }
        }
    };
    let sorted = diags.sorted();
    match args.format {
        Format::Json => println!("{}", dossier::diag::to_json(&sorted)),
        Format::Text => {
            print_all(&sorted);
            let errors = sorted.iter().filter(|d| d.level == Level::Error).count();
            eprintln!("{errors} errors, {} warnings", sorted.len() - errors);
        }
    }
    let failed = sorted
        .iter()
        .any(|d| d.level == Level::Error || args.deny_warnings);
    if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn cmd_new(args: NewArgs) -> ExitCode {
    match dossier::scaffold::new_page(
        &args.content,
        args.kind,
        &args.title,
        args.expansion.as_deref(),
    ) {
        Ok(path) => {
            println!("{}", path.display());
            ExitCode::SUCCESS
        }
        Err(d) => {
            print_all(&[d]);
            ExitCode::FAILURE
        }
    }
}

fn cmd_serve(args: ServeArgs) -> ExitCode {
    let opts = dossier::serve::ServeOptions {
        build: options(&args.project, args.out.clone(), None),
        bind: args.bind.clone(),
        port: args.port,
        also_watch: vec!["seeds".into()],
    };
    let report = std::sync::Arc::new(
        |r: &Result<dossier::build::Report, dossier::diag::Diagnostics>| match r {
            Ok(rep) => {
                print_all(&rep.warnings.clone().sorted());
                eprintln!("built {} pages, {} warnings", rep.pages, rep.warnings.len());
            }
            Err(d) => {
                print_all(&d.clone().sorted());
                eprintln!(
                    "{}: rebuild failed; still serving the last good site",
                    paint("error", RED)
                );
            }
        },
    );
    let server = match dossier::serve::start(&opts, report) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "{}: cannot serve on {}:{}: {e}",
                paint("error", RED),
                args.bind,
                args.port
            );
            return ExitCode::FAILURE;
        }
    };
    let url = format!("http://{}/", server.addr);
    println!("serving {} at {url} (Ctrl-C to stop)", args.out.display());
    if args.open {
        let _ = std::process::Command::new("xdg-open").arg(&url).spawn();
    }
    server.run();
    ExitCode::SUCCESS
}

const RED: &str = "31";
const YELLOW: &str = "33";

/// Colours `text` when stderr is a terminal (and NO_COLOR is unset).
fn paint(text: &str, colour: &str) -> String {
    if std::io::stderr().is_terminal() && std::env::var_os("NO_COLOR").is_none() {
        format!("\x1b[1;{colour}m{text}\x1b[0m")
    } else {
        text.to_string()
    }
}

/// One line per problem on stderr.
fn print_all(diags: &[Diagnostic]) {
    for d in diags {
        let line = d.to_string();
        let level = d.level.to_string();
        let colour = if d.level == Level::Error { RED } else { YELLOW };
        eprintln!(
            "{}",
            line.replacen(
                &format!(": {level}: "),
                &format!(": {}: ", paint(&level, colour)),
                1
            )
        );
    }
}
