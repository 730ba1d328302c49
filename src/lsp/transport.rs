//! JSON-RPC framing (`Content-Length: N`, a blank line, N bytes of JSON),
//! read with bounds. `lsp_server::Message::read` allocates whatever
//! `Content-Length` says and gives up at the first malformed message; an
//! editor server must do neither, so the reading is here and only the
//! message types and their writing come from `lsp-server`.

use lsp_server::Message;
use std::io::{self, BufRead, Read as _, Write};

/// The longest header line read: real headers are a few dozen bytes.
const MAX_HEADER_LINE: u64 = 4096;

/// What one read gave.
#[derive(Debug)]
pub enum Frame {
    Message(Message),
    /// A frame that is not a message, and why; reading goes on after it.
    Malformed(String),
    /// JSON, but not a JSON-RPC message (`{}`, `[]`): an invalid request.
    Invalid(String),
    /// The input ended (or broke).
    End,
}

/// Reads one framed message; a body longer than `limit` bytes is skipped unread.
pub fn read(input: &mut dyn BufRead, limit: usize) -> Frame {
    let mut length: Option<Result<usize, String>> = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        match std::io::Read::take(&mut *input, MAX_HEADER_LINE).read_until(b'\n', &mut line) {
            Ok(0) | Err(_) => return Frame::End,
            Ok(_) => {}
        }
        if !line.ends_with(b"\n") {
            // Too long a line: drop the rest of it.
            if skip_line(input).is_err() {
                return Frame::End;
            }
            return Frame::Malformed("a header line is too long".to_string());
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            // Blank lines between messages are tolerated.
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = Some(
                value
                    .trim()
                    .parse::<usize>()
                    .map_err(|_| format!("Content-Length `{}` is not a length", value.trim())),
            );
        }
    }
    let length = match length {
        None => return Frame::Malformed("a message without Content-Length".to_string()),
        Some(Err(why)) => return Frame::Malformed(why),
        Some(Ok(length)) => length,
    };
    if length > limit {
        let skipped = io::copy(
            &mut std::io::Read::take(&mut *input, u64::try_from(length).unwrap_or(u64::MAX)),
            &mut io::sink(),
        );
        return match skipped {
            Ok(n) if n == length as u64 => Frame::Malformed(format!(
                "a message of {length} bytes, more than the limit of {limit}"
            )),
            _ => Frame::End,
        };
    }
    // Grown as the bytes come, not allocated at the length announced.
    let mut body = Vec::new();
    let announced = u64::try_from(length).unwrap_or(u64::MAX);
    match std::io::Read::take(&mut *input, announced).read_to_end(&mut body) {
        Ok(n) if n == length => {}
        _ => return Frame::End,
    }
    // JSON-RPC tells bytes that are not JSON (-32700) from JSON that is no
    // message (-32600).
    let value = match serde_json::from_slice::<serde_json::Value>(&body) {
        Ok(value) => value,
        Err(error) => return Frame::Malformed(format!("not a JSON-RPC message: {error}")),
    };
    if let Some(why) = unanswerable_request(&value) {
        return Frame::Invalid(why);
    }
    match serde_json::from_value::<Message>(value) {
        Ok(message) => Frame::Message(message),
        Err(error) => Frame::Invalid(format!("not a JSON-RPC message: {error}")),
    }
}

/// Why a request's id cannot be answered, if it cannot: `lsp-server` reads
/// an id as an integer of 32 bits or a string, and a message with a method
/// and any other id (`1.5`, `null`, `2^40`, `{}`) would be taken for a
/// notification, which is never answered — the client would wait for ever.
fn unanswerable_request(value: &serde_json::Value) -> Option<String> {
    let object = value.as_object()?;
    object.get("method")?;
    let id = object.get("id")?;
    let answerable = id.is_string() || id.as_i64().is_some_and(|n| i32::try_from(n).is_ok());
    (!answerable)
        .then(|| format!("a request's id must be a string or an integer of 32 bits, not `{id}`"))
}

fn skip_line(input: &mut dyn BufRead) -> io::Result<()> {
    loop {
        let buffer = input.fill_buf()?;
        if buffer.is_empty() {
            return Err(io::ErrorKind::UnexpectedEof.into());
        }
        match buffer.iter().position(|b| *b == b'\n') {
            Some(at) => {
                input.consume(at + 1);
                return Ok(());
            }
            None => {
                let n = buffer.len();
                input.consume(n);
            }
        }
    }
}

/// Writes a message, framed.
pub fn write(output: &mut dyn Write, message: Message) -> io::Result<()> {
    let mut buffer = Vec::new();
    message.write(&mut buffer)?;
    output.write_all(&buffer)?;
    output.flush()
}

/// JSON-RPC's "Parse error" (-32700), which has no request id to answer
/// (`lsp_server::Response` always has one).
pub fn write_parse_error(output: &mut dyn Write, why: &str) -> io::Result<()> {
    write_unanswerable(output, -32700, why)
}

/// JSON-RPC's "Invalid Request" (-32600) for JSON that is no message: no
/// id can be read from it either.
pub fn write_invalid_request(output: &mut dyn Write, why: &str) -> io::Result<()> {
    write_unanswerable(output, -32600, why)
}

fn write_unanswerable(output: &mut dyn Write, code: i32, why: &str) -> io::Result<()> {
    let body = serde_json::json!({
        "jsonrpc": "2.0",
        "id": null,
        "error": { "code": code, "message": why },
    })
    .to_string();
    write!(output, "Content-Length: {}\r\n\r\n{body}", body.len())?;
    output.flush()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(input: &[u8]) -> Vec<String> {
        let mut reader = io::BufReader::new(input);
        let mut out = Vec::new();
        loop {
            match read(&mut reader, 100) {
                Frame::End => return out,
                Frame::Message(m) => out.push(format!(
                    "message {}",
                    serde_json::to_string(&m).unwrap_or_default()
                )),
                Frame::Malformed(why) => out.push(format!("malformed {why}")),
                Frame::Invalid(why) => out.push(format!("invalid {why}")),
            }
        }
    }

    #[test]
    fn json_that_is_no_message_is_an_invalid_request_not_a_parse_error() {
        let mut input = Vec::new();
        input.extend(b"Content-Length: 2\r\n\r\n{}");
        input.extend(b"Content-Length: 2\r\n\r\n[]");
        input.extend(b"Content-Length: 3\r\n\r\n{x}");
        for id in ["1.5", "null", "1099511627776", "{}", "[1]", "true"] {
            let body = format!(r#"{{"jsonrpc":"2.0","id":{id},"method":"shutdown"}}"#);
            input.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
        }
        let body = r#"{"jsonrpc":"2.0","id":"a","method":"shutdown"}"#;
        input.extend(format!("Content-Length: {}\r\n\r\n{body}", body.len()).as_bytes());
        let got = frames(&input);
        assert_eq!(got.len(), 10, "{got:#?}");
        for (got, id) in got[3..9]
            .iter()
            .zip(["1.5", "null", "1099511627776", "{}", "[1]", "true"])
        {
            assert_eq!(
                got,
                &format!(
                    "invalid a request's id must be a string or an integer of 32 bits, not `{id}`"
                )
            );
        }
        assert!(got[9].starts_with("message "), "{got:?}");
        assert!(
            got[0].starts_with("invalid not a JSON-RPC message"),
            "{got:?}"
        );
        assert!(
            got[1].starts_with("invalid not a JSON-RPC message"),
            "{got:?}"
        );
        assert!(
            got[2].starts_with("malformed not a JSON-RPC message"),
            "{got:?}"
        );
        let mut out = Vec::new();
        write_invalid_request(&mut out, "why").unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(
            text.ends_with(
                r#"{"error":{"code":-32600,"message":"why"},"id":null,"jsonrpc":"2.0"}"#
            ),
            "{text}"
        );
    }

    #[test]
    fn bad_frames_are_told_and_skipped() {
        let good = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut input = Vec::new();
        input.extend(b"Content-Length: 5\r\n\r\n{oops");
        input.extend(b"Content-Length: 99999999999999999999\r\n\r\n");
        input.extend(b"X-Other: 1\r\n\r\n");
        input.extend(format!("Content-Length: 150\r\n\r\n{}", "x".repeat(150)).as_bytes());
        input.extend(format!("Content-Length: {}\r\n\r\n{good}", good.len()).as_bytes());
        input.extend(b"Content-Length: 40\r\n\r\n{\"cut");
        let got = frames(&input);
        assert_eq!(got.len(), 5, "{got:#?}");
        assert!(
            got[0].starts_with("malformed not a JSON-RPC message"),
            "{got:?}"
        );
        assert!(got[1].starts_with("malformed Content-Length"), "{got:?}");
        assert_eq!(got[2], "malformed a message without Content-Length");
        assert_eq!(
            got[3],
            "malformed a message of 150 bytes, more than the limit of 100"
        );
        assert!(
            got[4].starts_with("message ") && got[4].contains("initialized"),
            "{got:?}"
        );
    }
}
