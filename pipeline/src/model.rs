//! The rows yosan writes: budget lines, document records and diagnostics, as plain Rust values.
//!
//! Field order and meaning follow `schemas/columns.json` (the output contract); the polars stage
//! ([`crate::dataset`]) turns these into Parquet columns of the documented types.

use serde::{Deserialize, Serialize};

/// Whether a document-level value was declared in the sources manifest or detected from content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Provenance {
    Declared,
    Detected,
    #[default]
    Unknown,
}

impl Provenance {
    pub fn as_str(self) -> &'static str {
        match self {
            Provenance::Declared => "declared",
            Provenance::Detected => "detected",
            Provenance::Unknown => "unknown",
        }
    }
}

/// 歳出 or 歳入.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// 歳出
    #[default]
    Expenditure,
    /// 歳入
    Revenue,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Expenditure => "expenditure",
            Direction::Revenue => "revenue",
        }
    }
}

/// Which stage of the budget cycle an amount is from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Phase {
    /// 当初予算: the budget as first adopted.
    #[default]
    Initial,
    /// 補正予算額: the amount of a supplementary budget itself.
    Supplementary,
    /// 補正後 / 現計: the budget after supplements.
    Revised,
    /// 決算: settled accounts.
    Settled,
    /// Projections of later years printed in plans.
    Forecast,
    /// 要求額: what a department requested before assessment.
    Requested,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Initial => "initial",
            Phase::Supplementary => "supplementary",
            Phase::Revised => "revised",
            Phase::Settled => "settled",
            Phase::Forecast => "forecast",
            Phase::Requested => "requested",
        }
    }
    pub fn parse(s: &str) -> Option<Phase> {
        Some(match s.trim() {
            "initial" | "当初" | "当初予算" => Phase::Initial,
            "supplementary" | "補正" | "補正予算" => Phase::Supplementary,
            "revised" | "補正後" | "現計" => Phase::Revised,
            "settled" | "決算" => Phase::Settled,
            "forecast" | "見込" | "計画" => Phase::Forecast,
            "requested" | "要求" => Phase::Requested,
            _ => return None,
        })
    }
}

/// Result of the arithmetic checks for one line.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Check {
    Ok,
    Mismatch,
    #[default]
    Unchecked,
}

impl Check {
    pub fn as_str(self) -> &'static str {
        match self {
            Check::Ok => "ok",
            Check::Mismatch => "mismatch",
            Check::Unchecked => "unchecked",
        }
    }
}

/// One amount with everything needed to place it: the row of `budget_lines`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct BudgetLine {
    pub jurisdiction_code: Option<String>,
    pub jurisdiction_name: String,
    pub fiscal_year: i64,
    pub document_fiscal_year: i64,
    pub account: Option<String>,
    pub direction: Direction,
    pub phase: Phase,
    pub family: String,
    pub path: Vec<String>,
    pub path_codes: Vec<String>,
    pub code: Option<String>,
    pub label_text: String,
    pub level: String,
    pub measure: String,
    pub measure_label: String,
    pub amount_yen: Option<i64>,
    pub amount_text: String,
    pub unit: String,
    pub is_total: bool,
    pub confidence: String,
    pub source_file: String,
    pub source_sha256: String,
    pub page: Option<i32>,
    pub sheet: Option<String>,
    pub row: Option<i32>,
    pub column: Option<i32>,
    pub bbox: Option<[f32; 4]>,
    pub check: Check,
    pub check_detail: Option<String>,
    /// Text printed with the amount that explains it (the 増減説明 of a 細事業 row).
    pub note: Option<String>,
    /// Marks printed with the line's item: 新規, 拡充, 新, 一部新, 再掲.
    pub marks: Vec<String>,
}

impl BudgetLine {
    /// The key that orders rows deterministically inside a partition.
    pub fn sort_key(&self) -> impl Ord + '_ {
        (
            &self.source_file,
            self.page,
            &self.sheet,
            self.row,
            self.column,
            &self.measure,
            self.fiscal_year,
            self.phase,
            &self.path,
        )
    }
}

/// Status of one input document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    #[default]
    Ok,
    Partial,
    Error,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Partial => "partial",
            Status::Error => "error",
        }
    }
}

/// The row of the `documents` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct DocumentRecord {
    pub source_file: String,
    pub source_sha256: String,
    pub bytes: i64,
    pub format: String,
    pub encoding: Option<String>,
    pub family: Option<String>,
    pub family_source: Provenance,
    pub jurisdiction_code: Option<String>,
    pub jurisdiction_name: Option<String>,
    pub jurisdiction_source: Provenance,
    pub document_fiscal_year: Option<i64>,
    pub fiscal_year_source: Provenance,
    pub account: Option<String>,
    pub phase: Option<String>,
    pub units: i32,
    pub status: Status,
    pub error: Option<String>,
    pub lines: i64,
    pub checks_ok: i64,
    pub checks_mismatch: i64,
    pub diagnostics: i64,
}

/// The row of the `diagnostics` table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DiagnosticRecord {
    pub source_file: String,
    pub source_sha256: Option<String>,
    pub page: Option<i32>,
    pub sheet: Option<String>,
    pub location: Option<String>,
    pub code: String,
    pub severity: String,
    pub message: String,
}

impl DiagnosticRecord {
    pub fn from_diagnostic(
        source_file: &str,
        sha256: Option<&str>,
        d: &yosan_extractors::Diagnostic,
    ) -> Self {
        DiagnosticRecord {
            source_file: source_file.to_string(),
            source_sha256: sha256.map(str::to_string),
            page: d.page.map(|p| p as i32),
            sheet: d.sheet.clone(),
            location: d.location.clone(),
            code: d.code.clone(),
            severity: d.severity.as_str().to_string(),
            message: d.message.clone(),
        }
    }
}
