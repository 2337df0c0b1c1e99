//! Copies of articles kept for finding their reposts across sites: each
//! copy's row, with its fingerprint's bands as keys of an index table, so a
//! new copy meets the ones sharing a band without a scan.

use rusqlite::params;

use super::{CrawlState, db_err};
use crate::crawl::state::KeptCopy;
use crate::error::Error;

/// The columns a copy is read back from.
const COLUMNS: &str = "r.row, r.part, r.grp, r.url, r.published, r.source, r.sites, r.truncated, r.chars, r.fp";

impl CrawlState {
    /// The copies kept with any of these band keys, each once.
    pub(crate) fn reposts_near(&self, bands: &[i64]) -> Result<Vec<KeptCopy>, Error> {
        let conn = self.conn();
        let marks = vec!["?"; bands.len()].join(", ");
        let sql = format!(
            "SELECT {COLUMNS} FROM reposts r WHERE (r.row, r.part) IN
                 (SELECT row, part FROM repost_bands WHERE band IN ({marks})) ORDER BY r.row, r.part"
        );
        let mut stmt = conn.prepare_cached(&sql).map_err(db_err)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(bands), read).map_err(db_err)?;
        Ok(rows.filter_map(Result::ok).flatten().collect())
    }

    /// Keeps a copy and its bands (replacing one kept under its row and part).
    pub(crate) fn keep_repost(&self, copy: &KeptCopy) -> Result<(), Error> {
        let mut conn = self.conn();
        let tx = conn.transaction().map_err(db_err)?;
        let m = &copy.member;
        tx.execute(
            "INSERT OR REPLACE INTO reposts VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)",
            params![
                copy.row,
                copy.part,
                copy.group,
                m.url,
                m.published,
                m.source,
                copy.sites(),
                m.truncated,
                i64::try_from(m.chars).unwrap_or(i64::MAX),
                m.fingerprint.to_bytes()
            ],
        )
        .map_err(db_err)?;
        {
            let mut band =
                tx.prepare_cached("INSERT OR IGNORE INTO repost_bands VALUES (?1, ?2, ?3)").map_err(db_err)?;
            for key in copy.band_keys() {
                band.execute(params![key, copy.row, copy.part]).map_err(db_err)?;
            }
        }
        tx.commit().map_err(db_err)
    }

    /// Every copy kept, oldest first.
    pub(crate) fn repost_copies(&self) -> Result<Vec<KeptCopy>, Error> {
        let conn = self.conn();
        let mut stmt =
            conn.prepare(&format!("SELECT {COLUMNS} FROM reposts r ORDER BY r.row, r.part")).map_err(db_err)?;
        let rows = stmt.query_map([], read).map_err(db_err)?;
        Ok(rows.filter_map(Result::ok).flatten().collect())
    }
}

/// A copy from a row of [`COLUMNS`]; `None` for a fingerprint of another version.
fn read(r: &rusqlite::Row<'_>) -> rusqlite::Result<Option<KeptCopy>> {
    let sites: String = r.get(6)?;
    let fp: Vec<u8> = r.get(9)?;
    let chars: i64 = r.get(8)?;
    Ok(KeptCopy::stored(
        (r.get(0)?, r.get(1)?, r.get(2)?),
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        &sites,
        r.get(7)?,
        usize::try_from(chars).unwrap_or(0),
        &fp,
    ))
}
