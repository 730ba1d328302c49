//! Writing reports and formatted files without destroying anything: the
//! text goes to a temporary file beside the target, is flushed to disk, and
//! is renamed into place, so a failed write (a full disk) leaves the old file
//! whole, concurrent runs never interleave, and a symbolic link at the target
//! is replaced rather than written through.

use super::read::Sources;
use crate::diag::Code;
use std::io::Write as _;
use std::path::Path;

/// Why output could not be written.
#[derive(Debug, thiserror::Error)]
pub enum WriteError {
    #[error("{0} is an input of this run; refusing to overwrite it")]
    OntoInput(String),
    #[error("{0} is a directory")]
    Directory(String),
    #[error("cannot write {place}: {error}")]
    Io {
        place: String,
        error: std::io::Error,
    },
}

impl WriteError {
    pub fn code(&self) -> Code {
        match self {
            WriteError::OntoInput(_) => Code::OutputIsInput,
            WriteError::Directory(_) | WriteError::Io { .. } => Code::UnwritableOutput,
        }
    }
}

/// Writes a file through `write`. `inputs` are the sources this run read:
/// writing onto one of them (by any name or link) is refused (`fmt`, which
/// rewrites its inputs on purpose, passes none).
pub fn write_file(
    target: &Path,
    inputs: Option<&Sources>,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let place = target.display().to_string();
    if inputs.is_some_and(|i| i.is_input(target)) {
        return Err(WriteError::OntoInput(place));
    }
    let io = |error: std::io::Error| WriteError::Io {
        place: place.clone(),
        error,
    };
    let existing = std::fs::metadata(target).ok();
    if existing.as_ref().is_some_and(|m| m.is_dir()) {
        return Err(WriteError::Directory(place));
    }
    // A device or a pipe (`/dev/stdout`, `/dev/null`, a FIFO) cannot be
    // replaced, only written to.
    if existing.as_ref().is_some_and(|m| !m.is_file()) {
        let mut file = std::fs::OpenOptions::new()
            .write(true)
            .open(target)
            .map_err(io)?;
        return write_all(&mut file, write).map_err(io);
    }
    let directory = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent,
        _ => Path::new("."),
    };
    let mut temporary = Temporary::create_in(directory).map_err(io)?;
    write_all(&mut temporary.file, write).map_err(io)?;
    // The written file keeps the permissions of the one it replaces; a new
    // one gets the usual rw-r--r-- rather than the temporary file's rw-------.
    let permissions = match std::fs::symlink_metadata(target) {
        Ok(m) if m.is_file() => Some(m.permissions()),
        _ => default_permissions(),
    };
    if let Some(permissions) = permissions {
        temporary.file.set_permissions(permissions).map_err(io)?;
    }
    // Only a file synced to disk shows every error (a full disk can show
    // only here); then the rename replaces the old file all at once.
    temporary.file.sync_all().map_err(io)?;
    temporary.persist(target).map_err(io)?;
    Ok(())
}

/// A new file beside the target, removed unless it is renamed into place.
/// (Written here rather than with the tempfile crate so that an error names
/// what the user asked for, not a random temporary name.)
struct Temporary {
    path: std::path::PathBuf,
    file: std::fs::File,
    kept: bool,
}

impl Temporary {
    fn create_in(directory: &Path) -> std::io::Result<Temporary> {
        use std::sync::atomic::{AtomicU64, Ordering};
        static COUNTER: AtomicU64 = AtomicU64::new(0);
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt as _;
            options.mode(0o600);
        }
        let mut tries = 0;
        loop {
            let name = format!(
                ".parity-{}-{nanos:x}-{}.tmp",
                std::process::id(),
                COUNTER.fetch_add(1, Ordering::Relaxed)
            );
            let path = directory.join(name);
            match options.open(&path) {
                Ok(file) => {
                    return Ok(Temporary {
                        path,
                        file,
                        kept: false,
                    });
                }
                // Another run's file, or one left by a killed run: take another name.
                Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists && tries < 100 => {
                    tries += 1;
                }
                Err(error) => return Err(error),
            }
        }
    }

    fn persist(mut self, target: &Path) -> std::io::Result<()> {
        std::fs::rename(&self.path, target)?;
        self.kept = true;
        Ok(())
    }
}

impl Drop for Temporary {
    fn drop(&mut self) {
        if !self.kept {
            let _ = std::fs::remove_file(&self.path);
        }
    }
}

fn write_all(
    file: &mut std::fs::File,
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, file);
    write(&mut out)?;
    out.flush()
}

fn default_permissions() -> Option<std::fs::Permissions> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        Some(std::fs::Permissions::from_mode(0o644))
    }
    #[cfg(not(unix))]
    {
        None
    }
}

/// Writes to standard output through `write`. A closed pipe (`| head`) is
/// not an error: the reader has what it wanted, so the write ends quietly,
/// as ripgrep's does.
pub fn write_stdout(
    write: impl FnOnce(&mut dyn std::io::Write) -> std::io::Result<()>,
) -> Result<(), WriteError> {
    let mut out = std::io::BufWriter::with_capacity(1 << 16, std::io::stdout().lock());
    match write(&mut out).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(error) if error.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        Err(error) => Err(WriteError::Io {
            place: "standard output".to_string(),
            error,
        }),
    }
}
