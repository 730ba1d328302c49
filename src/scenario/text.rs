//! Bytes of a file → text, with the first invalid byte located.

use crate::diag::{self, Diagnostic, Loc};

/// The file's bytes as UTF-8 text, or an `invalid-utf8` error at the line
/// and column (in characters of the valid part of that line, 1-based) of
/// the first byte that is not part of a UTF-8 character. The bytes are
/// moved, not copied, when they are valid.
// One located error is all an undecodable file has; it is built once per file.
#[allow(clippy::result_large_err)]
pub fn decode_utf8(bytes: Vec<u8>, file: &str) -> Result<String, Diagnostic> {
    let error = match String::from_utf8(bytes) {
        Ok(text) => return Ok(text),
        Err(error) => error,
    };
    let at = error.utf8_error().valid_up_to();
    let bytes = error.as_bytes();
    // UTF-16 (as some Windows editors save) is told apart by its byte-order mark.
    if bytes.starts_with(&[0xff, 0xfe]) || bytes.starts_with(&[0xfe, 0xff]) {
        return Err(Diagnostic::new(
            "invalid-utf8",
            file,
            Loc::new(1, 1),
            "the file is UTF-16 text, not UTF-8",
        )
        .with_width(2)
        .with_help("save the file as UTF-8"));
    }
    // Everything before `at` is valid UTF-8, so this never fails.
    let valid = std::str::from_utf8(bytes.get(..at).unwrap_or_default()).unwrap_or_default();
    let loc = diag::loc_at(valid, valid.len());
    let message = match error.utf8_error().error_len() {
        Some(len) => {
            let shown: Vec<String> = bytes
                .iter()
                .skip(at)
                .take(len)
                .map(|b| format!("0x{b:02X}"))
                .collect();
            let what = if len == 1 { "byte" } else { "bytes" };
            format!(
                "the file is not UTF-8 text: {what} {} here",
                shown.join(" ")
            )
        }
        None => "the file is not UTF-8 text: it ends in the middle of a character".to_string(),
    };
    let help = "save the file as UTF-8 (a Latin-1 or Windows-1252 file shows this at its first accented letter)";
    Err(Diagnostic::new("invalid-utf8", file, loc, message).with_help(help))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(bytes: &[u8]) -> Diagnostic {
        match decode_utf8(bytes.to_vec(), "t.yaml") {
            Ok(text) => panic!("decoded {text:?}"),
            Err(d) => d,
        }
    }

    #[test]
    fn valid_text_is_returned_as_it_is() {
        let text = "scenario: t\nname: Kraków\n";
        assert_eq!(
            decode_utf8(text.as_bytes().to_vec(), "t.yaml")
                .ok()
                .as_deref(),
            Some(text)
        );
    }

    #[test]
    fn the_first_invalid_byte_is_located_at_its_line_and_column() {
        // Latin-1 "é" (0xE9) on line 3, after "name: Kraków " (13 characters).
        let mut bytes = b"scenario: t\ntitle: x\n".to_vec();
        bytes.extend("name: Kraków ".as_bytes());
        bytes.extend([0xe9, b'\n', 0xff]);
        let d = error(&bytes);
        assert_eq!(d.code, "invalid-utf8");
        assert_eq!(d.loc, Loc::new(3, 14));
        assert_eq!(d.message, "the file is not UTF-8 text: byte 0xE9 here");
        assert_eq!(d.file, "t.yaml");
        assert!(
            d.help
                .as_deref()
                .is_some_and(|h| h.contains("save the file as UTF-8"))
        );
    }

    #[test]
    fn an_invalid_first_byte_is_at_1_1_and_a_cut_character_at_the_end() {
        assert_eq!(error(&[0x80, b'a']).loc, Loc::new(1, 1));
        // "é" is 0xC3 0xA9: the file ends after its first byte.
        let d = error(b"a: 1\nb: \xc3");
        assert_eq!(d.loc, Loc::new(2, 4));
        assert_eq!(
            d.message,
            "the file is not UTF-8 text: it ends in the middle of a character"
        );
        // 0xC0 never starts a character; a CRLF ends line 1 as LF does.
        let d = error(b"x\r\n\xc0\xaf");
        assert_eq!(d.loc, Loc::new(2, 1));
        assert_eq!(d.message, "the file is not UTF-8 text: byte 0xC0 here");
        // A character cut short by a byte that cannot continue it.
        assert_eq!(
            error(b"ab\xe2\x82z").message,
            "the file is not UTF-8 text: bytes 0xE2 0x82 here"
        );
    }

    #[test]
    fn utf16_is_named() {
        let d = error(&[0xff, 0xfe, b's', 0, b'c', 0]);
        assert_eq!(d.loc, Loc::new(1, 1));
        assert_eq!(d.message, "the file is UTF-16 text, not UTF-8");
    }
}
