//! thamdinh: load, score, rank and appraise the public administration reform index of a council's units.
//!
//! The library holds the whole domain; the binary only parses arguments and
//! calls it. Nothing here but the `tui` module knows of the terminal.

pub mod appraisal;
pub mod cli;
pub mod compare;
pub mod diag;
pub mod export;
pub mod files;
pub mod forms;
pub mod i18n;
pub mod keys;
pub mod load;
pub mod model;
pub mod points;
pub mod progress;
pub mod report;
pub mod score;
pub mod session;
pub mod setup;
pub mod signoff;
pub mod synth;
pub mod text;
pub mod tui;
pub mod work;
pub mod xlsx;

pub use diag::{Diagnostic, Diagnostics};
pub use model::Council;
pub use points::Points;
