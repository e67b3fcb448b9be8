//! `kzlint lsp` driven by a scripted client over real pipes: initialize,
//! didOpen, didChange, codeAction, executeCommand, hover, shutdown, on text
//! with curly quotes, an emoji and CRLF line endings.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::Path;
use std::process::{Child, ChildStdin, ChildStdout, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use serde_json::{json, Value};

/// The article: a vague source after curly quotes and an emoji on one line
/// (columns differ in bytes, characters and UTF-16 units), and residue.
const TEXT: &str = "Ferry fares to rise\r\n\r\n“Prices will rise again” 😀, officials said on Monday, as the island ferry returned to service after a week of storms that had kept the boats in port.\r\n\r\nThe operator said the new timetable would start in May and that the old boats would be replaced within two years.\r\n\r\nSource link\r\n";

struct Client {
    child: Child,
    stdin: ChildStdin,
    messages: mpsc::Receiver<Value>,
    backlog: Vec<Value>,
    next_id: u64,
}

impl Client {
    fn start(cwd: &Path) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_kzlint"))
            .arg("lsp")
            .current_dir(cwd)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("kzlint lsp starts");
        let stdin = child.stdin.take().unwrap();
        let stdout = child.stdout.take().unwrap();
        let (tx, messages) = mpsc::channel();
        std::thread::spawn(move || read_messages(stdout, tx));
        Client {
            child,
            stdin,
            messages,
            backlog: Vec::new(),
            next_id: 1,
        }
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        write!(self.stdin, "Content-Length: {}\r\n\r\n{body}", body.len()).unwrap();
        self.stdin.flush().unwrap();
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({"jsonrpc": "2.0", "method": method, "params": params}));
    }

    /// Sends a request and waits for its response (skipping notifications).
    fn request(&mut self, method: &str, params: Value) -> Value {
        let id = self.next_id;
        self.next_id += 1;
        self.send(json!({"jsonrpc": "2.0", "id": id, "method": method, "params": params}));
        let response = self.wait_for(|m| m["id"] == json!(id) && m.get("method").is_none());
        assert!(response.get("error").is_none(), "{method}: {response}");
        response["result"].clone()
    }

    /// The first message, in order of arrival, that `wanted` takes; those
    /// it passes over stay for later waits (a notification may come
    /// before the response a test waits for).
    fn wait_for(&mut self, wanted: impl Fn(&Value) -> bool) -> Value {
        if let Some(i) = self.backlog.iter().position(&wanted) {
            return self.backlog.remove(i);
        }
        loop {
            let message = self
                .messages
                .recv_timeout(Duration::from_secs(30))
                .expect("the server answers within 30 s");
            if wanted(&message) {
                return message;
            }
            self.backlog.push(message);
        }
    }

    /// The next diagnostics published for `uri`.
    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let m = self.wait_for(|m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        m["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn initialize(&mut self, root: &Path, encodings: &[&str]) -> Value {
        let root_uri = format!("file://{}", root.display());
        let result = self.request(
            "initialize",
            json!({
                "processId": null,
                "rootUri": root_uri,
                "capabilities": {"general": {"positionEncodings": encodings}},
            }),
        );
        self.notify("initialized", json!({}));
        result
    }

    fn shut_down(mut self) {
        self.request("shutdown", Value::Null);
        self.notify("exit", Value::Null);
        let status = self.child.wait().unwrap();
        assert!(status.success(), "{status}");
    }
}

fn read_messages(stdout: ChildStdout, tx: mpsc::Sender<Value>) {
    let mut reader = BufReader::new(stdout);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = Some(n.parse::<usize>().unwrap());
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        reader.read_exact(&mut body).unwrap();
        if tx.send(serde_json::from_slice(&body).unwrap()).is_err() {
            return;
        }
    }
}

fn by_rule<'a>(diagnostics: &'a [Value], rule: &str) -> Option<&'a Value> {
    diagnostics.iter().find(|d| d["code"] == rule)
}

fn open(client: &mut Client, uri: &str, text: &str) {
    client.notify(
        "textDocument/didOpen",
        json!({"textDocument": {"uri": uri, "languageId": "text", "version": 1, "text": text}}),
    );
}

#[test]
fn diagnostics_fixes_hover_and_baseline_through_the_protocol() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let path = root.join("a.txt");
    std::fs::write(&path, TEXT).unwrap();
    let uri = format!("file://{}", path.display());

    let mut client = Client::start(&root);
    let init = client.initialize(&root, &["utf-16"]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-16");
    open(&mut client, &uri, TEXT);
    let found = client.diagnostics(&uri);

    // Positions in UTF-16 units: “ and ” are one unit each, 😀 two.
    let vague = by_rule(&found, "attribution/vague-source").expect("a vague source");
    let line = TEXT.split("\r\n").nth(2).unwrap();
    let before = &line[..line.find("officials").unwrap()];
    let units = before.encode_utf16().count();
    assert_eq!(
        vague["range"]["start"],
        json!({"line": 2, "character": units})
    );
    assert_eq!(vague["severity"], 2);
    assert_eq!(vague["source"], "kzlint");
    let residue = by_rule(&found, "syndication/source-link").expect("residue");
    assert_eq!(
        residue["range"]["start"],
        json!({"line": 6, "character": 0})
    );

    // The residue's safe fix removes its line and line break, as --fix does.
    let actions = client.request(
        "textDocument/codeAction",
        json!({
            "textDocument": {"uri": uri},
            "range": residue["range"],
            "context": {"diagnostics": [residue]},
        }),
    );
    let actions = actions.as_array().unwrap();
    let fix = actions
        .iter()
        .find(|a| a["edit"].is_object())
        .expect("a quick fix");
    assert_eq!(fix["isPreferred"], true);
    let edit = &fix["edit"]["changes"][&uri][0];
    assert_eq!(edit["newText"], "");
    assert_eq!(
        edit["range"],
        json!({"start": {"line": 6, "character": 0}, "end": {"line": 7, "character": 0}})
    );
    assert!(actions
        .iter()
        .any(|a| a["command"]["command"] == "kzlint.acceptInBaseline"));

    // The rule's own documentation on hover.
    let hover = client.request(
        "textDocument/hover",
        json!({"textDocument": {"uri": uri}, "position": vague["range"]["start"]}),
    );
    let docs = hover["contents"]["value"].as_str().unwrap();
    assert!(docs.starts_with("attribution/vague-source"), "{docs}");

    // Typing: the edited text is checked again once typing pauses.
    let edited = TEXT.replace("Source link\r\n", "");
    client.notify(
        "textDocument/didChange",
        json!({
            "textDocument": {"uri": uri, "version": 2},
            "contentChanges": [{"text": edited}],
        }),
    );
    let found = client.diagnostics(&uri);
    assert!(by_rule(&found, "syndication/source-link").is_none());
    assert!(by_rule(&found, "attribution/vague-source").is_some());

    // Accepting a rule's findings writes the baseline and hides them.
    client.request(
        "workspace/executeCommand",
        json!({"command": "kzlint.acceptInBaseline", "arguments": [uri, "attribution/vague-source"]}),
    );
    let found = client.diagnostics(&uri);
    assert!(by_rule(&found, "attribution/vague-source").is_none());
    let baseline = std::fs::read_to_string(root.join(".kzlint-baseline.json")).unwrap();
    assert!(baseline.contains("\"path\": \"a.txt\""), "{baseline}");

    client.shut_down();
}

#[test]
fn utf8_positions_when_the_client_offers_them_and_configuration_reloads() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let path = root.join("a.txt");
    let uri = format!("file://{}", path.display());
    std::fs::write(&path, TEXT).unwrap();

    let mut client = Client::start(&root);
    let init = client.initialize(&root, &["utf-8", "utf-16"]);
    assert_eq!(init["capabilities"]["positionEncoding"], "utf-8");
    open(&mut client, &uri, TEXT);
    let found = client.diagnostics(&uri);
    let vague = by_rule(&found, "attribution/vague-source").unwrap();
    let line = TEXT.split("\r\n").nth(2).unwrap();
    let bytes = line.find("officials").unwrap();
    assert_eq!(vague["range"]["start"]["character"], bytes);

    // A kzlint.toml written beside the file applies at the next check.
    std::fs::write(root.join("kzlint.toml"), "disable = [\"attribution\"]\n").unwrap();
    client.notify(
        "textDocument/didSave",
        json!({"textDocument": {"uri": uri}}),
    );
    let found = client.diagnostics(&uri);
    assert!(by_rule(&found, "attribution/vague-source").is_none());
    assert!(by_rule(&found, "syndication/source-link").is_some());
    client.shut_down();
}

/// A diagnostic links to its rule's own file where the rule has one on
/// disk (a user's folder); a built-in rule has none outside a checkout.
#[test]
fn a_user_rule_links_to_its_file_as_the_code_description() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().canonicalize().unwrap();
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/house-rules");
    let rules = root.join("house-rules");
    std::fs::create_dir_all(rules.join("house")).unwrap();
    for rel in ["categories.toml", "house/banned-verb.toml"] {
        std::fs::copy(fixture.join(rel), rules.join(rel)).unwrap();
    }
    std::fs::write(root.join("kzlint.toml"), "rules = [\"house-rules\"]\n").unwrap();
    let text = "The senator slammed the budget on Tuesday.\n\nSource link\n";
    let path = root.join("a.txt");
    std::fs::write(&path, text).unwrap();
    let uri = format!("file://{}", path.display());

    let mut client = Client::start(&root);
    client.initialize(&root, &["utf-16"]);
    open(&mut client, &uri, text);
    let found = client.diagnostics(&uri);
    let house = by_rule(&found, "house/banned-verb").expect("the user rule's finding");
    let href = house["codeDescription"]["href"].as_str().expect("a link");
    assert_eq!(
        href,
        format!("file://{}", rules.join("house/banned-verb.toml").display())
    );
    let residue = by_rule(&found, "syndication/source-link").expect("residue");
    assert!(residue.get("codeDescription").is_none(), "{residue}");
    client.shut_down();
}
