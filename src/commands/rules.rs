//! The commands about rule files: `rules`, `fmt`, `explain`.

use super::files::find;
use super::{Exit, Session, done};
use crate::diag::{Code, Diagnostic};
use crate::io::{Sources, Trust};
use std::path::PathBuf;

/// `parity rules`: id, severity and title of each rule.
pub fn list_rules(session: &mut Session, extra: &[PathBuf]) -> Exit {
    let set = match session.rules(extra) {
        Ok(set) => set,
        Err(code) => return code,
    };
    let mut text = String::new();
    for rule in &set.rules {
        text.push_str(&format!(
            "{:<34} {:<8} {}\n",
            rule.id,
            rule.severity.word(),
            rule.title
        ));
    }
    done(session.emit(None, &text))
}

/// `parity fmt`: lays the rule files out canonically, or with `check`
/// lists those that are not.
pub fn format_rule_files(session: &Session, paths: &[PathBuf], check: bool) -> Exit {
    let roots: Vec<crate::io::Root> = paths
        .iter()
        .map(|p| crate::io::Root {
            path: p.clone(),
            trust: Trust::Named,
        })
        .collect();
    let found = find(session, &roots, crate::io::Purpose::Rules);
    let mut changed = Vec::new();
    let mut broken = false;
    for file in &found {
        let name = file.name.clone();
        let limit = crate::lang::ruleset::MAX_RULE_FILE_BYTES;
        let source = match crate::io::read::read_file(&file.path, &name, file.trust, limit) {
            Ok(source) => source,
            Err(error) => {
                session.print(&[error.diagnostic(&name)]);
                broken = true;
                continue;
            }
        };
        match crate::lang::fmt::format_rules(source.text(), &name) {
            Ok(formatted) if formatted == source.text() => {}
            Ok(formatted) => {
                // The file itself is the target: a link named here is
                // formatted where it leads, not replaced by a copy.
                let target = crate::io::discover::resolve(&file.path).unwrap_or(file.path.clone());
                if !check
                    && let Err(error) = crate::io::write_file(&target, None, |out| {
                        out.write_all(formatted.as_bytes())
                    })
                {
                    say!(session, "error[{}]: {error}", error.code());
                    broken = true;
                    continue;
                }
                changed.push(name);
            }
            // A scenario named to `fmt` by mistake: say what fmt is for
            // rather than report its first line as a rule's syntax error.
            Err(_) if crate::io::discover::is_scenario_text(source.text()) => {
                let diagnostic = Diagnostic::at_start(
                    Code::Usage,
                    &name,
                    format!(
                        "{name} is a scenario file: `parity fmt` lays out rule files (*.rules) only"
                    ),
                )
                .with_help(
                    "scenarios are YAML, which parity does not rewrite; `parity check` checks them",
                );
                session.print(&[diagnostic]);
                broken = true;
            }
            Err(diagnostics) => {
                let mut sources = Sources::default();
                sources.add(source);
                let shown = Session {
                    sources,
                    config: None,
                    colour: session.colour,
                    streams: session.streams.clone(),
                };
                shown.print(&diagnostics);
                broken = true;
            }
        }
    }
    let mut text = String::new();
    for name in &changed {
        let verb = if check {
            "would reformat"
        } else {
            "reformatted"
        };
        text.push_str(&format!("{verb} {}\n", crate::diag::printable(name)));
    }
    if let Err(code) = session.emit(None, &text) {
        return code;
    }
    if broken {
        Exit::InputError
    } else if check && !changed.is_empty() {
        Exit::Findings
    } else {
        Exit::Clean
    }
}

/// `parity explain`: a rule of the rule set, else a finding built into
/// parity, else a diagnostic code; an unknown id is an input error naming
/// the nearest rule or code.
pub fn explain(session: &mut Session, id: &str, extra: &[PathBuf]) -> Exit {
    let set = match session.rules(extra) {
        Ok(set) => set,
        Err(code) => return code,
    };
    match set.get(id) {
        Some(rule) => done(session.emit(None, &crate::lang::explain::explain(rule))),
        None if let Some(own) = crate::engine::builtin::get(id) => {
            done(session.emit(None, &own.explain()))
        }
        None if let Some(text) = crate::diag::explain(id) => done(session.emit(None, &text)),
        None => {
            let ids: Vec<&str> = set.rules.iter().map(|r| r.id.as_str()).collect();
            let codes = Code::ALL.iter().map(|c| c.as_str());
            let hint = crate::diag::nearest(id, ids.iter().copied().chain(codes))
                .map(|n| format!("; did you mean `{n}`?"))
                .unwrap_or_else(|| format!("; the rules are: {}", ids.join(", ")));
            say!(
                session,
                "error[{}]: there is no rule `{}`{hint}",
                Code::UnknownRule,
                crate::diag::printable(id)
            );
            Exit::InputError
        }
    }
}
