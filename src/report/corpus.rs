//! What the report compares across articles: clusters of articles that
//! carry the same copy (MinHash over word shingles, banded for candidate
//! pairs), and the figures for one kind of count that disagree between
//! articles about the same subject. Each article keeps a bounded sketch, so
//! memory grows with the number of articles, not their length.

use std::hash::{BuildHasher, Hasher};

use foldhash::HashMap;
use serde::Serialize;

use super::{ArticleReport, Figure};
use crate::text::{BlockClass, Document, TokenKind};

/// MinHash functions per article.
const HASHES: usize = 64;
/// LSH bands of `ROWS` minima each: articles equal in one band are
/// compared (a pair at Jaccard 0.5 is a candidate with odds of 64 %; at
/// 0.7, 99 %).
const BANDS: usize = 16;
const ROWS: usize = HASHES / BANDS;
/// Words per shingle.
const SHINGLE: usize = 5;
/// Prose sentences kept per article to tell what members share, add, cut.
const SENTENCES: usize = 64;
/// Sentences kept with their text, to quote the shared copy.
const QUOTED_SENTENCES: usize = 4;
/// Estimated Jaccard similarity from which two articles share their copy.
pub const SAME_COPY: f64 = 0.5;

/// An article's bounded summary for the corpus stage.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sketch {
    /// Least hash of its word shingles under each function; empty for an
    /// article too short to shingle.
    minhash: Vec<u32>,
    /// Hashes of its first prose sentences.
    sentences: Vec<u64>,
    /// The first few of those with their text.
    quoted: Vec<(u64, String)>,
}

fn hasher(seed: u64) -> impl Hasher {
    foldhash::fast::FixedState::with_seed(seed).build_hasher()
}

/// A word's hash-friendly form: lower case, letters and digits only.
fn norm(word: &str) -> String {
    word.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

impl Sketch {
    pub fn of(doc: &Document<'_>) -> Sketch {
        let layout = doc.layout();
        let prose: Vec<_> = doc
            .sentences()
            .iter()
            .filter(|s| {
                layout
                    .block_at(s.span.start)
                    .is_some_and(|b| b.class == BlockClass::Prose)
            })
            .collect();
        let words: Vec<String> = prose
            .iter()
            .flat_map(|s| doc.sentence_tokens(s))
            .filter(|t| t.kind != TokenKind::Punct)
            .map(|t| norm(doc.slice(t.span)))
            .collect();
        let mut minhash = Vec::new();
        if words.len() >= SHINGLE {
            minhash = vec![u32::MAX; HASHES];
            for window in words.windows(SHINGLE) {
                let mut h = hasher(0x7368_696e);
                for w in window {
                    h.write(w.as_bytes());
                    h.write_u8(0);
                }
                let shingle = h.finish();
                for (i, slot) in minhash.iter_mut().enumerate() {
                    // One cheap mix per function: the shingle's hash with
                    // the function's seed, through a 64-bit finaliser.
                    let v = mix(shingle ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) as u32;
                    *slot = (*slot).min(v);
                }
            }
        }
        let mut sentences = Vec::new();
        let mut quoted = Vec::new();
        for s in prose.iter().take(SENTENCES) {
            let text = doc.slice(s.span);
            let words: Vec<String> = text.split_whitespace().map(norm).collect();
            if words.len() < 6 {
                continue;
            }
            let mut h = hasher(0x7365_6e74);
            for w in &words {
                h.write(w.as_bytes());
                h.write_u8(0);
            }
            let key = h.finish();
            sentences.push(key);
            if quoted.len() < QUOTED_SENTENCES {
                // On one line, as hard-wrapped copy is not.
                let one_line = text.split_whitespace().collect::<Vec<_>>().join(" ");
                quoted.push((key, one_line.chars().take(240).collect()));
            }
        }
        Sketch {
            minhash,
            sentences,
            quoted,
        }
    }

    /// The estimated Jaccard similarity of two articles' shingles.
    pub fn similarity(&self, other: &Sketch) -> f64 {
        if self.minhash.is_empty() || other.minhash.is_empty() {
            return 0.0;
        }
        let same = self
            .minhash
            .iter()
            .zip(&other.minhash)
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / HASHES as f64
    }
}

/// SplitMix64's finaliser.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The name an article mentions most: a capitalised word inside its prose
/// sentences (not the first word of one), four letters or more, not a
/// day or month.
pub fn topic(doc: &Document<'_>) -> Option<String> {
    let mut counts: HashMap<&str, usize> = HashMap::default();
    let layout = doc.layout();
    for s in doc.sentences() {
        if !layout
            .block_at(s.span.start)
            .is_some_and(|b| b.class == BlockClass::Prose)
        {
            continue;
        }
        for t in doc.sentence_tokens(s).iter().skip(1) {
            let w = doc.slice(t.span);
            if t.kind == TokenKind::Word
                && w.chars().count() >= 4
                && w.starts_with(char::is_uppercase)
                && !w.chars().all(char::is_uppercase)
                && !super::is_date_word(w)
            {
                *counts.entry(w).or_default() += 1;
            }
        }
    }
    counts
        .into_iter()
        .max_by(|a, b| a.1.cmp(&b.1).then(b.0.cmp(a.0)))
        .filter(|(_, n)| *n >= 2)
        .map(|(w, _)| w.to_string())
}

/// What the corpus stage keeps of one article.
#[derive(Debug, Clone)]
struct Kept {
    path: String,
    sketch: Sketch,
    topic: Option<String>,
    figures: Vec<Figure>,
}

/// A group of articles that carry the same copy.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cluster {
    /// `cluster`.
    pub record: &'static str,
    /// The least estimated similarity of a member to the first.
    pub similarity: f64,
    /// Sentences at least half of the members carry.
    pub shared_sentences: usize,
    /// The first of those, as one member has it.
    pub shared_text: Option<String>,
    pub members: Vec<Member>,
}

/// One article of a cluster: what it adds to the shared copy or cuts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Member {
    pub path: String,
    /// Its sentences no other member has.
    pub adds: usize,
    /// Shared sentences it lacks.
    pub cuts: usize,
}

/// Figures for one kind of count about one subject that articles give
/// differently.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FigureGroup {
    /// `figures`.
    pub record: &'static str,
    pub kind: String,
    /// The name the articles mention most.
    pub subject: String,
    pub figures: Vec<LedgerEntry>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LedgerEntry {
    pub path: String,
    #[serde(flatten)]
    pub figure: Figure,
}

/// Gathers every article, then clusters them and lists the figures that
/// disagree.
#[derive(Debug, Default)]
pub struct CorpusStage {
    kept: Vec<Kept>,
}

impl CorpusStage {
    pub fn add(&mut self, report: &ArticleReport) {
        self.kept.push(Kept {
            path: report.path.clone(),
            sketch: report.sketch.clone(),
            topic: report.topic.clone(),
            figures: report.figures.clone(),
        });
    }

    /// Articles that carry the same copy, in the order of their first
    /// member.
    pub fn clusters(&self) -> Vec<Cluster> {
        self.groups().iter().map(|g| self.describe(g)).collect()
    }

    /// The groups of two articles or more that carry the same copy, each
    /// in input order, in the order of their first member.
    ///
    /// Each cluster is led by its first article, and an article joins the
    /// cluster whose leader it is most like, at [`SAME_COPY`] or more: no
    /// chain of pairs joins two articles that share nothing.
    fn groups(&self) -> Vec<Vec<usize>> {
        let n = self.kept.len();
        let mut leader: Vec<usize> = (0..n).collect();
        let mut buckets: HashMap<(usize, u64), usize> = HashMap::default();
        for (i, k) in self.kept.iter().enumerate() {
            let mut best: Option<(f64, usize)> = None;
            for (band, rows) in k.sketch.minhash.chunks(ROWS).enumerate() {
                let mut h = hasher(band as u64);
                for r in rows {
                    h.write_u32(*r);
                }
                // Each bucket keeps its first article: a later one equal
                // in the band is compared with that one's leader, so a
                // thousand copies cost a thousand comparisons, not a million.
                let first = *buckets.entry((band, h.finish())).or_insert(i);
                if first == i {
                    continue;
                }
                let lead = leader[first];
                let similarity = k.sketch.similarity(&self.kept[lead].sketch);
                let better =
                    best.is_none_or(|(s, l)| similarity > s || similarity == s && lead < l);
                if similarity >= SAME_COPY && better {
                    best = Some((similarity, lead));
                }
            }
            if let Some((_, lead)) = best {
                leader[i] = lead;
            }
        }
        let mut groups: HashMap<usize, Vec<usize>> = HashMap::default();
        for (i, lead) in leader.iter().enumerate() {
            groups.entry(*lead).or_default().push(i);
        }
        let mut clusters: Vec<Vec<usize>> = groups.into_values().filter(|g| g.len() > 1).collect();
        clusters.sort_by_key(|g| g[0]);
        clusters
    }

    fn describe(&self, members: &[usize]) -> Cluster {
        let first = &self.kept[members[0]].sketch;
        let similarity = members[1..]
            .iter()
            .map(|&m| self.kept[m].sketch.similarity(first))
            .fold(1.0, f64::min);
        let mut carriers: HashMap<u64, usize> = HashMap::default();
        for &m in members {
            let mut seen = self.kept[m].sketch.sentences.clone();
            seen.sort_unstable();
            seen.dedup();
            for s in seen {
                *carriers.entry(s).or_default() += 1;
            }
        }
        let half = members.len().div_ceil(2).max(2);
        let shared = |s: &u64| carriers.get(s).is_some_and(|&c| c >= half);
        let shared_count = carriers.values().filter(|&&c| c >= half).count();
        let shared_text = members
            .iter()
            .flat_map(|&m| &self.kept[m].sketch.quoted)
            .find(|(key, _)| shared(key))
            .map(|(_, text)| text.clone());
        let members = members
            .iter()
            .map(|&m| {
                let sketch = &self.kept[m].sketch;
                let adds = sketch
                    .sentences
                    .iter()
                    .filter(|s| carriers[*s] == 1)
                    .count();
                let cuts = carriers
                    .iter()
                    .filter(|(s, &c)| c >= half && !sketch.sentences.contains(s))
                    .count();
                Member {
                    path: self.kept[m].path.clone(),
                    adds,
                    cuts,
                }
            })
            .collect();
        Cluster {
            record: "cluster",
            similarity: (similarity * 100.0).round() / 100.0,
            shared_sentences: shared_count,
            shared_text,
            members,
        }
    }

    /// For each kind of count and subject, the figures articles give when
    /// at least two articles give different values. Articles carrying the
    /// same copy report one event; others share a subject when they name
    /// the same place or body most.
    pub fn disagreements(&self) -> Vec<FigureGroup> {
        let mut subject_of: Vec<Option<String>> =
            self.kept.iter().map(|k| k.topic.clone()).collect();
        for group in self.groups() {
            let first = &self.kept[group[0]].path;
            for m in group {
                subject_of[m] = Some(format!("the copy {first} carries"));
            }
        }
        let mut groups: Vec<((String, String), Vec<LedgerEntry>)> = Vec::new();
        for (k, subject) in self.kept.iter().zip(&subject_of) {
            let Some(subject) = subject else { continue };
            for f in &k.figures {
                let key = (f.kind.clone(), subject.clone());
                let entry = LedgerEntry {
                    path: k.path.clone(),
                    figure: f.clone(),
                };
                match groups.iter_mut().find(|(g, _)| *g == key) {
                    Some((_, list)) => list.push(entry),
                    None => groups.push((key, vec![entry])),
                }
            }
        }
        groups
            .into_iter()
            .filter(|(_, list)| {
                let mut values: Vec<f64> = list.iter().filter_map(|e| e.figure.value).collect();
                values.sort_by(f64::total_cmp);
                values.dedup();
                let mut articles: Vec<&str> = list.iter().map(|e| e.path.as_str()).collect();
                articles.sort_unstable();
                articles.dedup();
                values.len() >= 2 && articles.len() >= 2
            })
            .map(|((kind, subject), figures)| FigureGroup {
                record: "figures",
                kind,
                subject,
                figures,
            })
            .collect()
    }
}

/// A cluster in one line: its size, similarity, shared copy and what each
/// member adds or cuts.
pub fn cluster_line(c: &Cluster) -> String {
    let members: Vec<String> = c
        .members
        .iter()
        .map(|m| format!("{} (+{} -{})", m.path, m.adds, m.cuts))
        .collect();
    let shared = c
        .shared_text
        .as_deref()
        .map(|t| format!(" \"{}\"", t.chars().take(80).collect::<String>()))
        .unwrap_or_default();
    format!(
        "{} articles, similarity {:.2}, {} shared sentences{shared}: {}",
        c.members.len(),
        c.similarity,
        c.shared_sentences,
        members.join(", ")
    )
}

/// A group of disagreeing figures in one line, each with who gives it.
pub fn figures_line(g: &FigureGroup) -> String {
    let figures: Vec<String> = g
        .figures
        .iter()
        .map(|e| {
            let who = e.figure.source.as_deref().unwrap_or("no source");
            format!(
                "\"{} {}\" in {} ({who})",
                e.figure.figure, e.figure.word, e.path
            )
        })
        .collect();
    format!("{} ({}): {}", g.kind, g.subject, figures.join("; "))
}
