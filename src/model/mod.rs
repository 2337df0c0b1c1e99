//! The page model: what extraction returns, with no logic of its own
//! beyond reading it back (`Page::text`, `PubDate`'s `Display` and `FromStr`).

mod article;
mod credits;
mod date;
mod link;
mod page;
mod render;

pub use article::{Article, Block, BlockKind, Image, Removal, Truncation};
pub use credits::Credit;
pub use date::{DateCandidate, DateLabel, DateOrigin, PubDate, Published};
pub(crate) use link::absolute;
pub use link::{Link, LinkKind, Post};
pub use page::Page;
pub use render::MetaStyle;
