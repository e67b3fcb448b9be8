//! Every built-in rule loads, which means every example in every rule file
//! passes; and the rule pack keeps the promises the README makes.

use kzlint::rules::{builtin_rule_files, load_files};
use kzlint::Category;

#[test]
fn every_builtin_rule_loads_and_its_examples_pass() {
    let (rules, errors) = load_files(&builtin_rule_files());
    let report: Vec<String> = errors
        .iter()
        .map(|e| format!("{e} (at {:?})", e.line_col()))
        .collect();
    assert!(
        report.is_empty(),
        "broken built-in rules:\n{}",
        report.join("\n")
    );
    assert!(rules.len() >= 15, "only {} rules loaded", rules.len());
}

#[test]
fn syndication_rules_carry_three_bad_and_three_good_examples() {
    let (rules, _) = load_files(&builtin_rule_files());
    for rule in rules.iter().filter(|r| r.category == Category::Syndication) {
        assert!(
            rule.examples.bad.len() >= 3,
            "{} has {} bad examples",
            rule.id,
            rule.examples.bad.len()
        );
        assert!(
            rule.examples.good.len() >= 3,
            "{} has {} good examples",
            rule.id,
            rule.examples.good.len()
        );
    }
}

#[test]
fn every_rule_documents_what_it_finds_and_why() {
    let (rules, _) = load_files(&builtin_rule_files());
    for rule in &rules {
        for heading in ["## What it finds", "## Why it matters", "## Example"] {
            assert!(
                rule.description.contains(heading),
                "{} lacks `{heading}`",
                rule.id
            );
        }
        assert!(
            !rule.summary.contains('\n'),
            "{}: the summary must be one line",
            rule.id
        );
    }
}

#[test]
fn no_rule_file_quotes_the_sample_articles() {
    // Rules name phenomena, not the sentences of corpus/: no example or
    // pattern may contain a ten-word run of a sample article.
    let corpus: Vec<String> = std::fs::read_dir("corpus")
        .unwrap()
        .map(|e| std::fs::read_to_string(e.unwrap().path()).unwrap())
        .map(|text| text.split_whitespace().collect::<Vec<_>>().join(" "))
        .collect();
    for file in builtin_rule_files() {
        let words: Vec<&str> = file.contents.split_whitespace().collect();
        for window in words.windows(10) {
            let run = window.join(" ");
            assert!(
                !corpus.iter().any(|a| a.contains(&run)),
                "{} quotes a sample article: {run:?}",
                file.display
            );
        }
    }
}

#[test]
fn a_rule_id_defined_twice_is_refused_with_both_origins() {
    let (first, _) = load_files(&builtin_rule_files());
    let (second, _) = load_files(&builtin_rule_files());
    let count = first.len();
    let mut set = kzlint::RuleSet::default();
    assert!(set.extend(first).is_empty());
    let errors = set.extend(second);
    assert_eq!(errors.len(), count);
    assert_eq!(set.rules().len(), count);
    let e = &errors[0];
    assert!(
        e.to_string().contains("is already defined in rules/"),
        "{e}"
    );
}
