//! kzlint: a source-provenance linter for news corpora.
//!
//! The library turns a [`SourceFile`] and a [`RuleSet`] into diagnostics
//! ([`check`]); it prints nothing and never exits. The `kzlint` binary walks
//! paths and hands the diagnostics to an emitter.

pub mod analyzers;
pub mod baseline;
pub mod config;
pub mod corpus;
pub mod diagnostic;
pub mod emit;
pub mod engine;
pub mod fix;
pub mod invariants;
pub mod provenance;
pub mod report;
pub mod rules;
pub mod source;
pub mod text;

pub use corpus::CorpusIndex;
pub use diagnostic::{Applicability, Category, Diagnostic, Fix, Severity, Span};
pub use engine::{check, check_and_gather, check_file, check_with, files_to_recheck, FileFindings};
pub use rules::{Rule, RuleError, RuleSet};
pub use source::SourceFile;
