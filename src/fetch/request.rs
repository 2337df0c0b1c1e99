//! One address, fetched hop by hop (redirects) and attempt by attempt
//! (retries), within one time budget.

use std::time::Duration;

use backon::{BackoffBuilder, ExponentialBuilder};
use tokio::time::Instant;
use url::Url;

use super::guard::{Blocked, check_url};
use super::response::{Fetched, Sent, http_date};
use super::{Fetcher, HostState};
use crate::error::{Error, ErrorKind};

/// robots.txt is read up to this size and parsed from what was read (RFC 9309 asks for at least 500 KiB).
pub(crate) const ROBOTS_MAX_BYTES: usize = 512 * 1024;

/// A request being set up: conditional headers, a scope for redirects.
/// [`send`](Self::send) fetches it.
#[must_use]
pub struct FetchRequest<'a> {
    fetcher: &'a Fetcher,
    url: &'a str,
    etag: Option<&'a str>,
    last_modified: Option<&'a str>,
    scope: Option<&'a (dyn Fn(&Url) -> bool + Sync)>,
    form: Option<&'a str>,
}

impl std::fmt::Debug for FetchRequest<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FetchRequest").field("url", &self.url).field("etag", &self.etag).finish_non_exhaustive()
    }
}

/// What one hop came to: a page, or a redirect to follow (with its status).
/// It lives for one hop, so the size difference of its variants is moot.
#[allow(clippy::large_enum_variant)]
pub(crate) enum Reply {
    Page(Fetched),
    Redirect(Url, u16),
}

/// What one attempt sends: the request's extra headers, and a form's body.
#[derive(Clone, Copy)]
pub(crate) struct Send<'h> {
    pub headers: &'h [(&'static str, String)],
    /// A URL-encoded form, sent by `POST`; `None` for a `GET`.
    pub form: Option<&'h str>,
    /// The user's own headers go with it: the address is within the
    /// request's scope (the crawl's, or the origin asked for).
    pub user_headers: bool,
}

/// The result of one attempt: final, or worth retrying (with a `Retry-After`).
/// It lives for one request, so the size difference of its variants is moot.
#[allow(clippy::large_enum_variant)]
enum Attempt {
    Done(Result<Reply, Error>),
    Retry(Error, Option<Duration>),
}

/// How a body is read: up to a cap, refusing (pages) or cutting (robots.txt) what is over.
#[derive(Clone, Copy)]
pub(crate) enum Body {
    Refuse(usize),
    Truncate(usize),
}

impl<'a> FetchRequest<'a> {
    pub(crate) fn new(fetcher: &'a Fetcher, url: &'a str) -> Self {
        FetchRequest { fetcher, url, etag: None, last_modified: None, scope: None, form: None }
    }

    /// Sends `If-None-Match`: a server that still has this version answers
    /// `304 Not Modified` ([`Fetched::not_modified`]), with no body.
    pub fn if_none_match(mut self, etag: &'a str) -> Self {
        self.etag = Some(etag);
        self
    }

    /// Sends `If-Modified-Since` with the `Last-Modified` of an earlier response.
    pub fn if_modified_since(mut self, last_modified: &'a str) -> Self {
        self.last_modified = Some(last_modified);
        self
    }

    /// Sends `form` (URL-encoded fields) by `POST`, as a browser submits a
    /// form: a pager's postback, a list's data request. A `301`, `302` or
    /// `303` answer is followed by a `GET`, as browsers do; `307` and `308`
    /// send the form again. robots.txt, politeness, the guard and retries
    /// apply as to any request.
    pub fn form(mut self, form: &'a str) -> Self {
        self.form = Some(form);
        self
    }

    /// Follows redirects only to addresses `in_scope` accepts; one leading
    /// elsewhere is an [`ErrorKind::RedirectOutOfScope`], not followed.
    pub fn within(mut self, in_scope: &'a (dyn Fn(&Url) -> bool + Sync)) -> Self {
        self.scope = Some(in_scope);
        self
    }

    /// Fetches it (see [`Fetcher::fetch`]).
    ///
    /// # Errors
    /// As for [`Fetcher::fetch`].
    pub async fn send(self) -> Result<Fetched, Error> {
        // Polled by another executor, the client and the timers would panic.
        if tokio::runtime::Handle::try_current().is_err() {
            return Err(Error::new(ErrorKind::NoRuntime));
        }
        // Every event of this address (hops, retries, robots.txt) in one span.
        let span = tracing::debug_span!("fetch", url = self.url);
        tracing::Instrument::instrument(self.hops(), span).await
    }

    /// The address, hop by hop.
    async fn hops(self) -> Result<Fetched, Error> {
        let f = self.fetcher;
        let url = Url::parse(self.url)
            .map_err(|e| Error::new(ErrorKind::BadUrl { url: self.url.to_string(), message: e.to_string() }))?;
        let deadline = Instant::now() + f.config.address_budget();
        let headers = self.headers();
        let mut form = self.form;
        let mut at = url.clone();
        for hop in 0..=f.config.max_redirects {
            if hop > 0 && self.scope.is_some_and(|in_scope| !in_scope(&at)) {
                let kind = ErrorKind::RedirectOutOfScope { url: url.to_string(), location: at.to_string() };
                return Err(Error::new(kind));
            }
            tracing::debug!(url = %at, hop, "fetching");
            check_url(&at, &f.config.allowed).map_err(|e| e.into_error(&at))?;
            let host = f.host(&at);
            if f.config.obey_robots {
                host.robots.check(f, &host, &at).await?;
            }
            // The user's headers (credentials, most often) go only where they were meant for.
            let user_headers = self.scope.map_or(at.origin() == url.origin(), |in_scope| in_scope(&at));
            let send = Send { headers: &headers, form, user_headers };
            match f.with_retries(&host, &at, send, Body::Refuse(f.config.max_bytes), deadline).await? {
                Reply::Page(mut page) => {
                    tracing::debug!(url = %page.final_url, status = page.status, bytes = page.body.len(), "fetched");
                    page.url = url;
                    return Ok(page);
                }
                Reply::Redirect(next, status) => {
                    tracing::debug!(from = %at, to = %next, status, "redirected");
                    if !matches!(status, 307 | 308) {
                        form = None;
                    }
                    at = next;
                }
            }
        }
        let message = format!("more than {} redirects", f.config.max_redirects);
        Err(Error::new(ErrorKind::Network { url: url.to_string(), source: message.into() }))
    }

    fn headers(&self) -> Vec<(&'static str, String)> {
        let mut headers = Vec::new();
        headers.extend(self.etag.map(|e| ("if-none-match", e.to_string())));
        headers.extend(self.last_modified.map(|m| ("if-modified-since", m.to_string())));
        headers
    }
}

impl Fetcher {
    /// One hop of an address: attempts with backoff until one is final,
    /// the retries run out or the deadline comes.
    pub(crate) async fn with_retries(
        &self,
        host: &HostState,
        url: &Url,
        send: Send<'_>,
        body: Body,
        deadline: Instant,
    ) -> Result<Reply, Error> {
        let mut delays = ExponentialBuilder::default()
            .with_min_delay(self.config.backoff)
            .with_max_delay(self.config.max_backoff)
            .with_jitter()
            .with_max_times(self.config.retries)
            .build();
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return Err(Error::new(ErrorKind::Timeout { url: url.to_string() }));
            }
            let (error, after) = match self.polite_get(host, url, send, body, left).await {
                Attempt::Done(result) => return result,
                Attempt::Retry(error, after) => (error, after),
            };
            let Some(backoff) = delays.next() else {
                tracing::info!(%url, %error, "giving up: no retry left");
                return Err(error);
            };
            let wait = after.unwrap_or(backoff).min(self.config.max_backoff);
            // A retry that could not start before the deadline is not worth waiting for.
            if Instant::now() + wait >= deadline {
                tracing::info!(%url, %error, "giving up: the address's time budget is spent");
                return Err(error);
            }
            tracing::info!(%url, %error, wait_ms = wait.as_millis() as u64, "retrying");
            tokio::time::sleep(wait).await;
        }
    }

    /// One request in the host's turn, after its delay, within the global cap.
    async fn polite_get(&self, host: &HostState, url: &Url, send: Send<'_>, body: Body, timeout: Duration) -> Attempt {
        let mut turn = host.turn.lock().await;
        let delay = self.delay_for(host);
        if let Some(last) = *turn {
            tokio::time::sleep_until(last + delay).await;
        }
        let outcome = match self.global.acquire().await {
            Ok(_permit) => self.get_once(url, send, body, timeout.min(self.config.timeout)).await,
            Err(closed) => {
                Attempt::Done(Err(Error::new(ErrorKind::Network { url: url.to_string(), source: Box::new(closed) })))
            }
        };
        let now = Instant::now();
        *turn = Some(now);
        *host.last.lock().unwrap_or_else(|e| e.into_inner()) = Some(now);
        outcome
    }

    async fn get_once(&self, url: &Url, send: Send<'_>, body: Body, timeout: Duration) -> Attempt {
        let mut request = match send.form {
            Some(form) => self
                .client
                .post(url.clone())
                .header("content-type", "application/x-www-form-urlencoded")
                .body(form.to_string()),
            None => self.client.get(url.clone()),
        }
        .timeout(timeout);
        if send.user_headers {
            request = request.headers(self.headers.clone());
        }
        for (name, value) in send.headers {
            request = request.header(*name, value);
        }
        let request = match request.build() {
            Ok(r) => r,
            Err(e) => return classify(url, e),
        };
        let sent = Sent::of(&request, &self.config.user_agent, send.form);
        let response = match self.client.execute(request).await {
            Ok(r) => r,
            Err(e) => return classify(url, e),
        };
        let status = response.status();
        let code = status.as_u16();
        if status.is_redirection() && code != 304 {
            let location = response.headers().get("location").and_then(|l| l.to_str().ok());
            return match location.and_then(|l| url.join(l.trim()).ok()) {
                Some(mut next) => {
                    next.set_fragment(None);
                    Attempt::Done(Ok(Reply::Redirect(next, code)))
                }
                None => Attempt::Done(Err(Error::new(ErrorKind::HttpStatus { url: url.to_string(), status: code }))),
            };
        }
        if code == 429 || status.is_server_error() {
            let after = retry_after(&response);
            return Attempt::Retry(Error::new(ErrorKind::HttpStatus { url: url.to_string(), status: code }), after);
        }
        if status.is_client_error() {
            return Attempt::Done(Err(Error::new(ErrorKind::HttpStatus { url: url.to_string(), status: code })));
        }
        match read_body(url, response, body, sent).await {
            Ok(page) => Attempt::Done(Ok(Reply::Page(page))),
            // A body cut off by the timeout can be tried again; one over the cap cannot.
            Err(e) if e.kind().code().is_transient() => Attempt::Retry(e, None),
            Err(e) => Attempt::Done(Err(e)),
        }
    }
}

async fn read_body(url: &Url, mut response: reqwest::Response, body: Body, sent: Sent) -> Result<Fetched, Error> {
    let (limit, truncate) = match body {
        Body::Refuse(limit) => (limit, false),
        Body::Truncate(limit) => (limit, true),
    };
    let too_large = |size| Error::new(ErrorKind::TooLarge { url: Some(url.to_string()), size, limit });
    if let Some(len) = response.content_length().filter(|&l| l > limit as u64 && !truncate) {
        return Err(too_large(usize::try_from(len).unwrap_or(usize::MAX)));
    }
    let final_url = response.url().clone();
    let status = response.status().as_u16();
    let remote_addr = response.remote_addr();
    let version = format!("{:?}", response.version());
    let headers = response
        .headers()
        .iter()
        .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
        .collect();
    let mut bytes = Vec::new();
    loop {
        match response.chunk().await {
            Ok(Some(chunk)) if bytes.len() + chunk.len() > limit => {
                if !truncate {
                    return Err(too_large(bytes.len() + chunk.len()));
                }
                bytes.extend_from_slice(chunk.get(..limit - bytes.len()).unwrap_or_default());
                break;
            }
            Ok(Some(chunk)) => bytes.extend_from_slice(&chunk),
            Ok(None) => break,
            Err(e) => return Err(network_error(url, e)),
        }
    }
    let fetched_at = jiff::Timestamp::now();
    let sent = Sent { version, ..sent };
    Ok(Fetched { status, url: url.clone(), final_url, headers, body: bytes, fetched_at, remote_addr, sent })
}

fn classify(url: &Url, e: reqwest::Error) -> Attempt {
    if let Some(blocked) = Blocked::find(&e) {
        return Attempt::Done(Err(blocked.into_error(url)));
    }
    Attempt::Retry(network_error(url, e), None)
}

/// The client's error as ours; the client's is kept as the source.
fn network_error(url: &Url, e: reqwest::Error) -> Error {
    if e.is_timeout() {
        return Error::new(ErrorKind::Timeout { url: url.to_string() });
    }
    Error::new(ErrorKind::Network { url: url.to_string(), source: Box::new(e) })
}

/// `Retry-After` in seconds or as an HTTP date.
fn retry_after(response: &reqwest::Response) -> Option<Duration> {
    let value = response.headers().get("retry-after")?.to_str().ok()?.trim();
    if let Ok(secs) = value.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = http_date(value)?;
    let secs = at.as_second() - jiff::Timestamp::now().as_second();
    Some(Duration::from_secs(u64::try_from(secs).unwrap_or(0)))
}
