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
    for rule in rules.iter().filter(|r| r.category == Category::SYNDICATION) {
        // A corpus example (files checked together) counts as one, bad
        // when it marks a span.
        let marked = |files: &&Vec<String>| files.iter().any(|f| f.contains("[["));
        let corpus = &rule.examples.corpus;
        let bad = rule.examples.bad.len() + corpus.iter().filter(marked).count();
        let good = rule.examples.good.len() + corpus.iter().filter(|c| !marked(c)).count();
        assert!(bad >= 3, "{} has {bad} bad examples", rule.id);
        assert!(good >= 3, "{} has {good} good examples", rule.id);
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

fn user_rule(rel: &str, contents: &str) -> kzlint::rules::RuleFile {
    kzlint::rules::RuleFile {
        display: format!("mine/{rel}"),
        rel: rel.to_string(),
        contents: contents.into(),
    }
}

const IN_ARTICLE_RULE: &str = r###"id = "translation/lone-hyphen-test"
severity = "info"
summary = "test"
message = "found"
description = "## What it finds\nA test.\n## Why it matters\nA test."
[check]
kind = "pattern"
patterns = ['\bzork\b']
in_article = true
[examples]
bad = ["The council voted on Tuesday to close the old [[zork]] bridge after engineers found cracks in two supports."]
good = ["Home\nzork\nThe council voted on Tuesday to close the old bridge to traffic after engineers found that two of its supports had cracked during the winter floods.\nResidents who cross it every day said they were worried about the longer drive, and the mayor promised a temporary crossing.\nThe repairs are expected to cost more than the bridge did when it was built, and the work will not begin until spring."]
"###;

#[test]
fn an_in_article_rule_is_silent_on_the_page_around_the_article() {
    let (rules, errors) = load_files(&[user_rule(
        "translation/lone-hyphen-test.toml",
        IN_ARTICLE_RULE,
    )]);
    assert!(errors.is_empty(), "{errors:?}");
    assert_eq!(rules.len(), 1);
}

#[test]
fn in_article_and_outside_prose_together_are_refused_at_the_field() {
    let both = IN_ARTICLE_RULE.replace(
        "in_article = true",
        "in_article = true\noutside_prose = true",
    );
    let (rules, errors) = load_files(&[user_rule("translation/lone-hyphen-test.toml", &both)]);
    assert!(rules.is_empty());
    let message = errors[0].to_string();
    assert!(message.contains("exclude each other"), "{message}");
    assert!(
        message.contains("mine/translation/lone-hyphen-test.toml"),
        "{message}"
    );
}
