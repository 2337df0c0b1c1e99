//! A loopback HTTP server for tests: a handler turns each request (method,
//! path, query, form body) into a response, and every request is logged
//! with the time it arrived, so tests assert what was asked, how often and
//! how far apart. It binds 127.0.0.1 only.
#![allow(dead_code)]

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::Router;
use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::IntoResponse;

/// A request as the handler sees it.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: String,
    pub path: String,
    pub query: Option<String>,
    pub body: String,
    pub headers: HeaderMap,
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

    pub fn redirect(to: &str) -> Reply {
        Reply { headers: vec![("location".into(), to.into())], ..Reply::status(301) }
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
    pub target: String,
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

    pub fn clear(&self) {
        self.log.lock().unwrap().clear();
    }
}

/// Serves `handler` on 127.0.0.1, on a port of its own.
pub async fn serve(handler: impl Fn(&Req) -> Reply + Send + Sync + 'static) -> Server {
    let handler: Handler = Arc::new(handler);
    let log: Arc<Mutex<Vec<Hit>>> = Arc::default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let state = (handler, log.clone());
    let app = Router::new().fallback(
        |axum::extract::State((handler, log)): axum::extract::State<(Handler, Arc<Mutex<Vec<Hit>>>)>,
         method: Method,
         uri: Uri,
         headers: HeaderMap,
         body: Bytes| async move {
            let at = Instant::now();
            let req = Req {
                method: method.to_string(),
                path: uri.path().to_string(),
                query: uri.query().map(str::to_string),
                body: String::from_utf8_lossy(&body).into_owned(),
                headers,
            };
            let reply = handler(&req);
            if !reply.delay.is_zero() {
                tokio::time::sleep(reply.delay).await;
            }
            log.lock().unwrap().push(Hit {
                method: req.method.clone(),
                target: req.target(),
                body: req.body.clone(),
                at,
                status: reply.status,
                headers: req
                    .headers
                    .iter()
                    .map(|(k, v)| (k.as_str().to_string(), String::from_utf8_lossy(v.as_bytes()).into_owned()))
                    .collect(),
            });
            let mut response =
                (StatusCode::from_u16(reply.status).unwrap(), [("content-type", reply.content_type)], reply.body)
                    .into_response();
            for (k, v) in reply.headers {
                response.headers_mut().insert(
                    axum::http::HeaderName::from_bytes(k.as_bytes()).unwrap(),
                    axum::http::HeaderValue::from_str(&v).unwrap(),
                );
            }
            response
        },
    );
    let app = app.with_state(state);
    tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    Server { base, log }
}
