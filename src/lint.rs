//! The `kzlint [PATHS]` pipeline: gather inputs, check (and fix) them in
//! parallel batches, and hand results to the emitter in path order.

use std::io::{self, BufRead, IsTerminal, Seek, Write};
use std::path::{Path, PathBuf};

use anyhow::Context;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};
use termcolor::{BufferedStandardStream, StandardStream, WriteColor};

use crate::cli::{ColorWhen, LintArgs};
use crate::input::{read_stdin, Input, JsonlRecords, DEFAULT_MAX_FILE_SIZE};
use crate::{color_choice, exit, walk};
use kzlint::baseline::{self, Baseline, Matcher};
use kzlint::config::{Config, Configs};
use kzlint::emit::Summary;
use kzlint::rules::RuleSet;
use kzlint::{fix, Applicability, CorpusIndex, Diagnostic, Severity, SourceFile};

/// Extensions checked when walking folders, unless configured.
pub const DEFAULT_EXTENSIONS: [&str; 2] = ["txt", "md"];

/// Files read and checked at once: bounds memory (three batches at a time:
/// one walked, one checked, one written out) while keeping both cores busy,
/// and lets output stay in path order.
const BATCH: usize = 256;

/// What a run does with each file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Check,
    /// Apply fixes at this level and write the files.
    Fix(Applicability),
    /// Show the fixes at this level as a diff; write nothing.
    Diff(Applicability),
}

impl Mode {
    pub fn from_args(args: &LintArgs) -> Mode {
        let level = if args.unsafe_fixes {
            Applicability::Unsafe
        } else {
            Applicability::Safe
        };
        if args.diff {
            Mode::Diff(level)
        } else if args.fix || args.unsafe_fixes {
            Mode::Fix(level)
        } else {
            Mode::Check
        }
    }
}

/// What a run does with the baseline of accepted findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BaselineMode {
    /// Hide the findings it lists (unless --no-baseline).
    Use,
    /// Write every current finding to it.
    Write,
    /// Drop its entries whose findings are gone.
    Prune,
}

/// The baseline file this run uses.
fn baseline_path(args: &LintArgs, config: &Config) -> PathBuf {
    if let Some(path) = &args.baseline {
        return path.clone();
    }
    let root = config.root.clone().unwrap_or_else(|| PathBuf::from("."));
    match &config.file.baseline {
        Some(name) => root.join(name),
        None => root.join(baseline::DEFAULT_FILE_NAME),
    }
}

/// A file's key in the baseline: its path relative to the baseline's
/// folder, with `/` separators, so the baseline works from any folder. A
/// record's key is its id.
fn baseline_key(input: &Input, baseline_dir: &Path) -> String {
    let path = input.name();
    if let Input::Record(..) | Input::Broken(..) = input {
        return path.to_string_lossy().into_owned();
    }
    baseline::path_key(path, baseline_dir)
}

/// Writes a new file atomically.
/// One file after checking (and fixing): its final text, what it was as
/// read, and the diagnostics that remain.
struct Checked {
    file: SourceFile,
    /// The bytes as read, kept only when fixing (to write safely).
    original: Option<Vec<u8>>,
    diagnostics: Vec<Diagnostic>,
    /// Findings past `--max-findings-per-file`, counted but not kept.
    not_shown: usize,
    fixes: usize,
    /// The report's bytes for this file, when the format renders each file
    /// alone and nothing on the main thread changes what is shown: made on
    /// the worker that checked the file, so writing the report out (tens
    /// of megabytes on a corpus full of findings) is not one thread's job.
    rendered: Option<Vec<u8>>,
}

impl Checked {
    fn changed(&self) -> bool {
        self.fixes > 0
            && self
                .original
                .as_deref()
                .is_some_and(|o| self.file.text().as_bytes() != o)
    }
}

/// A file checked, or why it could not be.
type Outcome = Result<Checked, String>;

/// What every file of a run is checked with.
struct Run<'a> {
    rules: &'a RuleSet,
    /// Each file's settings (its nearest configuration file).
    configs: &'a Configs<'a>,
    corpus: Option<&'a CorpusIndex>,
    max_size: u64,
    /// Diagnostics kept per file; the rest are counted.
    max_findings: Option<usize>,
    /// The baseline in use and its folder: what it accepts is not shown,
    /// so it is not fixed either.
    baseline: Option<(&'a Baseline, &'a Path)>,
}

fn process(input: &Input, cx: &Run<'_>, mode: Mode) -> Result<Checked, String> {
    let (rules, corpus) = (cx.rules, cx.corpus);
    let (file, original) = input.read(cx.max_size, mode != Mode::Check)?;
    let settings = cx.configs.settings_for(input.name(), rules)?;
    let (file, fixes) = match mode {
        Mode::Check => (file, 0),
        Mode::Fix(level) | Mode::Diff(level) => {
            // Only what the user is shown is fixed: not what the baseline
            // accepts.
            let mut hide = |f: &SourceFile, found: &mut Vec<Diagnostic>| {
                if let Some((baseline, dir)) = cx.baseline {
                    let key = baseline_key(input, dir);
                    Matcher::for_file(baseline, &key).hide(&key, f, found);
                }
            };
            let fixed = fix::fix_shown(&file, rules, &settings, level, &mut hide)
                .map_err(|e| e.to_string())?;
            // A fix must leave text kzlint itself would read back.
            if let Err(e) = SourceFile::from_bytes(file.path(), fixed.text.clone().into_bytes()) {
                return Err(format!(
                    "the fixed text would not read back ({e}); left unchanged"
                ));
            }
            (SourceFile::new(file.path(), fixed.text), fixed.applied)
        }
    };
    let found = kzlint::check_file(&file, rules, &settings, corpus, cx.max_findings);
    let mut diagnostics = found.diagnostics;
    settings.apply(&mut diagnostics);
    Ok(Checked {
        file,
        original,
        diagnostics,
        not_shown: found.not_shown,
        fixes,
        rendered: None,
    })
}

/// Files gathered at once in the corpus pass: each worker's part of the
/// index holds the names of its share of these, and their outcomes wait in
/// memory, so this bounds memory (with two chunks alive at once: one being
/// checked, the one before folded in and written out). A quarter of the
/// 2048 it was took 5 MiB off the peak of a 221 MB run.
const GATHER_CHUNK: usize = 512;

/// A file's outcome from the first pass of a corpus run, kept on disk
/// (one JSON line each, in input order) until the whole corpus is gathered.
#[derive(Serialize, Deserialize)]
struct Kept {
    /// The input's name: the second walk must meet the same files.
    name: String,
    /// The diagnostics, with a hash of the text they were found in (a file
    /// changed between the passes is checked again) and the count of
    /// findings past the cap, or why the file could not be read.
    outcome: Result<(u64, Vec<Diagnostic>, usize), String>,
}

fn digest(text: &str) -> u64 {
    use std::hash::BuildHasher;
    foldhash::fast::FixedState::with_seed(0x6b65_7074).hash_one(text)
}

/// First pass of a corpus run: checks every file on its own while
/// gathering the corpus from it (one reading, one segmentation), and keeps
/// the outcomes in `kept`. Comparisons with the corpus wait for the second
/// pass, which re-checks only the files they can concern.
fn check_and_gather_corpus(
    inputs: impl Iterator<Item = Input>,
    cx: &Run<'_>,
    kept: &mut impl Write,
) -> io::Result<CorpusIndex> {
    let check = |order: usize, input: &Input, index: &mut CorpusIndex| -> Option<Kept> {
        if let Input::Unwalkable(_) = input {
            return None;
        }
        let outcome = input.read(cx.max_size, false).and_then(|(file, _)| {
            let settings = cx.configs.settings_for(input.name(), cx.rules)?;
            let found =
                kzlint::check_and_gather(&file, cx.rules, &settings, order, index, cx.max_findings);
            let mut diagnostics = found.diagnostics;
            settings.apply(&mut diagnostics);
            Ok((digest(file.text()), diagnostics, found.not_shown))
        });
        Some(Kept {
            name: input.name().to_string_lossy().into_owned(),
            outcome,
        })
    };
    gather_in_chunks(inputs, check, |outcomes| {
        outcomes.into_iter().try_for_each(|outcome| {
            serde_json::to_writer(&mut *kept, &outcome)?;
            kept.write_all(b"\n")
        })
    })
}

/// Runs `visit` on every input (numbered by its place in the run) on the
/// worker threads, a chunk at a time, each worker adding to its own part
/// of the index; hands each chunk's results to `done` in input order.
/// While the workers check chunk k, this thread folds in chunk k-1's parts,
/// hands on its results and walks chunk k+1, so the workers do not wait
/// for that (about 4% of a corpus run's time when it was done in between).
fn gather_in_chunks<T: Send>(
    inputs: impl Iterator<Item = Input>,
    visit: impl Fn(usize, &Input, &mut CorpusIndex) -> T + Sync,
    mut done: impl FnMut(Vec<T>) -> io::Result<()>,
) -> io::Result<CorpusIndex> {
    let mut index = CorpusIndex::default();
    // One set of parts for the chunk being checked, one for the chunk being
    // folded in. Folding empties a part but keeps its tables' room, so they
    // do not grow (and, freed, fault in again) chunk after chunk.
    let parts: [WorkerParts; 2] = std::array::from_fn(|_| WorkerParts::new());
    let mut inputs = inputs.enumerate();
    let mut chunk: Vec<(usize, Input)> = inputs.by_ref().take(GATHER_CHUNK).collect();
    let mut pending: Option<Vec<(usize, T)>> = None;
    for round in 0.. {
        if chunk.is_empty() && pending.is_none() {
            break;
        }
        // Between chunks of a run longer than one: what the last one freed.
        if round > 0 && !chunk.is_empty() {
            crate::memory::give_back_freed_pages();
        }
        let (filling, folding) = (&parts[round % 2], &parts[(round + 1) % 2]);
        let mut checked = None;
        let mut next = Vec::new();
        let mut handed_on = Ok(());
        rayon::in_place_scope(|scope| {
            if !chunk.is_empty() {
                let (chunk, checked, visit) = (&chunk, &mut checked, &visit);
                scope.spawn(move |_| *checked = Some(check_chunk(chunk, visit, filling)));
            }
            if let Some(mut results) = pending.take() {
                folding.fold_into(&mut index);
                results.sort_unstable_by_key(|(order, _)| *order);
                handed_on = done(results.into_iter().map(|(_, r)| r).collect());
            }
            next = inputs.by_ref().take(GATHER_CHUNK).collect();
        });
        handed_on?;
        pending = checked;
        chunk = next;
    }
    Ok(index)
}

/// Each worker thread's part of the corpus index for one chunk.
struct WorkerParts(Vec<std::sync::Mutex<CorpusIndex>>);

impl WorkerParts {
    fn new() -> WorkerParts {
        WorkerParts(
            (0..rayon::current_num_threads())
                .map(|_| Default::default())
                .collect(),
        )
    }

    /// Runs `add` on this worker's part. The part is taken out of its slot
    /// for the while, not locked: a job this worker steals meanwhile (a
    /// file's regexes compile in parallel) takes an empty one of its own.
    fn add<T>(&self, add: impl FnOnce(&mut CorpusIndex) -> T) -> T {
        let slot = &self.0[rayon::current_thread_index().unwrap_or(0) % self.0.len()];
        let mut part = std::mem::take(&mut *slot.lock().expect("a part's lock"));
        let result = add(&mut part);
        // Back in its slot, with whatever a stolen job left there.
        let mut slot = slot.lock().expect("a part's lock");
        std::mem::swap(&mut *slot, &mut part);
        slot.merge_from(&mut part);
        result
    }

    fn fold_into(&self, index: &mut CorpusIndex) {
        for part in &self.0 {
            index.merge_from(&mut part.lock().expect("a part's lock"));
        }
    }
}

/// One chunk of [`gather_in_chunks`] on the worker threads: its results,
/// in no particular order; each worker adds to its part in `parts`.
fn check_chunk<T: Send>(
    chunk: &[(usize, Input)],
    visit: &(impl Fn(usize, &Input, &mut CorpusIndex) -> T + Sync),
    parts: &WorkerParts,
) -> Vec<(usize, T)> {
    chunk
        .par_iter()
        .map(|(order, input)| (*order, parts.add(|part| visit(*order, input, part))))
        .collect()
}

/// A checked file with its report rendered, by a format that renders
/// files alone.
fn render(outcome: Outcome, renderer: Option<&dyn kzlint::emit::Render>) -> Outcome {
    outcome.map(|mut checked| {
        if let Some(renderer) = renderer {
            checked.rendered = Some(renderer.render(&checked.file, &checked.diagnostics));
        }
        checked
    })
}

/// The outcome kept from the first pass, when it still holds: same file,
/// same text.
fn reuse(input: &Input, kept: Kept, cx: &Run<'_>) -> Outcome {
    if kept.name != input.name().to_string_lossy() {
        return process(input, cx, Mode::Check);
    }
    let (digest_then, diagnostics, not_shown) = kept.outcome?;
    if diagnostics.is_empty() {
        // Nothing to show, so no text to show it in: not read again.
        return Ok(Checked {
            file: SourceFile::new(input.name(), String::new()),
            original: None,
            diagnostics,
            not_shown,
            fixes: 0,
            rendered: None,
        });
    }
    let (file, original) = input.read(cx.max_size, false)?;
    if digest(file.text()) != digest_then {
        return process(input, cx, Mode::Check);
    }
    Ok(Checked {
        file,
        original,
        diagnostics,
        not_shown,
        fixes: 0,
        rendered: None,
    })
}

/// First pass of a fixing corpus run (fixes change the text, so nothing
/// found before them can be kept): only what the corpus-level analyzers
/// need from every file. Unreadable files are skipped here and reported by
/// the second pass.
fn gather_corpus(inputs: impl Iterator<Item = Input>, cx: &Run<'_>) -> CorpusIndex {
    let add = |order: usize, input: &Input, index: &mut CorpusIndex| {
        let Ok((file, _)) = input.read(cx.max_size, false) else {
            return;
        };
        // As checking does: only the rules on for the file gather from it.
        if let Ok(settings) = cx.configs.settings_for(input.name(), cx.rules) {
            index.add_file(order, &file, kzlint::engine::enabled(cx.rules, &settings));
        }
    };
    gather_in_chunks(inputs, add, |_| Ok(())).expect("nothing to write, nothing fails")
}

/// Before the first fix written in a folder, removes the temporary files
/// an interrupted `--fix` left there, and says so.
fn clean_folder_once(
    path: &Path,
    cleaned: &mut std::collections::HashSet<PathBuf>,
    stderr: &mut StandardStream,
) -> io::Result<()> {
    let dir = match path.parent() {
        Some(d) if !d.as_os_str().is_empty() => d,
        _ => Path::new("."),
    };
    if !cleaned.insert(dir.to_path_buf()) {
        return Ok(());
    }
    for stale in crate::write::remove_stale_temporaries(dir) {
        writeln!(
            stderr,
            "note: removed {}, left by an interrupted kzlint --fix",
            stale.display()
        )?;
    }
    Ok(())
}

/// What a walk of folders reads: the extensions (flags, else the
/// configuration's, else txt and md) and what it skips (the
/// configuration's globs, relative to its file, and the command line's).
/// Standard output for the report. Without colours (a pipe or a file) it
/// is written in large blocks: a corpus run's report can be tens of
/// megabytes, which 8 KiB writes sent in ten thousand system calls.
fn stdout_writer(choice: termcolor::ColorChoice) -> Box<dyn WriteColor> {
    const BLOCK: usize = 256 * 1024;
    match choice {
        termcolor::ColorChoice::Never => Box::new(termcolor::NoColor::new(
            io::BufWriter::with_capacity(BLOCK, io::stdout()),
        )),
        _ => Box::new(BufferedStandardStream::stdout(choice)),
    }
}

pub(crate) fn walk_settings(
    extensions: Option<&Vec<String>>,
    exclude: &[String],
    config: &kzlint::config::Config,
) -> anyhow::Result<(Vec<String>, walk::Exclude)> {
    let extensions: Vec<String> = extensions
        .cloned()
        .or_else(|| config.file.extensions.clone())
        .unwrap_or_else(|| DEFAULT_EXTENSIONS.iter().map(|e| e.to_string()).collect());
    // Files are walked as they are checked (twice with the corpus pass),
    // never listed whole, so memory does not grow with the corpus.
    let excluded: Vec<String> = config
        .file
        .exclude
        .iter()
        .chain(&config.file.extend_exclude)
        .chain(exclude)
        .cloned()
        .collect();
    let exclude_root = config.root.clone().unwrap_or_else(|| PathBuf::from("."));
    let exclude = walk::Exclude::new(&exclude_root, &excluded).map_err(|e| anyhow::anyhow!(e))?;
    Ok((extensions, exclude))
}

pub fn run(
    args: &LintArgs,
    color: ColorWhen,
    rules: &RuleSet,
    configs: &Configs<'_>,
    baseline_mode: BaselineMode,
    stderr: &mut StandardStream,
) -> anyhow::Result<u8> {
    let config = configs.main();
    let mode = if baseline_mode == BaselineMode::Use {
        Mode::from_args(args)
    } else {
        Mode::Check
    };
    let baseline_file = baseline_path(args, config);
    let baseline_dir = baseline_file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."))
        .to_path_buf();
    let existing = if args.no_baseline || !baseline_file.is_file() {
        None
    } else {
        let bytes = std::fs::read(&baseline_file)
            .with_context(|| format!("reading {}", baseline_file.display()))?;
        let parsed = String::from_utf8(bytes)
            .map_err(|_| "not UTF-8".to_string())
            .and_then(|text| Baseline::parse(&text));
        match parsed {
            Ok(b) => Some(b),
            Err(e) => {
                writeln!(
                    stderr,
                    "error: {}: not a kzlint baseline: {e}",
                    baseline_file.display()
                )?;
                return Ok(exit::CONFIG);
            }
        }
    };
    if baseline_mode == BaselineMode::Prune && existing.is_none() {
        writeln!(
            stderr,
            "error: {}: no baseline to prune",
            baseline_file.display()
        )?;
        return Ok(exit::ERROR);
    }
    let mut matcher = existing.as_ref().map(Matcher::new);
    let mut checked_keys = std::collections::HashSet::new();
    let mut new_entries = Vec::new();
    let max_size = args.max_file_size.unwrap_or(DEFAULT_MAX_FILE_SIZE);
    let max_findings = (args.max_findings_per_file > 0).then_some(args.max_findings_per_file);
    let jsonl = args.records.is_jsonl();
    if jsonl && mode != Mode::Check {
        anyhow::bail!("--fix and --diff work on files, not on --input jsonl records");
    }
    let reading_stdin = !jsonl && args.paths.iter().any(|p| p.as_os_str() == "-");
    // A name for standard input with no `-` to read it from would be
    // dropped without a word, and the user would think it applied.
    if args.stdin_filename.is_some() && !reading_stdin {
        anyhow::bail!("`--stdin-filename` names standard input, which is read only when `-` is among the paths");
    }
    let (extensions, exclude) = walk_settings(args.extensions.as_ref(), &args.exclude, config)?;
    let walk = || {
        walk::stream(&args.paths, &extensions, &exclude).map(|found| match found {
            Ok(path) => Input::Path(path),
            Err(e) => Input::Unwalkable(e),
        })
    };
    // Worker threads: rayon's global pool, sized by `-j` in main.
    // Comparing files needs every file twice, so a single file, standard
    // input and records streamed from JSON Lines are checked on their own.
    let several_files = args.paths.len() > 1 || args.paths.iter().any(|p| p.is_dir());
    // A pipe can be read only once: no corpus pass over it.
    let names_a_stream = args
        .paths
        .iter()
        .any(|p| std::fs::metadata(p).is_ok_and(|m| walk::is_stream(&m)));
    // Only rules that compare articles need the corpus pass: with them
    // all off, it would cost a second walk for nothing.
    let comparing_rules = rules
        .rules()
        .iter()
        .any(|r| r.compares_files() && config.may_enable(&r.id));
    let compare_files = !jsonl
        && !reading_stdin
        && !names_a_stream
        && several_files
        && !args.no_corpus
        && comparing_rules;
    // Checking, the first pass checks each file too and keeps what it
    // found in a temporary file; fixing, files are checked after it.
    let mut kept = None;
    let mut corpus = None;
    // Files checked on their own: the first pass.
    let alone = Run {
        rules,
        configs,
        corpus: None,
        max_size,
        max_findings,
        baseline: None,
    };
    if compare_files && mode == Mode::Check {
        if let Ok(mut file) = tempfile::tempfile() {
            let mut writer = io::BufWriter::new(&mut file);
            let gathered = check_and_gather_corpus(walk(), &alone, &mut writer);
            let flushed = writer.flush();
            drop(writer);
            if let (Ok(index), Ok(()), Ok(_)) = (gathered, flushed, file.rewind()) {
                let recheck = kzlint::files_to_recheck(rules, &index);
                kept = Some((io::BufReader::new(file).lines(), recheck));
                corpus = Some(index);
            }
        }
    }
    if compare_files && corpus.is_none() {
        corpus = Some(gather_corpus(walk(), &alone));
    }
    let mut records = None;
    let source: Box<dyn Iterator<Item = Input>> = if jsonl {
        let fields = args.records.fields();
        Box::new(records.insert(JsonlRecords::new(args.paths.clone(), fields, max_size)))
    } else if reading_stdin {
        if args.paths.len() > 1 {
            anyhow::bail!("`-` (standard input) cannot be combined with other paths");
        }
        let bytes = read_stdin(max_size).context("reading standard input")?;
        let name = args
            .stdin_filename
            .clone()
            .unwrap_or_else(|| PathBuf::from("<stdin>"));
        Box::new(std::iter::once(Input::Stdin(name, bytes)))
    } else {
        Box::new(walk())
    };
    // Each input with what the first pass kept of it, if it can be reused.
    let mut source = source.enumerate().map(move |(order, input)| {
        let previous = kept.as_mut().and_then(|(lines, recheck)| {
            let line = lines.next()?.ok()?;
            let previous: Option<Kept> = serde_json::from_str(&line).ok()?;
            previous.filter(|_| !recheck.contains(&order))
        });
        (input, previous)
    });
    let mut had_errors = false;
    let cx = Run {
        max_findings,
        rules,
        configs,
        corpus: corpus.as_ref(),
        max_size,
        baseline: existing.as_ref().map(|b| (b, baseline_dir.as_path())),
    };
    let mut out: Box<dyn WriteColor> = match &args.output_file {
        // A report file gets no colour codes.
        Some(path) => Box::new(termcolor::NoColor::new(io::BufWriter::new(
            std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?,
        ))),
        None => stdout_writer(color_choice(color, io::stdout().is_terminal())),
    };
    // With `-` and --fix the fixed text goes to standard output, so the
    // diagnostics go to standard error.
    let stdin_fix = reading_stdin && matches!(mode, Mode::Fix(_));
    let mut emitter: Box<dyn kzlint::emit::Emitter> = if args.statistics {
        Box::<kzlint::emit::Statistics>::default()
    } else {
        args.format
            .emitter(rules, args.max_annotations, args.column_unit.into())
    };
    // Only a plain check with no baseline shows each file exactly as
    // found: a baseline hides findings, fixes change the text.
    let renderer = if args.statistics
        || existing.is_some()
        || baseline_mode != BaselineMode::Use
        || mode != Mode::Check
    {
        None
    } else {
        args.format.renderer(args.column_unit.into())
    };
    let mut summary = Summary::default();
    let mut changed_files = 0;
    // Folders a fix wrote in, each cleaned once of stale temporary files.
    let mut cleaned_dirs = std::collections::HashSet::new();
    // Inputs met, whatever became of them: none at all on named paths is
    // an error, not a clean run.
    let mut inputs_met = 0usize;
    let mut emit_one = |input: &Input,
                        result: Outcome,
                        out: &mut dyn WriteColor,
                        stderr: &mut StandardStream|
     -> anyhow::Result<()> {
        inputs_met += 1;
        if let Input::Unwalkable(reason) = input {
            had_errors = true;
            out.flush()?;
            writeln!(stderr, "error: {reason}")?;
            return Ok(());
        }
        let mut checked = match result {
            Ok(checked) => checked,
            Err(reason) => {
                had_errors = true;
                summary.files_failed += 1;
                out.flush()?;
                writeln!(stderr, "error: {}: {reason}", input.name().display())?;
                return Ok(());
            }
        };
        if baseline_mode == BaselineMode::Write {
            let key = baseline_key(input, &baseline_dir);
            checked_keys.insert(key.clone());
            new_entries.extend(
                checked
                    .diagnostics
                    .iter()
                    .map(|d| Baseline::entry(&key, &checked.file, d)),
            );
            return Ok(());
        }
        // Without a baseline, nothing is remembered per file.
        if let Some(m) = matcher.as_mut() {
            let key = baseline_key(input, &baseline_dir);
            summary.hidden += m.hide(&key, &checked.file, &mut checked.diagnostics);
            checked_keys.insert(key);
        }
        if let Mode::Diff(_) = mode {
            if checked.changed() {
                changed_files += 1;
                let before =
                    String::from_utf8_lossy(checked.original.as_deref().unwrap_or_default());
                let name = input.name().display().to_string();
                write!(
                    out,
                    "{}",
                    fix::unified_diff(&name, &before, checked.file.text())
                )?;
            }
            return Ok(());
        }
        if checked.changed() {
            match input {
                Input::Path(path) => {
                    out.flush()?;
                    clean_folder_once(path, &mut cleaned_dirs, stderr)?;
                    let written = match checked.original.as_deref() {
                        Some(original) => crate::write::write_fixed(
                            path,
                            original,
                            checked.file.text(),
                            &args.paths,
                        ),
                        None => Err("the file as read was not kept; left unchanged".into()),
                    };
                    if let Err(reason) = written {
                        had_errors = true;
                        out.flush()?;
                        writeln!(stderr, "error: {}: {reason}", path.display())?;
                        // The file is as it was: report what it still has.
                        if let Ok(unfixed) = process(input, &cx, Mode::Check) {
                            summary.add(&unfixed.diagnostics);
                            emitter.file(out, &unfixed.file, &unfixed.diagnostics)?;
                        }
                        return Ok(());
                    }
                }
                _ => out.write_all(checked.file.text().as_bytes())?,
            }
            summary.fixes_applied += checked.fixes;
            summary.files_fixed += 1;
        } else if stdin_fix {
            out.write_all(checked.file.text().as_bytes())?;
        }
        summary.add(&checked.diagnostics);
        let target: &mut dyn WriteColor = if stdin_fix { stderr } else { out };
        match &checked.rendered {
            Some(bytes) => target.write_all(bytes)?,
            None => emitter.file(target, &checked.file, &checked.diagnostics)?,
        }
        if checked.not_shown > 0 {
            summary.not_shown += checked.not_shown;
            out.flush()?;
            writeln!(
                stderr,
                "note: {}: {} more findings not shown ({} kept per file; \
                 --max-findings-per-file 0 keeps all)",
                input.name().display(),
                checked.not_shown,
                max_findings.unwrap_or_default()
            )?;
        }
        Ok(())
    };
    // Batch k+1 is checked on the worker threads while batch k is written
    // out here, in input order, and batch k+2 is walked.
    let mut done: Option<(Vec<Input>, Vec<Outcome>)> = None;
    let (mut batch, mut previous): (Vec<Input>, Vec<Option<Kept>>) =
        source.by_ref().take(BATCH).unzip();
    for round in 0.. {
        if batch.is_empty() && done.is_none() {
            break;
        }
        // Between batches of a run longer than one: what the last one freed.
        if round > 0 && !batch.is_empty() {
            crate::memory::give_back_freed_pages();
        }
        let mut results = Vec::new();
        let mut emitted = Ok(());
        let mut next = (Vec::new(), Vec::new());
        rayon::in_place_scope(|scope| {
            if !batch.is_empty() {
                let (batch, results, cx, renderer) = (&batch, &mut results, &cx, &renderer);
                scope.spawn(move |_| {
                    *results = batch
                        .par_iter()
                        .zip(previous)
                        .map(|(input, previous)| match previous {
                            Some(kept) => reuse(input, kept, cx),
                            None => process(input, cx, mode),
                        })
                        .map(|outcome| render(outcome, renderer.as_deref()))
                        .collect();
                });
            }
            if let Some((inputs, results)) = done.take() {
                emitted = inputs
                    .iter()
                    .zip(results)
                    .try_for_each(|(input, result)| emit_one(input, result, &mut out, stderr));
            }
            next = source.by_ref().take(BATCH).unzip();
        });
        emitted?;
        if !batch.is_empty() {
            done = Some((batch, results));
        }
        (batch, previous) = next;
    }
    drop(source);
    if let Some(records) = &records {
        for e in &records.errors {
            had_errors = true;
            writeln!(stderr, "error: {e}")?;
        }
    }
    // The entries this run could have found again: a file it checked, and
    // a rule it ran (loaded and not switched off; one that compares files
    // only when a corpus was gathered). Others are kept as they are.
    let compared_files = corpus.is_some();
    let reached = |e: &baseline::Entry| {
        checked_keys.contains(&e.path)
            && config.may_enable(&e.rule)
            && rules
                .get(&e.rule)
                .is_some_and(|r| compared_files || !r.compares_files())
    };
    match baseline_mode {
        BaselineMode::Write => {
            let n = new_entries.len();
            let updated = match &existing {
                Some(old) => old.updated(new_entries, &reached),
                None => Baseline::from_entries(new_entries),
            };
            crate::write::write_new(&baseline_file, &updated.to_json())
                .map_err(|e| anyhow::anyhow!("writing {}: {e}", baseline_file.display()))?;
            writeln!(stderr, "wrote {n} findings to {}", baseline_file.display())?;
            return Ok(if had_errors { exit::ERROR } else { exit::CLEAN });
        }
        BaselineMode::Prune => {
            let m = matcher.as_ref().expect("a baseline to prune was loaded");
            let stale = m.stale(&reached).count();
            crate::write::write_new(&baseline_file, &m.pruned(&reached).to_json())
                .map_err(|e| anyhow::anyhow!("writing {}: {e}", baseline_file.display()))?;
            writeln!(
                stderr,
                "dropped {stale} stale entries from {}",
                baseline_file.display()
            )?;
            return Ok(if had_errors { exit::ERROR } else { exit::CLEAN });
        }
        BaselineMode::Use => {}
    }
    if let Some(m) = &matcher {
        let stale = baseline::count_by_rule(m.stale(&reached));
        if !stale.is_empty() && !args.quiet {
            let total: usize = stale.values().sum();
            let rules: Vec<String> = stale.iter().map(|(r, n)| format!("{r} {n}")).collect();
            writeln!(
                stderr,
                "note: {total} baselined findings no longer occur ({}); `kzlint baseline --prune` drops them",
                rules.join(", ")
            )?;
        }
    }
    if !jsonl && !reading_stdin && !had_errors && inputs_met == 0 {
        out.flush()?;
        writeln!(
            stderr,
            "error: no file to check in {} (checked extensions: {}; `--ext` adds others)",
            args.paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", "),
            extensions.join(", ")
        )?;
        return Ok(exit::ERROR);
    }
    if let Mode::Diff(_) = mode {
        out.flush()?;
        if !args.quiet {
            writeln!(stderr, "{changed_files} file(s) would be changed")?;
        }
        return Ok(if had_errors {
            exit::ERROR
        } else if changed_files > 0 {
            exit::FOUND
        } else {
            exit::CLEAN
        });
    }
    if !args.quiet {
        if args.format.is_machine_document() || stdin_fix {
            summary.write(stderr)?;
        } else {
            emitter.summary(&mut out, &summary)?;
        }
    }
    emitter.finish(&mut out)?;
    out.flush()?;
    let failing = summary.at_least(
        args.fail_on
            .or(config.file.fail_on)
            .unwrap_or(Severity::Warning),
    );
    Ok(if had_errors {
        exit::ERROR
    } else if failing > 0 && !args.exit_zero {
        exit::FOUND
    } else {
        exit::CLEAN
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_first_pass_outcome_is_reused_only_for_the_same_unchanged_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("a.txt");
        std::fs::write(&path, "The talks ended.\nSource link\n").unwrap();
        let rules = RuleSet::builtin().unwrap();
        let config = Config::default();
        let cx = Run {
            rules: &rules,
            configs: &Configs::single(&config),
            corpus: None,
            max_size: DEFAULT_MAX_FILE_SIZE,
            max_findings: None,
            baseline: None,
        };
        let input = Input::Path(path.clone());
        let fresh = process(&input, &cx, Mode::Check).unwrap().diagnostics;
        assert!(!fresh.is_empty(), "the fixture has a finding");
        let text = std::fs::read_to_string(&path).unwrap();
        let kept = |name: &Path, text: &str| Kept {
            name: name.to_string_lossy().into_owned(),
            // Nothing found: a reused outcome shows as no diagnostics, and
            // the file is not read again.
            outcome: Ok((digest(text), Vec::new(), 0)),
        };
        let reused = |k| reuse(&input, k, &cx).unwrap().diagnostics;
        assert!(reused(kept(&path, &text)).is_empty(), "kept outcome used");
        let with_findings = |text: &str| Kept {
            name: path.to_string_lossy().into_owned(),
            outcome: Ok((digest(text), fresh[..1].to_vec(), 0)),
        };
        assert_eq!(
            reused(with_findings(&text)),
            fresh[..1],
            "kept findings used"
        );
        assert_eq!(reused(with_findings("other text")), fresh, "changed file");
        assert_eq!(reused(kept(Path::new("b.txt"), &text)), fresh, "other file");
        let failed = Kept {
            name: path.to_string_lossy().into_owned(),
            outcome: Err("unreadable".into()),
        };
        assert_eq!(
            reuse(&input, failed, &cx).err().as_deref(),
            Some("unreadable")
        );
    }
}
