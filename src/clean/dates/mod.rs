//! Dates: reading them out of text and addresses, and choosing a page's
//! publish date among every date it carries.
//!
//! - [`formats`] reads a date out of a text, in every format the pages use
//!   ([`months`] names months in the major European languages);
//!   [`relative`] reads `昨天 14:30` against a reference time; [`url`] reads
//!   addresses;
//! - [`zone`] tells the page's clock (time zone, numeric order, 民國 years)
//!   from its address and language; a [`Reading`] carries it to every reader;
//! - [`evidence`] scores candidates (where each was found, its label, its
//!   precision, its neighbours, what agrees with it) and picks one.
//!
//! Nothing here knows about lines or markup: the pipeline gathers the
//! candidates (`clean::published`) and this module weighs them.

pub(crate) mod evidence;
pub(crate) mod formats;
pub(crate) mod labels;
pub(crate) mod months;
pub(crate) mod relative;
pub(crate) mod url;
pub(crate) mod zone;

use jiff::Timestamp;
use jiff::tz::{Offset, TimeZone};

pub(crate) use self::formats::Found;
pub(crate) use self::zone::Script;
use crate::model::PubDate;

/// How a page's dates are read: its clock and conventions, and the
/// reference time for relative dates.
#[derive(Debug, Clone)]
pub(crate) struct Reading {
    /// `03/08/2016` is 8 March when set, 3 August otherwise (unless a field
    /// over 12 settles it).
    pub month_first: bool,
    /// Three-digit years before 年 are 民國 years (Taiwan's pages).
    pub roc: bool,
    /// Times without an offset are read in this zone, and UTC times are moved
    /// to it, so that a date's calendar day is the page's own.
    pub zone: TimeZone,
    /// When the page was fetched: relative dates are read against it, and
    /// without it left out.
    pub now: Option<Timestamp>,
}

impl Default for Reading {
    /// A Chinese page's reading: UTC+8, day-first numerics, no reference time.
    fn default() -> Self {
        Reading { month_first: false, roc: false, zone: TimeZone::fixed(Offset::constant(8)), now: None }
    }
}

impl Reading {
    /// The reading of a page at `url` whose `<html lang>` is `lang`; `script`
    /// tells what it is written in when neither says.
    pub(crate) fn for_page(
        url: Option<&str>,
        lang: Option<&str>,
        script: impl FnOnce() -> Script,
        now: Option<Timestamp>,
    ) -> Reading {
        let host = url.and_then(url::host);
        let clock = zone::clock(host.as_deref(), lang, script);
        Reading { month_first: clock.month_first, roc: clock.roc, zone: clock.zone, now }
    }
}

impl PubDate {
    /// Finds the first date in `text`: a full date (with time when printed
    /// next to it, read on China's clock unless it gives an offset), in any
    /// of the formats the pages use, or failing those a month and day, which
    /// keeps no year.
    ///
    /// ```
    /// use report_scraper::model::PubDate;
    /// assert_eq!(PubDate::parse("二〇二三年三月七日").unwrap().to_string(), "2023-03-07");
    /// assert_eq!(PubDate::parse("2025.02.20").unwrap().to_string(), "2025-02-20");
    /// assert_eq!(PubDate::parse("March 8, 2016").unwrap().to_string(), "2016-03-08");
    /// assert_eq!(PubDate::parse("8. März 2016").unwrap().to_string(), "2016-03-08");
    /// assert!(PubDate::parse("第3期").is_none());
    /// ```
    pub fn parse(text: &str) -> Option<PubDate> {
        Reading::default().find(text, true).map(|f| f.value)
    }

    /// Finds a date written in a web address.
    ///
    /// ```
    /// use report_scraper::model::PubDate;
    /// let d = PubDate::from_url("http://www.gov.cn/xinwen/2023-03/07/content_1.htm").unwrap();
    /// assert_eq!(d.to_string(), "2023-03-07");
    /// assert_eq!(PubDate::from_url("https://a.cn/art/t20230307_123.html").unwrap().to_string(), "2023-03-07");
    /// ```
    pub fn from_url(url: &str) -> Option<PubDate> {
        url::date_in(url).map(PubDate::Date)
    }
}
