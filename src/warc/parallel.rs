//! A map over a WARC's records on several threads, its results in the
//! records' order, with the records in flight (read, being mapped, or
//! waiting for an earlier one) bounded in number and in bytes, so memory
//! stays bounded however large the file and however slow one record.

use std::collections::BTreeMap;
use std::io::Read;
use std::sync::mpsc::{Receiver, sync_channel};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};

use super::reader::WarcReader;
use super::record::Record;
use crate::error::Error;

/// Records in flight per thread, at most. A slow record holds back the
/// results after it (they come in order), so the other threads need room
/// to go on meanwhile: with 8 a thread, two threads idled behind one slow
/// page and scaled 1.21× on two cores; with 64, 1.69× (and 1.76–1.87× once
/// the threads took turns at the reader instead of a reader thread of its
/// own; `cargo bench --bench warc`).
const IN_FLIGHT_PER_THREAD: usize = 64;

/// Bytes of records in flight per thread, at most (a record larger than
/// this still goes when nothing else is in flight): memory stays bounded
/// when the records are large.
const IN_FLIGHT_BYTES_PER_THREAD: usize = 16 << 20;

/// What is in flight, shared by the reader (which waits for room) and the
/// consumer (which makes room as it yields).
#[derive(Default)]
struct Flight {
    records: usize,
    bytes: usize,
    /// The consumer is gone: the reader stops.
    closed: bool,
}

/// The flight and its limits.
struct Window {
    flight: Mutex<Flight>,
    room: Condvar,
    max_records: usize,
    max_bytes: usize,
}

impl Window {
    fn lock(&self) -> MutexGuard<'_, Flight> {
        self.flight.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Waits until a record of `bytes` fits (always when nothing is in
    /// flight) and counts it in; false when the consumer is gone.
    fn enter(&self, bytes: usize) -> bool {
        let mut f = self.lock();
        while !f.closed && f.records > 0 && (f.records >= self.max_records || f.bytes + bytes > self.max_bytes) {
            f = self.room.wait(f).unwrap_or_else(|e| e.into_inner());
        }
        f.records += 1;
        f.bytes += bytes;
        !f.closed
    }

    fn leave(&self, bytes: usize) {
        let mut f = self.lock();
        f.records = f.records.saturating_sub(1);
        f.bytes = f.bytes.saturating_sub(bytes);
        self.room.notify_one();
    }

    fn close(&self) {
        self.lock().closed = true;
        self.room.notify_one();
    }
}

/// The results of [`par_map`], in the records' order.
pub struct ParMap<T> {
    results: Receiver<(usize, usize, T)>,
    /// Results that came before an earlier record's, with their record's size.
    waiting: BTreeMap<usize, (usize, T)>,
    next: usize,
    window: Arc<Window>,
}

impl<T> Iterator for ParMap<T> {
    type Item = T;

    fn next(&mut self) -> Option<T> {
        loop {
            if let Some((bytes, t)) = self.waiting.remove(&self.next) {
                self.next += 1;
                self.window.leave(bytes);
                return Some(t);
            }
            let (n, bytes, t) = self.results.recv().ok()?;
            self.waiting.insert(n, (bytes, t));
        }
    }
}

impl<T> Drop for ParMap<T> {
    fn drop(&mut self) {
        self.window.close();
    }
}

/// Applies `f` to every record of `reader` (an `Err` for a record that
/// could not be read) on `threads` threads (at least one), and yields the
/// results in the records' order. At most `threads × 64` records and
/// `threads × 16 MB` of them are in flight (one record larger than that
/// goes alone). The threads take turns reading: with one thread, reading
/// and mapping alternate.
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
    let window = Arc::new(Window {
        flight: Mutex::new(Flight::default()),
        room: Condvar::new(),
        max_records: threads * IN_FLIGHT_PER_THREAD,
        max_bytes: threads * IN_FLIGHT_BYTES_PER_THREAD,
    });
    let (result_tx, results) = sync_channel::<(usize, usize, T)>(window.max_records);
    // The threads take turns at the reader: one reads the next record while
    // the others map theirs, and no thread of its own competes for the cores.
    let reader = Arc::new(Mutex::new(reader.enumerate()));
    let f = Arc::new(f);
    for _ in 0..threads {
        let (reader, result_tx, f, window) = (reader.clone(), result_tx.clone(), f.clone(), window.clone());
        std::thread::spawn(move || {
            loop {
                let job = {
                    let mut reader = reader.lock().unwrap_or_else(|e| e.into_inner());
                    let Some((n, record)) = reader.next() else { return };
                    let bytes = record.as_ref().map_or(0, |r| r.block.len());
                    // Waiting for room with the reader held: no other thread could read meanwhile.
                    if !window.enter(bytes) {
                        return;
                    }
                    (n, bytes, record)
                };
                let (n, bytes, record) = job;
                if result_tx.send((n, bytes, f(record))).is_err() {
                    return;
                }
            }
        });
    }
    ParMap { results, waiting: BTreeMap::new(), next: 0, window }
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
