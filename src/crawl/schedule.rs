//! Work handed out by host. An address is taken only when its host is due
//! (its politeness delay, or its `Crawl-delay`, has passed since its last
//! request) and no request to it is in flight; among the hosts that are
//! due, the one due longest goes first. So the workers spread over the
//! hosts instead of queueing behind one host's backlog, and a slow host
//! holds one worker, not all of them.

use std::collections::HashMap;

use tokio::time::Instant;
use url::Url;

use super::state::Frontier;
use crate::error::Error;
use crate::fetch::Fetcher;

/// A host as the frontier sees it.
#[derive(Debug)]
struct Host {
    /// Its origin as an address, to ask the fetcher when it is due.
    origin: Url,
    /// The address of its in flight, by row.
    busy: Option<i64>,
    /// It may have queued addresses.
    queued: bool,
    /// Its turn, as the state's other workers left it.
    not_before: Option<Instant>,
}

/// What to do next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Next {
    /// Take an address of this host (its origin's row).
    Host(i64),
    /// No host is due before this instant.
    Wait(Instant),
    /// No host has an address that is not in flight.
    Idle,
}

/// The hosts of a crawl, by their origin's row in the state.
#[derive(Debug, Default)]
pub(crate) struct Schedule {
    hosts: HashMap<i64, Host>,
    /// Origins by name, to mark the hosts that new links went to.
    rows: HashMap<String, i64>,
}

impl Schedule {
    /// Reads which hosts have queued addresses.
    pub(crate) async fn refresh<S: Frontier>(&mut self, state: &S) -> Result<(), Error> {
        for host in self.hosts.values_mut() {
            host.queued = false;
        }
        for (row, origin) in state.queued_origins().await? {
            let Ok(url) = Url::parse(&origin) else { continue };
            self.rows.insert(origin, row);
            self.hosts.entry(row).or_insert(Host { origin: url, busy: None, queued: true, not_before: None }).queued =
                true;
        }
        Ok(())
    }

    /// Notes that addresses of these origins were queued; true when one is
    /// a host the frontier does not know yet (then [`refresh`](Self::refresh)).
    pub(crate) fn queued<'a>(&mut self, origins: impl IntoIterator<Item = &'a str>) -> bool {
        let mut unknown = false;
        for origin in origins {
            match self.rows.get(origin).and_then(|row| self.hosts.get_mut(row)) {
                Some(host) => host.queued = true,
                None => unknown = true,
            }
        }
        unknown
    }

    /// The host to take an address from now, or how long to wait.
    pub(crate) fn next(&self, fetcher: &Fetcher, now: Instant) -> Next {
        match self.candidates(fetcher, now).min() {
            Some((at, row)) if at <= now => Next::Host(row),
            Some((at, _)) => Next::Wait(at),
            None => Next::Idle,
        }
    }

    /// Up to `n` hosts to take an address from now, the one due longest
    /// first: what one claim of a batch asks for.
    pub(crate) fn due(&self, fetcher: &Fetcher, now: Instant, n: usize) -> Vec<i64> {
        let mut due: Vec<(Instant, i64)> = self.candidates(fetcher, now).filter(|(at, _)| *at <= now).collect();
        due.sort_unstable();
        due.into_iter().take(n).map(|(_, row)| row).collect()
    }

    /// Each host with an address to take and none in flight, with when it is due.
    fn candidates<'a>(&'a self, fetcher: &'a Fetcher, now: Instant) -> impl Iterator<Item = (Instant, i64)> + 'a {
        self.hosts
            .iter()
            .filter(|(_, h)| h.queued && h.busy.is_none())
            .map(move |(row, h)| (fetcher.due(&h.origin).unwrap_or(now).max(h.not_before.unwrap_or(now)), *row))
    }

    /// The address `id` of this host is in flight.
    pub(crate) fn busy(&mut self, row: i64, id: i64) {
        if let Some(h) = self.hosts.get_mut(&row) {
            h.busy = Some(id);
        }
    }

    /// The request of address `id` is done (fetched or failed): the host
    /// may be due again. Its origin, to ask when; `None` when the host's
    /// turn went back already (a request is done twice: when its response
    /// is in, and when its page is read, by which time the host may be busy
    /// with its next address).
    pub(crate) fn release(&mut self, row: i64, id: i64) -> Option<&Url> {
        let h = self.hosts.get_mut(&row)?;
        if h.busy != Some(id) {
            return None;
        }
        h.busy = None;
        h.not_before = None;
        Some(&h.origin)
    }

    /// Another worker holds the host's turn: not due before `at`.
    pub(crate) fn not_before(&mut self, row: i64, at: Instant) {
        if let Some(h) = self.hosts.get_mut(&row) {
            h.not_before = Some(at);
        }
    }

    /// The host has no queued address left.
    pub(crate) fn exhausted(&mut self, row: i64) {
        if let Some(h) = self.hosts.get_mut(&row) {
            h.queued = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::crawl::state::Found;

    #[tokio::test]
    async fn hosts_are_served_when_due_and_never_twice_at_once() {
        let state = crate::crawl::CrawlState::in_memory().unwrap();
        let urls = ["http://a.cn/1", "http://a.cn/2", "http://b.cn/1"];
        state.enqueue_many(urls.iter().map(|u| Found::get(u.parse().unwrap(), 0))).unwrap();
        let fetcher = Fetcher::new(crate::fetch::FetchConfig::default()).unwrap();
        let mut f = Schedule::default();
        f.refresh(&state).await.unwrap();
        let now = Instant::now();
        let Next::Host(first) = f.next(&fetcher, now) else { panic!("a host is due") };
        f.busy(first, 10);
        let Next::Host(second) = f.next(&fetcher, now) else { panic!("the other host is due") };
        assert_ne!(first, second, "a busy host is not handed out again");
        f.busy(second, 20);
        assert_eq!(f.next(&fetcher, now), Next::Idle, "both hosts in flight");
        assert!(f.release(first, 10).is_some());
        assert_eq!(f.next(&fetcher, now), Next::Host(first));
        f.busy(first, 11);
        assert!(f.release(first, 10).is_none(), "a request done twice does not free the host's next one");
        assert_eq!(f.next(&fetcher, now), Next::Idle, "first is busy with 11, second with 20");
        assert!(f.release(first, 11).is_some());
        f.exhausted(first);
        assert_eq!(f.next(&fetcher, now), Next::Idle);
        f.release(second, 20);
        assert_eq!(f.due(&fetcher, now, 4), [second], "only hosts with queued addresses");
        f.not_before(second, now + std::time::Duration::from_secs(1));
        assert_eq!(f.due(&fetcher, now, 4), [] as [i64; 0], "a host another worker holds is not due");
        assert!(!f.queued(["http://a.cn"]));
        assert!(f.queued(["http://c.cn"]), "a new host asks for a refresh");
    }
}
