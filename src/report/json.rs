//! JSON: one object per scenario file, or an array of them. A contract:
//! fields may be added, never renamed.

use super::Report;

/// Renders one report, or an array when there are several.
pub fn render(reports: &[Report]) -> String {
    let text = match reports {
        [one] => serde_json::to_string_pretty(one),
        many => serde_json::to_string_pretty(many),
    };
    // Serialising plain structs of strings and numbers cannot fail.
    let mut text = text.unwrap_or_default();
    text.push('\n');
    text
}
