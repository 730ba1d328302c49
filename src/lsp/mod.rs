//! `parity lsp`: a language server over standard input and output for
//! scenario files (YAML) and rule files (`.rules`), handling one message
//! at a time (rust-analyzer's `lsp-server` and `lsp-types`); messages are
//! read ahead on a thread, so that changes queued behind a check are
//! checked once (`serve`).
//!
//! Documents are the client's text (full-text sync), never read from disk:
//! each change is loaded and checked from memory, as `parity check` loads
//! and checks a file, and its diagnostics published. Hover, definition and
//! completion read the document's `outline` (the ids it defines, from the
//! located YAML tree) and the place at the cursor (from the text, which
//! while typing is seldom valid YAML). Every input is bounded: a message
//! larger than the loader's file limit allows is skipped, a malformed one
//! answered with a parse error, an unknown method with `MethodNotFound`.

mod features;
mod outline;
mod text;
mod transport;

use features::Kind;
pub use features::Setup;
use lsp_server::{ErrorCode, Message, Notification, Request, RequestId, Response};
use lsp_types as lsp;
use outline::Outline;
use std::collections::BTreeMap;
use std::io::{BufRead, Write};
use text::Text;

/// One open document.
struct Document {
    kind: Kind,
    /// The name its diagnostics carry: the path of a `file:` URI.
    name: String,
    /// The client's version of the text, which its diagnostics are of.
    version: i32,
    text: String,
    /// The outline of the last text that was YAML: while the text does not
    /// parse, completion still knows the ids.
    outline: Option<Outline>,
}

/// How the session with the client ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ending {
    /// `exit` after `shutdown`.
    Clean,
    /// `exit` without `shutdown`, or the input ended.
    Abrupt,
}

struct Server<'o> {
    setup: Setup,
    out: &'o mut dyn Write,
    documents: BTreeMap<String, Document>,
    /// Documents opened or changed since their diagnostics were last
    /// published, in the order they changed.
    dirty: Vec<lsp::Uri>,
    initialized: bool,
    shut_down: bool,
}

/// Serves one client on `input` and `output` until `exit` or the input's end.
///
/// Frames are read on a thread of their own, ahead of the one being
/// handled (up to a frame's limit in bytes: `Queued`), so that changes a client sends while a document is being
/// checked are applied together and the document checked once for all of
/// them (a fast typist on a large document would otherwise wait for a
/// check per keystroke). The reading thread is not joined: after `exit` it
/// may still be blocked on the client's input, which ends with the process.
pub fn serve(setup: Setup, input: impl BufRead + Send + 'static, output: &mut dyn Write) -> Ending {
    // A JSON body may escape each byte of a document of the largest size
    // the loader takes as six (`\u0001`), plus the message around it.
    let limit = setup
        .limits
        .max_bytes
        .saturating_mul(6)
        .saturating_add(1 << 20);
    let queue = std::sync::Arc::new(Queued::default());
    let (send, frames) = std::sync::mpsc::sync_channel::<(transport::Frame, usize)>(1024);
    let mut input = Counting::new(input);
    let reading = queue.clone();
    std::thread::spawn(move || {
        loop {
            let frame = transport::read(&mut input, limit);
            let bytes = input.take_count();
            let end = matches!(frame, transport::Frame::End);
            reading.wait_for_room(bytes, limit);
            if send.send((frame, bytes)).is_err() || end {
                return;
            }
        }
    });
    let mut server = Server {
        setup,
        out: output,
        documents: BTreeMap::new(),
        dirty: Vec::new(),
        initialized: false,
        shut_down: false,
    };
    loop {
        let (frame, bytes) = match frames.try_recv() {
            Ok(frame) => frame,
            // Nothing more has come: check what changed, then wait.
            Err(_) => {
                if server.publish_changed().is_err() {
                    return Ending::Abrupt;
                }
                match frames.recv() {
                    Ok(frame) => frame,
                    Err(_) => return Ending::Abrupt,
                }
            }
        };
        queue.taken(bytes);
        let message = match frame {
            transport::Frame::End => return Ending::Abrupt,
            transport::Frame::Malformed(why) => {
                if transport::write_parse_error(server.out, &why).is_err() {
                    return Ending::Abrupt;
                }
                continue;
            }
            transport::Frame::Invalid(why) => {
                if transport::write_invalid_request(server.out, &why).is_err() {
                    return Ending::Abrupt;
                }
                continue;
            }
            transport::Frame::Message(message) => message,
        };
        // A change waits for the ones behind it; anything else is answered
        // from the documents as they now are.
        let is_change = matches!(&message, Message::Notification(n)
            if n.method == "textDocument/didOpen" || n.method == "textDocument/didChange");
        if !is_change && server.publish_changed().is_err() {
            return Ending::Abrupt;
        }
        let written = match message {
            Message::Request(request) => server.request(request),
            Message::Notification(notification) if notification.method == "exit" => {
                return if server.shut_down {
                    Ending::Clean
                } else {
                    Ending::Abrupt
                };
            }
            Message::Notification(notification) => server.notification(notification),
            // The server sends no requests, so a response answers nothing.
            Message::Response(_) => Ok(()),
        };
        if written.is_err() {
            return Ending::Abrupt;
        }
    }
}

/// The bytes of frames read ahead and not yet handled: the reader waits
/// while they would pass the limit of one frame, so that a client sending
/// large documents faster than they are checked is not queued without bound.
#[derive(Default)]
struct Queued {
    bytes: std::sync::Mutex<usize>,
    room: std::sync::Condvar,
}

impl Queued {
    fn wait_for_room(&self, bytes: usize, limit: usize) {
        // A poisoned lock means the other side panicked: go on unbounded
        // rather than stop reading (the process is ending anyway).
        let Ok(mut queued) = self.bytes.lock() else {
            return;
        };
        while *queued > 0 && queued.saturating_add(bytes) > limit {
            queued = match self.room.wait(queued) {
                Ok(queued) => queued,
                Err(_) => return,
            };
        }
        *queued = queued.saturating_add(bytes);
    }

    fn taken(&self, bytes: usize) {
        if let Ok(mut queued) = self.bytes.lock() {
            *queued = queued.saturating_sub(bytes);
        }
        self.room.notify_one();
    }
}

/// A reader that counts the bytes read through it.
struct Counting<R> {
    inner: R,
    count: usize,
}

impl<R> Counting<R> {
    fn new(inner: R) -> Self {
        Counting { inner, count: 0 }
    }

    /// The bytes read since the last call.
    fn take_count(&mut self) -> usize {
        std::mem::take(&mut self.count)
    }
}

impl<R: std::io::Read> std::io::Read for Counting<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.count = self.count.saturating_add(n);
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counting<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, amount: usize) {
        self.count = self.count.saturating_add(amount);
        self.inner.consume(amount);
    }
}

fn error(id: RequestId, code: ErrorCode, message: impl Into<String>) -> Response {
    Response::new_err(id, code as i32, message.into())
}

impl Server<'_> {
    fn send(&mut self, message: impl Into<Message>) -> std::io::Result<()> {
        transport::write(self.out, message.into())
    }

    fn request(&mut self, request: Request) -> std::io::Result<()> {
        let id = request.id.clone();
        let response = if request.method == "initialize" {
            if self.initialized {
                error(
                    id,
                    ErrorCode::InvalidRequest,
                    "initialize was already received",
                )
            } else {
                self.initialized = true;
                Response::new_ok(id, capabilities())
            }
        } else if !self.initialized {
            error(id, ErrorCode::ServerNotInitialized, "initialize first")
        } else if self.shut_down {
            error(id, ErrorCode::InvalidRequest, "the server is shut down")
        } else {
            match request.method.as_str() {
                "shutdown" => {
                    self.shut_down = true;
                    Response::new_ok(id, ())
                }
                "textDocument/hover" => self.answer(request, |s, p: lsp::HoverParams| {
                    s.hover(&p.text_document_position_params)
                }),
                "textDocument/definition" => {
                    self.answer(request, |s, p: lsp::GotoDefinitionParams| {
                        s.definition(&p.text_document_position_params)
                    })
                }
                "textDocument/completion" => self.answer(request, |s, p: lsp::CompletionParams| {
                    s.completion(&p.text_document_position)
                }),
                method => error(
                    id,
                    ErrorCode::MethodNotFound,
                    format!("parity's server does not answer `{method}`"),
                ),
            }
        };
        self.send(response)
    }

    /// Answers `request` with `f`'s result for its parameters, or `InvalidParams`.
    fn answer<P: serde::de::DeserializeOwned, R: serde::Serialize>(
        &self,
        request: Request,
        f: impl FnOnce(&Self, P) -> R,
    ) -> Response {
        match serde_json::from_value::<P>(request.params) {
            Ok(params) => Response::new_ok(request.id, f(self, params)),
            Err(why) => error(request.id, ErrorCode::InvalidParams, why.to_string()),
        }
    }

    fn notification(&mut self, notification: Notification) -> std::io::Result<()> {
        // After `shutdown` the client may send only `exit` (handled by the
        // loop); anything else would still check and publish.
        if !self.initialized || self.shut_down {
            return Ok(());
        }
        match notification.method.as_str() {
            "textDocument/didOpen" => {
                let p: lsp::DidOpenTextDocumentParams = match params(notification) {
                    Ok(p) => p,
                    Err(why) => return self.log(&why),
                };
                let doc = p.text_document;
                let kind = kind_of(&doc.uri, &doc.language_id);
                self.documents.insert(
                    doc.uri.as_str().to_string(),
                    Document {
                        kind,
                        name: name_of(&doc.uri),
                        version: doc.version,
                        text: doc.text,
                        outline: None,
                    },
                );
                self.changed(doc.uri);
                Ok(())
            }
            "textDocument/didChange" => {
                let p: lsp::DidChangeTextDocumentParams = match params(notification) {
                    Ok(p) => p,
                    Err(why) => return self.log(&why),
                };
                let Some(document) = self.documents.get_mut(p.text_document.uri.as_str()) else {
                    let why = format!(
                        "textDocument/didChange: {} is not open (didOpen first); the change is ignored",
                        p.text_document.uri.as_str()
                    );
                    return self.log(&why);
                };
                document.version = p.text_document.version;
                // Full sync: the last change without a range is the text.
                for change in p.content_changes {
                    match change.range {
                        None => document.text = change.text,
                        Some(range) => {
                            let text = Text::new(&document.text);
                            let (start, end) = (text.offset(range.start), text.offset(range.end));
                            if start <= end {
                                document.text.replace_range(start..end, &change.text);
                            }
                        }
                    }
                }
                self.changed(p.text_document.uri);
                Ok(())
            }
            "textDocument/didClose" => {
                let p: lsp::DidCloseTextDocumentParams = match params(notification) {
                    Ok(p) => p,
                    Err(why) => return self.log(&why),
                };
                self.documents.remove(p.text_document.uri.as_str());
                self.send_diagnostics(&p.text_document.uri, Vec::new(), None)
            }
            _ => Ok(()),
        }
    }

    /// Notes that a document's text changed: it is checked when the
    /// changes queued behind this one have been applied.
    fn changed(&mut self, uri: lsp::Uri) {
        if !self.dirty.contains(&uri) {
            self.dirty.push(uri);
        }
    }

    /// Checks each document changed since its last diagnostics, and
    /// publishes them.
    fn publish_changed(&mut self) -> std::io::Result<()> {
        for uri in std::mem::take(&mut self.dirty) {
            self.publish(&uri)?;
        }
        Ok(())
    }

    /// Checks a document and publishes its diagnostics.
    fn publish(&mut self, uri: &lsp::Uri) -> std::io::Result<()> {
        let Some(document) = self.documents.get_mut(uri.as_str()) else {
            return Ok(());
        };
        let text = Text::new(&document.text);
        let diagnostics = match document.kind {
            Kind::Scenario => {
                if document.text.len() <= self.setup.limits.max_bytes
                    && let Some(outline) = Outline::of(&text, &self.setup.limits)
                {
                    document.outline = Some(outline);
                }
                features::scenario_diagnostics(
                    &self.setup,
                    &document.name,
                    &text,
                    document.outline.as_ref(),
                    uri,
                )
            }
            Kind::Rules => features::rule_diagnostics(&document.name, &text, uri),
        };
        let version = Some(document.version);
        self.send_diagnostics(uri, diagnostics, version)
    }

    /// Publishes `diagnostics` of `uri`, of the text of `version`, so
    /// that a client can drop those of a text it has since changed.
    fn send_diagnostics(
        &mut self,
        uri: &lsp::Uri,
        diagnostics: Vec<lsp::Diagnostic>,
        version: Option<i32>,
    ) -> std::io::Result<()> {
        let params = lsp::PublishDiagnosticsParams::new(uri.clone(), diagnostics, version);
        self.send(Notification::new(
            "textDocument/publishDiagnostics".to_string(),
            params,
        ))
    }

    /// Tells the client's log why a notification did nothing: a
    /// notification has no answer, and dropping it without a word would
    /// leave a document unchecked with no trace of why.
    fn log(&mut self, why: &str) -> std::io::Result<()> {
        let params = lsp::LogMessageParams {
            typ: lsp::MessageType::WARNING,
            message: format!("parity: {why}"),
        };
        self.send(Notification::new("window/logMessage".to_string(), params))
    }

    /// The document and byte offset a request points at.
    fn at(&self, p: &lsp::TextDocumentPositionParams) -> Option<(&Document, usize)> {
        let document = self.documents.get(p.text_document.uri.as_str())?;
        let offset = Text::new(&document.text).offset(p.position);
        Some((document, offset))
    }

    fn hover(&self, p: &lsp::TextDocumentPositionParams) -> Option<lsp::Hover> {
        let (document, offset) = self.at(p)?;
        let text = Text::new(&document.text);
        match document.kind {
            Kind::Scenario => {
                features::scenario_hover(&self.setup, &text, document.outline.as_ref(), offset)
            }
            Kind::Rules => features::rules_hover(&self.setup, &document.name, &text, offset),
        }
    }

    fn definition(
        &self,
        p: &lsp::TextDocumentPositionParams,
    ) -> Option<lsp::GotoDefinitionResponse> {
        let (document, offset) = self.at(p)?;
        let text = Text::new(&document.text);
        let range = match document.kind {
            Kind::Scenario => features::definition(&text, document.outline.as_ref()?, offset)?,
            Kind::Rules => features::rules_definition(&document.name, &text, offset)?,
        };
        Some(lsp::GotoDefinitionResponse::Scalar(lsp::Location::new(
            p.text_document.uri.clone(),
            range,
        )))
    }

    fn completion(&self, p: &lsp::TextDocumentPositionParams) -> Option<lsp::CompletionResponse> {
        let (document, offset) = self.at(p)?;
        let text = Text::new(&document.text);
        let items = match document.kind {
            Kind::Scenario => {
                features::scenario_completion(&self.setup, &text, document.outline.as_ref(), offset)
            }
            Kind::Rules => features::rules_completion(&text, offset),
        };
        Some(lsp::CompletionResponse::Array(items))
    }
}

/// What the server offers.
fn capabilities() -> lsp::InitializeResult {
    lsp::InitializeResult {
        capabilities: lsp::ServerCapabilities {
            position_encoding: Some(lsp::PositionEncodingKind::UTF16),
            text_document_sync: Some(lsp::TextDocumentSyncCapability::Kind(
                lsp::TextDocumentSyncKind::FULL,
            )),
            hover_provider: Some(lsp::HoverProviderCapability::Simple(true)),
            definition_provider: Some(lsp::OneOf::Left(true)),
            completion_provider: Some(lsp::CompletionOptions {
                trigger_characters: Some(
                    [":", " ", "[", ","]
                        .iter()
                        .map(|c| (*c).to_string())
                        .collect(),
                ),
                ..lsp::CompletionOptions::default()
            }),
            ..lsp::ServerCapabilities::default()
        },
        server_info: Some(lsp::ServerInfo {
            name: "parity".to_string(),
            version: Some(env!("CARGO_PKG_VERSION").to_string()),
        }),
    }
}

/// A notification's parameters, or why they are not of its method.
fn params<P: serde::de::DeserializeOwned>(notification: Notification) -> Result<P, String> {
    serde_json::from_value::<P>(notification.params).map_err(|why| {
        format!(
            "{}: the parameters are invalid ({why}); ignored",
            notification.method
        )
    })
}

/// A `.rules` document (any case: `.RULES` on a file system that ignores
/// case is the same file), or one the client calls `parity-rules`, is a
/// rule file; anything else a scenario.
fn kind_of(uri: &lsp::Uri, language: &str) -> Kind {
    let path = uri.path().as_str();
    let rules = path
        .len()
        .checked_sub(".rules".len())
        .and_then(|at| path.get(at..))
        .is_some_and(|end| end.eq_ignore_ascii_case(".rules"));
    if rules || language == "parity-rules" {
        Kind::Rules
    } else {
        Kind::Scenario
    }
}

/// The path of a `file:` URI, percent-decoded, else the URI itself.
fn name_of(uri: &lsp::Uri) -> String {
    let is_file = uri.scheme().is_some_and(|s| s.as_str() == "file");
    if !is_file {
        return uri.as_str().to_string();
    }
    let path = uri.path().as_str();
    let bytes = path.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        let hex = bytes
            .get(i + 1..i + 3)
            .and_then(|h| std::str::from_utf8(h).ok())
            .and_then(|h| u8::from_str_radix(h, 16).ok());
        match (b, hex) {
            (b'%', Some(byte)) => {
                decoded.push(byte);
                i += 3;
            }
            _ => {
                decoded.push(b);
                i += 1;
            }
        }
    }
    String::from_utf8_lossy(&decoded).into_owned()
}
