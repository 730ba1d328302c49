//! The scenario loader on arbitrary UTF-8: YAML parsing, decoding,
//! validation, and the rendering of every diagnostic against the text.
//! First, the fast YAML reader against serde-saphyr: wherever the reader
//! answers (read whole, or cut in pieces as large files are), it must give
//! serde-saphyr's tree exactly.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity::scenario::load::load_str;
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
    if let Err(diagnostics) = load_str(text, "fuzz.yaml", &limits) {
        for d in &diagnostics {
            let _ = d.render(Some(text));
        }
    }
});
