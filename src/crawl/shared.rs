//! What the workers of a shared state share beyond the queue: each host's
//! robots.txt, read by one of them and kept in the state for the others,
//! and the requests that are not queued addresses (robots.txt, sitemaps),
//! made in the host's turn like any page. With one process these are the
//! fetcher's own: nothing to share, every turn held at once.

use std::future::Future;
use std::time::Duration;

use url::Url;

use super::state::{Frontier, Turn};
use super::{Crawler, Run};
use crate::error::Error;
use crate::fetch::RobotsFile;

impl Crawler {
    /// Whether robots.txt files go through the state: its workers are many.
    fn shares_robots<S: Frontier>(&self, state: &S) -> bool {
        state.shared() && self.fetcher.config().obey_robots()
    }

    /// Before a request to `url`'s host: obeys the robots.txt another
    /// worker read for it, when the state keeps one and this worker has not
    /// settled it yet.
    pub(crate) async fn robots_from_state<S: Frontier>(
        &self,
        state: &S,
        run: &mut Run,
        url: &Url,
    ) -> Result<(), Error> {
        let origin = url.origin().ascii_serialization();
        if !self.shares_robots(state) || run.robots.contains(&origin) {
            return Ok(());
        }
        if let Some(file) = state.robots(&origin).await? {
            let file = file.map_or(RobotsFile::AllowAll, RobotsFile::Text);
            self.fetcher.adopt_robots(url, file).await;
            run.robots.insert(origin);
        }
        Ok(())
    }

    /// After a request to `url`'s host: keeps the robots.txt this worker
    /// read for it in the state, for the others.
    pub(crate) async fn robots_to_state<S: Frontier>(&self, state: &S, run: &mut Run, url: &Url) -> Result<(), Error> {
        let origin = url.origin().ascii_serialization();
        if !self.shares_robots(state) || run.robots.contains(&origin) {
            return Ok(());
        }
        if let Some(file) = self.fetcher.robots_file(url) {
            let text = match &file {
                RobotsFile::AllowAll => None,
                RobotsFile::Text(body) => Some(body.as_slice()),
            };
            state.keep_robots(&origin, text).await?;
            run.robots.insert(origin);
        }
        Ok(())
    }

    /// The `Sitemap:` lines of a seed's robots.txt. Workers of a shared
    /// state read the file once between them, in the host's turn; the
    /// others take it from the state.
    pub(crate) async fn seed_robots<S: Frontier>(
        &self,
        state: &S,
        run: &mut Run,
        seed: &Url,
    ) -> Result<Vec<String>, Error> {
        if self.shares_robots(state) {
            self.robots_from_state(state, run, seed).await?;
            if !run.robots.contains(&seed.origin().ascii_serialization()) {
                let row = self.hold_turn(state, seed).await?;
                // Another worker may have read it while this one waited for the turn.
                self.robots_from_state(state, run, seed).await?;
                let _ = self.fetcher.robots_sitemaps(seed.as_str()).await;
                self.give_turn(state, row, seed).await?;
                self.robots_to_state(state, run, seed).await?;
            }
        }
        Ok(self.fetcher.robots_sitemaps(seed.as_str()).await.unwrap_or_default())
    }

    /// Runs `request` (to `url`'s host, not a queued address) in the host's
    /// turn.
    pub(crate) async fn in_turn<S: Frontier, T>(
        &self,
        state: &S,
        url: &Url,
        request: impl Future<Output = T>,
    ) -> Result<T, Error> {
        if !state.shared() {
            return Ok(request.await);
        }
        let row = self.hold_turn(state, url).await?;
        let out = request.await;
        self.give_turn(state, row, url).await?;
        Ok(out)
    }

    /// Waits for `url`'s host's turn and takes it: its row.
    async fn hold_turn<S: Frontier>(&self, state: &S, url: &Url) -> Result<i64, Error> {
        let origin = url.origin().ascii_serialization();
        loop {
            match state.hold_turn(&origin).await? {
                Turn::Held(row) => return Ok(row),
                Turn::Wait(after) => tokio::time::sleep(after).await,
            }
        }
    }

    /// Gives `url`'s host's turn back, its next request after the delay
    /// the fetcher keeps for it.
    async fn give_turn<S: Frontier>(&self, state: &S, row: i64, url: &Url) -> Result<(), Error> {
        let now = tokio::time::Instant::now();
        let delay = self.fetcher.due(url).map_or(Duration::ZERO, |at| at.saturating_duration_since(now));
        state.release(row, delay).await
    }
}
