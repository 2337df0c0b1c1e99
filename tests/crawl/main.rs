//! The crawler against sites these tests serve on 127.0.0.1 (no packet
//! leaves the machine), every one through `support::server`, which logs
//! each request so tests assert what was fetched, how often and how far
//! apart:
//!
//! - `faults`: a site of fixture and real pages with the faults a crawl
//!   meets (redirects, 404, 500 then 200, 429, slow and huge pages), and
//!   kills of the crawl example in the middle of a run;
//! - `site`: a site built the way association and government sites are
//!   (meta refreshes, iframes, TRS script pagination, GBK, feeds, ETags);
//! - `cms`: the CMS families (Hanweb JCMS, ASP.NET postbacks, DedeCMS…)
//!   and several hosts side by side;
//! - `scope`: nothing leaves the scope it was meant for;
//! - `reposts`: an association's articles reposted on a portal, grouped under their original.
//!
//! A new crawl test goes in the module of the site it needs; a new kind of
//! site is a new module.
#![cfg(feature = "crawl")]

#[path = "../support/mod.rs"]
mod support;

mod cms;
mod faults;
mod reposts;
mod scope;
mod site;
mod workers;
