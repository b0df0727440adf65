//! Normalisers for Japanese public-sector budget text.
//!
//! Pure functions, no I/O. Each module is one normaliser and says in its documentation exactly
//! which code points or forms it touches:
//!
//! - [`width`]: full-width ASCII (U+FF01–U+FF5E) to ASCII, U+3000 to a space, half-width katakana
//!   (U+FF61–U+FF9F) to full-width with dakuten composed. Never NFKC: `①` and `㈱` survive.
//! - [`space`]: whitespace runs collapsed; spaces left by line wraps inside names removed.
//! - [`label`]: the chain for names.
//! - [`numbering`]: leading item numbers (`１ 議員報酬`, `(1)`, `I`, `ア`, `①`) split from names.
//! - [`amount`]: money to integer yen (`△ 12,426`, `51億9,433万円`, `五千万円`, units from captions),
//!   none marks, and figures that are not money (`99.4%`, `32人`, `補助率 1/2`).
//! - [`era`]: fiscal years in Japanese eras (`令和4年度`, `R4`, `平成31年度`, `4年度` with context).
//! - [`jcode`]: local government codes (全国地方公共団体コード) and their check digit.
//!
//! # The label chain
//!
//! [`normalize_label`] applies [`LABEL_CHAIN`], declared once in [`label`], in this order:
//!
//! 1. `fold_width` ([`fold_width`])
//! 2. `collapse_spaces` ([`collapse_spaces`])
//! 3. `join_wrapped` ([`join_wrapped`])
//!
//! Folding comes first so that the space rules see ASCII letters and digits in their ASCII form
//! (a full-width `Ｔ` keeps the space after it as an ASCII `T` does), and U+3000 as a space.

pub mod amount;
pub mod era;
pub mod jcode;
pub mod label;
pub mod numbering;
pub mod space;
pub mod width;

pub use amount::{
    find_amounts, parse_amount, AmountError, AmountValue, NotMoney, ParsedAmount, Unit,
};
pub use era::{era_of_year, find_fiscal_years, parse_fiscal_year, Era};
pub use jcode::{check_digit, is_valid, normalize_code};
pub use label::{apply_chain, normalize_label, Normalizer, LABEL_CHAIN};
pub use numbering::split_numbering;
pub use space::{collapse_spaces, join_wrapped};
pub use width::fold_width;
