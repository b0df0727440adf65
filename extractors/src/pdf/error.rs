//! Why a PDF yielded no document at all. Problems confined to a page, a font or a stream are
//! [`crate::Diagnostic`]s on an otherwise usable document instead.

use thiserror::Error;

/// A PDF that could not be read as a whole.
#[derive(Debug, Error)]
pub enum PdfError {
    /// The file is encrypted and the empty user password does not open it.
    #[error("the PDF is encrypted and needs a password ({detail})")]
    PasswordRequired { detail: String },
    /// The file uses an encryption scheme this reader cannot decrypt.
    #[error("the PDF uses an unsupported encryption scheme: {detail}")]
    UnsupportedEncryption { detail: String },
    /// Neither the cross-reference data nor a scan of the bytes gave a usable object graph.
    #[error("the PDF cannot be read: {detail}")]
    Unreadable { detail: String },
    /// No page tree with any page could be found.
    #[error("the PDF has no pages")]
    NoPages,
    /// Every page lacks a text layer (scans or text converted to outlines): the file needs OCR.
    #[error("no page of the PDF has a text layer ({pages} pages; scanned or outlined, needs OCR)")]
    NoTextLayer { pages: u32 },
    /// A stream or the whole document is larger than `ExtractOptions::max_decompressed_bytes`.
    #[error("the PDF expands beyond the limit of {limit} bytes ({what})")]
    TooLarge { limit: u64, what: String },
    /// Strict mode: a recoverable problem that lenient mode would report and work around.
    #[error("strict mode: {code} on page {page}: {message}")]
    Strict {
        code: String,
        page: u32,
        message: String,
    },
}

impl PdfError {
    /// A stable code for the `diagnostics` table.
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::PasswordRequired { .. } => "pdf.encrypted",
            PdfError::UnsupportedEncryption { .. } => "pdf.unsupported_encryption",
            PdfError::Unreadable { .. } => "pdf.unreadable",
            PdfError::NoPages => "pdf.no_pages",
            PdfError::NoTextLayer { .. } => "pdf.no_text_layer",
            PdfError::TooLarge { .. } => "pdf.too_large",
            PdfError::Strict { .. } => "pdf.strict",
        }
    }
}
