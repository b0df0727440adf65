//! Character agreement between two page-by-page texts (this extractor against a reference such
//! as `pdftotext -layout`): per page, the multiset of non-space characters, and whether the
//! digits agree exactly. Used by the corpus test and the bench.

use std::collections::HashMap;

/// Agreement on one page.
#[derive(Debug, Clone, Default)]
pub struct PageAgreement {
    /// 1-based page number.
    pub page: u32,
    /// Non-space characters in our text and in the reference.
    pub ours: u64,
    pub reference: u64,
    /// Characters present in both (multiset intersection).
    pub matched: u64,
    /// Same multiset of digits (ASCII and full-width).
    pub digits_equal: bool,
    /// Characters only in the reference, with counts (a sample, most frequent first).
    pub missing: Vec<(char, u64)>,
    /// Characters only in ours.
    pub extra: Vec<(char, u64)>,
}

/// Agreement over a whole document.
#[derive(Debug, Clone, Default)]
pub struct Agreement {
    pub pages: Vec<PageAgreement>,
    pub matched: u64,
    /// Σ max(ours, reference) over pages.
    pub total: u64,
}

impl Agreement {
    /// Matched characters over Σ max(ours, reference); 1.0 when both are empty.
    pub fn ratio(&self) -> f64 {
        if self.total == 0 {
            1.0
        } else {
            self.matched as f64 / self.total as f64
        }
    }

    pub fn digits_identical_pages(&self) -> usize {
        self.pages.iter().filter(|p| p.digits_equal).count()
    }

    /// A one-line summary for reports.
    pub fn summary(&self) -> String {
        format!(
            "{:.4}% characters agree ({} of {}); digits identical on {} of {} pages",
            self.ratio() * 100.0,
            self.matched,
            self.total,
            self.digits_identical_pages(),
            self.pages.len()
        )
    }
}

fn counts(s: &str) -> HashMap<char, u64> {
    let mut m = HashMap::new();
    for c in s.chars().filter(|c| !c.is_whitespace()) {
        *m.entry(c).or_insert(0) += 1;
    }
    m
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('\u{FF10}'..='\u{FF19}').contains(&c)
}

fn top(mut v: Vec<(char, u64)>) -> Vec<(char, u64)> {
    v.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
    v.truncate(20);
    v
}

/// Compares one page.
pub fn compare_page(page: u32, ours: &str, reference: &str) -> PageAgreement {
    let a = counts(ours);
    let b = counts(reference);
    let na: u64 = a.values().sum();
    let nb: u64 = b.values().sum();
    let mut matched = 0;
    let mut missing = Vec::new();
    let mut extra = Vec::new();
    for (c, &n) in &a {
        let m = b.get(c).copied().unwrap_or(0);
        matched += n.min(m);
        if n > m {
            extra.push((*c, n - m));
        }
    }
    for (c, &m) in &b {
        let n = a.get(c).copied().unwrap_or(0);
        if m > n {
            missing.push((*c, m - n));
        }
    }
    let digits_equal = a
        .iter()
        .filter(|(c, _)| is_digit(**c))
        .all(|(c, n)| b.get(c) == Some(n))
        && b.iter()
            .filter(|(c, _)| is_digit(**c))
            .all(|(c, n)| a.get(c) == Some(n));
    PageAgreement {
        page,
        ours: na,
        reference: nb,
        matched,
        digits_equal,
        missing: top(missing),
        extra: top(extra),
    }
}

/// Compares page texts pairwise; a page missing on either side counts as empty.
pub fn compare_pages(ours: &[String], reference: &[String]) -> Agreement {
    let n = ours.len().max(reference.len());
    let mut out = Agreement::default();
    for i in 0..n {
        let a = ours.get(i).map(String::as_str).unwrap_or("");
        let b = reference.get(i).map(String::as_str).unwrap_or("");
        let p = compare_page(i as u32 + 1, a, b);
        out.matched += p.matched;
        out.total += p.ours.max(p.reference);
        out.pages.push(p);
    }
    out
}

/// Splits `pdftotext` output into pages (each page ends with a form feed).
pub fn split_pages(text: &str) -> Vec<String> {
    let mut pages: Vec<String> = text.split('\x0c').map(str::to_string).collect();
    if pages.last().is_some_and(|p| p.trim().is_empty()) {
        pages.pop();
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn multiset_agreement() {
        let p = compare_page(1, "ab c１", "a b b１");
        assert_eq!((p.ours, p.reference, p.matched), (4, 4, 3));
        assert!(p.digits_equal);
        assert_eq!(p.missing, vec![('b', 1)]);
        assert_eq!(p.extra, vec![('c', 1)]);
        let p = compare_page(1, "12", "1２");
        assert!(!p.digits_equal);
        let a = compare_pages(&["ab".into()], &split_pages("ab\x0cc\x0c"));
        assert_eq!((a.matched, a.total), (2, 3));
    }
}
