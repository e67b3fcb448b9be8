//! `kzlint report`: walks the inputs, has the library build each article's
//! provenance report, and prints them as they come (text or JSON Lines).

use std::io::{self, Write};
use std::path::PathBuf;

use anyhow::Context;
use rayon::prelude::*;
use termcolor::StandardStream;

use crate::cli::{ReportArgs, ReportFormat};
use crate::input::{Input, JsonlRecords, DEFAULT_MAX_FILE_SIZE};
use crate::lint::walk_settings;
use crate::{exit, report_rule_errors, walk};
use kzlint::config::Configs;
use kzlint::provenance::Directory;
use kzlint::report::corpus::{Cluster, CorpusStage, FigureGroup};
use kzlint::report::ArticleReport;
use kzlint::rules::{load_dir, RuleSet};

/// Articles reported on at once: their reports are printed in input order
/// once the chunk is done, so memory holds one chunk.
const CHUNK: usize = 256;

pub fn run(
    args: &ReportArgs,
    rules: &RuleSet,
    configs: &Configs<'_>,
    rule_dirs: &[PathBuf],
    stderr: &mut StandardStream,
) -> anyhow::Result<u8> {
    let (directory, mut errors) = load_directory(rule_dirs);
    if errors.is_empty() {
        // Like a rule, provenance data whose examples fail is not used.
        errors = kzlint::report::verify_examples(rules, &directory);
    }
    report_rule_errors(&errors, stderr)?;
    if !errors.is_empty() {
        return Ok(exit::CONFIG);
    }
    let mut out = io::BufWriter::new(io::stdout().lock());
    let mut failed = false;
    let mut corpus = CorpusStage::default();
    // The page needs every article's row at the end.
    let mut rows = Vec::new();
    let mut inputs = inputs(args, configs)?;
    loop {
        let chunk: Vec<Input> = inputs.by_ref().take(CHUNK).collect();
        if chunk.is_empty() {
            break;
        }
        let reports: Vec<Result<ArticleReport, String>> = chunk
            .par_iter()
            .map(|input| report_one(input, rules, configs, &directory))
            .collect();
        for (input, report) in chunk.iter().zip(reports) {
            match report {
                Ok(mut report) => {
                    print(&mut out, &report, args.format)?;
                    corpus.add(&report);
                    if args.html.is_some() {
                        report.sketch = Default::default();
                        rows.push(report);
                    }
                }
                Err(e) => {
                    failed = true;
                    out.flush()?;
                    writeln!(stderr, "error: {}: {e}", input.name().display())?;
                }
            }
        }
    }
    let (clusters, disagreements) = (corpus.clusters(), corpus.disagreements());
    print_corpus(&mut out, &clusters, &disagreements, args.format)?;
    out.flush()?;
    if let Some(path) = &args.html {
        let page = kzlint::report::html::page(&rows, &clusters, &disagreements);
        std::fs::write(path, page).with_context(|| format!("writing {}", path.display()))?;
    }
    Ok(if failed { exit::ERROR } else { exit::CLEAN })
}

/// The clusters and the figures that disagree, after the articles.
fn print_corpus(
    out: &mut impl Write,
    clusters: &[Cluster],
    disagreements: &[FigureGroup],
    format: ReportFormat,
) -> anyhow::Result<()> {
    if format == ReportFormat::Json {
        for c in clusters {
            serde_json::to_writer(&mut *out, c)?;
            writeln!(out)?;
        }
        for g in disagreements {
            serde_json::to_writer(&mut *out, g)?;
            writeln!(out)?;
        }
        return Ok(());
    }
    if !clusters.is_empty() {
        writeln!(out, "\narticles that carry the same copy:")?;
        for c in clusters {
            writeln!(out, "  {}", kzlint::report::corpus::cluster_line(c))?;
        }
    }
    if !disagreements.is_empty() {
        writeln!(out, "\nfigures that disagree:")?;
        for g in disagreements {
            writeln!(out, "  {}", kzlint::report::corpus::figures_line(g))?;
        }
    }
    Ok(())
}

/// The built-in provenance data, and what each rule folder adds.
fn load_directory(rule_dirs: &[PathBuf]) -> (Directory, Vec<kzlint::RuleError>) {
    let (mut directory, mut errors) = Directory::builtin();
    for dir in rule_dirs {
        match load_dir(dir) {
            Ok(files) => errors.extend(directory.extend(&files)),
            Err(e) => errors.push(e),
        }
    }
    (directory, errors)
}

/// The articles, walked as a check walks them (the configuration's
/// extensions and excludes), or read from JSON Lines.
fn inputs(
    args: &ReportArgs,
    configs: &Configs<'_>,
) -> anyhow::Result<Box<dyn Iterator<Item = Input>>> {
    if args.records.is_jsonl() {
        let fields = args.records.fields();
        return Ok(Box::new(JsonlRecords::new(
            args.paths.clone(),
            fields,
            DEFAULT_MAX_FILE_SIZE,
        )));
    }
    let (extensions, exclude) = walk_settings(None, &[], configs.main())?;
    let walked = walk::stream(&args.paths, &extensions, &exclude).map(|found| match found {
        Ok(path) => Input::Path(path),
        Err(e) => Input::Unwalkable(e),
    });
    Ok(Box::new(walked))
}

fn report_one(
    input: &Input,
    rules: &RuleSet,
    configs: &Configs<'_>,
    directory: &Directory,
) -> Result<ArticleReport, String> {
    if let Input::Unwalkable(e) = input {
        return Err(e.clone());
    }
    let (file, _) = input.read(DEFAULT_MAX_FILE_SIZE, false)?;
    let settings = configs.settings_for(input.name(), rules)?;
    let (_, report) = kzlint::engine::report_file(&file, rules, &settings, None, directory);
    Ok(report)
}

fn print(out: &mut impl Write, report: &ArticleReport, format: ReportFormat) -> anyhow::Result<()> {
    match format {
        ReportFormat::Json => {
            serde_json::to_writer(&mut *out, report).context("writing a report")?;
            writeln!(out)?;
        }
        ReportFormat::Text => writeln!(out, "{}", kzlint::report::summary_line(report))?,
    }
    Ok(())
}
