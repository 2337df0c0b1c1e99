//! Copies of articles kept for finding their reposts across sites, shared
//! by the workers: each copy's row, its fingerprint's bands as keys.

use super::{PgState, pg_err};
use crate::crawl::state::KeptCopy;
use crate::error::Error;

/// The columns a copy is read back from.
const COLUMNS: &str = "r.url_id, r.part, r.grp, r.url, r.published, r.source, r.sites, r.truncated, r.chars, r.fp";

impl PgState {
    /// The copies kept with any of these band keys, each once.
    pub(super) async fn reposts_near(&self, bands: &[i64]) -> Result<Vec<KeptCopy>, Error> {
        let client = self.client().await?;
        let sql = format!(
            "SELECT {COLUMNS} FROM report_scraper.reposts r WHERE r.crawl = $1 AND (r.url_id, r.part) IN
                 (SELECT url_id, part FROM report_scraper.repost_bands WHERE crawl = $1 AND band = ANY($2))
             ORDER BY r.url_id, r.part"
        );
        let rows = client.query(&sql, &[&self.crawl, &bands]).await.map_err(pg_err)?;
        Ok(rows.iter().filter_map(read).collect())
    }

    /// Keeps a copy and its bands (replacing one kept under its row and part).
    pub(super) async fn keep_repost(&self, copy: &KeptCopy) -> Result<(), Error> {
        let mut client = self.client().await?;
        let tx = client.transaction().await.map_err(pg_err)?;
        let m = &copy.member;
        let part = i32::try_from(copy.part).unwrap_or(i32::MAX);
        let chars = i64::try_from(m.chars).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO report_scraper.reposts VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
             ON CONFLICT (crawl, url_id, part) DO UPDATE SET grp = excluded.grp, url = excluded.url,
                 published = excluded.published, source = excluded.source, sites = excluded.sites,
                 truncated = excluded.truncated, chars = excluded.chars, fp = excluded.fp",
            &[
                &self.crawl,
                &copy.row,
                &part,
                &copy.group,
                &m.url,
                &m.published,
                &m.source,
                &copy.sites(),
                &m.truncated,
                &chars,
                &m.fingerprint.to_bytes(),
            ],
        )
        .await
        .map_err(pg_err)?;
        tx.execute(
            "INSERT INTO report_scraper.repost_bands SELECT $1, band, $2, $3 FROM unnest($4::bigint[]) AS band
             ON CONFLICT DO NOTHING",
            &[&self.crawl, &copy.row, &part, &copy.band_keys()],
        )
        .await
        .map_err(pg_err)?;
        tx.commit().await.map_err(pg_err)
    }

    /// Every copy kept, oldest first.
    pub(super) async fn repost_copies(&self) -> Result<Vec<KeptCopy>, Error> {
        let client = self.client().await?;
        let sql =
            format!("SELECT {COLUMNS} FROM report_scraper.reposts r WHERE r.crawl = $1 ORDER BY r.url_id, r.part");
        let rows = client.query(&sql, &[&self.crawl]).await.map_err(pg_err)?;
        Ok(rows.iter().filter_map(read).collect())
    }
}

/// A copy from a row of [`COLUMNS`]; `None` for a fingerprint of another version.
fn read(r: &tokio_postgres::Row) -> Option<KeptCopy> {
    let part: i32 = r.get(1);
    let chars: i64 = r.get(8);
    let sites: String = r.get(6);
    let fp: Vec<u8> = r.get(9);
    KeptCopy::stored(
        (r.get(0), u32::try_from(part).unwrap_or(0), r.get(2)),
        r.get(3),
        r.get(4),
        r.get(5),
        &sites,
        r.get(7),
        usize::try_from(chars).unwrap_or(0),
        &fp,
    )
}
