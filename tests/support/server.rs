//! A loopback HTTP server for tests: a handler turns each request (method,
//! address, form body, headers, how many times it was asked before) into a
//! reply, and every request is logged with the time it arrived and the
//! status it got, so tests assert what was asked, how often and how far
//! apart. It binds 127.0.0.1 only.
#![allow(dead_code)]

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};

/// A request as the handler sees it.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    /// The request target as sent: `/path?query`, or a whole address when
    /// the server is asked as a proxy.
    pub uri: String,
    pub path: String,
    pub query: Option<String>,
    pub body: String,
    pub headers: HeaderMap,
    /// How many times this `path?query` has been asked, this request included (from 1).
    pub nth: usize,
    /// This server's own address, `http://127.0.0.1:PORT`.
    pub base: String,
}

impl Req {
    /// `path?query`.
    pub fn target(&self) -> String {
        match &self.query {
            Some(q) => format!("{}?{q}", self.path),
            None => self.path.clone(),
        }
    }

    /// A field of the query or of the form body, decoded.
    pub fn field(&self, name: &str) -> Option<String> {
        let from = |s: &str| url::form_urlencoded::parse(s.as_bytes()).find(|(k, _)| k == name).map(|(_, v)| v.into());
        self.query.as_deref().and_then(from).or_else(|| from(&self.body))
    }

    /// A request header's value, as text.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }
}

/// What to answer.
#[derive(Debug, Clone)]
pub struct Reply {
    pub status: u16,
    pub content_type: String,
    pub body: Vec<u8>,
    pub headers: Vec<(String, String)>,
    /// Waited before answering (a slow server).
    pub delay: Duration,
}

impl Reply {
    pub fn html(body: impl Into<Vec<u8>>) -> Reply {
        Reply::typed("text/html; charset=utf-8", body)
    }

    pub fn text(body: impl Into<Vec<u8>>) -> Reply {
        Reply::typed("text/plain", body)
    }

    pub fn typed(content_type: &str, body: impl Into<Vec<u8>>) -> Reply {
        Reply {
            status: 200,
            content_type: content_type.into(),
            body: body.into(),
            headers: vec![],
            delay: Duration::ZERO,
        }
    }

    pub fn status(status: u16) -> Reply {
        Reply { status, ..Reply::typed("text/plain", Vec::new()) }
    }

    /// A permanent redirect (301); [`with_status`](Self::with_status) makes it another.
    pub fn redirect(to: &str) -> Reply {
        Reply::status(301).header("location", to)
    }

    pub fn with_status(mut self, status: u16) -> Reply {
        self.status = status;
        self
    }

    pub fn header(mut self, name: &str, value: impl Into<String>) -> Reply {
        self.headers.push((name.into(), value.into()));
        self
    }

    pub fn delayed(mut self, delay: Duration) -> Reply {
        self.delay = delay;
        self
    }
}

/// One logged request.
#[derive(Debug, Clone)]
pub struct Hit {
    pub method: String,
    /// `path?query`.
    pub target: String,
    /// The request target as sent (a whole address through a proxy).
    pub uri: String,
    pub body: String,
    pub at: Instant,
    pub status: u16,
    /// The request's headers, names lower-cased.
    pub headers: Vec<(String, String)>,
}

impl Hit {
    /// A request header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}

pub type Handler = Arc<dyn Fn(&Req) -> Reply + Send + Sync>;

/// A running server: its base address and its log.
#[derive(Clone)]
pub struct Server {
    pub base: String,
    pub log: Arc<Mutex<Vec<Hit>>>,
}

impl Server {
    pub fn hits(&self) -> Vec<Hit> {
        self.log.lock().unwrap().clone()
    }

    /// Requests other than robots.txt.
    pub fn pages(&self) -> Vec<Hit> {
        self.hits().into_iter().filter(|h| h.target != "/robots.txt").collect()
    }

    /// Every `path?query` asked, in order.
    pub fn targets(&self) -> Vec<String> {
        self.hits().into_iter().map(|h| h.target).collect()
    }

    /// When `target` was asked, in order.
    pub fn times(&self, target: &str) -> Vec<Instant> {
        self.hits().into_iter().filter(|h| h.target == target).map(|h| h.at).collect()
    }

    pub fn clear(&self) {
        self.log.lock().unwrap().clear();
    }
}

/// A port taken on 127.0.0.1, not yet served: its address is known before
/// the handler is made (a site whose pages name their own address).
pub struct Bound {
    listener: tokio::net::TcpListener,
    pub base: String,
}

/// Takes a port of its own on 127.0.0.1.
pub async fn bind() -> Bound {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    Bound { listener, base }
}

/// Serves `handler` on 127.0.0.1, on a port of its own.
pub async fn serve(handler: impl Fn(&Req) -> Reply + Send + Sync + 'static) -> Server {
    bind().await.serve(handler)
}

/// What every request's task shares.
#[derive(Clone)]
struct Shared {
    handler: Handler,
    log: Arc<Mutex<Vec<Hit>>>,
    asked: Arc<Mutex<HashMap<String, usize>>>,
    base: String,
}

impl Bound {
    /// Starts answering with `handler`.
    pub fn serve(self, handler: impl Fn(&Req) -> Reply + Send + Sync + 'static) -> Server {
        let log: Arc<Mutex<Vec<Hit>>> = Arc::default();
        let shared =
            Shared { handler: Arc::new(handler), log: log.clone(), asked: Arc::default(), base: self.base.clone() };
        let app = Router::new().fallback(answer).with_state(shared);
        let listener = self.listener;
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        Server { base: self.base, log }
    }
}

async fn answer(State(shared): State<Shared>, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
    let at = Instant::now();
    let path = uri.path().to_string();
    let query = uri.query().map(str::to_string);
    let target = match &query {
        Some(q) => format!("{path}?{q}"),
        None => path.clone(),
    };
    let nth = {
        let mut asked = shared.asked.lock().unwrap();
        let n = asked.entry(target.clone()).or_default();
        *n += 1;
        *n
    };
    let body = String::from_utf8_lossy(&body).into_owned();
    let req = Req {
        method: method.to_string(),
        uri: uri.to_string(),
        path,
        query,
        body,
        headers,
        nth,
        base: shared.base.clone(),
    };
    let reply = (shared.handler)(&req);
    // Logged before a slow reply waits: a client that gives up still counts as having asked.
    shared.log.lock().unwrap().push(Hit {
        method: req.method.clone(),
        target,
        uri: req.uri.clone(),
        body: req.body.clone(),
        at,
        status: reply.status,
        headers: req
            .headers
            .iter()
            .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
            .collect(),
    });
    if !reply.delay.is_zero() {
        tokio::time::sleep(reply.delay).await;
    }
    let status = StatusCode::from_u16(reply.status).unwrap();
    let mut response = (status, [("content-type", reply.content_type)], reply.body).into_response();
    for (k, v) in reply.headers {
        response.headers_mut().append(
            axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
            axum::http::HeaderValue::from_str(&v).unwrap(),
        );
    }
    response
}
