//! `kzlint._kzlint`: the compiled core behind the `kzlint` Python package.
//! It loads rules and a configuration once, checks texts (many at once on
//! every core, without the GIL), and hands each text's diagnostics back as
//! the JSON Lines the command line prints (`--format json`), so Python sees
//! exactly what the CLI sees. `kzlint/__init__.py` wraps it.

use std::path::PathBuf;

use pyo3::create_exception;
use pyo3::exceptions::{PyException, PyValueError};
use pyo3::prelude::*;
use rayon::prelude::*;

use kzlint::config::{self, Config};
use kzlint::emit::Format;
use kzlint::{Applicability, RuleSet, SourceFile};

create_exception!(
    _kzlint,
    RuleError,
    PyException,
    "A rule file or configuration that does not load: args are (message, file, rule, span)."
);

/// Rules and settings compiled once, shared by every check.
#[pyclass(frozen, module = "kzlint._kzlint")]
struct Linter {
    rules: RuleSet,
    config: Config,
}

#[pymethods]
impl Linter {
    #[new]
    #[pyo3(signature = (rules=None, config=None, disable=Vec::new(), enable=Vec::new()))]
    fn new(
        rules: Option<Vec<PathBuf>>,
        config: Option<PathBuf>,
        disable: Vec<String>,
        enable: Vec<String>,
    ) -> PyResult<Self> {
        let text = match &config {
            Some(path) => Some(std::fs::read_to_string(path).map_err(|e| {
                RuleError::new_err((
                    format!("{}: {e}", path.display()),
                    path_str(path),
                    None::<String>,
                    None::<(usize, usize)>,
                ))
            })?),
            None => None,
        };
        let file = config.as_deref().zip(text.as_deref());
        let loaded = config::load(file, &rules.unwrap_or_default());
        if let Some(e) = loaded.rule_errors.first() {
            let span = e.span.as_ref().map(|s| (s.start, s.end));
            return Err(RuleError::new_err((
                e.to_string(),
                e.file.clone(),
                e.rule.clone(),
                span,
            )));
        }
        let rule_set = loaded.rules;
        let mut parsed = loaded.config.map_err(|e| {
            let span = e.span.as_ref().map(|s| (s.start, s.end));
            RuleError::new_err((
                format!("{}: {}", e.file, e.message),
                e.file.clone(),
                None::<String>,
                span,
            ))
        })?;
        parsed
            .add_flags(&disable, &enable, &rule_set)
            .map_err(PyValueError::new_err)?;
        Ok(Linter {
            rules: rule_set,
            config: parsed,
        })
    }

    /// One text's diagnostics as JSON Lines (the CLI's `--format json`).
    fn check_json(&self, py: Python<'_>, text: String, path: String) -> PyResult<String> {
        py.allow_threads(|| self.json_for(&path, text))
    }

    /// Many texts at once, on every core, without the GIL.
    fn check_many_json(
        &self,
        py: Python<'_>,
        texts: Vec<String>,
        paths: Vec<String>,
    ) -> PyResult<Vec<String>> {
        if texts.len() != paths.len() {
            return Err(PyValueError::new_err(format!(
                "{} texts but {} paths",
                texts.len(),
                paths.len()
            )));
        }
        py.allow_threads(|| {
            texts
                .into_par_iter()
                .zip(paths.into_par_iter())
                .map(|(text, path)| self.json_for(&path, text))
                .collect()
        })
    }

    /// The text with the fixes `--fix` (or `--unsafe-fixes`) would apply.
    #[pyo3(signature = (text, path, r#unsafe=false))]
    fn fix(&self, py: Python<'_>, text: String, path: String, r#unsafe: bool) -> PyResult<String> {
        py.allow_threads(|| {
            let file = SourceFile::new(&path, text);
            let settings = self.config.settings_for(file.path(), &self.rules);
            let level = if r#unsafe {
                Applicability::Unsafe
            } else {
                Applicability::Safe
            };
            kzlint::fix::fix(&file, &self.rules, &settings, level)
                .map(|fixed| fixed.text)
                .map_err(|e| PyValueError::new_err(e.to_string()))
        })
    }

    /// Every rule as (id, category, severity, summary).
    fn rules(&self) -> Vec<(String, String, String, String)> {
        self.rules
            .rules()
            .iter()
            .map(|r| {
                (
                    r.id.clone(),
                    r.category.to_string(),
                    r.severity.to_string(),
                    r.summary.clone(),
                )
            })
            .collect()
    }
}

impl Linter {
    fn json_for(&self, path: &str, text: String) -> PyResult<String> {
        let file = SourceFile::new(path, text);
        let settings = self.config.settings_for(file.path(), &self.rules);
        let mut found = kzlint::check_with(&file, &self.rules, &settings);
        settings.apply(&mut found);
        let mut out = termcolor::NoColor::new(Vec::new());
        let mut emitter = Format::Json.emitter(&self.rules, 0, Default::default());
        emitter
            .file(&mut out, &file, &found)
            .map_err(|e| PyValueError::new_err(e.to_string()))?;
        String::from_utf8(out.into_inner()).map_err(|e| PyValueError::new_err(e.to_string()))
    }
}

fn path_str(path: &std::path::Path) -> String {
    path.display().to_string()
}

#[pymodule]
fn _kzlint(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_class::<Linter>()?;
    m.add("RuleError", m.py().get_type::<RuleError>())?;
    m.add("__version__", env!("CARGO_PKG_VERSION"))?;
    Ok(())
}
