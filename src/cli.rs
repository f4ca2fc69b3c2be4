//! Command-line arguments (clap derive); no logic lives here.

use std::path::PathBuf;

use clap::{Parser, Subcommand};

/// dossier: turn a report kept as markdown into a linked static site that
/// works from any web server and straight from disk.
#[derive(Debug, Parser)]
#[command(name = "dossier", version, about)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Render content/ with templates/ into site/ (atomically: a failed build
    /// leaves the previous site untouched).
    Build(BuildArgs),
}

/// Arguments of `dossier build`.
#[derive(Debug, clap::Args)]
pub struct BuildArgs {
    /// Folder of markdown pages.
    #[arg(long, default_value = "content", value_name = "DIR")]
    pub content: PathBuf,
    /// Folder of template overrides and static files.
    #[arg(long, default_value = "templates", value_name = "DIR")]
    pub templates: PathBuf,
    /// Folder to write the site into (replaced as a whole).
    #[arg(long, default_value = "site", value_name = "DIR")]
    pub out: PathBuf,
    /// Public URL of the site, e.g. https://example.org/report/ (adds
    /// canonical links and sitemap.xml).
    #[arg(long, value_name = "URL")]
    pub base_url: Option<String>,
    /// Print nothing but errors.
    #[arg(short, long)]
    pub quiet: bool,
}
