//! What the example programs share: output formats, network options,
//! logging, progress; for `extract` its inputs, and for `crawl` the
//! folder output and `--serve`.
//! Included by each with `#[path = "cli/mod.rs"] mod cli;` (a folder
//! without `main.rs` is not an example of its own).

// Each example uses a part of this module, never all of it.
#![allow(dead_code)]

pub mod files;
pub mod inputs;
pub mod logs;
pub mod net;
pub mod output;
pub mod progress;
pub mod serve;

// Each example names some of these, never all of them.
#[allow(unused_imports)]
pub use logs::{Verbosity, chain};
#[allow(unused_imports)]
pub use net::NetArgs;
#[allow(unused_imports)]
pub use output::Format;
