//! `parity precedence`: the diplomatic list of a receiving state at a date.

use super::{Exit, Session, count, done};
use crate::CheckOptions;
use crate::report::{self, Format};
use crate::scenario::date::Date;
use crate::scenario::yaml::YamlLimits;
use std::path::PathBuf;

/// What `parity precedence` is told.
#[derive(Debug, Clone)]
pub struct PrecedenceArgs {
    /// The scenario file.
    pub file: PathBuf,
    /// The receiving state's id.
    pub receiver: String,
    /// --as-of; else parity.toml's `as-of`, else the scenario's `as_of`.
    pub as_of: Option<Date>,
    /// Human, JSON, Markdown or HTML; the CI formats are refused.
    pub format: Format,
    pub limits: YamlLimits,
    /// --output; else standard output.
    pub output: Option<PathBuf>,
}

/// `parity precedence`: 0 when the list is written (an empty one included),
/// 2 on an input or usage error.
pub fn precedence(session: &mut Session, args: &PrecedenceArgs) -> Exit {
    // Refused before anything is read, as the other commands refuse them.
    // Markdown is the one `check` format a diplomatic list has too.
    if let Err(code) = super::evaluate::refuse_format(session, "precedence", args.format) {
        return code;
    }
    let scenario = match session.load_scenario(&args.file, &args.limits) {
        Ok(scenario) => scenario,
        Err(code) => return code,
    };
    let options = CheckOptions {
        as_of: args.as_of.or(session.config.as_ref().and_then(|c| c.as_of)),
        ..CheckOptions::default()
    };
    match crate::engine::precedence::precedence(&scenario, &args.receiver, &options) {
        Ok(list) => {
            let text = match args.format {
                Format::Json => report::json::value(&list),
                Format::Markdown => report::markdown::render_precedence(&list),
                Format::Html => report::html::render_precedence(&list),
                _ => report::human::render_precedence(&list),
            };
            done(session.emit(args.output.as_deref(), &text))
        }
        Err(diagnostics) => {
            session.print(&diagnostics);
            say!(
                session,
                "parity: {}; nothing was listed",
                count(diagnostics.len())
            );
            Exit::InputError
        }
    }
}
