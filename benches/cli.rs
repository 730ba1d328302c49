//! End-to-end benchmarks of the `parity` binary on SYNTHETIC worlds
//! (examples/gen.rs), written to a temporary directory once per run:
//! `check` (human and json output) for N = 50 / 100 / 200 states,
//! `timeline` and `propose` (100 generated proposals) for N = 50.
//!
//! ```sh
//! cargo bench --bench cli
//! ```
//!
//! Exit status 1 (findings) is expected; anything else fails the bench.

// Benches may stop with a message on impossible states (docs: benches/examples may use expect).
#![allow(clippy::expect_used, clippy::panic)]

#[path = "../examples/gen.rs"]
#[allow(dead_code)]
mod gen_world;

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

fn main() {
    divan::main();
    // Generated files are not kept.
    let _ = std::fs::remove_dir_all(dir());
}

fn dir() -> PathBuf {
    std::env::temp_dir().join(format!("parity-bench-{}", std::process::id()))
}

const SIZES: [u32; 3] = [50, 100, 200];
const PROPOSALS: u32 = 100;

/// The generated files: (states, world, proposals).
fn files() -> &'static Vec<(u32, PathBuf, PathBuf)> {
    static FILES: OnceLock<Vec<(u32, PathBuf, PathBuf)>> = OnceLock::new();
    FILES.get_or_init(|| {
        let dir = dir();
        std::fs::create_dir_all(&dir).expect("create the temp dir");
        SIZES
            .iter()
            .map(|&n| {
                let params = gen_world::Params::new(n);
                let world = dir.join(format!("world-{n}.yaml"));
                let proposals = dir.join(format!("proposals-{n}.yaml"));
                std::fs::write(&world, gen_world::scenario(&params)).expect("write the world");
                std::fs::write(&proposals, gen_world::proposals(&params, PROPOSALS))
                    .expect("write the proposals");
                (n, world, proposals)
            })
            .collect()
    })
}

fn world(n: u32) -> &'static (u32, PathBuf, PathBuf) {
    files()
        .iter()
        .find(|(k, _, _)| *k == n)
        .expect("a benchmarked size")
}

fn run(args: &[&std::ffi::OsStr]) {
    let status = Command::new(env!("CARGO_BIN_EXE_parity"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .expect("run parity");
    assert!(
        matches!(status.code(), Some(0 | 1)),
        "parity {args:?} failed: {status}"
    );
}

#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn check_json(b: divan::Bencher, n: u32) {
    let (_, world, _) = world(n);
    b.bench(|| {
        run(&[
            "check".as_ref(),
            world.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
    });
}

#[divan::bench(args = SIZES, sample_count = 3, sample_size = 1)]
fn check_human(b: divan::Bencher, n: u32) {
    let (_, world, _) = world(n);
    b.bench(|| run(&["check".as_ref(), world.as_os_str()]));
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn timeline_50(b: divan::Bencher) {
    let (_, world, _) = world(50);
    b.bench(|| {
        run(&[
            "timeline".as_ref(),
            world.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
    });
}

#[divan::bench(sample_count = 3, sample_size = 1)]
fn propose_50x100(b: divan::Bencher) {
    let (_, world, proposals) = world(50);
    b.bench(|| {
        run(&[
            "propose".as_ref(),
            world.as_os_str(),
            "--proposals".as_ref(),
            proposals.as_os_str(),
            "--format".as_ref(),
            "json".as_ref(),
        ])
    });
}
