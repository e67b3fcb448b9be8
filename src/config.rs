//! Configuration from `kzlint.toml` (or `.kzlint.toml`): which rules and
//! categories run, severity overrides, per-path overrides by glob, extra
//! rule folders, file extensions and the `--fail-on` level. Parsed with
//! spans so every mistake is shown where it was written.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::ops::Range;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use globset::{Glob, GlobSet, GlobSetBuilder};
use serde::{Deserialize, Serialize};
use toml::Spanned;

use crate::diagnostic::{Category, Diagnostic, Severity};
use crate::rules::RuleSet;

/// The names kzlint looks for, in this order, in each folder walking up.
pub const FILE_NAMES: [&str; 2] = ["kzlint.toml", ".kzlint.toml"];

#[derive(Debug, Default, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct ConfigFile {
    /// Exit 1 when a diagnostic is at or above this severity.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub fail_on: Option<Severity>,
    /// Extensions checked when walking folders.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub extensions: Option<Vec<String>>,
    /// Extra rule folders, relative to the configuration file.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// The baseline file, relative to the configuration file.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<String>,
    /// Globs of files and folders a walk skips, relative to the
    /// configuration file (a glob without `/` matches a name anywhere).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<String>,
    /// More of the same, added to `exclude` (as in ruff).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub extend_exclude: Vec<String>,
    // Rules turned off and on, and severities changed, by rule id or
    // category. Later settings win: disable, then enable, then overrides.
    // (Not a flattened struct: serde's flatten would lose the spans.)
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disable: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enable: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub severity: BTreeMap<Spanned<String>, Severity>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub overrides: Vec<Override>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Override {
    /// Globs, relative to the configuration file (`wire/**/*.txt`).
    pub paths: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub disable: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub enable: Vec<Spanned<String>>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub severity: BTreeMap<Spanned<String>, Severity>,
}

/// A view of the selection fields of the file or of one override.
struct Selection<'a> {
    disable: &'a [Spanned<String>],
    enable: &'a [Spanned<String>],
    severity: &'a BTreeMap<Spanned<String>, Severity>,
}

impl ConfigFile {
    fn selection(&self) -> Selection<'_> {
        Selection {
            disable: &self.disable,
            enable: &self.enable,
            severity: &self.severity,
        }
    }
}

impl Override {
    fn selection(&self) -> Selection<'_> {
        Selection {
            disable: &self.disable,
            enable: &self.enable,
            severity: &self.severity,
        }
    }
}

/// A mistake in a configuration file, at a span of it.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{file}: {message}")]
pub struct ConfigError {
    pub file: String,
    pub contents: Option<Arc<str>>,
    pub span: Option<Range<usize>>,
    pub message: String,
}

/// A configuration ready to use: parsed, checked against the rules, its
/// globs compiled.
#[derive(Debug, Default)]
pub struct Config {
    pub file: ConfigFile,
    /// The folder of the configuration file (globs and folders are
    /// relative to it); none when there is no file.
    pub root: Option<PathBuf>,
    globs: Vec<GlobSet>,
    /// The global selection, as rule ids.
    base: Settings,
}

/// What applies to one file: rules off, and severities changed. Asked
/// once per rule per file, so hashed with foldhash, not SipHash.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Settings {
    disabled: foldhash::HashSet<String>,
    severity: foldhash::HashMap<String, Severity>,
}

impl Settings {
    /// Drops diagnostics of disabled rules and applies severity overrides.
    pub fn apply(&self, diagnostics: &mut Vec<Diagnostic>) {
        diagnostics.retain(|d| !self.disabled.contains(&d.rule));
        for d in diagnostics {
            if let Some(&s) = self.severity.get(&d.rule) {
                d.severity = s;
            }
        }
    }

    pub fn is_enabled(&self, rule: &str) -> bool {
        !self.disabled.contains(rule)
    }
}

impl Config {
    /// Parses and checks a configuration file's text.
    pub fn parse(path: &Path, text: &str, rules: &RuleSet) -> Result<Config, ConfigError> {
        let contents: Arc<str> = Arc::from(text);
        let error = |span: Option<Range<usize>>, message: String| ConfigError {
            file: path.display().to_string(),
            contents: Some(contents.clone()),
            span,
            message,
        };
        let file: ConfigFile =
            toml::from_str(text).map_err(|e| error(e.span(), e.message().to_string()))?;
        let root = path.parent().map(Path::to_path_buf);
        Config::from_file(file, root, rules).map_err(|(span, message)| error(Some(span), message))
    }

    /// A configuration built in code (or from flags alone).
    pub fn from_file(
        file: ConfigFile,
        root: Option<PathBuf>,
        rules: &RuleSet,
    ) -> Result<Config, (Range<usize>, String)> {
        let mut base = Settings::default();
        apply_selection(&mut base, &file.selection(), rules)?;
        let mut globs = Vec::new();
        for o in &file.overrides {
            let mut builder = GlobSetBuilder::new();
            for p in &o.paths {
                builder.add(
                    Glob::new(p.get_ref()).map_err(|e| (p.span(), format!("not a glob: {e}")))?,
                );
            }
            globs.push(builder.build().map_err(|e| (0..0, e.to_string()))?);
            // Check the override's names now, so a typo is an error at once.
            apply_selection(&mut Settings::default(), &o.selection(), rules)?;
        }
        Ok(Config {
            file,
            root,
            globs,
            base,
        })
    }

    /// Can `rule` be on for some file: on globally, or some override may
    /// turn it on for its paths?
    pub fn may_enable(&self, rule: &str) -> bool {
        self.base.is_enabled(rule) || !self.file.overrides.is_empty()
    }

    /// The settings for one file, overrides included. `path` is as walked
    /// (relative to the current folder, or absolute).
    /// Without overrides every file shares the global settings, borrowed.
    pub fn settings_for(&self, path: &Path, rules: &RuleSet) -> Cow<'_, Settings> {
        if self.file.overrides.is_empty() {
            return Cow::Borrowed(&self.base);
        }
        let mut settings = self.base.clone();
        let relative = match &self.root {
            Some(root) => relative_to(path, root),
            None => path.to_path_buf(),
        };
        for (o, globs) in self.file.overrides.iter().zip(&self.globs) {
            if globs.is_match(&relative) {
                // Names were checked when the configuration was built.
                let _ = apply_selection(&mut settings, &o.selection(), rules);
            }
        }
        Cow::Owned(settings)
    }

    /// Adds `--disable` / `--enable` from the command line, which win over
    /// the file.
    pub fn add_flags(
        &mut self,
        disable: &[String],
        enable: &[String],
        rules: &RuleSet,
    ) -> Result<(), String> {
        let to_spanned = |v: &[String]| {
            v.iter()
                .map(|s| Spanned::new(0..0, s.clone()))
                .collect::<Vec<_>>()
        };
        let (disable, enable) = (to_spanned(disable), to_spanned(enable));
        let none = BTreeMap::new();
        let flags = Selection {
            disable: &disable,
            enable: &enable,
            severity: &none,
        };
        apply_selection(&mut self.base, &flags, rules).map_err(|(_, m)| m)?;
        self.file.disable.extend(disable);
        self.file.enable.extend(enable);
        Ok(())
    }
}

/// The rule ids a name stands for: one rule, or every rule of a category.
fn expand(name: &Spanned<String>, rules: &RuleSet) -> Result<Vec<String>, (Range<usize>, String)> {
    let n = name.get_ref();
    if let Some(category) = Category::parse(n) {
        return Ok(rules
            .rules()
            .iter()
            .filter(|r| r.category == category)
            .map(|r| r.id.clone())
            .collect());
    }
    if rules.get(n).is_some() {
        return Ok(vec![n.clone()]);
    }
    // A prefix of rule ids: "syndication/wire" is wire-credit and
    // wire-sign-off.
    let prefixed: Vec<String> = rules
        .rules()
        .iter()
        .filter(|r| !n.is_empty() && r.id.starts_with(n.as_str()))
        .map(|r| r.id.clone())
        .collect();
    if !prefixed.is_empty() {
        return Ok(prefixed);
    }
    let hint = closest_rule(n, rules)
        .map(|id| format!("; did you mean `{id}`?"))
        .unwrap_or_else(|| "; `kzlint rules` lists them".to_string());
    Err((
        name.span(),
        format!("`{n}` is neither a rule id, a category nor a prefix of one{hint}"),
    ))
}

/// The rule id nearest to a mistyped name, if one is near enough: within a
/// third of its length in edits, compared whole or by the part after `/`.
pub fn closest_rule<'r>(name: &str, rules: &'r RuleSet) -> Option<&'r str> {
    let name = name.to_lowercase();
    rules
        .rules()
        .iter()
        .map(|r| {
            let short = r.id.split_once('/').map_or(r.id.as_str(), |(_, s)| s);
            let d = edit_distance(&name, &r.id).min(edit_distance(&name, short));
            (d, r.id.as_str())
        })
        .filter(|(d, _)| *d > 0 && *d <= name.chars().count().div_ceil(3))
        .min()
        .map(|(_, id)| id)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let substitution = diagonal + usize::from(ca != cb);
            diagonal = row[j + 1];
            row[j + 1] = substitution.min(row[j] + 1).min(row[j + 1] + 1);
        }
    }
    row[b.len()]
}

fn apply_selection(
    settings: &mut Settings,
    selection: &Selection<'_>,
    rules: &RuleSet,
) -> Result<(), (Range<usize>, String)> {
    for name in selection.disable {
        settings.disabled.extend(expand(name, rules)?);
    }
    for name in selection.enable {
        for id in expand(name, rules)? {
            settings.disabled.remove(&id);
        }
    }
    for (name, &severity) in selection.severity {
        for id in expand(name, rules)? {
            settings.severity.insert(id, severity);
        }
    }
    Ok(())
}

/// The configuration of each file of a run: the nearest configuration file
/// above the file, as ruff finds it, so a folder of a corpus can carry its
/// own settings; or, when one was named (`--config`), that one for all.
/// A nested file sets rule selection, severities and overrides for its
/// files; what applies to the run as a whole (extensions, the baseline,
/// `--fail-on`, rule folders) comes from the run's own configuration.
pub struct Configs<'a> {
    main: &'a Config,
    /// The run's configuration file, resolved; none without one.
    main_path: Option<PathBuf>,
    /// Named on the command line: it applies to every file.
    explicit: bool,
    /// `--disable` and `--enable`, which win over every file.
    flags: (Vec<String>, Vec<String>),
    /// Each folder's nearest configuration file, resolved.
    nearest: std::sync::Mutex<HashMap<PathBuf, Option<PathBuf>>>,
    /// Nested configurations read so far, or why one could not be used.
    nested: std::sync::Mutex<HashMap<PathBuf, Result<Arc<Config>, String>>>,
}

impl<'a> Configs<'a> {
    pub fn new(
        main: &'a Config,
        main_path: Option<&Path>,
        explicit: bool,
        flags: (Vec<String>, Vec<String>),
    ) -> Self {
        Configs {
            main,
            main_path: main_path
                .map(|p| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf())),
            explicit,
            flags,
            nearest: Default::default(),
            nested: Default::default(),
        }
    }

    /// The run's own configuration.
    pub fn main(&self) -> &'a Config {
        self.main
    }

    /// Only the run's configuration applies (see [`Configs::new`]).
    pub fn single(main: &'a Config) -> Self {
        Configs::new(main, None, true, Default::default())
    }

    /// The settings for one file (a path as walked), or why the nested
    /// configuration file that applies to it cannot be used.
    pub fn settings_for(&self, path: &Path, rules: &RuleSet) -> Result<Cow<'a, Settings>, String> {
        let nested = match self.nested_config(path) {
            None => return Ok(self.main.settings_for(path, rules)),
            Some(found) => found,
        };
        match self.load(&nested, rules) {
            Ok(config) => Ok(Cow::Owned(config.settings_for(path, rules).into_owned())),
            Err(e) => Err(e),
        }
    }

    /// The configuration file nearest above `path`, when it is not the
    /// run's own.
    fn nested_config(&self, path: &Path) -> Option<PathBuf> {
        if self.explicit {
            return None;
        }
        let absolute = std::env::current_dir().ok()?.join(path);
        let dir = absolute.parent()?.to_path_buf();
        let found = {
            let mut nearest = self.nearest.lock().unwrap_or_else(|e| e.into_inner());
            nearest
                .entry(dir)
                .or_insert_with_key(|dir| {
                    discover(dir).map(|p| std::fs::canonicalize(&p).unwrap_or(p))
                })
                .clone()
        };
        found.filter(|f| Some(f) != self.main_path.as_ref())
    }

    fn load(&self, path: &Path, rules: &RuleSet) -> Result<Arc<Config>, String> {
        let mut nested = self.nested.lock().unwrap_or_else(|e| e.into_inner());
        nested
            .entry(path.to_path_buf())
            .or_insert_with(|| {
                let text = std::fs::read_to_string(path)
                    .map_err(|e| format!("{}: {e}", path.display()))?;
                let mut config = Config::parse(path, &text, rules)
                    .map_err(|e| format!("{}: {}", e.file, e.message))?;
                if !config.file.rules.is_empty() {
                    return Err(format!(
                        "{}: names rule folders, which only the run's own configuration may do; run kzlint from its folder",
                        path.display()
                    ));
                }
                config.add_flags(&self.flags.0, &self.flags.1, rules)?;
                Ok(Arc::new(config))
            })
            .clone()
    }
}

/// `path` (as given: relative to the current folder, or absolute) relative
/// to `root`, the folder of the configuration file, both resolved first so
/// that `..`, `.` and symbolic links do not hide a match; `path` itself
/// when it lies outside `root`.
fn relative_to(path: &Path, root: &Path) -> PathBuf {
    let absolute = std::env::current_dir()
        .map(|d| d.join(path))
        .unwrap_or_else(|_| path.to_path_buf());
    let resolve =
        |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| crate::source::normalize_path(p));
    let (file, root) = (resolve(&absolute), resolve(root));
    file.strip_prefix(&root)
        .map(Path::to_path_buf)
        .unwrap_or_else(|_| path.to_path_buf())
}

/// The `rules = [...]` folders of a configuration file, relative to it
/// (they must be loaded before the file is parsed against the rules). A
/// file that does not parse names none here; [`Config::parse`] says why.
pub fn rule_dirs(path: &Path, text: &str) -> Vec<PathBuf> {
    let root = path.parent().unwrap_or(Path::new("."));
    toml::from_str::<ConfigFile>(text)
        .map(|file| file.rules.iter().map(|r| root.join(r)).collect())
        .unwrap_or_default()
}

/// The rules and the configuration a run uses, loaded in the one order
/// that works: the configuration names rule folders, and is checked against
/// the rules once they are loaded.
#[derive(Debug)]
pub struct Loaded {
    /// The built-in rules and those of every folder; rules that failed to
    /// load are left out and listed in `rule_errors`.
    pub rules: RuleSet,
    pub rule_errors: Vec<crate::rules::RuleError>,
    /// The configuration file parsed against `rules`, or the defaults when
    /// there is none.
    pub config: Result<Config, ConfigError>,
}

/// Loads the rules (built-in, the configuration's `rules` folders, then
/// `extra_rule_dirs`) and parses the configuration `file` (path and text)
/// against them. Each front end reads the file and reports the errors in
/// its own way.
pub fn load(file: Option<(&Path, &str)>, extra_rule_dirs: &[PathBuf]) -> Loaded {
    let mut dirs = file
        .map(|(path, text)| rule_dirs(path, text))
        .unwrap_or_default();
    dirs.extend(extra_rule_dirs.iter().cloned());
    let (rules, rule_errors) = crate::rules::load_with_dirs(&dirs);
    let config = match file {
        Some((path, text)) => Config::parse(path, text, &rules),
        None => Ok(Config::default()),
    };
    Loaded {
        rules,
        rule_errors,
        config,
    }
}

/// The configuration file that applies in `dir`: the first of
/// [`FILE_NAMES`] found walking up from it.
pub fn discover(dir: &Path) -> Option<PathBuf> {
    dir.ancestors()
        .flat_map(|d| FILE_NAMES.iter().map(move |name| d.join(name)))
        .find(|p| p.is_file())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> RuleSet {
        RuleSet::builtin().unwrap()
    }

    #[test]
    fn categories_expand_and_later_settings_win() {
        let text = "disable = [\"attribution\"]\nenable = [\"attribution/vague-source\"]\n[severity]\n\"attribution/vague-source\" = \"info\"\n";
        let config = Config::parse(Path::new("/p/kzlint.toml"), text, &rules()).unwrap();
        let s = config.settings_for(Path::new("a.txt"), &rules());
        assert!(!s.is_enabled("attribution/unsourced-figure"));
        assert!(s.is_enabled("attribution/vague-source"));
        assert_eq!(
            s.severity.get("attribution/vague-source"),
            Some(&Severity::Info)
        );
    }

    #[test]
    fn a_rule_off_everywhere_may_not_be_enabled_but_an_override_may_turn_it_on() {
        let name_variant = "translation/name-variant";
        let off = "disable = [\"translation\"]\n";
        let config = Config::parse(Path::new("/p/kzlint.toml"), off, &rules()).unwrap();
        assert!(!config.may_enable(name_variant));
        assert!(config.may_enable("attribution/vague-source"));
        let on_somewhere =
            format!("{off}[[overrides]]\npaths = [\"wire/*\"]\nenable = [\"{name_variant}\"]\n");
        let config = Config::parse(Path::new("/p/kzlint.toml"), &on_somewhere, &rules()).unwrap();
        assert!(config.may_enable(name_variant));
    }

    #[test]
    fn mistakes_point_at_their_place_in_the_file() {
        let text = "fail-on = \"warning\"\ndisable = [\"syndication/no-such-rule\"]\n";
        let e = Config::parse(Path::new("k.toml"), text, &rules()).unwrap_err();
        assert_eq!(
            &text[e.span.clone().unwrap()],
            "\"syndication/no-such-rule\""
        );
        let text = "fail-on = \"warning\"\nfial-on = 3\n";
        let e = Config::parse(Path::new("k.toml"), text, &rules()).unwrap_err();
        assert!(
            e.message.contains("unknown field `fial-on`"),
            "{}",
            e.message
        );
        assert_eq!(&text[e.span.clone().unwrap()], "fial-on");
        let text = "extensions = \"txt\"\n";
        let e = Config::parse(Path::new("k.toml"), text, &rules()).unwrap_err();
        assert_eq!(&text[e.span.unwrap()], "\"txt\"");
    }

    #[test]
    fn overrides_apply_by_glob_relative_to_the_config_file() {
        let text =
            "[[overrides]]\npaths = [\"wire/**\"]\ndisable = [\"syndication/wire-sign-off\"]\n";
        let cwd = std::env::current_dir().unwrap();
        let config = Config::parse(&cwd.join("kzlint.toml"), text, &rules()).unwrap();
        assert!(!config
            .settings_for(Path::new("wire/a.txt"), &rules())
            .is_enabled("syndication/wire-sign-off"));
        assert!(config
            .settings_for(Path::new("web/a.txt"), &rules())
            .is_enabled("syndication/wire-sign-off"));
    }
}
