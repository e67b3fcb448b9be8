//! `kzlint lsp`: a Language Server Protocol server over standard input and
//! output, on the same core as the command line. It checks a document when
//! it opens, when typing pauses and when it is saved; offers each finding's
//! fix as a quick fix (safe ones preferred) and "accept in the baseline";
//! shows a rule's own documentation on hover; and reads the nearest
//! `kzlint.toml` above each file, again whenever that file changes.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use anyhow::Context;
use lsp_server::{Connection, ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;

use kzlint::baseline::{self, Baseline, Matcher};
use kzlint::config::{self, Config};
use kzlint::diagnostic::edited_span;
use kzlint::{Applicability, Diagnostic, RuleSet, Severity, SourceFile, Span};

/// How long typing must pause before a changed document is checked again.
const DEBOUNCE: Duration = Duration::from_millis(200);

/// The command behind "accept this rule's findings in this file".
const ACCEPT_COMMAND: &str = "kzlint.acceptInBaseline";

/// Serves one editor session on standard input and output.
pub fn run() -> anyhow::Result<u8> {
    let (connection, io_threads) = Connection::stdio();
    let (id, params) = connection.initialize_start()?;
    let params: lsp::InitializeParams =
        serde_json::from_value(params).context("reading the client's initialize request")?;
    let encoding = Encoding::negotiate(&params);
    let capabilities = capabilities(encoding);
    let result = lsp::InitializeResult {
        capabilities,
        server_info: Some(lsp::ServerInfo {
            name: "kzlint".into(),
            version: Some(env!("CARGO_PKG_VERSION").into()),
        }),
    };
    connection.initialize_finish(id, serde_json::to_value(result)?)?;
    let mut server = Server {
        conn: connection,
        encoding,
        documents: HashMap::new(),
        projects: Projects::new(workspace_root(&params)),
        due: HashMap::new(),
    };
    server.serve()?;
    drop(server);
    // The client may close its end first; nothing is left to say then.
    if let Err(e) = io_threads.join() {
        if e.kind() != std::io::ErrorKind::BrokenPipe {
            return Err(e.into());
        }
    }
    Ok(crate::exit::CLEAN)
}

fn capabilities(encoding: Encoding) -> lsp::ServerCapabilities {
    lsp::ServerCapabilities {
        position_encoding: Some(encoding.kind()),
        text_document_sync: Some(lsp::TextDocumentSyncCapability::Options(
            lsp::TextDocumentSyncOptions {
                open_close: Some(true),
                change: Some(lsp::TextDocumentSyncKind::INCREMENTAL),
                save: Some(lsp::TextDocumentSyncSaveOptions::Supported(true)),
                ..Default::default()
            },
        )),
        code_action_provider: Some(lsp::CodeActionProviderCapability::Options(
            lsp::CodeActionOptions {
                code_action_kinds: Some(vec![lsp::CodeActionKind::QUICKFIX]),
                ..Default::default()
            },
        )),
        execute_command_provider: Some(lsp::ExecuteCommandOptions {
            commands: vec![ACCEPT_COMMAND.into()],
            ..Default::default()
        }),
        hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
        ..Default::default()
    }
}

/// The folder a client opened, where a baseline goes when no
/// configuration file says otherwise.
fn workspace_root(params: &lsp::InitializeParams) -> Option<PathBuf> {
    let folder = params
        .workspace_folders
        .as_ref()
        .and_then(|f| f.first())
        .map(|f| f.uri.clone());
    #[allow(deprecated)] // rootUri: older clients send only this
    let uri = folder.or_else(|| params.root_uri.clone())?;
    uri.to_file_path().ok()
}

/// The unit of a position's `character`: UTF-16 code units unless the
/// client offers UTF-8 (LSP 3.17 `positionEncoding`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Utf8,
    Utf16,
}

impl Encoding {
    fn negotiate(params: &lsp::InitializeParams) -> Encoding {
        let offered = params
            .capabilities
            .general
            .as_ref()
            .and_then(|g| g.position_encodings.as_ref());
        if offered.is_some_and(|kinds| kinds.contains(&lsp::PositionEncodingKind::UTF8)) {
            Encoding::Utf8
        } else {
            Encoding::Utf16
        }
    }

    fn kind(self) -> lsp::PositionEncodingKind {
        match self {
            Encoding::Utf8 => lsp::PositionEncodingKind::UTF8,
            Encoding::Utf16 => lsp::PositionEncodingKind::UTF16,
        }
    }

    fn units(self, s: &str) -> u32 {
        match self {
            Encoding::Utf8 => s.len() as u32,
            Encoding::Utf16 => s.chars().map(|c| c.len_utf16() as u32).sum(),
        }
    }
}

/// Lines as the protocol counts them (ended by `\n`, `\r\n` or `\r`), to
/// turn byte spans into positions and back.
struct LineIndex<'a> {
    text: &'a str,
    starts: Vec<usize>,
    encoding: Encoding,
}

impl<'a> LineIndex<'a> {
    fn new(text: &'a str, encoding: Encoding) -> Self {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        for (i, &b) in bytes.iter().enumerate() {
            let ends_line = b == b'\n' || (b == b'\r' && bytes.get(i + 1) != Some(&b'\n'));
            if ends_line {
                starts.push(i + 1);
            }
        }
        LineIndex {
            text,
            starts,
            encoding,
        }
    }

    fn position(&self, offset: usize) -> lsp::Position {
        let mut offset = offset.min(self.text.len());
        while !self.text.is_char_boundary(offset) {
            offset -= 1;
        }
        let line = self.starts.partition_point(|&s| s <= offset) - 1;
        let character = self.encoding.units(&self.text[self.starts[line]..offset]);
        lsp::Position::new(line as u32, character)
    }

    fn range(&self, span: Span) -> lsp::Range {
        lsp::Range::new(self.position(span.start), self.position(span.end))
    }

    /// The byte offset of a position, clamped to its line's end (the
    /// protocol's rule for a character past it).
    fn offset(&self, position: lsp::Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return self.text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .copied()
            .unwrap_or(self.text.len());
        let line = self.text[start..end].trim_end_matches(['\n', '\r']);
        let mut units = 0;
        for (i, c) in line.char_indices() {
            if units >= position.character {
                return start + i;
            }
            units += self.encoding.units(c.encode_utf8(&mut [0; 4]));
        }
        start + line.len()
    }

    fn span(&self, range: lsp::Range) -> Span {
        let (start, end) = (self.offset(range.start), self.offset(range.end));
        Span::new(start.min(end), end.max(start))
    }
}

/// The rules and configuration that apply to the files under one
/// `kzlint.toml` (or to files with none above them).
struct Project {
    rules: RuleSet,
    config: Config,
    /// The configuration file and its modification time when read.
    source: Option<(PathBuf, Option<SystemTime>)>,
    baseline_file: PathBuf,
}

fn modified(path: &Path) -> Option<SystemTime> {
    std::fs::metadata(path).and_then(|m| m.modified()).ok()
}

impl Project {
    /// Reads the configuration at `path` (none: defaults) and the rules it
    /// names; what fails to load is returned as messages for the user, and
    /// the rest is used.
    fn load(path: Option<&Path>, fallback_root: &Path) -> (Project, Vec<String>) {
        let mut problems = Vec::new();
        let text = path.and_then(|p| match std::fs::read_to_string(p) {
            Ok(text) => Some((p, text)),
            Err(e) => {
                problems.push(format!("{}: {e}", p.display()));
                None
            }
        });
        let loaded = config::load(text.as_ref().map(|(p, t)| (*p, t.as_str())), &[]);
        let rules = loaded.rules;
        problems.extend(loaded.rule_errors.iter().map(|e| e.to_string()));
        let config = loaded.config.unwrap_or_else(|e| {
            problems.push(format!("{}: {}", e.file, e.message));
            Config::default()
        });
        let root = config
            .root
            .clone()
            .unwrap_or_else(|| fallback_root.to_path_buf());
        let baseline_file = root.join(
            config
                .file
                .baseline
                .as_deref()
                .unwrap_or(baseline::DEFAULT_FILE_NAME),
        );
        let project = Project {
            rules,
            config,
            source: path.map(|p| (p.to_path_buf(), modified(p))),
            baseline_file,
        };
        (project, problems)
    }

    /// Has the configuration file changed (or gone) since it was read?
    fn is_stale(&self) -> bool {
        self.source
            .as_ref()
            .is_some_and(|(path, when)| modified(path) != *when)
    }

    fn baseline(&self) -> Option<Baseline> {
        let text = std::fs::read_to_string(&self.baseline_file).ok()?;
        Baseline::parse(&text).ok()
    }

    fn baseline_key(&self, path: &Path) -> String {
        let dir = self.baseline_file.parent().unwrap_or(Path::new("."));
        baseline::path_key(path, dir)
    }

    /// What the command line would show for this text: the file's
    /// settings, its severities, and nothing the baseline accepts.
    fn check(&self, file: &SourceFile) -> Vec<Diagnostic> {
        let settings = self.config.settings_for(file.path(), &self.rules);
        let mut found = kzlint::check_with(file, &self.rules, &settings);
        settings.apply(&mut found);
        if let Some(baseline) = self.baseline() {
            let key = self.baseline_key(file.path());
            Matcher::for_file(&baseline, &key).hide(&key, file, &mut found);
        }
        found
    }

    /// Adds every finding of `rule` in `file` to the baseline.
    fn accept(&self, file: &SourceFile, rule: &str) -> anyhow::Result<usize> {
        let key = self.baseline_key(file.path());
        let mut entries = self.baseline().map(|b| b.entries).unwrap_or_default();
        let accepted: Vec<_> = self
            .check(file)
            .iter()
            .filter(|d| d.rule == rule)
            .map(|d| Baseline::entry(&key, file, d))
            .collect();
        let n = accepted.len();
        entries.extend(accepted);
        let json = Baseline::from_entries(entries).to_json();
        crate::write::write_new(&self.baseline_file, &json)
            .map_err(|e| anyhow::anyhow!("writing {}: {e}", self.baseline_file.display()))?;
        Ok(n)
    }
}

/// One [`Project`] per configuration file, loaded when first needed and
/// again when the file changes.
struct Projects {
    loaded: HashMap<Option<PathBuf>, Arc<Project>>,
    /// Where a file with no configuration above it keeps its baseline.
    fallback_root: Option<PathBuf>,
}

impl Projects {
    fn new(fallback_root: Option<PathBuf>) -> Self {
        Projects {
            loaded: HashMap::new(),
            fallback_root,
        }
    }

    /// The project of a file, and what went wrong loading it (only when
    /// it was loaded now).
    fn for_file(&mut self, path: &Path) -> (Arc<Project>, Vec<String>) {
        let dir = path.parent().unwrap_or(Path::new("."));
        let config_path = config::discover(dir);
        if let Some(project) = self.loaded.get(&config_path) {
            if !project.is_stale() {
                return (project.clone(), Vec::new());
            }
        }
        let root = self.fallback_root.as_deref().unwrap_or(dir);
        let (project, problems) = Project::load(config_path.as_deref(), root);
        let project = Arc::new(project);
        self.loaded.insert(config_path, project.clone());
        (project, problems)
    }
}

/// An open document: its text as the editor has it, and what was shown
/// for it last (what code actions and hovers refer to).
struct Document {
    path: PathBuf,
    text: String,
    version: Option<i32>,
    shown: Vec<Diagnostic>,
    project: Option<Arc<Project>>,
}

struct Server {
    conn: Connection,
    encoding: Encoding,
    documents: HashMap<lsp::Url, Document>,
    projects: Projects,
    /// Documents changed while typing, and when to check them.
    due: HashMap<lsp::Url, Instant>,
}

/// A document's path: its file, or for an unsaved buffer the URI's path
/// (used only to pick settings and a baseline key).
fn path_of(uri: &lsp::Url) -> PathBuf {
    uri.to_file_path()
        .unwrap_or_else(|_| PathBuf::from(uri.path()))
}

impl Server {
    /// Reads messages until the client shuts the server down, checking
    /// changed documents whenever typing pauses.
    fn serve(&mut self) -> anyhow::Result<()> {
        loop {
            let next = self.due.values().min().copied();
            let message = match next {
                Some(when) => {
                    let wait = when.saturating_duration_since(Instant::now());
                    match self.conn.receiver.recv_timeout(wait) {
                        Ok(message) => message,
                        Err(e) if e.is_timeout() => {
                            self.check_due()?;
                            continue;
                        }
                        Err(_) => return Ok(()),
                    }
                }
                None => match self.conn.receiver.recv() {
                    Ok(message) => message,
                    Err(_) => return Ok(()),
                },
            };
            match message {
                Message::Request(request) => self.on_request(request)?,
                // After `shutdown`; a client that quits without it just
                // closes the pipe, which ends the loop above.
                Message::Notification(n) if n.method == "exit" => return Ok(()),
                Message::Notification(notification) => self.on_notification(notification)?,
                Message::Response(_) => {} // the server asks the client nothing it waits for
            }
        }
    }

    fn check_due(&mut self) -> anyhow::Result<()> {
        let now = Instant::now();
        let ready: Vec<lsp::Url> = self
            .due
            .iter()
            .filter(|(_, when)| **when <= now)
            .map(|(uri, _)| uri.clone())
            .collect();
        for uri in ready {
            self.due.remove(&uri);
            self.check(&uri)?;
        }
        Ok(())
    }

    fn on_notification(&mut self, n: Notification) -> anyhow::Result<()> {
        use lsp::notification::*;
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                let p: lsp::DidOpenTextDocumentParams = serde_json::from_value(n.params)?;
                let uri = p.text_document.uri;
                let document = Document {
                    path: path_of(&uri),
                    text: p.text_document.text,
                    version: Some(p.text_document.version),
                    shown: Vec::new(),
                    project: None,
                };
                self.documents.insert(uri.clone(), document);
                self.check(&uri)?;
            }
            DidChangeTextDocument::METHOD => {
                let p: lsp::DidChangeTextDocumentParams = serde_json::from_value(n.params)?;
                let uri = p.text_document.uri;
                if let Some(doc) = self.documents.get_mut(&uri) {
                    for change in p.content_changes {
                        apply_change(&mut doc.text, change, self.encoding);
                    }
                    doc.version = Some(p.text_document.version);
                    self.due.insert(uri, Instant::now() + DEBOUNCE);
                }
            }
            DidSaveTextDocument::METHOD => {
                let p: lsp::DidSaveTextDocumentParams = serde_json::from_value(n.params)?;
                let uri = p.text_document.uri;
                if is_configuration(&path_of(&uri)) {
                    // Its settings apply to every open document under it.
                    let now = Instant::now();
                    for open in self.documents.keys() {
                        self.due.insert(open.clone(), now);
                    }
                } else {
                    self.due.remove(&uri);
                    self.check(&uri)?;
                }
            }
            DidCloseTextDocument::METHOD => {
                let p: lsp::DidCloseTextDocumentParams = serde_json::from_value(n.params)?;
                let uri = p.text_document.uri;
                self.documents.remove(&uri);
                self.due.remove(&uri);
                self.publish(uri, Vec::new(), None)?;
            }
            _ => {} // $/cancelRequest, workspace changes: nothing to do
        }
        Ok(())
    }

    fn on_request(&mut self, request: Request) -> anyhow::Result<()> {
        use lsp::request::*;
        let id = request.id.clone();
        let result = match request.method.as_str() {
            Shutdown::METHOD => serde_json::Value::Null,
            CodeActionRequest::METHOD => {
                let p: lsp::CodeActionParams = serde_json::from_value(request.params)?;
                serde_json::to_value(self.code_actions(&p))?
            }
            HoverRequest::METHOD => {
                let p: lsp::HoverParams = serde_json::from_value(request.params)?;
                serde_json::to_value(self.hover(&p))?
            }
            ExecuteCommand::METHOD => {
                let p: lsp::ExecuteCommandParams = serde_json::from_value(request.params)?;
                match self.execute(&p) {
                    Ok(()) => serde_json::Value::Null,
                    Err(e) => return self.fail(id, ErrorCode::RequestFailed, format!("{e:#}")),
                }
            }
            other => {
                let message = format!("kzlint does not answer `{other}`");
                return self.fail(id, ErrorCode::MethodNotFound, message);
            }
        };
        self.send(Message::Response(Response::new_ok(id, result)))
    }

    fn fail(&self, id: RequestId, code: ErrorCode, message: String) -> anyhow::Result<()> {
        self.send(Message::Response(Response::new_err(
            id,
            code as i32,
            message,
        )))
    }

    fn send(&self, message: Message) -> anyhow::Result<()> {
        self.conn
            .sender
            .send(message)
            .context("the client went away")
    }

    fn notify<N: lsp::notification::Notification>(&self, params: N::Params) -> anyhow::Result<()> {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_string(),
            params,
        )))
    }

    /// Checks a document and publishes what the user should see.
    fn check(&mut self, uri: &lsp::Url) -> anyhow::Result<()> {
        let Some(doc) = self.documents.get_mut(uri) else {
            return Ok(());
        };
        let (project, problems) = self.projects.for_file(&doc.path);
        let file = SourceFile::new(&doc.path, doc.text.as_str());
        doc.shown = project.check(&file);
        doc.project = Some(project.clone());
        let index = LineIndex::new(&doc.text, self.encoding);
        let diagnostics = doc
            .shown
            .iter()
            .map(|d| {
                let link = project.rules.get(&d.rule).and_then(rule_file_url);
                to_lsp(d, &index, uri, link)
            })
            .collect();
        let version = doc.version;
        for problem in problems {
            self.notify::<lsp::notification::ShowMessage>(lsp::ShowMessageParams {
                typ: lsp::MessageType::ERROR,
                message: format!("kzlint: {problem}"),
            })?;
        }
        self.publish(uri.clone(), diagnostics, version)
    }

    fn publish(
        &self,
        uri: lsp::Url,
        diagnostics: Vec<lsp::Diagnostic>,
        version: Option<i32>,
    ) -> anyhow::Result<()> {
        self.notify::<lsp::notification::PublishDiagnostics>(lsp::PublishDiagnosticsParams {
            uri,
            diagnostics,
            version,
        })
    }

    /// Each fix of a finding in the range, safe ones preferred, and for
    /// each rule found there, accepting its findings in this file.
    fn code_actions(&self, p: &lsp::CodeActionParams) -> Vec<lsp::CodeActionOrCommand> {
        let uri = &p.text_document.uri;
        let Some(doc) = self.documents.get(uri) else {
            return Vec::new();
        };
        let index = LineIndex::new(&doc.text, self.encoding);
        let asked = index.span(p.range);
        let here: Vec<&Diagnostic> = doc
            .shown
            .iter()
            .filter(|d| d.span.start <= asked.end && asked.start <= d.span.end)
            .collect();
        let mut actions = Vec::new();
        for d in &here {
            if let Some(action) = fix_action(d, &doc.text, &index, uri) {
                actions.push(lsp::CodeActionOrCommand::CodeAction(action));
            }
        }
        let mut rules: Vec<&str> = here.iter().map(|d| d.rule.as_str()).collect();
        rules.dedup();
        for rule in rules {
            let title = format!("kzlint: accept every `{rule}` finding in this file (baseline)");
            actions.push(lsp::CodeActionOrCommand::CodeAction(lsp::CodeAction {
                title: title.clone(),
                kind: Some(lsp::CodeActionKind::QUICKFIX),
                command: Some(lsp::Command {
                    title,
                    command: ACCEPT_COMMAND.into(),
                    arguments: Some(vec![uri.to_string().into(), rule.into()]),
                }),
                ..Default::default()
            }));
        }
        actions
    }

    /// The documentation of the rules of the findings under the cursor.
    fn hover(&self, p: &lsp::HoverParams) -> Option<lsp::Hover> {
        let at = &p.text_document_position_params;
        let doc = self.documents.get(&at.text_document.uri)?;
        let project = doc.project.as_ref()?;
        let offset = LineIndex::new(&doc.text, self.encoding).offset(at.position);
        let mut rules: Vec<&str> = doc
            .shown
            .iter()
            .filter(|d| d.span.start <= offset && offset <= d.span.end)
            .map(|d| d.rule.as_str())
            .collect();
        rules.dedup();
        let text: Vec<String> = rules
            .iter()
            .filter_map(|id| project.rules.get(id))
            .map(|rule| rule.explanation())
            .collect();
        (!text.is_empty()).then(|| lsp::Hover {
            contents: lsp::HoverContents::Markup(lsp::MarkupContent {
                kind: lsp::MarkupKind::Markdown,
                value: text.join("\n---\n"),
            }),
            range: None,
        })
    }

    fn execute(&mut self, p: &lsp::ExecuteCommandParams) -> anyhow::Result<()> {
        if p.command != ACCEPT_COMMAND {
            anyhow::bail!("no command `{}`", p.command);
        }
        let [uri, rule] = p.arguments.as_slice() else {
            anyhow::bail!("{ACCEPT_COMMAND} takes a document URI and a rule id");
        };
        let (Some(uri), Some(rule)) = (uri.as_str(), rule.as_str()) else {
            anyhow::bail!("{ACCEPT_COMMAND} takes a document URI and a rule id");
        };
        let uri = lsp::Url::parse(uri).context("not a URI")?;
        let doc = self
            .documents
            .get(&uri)
            .with_context(|| format!("{uri} is not open"))?;
        let (project, _) = self.projects.for_file(&doc.path);
        let file = SourceFile::new(&doc.path, doc.text.as_str());
        let n = project.accept(&file, rule)?;
        self.notify::<lsp::notification::LogMessage>(lsp::LogMessageParams {
            typ: lsp::MessageType::INFO,
            message: format!(
                "kzlint: {n} `{rule}` finding(s) added to {}",
                project.baseline_file.display()
            ),
        })?;
        self.check(&uri)
    }
}

fn is_configuration(path: &Path) -> bool {
    path.file_name()
        .and_then(|n| n.to_str())
        .is_some_and(|n| config::FILE_NAMES.contains(&n))
}

/// Applies one edit from the client: the whole text, or a range of it.
fn apply_change(
    text: &mut String,
    change: lsp::TextDocumentContentChangeEvent,
    encoding: Encoding,
) {
    match change.range {
        None => *text = change.text,
        Some(range) => {
            let span = LineIndex::new(text, encoding).span(range);
            text.replace_range(span.start..span.end, &change.text);
        }
    }
}

/// The rule's own file, where it is on disk (a user's rule folder, or the
/// rules/ of a kzlint checkout): its description and examples are the
/// rule's documentation. A built-in rule elsewhere has no file; hovering
/// the diagnostic shows the same text.
fn rule_file_url(rule: &kzlint::rules::Rule) -> Option<lsp::Url> {
    let path = std::fs::canonicalize(&rule.origin).ok()?;
    path.is_file()
        .then(|| lsp::Url::from_file_path(&path).ok())
        .flatten()
}

fn to_lsp(
    d: &Diagnostic,
    index: &LineIndex<'_>,
    uri: &lsp::Url,
    link: Option<lsp::Url>,
) -> lsp::Diagnostic {
    let severity = match d.severity {
        Severity::Error => lsp::DiagnosticSeverity::ERROR,
        Severity::Warning => lsp::DiagnosticSeverity::WARNING,
        Severity::Info => lsp::DiagnosticSeverity::INFORMATION,
    };
    let related: Vec<lsp::DiagnosticRelatedInformation> = d
        .labels
        .iter()
        .map(|l| lsp::DiagnosticRelatedInformation {
            location: lsp::Location::new(uri.clone(), index.range(l.span)),
            message: l.message.clone(),
        })
        .collect();
    let mut message = d.message.clone();
    if let Some(help) = &d.help {
        message.push_str("\nhelp: ");
        message.push_str(help);
    }
    lsp::Diagnostic {
        range: index.range(d.span),
        severity: Some(severity),
        code: Some(lsp::NumberOrString::String(d.rule.clone())),
        code_description: link.map(|href| lsp::CodeDescription { href }),
        source: Some("kzlint".into()),
        message,
        related_information: (!related.is_empty()).then_some(related),
        ..Default::default()
    }
}

/// A finding's fix as a quick fix editing exactly what `--fix` would.
fn fix_action(
    d: &Diagnostic,
    text: &str,
    index: &LineIndex<'_>,
    uri: &lsp::Url,
) -> Option<lsp::CodeAction> {
    let fix = d.fix.as_ref()?;
    if fix.applicability == Applicability::Display {
        return None;
    }
    let span = edited_span(text, d.span, &fix.replacement);
    let edit = lsp::TextEdit::new(index.range(span), fix.replacement.clone());
    Some(lsp::CodeAction {
        title: format!("kzlint: {} ({})", fix.describe(), d.rule),
        kind: Some(lsp::CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![to_lsp(d, index, uri, None)]),
        edit: Some(lsp::WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), vec![edit])])),
            ..Default::default()
        }),
        is_preferred: Some(fix.applicability == Applicability::Safe),
        ..Default::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_count_utf16_units_or_bytes_and_every_line_ending() {
        // "“" is 3 bytes and 1 UTF-16 unit; "😀" 4 bytes and 2 units.
        let text = "a\r\n“😀” x\rlast\n";
        let x = text.find('x').unwrap();
        let utf16 = LineIndex::new(text, Encoding::Utf16);
        assert_eq!(utf16.position(x), lsp::Position::new(1, 5));
        assert_eq!(utf16.offset(lsp::Position::new(1, 5)), x);
        let utf8 = LineIndex::new(text, Encoding::Utf8);
        assert_eq!(utf8.position(x), lsp::Position::new(1, 11));
        assert_eq!(utf8.offset(lsp::Position::new(1, 11)), x);
        // A lone CR ends a line too; past a line's end is its end.
        assert_eq!(
            utf16.position(text.find("last").unwrap()),
            lsp::Position::new(2, 0)
        );
        assert_eq!(utf16.offset(lsp::Position::new(0, 99)), 1);
        assert_eq!(utf16.offset(lsp::Position::new(9, 0)), text.len());
    }

    #[test]
    fn incremental_changes_edit_the_text_in_the_clients_units() {
        let mut text = "“Hi” said 😀 Ann\n".to_string();
        let change = lsp::TextDocumentContentChangeEvent {
            range: Some(lsp::Range::new(
                lsp::Position::new(0, 13),
                lsp::Position::new(0, 16),
            )),
            range_length: None,
            text: "Bo".into(),
        };
        apply_change(&mut text, change, Encoding::Utf16);
        assert_eq!(text, "“Hi” said 😀 Bo\n");
    }
}
