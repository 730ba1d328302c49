//! The scenario loader on arbitrary UTF-8: YAML parsing, decoding,
//! validation, and the rendering of every diagnostic against the text.
//! First, the fast YAML reader against serde-saphyr: wherever the reader
//! answers (read whole, or cut in pieces as large files are), it must give
//! serde-saphyr's tree exactly. Then the loader decoding as it reads (long
//! lists a piece at a time) against the loader reading whole: the same
//! scenario or the same errors.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity::scenario::load::{load_source_streamed, load_str};
use parity::source::{Located, SourceId};
use std::sync::Arc;
use parity::scenario::yaml::{YamlLimits, parse_full, subset};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = YamlLimits::default();
    let whole = subset::parse_split(text, &limits, usize::MAX);
    let pieces = subset::parse_split(text, &limits, 64);
    assert_eq!(whole, pieces, "the reader cut in pieces reads otherwise");
    if let Some(tree) = whole {
        match parse_full(text, "fuzz.yaml", &limits) {
            Ok(full) => assert_eq!(tree, full, "the fast reader and serde-saphyr disagree"),
            Err(error) => panic!("the fast reader accepts what serde-saphyr rejects: {error:?}"),
        }
    }
    let shared = Arc::new(Located::new(SourceId::NONE, text));
    let load = |stream_min| match load_source_streamed(&shared, "fuzz.yaml", &limits, stream_min) {
        Ok(scenario) => format!("{scenario:?}"),
        Err(diagnostics) => format!("{diagnostics:?}"),
    };
    assert_eq!(load(64), load(usize::MAX), "streamed and whole loads differ");
    if let Err(diagnostics) = load_str(text, "fuzz.yaml", &limits) {
        for d in &diagnostics {
            let _ = d.render(Some(text));
        }
    }
});
