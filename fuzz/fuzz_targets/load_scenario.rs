//! The scenario loader on arbitrary UTF-8: YAML parsing, decoding,
//! validation, and the rendering of every diagnostic against the text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity::scenario::load::load_str;
use parity::scenario::yaml::YamlLimits;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let limits = YamlLimits::default();
    if let Err(diagnostics) = load_str(text, "fuzz.yaml", &limits) {
        for d in &diagnostics {
            let _ = d.render(Some(text));
        }
    }
});
