//! Bounded reading into a table of sources that every later stage and every
//! renderer quotes from: a file is read once, and never again to print an
//! error about it.

use crate::diag::{Diagnostic, Loc};
use std::io::Read as _;
use std::path::{Path, PathBuf};

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
    pub text: String,
    /// The file it came from, resolved, when it came from a file.
    pub path: Option<PathBuf>,
    pub file_id: Option<FileId>,
}

/// An index into `Sources`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SourceId(pub usize);

/// Every text a run has read.
#[derive(Debug, Default)]
pub struct Sources {
    items: Vec<Source>,
}

impl Sources {
    pub fn add(&mut self, source: Source) -> SourceId {
        self.items.push(source);
        SourceId(self.items.len() - 1)
    }

    pub fn get(&self, id: SourceId) -> Option<&Source> {
        self.items.get(id.0)
    }

    /// The text of the last source added under `name`: the one a diagnostic
    /// about `name` was made from.
    pub fn text_of(&self, name: &str) -> Option<&str> {
        self.items
            .iter()
            .rev()
            .find(|s| s.name == name)
            .map(|s| s.text.as_str())
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
    #[error("the file is {size} bytes, more than the limit of {limit} bytes")]
    TooLarge { size: u64, limit: usize },
    #[error("it is more than the limit of {limit} bytes")]
    TooLong { limit: usize },
    #[error("it is not UTF-8 text: the first invalid byte is at line {}, column {}", .0.line, .0.column)]
    NotUtf8(Loc),
    #[error("{0}")]
    Io(std::io::Error),
}

impl ReadError {
    /// The diagnostic code of this kind of failure (see docs/robustness.md).
    pub fn code(&self) -> &'static str {
        match self {
            ReadError::TooLarge { .. } | ReadError::TooLong { .. } => "file-too-large",
            ReadError::NotUtf8(_) => "invalid-utf8",
            ReadError::NotRegular(_) | ReadError::Link | ReadError::Directory => "not-a-file",
            ReadError::NotFound | ReadError::Io(_) => "unreadable-file",
        }
    }

    /// A located diagnostic for `name`.
    pub fn diagnostic(&self, name: &str) -> Diagnostic {
        let loc = match self {
            ReadError::NotUtf8(loc) => *loc,
            _ => Loc::new(1, 1),
        };
        let diagnostic = Diagnostic::new(
            self.code(),
            name,
            loc,
            format!("cannot read {name}: {self}"),
        );
        match self {
            ReadError::TooLarge { .. } | ReadError::TooLong { .. } => diagnostic
                .with_help("raise the limit with --limit-file-bytes if the file is genuine"),
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
    // The size is known before reading for a regular file; anything else
    // (a pipe, /dev/zero, a file growing meanwhile) is cut at the limit.
    if metadata.is_file() && metadata.len() > limit as u64 {
        return Err(ReadError::TooLarge {
            size: metadata.len(),
            limit,
        });
    }
    let bytes = read_bounded(file, limit)?;
    let text = decode(bytes)?;
    Ok(Source {
        name: name.to_string(),
        text,
        path: std::fs::canonicalize(path).ok(),
        file_id: FileId::of(&metadata),
    })
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
    Ok(Source {
        name: name.to_string(),
        text: decode(bytes)?,
        path: None,
        file_id: None,
    })
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

/// UTF-8 text, or where the first invalid byte is (its line, and its column
/// counted in characters of the valid text before it on that line).
pub fn decode(bytes: Vec<u8>) -> Result<String, ReadError> {
    String::from_utf8(bytes).map_err(|error| {
        let valid_up_to = error.utf8_error().valid_up_to();
        let bytes = error.as_bytes();
        // The prefix is valid UTF-8 by definition of `valid_up_to`.
        let before = std::str::from_utf8(&bytes[..valid_up_to]).unwrap_or("");
        ReadError::NotUtf8(crate::diag::loc_at(before, before.len()))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_utf8_is_located_at_its_line_and_column() {
        let error = decode(b"scenario: x\nname: caf\xc3\xa9 \xff\n".to_vec());
        match error {
            Err(ReadError::NotUtf8(loc)) => assert_eq!(loc, Loc::new(2, 12)),
            other => panic!("expected NotUtf8, got {other:?}"),
        }
        match decode(b"\xfe".to_vec()) {
            Err(ReadError::NotUtf8(loc)) => assert_eq!(loc, Loc::new(1, 1)),
            other => panic!("expected NotUtf8, got {other:?}"),
        }
    }

    #[test]
    fn reading_stops_at_the_limit() {
        let result = read_bounded(std::io::repeat(0).take(10_000), 100);
        assert!(matches!(result, Err(ReadError::TooLong { limit: 100 })));
        let result = read_bounded(std::io::repeat(b'a').take(100), 100);
        assert_eq!(result.map(|b| b.len()).ok(), Some(100));
    }
}
