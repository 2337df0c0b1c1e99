//! The crawl's web archive: every response written as fetched (a request
//! and a response, or a revisit), then a `metadata` record of what the
//! crawl made of it. Without the `warc` feature there is no archive to give.

#[cfg(feature = "warc")]
pub(crate) use with_warc::*;
#[cfg(not(feature = "warc"))]
pub(crate) use without_warc::*;

#[cfg(feature = "warc")]
mod with_warc {
    use std::sync::Arc;

    use crate::error::Error;
    use crate::fetch::Fetched;
    use crate::model::Link;
    use crate::warc::{NewRecord, WarcWriter};

    /// A crawl's archive, shared by its workers.
    pub(crate) type Archive = Arc<WarcWriter>;

    /// Archives the exchange; the response's (or revisit's) record id.
    pub(crate) fn keep(archive: &Archive, fetched: &Fetched) -> Result<String, Error> {
        Ok(archive.write_fetched(fetched)?.record_id)
    }

    /// A `metadata` record beside the response: the depth the page was
    /// found at, how many articles it gave, the links found on it.
    pub(crate) fn describe(
        archive: &Archive,
        fetched: &Fetched,
        response_id: &str,
        links: &[Link],
        articles: usize,
        depth: u32,
    ) -> Result<(), Error> {
        let mut fields = format!("depth: {depth}\r\narticles: {articles}\r\n");
        for link in links {
            fields.push_str(&format!("outlink: {}\r\n", link.url));
        }
        let record = NewRecord::new("metadata", fields.into_bytes())
            .header("WARC-Target-URI", fetched.final_url.as_str())
            .header("WARC-Concurrent-To", response_id)
            .header("Content-Type", "application/warc-fields");
        archive.write(record).map(|_| ())
    }
}

#[cfg(not(feature = "warc"))]
mod without_warc {
    use std::sync::Arc;

    use crate::error::Error;
    use crate::fetch::Fetched;
    use crate::model::Link;

    /// No archive can be made without the feature: a type with no value.
    #[derive(Debug)]
    pub(crate) enum Never {}

    pub(crate) type Archive = Arc<Never>;

    pub(crate) fn keep(archive: &Archive, _: &Fetched) -> Result<String, Error> {
        match **archive {}
    }

    pub(crate) fn describe(archive: &Archive, _: &Fetched, _: &str, _: &[Link], _: usize, _: u32) -> Result<(), Error> {
        match **archive {}
    }
}
