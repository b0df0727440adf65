//! What is known about a document before a family parses it: declared in the sources manifest or
//! detected from its content, each with its provenance.

use crate::model::{BudgetLine, Check, Direction, Phase, Provenance};
use yosan_extractors::Document;
use yosan_normalize::amount::Unit;
use yosan_normalize::era::find_fiscal_years;

/// A jurisdiction as it appears on budget lines.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct JurisdictionRef {
    pub code: Option<String>,
    pub name: String,
}

/// Document-level facts shared by every line of one document.
#[derive(Debug, Clone, Default)]
pub struct DocContext {
    pub source_file: String,
    pub source_sha256: String,
    pub jurisdiction: Option<JurisdictionRef>,
    pub jurisdiction_source: Provenance,
    /// The fiscal year the document is about (Gregorian start year).
    pub fiscal_year: Option<i64>,
    pub fiscal_year_source: Provenance,
    pub account: Option<String>,
    pub phase: Option<Phase>,
    pub direction: Option<Direction>,
    /// A unit declared for the whole document (for files that never state theirs).
    pub unit: Option<Unit>,
    /// A family the manifest asks for.
    pub family: Option<String>,
}

impl DocContext {
    /// A budget line carrying this document's facts; the family fills in the rest.
    pub fn line(&self, family: &str) -> BudgetLine {
        let fy = self.fiscal_year.unwrap_or(0);
        BudgetLine {
            jurisdiction_code: self.jurisdiction.as_ref().and_then(|j| j.code.clone()),
            jurisdiction_name: self
                .jurisdiction
                .as_ref()
                .map(|j| j.name.clone())
                .unwrap_or_default(),
            fiscal_year: fy,
            document_fiscal_year: fy,
            account: self.account.clone(),
            direction: self.direction.unwrap_or_default(),
            phase: self.phase.unwrap_or_default(),
            family: family.to_string(),
            confidence: "high".to_string(),
            source_file: self.source_file.clone(),
            source_sha256: self.source_sha256.clone(),
            check: Check::Unchecked,
            ..Default::default()
        }
    }

    #[cfg(test)]
    pub fn for_tests() -> Self {
        DocContext {
            source_file: "test.txt".into(),
            source_sha256: "0".repeat(64),
            jurisdiction: Some(JurisdictionRef {
                code: Some("141003".into()),
                name: "横浜市".into(),
            }),
            fiscal_year: Some(2022),
            ..Default::default()
        }
    }

    /// Fills what was not declared from the document's own text: the jurisdiction named on its
    /// first page or sheet and the fiscal year it names most prominently.
    pub fn detect_from(&mut self, doc: &Document) {
        let head = head_text(doc, 4000);
        if self.jurisdiction.is_none() {
            let reg = yosan_schemas::registry();
            if let Some(j) = reg.find_in_text(&head).into_iter().next() {
                self.jurisdiction = Some(JurisdictionRef {
                    code: j.code.clone(),
                    name: j.name.clone(),
                });
                self.jurisdiction_source = Provenance::Detected;
            }
        }
        if self.fiscal_year.is_none() {
            // The first fiscal year written with its era or in full, in the opening text.
            if let Some((_, y)) = find_fiscal_years(&head, None).into_iter().next() {
                self.fiscal_year = Some(y as i64);
                self.fiscal_year_source = Provenance::Detected;
            }
        }
    }
}

/// The first `limit` characters of a document's text: page lines, then grid cells.
pub fn head_text(doc: &Document, limit: usize) -> String {
    let mut out = String::new();
    'outer: for page in &doc.pages {
        for line in &page.lines {
            out.push_str(&line.text);
            out.push('\n');
            if out.len() >= limit {
                break 'outer;
            }
        }
    }
    if out.len() < limit {
        'grids: for grid in &doc.grids {
            out.push_str(&grid.name);
            out.push('\n');
            for row in grid.rows.iter().take(20) {
                for cell in row {
                    if !cell.text.is_empty() {
                        out.push_str(&cell.text);
                        out.push(' ');
                    }
                }
                out.push('\n');
                if out.len() >= limit {
                    break 'grids;
                }
            }
        }
    }
    out
}
