//! `kzlint report`: the provenance of the sample articles as the issue
//! states it, the same on fresh articles from other outlets and events,
//! the provenance data's own examples, and the JSON against its schema.

use std::path::PathBuf;
use std::process::Command;

use kzlint::config::Settings;
use kzlint::engine::report_file;
use kzlint::provenance::{Directory, OutletKind};
use kzlint::report::{names, ArticleReport, How};
use kzlint::{RuleSet, SourceFile};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn directory() -> Directory {
    let (directory, errors) = Directory::builtin();
    assert!(errors.is_empty(), "{errors:?}");
    directory
}

fn report(file: &SourceFile) -> ArticleReport {
    let rules = RuleSet::builtin().expect("built-in rules load");
    report_file(file, &rules, &Settings::default(), None, &directory()).1
}

fn sample(prefix: &str) -> (SourceFile, ArticleReport) {
    let dir = root().join("corpus");
    let path = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.file_name().unwrap().to_string_lossy().starts_with(prefix))
        .expect("sample article");
    let file = SourceFile::new(&path, std::fs::read_to_string(&path).unwrap());
    let r = report(&file);
    (file, r)
}

fn hows(r: &ArticleReport) -> Vec<&str> {
    r.carriers.iter().map(|c| c.how.as_str()).collect()
}

/// Every piece of evidence quotes the file at its span.
fn assert_evidence_slices_the_file(file: &SourceFile, r: &ArticleReport) {
    let credits = r.origin.iter().chain(&r.site).chain(&r.quoted);
    let evidence = credits
        .flat_map(|c| &c.evidence)
        .chain(r.carriers.iter().flat_map(|c| &c.evidence));
    for e in evidence {
        assert_eq!(e.text, &file.text()[e.span.start..e.span.end], "{e:?}");
        assert_eq!(file.line_col(e.span.start).line, e.line);
    }
}

#[test]
fn the_sample_articles_get_the_provenance_their_evidence_shows() {
    let (file, r) = sample("000");
    assert!(names(&r.origin, "CNN"), "{:?}", r.origin);
    let cnn = &r.origin[0];
    assert!(cnn
        .evidence
        .iter()
        .any(|e| e.how == How::Dateline && e.text.contains("(CNN)")));
    assert!(cnn.evidence.iter().any(|e| e.how == How::CreditLine));
    assert_eq!(hows(&r), ["scraper"]);
    assert_eq!(r.transformation.verdict, "heavy");
    assert_evidence_slices_the_file(&file, &r);

    let (file, r) = sample("001");
    assert_eq!(r.origin.len(), 1);
    assert_eq!(r.origin[0].name, "IANS");
    assert_eq!(r.origin[0].kind, Some(OutletKind::Agency));
    let feed = r
        .carriers
        .iter()
        .find(|c| c.how == How::SyndicatedFeed)
        .expect("a feed");
    assert_eq!(feed.name.as_deref(), Some("Business Standard"));
    assert_eq!(r.transformation.verdict, "none");
    assert_eq!(r.transformation.translation_findings, 0);
    assert_evidence_slices_the_file(&file, &r);

    let (file, r) = sample("002");
    assert!(names(&r.origin, "ABC News"), "{:?}", r.origin);
    assert_eq!(r.origin[0].evidence[0].how, How::SourceLink);
    let aggregator = r
        .carriers
        .iter()
        .find(|c| c.how == How::Aggregator)
        .expect("an aggregator");
    assert_eq!(aggregator.name.as_deref(), Some("USTimeToday"));
    assert_eq!(r.transformation.verdict, "heavy");
    assert_evidence_slices_the_file(&file, &r);

    let (file, r) = sample("003");
    assert!(
        names(&r.origin, "News18") && names(&r.site, "News18"),
        "{r:?}"
    );
    assert!(names(&r.quoted, "AFP"), "{:?}", r.quoted);
    assert!(!names(&r.origin, "AFP"));
    assert!(r.carriers.is_empty(), "{:?}", r.carriers);
    assert_evidence_slices_the_file(&file, &r);

    let (file, r) = sample("004");
    assert_ne!(r.transformation.verdict, "none");
    assert!(r.transformation.translation_findings >= 3);
    let scraper = r
        .carriers
        .iter()
        .find(|c| c.how == How::Scraper)
        .expect("a scraper");
    assert!(scraper
        .evidence
        .iter()
        .any(|e| e.text.contains("Leave a Reply")));
    assert_evidence_slices_the_file(&file, &r);
}

fn fresh(text: &str) -> ArticleReport {
    let file = SourceFile::new("fresh.txt", text);
    let r = report(&file);
    assert_evidence_slices_the_file(&file, &r);
    r
}

/// Articles written for this test, from outlets and events the samples do
/// not have: nothing in the report is specific to the five.
#[test]
fn fresh_articles_from_other_outlets_get_their_provenance_too() {
    // An outlet the data does not know, credited in a dateline.
    let r = fresh("Port reopens after cyclone\n\nPORT LOUIS, March 9 (Island Wire) - The main port reopened on Saturday, four days after a cyclone tore through the island, harbour officials said.\n\nCargo ships queued offshore while cranes were inspected.\n");
    assert_eq!(r.origin.len(), 1, "{:?}", r.origin);
    assert_eq!(r.origin[0].name, "Island Wire");
    assert_eq!(r.origin[0].kind, None);

    // A wire story on a newspaper's site, its feed disclaimer naming it.
    let r = fresh("Monsoon reaches the coast early\n\nThe monsoon reached the southern coast three days early on Tuesday, the weather office said, bringing relief to farmers.\n\nRainfall is expected to spread north over the week.\n\n--PTI\n\n(Except for the headline, this story has not been edited by NDTV staff and is published from a syndicated feed.)\n");
    assert_eq!(r.origin[0].name, "PTI");
    let feed = r
        .carriers
        .iter()
        .find(|c| c.how == How::SyndicatedFeed)
        .expect("a feed");
    assert_eq!(feed.name.as_deref(), Some("NDTV"));
    assert!(names(&r.site, "NDTV"));

    // An agency quoted, not credited; another agency's dateline.
    let r = fresh("Talks resume in Geneva\n\nGENEVA (AFP) - Negotiators met again on Monday after a week-long pause, a spokeswoman said.\n\nOne delegate told Reuters the gap on tariffs had narrowed. Another said talks could end by Friday.\n");
    assert_eq!(r.origin.len(), 1);
    assert_eq!(r.origin[0].name, "AFP");
    assert!(names(&r.quoted, "Reuters"), "{:?}", r.quoted);

    // A clean local story credits no one and shows no carrier or damage.
    let r = fresh("Library extends opening hours\n\nThe central library will stay open until nine on weekdays from June, the council said on Tuesday.\n\nTwo librarians will be hired to staff the evenings, a spokeswoman said.\n");
    assert!(r.origin.is_empty() && r.carriers.is_empty(), "{r:?}");
    assert_eq!(r.transformation.verdict, "none");
    assert_eq!(r.transformation.residue_share, 0.0);

    // A translation the text declares.
    let r = fresh("Vineyards count frost damage\n\nGrowers in the valley lost a third of their grapes to a late frost, their association said on Wednesday.\n\nTranslated from the Portuguese by Ana Reis.\n");
    let language = r
        .transformation
        .translated_from
        .as_ref()
        .expect("a translation");
    assert_eq!(language.name, "Portuguese");
    assert_eq!(language.evidence[0].text, "Translated from the Portuguese");

    // Menus and editorial flags are not datelines; a report published by
    // a body is not the article's origin.
    let r = fresh("(CORRECTED) - Shares rose on Monday after the bank said profits had doubled.\n\nThe report published by the Institute found that exports fell.\n");
    assert!(r.origin.is_empty(), "{:?}", r.origin);
}

#[test]
fn the_provenance_data_examples_pass() {
    let rules = RuleSet::builtin().expect("built-in rules load");
    let directory = directory();
    assert!(directory.examples().len() >= 6);
    let errors = kzlint::report::verify_examples(&rules, &directory);
    assert!(errors.is_empty(), "{errors:#?}");
}

#[test]
fn a_failing_provenance_example_is_reported_at_its_place() {
    let text = "[[outlet]]\nname = \"Tide Wire\"\nkind = \"agency\"\n\n[[example]]\ntext = \"Calm seas.\\n\"\norigin = [\"Tide Wire\"]\n";
    let file = kzlint::rules::RuleFile {
        display: "mine/provenance/tide.toml".into(),
        rel: "provenance/tide.toml".into(),
        contents: text.into(),
    };
    let (directory, errors) = Directory::load(&[file]);
    assert!(errors.is_empty());
    let rules = RuleSet::builtin().unwrap();
    let errors = kzlint::report::verify_examples(&rules, &directory);
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].file, "mine/provenance/tide.toml");
    assert!(text[errors[0].span.clone().unwrap()].starts_with("[[example]]"));
    assert!(
        errors[0].message.contains("Tide Wire"),
        "{}",
        errors[0].message
    );
}

fn kzlint(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_kzlint"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("kzlint runs")
}

#[test]
fn json_reports_validate_against_the_documented_schema() {
    let out = kzlint(&["report", "--format", "json", "corpus/"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(root().join("docs/report.schema.json")).unwrap();
    let schema: serde_json::Value = serde_json::from_str(&text).unwrap();
    let validator = jsonschema::validator_for(&schema).expect("the schema compiles");
    let records: Vec<serde_json::Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("one JSON record per line"))
        .collect();
    let articles = records.iter().filter(|r| r["record"] == "article").count();
    assert_eq!(articles, 5);
    // The sample articles disagree on how many were arrested.
    assert!(records
        .iter()
        .any(|r| r["record"] == "figures" && r["kind"] == "arrests"));
    for record in &records {
        let errors: Vec<String> = validator
            .iter_errors(record)
            .map(|e| format!("{} at {}", e, e.instance_path()))
            .collect();
        assert!(errors.is_empty(), "{}", errors.join("\n"));
    }
    // The validator does reject what the schema forbids.
    let mut broken = records[0].clone();
    broken["transformation"]["verdict"] = serde_json::json!("catastrophic");
    assert!(!validator.is_valid(&broken));
}

#[test]
fn jsonl_records_are_reported_by_their_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("feed.jsonl");
    let record = serde_json::json!({"id": "story-7", "text": "Rail strike ends\n\nLONDON (Reuters) - Train drivers ended a strike on Monday after a pay deal, their union said.\n"});
    std::fs::write(&path, format!("{record}\n")).unwrap();
    let out = kzlint(&[
        "report",
        "--input",
        "jsonl",
        "--format",
        "json",
        path.to_str().unwrap(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let r: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(r["path"], "story-7");
    assert_eq!(r["origin"][0]["name"], "Reuters");
}

fn fresh_file(name: &str, text: &str) -> ArticleReport {
    report(&SourceFile::new(name, text))
}

const STORY: &str = "Dam breach floods valley towns\n\nA dam upstream of the valley gave way before dawn on Thursday, sending water through three towns, the regional governor said.\n\nRescue boats moved people from rooftops through the morning, and the army set up shelters in two schools on higher ground.\n\nEngineers had warned last year that the dam needed repairs, according to documents seen by local reporters.\n\nThe governor said more than 40 people were killed and that the search would go on through the night.\n";

/// Copies of one story, one cut and one with a paragraph added, cluster
/// together; an unrelated story stays out. Their figures for the same kind
/// of count disagree, each with who gives it.
#[test]
fn copies_of_a_story_cluster_and_their_disagreeing_figures_are_listed() {
    let cut = STORY.replace("Engineers had warned last year that the dam needed repairs, according to documents seen by local reporters.\n\n", "");
    let added = STORY.replace(
        "more than 40 people were killed",
        "nearly 60 people were killed",
    ) + "\nVolunteers from neighbouring districts arrived by bus in the afternoon with food, blankets and drinking water for the families.\n";
    let other = "Orchestra names new conductor\n\nThe city orchestra has named a 34-year-old violinist from Lyon as its new conductor, its board said on Monday.\n\nShe will lead her first concert in September, with a programme of French and Czech music.\n";
    let reports = [
        fresh_file("a.txt", STORY),
        fresh_file("b.txt", &cut),
        fresh_file("c.txt", &added),
        fresh_file("d.txt", other),
    ];
    let mut stage = kzlint::report::corpus::CorpusStage::default();
    for r in &reports {
        stage.add(r);
    }
    let clusters = stage.clusters();
    assert_eq!(clusters.len(), 1, "{clusters:#?}");
    let c = &clusters[0];
    let paths: Vec<&str> = c.members.iter().map(|m| m.path.as_str()).collect();
    assert_eq!(paths, ["a.txt", "b.txt", "c.txt"]);
    let member = |p: &str| c.members.iter().find(|m| m.path == p).unwrap();
    assert_eq!(member("b.txt").cuts, 1, "{c:#?}");
    assert!(member("c.txt").adds >= 1, "{c:#?}");
    assert!(c
        .shared_text
        .as_deref()
        .unwrap()
        .starts_with("A dam upstream"));

    let groups = stage.disagreements();
    let deaths = groups
        .iter()
        .find(|g| g.kind == "deaths")
        .expect("deaths disagree");
    let said: Vec<(&str, &str, Option<&str>)> = deaths
        .figures
        .iter()
        .map(|e| {
            (
                e.path.as_str(),
                e.figure.figure.as_str(),
                e.figure.source.as_deref(),
            )
        })
        .collect();
    assert!(
        said.contains(&("a.txt", "more than 40", Some("The governor"))),
        "{said:?}"
    );
    assert!(
        said.contains(&("c.txt", "nearly 60", Some("The governor"))),
        "{said:?}"
    );
}
