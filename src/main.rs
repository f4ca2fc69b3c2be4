//! The `dossier` command: parses arguments, calls the library, prints
//! diagnostics and progress, and maps the outcome to an exit status.

use std::collections::HashMap;
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use clap::Parser;
use dossier::build::{build, BuildOptions, Report};
use dossier::check::summary;
use dossier::cli::{
    BuildArgs, CheckArgs, Cli, Command, Format, ImportArgs, MessageFormat, NewArgs, ProjectArgs,
    ServeArgs,
};
use dossier::config::{Conventions, Settings};
use dossier::diag::{count, errors_last, Code, Diagnostic, Diagnostics, Level};
use dossier::import::{ImportOptions, ImportReport};
use dossier::serve::Outcome;

fn main() -> ExitCode {
    let cli = Cli::parse();
    let out = Printer::new(cli.message_format);
    dossier::diag::set_quiet(matches!(&cli.command, Command::Build(b) if b.quiet));
    if let Some(asked) = cli.jobs {
        // Threads beyond a few per core only add memory and switching (each
        // holds its own buffers), and a typo like `-j 1000000` would exhaust
        // the process's thread limit before doing any work.
        let cap = MAX_JOBS_PER_CORE * std::thread::available_parallelism().map_or(1, |n| n.get());
        let jobs = asked.min(cap);
        if jobs < asked {
            dossier::diag::note(format_args!(
                "{}: --jobs {asked} is more than {MAX_JOBS_PER_CORE} per core; using {jobs}",
                out.paint("warning", YELLOW)
            ));
        }
        // Every parallel step runs on rayon's global pool.
        if let Err(e) = rayon::ThreadPoolBuilder::new()
            .num_threads(jobs)
            .build_global()
        {
            eprintln!(
                "{}: cannot start {jobs} worker threads: {e}",
                out.paint("error", RED)
            );
            return ExitCode::FAILURE;
        }
    }
    match cli.command {
        Command::Build(args) => cmd_build(&out, args),
        Command::Check(args) => cmd_check(&out, args),
        Command::New(args) => cmd_new(&out, args),
        Command::Import(args) => cmd_import(&out, args),
        Command::Serve(args) => cmd_serve(out, args),
    }
}

/// The most worker threads `--jobs` starts per core.
const MAX_JOBS_PER_CORE: usize = 4;

/// How problems and progress reach the terminal: one line per problem when
/// the output goes to a file or a pipe (easy to grep, to jump to), the
/// rustc-style form with the source line when a person is reading; colour
/// only on a terminal, and never with NO_COLOR.
#[derive(Debug, Clone, Copy)]
struct Printer {
    long: bool,
    colour: bool,
}

const RED: &str = "31";
const YELLOW: &str = "33";
const DIM: &str = "2";

/// How many warnings of one kind a build shows in the long form.
const SHOWN_PER_KIND: usize = 10;

impl Printer {
    fn new(format: MessageFormat) -> Self {
        let tty = std::io::stderr().is_terminal();
        Printer {
            long: match format {
                MessageFormat::Auto => tty,
                MessageFormat::Short => false,
                MessageFormat::Long => true,
            },
            colour: tty && std::env::var_os("NO_COLOR").is_none(),
        }
    }

    fn paint(&self, text: &str, colour: &str) -> String {
        if self.colour {
            format!("\x1b[1;{colour}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    /// Every problem, warnings first and errors last (each group in the
    /// order given).
    fn problems(&self, diags: &[Diagnostic]) {
        self.some_problems(diags, usize::MAX);
    }

    /// The problems of a build: the warnings and their summary, then every
    /// error, right above the closing line. In the long form (a person at a
    /// terminal) only the first few warnings of each kind are shown:
    /// thousands of them would scroll the summary and the errors away.
    fn build_problems(&self, diags: &[Diagnostic]) {
        let cap = if self.long {
            SHOWN_PER_KIND
        } else {
            usize::MAX
        };
        self.summarised(diags, cap);
    }

    /// The warnings (at most `cap` of each kind), their summary, then the
    /// errors.
    fn summarised(&self, diags: &[Diagnostic], cap: usize) {
        let (errors, warnings): (Vec<Diagnostic>, Vec<Diagnostic>) =
            diags.iter().cloned().partition(|d| d.level == Level::Error);
        let hidden = self.some_problems(&warnings, cap);
        if hidden > 0 {
            eprintln!(
                "… and {hidden} more warnings of the kinds below (all of them: \
                 --message-format short, or `dossier check`)"
            );
        }
        self.summary(&warnings);
        self.problems(&errors);
    }

    /// What the warnings come to, per kind, when there are enough of them
    /// for that to help.
    fn summary(&self, warnings: &[Diagnostic]) {
        if !summary::wanted(warnings.len()) {
            return;
        }
        let groups = summary::groups(warnings);
        let lines = if self.long {
            summary::long(&groups)
        } else {
            summary::short(&groups)
        };
        for line in lines {
            eprintln!("{line}");
        }
    }

    /// Prints the problems, at most `cap` warnings of each kind; how many
    /// were left out.
    fn some_problems(&self, diags: &[Diagnostic], cap: usize) -> usize {
        let mut shown: HashMap<Code, usize> = HashMap::new();
        let mut hidden = 0;
        // Buffered: a large site's thousands of warnings were as many
        // unbuffered writes, one after another at the end of the build.
        let mut err = std::io::BufWriter::new(std::io::stderr().lock());
        for d in errors_last(diags.to_vec()) {
            if d.level == Level::Warning {
                let n = shown.entry(d.code).or_default();
                if *n >= cap {
                    hidden += 1;
                    continue;
                }
                *n += 1;
            }
            let level = d.level.to_string();
            let colour = if d.level == Level::Error { RED } else { YELLOW };
            let painted = self.paint(&level, colour);
            let _ = if self.long {
                let source = std::fs::read_to_string(&d.path).ok();
                let text = d.render_long(source.as_deref());
                writeln!(err, "{painted}{}", &text[level.len()..])
            } else {
                let line = d.to_string();
                writeln!(
                    err,
                    "{}",
                    line.replacen(&format!(": {level}: "), &format!(": {painted}: "), 1)
                )
            };
        }
        let _ = err.flush();
        hidden
    }

    /// The progress lines of a finished build and its summary.
    fn report(&self, report: &Report, out: &std::path::Path, verbose: bool) {
        for phase in &report.phases {
            let ms = format!("{:>6.1} ms", phase.time.as_secs_f64() * 1000.0);
            eprintln!(
                "{:>7}  {}  {}",
                phase.name,
                self.paint(&ms, DIM),
                phase.detail
            );
        }
        if verbose {
            let kinds: Vec<String> = report
                .by_kind
                .iter()
                .map(|(k, n)| format!("{n} {k}"))
                .collect();
            eprintln!("{:>7}  {}", "pages", kinds.join(", "));
        }
        let total: std::time::Duration = report.phases.iter().map(|p| p.time).sum();
        eprintln!(
            "built {} into {} in {} ms ({})",
            count(report.pages, "page"),
            out.display(),
            total.as_millis(),
            count(report.warnings.len(), "warning")
        );
    }

    /// What an import wrote and what it left alone.
    fn imported(&self, opts: &ImportOptions, report: &ImportReport) {
        self.problems(&report.warnings.clone().sorted());
        let o = &report.outcome;
        for page in &o.kept_edited {
            eprintln!(
                "{}: {}: edited since the last import, left alone (--force overwrites it \
                 after a backup)",
                opts.into.join(page).display(),
                self.paint("warning", YELLOW)
            );
        }
        for page in &o.kept_deleted {
            eprintln!(
                "{}: kept deleted: deleted since the last import (--force brings it back)",
                opts.into.join(page).display(),
            );
        }
        for page in &o.orphaned {
            // Listed only while it is there: the manifest remembers it after
            // the editor deletes it.
            if opts.into.join(page).exists() {
                eprintln!(
                    "{}: {}: no longer written by the import (the seed or the decomposition \
                     file does not have it any more); left as it is: delete it if it is not wanted",
                    opts.into.join(page).display(),
                    self.paint("warning", YELLOW)
                );
            }
        }
        for path in &o.changed_meanwhile {
            eprintln!(
                "{}: changed in the content folder while the import ran; kept as it is now",
                opts.into.join(path).display(),
            );
        }
        for (page, backup) in &o.backed_up {
            eprintln!(
                "{}: backed up to {} and overwritten",
                opts.into.join(page).display(),
                backup.display()
            );
        }
        eprintln!(
            "imported {} into {}: {} written, {} unchanged, {} edited left alone, {} \
             kept deleted, {} backed up",
            count(report.pages, "page"),
            opts.into.display(),
            o.written.len(),
            o.unchanged.len(),
            o.kept_edited.len(),
            o.kept_deleted.len(),
            o.backed_up.len()
        );
    }
}

/// The build's options: the flags, else `dossier.toml` in the current
/// folder, else the defaults.
fn options(
    project: &ProjectArgs,
    out: Option<PathBuf>,
    base_url: Option<String>,
) -> Result<BuildOptions, Diagnostics> {
    let root = Path::new(".");
    let config = dossier::config::load(root)?;
    let content = project
        .content
        .clone()
        .or_else(|| config.content.clone())
        .unwrap_or_else(|| "content".into());
    let content = dossier::content::conventions::book_source(&content).unwrap_or(content);
    let detected = Conventions::detect(root, &content);
    let mut settings = Settings::from_config(&config, detected);
    settings.drafts = project.drafts;
    if let Some(level) = project.unknown_keys {
        settings.unknown_keys = level;
    }
    if let Some(level) = project.broken_links {
        settings.broken_links = level;
    }
    Ok(BuildOptions {
        content,
        templates: project
            .templates
            .clone()
            .or_else(|| config.templates.clone())
            .unwrap_or_else(|| "templates".into()),
        out: out
            .or_else(|| config.output.clone())
            .unwrap_or_else(|| "site".into()),
        base_url: base_url.or_else(|| config.base_url.clone()),
        raw_html: project.raw_html,
        print: project.print,
        settings,
    })
}

fn cmd_build(p: &Printer, args: BuildArgs) -> ExitCode {
    let opts = match options(&args.project, args.out.clone(), args.base_url.clone()) {
        Ok(o) => o,
        Err(diags) => return config_failed(p, diags),
    };
    match build(&opts) {
        Ok(report) => {
            if !args.quiet {
                p.build_problems(&report.warnings.clone().sorted());
                p.report(&report, &opts.out, args.verbose);
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            let mut sorted = diags.sorted();
            if args.quiet {
                sorted.retain(|d| d.level == Level::Error);
            }
            p.build_problems(&sorted);
            let n = sorted.iter().filter(|d| d.level == Level::Error).count();
            let kept = if opts.out.exists() {
                "the previous site was left as it was"
            } else {
                "nothing was written"
            };
            eprintln!(
                "{}: build failed with {}; {kept}",
                p.paint("error", RED),
                count(n, "error")
            );
            ExitCode::FAILURE
        }
    }
}

/// `dossier.toml` cannot be used: its problems, and the command fails.
fn config_failed(p: &Printer, diags: Diagnostics) -> ExitCode {
    p.problems(&diags.sorted());
    eprintln!(
        "{}: dossier.toml has problems; nothing was built",
        p.paint("error", RED)
    );
    ExitCode::FAILURE
}

fn cmd_check(p: &Printer, args: CheckArgs) -> ExitCode {
    let diags = match &args.site {
        Some(site) => dossier::check::site::check_site(site),
        None => {
            // Rendered and thrown away: check never writes.
            match options(&args.project, None, None).and_then(|o| dossier::build::check(&o)) {
                Ok(report) => report.warnings,
                Err(d) => d,
            }
        }
    };
    let sorted = diags.sorted();
    match args.format {
        Format::Json => println!("{}", dossier::diag::to_json(&sorted)),
        Format::Text => {
            p.summarised(&sorted, usize::MAX);
            let errors = sorted.iter().filter(|d| d.level == Level::Error).count();
            eprintln!(
                "{}, {}",
                count(errors, "error"),
                count(sorted.len() - errors, "warning")
            );
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

fn cmd_new(p: &Printer, args: NewArgs) -> ExitCode {
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
            p.problems(&[d]);
            ExitCode::FAILURE
        }
    }
}

fn cmd_import(p: &Printer, args: ImportArgs) -> ExitCode {
    let opts = dossier::import::ImportOptions {
        seed: args.seed,
        into: args.into,
        decomposition: args.decomposition,
        force: args.force,
    };
    match dossier::import::import(&opts) {
        Ok(report) => {
            p.imported(&opts, &report);
            if args.explain {
                // On stdout, so that the list can be saved apart from the
                // progress and warnings.
                for l in &report.topic_links {
                    println!(
                        "{}:{}: \"{}\" → topics/{}.md{}",
                        opts.into.join(&l.page).display(),
                        l.line,
                        l.phrase,
                        l.topic,
                        if l.linked {
                            ""
                        } else {
                            " (mentioned in this section but not linked: the mention straddles the edge of another link or cuts its emphasis)"
                        }
                    );
                }
            }
            ExitCode::SUCCESS
        }
        Err(diags) => {
            p.problems(&diags.sorted());
            eprintln!(
                "{}: import failed; content/ was left as it was",
                p.paint("error", RED)
            );
            ExitCode::FAILURE
        }
    }
}

fn cmd_serve(p: Printer, args: ServeArgs) -> ExitCode {
    let build = match options(&args.project, args.out.clone(), None) {
        Ok(o) => o,
        Err(diags) => return config_failed(&p, diags),
    };
    let opts = dossier::serve::ServeOptions {
        build,
        bind: args.bind.clone(),
        port: args.port,
        seeds: Some("seeds".into()),
    };
    let out_dir = opts.build.out.clone();
    let report: dossier::serve::Reporter = Arc::new(move |o: Outcome| match o {
        Outcome::Build(Ok(rep)) => {
            p.build_problems(&rep.warnings.clone().sorted());
            p.report(rep, &out_dir, false);
        }
        Outcome::Build(Err(d)) => {
            p.build_problems(&d.clone().sorted());
            eprintln!(
                "{}: rebuild failed; still serving the last good site",
                p.paint("error", RED)
            );
        }
        Outcome::Import(opts, Ok(rep)) => p.imported(opts, rep),
        Outcome::Import(opts, Err(d)) => {
            p.problems(&d.clone().sorted());
            eprintln!(
                "{}: import of {} failed; {} was left as it was and the last good site is \
                 still served",
                p.paint("error", RED),
                opts.seed.display(),
                opts.into.display()
            );
        }
    });
    let server = match dossier::serve::start(&opts, report) {
        Ok(s) => s,
        Err(e) => {
            eprintln!(
                "{}: cannot serve on {}:{}: {e}",
                p.paint("error", RED),
                args.bind,
                args.port
            );
            return ExitCode::FAILURE;
        }
    };
    if !server.addr.ip().is_loopback() {
        // Then any Host is answered (see serve::is_loopback_host): the
        // address was chosen to share the site.
        eprintln!(
            "{}: {} is not a loopback address: the site and its build errors are \
             visible to the network, under any host name",
            p.paint("warning", YELLOW),
            server.addr.ip()
        );
    }
    let url = format!("http://{}/", server.addr);
    println!(
        "serving {} at {url} (Ctrl-C to stop)",
        opts.build.out.display()
    );
    if args.open {
        if let Err(e) = browser_command(&url).spawn() {
            eprintln!(
                "{}: cannot open a browser ({e}): open {url} yourself",
                p.paint("warning", YELLOW)
            );
        }
    }
    server.run();
    ExitCode::SUCCESS
}

/// The platform's command that opens `url` in the default browser.
fn browser_command(url: &str) -> std::process::Command {
    let (program, before): (&str, &[&str]) = if cfg!(target_os = "macos") {
        ("open", &[])
    } else if cfg!(windows) {
        // `start` is built into cmd; its first quoted argument is a title.
        ("cmd", &["/C", "start", ""])
    } else {
        ("xdg-open", &[])
    };
    let mut command = std::process::Command::new(program);
    command.args(before).arg(url);
    command
}

/// A build makes millions of small, short-lived allocations from several
/// threads; jemalloc serves them markedly faster than glibc's malloc for a
/// few percent more memory (measured with the build benchmark; see
/// CONTRIBUTING.md).
#[cfg(target_os = "linux")]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

/// jemalloc's options, read when it starts (`_RJEM_MALLOC_CONF` in the
/// environment still overrides them). One arena: by default jemalloc gives
/// each of a build's threads its own arena, and each arena keeps its own
/// freed pages, which raise a large build's peak memory and bought no
/// measurable speed with two threads. On a machine with many cores,
/// `_RJEM_MALLOC_CONF=narenas:8` trades that memory for less waiting on the
/// one arena's lock. Huge pages where the system allows them (`thp:always`
/// asks for them; the kernel's `never` still wins): a large build touches
/// hundreds of megabytes once, and faulting them in a small page at a time
/// is a large share of its time.
#[cfg(target_os = "linux")]
#[export_name = "_rjem_malloc_conf"]
static MALLOC_CONF: &u8 = &b"narenas:1,thp:always\0"[0];

#[cfg(test)]
mod tests {
    #[test]
    fn the_browser_is_opened_by_the_platform_command_on_the_url() {
        let command = super::browser_command("http://127.0.0.1:8000/");
        let args: Vec<_> = command.get_args().collect();
        assert_eq!(args.last().unwrap(), &"http://127.0.0.1:8000/");
        let program = command.get_program().to_string_lossy().into_owned();
        #[cfg(target_os = "linux")]
        assert_eq!((program.as_str(), args.len()), ("xdg-open", 1));
        #[cfg(target_os = "macos")]
        assert_eq!((program.as_str(), args.len()), ("open", 1));
        #[cfg(windows)]
        assert_eq!(
            (program.as_str(), &args[..3]),
            ("cmd", &["/C", "start", ""].map(std::ffi::OsStr::new)[..])
        );
    }
}
