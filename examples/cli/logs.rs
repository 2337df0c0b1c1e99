//! `-v` / `-q`, logs on standard error, and errors printed with their causes.

/// How much the program says on standard error.
#[derive(clap::Args, Debug, Clone, Copy)]
pub struct Verbosity {
    /// Log more of what happens (more with -vv); RUST_LOG overrides
    #[arg(short, long, action = clap::ArgAction::Count, global = true)]
    verbose: u8,
    /// No progress and no warnings, only errors
    #[arg(short, long, global = true, conflicts_with = "verbose")]
    quiet: bool,
}

impl Verbosity {
    /// Whether only errors are wanted.
    pub fn quiet(self) -> bool {
        self.quiet
    }

    /// Logs on standard error: warnings by default, more with `-v`, only
    /// errors with `-q`; `RUST_LOG` (e.g. `report_scraper=debug`) overrides.
    pub fn init_logs(self) {
        let level = match (self.quiet, self.verbose) {
            (true, _) => "error",
            (false, 0) => "warn",
            (false, 1) => "info",
            (false, 2) => "debug",
            _ => "trace",
        };
        let filter = tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| {
            tracing_subscriber::EnvFilter::new(format!("{level},hyper=warn,reqwest=warn,rustls=warn"))
        });
        tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
            .init();
    }
}

/// An error and its causes, outermost first.
pub fn chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut cause = e.source();
    while let Some(c) = cause {
        message = format!("{message}: {c}");
        cause = c.source();
    }
    message
}
