//! Runs compiled rules over one file.

use crate::config::Settings;
use crate::corpus::CorpusIndex;
use crate::diagnostic::{Applicability, Diagnostic, Label, Span};
use crate::rules::{Rule, RulePrefilter, RuleSet};
use crate::source::SourceFile;
use crate::text::Document;

/// Every diagnostic of `rules` for `file`, sorted by span, then rule.
pub fn check(file: &SourceFile, rules: &RuleSet) -> Vec<Diagnostic> {
    check_with(file, rules, &Settings::default())
}

/// Like [`check`], running only the rules `settings` leaves on: a rule
/// turned off costs nothing, and its blocks hide no other rule's findings.
/// Severity overrides are the caller's ([`Settings::apply`]).
pub fn check_with(file: &SourceFile, rules: &RuleSet, settings: &Settings) -> Vec<Diagnostic> {
    check_file(file, rules, settings, None, None).diagnostics
}

/// A file's diagnostics, and how many more findings a cap per file left out.
#[derive(Debug, Default)]
pub struct FileFindings {
    pub diagnostics: Vec<Diagnostic>,
    /// Findings past the cap, counted but not kept.
    pub not_shown: usize,
}

/// Like [`check_with`], keeping at most `max_findings` diagnostics (found
/// in rule order; the rest are counted in [`FileFindings::not_shown`], so
/// memory stays bounded on a file made of findings). With a corpus
/// gathered beforehand ([`CorpusIndex`]) it also compares the file with
/// the rest of the corpus.
pub fn check_file(
    file: &SourceFile,
    rules: &RuleSet,
    settings: &Settings,
    corpus: Option<&CorpusIndex>,
    max_findings: Option<usize>,
) -> FileFindings {
    run(
        file,
        enabled(rules, settings),
        &rules.prefilter_for(|r| settings.is_enabled(&r.id)),
        corpus,
        None,
        max_findings,
    )
}

/// The rules `settings` turn on.
pub fn enabled<'r>(rules: &'r RuleSet, settings: &'r Settings) -> impl Iterator<Item = &'r Rule> {
    rules.rules().iter().filter(|r| settings.is_enabled(&r.id))
}

/// Like [`check_file`] with no corpus, and adds what the corpus-level
/// analyzers want from the file to `index`, `order` being its place in the
/// run: one reading of the article serves both. Its comparisons with the
/// corpus are left out; only the files [`files_to_recheck`] names can have
/// any.
pub fn check_and_gather(
    file: &SourceFile,
    rules: &RuleSet,
    settings: &Settings,
    order: usize,
    index: &mut CorpusIndex,
    max_findings: Option<usize>,
) -> FileFindings {
    run(
        file,
        enabled(rules, settings),
        &rules.prefilter_for(|r| settings.is_enabled(&r.id)),
        None,
        Some((order, index)),
        max_findings,
    )
}

/// The files (by their place in the run) whose check against `corpus` may
/// find more than [`check_and_gather`] did; the rest need no second check.
pub fn files_to_recheck(rules: &RuleSet, corpus: &CorpusIndex) -> foldhash::HashSet<usize> {
    let mut files = foldhash::HashSet::default();
    for rule in rules.rules() {
        rule.check.files_to_recheck(corpus, &mut files);
    }
    files
}

/// Like [`check`], for any selection of rules (one rule's examples, say).
pub fn check_rules<'r>(
    file: &SourceFile,
    rules: impl IntoIterator<Item = &'r Rule>,
) -> Vec<Diagnostic> {
    let rules: Vec<&Rule> = rules.into_iter().collect();
    let prefilter = RulePrefilter::new(rules.iter().copied());
    run(file, rules, &prefilter, None, None, None).diagnostics
}

/// Like [`check_rules`], comparing the file with a corpus gathered by the
/// same rules (a rule's corpus examples).
pub fn check_rules_in_corpus<'r>(
    file: &SourceFile,
    rules: impl IntoIterator<Item = &'r Rule>,
    corpus: &CorpusIndex,
) -> Vec<Diagnostic> {
    let rules: Vec<&Rule> = rules.into_iter().collect();
    let prefilter = RulePrefilter::new(rules.iter().copied());
    run(file, rules, &prefilter, Some(corpus), None, None).diagnostics
}

/// Like [`check_file`], and the provenance report of the file, built from
/// the same reading of it: its findings, and its sourcing profile from the
/// first rule on that models attribution.
pub fn report_file(
    file: &SourceFile,
    rules: &RuleSet,
    settings: &Settings,
    corpus: Option<&CorpusIndex>,
    directory: &crate::provenance::Directory,
) -> (FileFindings, crate::report::ArticleReport) {
    let on: Vec<&Rule> = enabled(rules, settings).collect();
    let prefilter = rules.prefilter_for(|r| settings.is_enabled(&r.id));
    run_then(
        file,
        on.iter().copied(),
        &prefilter,
        corpus,
        None,
        None,
        |doc, found| {
            let profile = on
                .iter()
                .find_map(|r| r.check.profile(doc))
                .unwrap_or_default();
            crate::report::article(file, doc, &found.diagnostics, rules, directory, profile)
        },
    )
}

/// `prefilter` knows every regex of `rules` (a regex it does not know
/// searches the whole article).
fn run<'r>(
    file: &SourceFile,
    rules: impl IntoIterator<Item = &'r Rule>,
    prefilter: &RulePrefilter,
    corpus: Option<&CorpusIndex>,
    gather: Option<(usize, &mut CorpusIndex)>,
    max_findings: Option<usize>,
) -> FileFindings {
    run_then(
        file,
        rules,
        prefilter,
        corpus,
        gather,
        max_findings,
        |_, _| (),
    )
    .0
}

/// [`run`], then `after` on the document and what was found in it (spans
/// in the file).
fn run_then<'r, T>(
    file: &SourceFile,
    rules: impl IntoIterator<Item = &'r Rule>,
    prefilter: &RulePrefilter,
    corpus: Option<&CorpusIndex>,
    gather: Option<(usize, &mut CorpusIndex)>,
    max_findings: Option<usize>,
    after: impl FnOnce(&Document<'_>, &FileFindings) -> T,
) -> (FileFindings, T) {
    let doc = Document::with_prefilter(file.body(), &prefilter.0);
    let rules = findings_readers_last(rules);
    if doc.warming() {
        warm_regexes(&rules, &doc);
    }
    let mut diagnostics = Vec::new();
    let mut not_shown = 0;
    for rule in &rules {
        let room = max_findings.map_or(usize::MAX, |max| max.saturating_sub(diagnostics.len()));
        not_shown += rule.check.run(rule, &doc, corpus, &mut diagnostics, room);
    }
    // Only the rules on for this file gather from it: a rule turned off
    // neither reports on a file nor counts it in the corpus.
    if let Some((order, index)) = gather {
        index.add_document(order, file, &doc, rules);
    }
    let offset = file.body_start();
    for d in &mut diagnostics {
        d.span = d.span.shift(offset);
        for label in &mut d.labels {
            label.span = label.span.shift(offset);
        }
    }
    let found = FileFindings {
        diagnostics: finish(diagnostics, file.text()),
        not_shown,
    };
    let then = after(&doc, &found);
    (found, then)
}

/// The rules in their order, but those that read the others' findings
/// after them all. A partition, not a sort: it runs for every article, and
/// a stable sort of some hundred rules was a percent of a run.
fn findings_readers_last<'r>(rules: impl IntoIterator<Item = &'r Rule>) -> Vec<&'r Rule> {
    let (readers, mut ordered): (Vec<&Rule>, Vec<&Rule>) =
        rules.into_iter().partition(|r| r.check.reads_findings());
    ordered.extend(readers);
    ordered
}

/// Regexes compile on first use; when an article needs several at once
/// (the first articles of a run, or an editor linting one file), compiles
/// them on every core.
fn warm_regexes(rules: &[&Rule], doc: &Document<'_>) {
    let cold: Vec<_> = rules
        .iter()
        .flat_map(|r| r.check.regexes_needed(doc))
        .filter(|re| !re.is_compiled())
        .map(|re| (re, doc.regex_starts(re)))
        .collect();
    if cold.len() > 1 {
        use rayon::prelude::*;
        let text = doc.text();
        cold.par_iter()
            .for_each(|(re, starts)| re.warm(text, *starts));
    }
}

/// Sorts, drops exact repeats (one rule's patterns can match the same text
/// twice), and lets a block swallow smaller findings of its category: a
/// trailer of many paragraphs is one diagnostic, which names what it holds.
fn finish(mut diagnostics: Vec<Diagnostic>, text: &str) -> Vec<Diagnostic> {
    diagnostics.sort_by(|a, b| {
        (a.span.start, std::cmp::Reverse(a.span.end), &a.rule).cmp(&(
            b.span.start,
            std::cmp::Reverse(b.span.end),
            &b.rule,
        ))
    });
    diagnostics.dedup_by(|b, a| a.rule == b.rule && a.span == b.span);
    let blocks: Vec<usize> = (0..diagnostics.len())
        .filter(|&i| diagnostics[i].is_block)
        .collect();
    let mut swallowed = vec![false; diagnostics.len()];
    for &b in &blocks {
        if swallowed[b] || names_one_finding(&diagnostics, b, text) {
            // Taken in already, or a block that says less than the one
            // finding it is made of ("Leave a Reply" is a comment form).
            swallowed[b] = true;
            continue;
        }
        let inside: Vec<usize> = (0..diagnostics.len())
            .filter(|&i| i != b && !swallowed[i] && swallows(&diagnostics[b], &diagnostics[i]))
            .collect();
        for &i in &inside {
            swallowed[i] = true;
        }
        let held: Vec<Diagnostic> = inside.iter().map(|&i| diagnostics[i].clone()).collect();
        name_what_it_holds(&mut diagnostics[b], &held);
        settle_fix(&mut diagnostics[b], &held, text);
    }
    let mut kept = Vec::with_capacity(diagnostics.len());
    for (d, gone) in diagnostics.into_iter().zip(swallowed) {
        if !gone {
            kept.push(d);
        }
    }
    kept.sort_by(|a, b| {
        (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
    });
    kept
}

/// Is block `b` exactly the text of one other finding of its category,
/// leading and trailing space aside? That finding names it better.
fn names_one_finding(diagnostics: &[Diagnostic], b: usize, text: &str) -> bool {
    let block = &diagnostics[b];
    let inner = &text[block.span.start..block.span.end];
    let start = block.span.start + (inner.len() - inner.trim_start().len());
    let trimmed = Span::new(start, start + inner.trim().len());
    diagnostics
        .iter()
        .enumerate()
        .any(|(i, d)| i != b && !d.is_block && d.category == block.category && d.span == trimmed)
}

/// Does `block` take `d` in: same category, inside it, and not the same
/// finding?
fn swallows(block: &Diagnostic, d: &Diagnostic) -> bool {
    block.category == d.category
        && block.span.contains(d.span)
        && (block.span != d.span || block.rule != d.rule)
        && !(d.is_block && d.span == block.span)
}

/// A block whose own fix is not safe (the layout model's guess) becomes
/// safe to remove when every line in it is one that a safe fix of the
/// findings it took in would remove anyway.
fn settle_fix(block: &mut Diagnostic, held: &[Diagnostic], text: &str) {
    let Some(fix) = &mut block.fix else { return };
    if fix.applicability == Applicability::Safe || !fix.replacement.is_empty() || held.is_empty() {
        return;
    }
    let safe: Vec<Span> = held
        .iter()
        .filter(|d| {
            d.fix
                .as_ref()
                .is_some_and(|f| f.applicability == Applicability::Safe && f.replacement.is_empty())
        })
        .map(|d| d.span)
        .collect();
    let mut start = block.span.start;
    for text in text[block.span.start..block.span.end].split_inclusive('\n') {
        let line = crate::text::Line {
            span: Span::new(start, start + text.len()),
            text,
        };
        start = line.span.end;
        if !line.is_blank() && !safe.iter().any(|s| s.contains(line.trimmed_span())) {
            return;
        }
    }
    fix.applicability = Applicability::Safe;
}

/// A block's message lists the rules of the findings it took in, and each
/// stays visible as a secondary label.
fn name_what_it_holds(block: &mut Diagnostic, held: &[Diagnostic]) {
    if held.is_empty() {
        return;
    }
    let mut names: Vec<&str> = held
        .iter()
        .map(|d| d.rule.split_once('/').map_or(d.rule.as_str(), |(_, n)| n))
        .collect();
    names.sort_unstable();
    names.dedup();
    block.message = format!("{} (holds: {})", block.message, names.join(", "));
    block.labels.extend(held.iter().map(|d| Label {
        span: d.span,
        message: format!("{}: {}", d.rule, d.message),
    }));
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Rules that read findings come last; the others keep their order.
    #[test]
    fn findings_readers_run_last_in_order() {
        let rules = RuleSet::builtin().unwrap();
        let ordered = findings_readers_last(rules.rules());
        assert_eq!(ordered.len(), rules.rules().len());
        let first_reader = ordered
            .iter()
            .position(|r| r.check.reads_findings())
            .expect("a built-in rule reads findings");
        assert!(ordered[first_reader..]
            .iter()
            .all(|r| r.check.reads_findings()));
        let ids = |rules: &mut dyn Iterator<Item = &Rule>| -> Vec<String> {
            rules.map(|r| r.id.to_string()).collect()
        };
        let others = ids(&mut rules.rules().iter().filter(|r| !r.check.reads_findings()));
        assert_eq!(ids(&mut ordered[..first_reader].iter().copied()), others);
    }

    /// Running a regex only where its literals occur must find exactly
    /// what a search over the whole text finds.
    #[test]
    fn the_prefilter_changes_no_finding() {
        let rules = RuleSet::builtin().unwrap();
        let filtered = rules.prefilter();
        let unfiltered = RulePrefilter(crate::rules::prefilter::Prefilter::disabled());
        let texts = crate::rules::sample_texts(&rules);
        assert!(texts.len() > 300);
        for text in &texts {
            let file = SourceFile::new("t.txt", text.as_str());
            let a = run(&file, rules.rules(), filtered, None, None, None).diagnostics;
            let b = run(&file, rules.rules(), &unfiltered, None, None, None).diagnostics;
            assert_eq!(a, b, "in {text:?}");
        }
    }

    /// With some rules off, the scan looks only for the literals of the
    /// rules left on, and finds for them what the full scan finds.
    #[test]
    fn a_selection_of_rules_scans_for_its_own_literals_only() {
        let rules = RuleSet::builtin().unwrap();
        let on = |r: &Rule| !r.id.starts_with("syndication/");
        let selected = rules.prefilter_for(on);
        let all_literals = rules.prefilter().0.literal_count();
        assert!(selected.0.literal_count() < all_literals / 2);
        // The same selection is built once.
        let again = rules.prefilter_for(on);
        assert!(std::ptr::eq(&*selected, &*again));
        assert!(std::ptr::eq(
            &*rules.prefilter_for(|_| true),
            rules.prefilter()
        ));
        let kept: Vec<&Rule> = rules.rules().iter().filter(|r| on(r)).collect();
        for text in &crate::rules::sample_texts(&rules) {
            let file = SourceFile::new("t.txt", text.as_str());
            let a = run(&file, kept.iter().copied(), &selected, None, None, None).diagnostics;
            let b = run(
                &file,
                kept.iter().copied(),
                rules.prefilter(),
                None,
                None,
                None,
            )
            .diagnostics;
            assert_eq!(a, b, "in {text:?}");
        }
    }

    /// A regex without literals scans every article whole; the built-in
    /// rules have none, so kzlint's speed does not hinge on one rule.
    #[test]
    fn every_built_in_regex_runs_only_where_its_literals_are() {
        let rules = RuleSet::builtin().unwrap();
        let unfiltered: Vec<String> = rules
            .rules()
            .iter()
            .flat_map(|r| {
                r.check
                    .filtered_regexes()
                    .into_iter()
                    .filter(|re| re.literals().is_none())
                    .map(|_| r.id.clone())
                    .collect::<Vec<_>>()
            })
            .collect();
        assert!(unfiltered.is_empty(), "no literals: {unfiltered:?}");
    }

    /// A block made of one finding's text and nothing more yields to that
    /// finding, which names what the line is.
    #[test]
    fn a_one_line_block_yields_to_the_finding_it_is_made_of() {
        let rules = RuleSet::builtin().unwrap();
        let text = "Ferry service resumes\n\nThe island ferry sailed again on Thursday after a week in port, when storms had made the crossing too rough for the old boat.\n\nThe operator said that timetables would return to normal by the weekend, and that tickets for cancelled sailings would be refunded.\n\nLeave a Reply\n";
        let found = check(&SourceFile::new("t.txt", text), &rules);
        let at = text.find("Leave").unwrap();
        let on_line: Vec<&str> = found
            .iter()
            .filter(|d| d.span.start == at)
            .map(|d| d.rule.as_str())
            .collect();
        assert_eq!(on_line, ["syndication/comment-form"], "{found:#?}");
    }
}
