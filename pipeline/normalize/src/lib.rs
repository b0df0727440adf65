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

//! # Example
//!
//! ```
//! use yosan_normalize::*;
//!
//! assert_eq!(normalize_label("使用料及び賃 借料"), "使用料及び賃借料");
//! assert_eq!(
//!     split_numbering("（１）プラットフォー ム推進事業"),
//!     (Some("(1)".to_string()), "プラットフォーム推進事業".to_string())
//! );
//!
//! let unit = Unit::from_caption("（単位：千円）").unwrap_or(Unit::Yen);
//! assert_eq!(parse_amount("△ 12,426", unit).map(|p| p.value), Ok(AmountValue::Yen(-12_426_000)));
//! assert_eq!(parse_amount("51億9,433万円", unit).map(|p| p.value), Ok(AmountValue::Yen(5_194_330_000)));
//! assert_eq!(parse_amount("―", unit).map(|p| p.value), Ok(AmountValue::NoneMark));
//! assert_eq!(
//!     parse_amount("99.4%", unit).map(|p| p.value),
//!     Ok(AmountValue::NotMoney(NotMoney::Percent))
//! );
//!
//! assert_eq!(parse_fiscal_year("令和元年度", None), Some(2019));
//! assert_eq!(parse_fiscal_year("平成31年度", None), Some(2019));
//! assert_eq!(parse_fiscal_year("５年度", Some(Era::Reiwa)), Some(2023));
//!
//! assert_eq!(normalize_code("14100").as_deref(), Some("141003"));
//! assert!(is_valid("222101"));
//! ```

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
