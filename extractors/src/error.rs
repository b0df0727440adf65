//! The error of a whole extraction: the file could not be read as its format at all.
//! Problems that leave a usable document are [`crate::Diagnostic`]s instead.

use thiserror::Error;

/// Why a file yielded no document.
#[derive(Debug, Error)]
pub enum ExtractError {
    /// The file is empty.
    #[error("the file is empty (0 bytes)")]
    Empty,
    /// The content matches no supported format.
    #[error("unsupported file type: {what}")]
    UnsupportedFormat { what: String },
    /// A delimited-text problem that made the file unreadable.
    #[error("delimited text: {0}")]
    Delimited(#[from] crate::delimited::DelimitedError),
    /// A spreadsheet problem that made the file unreadable.
    #[error("spreadsheet: {0}")]
    Sheet(#[from] crate::sheet::SheetError),
    /// A plain-text problem that made the file unreadable.
    #[error("text: {0}")]
    Text(#[from] crate::text::TextError),
    /// A PDF problem that made the file unreadable.
    #[error("pdf: {0}")]
    Pdf(#[from] crate::pdf::PdfError),
    /// The extractor panicked; the panic was caught at the document boundary.
    #[error("internal error while extracting (panic: {message})")]
    Panic { message: String },
}

impl ExtractError {
    /// A stable code for the `diagnostics` table (`pdf.encrypted`, `csv.invalid_bytes`, ...).
    pub fn code(&self) -> String {
        match self {
            ExtractError::Empty => "file.empty".into(),
            ExtractError::UnsupportedFormat { .. } => "file.unsupported_format".into(),
            ExtractError::Delimited(e) => e.code().into(),
            ExtractError::Sheet(e) => e.code().into(),
            ExtractError::Text(e) => e.code().into(),
            ExtractError::Pdf(e) => e.code().into(),
            ExtractError::Panic { .. } => "extract.panic".into(),
        }
    }
}
