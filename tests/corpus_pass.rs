//! A corpus run checks every file once while gathering the corpus, then
//! checks again only the files `files_to_recheck` names. That is only right
//! if every file whose comparison with the corpus finds something is named.

mod common;

use kzlint::config::Settings;
use kzlint::{check_and_gather, check_file, files_to_recheck, CorpusIndex, RuleSet, SourceFile};

fn article(lines: &[&str]) -> String {
    lines.join("\n") + "\n"
}

/// Several articles naming one minister, one of them with another
/// transliteration of his name, and some unrelated ones.
fn corpus() -> Vec<SourceFile> {
    let texts = [
        article(&[
            "The talks in Astana were opened by Prime Minister Karim Masimov on Monday.",
            "Officials from both countries met for three hours, the ministry said.",
        ]),
        article(&[
            "A new budget was presented to parliament by Karim Masimov, the prime minister.",
            "Lawmakers will vote on it next month, the speaker said on Tuesday.",
        ]),
        article(&[
            "Energy prices were discussed with Karim Massimov during the visit, the embassy said.",
            "The delegation left for Moscow on Wednesday evening.",
        ]),
        article(&[
            "The city council approved a plan to repair three bridges, its chairwoman said.",
            "Work on the Riverside bridge starts in March, according to the council.",
        ]),
        article(&[
            "Heavy rain closed two roads near Glasgow on Thursday, Police Scotland said.",
            "Drivers were advised to avoid the area until the water receded.",
        ]),
    ];
    texts
        .iter()
        .enumerate()
        .map(|(i, t)| SourceFile::new(format!("{i}.txt"), t.clone()))
        .collect()
}

#[test]
fn every_file_the_corpus_changes_is_named_for_a_second_check() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let all = Settings::default();
    let files = corpus();
    let mut index = CorpusIndex::default();
    let alone: Vec<_> = files
        .iter()
        .enumerate()
        .map(|(order, file)| {
            check_and_gather(file, &rules, &all, order, &mut index, None).diagnostics
        })
        .collect();
    let recheck = files_to_recheck(&rules, &index);
    let mut changed = Vec::new();
    for (order, file) in files.iter().enumerate() {
        let against_corpus = check_file(file, &rules, &all, Some(&index), None).diagnostics;
        if against_corpus != alone[order] {
            changed.push(order);
            assert!(
                recheck.contains(&order),
                "{} gets findings from the corpus but is not re-checked",
                file.path().display()
            );
        }
    }
    // The other spelling is found only against the corpus, in file 2.
    assert_eq!(changed, [2], "the fixture should exercise the corpus check");
    let variant = check_file(&files[2], &rules, &all, Some(&index), None).diagnostics;
    assert!(variant
        .iter()
        .any(|d| d.rule == "translation/name-variant" && d.message.contains("Massimov")));
    // Files unrelated to any other spelling are not checked twice.
    for order in [0, 1, 3, 4] {
        assert!(!recheck.contains(&order), "file {order} re-checked");
    }
}

#[test]
fn gathering_while_checking_builds_the_same_index_as_gathering_alone() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let all = Settings::default();
    let files = corpus();
    let (mut while_checking, mut alone) = (CorpusIndex::default(), CorpusIndex::default());
    for (order, file) in files.iter().enumerate() {
        check_and_gather(file, &rules, &all, order, &mut while_checking, None);
        alone.add_file(order, file, rules.rules());
    }
    for (order, file) in files.iter().enumerate() {
        assert_eq!(
            check_file(file, &rules, &all, Some(&while_checking), None).diagnostics,
            check_file(file, &rules, &all, Some(&alone), None).diagnostics,
            "file {order}"
        );
    }
}

/// The findings of `rule` in the last file when checked against the corpus
/// of all `texts`.
fn corpus_findings(texts: &[String], rule: &str) -> Vec<String> {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let all = Settings::default();
    let files: Vec<_> = texts
        .iter()
        .enumerate()
        .map(|(i, t)| SourceFile::new(format!("{i}.txt"), t.clone()))
        .collect();
    let mut index = CorpusIndex::default();
    for (order, file) in files.iter().enumerate() {
        index.add_file(order, file, rules.rules());
    }
    check_file(
        files.last().expect("a file"),
        &rules,
        &all,
        Some(&index),
        None,
    )
    .diagnostics
    .into_iter()
    .filter(|d| d.rule == rule)
    .map(|d| d.message)
    .collect()
}

#[test]
fn a_spelling_the_corpus_also_writes_in_lower_case_is_a_word_not_a_name() {
    let mut texts = vec![
        article(&["The inquiry was led by Sheriff Bramwell, the court said on Monday."]),
        article(&["Evidence was heard on Tuesday by Sheriff Bramwell in Dundee."]),
        article(&["A ruling is expected from Sherif Bramwell next week, lawyers said."]),
    ];
    let found = corpus_findings(&texts, "translation/name-variant");
    assert!(
        found.iter().any(|m| m.contains("Sherif")),
        "the fixture should find the variant: {found:?}"
    );
    // Another file writes the commoner spelling as a common noun.
    texts.insert(
        0,
        article(&["The county sheriff said the road would reopen on Friday."]),
    );
    let found = corpus_findings(&texts, "translation/name-variant");
    assert!(found.is_empty(), "{found:?}");
}

/// The first pass checks files a chunk of a few thousand at a time, the
/// next chunk while the last one's findings are written out: a spelling in
/// a late chunk is still compared with spellings of the first, and every
/// finding still comes out in path order.
#[test]
fn a_variant_far_from_its_common_spelling_is_found_across_chunks() {
    let dir = tempfile::tempdir().unwrap();
    let name = |i: usize| format!("a{i:04}.txt");
    let write = |i: usize, text: &str| std::fs::write(dir.path().join(name(i)), text).unwrap();
    for i in 0..4200 {
        // Every 500th filler has a finding of its own (a feed sign-off),
        // to show that outcomes from every chunk come out in order.
        let text = if i % 500 == 250 {
            format!("Rain fell on town {i} on Monday.\nSource link\n")
        } else {
            format!("Rain fell on town {i} on Monday.\n")
        };
        write(i, &text);
    }
    write(
        0,
        "The talks in Astana were opened by Prime Minister Karim Masimov on Monday.\n",
    );
    write(
        1,
        "A new budget was presented to parliament by Karim Masimov, the prime minister.\n",
    );
    write(
        4100,
        "Energy prices were discussed with Karim Massimov during the visit, the embassy said.\n",
    );
    let out = common::kzlint(&["--format", "json", "."], dir.path());
    let found: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let variants: Vec<_> = found
        .iter()
        .filter(|d| d["rule"] == "translation/name-variant")
        .collect();
    assert_eq!(variants.len(), 1, "{variants:?}");
    assert_eq!(variants[0]["path"], format!("./{}", name(4100)));
    let message = variants[0]["message"].as_str().unwrap();
    assert!(
        message.contains("Massimov") && message.contains(&name(0)),
        "{message}"
    );
    let sign_offs: Vec<&str> = found
        .iter()
        .filter(|d| d["rule"] == "syndication/source-link")
        .map(|d| d["path"].as_str().unwrap())
        .collect();
    let expected: Vec<String> = (0..4200)
        .filter(|i| i % 500 == 250)
        .map(|i| format!("./{}", name(i)))
        .collect();
    assert_eq!(sign_offs, expected);
}

/// Pages of one site: each a different story, all ending with the site's
/// footer, which only the corpus shows to be a template.
fn site_pages(n: usize) -> Vec<SourceFile> {
    let stories = [
        (
            "Ferry timetable changes",
            "The island ferry will sail twice a day from June, the operator said on Monday.",
        ),
        (
            "Library extends hours",
            "The central library will open until nine on weekdays, the council said.",
        ),
        (
            "New cycle lane opens",
            "A cycle lane linking the station and the harbour opened on Friday, officials said.",
        ),
        (
            "Orchard wins award",
            "A community orchard won a regional award for its work with schools, judges said.",
        ),
        (
            "Pool closes for repairs",
            "The leisure centre pool will close for two weeks while its roof is mended.",
        ),
        (
            "Choir tours Norway",
            "The town choir will sing in three Norwegian cities this summer, its director said.",
        ),
        (
            "Market moves indoors",
            "The Saturday market will move into the old corn exchange for the winter.",
        ),
    ];
    stories
        .iter()
        .cycle()
        .take(n)
        .enumerate()
        .map(|(i, (headline, lead))| {
            let text = format!(
                "{headline}\n\n{lead} It is the {i}th change this year.\n\nResidents welcomed the plan at a meeting on Tuesday evening.\n\nHarbourside Weekly, 4 Quay Street\nLetters to the desk\n"
            );
            SourceFile::new(format!("page-{i}.txt"), text)
        })
        .collect()
}

#[test]
fn a_template_line_in_more_files_than_the_index_names_is_still_rechecked_in_each() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let all = Settings::default();
    let files = site_pages(7);
    let mut index = CorpusIndex::default();
    for (order, file) in files.iter().enumerate() {
        check_and_gather(file, &rules, &all, order, &mut index, None);
    }
    let recheck = files_to_recheck(&rules, &index);
    for (order, file) in files.iter().enumerate() {
        let found = check_file(file, &rules, &all, Some(&index), None).diagnostics;
        let template: Vec<_> = found
            .iter()
            .filter(|d| d.rule == "syndication/template-line")
            .map(|d| &file.text()[d.span.start..d.span.end])
            .collect();
        assert_eq!(
            template,
            ["Harbourside Weekly, 4 Quay Street", "Letters to the desk"],
            "file {order}"
        );
        assert!(recheck.contains(&order), "file {order} is not re-checked");
    }
}

#[test]
fn copies_of_one_story_share_no_template() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let all = Settings::default();
    // The same story five times: its lines repeat, but in one article.
    let files: Vec<SourceFile> = (0..5)
        .map(|i| SourceFile::new(format!("copy-{i}.txt"), site_pages(1)[0].text().to_string()))
        .collect();
    let mut index = CorpusIndex::default();
    for (order, file) in files.iter().enumerate() {
        index.add_file(order, file, rules.rules());
    }
    for file in &files {
        let found = check_file(file, &rules, &all, Some(&index), None).diagnostics;
        assert!(
            !found.iter().any(|d| d.rule == "syndication/template-line"),
            "{found:?}"
        );
    }
}

#[test]
fn a_rule_turned_off_for_a_file_does_not_gather_from_it() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let path = std::path::Path::new("/p/kzlint.toml");
    let text = "disable = [\"translation/name-variant\"]\n";
    let config = kzlint::config::Config::parse(path, text, &rules).expect("config parses");
    let off = config.settings_for(std::path::Path::new("/p/a.txt"), &rules);
    let (mut without, mut with) = (CorpusIndex::default(), CorpusIndex::default());
    for (order, file) in corpus().iter().enumerate() {
        check_and_gather(file, &rules, &off, order, &mut without, None);
        check_and_gather(file, &rules, &Settings::default(), order, &mut with, None);
    }
    assert!(
        with.facts("Masimov").is_some(),
        "name spellings are gathered"
    );
    assert_eq!(without.forms().count(), 0, "none for a rule that is off");
}
