//! The crawl state's backends, for tests that run against each: SQLite in
//! memory, and PostgreSQL when a server is given in `REPORT_SCRAPER_PG`
//! (`.ci/pg start` makes one). Outside CI a test without a server skips
//! with a note; under CI (`CI` set) a missing server fails it.
//!
//! A test is a generic `async fn name<S: Fresh>()`; `backends!(name)` after
//! it makes `name::sqlite` and `name::postgres`.

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};

use report_scraper::crawl::{Counts, CrawlState, Frontier};

/// A state a test can start afresh and read back.
pub trait Fresh: Frontier + Sized + 'static {
    /// A new, empty state (for PostgreSQL, a new crawl in the shared database).
    fn fresh() -> impl Future<Output = Self> + Send;
    /// Its counts.
    fn tally(&self) -> impl Future<Output = Counts> + Send;
    /// The parameters it learned to be irrelevant, as `(origin, name)`.
    fn learned_params(&self) -> impl Future<Output = Vec<(String, String)>> + Send;
}

impl Fresh for CrawlState {
    async fn fresh() -> Self {
        CrawlState::in_memory().unwrap()
    }
    async fn tally(&self) -> Counts {
        self.counts().unwrap()
    }
    async fn learned_params(&self) -> Vec<(String, String)> {
        self.irrelevant_params().unwrap()
    }
}

/// The PostgreSQL server's address, or `None` (with a note) when none is
/// given outside CI.
pub fn pg_url() -> Option<String> {
    match std::env::var("REPORT_SCRAPER_PG") {
        Ok(url) if !url.is_empty() => Some(url),
        _ => {
            let why = "REPORT_SCRAPER_PG is not set (`.ci/pg start DIR` starts a server and prints its address)";
            assert!(std::env::var_os("CI").is_none(), "{why}; CI needs it");
            eprintln!("skipped: {why}");
            None
        }
    }
}

/// A crawl name no other test of any process uses.
pub fn crawl_name(what: &str) -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    let nanos = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().subsec_nanos();
    format!("test-{what}-{}-{nanos:x}-{}", std::process::id(), N.fetch_add(1, Ordering::Relaxed))
}

#[cfg(feature = "postgres")]
impl Fresh for report_scraper::crawl::PgState {
    async fn fresh() -> Self {
        let url = pg_url().expect("the postgres variant runs only with a server");
        report_scraper::crawl::PgState::connect(&url, &crawl_name("fresh")).await.unwrap()
    }
    async fn tally(&self) -> Counts {
        self.counts().await.unwrap()
    }
    async fn learned_params(&self) -> Vec<(String, String)> {
        self.irrelevant_params().unwrap()
    }
}

/// Makes `$name::sqlite` and `$name::postgres` of the generic test `$name`.
#[macro_export]
macro_rules! backends {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                super::$name::<report_scraper::crawl::CrawlState>().await
            }

            #[cfg(feature = "postgres")]
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if $crate::support::states::pg_url().is_some() {
                    super::$name::<report_scraper::crawl::PgState>().await
                }
            }
        }
    };
}
