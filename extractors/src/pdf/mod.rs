//! PDF extraction. Placeholder until the PDF extractor lands: every PDF is reported as not
//! readable yet.

use crate::{Document, ExtractOptions};
use thiserror::Error;

/// Why a PDF yielded no document.
#[derive(Debug, Error)]
pub enum PdfError {
    /// The PDF extractor is not part of this build yet.
    #[error("the PDF extractor is not available in this build")]
    NotAvailable,
}

impl PdfError {
    /// A stable code for the `diagnostics` table.
    pub fn code(&self) -> &'static str {
        match self {
            PdfError::NotAvailable => "pdf.not_available",
        }
    }
}

/// Extracts a PDF; always [`PdfError::NotAvailable`] for now.
pub fn extract(_: &[u8], _: &ExtractOptions) -> Result<Document, PdfError> {
    Err(PdfError::NotAvailable)
}
