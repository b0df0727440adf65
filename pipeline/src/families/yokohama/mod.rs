//! 事業計画書 of Yokohama's bureaus: the 様式① 目次 summary ([`index`]) and one project sheet per
//! project ([`sheet`], the 令和4年度 form).
//!
//! The 令和3年度 form (様式②－1) as raw `pdftotext` prints it has its sheets' figures scattered
//! over the page text, away from their labels and columns (`0142,817`, `財産収入県`, a 財源内訳 row
//! whose column order is not printed next to it): only its 目次 is read; the sheets are counted and
//! reported (`yokohama.r3_sheets_not_read`) rather than guessed at. Their PDF, read with positions,
//! gives the grid the sheet reader needs.
//!
//! Recognised by the 目次 (the form mark `様式①` with the column word `一財+市債`) or by project
//! sheets (the row labels 事業名称 and 歳出予算科目 with a 財源内訳 table).
//!
//! Paths: `[局, 款項目, 事業名]` for a project, `[局, 款項目, 事業名, 細事業名]` below it, the same
//! from the 目次 and from the project's sheet, so the amount a sheet prints for its project is
//! checked against the 目次 row of the same path.

pub mod index;
pub mod sheet;

use super::checks::Tally;
use super::common::compact;
use super::rows::streams;
use super::{Family, FamilyOutput};
use crate::context::DocContext;
use crate::model::BudgetLine;
use yosan_extractors::{Diagnostic, Document};

pub struct YokohamaProjectPlan;

pub const ID: &str = "yokohama_project_plan";

impl Family for YokohamaProjectPlan {
    fn id(&self) -> &'static str {
        ID
    }
    fn recognises(&self) -> &'static str {
        "the 目次 (form mark 様式① with the column words 総額 and 一財+市債) or project sheets (事業名称, 歳出予算科目 and a 財源内訳 table)"
    }
    fn recognise(&self, doc: &Document) -> bool {
        index::recognise(doc) || sheet::recognise(doc)
    }
    fn parse(&self, doc: &Document, ctx: &DocContext) -> FamilyOutput {
        let mut out = FamilyOutput::default();
        let has_index = index::recognise(doc);
        let mut index_lines: Vec<BudgetLine> = Vec::new();
        if has_index {
            match index::table(doc, ctx, &mut out) {
                Some(t) if !t.rows.is_empty() => {
                    let (lines, report) = t.emit(ctx, ID);
                    out.checks_ok += report.ok;
                    out.checks_mismatch += report.mismatches.len();
                    for m in report.mismatches {
                        out.diagnostics
                            .push(Diagnostic::warning("check.mismatch", m));
                    }
                    index_lines = lines;
                }
                _ => out.diagnostics.push(Diagnostic::error(
                    "family.no_table",
                    "様式① 目次 recognised but no table rows with six amounts were found",
                )),
            }
        }
        let mut lines = index_lines;
        let index_count = lines.len();
        let mut tally = Tally::default();
        let mut sheets = 0usize;
        for stream in streams(doc) {
            sheets +=
                sheet::parse_stream(&stream, ctx, &mut lines, index_count, &mut out, &mut tally);
        }
        let r3 = r3_sheets(doc);
        if sheets == 0 && r3 > 0 {
            out.diagnostics.push(Diagnostic::warning(
                "yokohama.r3_sheets_not_read",
                format!(
                    "{r3} project sheets of the 令和3年度 form (様式②－1) are in this text in scrambled reading order: their figures are not next to their labels, so only the 目次 was read; read the PDF for the sheets"
                ),
            ));
        }
        out.checks_ok += tally.ok;
        out.checks_mismatch += tally.mismatches.len();
        for m in tally.mismatches {
            out.diagnostics
                .push(Diagnostic::warning("check.mismatch", m));
        }
        out.lines = lines;
        if out.lines.is_empty() && !out.diagnostics.iter().any(|d| d.code == "family.no_table") {
            out.diagnostics.push(Diagnostic::error(
                "family.no_table",
                "事業計画書 recognised but neither a 目次 nor a project sheet with amounts was found",
            ));
        }
        out
    }
}

/// Sheets of the 令和3年度 form: each names itself 様式②－1.
fn r3_sheets(doc: &Document) -> usize {
    doc.pages
        .iter()
        .flat_map(|p| p.lines.iter())
        .filter(|l| compact(&l.text).contains("様式②"))
        .count()
}
