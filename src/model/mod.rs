//! The page model: what extraction returns, with no logic of its own
//! beyond reading it back (`Page::text`, `PubDate`'s `Display` and `FromStr`).

mod article;
mod credits;
mod date;
mod page;
mod render;

pub use article::{Article, Block, BlockKind, Credit, Image, Removal, Truncation};
pub use date::{DateCandidate, DateLabel, DateOrigin, PubDate, Published};
pub(crate) use page::absolute;
pub use page::{Link, LinkKind, Page, Post};
pub use render::MetaStyle;
