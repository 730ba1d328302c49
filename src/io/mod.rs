//! The I/O boundary: the only module of the library that touches the file
//! system. Everything else works on `Source`s already read.
//!
//! Inputs in a pull request are untrusted, so:
//! - `discover` walks directories as ripgrep does (the `ignore` crate):
//!   regular files only, hidden directories, `target/`, `node_modules/` and
//!   what `.gitignore` ignores skipped, symbolic links followed only to a
//!   regular file inside the directory walked (so never to `/proc`, a device
//!   or a FIFO, and never in a loop);
//! - `read` checks a file's type and size on the open file before reading,
//!   and never reads more than the limit;
//! - `write` puts a report or a formatted file in place by renaming a
//!   temporary file, and refuses to write onto an input of the same run.

pub mod discover;
pub mod read;
pub mod write;

pub use discover::{Discovery, Found, Purpose, Root, discover};
pub use read::{ReadError, Source, SourceId, Sources, Trust};
pub use write::{WriteError, write_file, write_stdout};
