//! Reading a crawl's sitemaps: those given, those the seeds' robots.txt
//! names, and those they list; each read once a run (a resumed run skips
//! the ones read), conditionally when read before, its addresses queued in
//! batches as they stream in.

use std::collections::HashSet;

use url::Url;

use super::sitemap::{Entry, read_sitemap};
use super::state::{CrawlState, Found, RunStart};
use super::{CrawlEvent, Crawler, Run, emit};
use crate::error::{Error, ErrorKind};

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
    pub(crate) async fn read_sitemaps<F>(
        &self,
        state: &CrawlState,
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
            for seed in self.config.seeds() {
                todo.extend(self.fetcher.robots_sitemaps(seed).await.unwrap_or_default().into_iter().map(|s| (s, 0)));
            }
        }
        // Sitemaps listed by an index read in an earlier run are read again too.
        todo.extend(state.known_sitemaps()?.into_iter().map(|s| (s, 1)));
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
            let prior = state.sitemap(&address)?;
            if start == RunStart::Resume && prior.as_ref().is_some_and(|p| p.run == run.number) {
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
            let fetched = match request.send().await {
                Ok(f) => f,
                Err(error) => {
                    let url = Url::parse(&address).ok();
                    *run.summary.errors.entry(error.kind().code()).or_default() += 1;
                    if let Some(url) = &url {
                        emit(sink, CrawlEvent::Failed { url, error: &error, attempt: 1 })?;
                    }
                    continue;
                }
            };
            let mut cut = false;
            if !fetched.not_modified() {
                let listed = Listed { todo: &mut todo, depth, bytes_left: &mut bytes_left };
                match self.queue_listed(state, run, &fetched.body, listed) {
                    Ok(capped) => cut = capped,
                    Err(error) => {
                        // What was read before the sitemap broke off is queued already.
                        *run.summary.errors.entry(error.kind().code()).or_default() += 1;
                        emit(sink, CrawlEvent::Failed { url: &fetched.final_url, error: &error, attempt: 1 })?;
                    }
                }
            }
            // A sitemap whose pages did not all fit under the limit is read again (in full) next run.
            let (etag, modified) = if cut { (None, None) } else { (fetched.etag(), fetched.last_modified()) };
            state.sitemap_read(&address, if cut { 0 } else { run.number }, etag, modified)?;
        }
        Ok(())
    }

    /// Queues, in batches, the pages a sitemap lists; the sitemaps it lists
    /// go to `todo`. True when some did not fit under the page limit.
    fn queue_listed(&self, state: &CrawlState, run: &mut Run, body: &[u8], listed: Listed) -> Result<bool, Error> {
        let Listed { todo, depth, bytes_left } = listed;
        let mut batch: Vec<Found> = Vec::with_capacity(BATCH);
        let mut failed: Option<Error> = None;
        let mut cut = false;
        let (mut skipped, mut too_deep) = (0usize, 0usize);
        let (bytes, read) = read_sitemap(body, *bytes_left, |entry| match entry {
            // An index's children wait in a bounded list; the rest are counted and dropped.
            Entry::Sitemap(_) if depth >= MAX_INDEX_DEPTH => too_deep += 1,
            Entry::Sitemap(s) if todo.len() >= MAX_SITEMAPS || s.len() > MAX_SITEMAP_URL_BYTES => skipped += 1,
            Entry::Sitemap(s) => todo.push((s, depth + 1)),
            // Once the run has no room, the rest is only read (for the sitemaps it may list).
            Entry::Page(_) if cut => {}
            Entry::Page(p) => {
                if let Ok(url) = Url::parse(&p) {
                    batch.push(Found::get(url, 0));
                }
                if batch.len() >= BATCH && failed.is_none() {
                    match self.queue(state, run, std::mem::take(&mut batch)) {
                        Ok((_, capped)) => cut |= capped,
                        Err(e) => failed = Some(e),
                    }
                }
            }
        });
        *bytes_left = bytes_left.saturating_sub(bytes.max(1));
        cut |= self.queue(state, run, batch)?.1;
        if let Some(e) = failed {
            return Err(e);
        }
        if too_deep > 0 {
            let message = format!("{too_deep} sitemaps listed by an index {depth} deep in indexes: not read");
            return Err(Error::new(ErrorKind::BadSitemap { source: message.into() }));
        }
        if skipped > 0 {
            let message =
                format!("the index lists {skipped} sitemaps past the {MAX_SITEMAPS} read (or too long): not read");
            return Err(Error::new(ErrorKind::BadSitemap { source: message.into() }));
        }
        read.map(|()| cut)
    }
}
