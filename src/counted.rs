//! A buffered reader that counts the bytes taken from it: where a gzip
//! member starts in a WARC file, how much of a sitemap was read.

use std::io::{BufRead, Read};

/// `inner`, counting the bytes read or consumed through it.
pub(crate) struct Counted<R> {
    inner: R,
    count: u64,
}

impl<R: BufRead> Counted<R> {
    pub(crate) fn new(inner: R) -> Counted<R> {
        Counted { inner, count: 0 }
    }

    /// Bytes taken so far.
    pub(crate) fn count(&self) -> u64 {
        self.count
    }
}

impl<R: BufRead> Read for Counted<R> {
    fn read(&mut self, out: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(out)?;
        self.count += n as u64;
        Ok(n)
    }
}

impl<R: BufRead> BufRead for Counted<R> {
    fn fill_buf(&mut self) -> std::io::Result<&[u8]> {
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        self.count += n as u64;
        self.inner.consume(n);
    }
}
