//! `parity lsp` driven by a scripted client over its standard input and
//! output (JSON-RPC with Content-Length framing): diagnostics as a document
//! is opened and changed, hover, definition, completion, rule files, and
//! input no client should send.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use serde_json::{Value, json};
use std::io::{BufRead, BufReader, Read, Write};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{Receiver, channel};
use std::time::Duration;

struct Client {
    child: Child,
    stdin: Option<ChildStdin>,
    messages: Receiver<Value>,
    next_id: i64,
}

/// Reads framed messages until the stream ends.
fn read_frames(out: impl Read, send: std::sync::mpsc::Sender<Value>) {
    let mut out = BufReader::new(out);
    loop {
        let mut length = None;
        loop {
            let mut line = String::new();
            if out.read_line(&mut line).unwrap_or(0) == 0 {
                return;
            }
            let line = line.trim_end();
            if line.is_empty() {
                break;
            }
            if let Some(n) = line.strip_prefix("Content-Length: ") {
                length = n.parse::<usize>().ok();
            }
        }
        let mut body = vec![0; length.expect("a Content-Length header")];
        if out.read_exact(&mut body).is_err() {
            return;
        }
        if send.send(serde_json::from_slice(&body).unwrap()).is_err() {
            return;
        }
    }
}

impl Client {
    fn start() -> Client {
        Client::start_with(&[])
    }

    /// The server with `args` after `parity --no-config lsp`.
    fn start_with(args: &[&str]) -> Client {
        let mut child = Command::new(env!("CARGO_BIN_EXE_parity"))
            .args(["--no-config", "lsp"])
            .args(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        let (send, messages) = channel();
        let out = child.stdout.take().unwrap();
        std::thread::spawn(move || read_frames(out, send));
        let stdin = child.stdin.take();
        Client {
            child,
            stdin,
            messages,
            next_id: 0,
        }
    }

    fn raw(&mut self, bytes: &[u8]) {
        let stdin = self.stdin.as_mut().unwrap();
        stdin.write_all(bytes).unwrap();
        stdin.flush().unwrap();
    }

    fn send(&mut self, message: Value) {
        let body = message.to_string();
        self.raw(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
    }

    fn notify(&mut self, method: &str, params: Value) {
        self.send(json!({ "jsonrpc": "2.0", "method": method, "params": params }));
    }

    /// The next message that `wanted` accepts (others are dropped), within 20 s.
    fn wait(&mut self, what: &str, wanted: impl Fn(&Value) -> bool) -> Value {
        loop {
            match self.messages.recv_timeout(Duration::from_secs(20)) {
                Ok(message) if wanted(&message) => return message,
                Ok(_) => {}
                Err(_) => panic!("no {what} from the server"),
            }
        }
    }

    fn request(&mut self, method: &str, params: Value) -> Value {
        self.next_id += 1;
        let id = self.next_id;
        self.send(json!({ "jsonrpc": "2.0", "id": id, "method": method, "params": params }));
        self.wait(&format!("answer to {method}"), |m| m["id"] == json!(id))
    }

    fn initialize(&mut self) -> Value {
        let answer = self.request(
            "initialize",
            json!({ "processId": null, "rootUri": null, "capabilities": {} }),
        );
        self.notify("initialized", json!({}));
        answer
    }

    fn diagnostics(&mut self, uri: &str) -> Vec<Value> {
        let message = self.wait("diagnostics", |m| {
            m["method"] == "textDocument/publishDiagnostics" && m["params"]["uri"] == uri
        });
        message["params"]["diagnostics"].as_array().unwrap().clone()
    }

    fn at(&mut self, method: &str, uri: &str, line: usize, character: usize) -> Value {
        self.request(
            method,
            json!({ "textDocument": { "uri": uri }, "position": { "line": line, "character": character } }),
        )["result"]
            .clone()
    }

    /// Shuts down and exits; the exit status.
    fn finish(mut self) -> Option<i32> {
        let answer = self.request("shutdown", Value::Null);
        assert_eq!(answer["result"], Value::Null, "{answer}");
        self.notify("exit", Value::Null);
        self.stdin = None;
        self.child.wait().unwrap().code()
    }
}

/// A synthetic scenario (invented for this test): a class-1 head one way,
/// class-2 the other, names and a city outside ASCII.
const SCENARIO: &str = r#"# Synthetic: invented for the language server's test.
scenario: lsp-test
as_of: 2024-01-01
states:
  - { id: CIV, name: "Côte d’Ivoire" }
  - { id: FRA, name: France }
missions:
  - id: civ-in-fra
    sender: CIV
    receiver: FRA
    kind: embassy
    city: "Zürich 𝄞"
    heads:
      - { rank: ambassador, from: 2020-01, credentials: { to: FRA, on: 2020-02 } }
  - id: fra-in-civ
    sender: FRA
    receiver: CIV
    kind: embassy
    heads:
      - { rank: envoy, from: 2020-01 }
relations:
  - { between: [CIV, FRA], status: established, from: 1961 }
expect:
  - claim: "exists(m in missions where m.id == fra-in-civ)"
waivers:
  - rule: rank-parity
    subject: fra-in-civ
    reason: a waiver of another subject set, so the finding stays
"#;

const URI: &str = "file:///work/scenarios/lsp%20test.yaml";

/// The 0-based line and UTF-16 column of the first `needle` after `after`.
fn place(text: &str, after: &str, needle: &str) -> (usize, usize) {
    let from = text.find(after).unwrap();
    let at = from + text[from..].find(needle).unwrap();
    let line = text[..at].matches('\n').count();
    let start = text[..at].rfind('\n').map_or(0, |i| i + 1);
    (line, text[start..at].encode_utf16().count())
}

fn range(d: &Value) -> (u64, u64, u64, u64) {
    let r = &d["range"];
    (
        r["start"]["line"].as_u64().unwrap(),
        r["start"]["character"].as_u64().unwrap(),
        r["end"]["line"].as_u64().unwrap(),
        r["end"]["character"].as_u64().unwrap(),
    )
}

fn of_code<'d>(diagnostics: &'d [Value], code: &str) -> &'d Value {
    diagnostics
        .iter()
        .find(|d| d["code"] == code)
        .unwrap_or_else(|| panic!("no {code} in {diagnostics:#?}"))
}

#[test]
fn a_scenario_gets_diagnostics_hover_definition_and_completion() {
    let mut client = Client::start();
    let init = client.initialize();
    let capabilities = &init["result"]["capabilities"];
    assert_eq!(capabilities["textDocumentSync"], 1, "{init}");
    assert_eq!(capabilities["hoverProvider"], true);
    assert_eq!(capabilities["definitionProvider"], true);
    assert_eq!(capabilities["positionEncoding"], "utf-16");

    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "yaml", "version": 1, "text": SCENARIO } }),
    );
    let diagnostics = client.diagnostics(URI);
    // rank-parity on the first subject's id, the second as related information.
    let parity = of_code(&diagnostics, "rank-parity");
    let (line, column) = place(SCENARIO, "missions:", "civ-in-fra");
    assert_eq!(
        range(parity),
        (line as u64, column as u64, line as u64, column as u64 + 10)
    );
    assert_eq!(parity["severity"], 1, "{parity}");
    assert!(
        parity["message"].as_str().unwrap().contains("class 1"),
        "{parity}"
    );
    let related = &parity["relatedInformation"][0];
    assert_eq!(related["location"]["uri"], URI);
    let (line, _) = place(SCENARIO, "civ-in-fra\n", "fra-in-civ");
    assert_eq!(related["location"]["range"]["start"]["line"], line);
    // The waiver of another subject set is unused, as `check` says.
    let unused = of_code(&diagnostics, "unused-waiver");
    assert_eq!(unused["severity"], 2, "{unused}");
    let (line, column) = place(SCENARIO, "waivers:", "rule: rank-parity");
    assert_eq!(range(unused).0, line as u64, "{unused}");
    assert_eq!(range(unused).1, column as u64, "{unused}");

    // Hover: a rank's class, an id's record, a waiver's rule.
    let (line, column) = place(SCENARIO, "fra-in-civ", "envoy");
    let hover = client.at("textDocument/hover", URI, line, column + 2);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(text.contains("class 2"), "{text}");
    let (line, column) = place(SCENARIO, "receiver: FRA", "CIV");
    let hover = client.at("textDocument/hover", URI, line, column);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("**state** `CIV`") && text.contains("Côte d’Ivoire"),
        "{text}"
    );
    let (line, column) = place(SCENARIO, "waivers:", "rank-parity");
    let hover = client.at("textDocument/hover", URI, line, column + 3);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("Heads of mission between two states are of equal class"),
        "{text}"
    );
    assert!(text.contains("VCDR art. 14-15"), "{text}");

    // Definition: a receiver is its state; a waiver's subject its mission.
    let (line, column) = place(SCENARIO, "receiver: FRA", "CIV");
    let definition = client.at("textDocument/definition", URI, line, column + 1);
    assert_eq!(definition["uri"], URI);
    let (want_line, want_column) = place(SCENARIO, "states:", "CIV");
    assert_eq!(definition["range"]["start"]["line"], want_line);
    assert_eq!(definition["range"]["start"]["character"], want_column);
    assert_eq!(definition["range"]["end"]["character"], want_column + 3);
    let (line, column) = place(SCENARIO, "subject:", "fra-in-civ");
    let definition = client.at("textDocument/definition", URI, line, column);
    let (want_line, _) = place(SCENARIO, "missions:", "- id: fra-in-civ");
    assert_eq!(definition["range"]["start"]["line"], want_line);

    // credentials.to, a relation's `between` and a claim's ids too.
    for (after, id, want_after) in [
        ("credentials: { to: ", "FRA", "states:"),
        ("between: [CIV, ", "FRA", "states:"),
        ("m.id == ", "fra-in-civ", "missions:"),
    ] {
        let (line, column) = place(SCENARIO, after, id);
        let definition = client.at("textDocument/definition", URI, line, column + 1);
        let (want_line, want_column) = place(SCENARIO, want_after, &format!("id: {id}"));
        assert_eq!(definition["range"]["start"]["line"], want_line, "{after}");
        assert_eq!(
            definition["range"]["start"]["character"],
            want_column + 4,
            "{after}"
        );
    }

    // Completion: a mission's keys, a kind's words, the states a sender may be.
    let labels = |result: &Value| -> Vec<String> {
        result
            .as_array()
            .unwrap()
            .iter()
            .map(|i| i["label"].as_str().unwrap().to_string())
            .collect()
    };
    let (line, _) = place(SCENARIO, "civ-in-fra", "    sender");
    let keys = labels(&client.at("textDocument/completion", URI, line, 4));
    for key in ["sender", "staff", "protecting_power", "until"] {
        assert!(keys.contains(&key.to_string()), "{key} not in {keys:?}");
    }
    // Keys the mission already has are not offered again.
    for key in ["id", "receiver", "heads", "city"] {
        assert!(!keys.contains(&key.to_string()), "{key} in {keys:?}");
    }
    assert!(!keys.contains(&"rank".to_string()), "{keys:?}");
    let (line, column) = place(SCENARIO, "civ-in-fra", "embassy");
    let kinds = labels(&client.at("textDocument/completion", URI, line, column));
    assert!(
        kinds.contains(&"consulate-general".to_string()),
        "{kinds:?}"
    );
    let (line, column) = place(SCENARIO, "fra-in-civ", "FRA");
    let ids = labels(&client.at("textDocument/completion", URI, line, column));
    assert_eq!(ids, ["CIV", "FRA"]);
    let (line, column) = place(SCENARIO, "fra-in-civ", "envoy");
    let ranks = labels(&client.at("textDocument/completion", URI, line, column));
    assert!(
        ranks.contains(&"charge-d-affaires-ai".to_string()),
        "{ranks:?}"
    );

    // A change: a misspelt kind after non-ASCII text on its line, located in
    // UTF-16 code units with the CLI's help.
    let changed = SCENARIO.replace(
        "    kind: embassy\n    city: \"Zürich 𝄞\"",
        "    city: \"Zürich 𝄞\"\n    kind: embasy",
    );
    let changed = changed.replace(
        "  - { id: FRA, name: France }",
        "  - { id: FRA, name: \"Frañce 𝄞\", kind: stat }",
    );
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 2 }, "contentChanges": [{ "text": changed }] }),
    );
    let diagnostics = client.diagnostics(URI);
    let kind = diagnostics
        .iter()
        .find(|d| d["message"].as_str().unwrap_or("").contains("`stat`"))
        .unwrap_or_else(|| panic!("no error about `stat` in {diagnostics:#?}"));
    let (line, column) = place(&changed, "Frañce", "stat");
    let (l, c, _, end) = range(kind);
    assert_eq!((l, c), (line as u64, column as u64), "{kind}");
    assert_eq!(end, column as u64 + 4, "{kind}");
    let embasy = of_code(&diagnostics, "unknown-kind");
    assert!(
        embasy["message"]
            .as_str()
            .unwrap()
            .contains("help: did you mean `embassy`?"),
        "{embasy}"
    );
    // Input errors stop the check, as in `check`: no findings.
    assert!(
        diagnostics.iter().all(|d| d["code"] != "rank-parity"),
        "{diagnostics:#?}"
    );

    // A claim that fails is an error on the claim, as `check` reports it.
    let failing = SCENARIO.replace("\"exists(m in", "\"not exists(m in");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 3 }, "contentChanges": [{ "text": failing }] }),
    );
    let diagnostics = client.diagnostics(URI);
    let claim = of_code(&diagnostics, "claim");
    // From the opening quote to the closing one, where `check` locates it.
    let (line, column) = place(&failing, "claim: ", "\"not exists");
    let (_, end) = place(&failing, "claim: ", "\"\n");
    assert_eq!(
        range(claim),
        (line as u64, column as u64, line as u64, end as u64 + 1),
        "{claim}"
    );
    assert_eq!(claim["severity"], 1);
    of_code(&diagnostics, "rank-parity");

    // Closing clears the document's diagnostics.
    client.notify(
        "textDocument/didClose",
        json!({ "textDocument": { "uri": URI } }),
    );
    assert!(client.diagnostics(URI).is_empty());
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn a_rule_file_gets_its_errors_and_hover() {
    let uri = "file:///work/rules/mine.rules";
    let rules = "rule my-rule {\n  title    \"Embassies have heads\"\n  severity warning\n  cite     \"synthetic\"\n  about    \"Written for the test.\"\n  for m in missions\n  where m.kind == embassy\n  require m.head.rank != none\n  message \"{m.id} has no head\"\n}\n";
    let mut client = Client::start();
    client.initialize();
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "parity-rules", "version": 1, "text": rules } }),
    );
    assert_eq!(client.diagnostics(uri), Vec::<Value>::new());
    let hover = client.at("textDocument/hover", uri, 0, 7);
    let text = hover["contents"]["value"].as_str().unwrap();
    assert!(
        text.contains("Embassies have heads") && text.contains("Written for the test."),
        "{text}"
    );
    let hover = client.at("textDocument/hover", uri, 7, 20);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("rank"),
        "{hover}"
    );
    // A variable: what it ranges over, and its binding.
    let hover = client.at("textDocument/hover", uri, 6, 9);
    assert!(
        hover["contents"]["value"]
            .as_str()
            .unwrap()
            .contains("for m in missions"),
        "{hover}"
    );
    let definition = client.at("textDocument/definition", uri, 7, 10);
    assert_eq!(
        definition["range"]["start"],
        json!({ "line": 5, "character": 6 }),
        "{definition}"
    );
    assert_eq!(
        definition["range"]["end"],
        json!({ "line": 5, "character": 7 }),
        "{definition}"
    );
    // A misspelt field, and a rule id the standard rules already have.
    let broken = rules
        .replace("m.head.rank", "m.head.rnak")
        .replace("rule my-rule", "rule rank-parity");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 2 }, "contentChanges": [{ "text": broken }] }),
    );
    let diagnostics = client.diagnostics(uri);
    let duplicate = of_code(&diagnostics, "duplicate-rule");
    assert_eq!(range(duplicate), (0, 5, 0, 16), "{duplicate}");
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": uri, "version": 3 }, "contentChanges": [{ "text": rules.replace("m.head.rank", "m.head.rnak") }] }),
    );
    let diagnostics = client.diagnostics(uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let (l, c, _, _) = range(&diagnostics[0]);
    assert_eq!((l, c), (7, 17), "{diagnostics:#?}");
    assert!(
        diagnostics[0]["message"]
            .as_str()
            .unwrap()
            .contains("did you mean `rank`?"),
        "{diagnostics:#?}"
    );
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn malformed_input_is_answered_and_never_stops_the_server() {
    let mut client = Client::start();
    // Before initialize: a request is refused, not answered.
    let early = client.request("textDocument/hover", json!({}));
    assert_eq!(early["error"]["code"], -32002, "{early}");
    client.raw(b"Content-Length: 9\r\n\r\nnot json!");
    let error = client.wait("parse error", |m| m["error"]["code"] == -32700);
    assert_eq!(error["id"], Value::Null);
    client.raw(b"Content-Type: nothing\r\n\r\n");
    client.wait("parse error", |m| m["error"]["code"] == -32700);
    client.raw(b"Content-Length: lots\r\n\r\n");
    client.wait("parse error", |m| m["error"]["code"] == -32700);
    // JSON that is no message is an invalid request (JSON-RPC 2.0, §5.1).
    client.raw(b"Content-Length: 2\r\n\r\n[]");
    let invalid = client.wait("invalid request", |m| m["error"]["code"] == -32600);
    assert_eq!(invalid["id"], Value::Null);
    client.initialize();
    let unknown = client.request("workspace/frobnicate", json!({}));
    assert_eq!(unknown["error"]["code"], -32601, "{unknown}");
    let bad = client.request("textDocument/hover", json!({ "position": "here" }));
    assert_eq!(bad["error"]["code"], -32602, "{bad}");
    // Unknown notifications and documents are passed over.
    client.notify("$/somethingElse", json!([1, 2]));
    let nothing = client.at("textDocument/hover", "file:///nowhere.yaml", 0, 0);
    assert_eq!(nothing, Value::Null);
    // A document of every kind of bad text: still answered.
    let uri = "file:///bad.yaml";
    for text in [
        "scenario: [\n".to_string(),
        "scenario: x\nstates:\n  - { id: \u{202e}AFG, name: \"\\u0000\" }\n".to_string(),
        "\u{feff}scenario: x\n".to_string()
            + &"a: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[\n".repeat(3),
        "".to_string(),
    ] {
        client.notify(
            "textDocument/didOpen",
            json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
        );
        client.diagnostics(uri);
        for (line, character) in [(0, 0), (1, 5), (2, 99), (99, 0)] {
            client.at("textDocument/hover", uri, line, character);
            client.at("textDocument/completion", uri, line, character);
            client.at("textDocument/definition", uri, line, character);
        }
    }
    assert_eq!(client.finish(), Some(0));
}

#[test]
fn a_document_over_the_limit_is_refused_as_check_refuses_it() {
    let mut client = Client::start_with(&["--limit-file-bytes", "100"]);
    client.initialize();
    let uri = "file:///big.yaml";
    let text = format!("scenario: big\nas_of: 2024-01-01\n# {}\n", "x".repeat(200));
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
    );
    let diagnostics = client.diagnostics(uri);
    of_code(&diagnostics, "file-too-large");
    // A message far over any document's limit is skipped unread.
    client.raw(
        format!(
            "Content-Length: 100000000\r\n\r\n{}",
            " ".repeat(100_000_000)
        )
        .as_bytes(),
    );
    client.wait("parse error", |m| m["error"]["code"] == -32700);
    // `exit` without `shutdown` is status 1.
    client.notify("exit", Value::Null);
    client.stdin = None;
    assert_eq!(client.child.wait().unwrap().code(), Some(1));
}

/// A world with thousands of findings (synthetic: 1,500 states, each with an
/// embassy in AAA and no head) shows the first thousand and one line saying
/// how many more there are, quickly (each subject is found by its id, not by
/// a scan of the document's ids); and nothing is checked after `shutdown`.
#[test]
fn a_document_with_thousands_of_findings_shows_the_first_thousand() {
    use std::fmt::Write as _;
    const N: usize = 1_500;
    let mut text =
        String::from("# Synthetic\nscenario: many\nas_of: 2024-01-01\nstates:\n  - { id: AAA }\n");
    for i in 0..N {
        let _ = writeln!(text, "  - {{ id: S{i} }}");
    }
    text.push_str("missions:\n");
    for i in 0..N {
        let _ = writeln!(
            text,
            "  - {{ id: s{i}-in-aaa, sender: S{i}, receiver: AAA, kind: embassy }}"
        );
    }
    let mut client = Client::start();
    client.initialize();
    let uri = "file:///many.yaml";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "yaml", "version": 1, "text": text } }),
    );
    let diagnostics = client.diagnostics(uri);
    assert_eq!(diagnostics.len(), 1_001);
    let last = &diagnostics[1_000];
    assert!(
        last["message"]
            .as_str()
            .unwrap()
            .starts_with("500 more findings are not shown here (the first 1000 are)"),
        "{last}"
    );
    // The first findings sit on their subjects' ids.
    assert_eq!(diagnostics[0]["code"], "head-vacant");
    assert_eq!(diagnostics[0]["range"]["start"]["line"], 1_506);
    // After `shutdown`, a document opened is neither checked nor published.
    let answer = client.request("shutdown", Value::Null);
    assert_eq!(answer["result"], Value::Null);
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": "file:///late.yaml", "languageId": "yaml", "version": 1, "text": "scenario: x\n" } }),
    );
    client.notify("exit", Value::Null);
    client.stdin = None;
    assert_eq!(client.child.wait().unwrap().code(), Some(0));
    while let Ok(message) = client.messages.recv_timeout(Duration::from_secs(2)) {
        assert_ne!(
            message["method"], "textDocument/publishDiagnostics",
            "published after shutdown: {message}"
        );
    }
}

/// What a client must be told rather than left waiting on: a request whose
/// id the server cannot echo, notifications it could not act on; and what
/// it needs to place diagnostics: the version they are of, a range to
/// underline at the end of a file, `.RULES` read as a rule file.
#[test]
fn a_client_is_told_what_was_not_done_and_which_text_diagnostics_are_of() {
    let mut client = Client::start();
    client.initialize();
    // An id neither a string nor a 32-bit integer: answered, id null.
    for id in [json!(1.5), Value::Null, json!(1_u64 << 40)] {
        client.send(json!({ "jsonrpc": "2.0", "id": id, "method": "shutdown" }));
        let answer = client.wait("invalid request", |m| m["error"]["code"] == -32600);
        assert_eq!(answer["id"], Value::Null, "{answer}");
        assert!(
            answer["error"]["message"]
                .as_str()
                .unwrap()
                .contains("must be a string or an integer"),
            "{answer}"
        );
    }
    let log = |m: &Value| m["method"] == "window/logMessage";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": 7 } }),
    );
    let logged = client.wait("a log message", log);
    assert!(
        logged["params"]["message"]
            .as_str()
            .unwrap()
            .starts_with("parity: textDocument/didOpen: the parameters are invalid"),
        "{logged}"
    );
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": "file:///never-opened.yaml", "version": 2 }, "contentChanges": [{ "text": "x" }] }),
    );
    let logged = client.wait("a log message", log);
    assert!(
        logged["params"]["message"]
            .as_str()
            .unwrap()
            .contains("file:///never-opened.yaml is not open"),
        "{logged}"
    );
    // Diagnostics name the version of the text they are of.
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": URI, "languageId": "yaml", "version": 7, "text": SCENARIO } }),
    );
    let published = |m: &Value| m["method"] == "textDocument/publishDiagnostics";
    assert_eq!(
        client.wait("diagnostics", published)["params"]["version"],
        7
    );
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 8 }, "contentChanges": [{ "text": SCENARIO.replace("FRA", "FRX") }] }),
    );
    assert_eq!(
        client.wait("diagnostics", published)["params"]["version"],
        8
    );
    // A waived finding is a hint that says the waiver's reason and line.
    let waived = SCENARIO.replace(
        "subject: fra-in-civ\n    reason: a waiver of another subject set, so the finding stays",
        "subject: [civ-in-fra, fra-in-civ]\n    reason: accepted for the test",
    );
    assert_ne!(waived, SCENARIO);
    client.notify(
        "textDocument/didChange",
        json!({ "textDocument": { "uri": URI, "version": 9 }, "contentChanges": [{ "text": waived }] }),
    );
    let diagnostics = client.diagnostics(URI);
    let hint = of_code(&diagnostics, "rank-parity");
    assert_eq!(hint["severity"], 4, "{hint}");
    let waiver_line = waived[..waived.find("rule: rank-parity").unwrap()]
        .matches('\n')
        .count()
        + 1;
    assert!(
        hint["message"].as_str().unwrap().starts_with(&format!(
            "waived (line {waiver_line}): accepted for the test\n"
        )),
        "{hint}"
    );
    // A rule file cut short, in upper case: its error at the end of the
    // file covers the last character written.
    let uri = "file:///work/rules/CUT.RULES";
    let cut = "rule cut {\n  title \"t\"\n";
    client.notify(
        "textDocument/didOpen",
        json!({ "textDocument": { "uri": uri, "languageId": "plaintext", "version": 1, "text": cut } }),
    );
    let diagnostics = client.diagnostics(uri);
    assert_eq!(diagnostics.len(), 1, "{diagnostics:#?}");
    let (l1, c1, l2, c2) = range(&diagnostics[0]);
    assert!((l1, c1) < (l2, c2), "an empty range: {diagnostics:#?}");
    assert_eq!(client.finish(), Some(0));
}

/// Changes sent faster than they are checked are checked together: a
/// document is checked for the last of them, not once per keystroke, and
/// what is answered after them sees the last text.
#[test]
fn changes_that_come_while_a_document_is_checked_are_checked_once() {
    let mut client = Client::start();
    client.initialize();
    const CHANGES: i64 = 100;
    let mut batch = Vec::new();
    let frame = |message: Value| {
        let body = message.to_string();
        format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
    };
    batch.extend(frame(json!({ "jsonrpc": "2.0", "method": "textDocument/didOpen",
        "params": { "textDocument": { "uri": URI, "languageId": "yaml", "version": 0, "text": SCENARIO } } })));
    for version in 1..=CHANGES {
        // Each change renames the mission a hover will ask about.
        let text = SCENARIO.replace("fra-in-civ", &format!("fra-in-civ-{version}"));
        batch.extend(frame(json!({ "jsonrpc": "2.0", "method": "textDocument/didChange",
            "params": { "textDocument": { "uri": URI, "version": version }, "contentChanges": [{ "text": text }] } })));
    }
    let (line, character) = place(SCENARIO, "missions:", "fra-in-civ");
    batch.extend(frame(json!({ "jsonrpc": "2.0", "id": 999, "method": "textDocument/hover",
        "params": { "textDocument": { "uri": URI }, "position": { "line": line, "character": character } } })));
    client.raw(&batch);
    let mut published = Vec::new();
    let hover = loop {
        let message = client.wait("diagnostics or the hover", |m| {
            m["method"] == "textDocument/publishDiagnostics" || m["id"] == 999
        });
        if message["id"] == 999 {
            break message;
        }
        published.push(message["params"]["version"].as_i64().unwrap());
    };
    assert_eq!(published.last(), Some(&CHANGES), "{published:?}");
    assert!(
        published.len() <= (CHANGES / 2) as usize,
        "{} checks for {CHANGES} changes: {published:?}",
        published.len()
    );
    let shown = hover["result"]["contents"]["value"].as_str().unwrap();
    assert!(shown.contains(&format!("fra-in-civ-{CHANGES}")), "{shown}");
    assert_eq!(client.finish(), Some(0));
}
