//! The layers: a prepared scenario gives what `check` gives at every date;
//! the formats render from one `Context` (the network drawn by the engine,
//! no `World` in the renderer) exactly as their library functions do; and
//! the engine does not reach back into the renderers.
// Test helpers outside #[test] functions report failures by panicking.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

use parity::engine::network::Network;
use parity::engine::{Prepared, check_one};
use parity::io::Sources;
use parity::lang::ast::Severity;
use parity::report::graph::GraphFormat;
use parity::report::{Context, Format, Report, graph, markdown};
use parity::scenario::date::Date;
use parity::scenario::load::load_str;
use parity::scenario::model::Scenario;
use parity::scenario::world::World;
use parity::scenario::yaml::YamlLimits;
use parity::{CheckOptions, RuleSet, check};
use std::path::Path;

const FILE: &str = "fixtures/kabul-2024-09.yaml";

fn scenario() -> Scenario {
    let text = std::fs::read_to_string(FILE).unwrap();
    load_str(&text, FILE, &YamlLimits::default()).unwrap()
}

fn at(date: &str) -> CheckOptions {
    CheckOptions {
        as_of: Some(Date::parse(date).unwrap()),
        ..CheckOptions::default()
    }
}

#[test]
fn a_prepared_scenario_checks_as_check_does_at_every_date() {
    let scenario = scenario();
    let rules = RuleSet::standard().unwrap();
    let prepared = Prepared::new(&scenario, &rules).unwrap();
    for date in ["2021-08-01", "2024-09-01", "2024-09-27", "2030-01-01"] {
        let options = at(date);
        let once = prepared
            .check_at(&rules, Date::parse(date).unwrap(), options.budget)
            .unwrap();
        assert_eq!(once, check(&scenario, &rules, &options).unwrap(), "{date}");
    }
}

fn render(format: &dyn parity::report::Render, report: &Report, network: Network) -> String {
    let rules = RuleSet::standard().unwrap();
    let sources = Sources::default();
    let reports = std::slice::from_ref(report);
    let networks = [network];
    let cx = Context {
        reports,
        networks: &networks,
        failed: &[],
        order: &[true],
        many: false,
        rules: &rules,
        fail_on: Severity::Error,
        base: Path::new("."),
        cwd: Path::new(""),
        sources: &sources,
    };
    let mut out = Vec::new();
    format.render(&cx, &mut out).unwrap();
    String::from_utf8(out).unwrap()
}

#[test]
fn markdown_and_graphs_from_the_engines_network_match_those_from_a_world() {
    let scenario = scenario();
    let rules = RuleSet::standard().unwrap();
    for date in ["2024-09-01", "2024-09-27"] {
        let (report, network) = check_one(&scenario, &rules, &at(date), true).unwrap();
        let network = network.unwrap();
        let world = World::at(&scenario, Date::parse(date).unwrap());
        assert!(Format::Markdown.renderer().needs_network());
        assert_eq!(
            render(Format::Markdown.renderer(), &report, network.clone()),
            markdown::render(&[(&report, &world)], &[]),
            "{date}"
        );
        for format in [GraphFormat::Dot, GraphFormat::Mermaid] {
            assert_eq!(
                render(format.renderer(), &report, network.clone()),
                graph::render(&world, Some(&report), format),
                "{date}"
            );
        }
    }
}

#[test]
fn only_formats_that_draw_ask_for_the_network() {
    for format in [
        Format::Human,
        Format::Json,
        Format::Sarif,
        Format::Junit,
        Format::Github,
    ] {
        assert!(!format.renderer().needs_network(), "{format:?}");
    }
    assert!(!Format::Json.check_only() && Format::Sarif.check_only());
}

#[test]
fn the_engine_does_not_import_the_renderers() {
    let dir = Path::new("src/engine");
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(
            !text.contains("crate::report"),
            "{} imports crate::report: the engine must not depend on its renderers",
            path.display()
        );
    }
}

/// `parity check FILES --as-of 2024-09-27 --format json [--output OUTPUT]`.
fn check_args(
    files: Vec<std::path::PathBuf>,
    output: Option<std::path::PathBuf>,
) -> parity::commands::CheckArgs {
    parity::commands::CheckArgs {
        files,
        stdin_filename: None,
        trust: parity::io::Trust::Named,
        as_of: Some(Date::parse("2024-09-27").unwrap()),
        base_dir: None,
        evaluation: parity::commands::Evaluation {
            rules: Vec::new(),
            format: Format::Json,
            fail_on: None,
            budget: parity::eval::Budget::default(),
            limits: YamlLimits::default(),
            output,
        },
    }
}

#[test]
fn a_command_runs_from_the_library_as_from_the_cli() {
    use parity::commands::{Exit, Session};
    let output = Path::new(env!("CARGO_TARGET_TMPDIR")).join("layers-check.json");
    let mut session = Session::start(None, true).unwrap_or_else(|_| panic!("no session"));
    let args = check_args(vec![FILE.into()], Some(output.clone()));
    let exit = parity::commands::check(&mut session, &args);
    let report = check(
        &scenario(),
        &RuleSet::standard().unwrap(),
        &at("2024-09-27"),
    )
    .unwrap();
    let expected = if report.fails(Severity::Error) {
        Exit::Findings
    } else {
        Exit::Clean
    };
    assert_eq!(exit, expected);
    assert_eq!(
        std::fs::read_to_string(&output).unwrap(),
        parity::report::json::render(&[report])
    );
}

/// A library caller runs a command as the CLI does, with the streams in
/// buffers it reads: the report on its standard output, input errors on its
/// standard error, none of it on the process's.
#[test]
fn a_command_writes_to_the_streams_its_session_names() {
    use parity::commands::{Exit, Session, Streams};
    let args = |files| check_args(files, None);
    let mut session = Session::start(None, true).unwrap_or_else(|_| panic!("no session"));
    let (streams, written) = Streams::captured();
    session.streams = streams;
    let exit = parity::commands::check(&mut session, &args(vec![FILE.into()]));
    let report = check(
        &scenario(),
        &RuleSet::standard().unwrap(),
        &at("2024-09-27"),
    )
    .unwrap();
    assert_ne!(exit, Exit::InputError);
    {
        let written = written.lock().unwrap();
        assert_eq!(
            String::from_utf8_lossy(&written.stdout),
            parity::report::json::render(&[report])
        );
        assert!(written.stderr.is_empty(), "{:?}", written.stderr);
    }

    let broken = Path::new(env!("CARGO_TARGET_TMPDIR")).join("layers-broken.yaml");
    std::fs::write(&broken, "scenario: t\nas_of: 2024-13-01\n").unwrap();
    let mut session = Session::start(None, true).unwrap_or_else(|_| panic!("no session"));
    let (streams, written) = Streams::captured();
    session.streams = streams;
    let exit = parity::commands::check(&mut session, &args(vec![broken.clone()]));
    assert_eq!(exit, Exit::InputError);
    let written = written.lock().unwrap();
    let messages = String::from_utf8_lossy(&written.stderr);
    assert!(messages.contains("error[impossible-date]"), "{messages}");
    assert!(messages.contains("layers-broken.yaml:2:"), "{messages}");
}
