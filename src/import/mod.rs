//! Research data in: other data sets' tables turned into scenarios that the
//! engine checks like any other (`parity import`).

pub mod cow;
pub mod cow_states;
