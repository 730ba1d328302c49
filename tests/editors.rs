//! `parity lsp` under a real editor's client: Neovim's built-in LSP client
//! (Debian's `neovim`; skipped, with a message, where it is not installed)
//! opens the Kabul fixture, gets its diagnostics, a hover, and the
//! diagnostics of an edit, then stops the server. The protocol tests in
//! tests/lsp.rs speak for the server; this one for a client we did not write.
// Test helpers outside #[test] functions report failures by panicking.
#![allow(clippy::panic, clippy::unwrap_used, clippy::expect_used)]

mod common;

use common::scratch;
use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

const FILE: &str = "fixtures/kabul-2024-09.yaml";

fn neovim() -> Option<PathBuf> {
    ["/usr/bin/nvim", "/usr/local/bin/nvim"]
        .into_iter()
        .map(PathBuf::from)
        .find(|p| p.exists())
}

#[test]
fn neovim_shows_the_kabul_findings_a_hover_and_an_edits_error() {
    let Some(nvim) = neovim() else {
        eprintln!("skipped: Neovim is not installed (apt-get install neovim)");
        return;
    };
    let dir = scratch("neovim");
    // A copy, so that the edit never reaches the fixture (nothing is saved).
    let file = dir.join("kabul.yaml");
    std::fs::copy(FILE, &file).unwrap();
    let out = dir.join("seen.txt");
    let script = std::fs::canonicalize("tests/editors/neovim.lua").unwrap();
    let mut child = Command::new(nvim)
        .args(["--headless", "-n", "-i", "NONE", "-u", "NONE", "-c"])
        .arg(format!("luafile {}", script.display()))
        .env("PARITY", env!("CARGO_BIN_EXE_parity"))
        .env("FILE", &file)
        .env("OUT", &out)
        .env("XDG_STATE_HOME", dir.join("state"))
        .env("XDG_DATA_HOME", dir.join("data"))
        .current_dir(&dir)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let deadline = Instant::now() + Duration::from_secs(120);
    while child.try_wait().unwrap().is_none() {
        if Instant::now() > deadline {
            let _ = child.kill();
            panic!("Neovim did not finish in two minutes");
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let seen = std::fs::read_to_string(&out).unwrap_or_else(|e| panic!("nothing seen: {e}"));
    let lines: Vec<&str> = seen.lines().collect();
    let has = |prefix: &str| lines.iter().any(|l| l.starts_with(prefix));
    assert!(has("diagnostics true "), "{seen}");
    // The main job's verdict, where `parity check` puts it (269:9: China's
    // ambassador), as an error (severity 1), in words.
    assert!(
        lines.iter().any(|l| l.starts_with("diagnostic 269:9 1 implied-recognition China's ambassador in Afghanistan presented credentials to Islamic Emirate of Afghanistan (Taliban)")),
        "{seen}"
    );
    // Waived findings are hints (4), with the waiver's reason.
    assert!(
        lines
            .iter()
            .any(|l| l.contains(" 4 head-vacant waived (line ")),
        "{seen}"
    );
    assert!(
        has("hover `kind` of a mission: one of `embassy`, `consulate-general`"),
        "{seen}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("edited ") && l.contains("NOWHERE")),
        "{seen}"
    );
    // Exit 0: `shutdown` then `exit`, as the client stops a server.
    assert!(has("exit 0"), "{seen}");
    let _ = std::fs::remove_dir_all(&dir);
}
