//! The kzlint binary: parses arguments, loads rules, walks paths and hands
//! each file's diagnostics to an emitter. All decisions about exit codes and
//! terminals live here, none in the library.

mod cli;
mod input;
mod lint;
mod lsp;
mod memory;
mod report_cmd;
mod walk;
mod write;

#[cfg(not(target_env = "msvc"))]
#[global_allocator]
static GLOBAL: tikv_jemallocator::Jemalloc = tikv_jemallocator::Jemalloc;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Parser;
use codespan_reporting::diagnostic::{Diagnostic as Report, Label};
use codespan_reporting::files::SimpleFile;
use codespan_reporting::term;
use termcolor::{ColorChoice, StandardStream};

use anyhow::Context;
use cli::{Cli, ColorWhen, Command};
use kzlint::config::{self, Config};
use kzlint::rules::{self, RuleError, RuleSet};

/// Exit codes, as documented in the README.
pub(crate) mod exit {
    pub const CLEAN: u8 = 0;
    pub const FOUND: u8 = 1;
    pub const ERROR: u8 = 2;
    pub const CONFIG: u8 = 3;
    /// The reader of standard output went away (`kzlint corpus/ | head`):
    /// the status a shell gives a program killed by SIGPIPE, never "clean",
    /// since what was not printed was not seen.
    pub const BROKEN_PIPE: u8 = 141;
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(e) if is_broken_pipe(&e) => ExitCode::from(exit::BROKEN_PIPE),
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(exit::ERROR)
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<io::Error>())
        .any(|e| e.kind() == io::ErrorKind::BrokenPipe)
}

pub(crate) fn color_choice(when: ColorWhen, stream_is_terminal: bool) -> ColorChoice {
    match when {
        ColorWhen::Always => ColorChoice::Always,
        ColorWhen::Never => ColorChoice::Never,
        ColorWhen::Auto => {
            let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
            if no_color || !stream_is_terminal {
                ColorChoice::Never
            } else {
                ColorChoice::Auto
            }
        }
    }
}

fn run(cli: Cli) -> anyhow::Result<u8> {
    let stderr_color = color_choice(cli.color, io::stderr().is_terminal());
    let mut stderr = StandardStream::stderr(stderr_color);
    // One pool of worker threads for loading rules and checking files.
    let threads = match &cli.command {
        Some(Command::Baseline { lint, .. }) => lint.threads,
        _ => cli.lint.threads,
    };
    rayon::ThreadPoolBuilder::new()
        .num_threads(threads.unwrap_or(0))
        .build_global()
        .context("starting worker threads")?;
    match &cli.command {
        Some(Command::CheckRules { dir }) => return check_rules(dir.as_deref(), &mut stderr),
        Some(Command::Layout { files }) => return print_layout(files, &mut stderr),
        // Its configuration is per file, found and reloaded as files open.
        Some(Command::Lsp) => return lsp::run(),
        Some(Command::Completions { shell }) => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(*shell, &mut command, "kzlint", &mut io::stdout());
            return Ok(exit::CLEAN);
        }
        Some(Command::Man) => {
            let command = <Cli as clap::CommandFactory>::command();
            clap_mangen::Man::new(command).render(&mut io::stdout())?;
            return Ok(exit::CLEAN);
        }
        _ => {}
    }
    // The configuration file names extra rule folders, and is checked
    // against the rules once they are loaded.
    let config_path = match &cli.config {
        Some(path) => Some(path.clone()),
        None => config::discover(&std::env::current_dir().context("finding the current folder")?),
    };
    let config_text = match &config_path {
        Some(path) => match std::fs::read_to_string(path) {
            Ok(text) => Some((path.clone(), text)),
            Err(e) => {
                writeln!(stderr, "error: {}: {e}", path.display())?;
                return Ok(exit::CONFIG);
            }
        },
        None => None,
    };
    let loaded = config::load(
        config_text.as_ref().map(|(p, t)| (p.as_path(), t.as_str())),
        &cli.rule_dirs,
    );
    let (rules, rule_errors) = (loaded.rules, loaded.rule_errors);
    report_rule_errors(&rule_errors, &mut stderr)?;
    let mut config = match loaded.config {
        Ok(config) => config,
        Err(e) => {
            report_at(
                &mut stderr,
                &e.file,
                e.contents.as_deref(),
                e.span.clone(),
                None,
                &e.message,
            )?;
            return Ok(exit::CONFIG);
        }
    };
    // `kzlint baseline` takes the lint flags after its name.
    let flags = match &cli.command {
        Some(Command::Baseline { lint, .. }) => lint.as_ref(),
        _ => &cli.lint,
    };
    if let Err(message) = config.add_flags(&flags.disable, &flags.enable, &rules) {
        writeln!(stderr, "error: {message}")?;
        return Ok(exit::ERROR);
    }
    let config_failed = !rule_errors.is_empty();
    let configs = config::Configs::new(
        &config,
        config_path.as_deref(),
        cli.config.is_some(),
        (flags.disable.clone(), flags.enable.clone()),
    );
    let code = match cli.command {
        Some(Command::Rules { format }) => list_rules(&rules, format)?,
        Some(Command::Explain { rule }) => explain(&rules, &rule)?,
        Some(Command::Config) => print_config(&config, config_path.as_deref(), &cli.lint)?,
        Some(Command::Report(args)) => {
            // The provenance data of the same folders the rules came from.
            let mut dirs = config_text
                .as_ref()
                .map(|(path, text)| config::rule_dirs(path, text))
                .unwrap_or_default();
            dirs.extend(cli.rule_dirs.iter().cloned());
            report_cmd::run(&args, &rules, &configs, &dirs, &mut stderr)?
        }
        Some(
            Command::CheckRules { .. }
            | Command::Layout { .. }
            | Command::Lsp
            | Command::Completions { .. }
            | Command::Man,
        ) => {
            unreachable!("handled above")
        }
        Some(Command::Baseline { prune, lint }) => {
            let mode = if prune {
                lint::BaselineMode::Prune
            } else {
                lint::BaselineMode::Write
            };
            lint::run(&lint, cli.color, &rules, &configs, mode, &mut stderr)?
        }
        None => lint::run(
            &cli.lint,
            cli.color,
            &rules,
            &configs,
            lint::BaselineMode::Use,
            &mut stderr,
        )?,
    };
    // The process ends here: freeing every compiled rule first would only
    // delay the exit (it is a visible share of a one-file run).
    std::mem::forget(rules);
    Ok(if config_failed { exit::CONFIG } else { code })
}

/// Each file's paragraphs as the layout model reads them, one line each:
/// line number, zone, class and the paragraph's opening words.
fn print_layout(files: &[PathBuf], stderr: &mut StandardStream) -> anyhow::Result<u8> {
    let mut out = io::stdout().lock();
    let mut code = exit::CLEAN;
    for path in files {
        let file = match std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|bytes| {
                kzlint::SourceFile::from_bytes(path, bytes).map_err(|e| e.to_string())
            }) {
            Ok(file) => file,
            Err(e) => {
                writeln!(stderr, "error: {}: {e}", path.display())?;
                code = exit::ERROR;
                continue;
            }
        };
        writeln!(out, "{}:", path.display())?;
        for row in kzlint::text::layout_rows(file.body()) {
            let line = file.line_col(file.body_start() + row.start).line;
            writeln!(
                out,
                "{line:>5} {:<4} {:<7} {}",
                row.zone, row.class, row.opening
            )?;
        }
    }
    Ok(code)
}

/// The configuration in effect, as TOML: the file's settings with the
/// command line's on top and the defaults filled in.
fn print_config(config: &Config, path: Option<&Path>, args: &cli::LintArgs) -> anyhow::Result<u8> {
    let mut file = config.file.clone();
    file.fail_on = Some(
        args.fail_on
            .or(file.fail_on)
            .unwrap_or(kzlint::Severity::Warning),
    );
    file.extensions = Some(
        args.extensions
            .clone()
            .or(file.extensions)
            .unwrap_or_else(|| {
                lint::DEFAULT_EXTENSIONS
                    .iter()
                    .map(|e| e.to_string())
                    .collect()
            }),
    );
    let mut out = io::stdout().lock();
    match path {
        Some(p) => writeln!(out, "# configuration file: {}", p.display())?,
        None => writeln!(
            out,
            "# no configuration file found; defaults and flags only"
        )?,
    }
    write!(
        out,
        "{}",
        toml::to_string_pretty(&file).context("writing the configuration")?
    )?;
    Ok(exit::CLEAN)
}

/// Renders rule-file errors in place, like a compiler error in source.
fn report_rule_errors(errors: &[RuleError], out: &mut StandardStream) -> anyhow::Result<()> {
    for e in errors {
        match (&e.contents, &e.span) {
            (Some(_), Some(_)) => report_at(
                out,
                &e.file,
                e.contents.as_deref(),
                e.span.clone(),
                e.rule.as_deref(),
                &e.message,
            )?,
            _ => writeln!(out, "error: {e}")?,
        }
    }
    Ok(())
}

/// One error at a span of a file (a rule file, a configuration file),
/// shown with the file's text; a one-line error when there is no span.
fn report_at(
    out: &mut StandardStream,
    name: &str,
    contents: Option<&str>,
    span: Option<std::ops::Range<usize>>,
    code: Option<&str>,
    message: &str,
) -> anyhow::Result<()> {
    let (Some(contents), Some(span)) = (contents, span) else {
        writeln!(out, "error: {name}: {message}")?;
        return Ok(());
    };
    let file = SimpleFile::new(name, contents);
    let mut report = Report::error()
        .with_message(message)
        .with_labels(vec![Label::primary((), span)]);
    if let Some(code) = code {
        report = report.with_code(code);
    }
    term::emit_to_write_style(out, &term::Config::default(), &file, &report)?;
    Ok(())
}

fn check_rules(dir: Option<&Path>, out: &mut StandardStream) -> anyhow::Result<u8> {
    let files = match dir {
        Some(dir) => match rules::load_dir(dir) {
            Ok(files) => files,
            Err(e) => {
                report_rule_errors(&[e], out)?;
                return Ok(exit::CONFIG);
            }
        },
        None => rules::builtin_rule_files(),
    };
    let (loaded, mut errors) = rules::load_files(&files);
    let mut set = RuleSet::default();
    // A user's folder is checked as `--rules DIR` loads it: beside the
    // built-in rules, so an id they already use is refused here too.
    let mut builtin_ids = std::collections::HashSet::new();
    // The built-in rules' own folder (a kzlint checkout's rules/) is
    // checked as the built-in rules are.
    let own_folder = |d: &Path| {
        let own = Path::new(env!("CARGO_MANIFEST_DIR")).join("rules");
        std::fs::canonicalize(d).ok() == std::fs::canonicalize(own).ok()
    };
    if dir.is_some_and(|d| !own_folder(d)) {
        let (builtin, _) = rules::load_builtin();
        builtin_ids.extend(builtin.iter().map(|r| r.id.clone()));
        let _ = set.extend(builtin);
    }
    errors.extend(set.extend(loaded));
    report_rule_errors(&errors, out)?;
    let loaded: Vec<&rules::Rule> = set
        .rules()
        .iter()
        .filter(|r| !builtin_ids.contains(&r.id))
        .collect();
    let failed: std::collections::BTreeSet<_> = errors
        .iter()
        .map(|e| e.rule.clone().unwrap_or(e.file.clone()))
        .collect();
    let examples: usize = loaded
        .iter()
        .map(|r| r.examples.bad.len() + r.examples.good.len() + r.examples.corpus.len())
        .sum();
    println!(
        "{} rules passed ({} examples), {} failed",
        loaded.len(),
        examples,
        failed.len()
    );
    Ok(if errors.is_empty() {
        exit::CLEAN
    } else {
        exit::CONFIG
    })
}

fn list_rules(rules: &RuleSet, format: cli::RulesFormat) -> anyhow::Result<u8> {
    let mut out = io::stdout().lock();
    if format == cli::RulesFormat::Json {
        let list: Vec<serde_json::Value> = rules
            .rules()
            .iter()
            .map(|r| {
                serde_json::json!({
                    "id": r.id,
                    "category": r.category.to_string(),
                    "category_description": r.category.description(),
                    "severity": r.severity.to_string(),
                    "summary": r.summary,
                    "help": r.help,
                    "description": r.description,
                    "origin": r.origin,
                })
            })
            .collect();
        serde_json::to_writer_pretty(&mut out, &list)?;
        writeln!(out)?;
        return Ok(exit::CLEAN);
    }
    let width = rules.rules().iter().map(|r| r.id.len()).max().unwrap_or(0);
    for r in rules.rules() {
        writeln!(
            out,
            "{:<width$}  {:<11}  {:<7}  {}",
            r.id, r.category, r.severity, r.summary
        )?;
    }
    Ok(exit::CLEAN)
}

fn explain(rules: &RuleSet, id: &str) -> anyhow::Result<u8> {
    let Some(rule) = rules.get(id) else {
        match config::closest_rule(id, rules) {
            Some(near) => eprintln!("error: no rule `{id}`; did you mean `{near}`?"),
            None => eprintln!("error: no rule `{id}`; `kzlint rules` lists them"),
        }
        return Ok(exit::ERROR);
    };
    write!(io::stdout().lock(), "{}", rule.explanation())?;
    Ok(exit::CLEAN)
}
