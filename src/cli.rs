//! Command-line arguments.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};
use kzlint::emit::Format;
use kzlint::Severity;

/// kzlint: find syndication residue, translation damage, attribution gaps
/// and extraction damage in scraped news articles.
#[derive(Debug, Parser)]
#[command(name = "kzlint", version)]
#[command(
    after_help = "Exit status: 0 clean, 1 diagnostics at or above --fail-on, \
2 usage or file errors, 3 broken rules or configuration."
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,

    #[command(flatten)]
    pub lint: LintArgs,

    /// Also load the rules in this folder (repeatable).
    #[arg(long = "rules", value_name = "DIR", global = true)]
    pub rule_dirs: Vec<PathBuf>,

    /// Use this configuration file instead of looking for kzlint.toml or
    /// .kzlint.toml from the current folder up.
    #[arg(long, value_name = "FILE", global = true)]
    pub config: Option<PathBuf>,

    /// When to use colour (NO_COLOR in the environment means never for `auto`).
    #[arg(long, value_enum, default_value_t = ColorWhen::Auto, global = true)]
    pub color: ColorWhen,
}

#[derive(Debug, Args)]
pub struct LintArgs {
    /// Files and folders to check (folders are walked, respecting .gitignore).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Human)]
    pub format: Format,

    /// Exit 1 when any diagnostic is at or above this severity [default:
    /// warning, or the configuration's fail-on].
    #[arg(long, value_enum)]
    pub fail_on: Option<Severity>,

    /// File extensions checked when walking folders (files named on the
    /// command line are always checked) [default: txt,md].
    #[arg(long = "ext", value_name = "EXT", value_delimiter = ',')]
    pub extensions: Option<Vec<String>>,

    /// Skip files and folders matching a glob when walking (repeatable,
    /// comma-separated; added to the configuration's `exclude` and
    /// `extend-exclude`). A glob without `/` matches a name anywhere.
    #[arg(long, value_name = "GLOB", value_delimiter = ',')]
    pub exclude: Vec<String>,

    /// Turn off a rule, a category or every rule whose id starts with a
    /// prefix (repeatable, comma-separated; wins over the configuration
    /// file). `--ignore` is the same, as in ruff.
    #[arg(
        long,
        visible_alias = "ignore",
        value_name = "RULE|CATEGORY|PREFIX",
        value_delimiter = ','
    )]
    pub disable: Vec<String>,

    /// Turn rules back on, named as for --disable (repeatable). `--select`
    /// is the same.
    #[arg(
        long,
        visible_alias = "select",
        value_name = "RULE|CATEGORY|PREFIX",
        value_delimiter = ','
    )]
    pub enable: Vec<String>,

    /// Worker threads (default: one per core).
    #[arg(long, short = 'j', value_name = "N")]
    pub threads: Option<usize>,

    /// Check each file on its own: skip the first pass that compares
    /// articles with each other (name spellings across the corpus).
    #[arg(long)]
    pub no_corpus: bool,

    /// Apply safe fixes and write the files (atomically).
    #[arg(long)]
    pub fix: bool,

    /// Apply unsafe fixes too (implies --fix unless --diff is given).
    #[arg(long)]
    pub unsafe_fixes: bool,

    /// Print one line per rule with its count over the run instead of each
    /// diagnostic.
    #[arg(long)]
    pub statistics: bool,

    /// Exit 0 even when diagnostics are found (unreadable files and broken
    /// rules still exit 2 and 3).
    #[arg(long)]
    pub exit_zero: bool,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub output_file: Option<PathBuf>,

    /// Print the fixes as a unified diff and write nothing.
    #[arg(long)]
    pub diff: bool,

    /// With --format github: annotations shown at most; the rest are
    /// counted in a final notice.
    #[arg(long, value_name = "N", default_value_t = 50)]
    pub max_annotations: usize,

    /// With --format short: what a column counts. Vim's errorformat `%c`
    /// reads bytes, VS Code's problem matchers UTF-16 units.
    #[arg(long, value_enum, value_name = "UNIT", default_value_t = ColumnUnitArg::Char)]
    pub column_unit: ColumnUnitArg,

    /// The baseline of accepted findings [default: the configuration's
    /// baseline, else .kzlint-baseline.json beside the configuration file
    /// or in the current folder].
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,

    /// Ignore the baseline: report every finding.
    #[arg(long)]
    pub no_baseline: bool,

    /// The name to report for standard input (`kzlint -`).
    #[arg(long, value_name = "PATH")]
    pub stdin_filename: Option<PathBuf>,

    #[command(flatten)]
    pub records: InputArgs,

    /// Diagnostics kept per file (the rest are counted in a note): a file
    /// made of findings is not an article, and keeping every finding would
    /// hold memory in proportion to them. 0 for no limit.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub max_findings_per_file: usize,

    /// Skip (with an error) files and records larger than this: bytes, or
    /// a number with K, M or G; 0 for no limit [default: 16M].
    #[arg(long, value_name = "SIZE", value_parser = crate::input::parse_size)]
    pub max_file_size: Option<u64>,

    /// Print no summary.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// List the rules: id, category, severity and summary.
    Rules {
        /// `text`: one line each; `json`: every rule's metadata and docs.
        #[arg(long, value_enum, default_value_t = RulesFormat::Text)]
        format: RulesFormat,
    },
    /// Show a rule's description and examples.
    Explain {
        /// A rule id, such as `syndication/source-link`.
        rule: String,
    },
    /// Print the effective configuration (file and flags merged).
    Config,
    /// Write the current findings to the baseline file, so later runs report
    /// only new ones.
    Baseline {
        /// Only drop entries whose findings are gone; add nothing.
        #[arg(long)]
        prune: bool,
        #[command(flatten)]
        lint: Box<LintArgs>,
    },
    /// Show how the layout model reads each file: every paragraph with its
    /// line, zone (head, body, tail) and class (prose, residue, unsure).
    Layout {
        /// Files to read.
        #[arg(required = true)]
        files: Vec<PathBuf>,
    },
    /// Serve editors: a Language Server Protocol server on standard input
    /// and output (diagnostics as you type, quick fixes, rule docs on hover).
    Lsp,
    /// Print a shell completion script (bash, zsh, fish, elvish,
    /// powershell) to standard output.
    Completions {
        #[arg(value_enum)]
        shell: clap_complete::Shell,
    },
    /// Print kzlint's man page (roff) to standard output:
    /// `kzlint man > kzlint.1`.
    Man,
    /// Where each article came from, who carried it and what happened to
    /// it on the way: origin, carriers, transformation and sourcing.
    Report(ReportArgs),
    /// Run every rule's examples and list each failure.
    CheckRules {
        /// A rule folder to check instead of the built-in rules.
        dir: Option<PathBuf>,
    },
}

#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Files and folders to report on (folders are walked for .txt and .md
    /// files, respecting .gitignore).
    #[arg(value_name = "PATH", default_value = ".")]
    pub paths: Vec<PathBuf>,

    /// `text`: one line per article; `json`: one JSON record per article
    /// (docs/report.schema.json).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub format: ReportFormat,

    /// Also write the report as one self-contained HTML page (a sortable
    /// table of articles with their evidence, the clusters, the figures).
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    #[command(flatten)]
    pub records: InputArgs,
}

/// What the PATHs hold, for checking and for the report alike.
#[derive(Debug, Clone, Args)]
pub struct InputArgs {
    /// What the PATHs hold: article files (and folders of them), or JSON
    /// Lines with one article per line (`-` reads standard input), read as
    /// a stream; each record's id is reported as its path.
    #[arg(long, value_enum, default_value_t = InputFormat::Files)]
    pub input: InputFormat,

    /// With --input jsonl: the field holding a record's id (a string or a
    /// number; records without one are named FILE#LINE).
    #[arg(long, value_name = "NAME", default_value = "id")]
    pub id_field: String,

    /// With --input jsonl: the field holding a record's text.
    #[arg(long, value_name = "NAME", default_value = "text")]
    pub text_field: String,
}

impl InputArgs {
    pub fn is_jsonl(&self) -> bool {
        self.input == InputFormat::Jsonl
    }

    /// The fields a JSON Lines record's id and text are in.
    pub fn fields(&self) -> crate::input::Fields {
        crate::input::Fields {
            id: self.id_field.clone(),
            text: self.text_field.clone(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ReportFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum RulesFormat {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColumnUnitArg {
    /// Characters (Unicode scalar values).
    Char,
    /// Bytes of UTF-8 (Vim, Emacs).
    Byte,
    /// UTF-16 code units (VS Code).
    Utf16,
}

impl From<ColumnUnitArg> for kzlint::source::ColumnUnit {
    fn from(unit: ColumnUnitArg) -> Self {
        match unit {
            ColumnUnitArg::Char => Self::Char,
            ColumnUnitArg::Byte => Self::Byte,
            ColumnUnitArg::Utf16 => Self::Utf16,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InputFormat {
    /// Article files, and folders walked for them.
    Files,
    /// JSON Lines, one article per line (`{"id": ..., "text": ...}`).
    Jsonl,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ColorWhen {
    Auto,
    Always,
    Never,
}
