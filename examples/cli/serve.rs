//! `crawl --serve DIR`: a folder of pages on 127.0.0.1, as a web server
//! serves one (tower-http's `ServeDir`: content types, `Last-Modified` and
//! conditional requests, `index.html` for folders), plus what a demo needs:
//! `{base}` in sitemaps and robots.txt stands for this server's address
//! (they need absolute ones), and a folder without `index.html` is listed,
//! so that any folder of pages can be crawled.

use std::path::{Component, Path, PathBuf};

use axum::body::{Body, to_bytes};
use axum::extract::State;
use axum::handler::HandlerWithoutStateExt;
use axum::http::{StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Response};
use tower_http::services::ServeDir;

/// The largest sitemap or robots.txt rewritten with the server's address.
const MAX_REWRITTEN: usize = 16 * 1024 * 1024;

/// Serves `dir` on 127.0.0.1:`port` (0 picks a free port); returns its base address.
pub async fn serve(dir: &Path, port: u16) -> std::io::Result<String> {
    let root = dir.canonicalize()?;
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", port)).await?;
    let base = format!("http://{}/", listener.local_addr()?);
    let listing_root = root.clone();
    let listing = move |uri: Uri| listing(listing_root.clone(), uri);
    let files = ServeDir::new(root).append_index_html_on_directories(true).not_found_service(listing.into_service());
    let app = axum::Router::new()
        .fallback_service(files)
        .layer(axum::middleware::map_response_with_state(base.clone(), with_base));
    tokio::spawn(async move { axum::serve(listener, app).await });
    Ok(base)
}

/// `{base}` in an XML or plain-text answer becomes the server's address.
async fn with_base(State(base): State<String>, response: Response) -> Response {
    let rewritten =
        response.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).is_some_and(|t| {
            t.starts_with("text/plain") || t.starts_with("text/xml") || t.starts_with("application/xml")
        });
    if !rewritten || response.status() != StatusCode::OK {
        return response;
    }
    let (mut parts, body) = response.into_parts();
    let Ok(bytes) = to_bytes(body, MAX_REWRITTEN).await else {
        return StatusCode::INTERNAL_SERVER_ERROR.into_response();
    };
    let text = String::from_utf8_lossy(&bytes).replace("{base}", &base);
    parts.headers.remove(header::CONTENT_LENGTH);
    Response::from_parts(parts, Body::from(text))
}

/// A list page of a folder without `index.html`; anything else is not found.
async fn listing(root: PathBuf, uri: Uri) -> Response {
    let rel = uri.path().trim_start_matches('/');
    // Only plain names below the root: `..` and absolute paths are never read.
    if !Path::new(rel).components().all(|c| matches!(c, Component::Normal(_))) {
        return StatusCode::NOT_FOUND.into_response();
    }
    let Ok(mut entries) = tokio::fs::read_dir(root.join(rel)).await else {
        return StatusCode::NOT_FOUND.into_response();
    };
    let mut names = Vec::new();
    while let Ok(Some(e)) = entries.next_entry().await {
        let dir_mark = if e.path().is_dir() { "/" } else { "" };
        names.push(format!("{}{dir_mark}", e.file_name().to_string_lossy()));
    }
    names.sort();
    let items: String = names.iter().map(|n| format!("<li><a href=\"{n}\">{n}</a></li>\n")).collect();
    let page = format!(
        "<!DOCTYPE html><html><head><meta charset=utf-8><title>Index</title></head><body><ul>\n{items}</ul></body></html>"
    );
    Html(page).into_response()
}
