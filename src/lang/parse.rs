//! nom parser for the rule language (to be written).
