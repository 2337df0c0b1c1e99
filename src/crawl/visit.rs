//! One address on a worker: fetched (conditionally, when it was read
//! before; within the crawl's scope), then read off the async threads
//! through the extractor's one entry, within a time budget.

use std::sync::Arc;
use std::time::{Duration, Instant};

use tokio::sync::mpsc::UnboundedSender;
use url::Url;

use super::archive::{self, Archive};
use super::feed;
use super::scope::Scope;
use super::state::Taken;
use crate::error::{Error, ErrorKind};
use crate::extract::Extractor;
use crate::fetch::{Fetched, Fetcher};
use crate::model::{Article, Link};

/// Time granted past the extraction's own budget before its task is given up on.
const BUDGET_GRACE: Duration = Duration::from_secs(1);

/// What a worker needs, shared with the crawl.
pub(crate) struct Job {
    pub fetcher: Arc<Fetcher>,
    pub extractor: Arc<Extractor>,
    pub scope: Arc<Scope>,
    pub budget: Duration,
    /// Told the host's row and the address's once the response is in
    /// (before it is read), so the host can be handed out again while the
    /// page is extracted.
    pub fetched: UnboundedSender<(i64, i64)>,
    /// Where every response goes, as fetched, when the crawl keeps a web archive.
    pub archive: Option<Archive>,
}

/// The result of one address.
pub(crate) struct Visit {
    pub taken: Taken,
    pub result: Result<Visited, Error>,
}

/// A fetched address.
pub(crate) enum Visited {
    /// `304 Not Modified`: a page read before, as it was.
    Unchanged,
    Page(Box<Read>),
}

/// A fetched page, read.
pub(crate) struct Read {
    pub final_url: Url,
    pub fetched_at: jiff::Timestamp,
    /// The articles worth recording.
    pub articles: Vec<Article>,
    pub links: Vec<Link>,
    pub extracting: Duration,
    pub bytes: u64,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// It was read in part (a feed cut short): what went wrong.
    pub partial: Option<Error>,
}

impl Job {
    /// Fetches and reads one address.
    pub(crate) async fn run(self, taken: Taken) -> Visit {
        let result = self.fetch_and_read(&taken).await;
        Visit { taken, result }
    }

    async fn fetch_and_read(self, taken: &Taken) -> Result<Visited, Error> {
        let scope = self.scope.clone();
        let in_scope = move |u: &Url| scope.admits(u);
        let mut request = self.fetcher.get(taken.url.as_str()).within(&in_scope);
        if let Some(etag) = &taken.etag {
            request = request.if_none_match(etag);
        }
        if let Some(modified) = &taken.last_modified {
            request = request.if_modified_since(modified);
        }
        if let Some(form) = &taken.form {
            request = request.form(form);
        }
        let fetched = request.send().await;
        // The crawl may be gone (a stopped run); then nobody needs to know.
        let _ = self.fetched.send((taken.origin, taken.id));
        let fetched = fetched?;
        let archive = self.archive;
        if fetched.not_modified() {
            if let Some(archive) = archive {
                let task = crate::fetch::spawn_blocking_traced(move || archive::keep(&archive, &fetched));
                task.await.map_err(|e| Error::new(ErrorKind::State { source: Box::new(e) }))??;
            }
            return Ok(Visited::Unchanged);
        }
        let (extractor, budget, depth) = (self.extractor, self.budget, taken.depth);
        let at = fetched.final_url.to_string();
        let task = crate::fetch::spawn_blocking_traced(move || {
            // Archived as fetched, before it is read: a page extraction fails on is kept too.
            let kept = archive.map(|a| archive::keep(&a, &fetched).map(|id| (a, id))).transpose()?;
            let read = read(&fetched, &extractor, budget)?;
            if let Some((a, id)) = kept {
                archive::describe(&a, &fetched, &id, &read.links, read.articles.len(), depth)?;
            }
            Ok(read)
        });
        // The extraction watches its own budget; this is the backstop should it not.
        match tokio::time::timeout(budget + BUDGET_GRACE, task).await {
            Ok(Ok(read)) => read.map(|r| Visited::Page(Box::new(r))),
            Ok(Err(panic)) => Err(Error::new(ErrorKind::Internal { url: at, message: panic.to_string() })),
            Err(_) => Err(Error::new(ErrorKind::ExtractTimeout { url: Some(at), budget })),
        }
    }
}

/// One pass over the page serves both its articles and its links, through
/// the extractor's one entry (size cap and all); a page that cannot be
/// read is a failure, not a list.
fn read(fetched: &Fetched, extractor: &Extractor, budget: Duration) -> Result<Read, Error> {
    let started = Instant::now();
    let mut partial = None;
    let (articles, links) = if feed::is_feed(fetched) {
        // A feed is a list: its entries are the links, it holds no article.
        let (links, error) = feed::read(&fetched.body, &fetched.final_url);
        match error {
            Some(error) if links.is_empty() => return Err(error),
            // A feed cut short (or past the entry cap) keeps the entries read whole; the cut is reported.
            Some(cut) => {
                tracing::warn!(url = %fetched.final_url, entries = links.len(), "feed read in part: its whole entries kept");
                partial = Some(cut);
            }
            None => {}
        }
        tracing::debug!(url = %fetched.final_url, entries = links.len(), "feed read");
        (Vec::new(), links)
    } else if let Some(links) = crate::html::xml_list(&fetched.body, fetched.header("content-type"), &fetched.final_url)
    {
        // An XML list answer (a JCMS data endpoint's records): a list page.
        tracing::debug!(url = %fetched.final_url, records = links.len(), "XML list read");
        (Vec::new(), links)
    } else {
        let page = extractor.page(fetched.input().with_links().time_budget(budget))?;
        (page.articles.into_iter().filter(Article::looks_like_article).collect(), page.links)
    };
    Ok(Read {
        final_url: fetched.final_url.clone(),
        fetched_at: fetched.fetched_at,
        articles,
        links,
        extracting: started.elapsed(),
        bytes: fetched.body.len() as u64,
        etag: fetched.etag().map(str::to_string),
        last_modified: fetched.last_modified().map(str::to_string),
        partial,
    })
}
