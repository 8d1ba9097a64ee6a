//! The integration tests, one binary: built and linked once, its tests run in parallel.
//!
//! One module per concern (the files beside this one); `common` holds what they share.

mod common;

mod acting;
mod broken;
mod chain;
mod cli;
mod compare;
mod e2e;
mod export;
mod forms;
mod forms_mutations;
mod hostile;
mod meeting;
mod mutations;
mod papers;
mod postgres;
mod rounds;
mod scoring;
mod session;
mod setup;
mod signoff;
mod tui;
