//! `parity import cow`: a Correlates of War Diplomatic Exchange CSV as a
//! scenario.

use super::{Exit, Session};
use crate::import::cow::{CowOptions, import};
use std::path::Path;

/// Reads `path` (at most `limit` bytes), writes the scenario to `output` or
/// standard output, and says on stderr what was read. 0 when written, 2 on
/// an input or output error.
pub fn import_cow(
    session: &mut Session,
    path: &Path,
    options: &CowOptions,
    output: Option<&Path>,
    limit: usize,
) -> Exit {
    if let (Some(from), Some(until)) = (options.from, options.until)
        && until < from
    {
        say!(
            session,
            "error[{}]: --until {until} is before --from {from}",
            crate::diag::Code::Usage
        );
        return Exit::InputError;
    }
    let source = match session.read_named(path, None, limit) {
        Ok(source) => source,
        Err(code) => return code,
    };
    let id = session.sources.add(source);
    let Some(source) = session.sources.get(id) else {
        return Exit::InputError;
    };
    let name = source.name.clone();
    match import(source.text(), &name, options) {
        Ok(imported) => {
            let written = session.emit(output, &imported.yaml);
            if written.is_ok() {
                say!(
                    session,
                    "parity: {} of {name} read: {} kept, {} marked missing (-9) left out",
                    super::counted(imported.rows, "row", "rows"),
                    super::counted(imported.observations, "level", "levels"),
                    imported.missing
                );
            }
            super::done(written)
        }
        Err(diagnostics) => {
            session.print(&diagnostics);
            say!(
                session,
                "parity: {} in {name}; nothing was written",
                super::count(diagnostics.len())
            );
            Exit::InputError
        }
    }
}
