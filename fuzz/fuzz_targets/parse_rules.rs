//! The rule parser on arbitrary UTF-8: `parse_rules`, then (on success) the
//! static checker and the formatter, and `parse_expr` on the same text.
//! Diagnostics are rendered against the text (underlines, gutters). Nothing
//! may panic, overflow the stack or hang; the formatter must be idempotent.
#![no_main]

use libfuzzer_sys::fuzz_target;
use parity::RuleSet;
use parity::lang::fmt::format_rules;
use parity::lang::parse::{parse_expr, parse_rules};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    match parse_rules(text, "fuzz.rules") {
        Ok(_) => {
            let mut set = RuleSet::default();
            let mut diagnostics = Vec::new();
            set.add_text(text, "fuzz.rules", &mut diagnostics);
            for d in &diagnostics {
                let _ = d.render(Some(text));
            }
            if let Ok(once) = format_rules(text, "fuzz.rules") {
                let twice = format_rules(&once, "fuzz.rules");
                assert_eq!(
                    twice.as_deref().ok(),
                    Some(once.as_str()),
                    "formatting formatted text changed it"
                );
            }
        }
        Err(diagnostics) => {
            for d in &diagnostics {
                let _ = d.render(Some(text));
            }
        }
    }
    let _ = parse_expr(text);
});
