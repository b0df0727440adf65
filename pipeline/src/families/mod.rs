//! Document-family parsers: each knows one kind of budget document, says how it recognises it,
//! and turns an extracted [`Document`] into budget lines.
//!
//! Families are registered once, in [`FAMILIES`], in the order they are tried: the first family
//! whose [`Family::recognise`] accepts a document parses it, unless the sources manifest names one.

use crate::context::DocContext;
use crate::model::BudgetLine;
use yosan_extractors::{Diagnostic, Document};

pub mod budget_book;
pub mod checks;
pub mod common;
pub mod foundation_plan;
pub mod foundation_summary;
pub mod generic;
pub mod open_data;
pub mod press_release;
pub mod prose;
pub mod rows;
pub mod settlement_card;
pub mod yokohama;

/// What a family produced from one document.
#[derive(Debug, Default)]
pub struct FamilyOutput {
    pub lines: Vec<BudgetLine>,
    pub diagnostics: Vec<Diagnostic>,
    pub checks_ok: usize,
    pub checks_mismatch: usize,
}

impl FamilyOutput {
    /// Adds a checked table's lines and its check results (each mismatch also as a diagnostic).
    pub fn add_table(&mut self, lines: Vec<BudgetLine>, report: crate::table::CheckReport) {
        self.checks_ok += report.ok;
        self.checks_mismatch += report.mismatches.len();
        for m in report.mismatches {
            self.diagnostics
                .push(Diagnostic::warning("check.mismatch", m));
        }
        self.lines.extend(lines);
    }
}

/// One document family.
pub trait Family: Sync + Send {
    /// The stable id written to the `family` column (`yokohama_project_plan`).
    fn id(&self) -> &'static str;
    /// How the family recognises its documents, for `--help` and the README.
    fn recognises(&self) -> &'static str;
    /// True when `doc` looks like this family's document.
    fn recognise(&self, doc: &Document) -> bool;
    /// Parses the document. Problems are diagnostics; a family never panics on odd input.
    fn parse(&self, doc: &Document, ctx: &DocContext) -> FamilyOutput;
    /// True for a family that rebuilds a PDF's tables from its words and ruling lines itself
    /// (`crate::layout`): it is given the PDF without the grids that `rows::pdf_grids` puts
    /// together from line columns for the families that read grids, so that no table is read
    /// twice.
    fn builds_own_pdf_tables(&self) -> bool {
        false
    }
}

/// Every family, in the order they are tried.
pub static FAMILIES: &[&dyn Family] = &[
    &budget_book::BudgetBook,
    &yokohama::YokohamaProjectPlan,
    &press_release::PressRelease,
    &foundation_summary::FoundationSummary,
    &settlement_card::SettlementCard,
    &open_data::OpenDataBudget,
    &prose::ProseBudget,
    // The fallback: must stay last, so that it never takes a document another family knows.
    &generic::GenericTable,
];

/// The family with this id.
pub fn by_id(id: &str) -> Option<&'static dyn Family> {
    FAMILIES.iter().copied().find(|f| f.id() == id)
}

/// The first family that recognises `doc`.
pub fn recognise(doc: &Document) -> Option<&'static dyn Family> {
    FAMILIES.iter().copied().find(|f| f.recognise(doc))
}
