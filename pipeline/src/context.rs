//! What is known about a document before a family parses it: declared in the sources manifest or
//! detected from its content, each with its provenance.

use crate::model::{BudgetLine, Check, Direction, Phase, Provenance};
use regex::Regex;
use std::sync::LazyLock;
use yosan_extractors::Document;
use yosan_normalize::amount::Unit;
use yosan_normalize::era::find_fiscal_years;
use yosan_normalize::width::fold_width;

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
        if self.account.is_none() {
            // A title naming one account: `令和６年度富士市一般会計予算`, `一般会計予算書`.
            self.account = doc
                .pages
                .iter()
                .take(3)
                .flat_map(|p| p.lines.iter())
                .find_map(|l| account_in_title(&l.text));
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

static ACCOUNT_TITLE: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"^(?:(?:令和|平成|昭和)(?:\d+|元)年度)?(?:\S{1,12}?[都道府県市町村区])?(一般会計|[^、。\s]{2,24}?特別会計|[^、。\s]{2,24}?事業会計)(?:予算書?|予算説明書|補正予算書?|歳入歳出予算事項別明細書|歳入歳出予算)?(?:\(附予算説明書\))?$",
    )
    .expect("regex")
});

/// The account a title or section heading names, when it names exactly one:
/// `令和６年度富士市一般会計予算` → `一般会計`, `国民健康保険事業特別会計予算書` →
/// `国民健康保険事業特別会計`. Sentences and titles of books that hold several accounts
/// (`一般会計・特別会計予算書`) name none.
pub fn account_in_title(text: &str) -> Option<String> {
    let c: String = fold_width(text)
        .chars()
        .filter(|c| !c.is_whitespace())
        .collect();
    if c.chars().count() > 48 || (c.contains("一般会計") && c.contains("特別会計")) {
        return None;
    }
    let cap = ACCOUNT_TITLE.captures(&c)?;
    Some(cap[1].to_string())
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_in_titles() {
        assert_eq!(
            account_in_title("令和６年度富士市一般会計予算").as_deref(),
            Some("一般会計")
        );
        assert_eq!(
            account_in_title("一般会計予算書").as_deref(),
            Some("一般会計")
        );
        assert_eq!(account_in_title("（附予算説明書）"), None);
        assert_eq!(
            account_in_title("国民健康保険事業特別会計予算書").as_deref(),
            Some("国民健康保険事業特別会計")
        );
        assert_eq!(account_in_title("一般会計・特別会計予算書"), None);
        assert_eq!(
            account_in_title("令和６年度富士市の一般会計の予算は、次に定めるところによる。"),
            None
        );
    }

    #[test]
    fn a_budget_book_names_its_body_year_and_account_on_its_first_pages() {
        use yosan_extractors::{BBox, Page, TextLine};
        let line = |t: &str| TextLine {
            text: t.into(),
            bbox: BBox::default(),
            words: vec![],
        };
        let doc = Document {
            pages: vec![
                Page {
                    number: 1,
                    lines: vec![
                        line("令和６年度"),
                        line("一般会計予算書"),
                        line("（附予算説明書）"),
                        line("富 士 市"),
                    ],
                    ..Default::default()
                },
                Page {
                    number: 2,
                    lines: vec![line("令和６年度富士市一般会計予算")],
                    ..Default::default()
                },
            ],
            ..Default::default()
        };
        let mut ctx = DocContext::default();
        ctx.detect_from(&doc);
        assert_eq!(
            ctx.jurisdiction.as_ref().and_then(|j| j.code.as_deref()),
            Some("222101")
        );
        assert_eq!(ctx.jurisdiction_source, Provenance::Detected);
        assert_eq!(ctx.fiscal_year, Some(2024));
        assert_eq!(ctx.account.as_deref(), Some("一般会計"));
    }
}
