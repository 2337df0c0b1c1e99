//! A map over a WARC's records on several threads, its results in the
//! records' order, with a bounded number of records in flight (read,
//! being mapped, or waiting for an earlier one), so memory stays bounded
//! however large the file and however slow one record.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Arc, Mutex};

use super::reader::WarcReader;
use super::record::Record;
use crate::error::Error;

/// Records in flight per thread, at most.
const IN_FLIGHT_PER_THREAD: usize = 8;

/// The results of [`par_map`], in the records' order.
pub struct ParMap<T> {
    results: Receiver<(usize, T)>,
    /// Results that came before an earlier record's.
    waiting: BTreeMap<usize, T>,
    next: usize,
    /// One token a record in flight: given back as its result is yielded.
    tokens: SyncSender<()>,
}

impl<T> Iterator for ParMap<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        loop {
            if let Some(t) = self.waiting.remove(&self.next) {
                self.next += 1;
                let _ = self.tokens.try_send(());
                return Some(t);
            }
            let (n, t) = self.results.recv().ok()?;
            self.waiting.insert(n, t);
        }
    }
}

/// Applies `f` to every record of `reader` (an `Err` for a record that
/// could not be read) on `threads` threads (at least one), and yields the
/// results in the records' order. At most `threads × 8` records are in
/// flight. Reading runs on a thread of its own.
///
/// ```
/// use report_scraper::warc::{WarcReader, par_map};
/// let one = |n: usize| format!("WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: http://a.cn/{n}\r\nContent-Length: 0\r\n\r\n\r\n\r\n");
/// let warc: String = (0..100).map(one).collect();
/// let uris: Vec<String> = par_map(WarcReader::new(std::io::Cursor::new(warc)), 4, |r| {
///     r.map(|r| r.target_uri().unwrap_or_default().to_string()).unwrap_or_default()
/// })
/// .collect();
/// assert_eq!(uris.len(), 100);
/// assert_eq!(uris[42], "http://a.cn/42");
/// ```
pub fn par_map<R, T, F>(reader: WarcReader<R>, threads: usize, f: F) -> ParMap<T>
where
    R: Read + Send + 'static,
    T: Send + 'static,
    F: Fn(Result<Record, Error>) -> T + Send + Sync + 'static,
{
    let threads = threads.max(1);
    let window = threads * IN_FLIGHT_PER_THREAD;
    let (tokens, permits) = sync_channel::<()>(window);
    for _ in 0..window {
        let _ = tokens.try_send(());
    }
    let (work_tx, work_rx) = sync_channel::<(usize, Result<Record, Error>)>(threads);
    let (result_tx, results) = sync_channel::<(usize, T)>(window);
    // The reader: a record goes out only with a permit, so no more than the window is in flight.
    std::thread::spawn(move || {
        for (n, record) in reader.enumerate() {
            if permits.recv().is_err() || work_tx.send((n, record)).is_err() {
                return;
            }
        }
    });
    let work_rx = Arc::new(Mutex::new(work_rx));
    let f = Arc::new(f);
    for _ in 0..threads {
        let (work_rx, result_tx, f) = (work_rx.clone(), result_tx.clone(), f.clone());
        std::thread::spawn(move || {
            loop {
                let job = work_rx.lock().unwrap_or_else(|e| e.into_inner()).recv();
                let Ok((n, record)) = job else { return };
                if result_tx.send((n, f(record))).is_err() {
                    return;
                }
            }
        });
    }
    ParMap { results, waiting: BTreeMap::new(), next: 0, tokens }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn warc(n: usize) -> Vec<u8> {
        let one = |i: usize| {
            format!(
                "WARC/1.1\r\nWARC-Type: resource\r\nWARC-Target-URI: http://a.cn/{i}\r\nContent-Length: 0\r\n\r\n\r\n\r\n"
            )
        };
        let mut out: Vec<u8> = (0..n).map(one).collect::<String>().into_bytes();
        // A broken record in the middle of the rest.
        out.extend_from_slice(b"NOT A RECORD\r\n\r\n");
        out.extend((n..n + 3).map(one).collect::<String>().into_bytes());
        out
    }

    #[test]
    fn results_come_in_the_records_order_whatever_the_threads() {
        for threads in [1, 3, 8] {
            let got: Vec<String> = par_map(WarcReader::new(std::io::Cursor::new(warc(200))), threads, |r| match r {
                Ok(r) => {
                    // Uneven work, so threads finish out of order.
                    let n: u64 = r.target_uri().unwrap().rsplit('/').next().unwrap().parse().unwrap();
                    std::thread::sleep(std::time::Duration::from_micros((n * 7919) % 300));
                    r.target_uri().unwrap().to_string()
                }
                Err(e) => format!("error: {}", e.kind().code()),
            })
            .collect();
            let mut want: Vec<String> = (0..200).map(|i| format!("http://a.cn/{i}")).collect();
            want.push("error: bad-warc".into());
            want.extend((200..203).map(|i| format!("http://a.cn/{i}")));
            assert_eq!(got, want, "{threads} threads");
        }
    }

    #[test]
    fn a_consumer_that_stops_early_stops_the_threads() {
        let mut map = par_map(WarcReader::new(std::io::Cursor::new(warc(1000))), 2, |r| r.is_ok());
        assert_eq!(map.next(), Some(true));
        drop(map);
    }
}
