//! Reading a crawl's sitemaps: those given, those the seeds' robots.txt
//! names, and those they list; each read once a run (a resumed run skips
//! the ones read), conditionally when read before, its addresses queued in
//! batches as they stream in.

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use url::Url;

use super::sitemap::{Entry, read_sitemap};
use super::state::{Found, Frontier, RunStart};
use super::{CrawlEvent, Crawler, Run, emit};
use crate::error::{Error, ErrorKind};
use crate::fetch::spawn_blocking_traced;

/// Sitemaps read at most per run (an index may point at more); also the
/// most an index's children waiting to be read, so a hostile index costs
/// no more than this many addresses of memory.
const MAX_SITEMAPS: usize = 1000;

/// A sitemap address longer than this is not one a site means.
const MAX_SITEMAP_URL_BYTES: usize = 2048;
/// Indexes nested deeper than this are not followed (the protocol has an
/// index list sitemaps, not indexes; some sites nest one level more).
const MAX_INDEX_DEPTH: u8 = 2;
/// Uncompressed sitemap bytes read per run, all sitemaps together: ten of
/// the largest the protocol allows. A site whose indexes name a thousand
/// gzip bombs costs this much reading, not a thousand times 100 MB.
const MAX_SITEMAP_BYTES_PER_RUN: u64 = 10 * super::sitemap::MAX_SITEMAP_BYTES;
/// Addresses queued per transaction.
const BATCH: usize = 10_000;

/// Where a sitemap's listed sitemaps go, and what the run may still read.
struct Listed<'a> {
    todo: &'a mut Vec<(String, u8)>,
    /// How deep in indexes the sitemap being read was found.
    depth: u8,
    bytes_left: &'a mut u64,
}

impl Crawler {
    /// Fetches the sitemaps and queues the pages they list.
    pub(crate) async fn read_sitemaps<S: Frontier, F>(
        &self,
        state: &S,
        run: &mut Run,
        start: RunStart,
        sink: &mut F,
    ) -> Result<(), Error>
    where
        F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
    {
        // Each sitemap with how deep in indexes it was found (0: given, or named by robots.txt).
        let mut todo: Vec<(String, u8)> = self.config.sitemaps().iter().map(|s| (s.clone(), 0)).collect();
        if self.config.robots_sitemaps() {
            for seed in self.config.seeds().iter().filter_map(|s| Url::parse(s).ok()) {
                todo.extend(self.seed_robots(state, run, &seed).await?.into_iter().map(|s| (s, 0)));
            }
        }
        // Sitemaps listed by an index read in an earlier run are read again too.
        todo.extend(state.known_sitemaps().await?.into_iter().map(|s| (s, 1)));
        self.read_these(state, run, start, todo, sink).await
    }

    /// Reads the sitemaps other workers of a shared state claimed in this
    /// run and dropped (they died reading them).
    pub(crate) async fn read_abandoned_sitemaps<S: Frontier, F>(
        &self,
        state: &S,
        run: &mut Run,
        sink: &mut F,
    ) -> Result<(), Error>
    where
        F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
    {
        let todo = state.abandoned_sitemaps(run.number).await?.into_iter().map(|s| (s, 0)).collect();
        self.read_these(state, run, RunStart::Resume, todo, sink).await
    }

    /// Reads `todo` (each sitemap with its depth in indexes) and what they list.
    async fn read_these<S: Frontier, F>(
        &self,
        state: &S,
        run: &mut Run,
        start: RunStart,
        mut todo: Vec<(String, u8)>,
        sink: &mut F,
    ) -> Result<(), Error>
    where
        F: FnMut(CrawlEvent<'_>) -> std::io::Result<()>,
    {
        let mut seen = HashSet::new();
        let mut bytes_left = MAX_SITEMAP_BYTES_PER_RUN;
        todo.reverse();
        while let Some((address, depth)) = todo.pop() {
            if bytes_left == 0 {
                let error = Error::new(ErrorKind::BadSitemap {
                    source: format!(
                        "{} sitemaps not read: the run's {MAX_SITEMAP_BYTES_PER_RUN} bytes of sitemaps are spent",
                        todo.len() + 1
                    )
                    .into(),
                });
                *run.summary.errors.entry(error.kind().code()).or_default() += 1;
                if let Ok(url) = Url::parse(&address) {
                    emit(sink, CrawlEvent::Failed { url: &url, error: &error, attempt: 1 })?;
                }
                break;
            }
            if seen.len() >= MAX_SITEMAPS || !seen.insert(address.clone()) {
                continue;
            }
            // Only sitemaps of the crawl's own origins are read (robots.txt, an index or a
            // redirect may name others): recorded, not fetched.
            let Ok(url) = Url::parse(&address) else { continue };
            if !self.scope.admits_origin(&url) {
                let error = Error::new(ErrorKind::OutOfScope { url: address.clone(), found_in: "sitemaps".into() });
                *run.summary.errors.entry(error.kind().code()).or_default() += 1;
                emit(sink, CrawlEvent::Failed { url: &url, error: &error, attempt: 1 })?;
                continue;
            }
            let prior = state.sitemap(&address).await?;
            if start != RunStart::New && prior.as_ref().is_some_and(|p| p.run == run.number) {
                continue;
            }
            // Another worker of a shared state reads it now, or read it in this run.
            if !state.claim_sitemap(&address, run.number).await? {
                continue;
            }
            let scope = self.scope.clone();
            let in_scope = move |u: &Url| scope.admits_origin(u);
            let mut request = self.fetcher.get(&address).within(&in_scope);
            if let Some(etag) = prior.as_ref().and_then(|p| p.etag.as_deref()) {
                request = request.if_none_match(etag);
            }
            if let Some(modified) = prior.as_ref().and_then(|p| p.last_modified.as_deref()) {
                request = request.if_modified_since(modified);
            }
            // A shared state's workers fetch it in its host's turn, like any page.
            let fetched = match self.in_turn(state, &url, request.send()).await? {
                Ok(f) => f,
                Err(error) => {
                    // Not read: the claim goes back (a later run reads it, as with one process).
                    state.release_sitemap(&address).await?;
                    let url = Url::parse(&address).ok();
                    *run.summary.errors.entry(error.kind().code()).or_default() += 1;
                    if let Some(url) = &url {
                        emit(sink, CrawlEvent::Failed { url, error: &error, attempt: 1 })?;
                    }
                    continue;
                }
            };
            let mut cut = false;
            let (etag, modified) = (fetched.etag().map(str::to_string), fetched.last_modified().map(str::to_string));
            let final_url = fetched.final_url.clone();
            if !fetched.not_modified() {
                let listed = Listed { todo: &mut todo, depth, bytes_left: &mut bytes_left };
                match self.queue_listed(state, run, fetched.body, listed).await {
                    Ok(capped) => cut = capped,
                    Err(error) => {
                        // What was read before the sitemap broke off is queued already.
                        *run.summary.errors.entry(error.kind().code()).or_default() += 1;
                        emit(sink, CrawlEvent::Failed { url: &final_url, error: &error, attempt: 1 })?;
                    }
                }
            }
            // A sitemap whose pages did not all fit under the limit is read again (in full) next run.
            let (etag, modified) = if cut { (None, None) } else { (etag, modified) };
            state
                .sitemap_read(&address, if cut { 0 } else { run.number }, etag.as_deref(), modified.as_deref())
                .await?;
        }
        Ok(())
    }

    /// Queues, in batches, the pages a sitemap lists; the sitemaps it lists
    /// go to `todo`. True when some did not fit under the page limit. The
    /// sitemap is read on a blocking thread, its pages handed over a batch
    /// at a time, so a large one is queued as it streams in.
    async fn queue_listed<S: Frontier>(
        &self,
        state: &S,
        run: &mut Run,
        body: Vec<u8>,
        listed: Listed<'_>,
    ) -> Result<bool, Error> {
        let Listed { todo, depth, bytes_left } = listed;
        let room = MAX_SITEMAPS.saturating_sub(todo.len());
        let limit = *bytes_left;
        // Once the run has no room, the rest is only read (for the sitemaps it may list).
        let cut = Arc::new(AtomicBool::new(false));
        let (tx, mut rx) = tokio::sync::mpsc::channel::<Vec<Found>>(1);
        let reader_cut = cut.clone();
        let reader = spawn_blocking_traced(move || {
            let mut listing = Listing { children: Vec::new(), skipped: 0, too_deep: 0, bytes: 0, read: Ok(()) };
            let mut batch: Vec<Found> = Vec::with_capacity(BATCH);
            let (bytes, read) = read_sitemap(&body, limit, |entry| match entry {
                // An index's children wait in a bounded list; the rest are counted and dropped.
                Entry::Sitemap(_) if depth >= MAX_INDEX_DEPTH => listing.too_deep += 1,
                Entry::Sitemap(s) if listing.children.len() >= room || s.len() > MAX_SITEMAP_URL_BYTES => {
                    listing.skipped += 1
                }
                Entry::Sitemap(s) => listing.children.push(s),
                Entry::Page(_) if reader_cut.load(Ordering::Relaxed) => {}
                Entry::Page(p) => {
                    if let Ok(url) = Url::parse(&p) {
                        batch.push(Found::get(url, 0));
                    }
                    if batch.len() >= BATCH {
                        // The crawl's side is gone only when it failed; the rest is read for nothing.
                        let _ = tx.blocking_send(std::mem::take(&mut batch));
                    }
                }
            });
            if !batch.is_empty() {
                let _ = tx.blocking_send(batch);
            }
            listing.bytes = bytes;
            listing.read = read;
            listing
        });
        let mut failed: Option<Error> = None;
        while let Some(batch) = rx.recv().await {
            // After a failure the batches are drained, not queued, so the reader never waits.
            if failed.is_none() {
                match self.queue(state, run, batch).await {
                    Ok((_, capped)) => cut.fetch_or(capped, Ordering::Relaxed),
                    Err(e) => {
                        failed = Some(e);
                        true
                    }
                };
            }
        }
        let listing = reader.await.map_err(|e| Error::new(ErrorKind::State { source: Box::new(e) }))?;
        todo.extend(listing.children.into_iter().map(|s| (s, depth + 1)));
        *bytes_left = bytes_left.saturating_sub(listing.bytes.max(1));
        if let Some(e) = failed {
            return Err(e);
        }
        let too_deep = listing.too_deep;
        if too_deep > 0 {
            let message = format!("{too_deep} sitemaps listed by an index {depth} deep in indexes: not read");
            return Err(Error::new(ErrorKind::BadSitemap { source: message.into() }));
        }
        let skipped = listing.skipped;
        if skipped > 0 {
            let message =
                format!("the index lists {skipped} sitemaps past the {MAX_SITEMAPS} read (or too long): not read");
            return Err(Error::new(ErrorKind::BadSitemap { source: message.into() }));
        }
        listing.read.map(|()| cut.load(Ordering::Relaxed))
    }
}

/// What reading one sitemap gave, besides its pages.
struct Listing {
    /// The sitemaps it lists, in order.
    children: Vec<String>,
    /// Listed sitemaps past the bound, or too long.
    skipped: usize,
    /// Listed sitemaps too deep in indexes.
    too_deep: usize,
    /// Bytes read.
    bytes: u64,
    /// How the reading ended.
    read: Result<(), Error>,
}
