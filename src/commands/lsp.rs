//! `parity lsp`: the language server (`crate::lsp`) on standard input and
//! output, with the rules `check` would use (the standard ones, and
//! --rules or parity.toml's `rules`).

use super::{Exit, Session};
use crate::scenario::yaml::YamlLimits;
use std::path::PathBuf;

/// Serves one editor until it says `exit` or closes the pipe.
pub fn lsp(session: &mut Session, rules: &[PathBuf], limits: YamlLimits) -> Exit {
    let rules = match session.rules(rules) {
        Ok(rules) => rules,
        Err(code) => return code,
    };
    let setup = crate::lsp::Setup { rules, limits };
    let input = std::io::BufReader::new(std::io::stdin());
    let stdout = std::io::stdout();
    let mut output = stdout.lock();
    match crate::lsp::serve(setup, input, &mut output) {
        crate::lsp::Ending::Clean => Exit::Clean,
        // The protocol's exit status 1 for an `exit` without `shutdown`.
        crate::lsp::Ending::Abrupt => Exit::Findings,
    }
}
