//! Applying a proposal: the scenario as it would be if its changes were made
//! on the proposal's date. The result is validated like any scenario, so a
//! change that makes it inconsistent is an input error at the change.

use super::date::{Date, in_force};
use super::model::{At, Change, Head, Mission, Proposal, Recognition, Scenario};
use super::validate;
use crate::diag::Code;
use crate::diag::Diagnostic;

/// The scenario with the proposal's changes made on `proposal.on`.
/// `file` names the file the proposal was written in.
pub fn apply(
    scenario: &Scenario,
    proposal: &Proposal,
    file: &str,
) -> Result<Scenario, Vec<Diagnostic>> {
    let on = proposal.on.value;
    let mut next = scenario.clone();
    next.proposals.clear();
    // The proposal's text, which also locates the scenario's spans.
    next.located = proposal.located.clone();
    let mut errors = Vec::new();
    for change in &proposal.changes {
        if let Err(error) = make(&mut next, change, on, file) {
            errors.push(*error);
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut problems = Vec::new();
    validate::validate(&next, &mut problems);
    if problems.is_empty() {
        return Ok(next);
    }
    // Point at the proposal, and say what the change would break.
    let reasons: Vec<String> = problems.iter().map(|d| d.message.clone()).collect();
    Err(vec![
        Diagnostic::new(
            Code::InvalidChange,
            file,
            proposal.id.span,
            format!(
                "proposal `{}` would make the scenario invalid: {}",
                proposal.id.value,
                reasons.join("; ")
            ),
        )
        .with_width(proposal.id.value.chars().count()),
    ])
}

fn make(
    scenario: &mut Scenario,
    change: &Change,
    on: Date,
    file: &str,
) -> Result<(), Box<Diagnostic>> {
    // Each error is at the mission the change names, underlined whole.
    let error = |mission: &At<String>, message: String| {
        Box::new(
            Diagnostic::new(Code::InvalidChange, file, mission.span, message)
                .with_width(mission.value.chars().count()),
        )
    };
    match change {
        Change::Appoint {
            mission,
            head,
            span,
        } => {
            let target = open_mission(scenario, mission, on).ok_or_else(|| {
                error(
                    mission,
                    format!(
                        "cannot appoint to `{}`: it is not open on {on}",
                        mission.value
                    ),
                )
            })?;
            appoint(target, head, on, *span);
            Ok(())
        }
        Change::Recall { mission, .. } => {
            let target = open_mission(scenario, mission, on).ok_or_else(|| {
                error(
                    mission,
                    format!(
                        "cannot recall from `{}`: it is not open on {on}",
                        mission.value
                    ),
                )
            })?;
            if end_head(target, on) {
                Ok(())
            } else {
                Err(error(
                    mission,
                    format!(
                        "`{}` has no head in office on {on} to recall",
                        mission.value
                    ),
                ))
            }
        }
        Change::Close { mission, .. } => {
            let target = open_mission(scenario, mission, on).ok_or_else(|| {
                error(
                    mission,
                    format!("cannot close `{}`: it is not open on {on}", mission.value),
                )
            })?;
            close(target, mission, on);
            Ok(())
        }
        Change::Open { mission, span } => {
            let mut mission = (**mission).clone();
            if mission.from.is_none() {
                mission.from = Some(At::new(on, *span));
            }
            for head in &mut mission.heads {
                head.proposed = true;
            }
            scenario.missions.push(mission);
            Ok(())
        }
        Change::Recognize { recognition, span } => {
            let recognition = recognition_made(recognition, on, *span);
            for existing in &mut scenario.recognitions {
                if supersedes(&recognition, existing, on) {
                    existing.until = Some(At::new(on, *span));
                }
            }
            scenario.recognitions.push(recognition);
            Ok(())
        }
        Change::Relate { relation, span } => {
            let mut relation = relation.clone();
            if relation.from.is_none() {
                relation.from = Some(At::new(on, *span));
            }
            // The new record supersedes the pair's record in force on `on`.
            let [a, b] = &relation.between;
            for existing in &mut scenario.relations {
                if existing.is_between(&a.value, &b.value)
                    && in_force(value(&existing.from), value(&existing.until), on)
                {
                    existing.until = Some(At::new(on, *span));
                }
            }
            scenario.relations.push(relation);
            Ok(())
        }
        // `on` already defaults to the proposal's (the loader fills it in).
        Change::Event { event, .. } => {
            scenario.events.push((**event).clone());
            Ok(())
        }
    }
}

fn value(at: &Option<At<Date>>) -> Option<Date> {
    at.as_ref().map(|a| a.value)
}

/// The mission of that id, if it is open on `on`.
fn open_mission<'a>(
    scenario: &'a mut Scenario,
    id: &At<String>,
    on: Date,
) -> Option<&'a mut Mission> {
    scenario
        .missions
        .iter_mut()
        .find(|m| m.id.value == id.value && open_on(m, on))
}

/// Whether a mission is open on `on`.
pub fn open_on(mission: &Mission, on: Date) -> bool {
    in_force(value(&mission.from), value(&mission.until), on)
}

/// The mission a change alters alone (an appointment, a recall, a closing).
pub fn mission_of(change: &Change) -> Option<&At<String>> {
    match change {
        Change::Appoint { mission, .. }
        | Change::Recall { mission, .. }
        | Change::Close { mission, .. } => Some(mission),
        _ => None,
    }
}

/// Makes a change that `mission_of` names a mission for on that mission:
/// what `apply` does to it. False where `apply` would refuse the change
/// (the mission is not open on `on`; a recall with no head in office).
pub fn make_on_mission(target: &mut Mission, change: &Change, on: Date) -> bool {
    if !open_on(target, on) {
        return false;
    }
    match change {
        Change::Appoint { head, span, .. } => {
            appoint(target, head, on, *span);
            true
        }
        Change::Recall { .. } => end_head(target, on),
        Change::Close { mission, .. } => {
            close(target, mission, on);
            true
        }
        _ => false,
    }
}

/// Closes the mission on `on`, ending its head in office.
fn close(target: &mut Mission, mission: &At<String>, on: Date) {
    target.until = Some(At::new(on, mission.span));
    end_head(target, on);
}

/// The record a `recognize` adds: in force from `on` unless it says.
pub fn recognition_made(
    recognition: &Recognition,
    on: Date,
    span: crate::source::Span,
) -> Recognition {
    let mut recognition = recognition.clone();
    if recognition.from.is_none() {
        recognition.from = Some(At::new(on, span));
    }
    recognition
}

/// Whether a new recognition record ends `existing` on `on`: one between
/// the same parties in force then.
pub fn supersedes(new: &Recognition, existing: &Recognition, on: Date) -> bool {
    existing.by.value == new.by.value
        && existing.of.value == new.of.value
        && in_force(value(&existing.from), value(&existing.until), on)
}

/// Ends the head in office and adds `head` (proposed), from `on` unless it says.
fn appoint(target: &mut Mission, head: &Head, on: Date, span: crate::source::Span) {
    end_head(target, on);
    let mut head = head.clone();
    head.proposed = true;
    if head.from.is_none() {
        head.from = Some(At::new(on, span));
    }
    target.heads.push(head);
}

/// Ends the head in office on `on` at that date; false when there is none.
fn end_head(mission: &mut Mission, on: Date) -> bool {
    let current: Option<&mut Head> = mission
        .heads
        .iter_mut()
        .find(|h| in_force(value(&h.from), value(&h.until), on));
    match current {
        Some(head) => {
            let span = head.until.as_ref().map_or(head.span, |u| u.span);
            head.until = Some(At::new(on, span));
            true
        }
        None => false,
    }
}
