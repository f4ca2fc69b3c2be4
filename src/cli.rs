//! Command-line arguments (clap derive); no logic lives here.

use std::path::PathBuf;

use clap::{Parser, Subcommand, ValueEnum};

use crate::config::{BrokenLinks, UnknownKeys};
use crate::content::frontmatter::Kind;

/// dossier: turn a report kept as markdown into a linked static site that
/// works from any web server and straight from disk.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about)]
pub struct Cli {
    /// Worker threads for parsing and rendering (default: one per core; at
    /// most four per core). The output is the same bytes whatever the number.
    #[arg(long, short = 'j', global = true, value_name = "N", value_parser = parse_jobs)]
    pub jobs: Option<usize>,
    /// How problems are printed: `short` is one line each
    /// (`path:line:col: level: message`), `long` adds the source line with a
    /// marker and the hint; `auto` is long on a terminal, short otherwise.
    #[arg(long, global = true, value_enum, default_value_t = MessageFormat::Auto)]
    pub message_format: MessageFormat,
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// How problems are printed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum MessageFormat {
    /// Long on a terminal, short otherwise.
    Auto,
    /// One line per problem.
    Short,
    /// rustc-style, with the source line.
    Long,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render content/ with templates/ into site/ (atomically: a failed build
    /// leaves the previous site untouched).
    Build(BuildArgs),
    /// Validate content/ and templates/ without writing anything, or (with
    /// --site) verify a built site.
    Check(CheckArgs),
    /// Create a page with valid front matter.
    New(NewArgs),
    /// Decompose a report's extracted text into markdown pages in content/
    /// (safe to re-run: pages edited since the last import are left alone).
    Import(ImportArgs),
    /// Build, serve the site on loopback, rebuild on every change (importing
    /// a changed seed again first) and reload open pages (failed rebuilds
    /// and imports show their errors in the page).
    Serve(ServeArgs),
}

/// Where the project's folders are, and how its pages are read. Each flag
/// overrides what `dossier.toml` (in the current folder) says.
#[derive(Debug, Clone, clap::Args)]
pub struct ProjectArgs {
    /// Folder of markdown pages [default: content]
    #[arg(long, value_name = "DIR")]
    pub content: Option<PathBuf>,
    /// Folder of template overrides and static files [default: templates]
    #[arg(long, value_name = "DIR")]
    pub templates: Option<PathBuf>,
    /// Build the pages marked `draft: true` too.
    #[arg(long)]
    pub drafts: bool,
    /// How front matter keys dossier does not know are reported [default: warn]
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub unknown_keys: Option<UnknownKeys>,
    /// How links to nothing are reported [default: error; warn for a
    /// collection written for another tool]
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub broken_links: Option<BrokenLinks>,
    /// Pass raw HTML in markdown through unescaped on every page (scripts
    /// run); without it only pages with `raw_html: true` do.
    #[arg(long)]
    pub raw_html: bool,
    /// Write print.html (the whole site on one page) even when the site has
    /// no chapters; a site with chapters always gets it.
    #[arg(long)]
    pub print: bool,
}

/// Arguments of `dossier build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Content and templates folders.
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Folder to write the site into (replaced as a whole) [default: site]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Public URL of the site, e.g. https://example.org/report/ (adds
    /// canonical links and sitemap.xml).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print nothing but errors.
    #[arg(short, long, conflicts_with = "verbose")]
    pub quiet: bool,
    /// Print more detail (pages per kind).
    #[arg(short, long)]
    pub verbose: bool,
}

/// How `check` prints its findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Format {
    /// `path:line:col: level: message`, one per line.
    Text,
    /// One JSON array of objects, for tools.
    Json,
}

/// Arguments of `dossier check`.
#[derive(Debug, clap::Args)]
pub struct CheckArgs {
    /// Content and templates folders.
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Verify this built site instead: every internal URL (href, src, srcset,
    /// CSS url(), form action, meta refresh) resolves to a file, every
    /// #fragment exists, nothing loads from the network, no URL runs script.
    #[arg(long, value_name = "DIR")]
    pub site: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Exit with status 1 on warnings too.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Arguments of `dossier new`.
#[derive(Debug, clap::Args)]
pub struct NewArgs {
    /// chapter, topic, acronym, recommendation, source, interview or page.
    #[arg(value_parser = parse_kind)]
    pub kind: Kind,
    /// The page title (for an acronym: the acronym itself).
    pub title: String,
    /// Long form of an acronym (required for kind acronym).
    #[arg(long)]
    pub expansion: Option<String>,
    /// Folder of markdown pages.
    #[arg(long, default_value = "content", value_name = "DIR")]
    pub content: PathBuf,
}

fn parse_jobs(s: &str) -> Result<usize, String> {
    match s.parse::<usize>() {
        Ok(0) => Err(
            "0 threads can do no work; give 1 or more, or leave --jobs out for one \
                      per core"
                .to_string(),
        ),
        Ok(n) => Ok(n),
        Err(_) => Err("a whole number of worker threads, 1 or more".to_string()),
    }
}

fn parse_kind(s: &str) -> Result<Kind, String> {
    Kind::ALL
        .into_iter()
        .find(|k| k.as_str() == s)
        .ok_or_else(|| {
            "one of: chapter, topic, acronym, recommendation, source, interview, page".to_string()
        })
}

/// Arguments of `dossier serve`.
#[derive(Debug, clap::Args)]
pub struct ServeArgs {
    /// Content and templates folders.
    #[command(flatten)]
    pub project: ProjectArgs,
    /// Folder the site is built into and served from [default: site]
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Port to listen on (0 picks a free one).
    #[arg(long, default_value_t = 8000)]
    pub port: u16,
    /// Address to listen on; loopback unless you mean to share it.
    #[arg(long, default_value = "127.0.0.1")]
    pub bind: String,
    /// Open the site in the default browser.
    #[arg(long)]
    pub open: bool,
}

/// Arguments of `dossier import`.
#[derive(Debug, clap::Args)]
pub struct ImportArgs {
    /// The text extracted from the report's PDF.
    pub seed: PathBuf,
    /// Content folder to write into.
    #[arg(long, default_value = "content", value_name = "DIR")]
    pub into: PathBuf,
    /// Decomposition file (default: the seed's path with `.txt` replaced by
    /// `.decomposition.yaml`).
    #[arg(long, value_name = "FILE")]
    pub decomposition: Option<PathBuf>,
    /// Overwrite pages edited since the last import, after backing them up.
    #[arg(long)]
    pub force: bool,
    /// List every topic link the chapters got (page:line: words → topic),
    /// for an editor to review; exclude wrong ones in the decomposition file.
    #[arg(long)]
    pub explain: bool,
}
