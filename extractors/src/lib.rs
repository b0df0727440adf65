//! Bytes to documents: positioned text, ruling lines and cell grids.
//!
//! One module per input kind ([`pdf`], [`sheet`], [`delimited`], [`text`]), each with its own error
//! enum, all producing the same [`Document`]. [`detect()`] picks the kind from the content, never
//! from the file name alone. These extractors know nothing about budgets.
//!
//! Shared pieces: [`decode`] (text encodings, with every undecodable byte reported),
//! [`value`] (plain-number recognition and exact decimal text for numbers), [`render`] (the
//! document as text or JSON, as `yosan extract` prints it).

pub mod decode;
pub mod delimited;
pub mod detect;
mod document;
mod error;
mod html;
pub mod pdf;
pub mod render;
pub mod sheet;
pub mod text;
pub mod value;

pub use detect::detect;
pub use document::*;
pub use error::ExtractError;

/// Extracts `bytes` as whatever format its content is, behind a panic boundary.
///
/// `name` is used only as a hint where content alone cannot decide (CSV against TSV against plain
/// text). A panic inside an extractor becomes [`ExtractError::Panic`], never a crashed batch.
pub fn extract(bytes: &[u8], name: &str, opts: &ExtractOptions) -> Result<Document, ExtractError> {
    let result = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        extract_unguarded(bytes, name, opts)
    }));
    match result {
        Ok(r) => r,
        Err(payload) => {
            let message = payload
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| payload.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".to_string());
            Err(ExtractError::Panic { message })
        }
    }
}

fn extract_unguarded(
    bytes: &[u8],
    name: &str,
    opts: &ExtractOptions,
) -> Result<Document, ExtractError> {
    if bytes.is_empty() {
        return Err(ExtractError::Empty);
    }
    let format = detect(bytes, name);
    let mut doc = match format {
        Format::Pdf => pdf::extract(bytes, opts)?,
        Format::Xlsx | Format::Xlsm | Format::Xlsb | Format::Xls | Format::Ods => {
            sheet::extract(bytes, format, opts)?
        }
        Format::Csv | Format::Tsv => delimited::extract(bytes, format, opts)?,
        Format::Text | Format::Markdown | Format::Html => text::extract(bytes, format, opts)?,
        Format::Unknown => {
            return Err(ExtractError::UnsupportedFormat {
                what: detect::describe_unknown(bytes),
            })
        }
    };
    doc.format = Some(format);
    Ok(doc)
}
