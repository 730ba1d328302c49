//! Bounded reading into a table of sources that every later stage and every
//! renderer quotes from: a file is read once, and never again to print an
//! error about it.

use crate::diag::Code;
use crate::diag::{self, Diagnostic, Loc};
use crate::source::{LineIndex, Located, Span};
use std::io::Read as _;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// How much a path is trusted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Trust {
    /// Named by the person running parity (on the command line): read
    /// whatever it is (a FIFO from `<(…)`, a symbolic link), within the size limit.
    Named,
    /// Found by walking a directory, or named by a file in the repository
    /// (`parity.toml`): a regular file, opened without following a link.
    Found,
}

/// The identity of a file on its device, so that two names of one file
/// (links, `./a` and `a`) are known to be the same.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct FileId {
    device: u64,
    inode: u64,
}

impl FileId {
    pub fn of(metadata: &std::fs::Metadata) -> Option<FileId> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::MetadataExt as _;
            Some(FileId {
                device: metadata.dev(),
                inode: metadata.ino(),
            })
        }
        #[cfg(not(unix))]
        {
            let _ = metadata;
            None
        }
    }
}

/// One text that was read: a file, standard input, or a built-in rule file.
#[derive(Debug, Clone)]
pub struct Source {
    /// The name reports use.
    pub name: String,
    /// The text and its line index (built the first time a place in it is
    /// rendered), shared — not copied — with the scenario loaded from it
    /// and every result located in it.
    pub shared: Arc<Located>,
    /// The file it came from, resolved, when it came from a file.
    pub path: Option<PathBuf>,
    pub file_id: Option<FileId>,
}

impl Source {
    /// A text read from nowhere in particular (a built-in rule file, an
    /// editor's document): no path, no file identity.
    pub fn text_only(name: &str, text: String) -> Source {
        Source {
            name: name.to_string(),
            shared: Arc::new(Located::owned(SourceId::NONE, text)),
            path: None,
            file_id: None,
        }
    }

    pub fn text(&self) -> &str {
        self.shared.text()
    }

    /// The text's line index, built once.
    pub fn lines(&self) -> &LineIndex {
        self.shared.lines()
    }

    /// The line and column `span` starts at, if it is in this source.
    pub fn loc(&self, span: Span) -> Loc {
        self.lines().loc(self.text(), span.start())
    }
}

pub use crate::source::SourceId;

/// Every text a run has read.
#[derive(Debug, Default)]
pub struct Sources {
    items: Vec<Source>,
}

impl Sources {
    /// Adds a text; past `u32::MAX` texts (never reached: each is a file
    /// read whole) the id saturates and `get` finds none.
    pub fn add(&mut self, mut source: Source) -> SourceId {
        let id = SourceId(u32::try_from(self.items.len()).unwrap_or(u32::MAX));
        // The text is shared only once added: its spans name this id from now.
        match Arc::get_mut(&mut source.shared) {
            Some(shared) => shared.source = id,
            None => {
                let text = source.shared.text().to_string();
                source.shared = Arc::new(Located::owned(id, text));
            }
        }
        self.items.push(source);
        id
    }

    pub fn get(&self, id: SourceId) -> Option<&Source> {
        self.items.get(usize::try_from(id.0).ok()?)
    }

    /// Where `span` is, as a renderer shows it: the source's name and the
    /// line and column of its start.
    pub fn locate(&self, span: Span) -> Option<(&str, Loc)> {
        let source = self.get(span.source)?;
        Some((source.name.as_str(), source.loc(span)))
    }

    /// The text of the last source added under `name`: the one a diagnostic
    /// about `name` was made from.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.named(name).map(|s| s.text())
    }

    /// The last source added under `name`.
    pub fn named(&self, name: &str) -> Option<&Source> {
        self.items.iter().rev().find(|s| s.name == name)
    }

    /// The source a place of `file` is in: the one `span` names, else (a
    /// span of `SourceId::NONE`) the last added under `file`.
    pub fn holding(&self, file: &str, span: Span) -> Option<&Source> {
        self.get(span.source).or_else(|| self.named(file))
    }

    /// `holding`'s text and line index, as `diag::render_all` takes them.
    pub fn text_and_lines(&self, file: &str, span: Span) -> Option<(&str, &LineIndex)> {
        self.holding(file, span).map(|s| (s.text(), s.lines()))
    }

    /// The shared text a diagnostic's place is in (see `holding`).
    pub fn shared_holding(&self, diagnostic: &Diagnostic) -> Option<Arc<Located>> {
        self.holding(&diagnostic.file, diagnostic.span)
            .map(|s| s.shared.clone())
    }

    /// The line and column a diagnostic's place is at.
    pub fn loc_of(&self, diagnostic: &Diagnostic) -> Loc {
        match diagnostic.unplaced {
            Some(loc) => loc,
            None => self
                .holding(&diagnostic.file, diagnostic.span)
                .map_or_else(Loc::default, |s| s.loc(diagnostic.span)),
        }
    }

    /// Whether `path` names a file this run read (by identity or resolved path).
    pub fn is_input(&self, path: &Path) -> bool {
        let resolved = std::fs::canonicalize(path).ok();
        let id = std::fs::metadata(path).ok().as_ref().and_then(FileId::of);
        self.items.iter().any(|s| {
            (id.is_some() && s.file_id == id) || (resolved.is_some() && s.path == resolved)
        })
    }

    pub fn iter(&self) -> impl Iterator<Item = &Source> {
        self.items.iter()
    }
}

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ReadError {
    #[error("no such file")]
    NotFound,
    #[error("it is a directory")]
    Directory,
    #[error("it is not a regular file ({0})")]
    NotRegular(&'static str),
    #[error("it is a symbolic link, which is not followed here")]
    Link,
    #[error(
        "it is a symbolic link to a file outside both the working directory and the link's own directory, or into .git, which is not followed"
    )]
    LinkOutside,
    #[error("the file is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge { size: u64, limit: usize },
    #[error("it is more than the limit of {limit} bytes")]
    TooLong { limit: usize },
    /// Located where the first invalid byte is (see `decode_utf8`).
    #[error("{}", .0.message)]
    NotUtf8(Box<Diagnostic>),
    #[error("{0}")]
    Io(std::io::Error),
}

impl ReadError {
    /// The diagnostic code of this kind of failure (see docs/robustness.md).
    pub fn code(&self) -> Code {
        match self {
            ReadError::TooLarge { .. } | ReadError::TooLong { .. } => Code::FileTooLarge,
            ReadError::NotUtf8(_) => Code::InvalidUtf8,
            ReadError::NotRegular(_)
            | ReadError::Link
            | ReadError::LinkOutside
            | ReadError::Directory => Code::NotAFile,
            ReadError::NotFound | ReadError::Io(_) => Code::UnreadableFile,
        }
    }

    /// A located diagnostic for `name`.
    pub fn diagnostic(&self, name: &str) -> Diagnostic {
        if let ReadError::NotUtf8(diagnostic) = self {
            return (**diagnostic).clone();
        }
        let diagnostic = file_diagnostic(self.code(), name, "read", self);
        match self {
            ReadError::TooLarge { .. } | ReadError::TooLong { .. } => diagnostic
                .with_help("raise the limit with --limit-file-bytes if the file is genuine"),
            ReadError::LinkOutside => diagnostic.with_help(
                "name the file itself if you mean to check it; a link in a pull request could point at a secret",
            ),
            _ => diagnostic,
        }
    }

    fn from_io(error: std::io::Error) -> ReadError {
        match error.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            std::io::ErrorKind::IsADirectory => ReadError::Directory,
            _ if error.raw_os_error() == Some(libc::ELOOP) => ReadError::Link,
            _ => ReadError::Io(error),
        }
    }
}

/// `cannot {doing} {name}: {why}`, located at the file's start (no line of
/// it was read): how every file that could not be read is reported.
pub fn file_diagnostic(
    code: Code,
    name: &str,
    doing: &str,
    why: &dyn std::fmt::Display,
) -> Diagnostic {
    Diagnostic::at_start(code, name, format!("cannot {doing} {name}: {why}"))
}

/// An `unreadable-file` error: the file could not be found, resolved or read.
pub fn unreadable_file(name: &str, doing: &str, why: &dyn std::fmt::Display) -> Diagnostic {
    file_diagnostic(ReadError::NotFound.code(), name, doing, why)
}

/// What kind of special file `file_type` is, in words.
pub(crate) fn special_kind(file_type: std::fs::FileType) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt as _;
        if file_type.is_fifo() {
            return "a FIFO";
        }
        if file_type.is_socket() {
            return "a socket";
        }
        if file_type.is_char_device() || file_type.is_block_device() {
            return "a device";
        }
    }
    if file_type.is_symlink() {
        return "a symbolic link";
    }
    "a special file"
}

/// Reads a file, at most `limit` bytes, as UTF-8 text.
pub fn read_file(path: &Path, name: &str, trust: Trust, limit: usize) -> Result<Source, ReadError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        // A found file is opened without following a link (the walk has
        // resolved those already) and without blocking, so that a FIFO put in
        // its place cannot hang the run: its type is checked next.
        if trust == Trust::Found {
            options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
    }
    let file = options.open(path).map_err(ReadError::from_io)?;
    let metadata = file.metadata().map_err(ReadError::from_io)?;
    if metadata.is_dir() {
        return Err(ReadError::Directory);
    }
    if !metadata.is_file() && trust == Trust::Found {
        return Err(ReadError::NotRegular(special_kind(metadata.file_type())));
    }
    if trust == Trust::Named && metadata.is_file() && links_outside(path) {
        return Err(ReadError::LinkOutside);
    }
    // The size is known before reading for a regular file; anything else
    // (a pipe, /dev/zero, a file growing meanwhile) is cut at the limit.
    if metadata.is_file() && metadata.len() > limit as u64 {
        return Err(ReadError::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    let bytes = read_bounded(file, limit)?;
    let text = decode_utf8(bytes, name).map_err(|d| ReadError::NotUtf8(Box::new(d)))?;
    Ok(Source {
        name: name.to_string(),
        shared: Arc::new(Located::owned(SourceId::NONE, text)),
        path: std::fs::canonicalize(path).ok(),
        file_id: FileId::of(&metadata),
    })
}

/// Whether `path` is a symbolic link to a file outside both the working
/// directory and the directory holding the link, or inside a `.git`. A shell glob
/// (`parity check fixtures/*.yaml`) names every file a pull request adds, so a
/// link planted there is "named" without anyone choosing it; followed, its
/// target (a key, `/proc/self/environ`) would be quoted in the errors. The
/// caller's own descriptors (`/dev/stdin`, `/dev/fd/N`, `/proc/self/fd/N`)
/// are links too, but not ones a repository can plant.
fn links_outside(path: &Path) -> bool {
    let is_link = std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_symlink());
    if !is_link {
        return false;
    }
    let descriptor = ["/dev/stdin", "/dev/fd/", "/proc/self/fd/"]
        .iter()
        .any(|own| path.starts_with(own) || path.to_string_lossy().starts_with(own));
    if descriptor {
        return false;
    }
    let Ok(target) = std::fs::canonicalize(path) else {
        return true;
    };
    // `.git/config` holds the token `actions/checkout` leaves behind.
    if target.components().any(|c| c.as_os_str() == ".git") {
        return true;
    }
    let home = path
        .parent()
        .map(|p| {
            if p.as_os_str().is_empty() {
                Path::new(".")
            } else {
                p
            }
        })
        .and_then(|p| std::fs::canonicalize(p).ok());
    let cwd = std::env::current_dir()
        .ok()
        .and_then(|d| std::fs::canonicalize(d).ok());
    ![home, cwd]
        .into_iter()
        .flatten()
        .any(|root| target.starts_with(root))
}

/// The first `limit` bytes of a file, as text with invalid UTF-8 replaced:
/// enough to tell whether a file that could not be read whole is a scenario
/// at all (a large or Latin-1 YAML file that is not parity's is no error).
pub fn read_prefix(path: &Path, trust: Trust, limit: usize) -> Option<String> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt as _;
        if trust == Trust::Found {
            options.custom_flags(libc::O_NOFOLLOW | libc::O_NONBLOCK);
        }
    }
    let file = options.open(path).ok()?;
    if !file.metadata().ok()?.is_file() {
        return None;
    }
    let mut bytes = Vec::new();
    file.take(u64::try_from(limit).unwrap_or(u64::MAX))
        .read_to_end(&mut bytes)
        .ok()?;
    Some(String::from_utf8_lossy(&bytes).into_owned())
}

/// Reads standard input, at most `limit` bytes.
pub fn read_stdin(name: &str, limit: usize) -> Result<Source, ReadError> {
    let bytes = read_bounded(std::io::stdin().lock(), limit)?;
    let text = decode_utf8(bytes, name).map_err(|d| ReadError::NotUtf8(Box::new(d)))?;
    Ok(Source::text_only(name, text))
}

fn read_bounded(reader: impl std::io::Read, limit: usize) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    let most = u64::try_from(limit).unwrap_or(u64::MAX).saturating_add(1);
    reader
        .take(most)
        .read_to_end(&mut bytes)
        .map_err(ReadError::from_io)?;
    if bytes.len() > limit {
        return Err(ReadError::TooLong { limit });
    }
    Ok(bytes)
}

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
        return Err(Diagnostic::at_start(
            Code::InvalidUtf8,
            file,
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
    // No source holds bytes that are not text: the place keeps its line
    // and column for the renderer.
    let mut diagnostic = Diagnostic::new(Code::InvalidUtf8, file, Span::new(at, at), message);
    diagnostic.unplaced = Some(loc);
    Err(diagnostic.with_help(help))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_unreadable_file_is_one_diagnostic() {
        let d = unreadable_file("p.toml", "resolve", &"gone");
        assert_eq!(d.code, Code::UnreadableFile);
        assert_eq!(d.message, "cannot resolve p.toml: gone");
        assert_eq!((d.loc_in("").line, d.loc_in("").column), (1, 1));
        let d = ReadError::NotFound.diagnostic("s.yaml");
        assert_eq!(d.code, Code::UnreadableFile);
        assert_eq!(d.message, "cannot read s.yaml: no such file");
    }

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
        assert_eq!(d.code, Code::InvalidUtf8);
        assert_eq!(d.loc_in(""), Loc::new(3, 14));
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
        assert_eq!(error(&[0x80, b'a']).loc_in(""), Loc::new(1, 1));
        // "é" is 0xC3 0xA9: the file ends after its first byte.
        let d = error(b"a: 1\nb: \xc3");
        assert_eq!(d.loc_in(""), Loc::new(2, 4));
        assert_eq!(
            d.message,
            "the file is not UTF-8 text: it ends in the middle of a character"
        );
        // 0xC0 never starts a character; a CRLF ends line 1 as LF does.
        let d = error(b"x\r\n\xc0\xaf");
        assert_eq!(d.loc_in(""), Loc::new(2, 1));
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
        assert_eq!(d.loc_in(""), Loc::new(1, 1));
        assert_eq!(d.message, "the file is UTF-16 text, not UTF-8");
    }

    #[test]
    fn reading_stops_at_the_limit() {
        let result = read_bounded(std::io::repeat(0).take(10_000), 100);
        assert!(matches!(result, Err(ReadError::TooLong { limit: 100 })));
        let result = read_bounded(std::io::repeat(b'a').take(100), 100);
        assert_eq!(result.map(|b| b.len()).ok(), Some(100));
    }
}
