//! Lattice tables: ruled boxes and their column boundaries, from a page's ruling lines.
//!
//! Rules are first merged where a line was drawn in pieces (collinear segments that touch), then
//! grouped into boxes: a vertical and a horizontal rule that meet belong to the same box. A box
//! with at least two rules each way is a table region. Its column boundaries are the x positions
//! of the vertical rules that run down most of it: a rule drawn only beside some rows (the 款
//! rows of a 第1表 span the column a 項 row is split by) still counts when it covers at least
//! [`MIN_COVERAGE`] of the box's height together with its collinear pieces.

use super::Column;
use yosan_extractors::{BBox, Orientation, Rule};

/// Share of a box's height a column boundary's pieces must cover.
pub const MIN_COVERAGE: f32 = 0.4;
/// Distance within which two rules are taken to meet or to be collinear.
const TOUCH: f32 = 2.0;
/// Rules shorter than this are marks, not ruling lines.
const MIN_RULE: f32 = 4.0;

/// One ruled box.
#[derive(Debug, Clone, PartialEq)]
pub struct Region {
    pub bbox: BBox,
    pub columns: Vec<Column>,
    /// The y positions of its horizontal rules, top to bottom.
    pub row_rules: Vec<f32>,
}

/// A merged rule: position across, and extent along.
#[derive(Debug, Clone, Copy)]
struct Seg {
    at: f32,
    from: f32,
    to: f32,
}

fn merge(mut segs: Vec<Seg>) -> Vec<Seg> {
    segs.sort_by(|a, b| a.at.total_cmp(&b.at).then(a.from.total_cmp(&b.from)));
    let mut out: Vec<Seg> = Vec::new();
    for s in segs {
        if let Some(last) = out.iter_mut().rev().take(8).find(|o| {
            (o.at - s.at).abs() <= 1.0 && s.from <= o.to + TOUCH && s.to >= o.from - TOUCH
        }) {
            last.from = last.from.min(s.from);
            last.to = last.to.max(s.to);
            continue;
        }
        out.push(s);
    }
    out
}

fn find(parent: &mut [usize], mut i: usize) -> usize {
    while parent[i] != i {
        parent[i] = parent[parent[i]];
        i = parent[i];
    }
    i
}

/// The ruled boxes of a page, top to bottom.
pub fn regions(rules: &[Rule]) -> Vec<Region> {
    let mut vs = Vec::new();
    let mut hs = Vec::new();
    for r in rules {
        match r.orientation {
            Orientation::Vertical => {
                if (r.y1 - r.y0).abs() >= MIN_RULE {
                    vs.push(Seg {
                        at: (r.x0 + r.x1) / 2.0,
                        from: r.y0.min(r.y1),
                        to: r.y0.max(r.y1),
                    });
                }
            }
            Orientation::Horizontal => {
                if (r.x1 - r.x0).abs() >= MIN_RULE {
                    hs.push(Seg {
                        at: (r.y0 + r.y1) / 2.0,
                        from: r.x0.min(r.x1),
                        to: r.x0.max(r.x1),
                    });
                }
            }
        }
    }
    let vs = merge(vs);
    let hs = merge(hs);
    let n = vs.len() + hs.len();
    let mut parent: Vec<usize> = (0..n).collect();
    for (i, v) in vs.iter().enumerate() {
        for (j, h) in hs.iter().enumerate() {
            let meets = h.at >= v.from - TOUCH
                && h.at <= v.to + TOUCH
                && v.at >= h.from - TOUCH
                && v.at <= h.to + TOUCH;
            if meets {
                let (a, b) = (find(&mut parent, i), find(&mut parent, vs.len() + j));
                if a != b {
                    parent[a] = b;
                }
            }
        }
    }
    let mut groups: std::collections::BTreeMap<usize, (Vec<Seg>, Vec<Seg>)> = Default::default();
    for (i, v) in vs.iter().enumerate() {
        let root = find(&mut parent, i);
        groups.entry(root).or_default().0.push(*v);
    }
    for (j, h) in hs.iter().enumerate() {
        let root = find(&mut parent, vs.len() + j);
        groups.entry(root).or_default().1.push(*h);
    }
    let mut out = Vec::new();
    for (_, (v, h)) in groups {
        if v.len() < 2 || h.len() < 2 {
            continue;
        }
        let x0 = v.iter().map(|s| s.at).fold(f32::INFINITY, f32::min);
        let x1 = v.iter().map(|s| s.at).fold(f32::NEG_INFINITY, f32::max);
        let y0 = h.iter().map(|s| s.at).fold(f32::INFINITY, f32::min);
        let y1 = h.iter().map(|s| s.at).fold(f32::NEG_INFINITY, f32::max);
        if x1 - x0 < 40.0 || y1 - y0 < 15.0 {
            continue;
        }
        let height = y1 - y0;
        // Column boundaries: x positions whose vertical pieces cover enough of the box.
        let mut xs: Vec<(f32, f32)> = Vec::new();
        let mut sorted = v.clone();
        sorted.sort_by(|a, b| a.at.total_cmp(&b.at));
        for s in sorted {
            let len = (s.to.min(y1) - s.from.max(y0)).max(0.0);
            match xs.last_mut() {
                Some(last) if (s.at - last.0).abs() <= 1.5 => last.1 += len,
                _ => xs.push((s.at, len)),
            }
        }
        let mut bounds: Vec<f32> = xs
            .iter()
            .filter(|(x, cover)| {
                *cover >= MIN_COVERAGE * height || (*x - x0).abs() < 1.0 || (*x - x1).abs() < 1.0
            })
            .map(|(x, _)| *x)
            .collect();
        bounds.dedup_by(|a, b| (*a - *b).abs() < 3.0);
        if bounds.len() < 2 {
            continue;
        }
        let columns = Column::between(&bounds);
        let mut row_rules: Vec<f32> = h.iter().map(|s| s.at).collect();
        row_rules.sort_by(f32::total_cmp);
        out.push(Region {
            bbox: BBox::new(x0, y0, x1, y1),
            columns,
            row_rules,
        });
    }
    out.sort_by(|a, b| {
        a.bbox
            .y0
            .total_cmp(&b.bbox.y0)
            .then(a.bbox.x0.total_cmp(&b.bbox.x0))
    });
    out
}

/// True when two column sets have the same boundaries (within 2 points).
pub fn same_columns(a: &[Column], b: &[Column]) -> bool {
    a.len() == b.len()
        && a.iter()
            .zip(b)
            .all(|(p, q)| (p.x0 - q.x0).abs() <= 2.0 && (p.x1 - q.x1).abs() <= 2.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(x: f32, y0: f32, y1: f32) -> Rule {
        Rule {
            orientation: Orientation::Vertical,
            x0: x,
            y0,
            x1: x,
            y1,
            width: 0.5,
        }
    }
    fn h(y: f32, x0: f32, x1: f32) -> Rule {
        Rule {
            orientation: Orientation::Horizontal,
            x0,
            y0: y,
            x1,
            y1: y,
            width: 0.5,
        }
    }

    #[test]
    fn a_box_with_a_partial_rule_and_two_stacked_boxes() {
        let rules = vec![
            // Box 1: columns 30|105|169|296, the 169 rule only below the header.
            v(30.0, 90.0, 500.0),
            v(105.0, 90.0, 500.0),
            v(169.0, 120.0, 500.0),
            v(296.0, 90.0, 500.0),
            h(90.0, 30.0, 296.0),
            h(140.0, 30.0, 296.0),
            h(500.0, 30.0, 296.0),
            // Box 2, below, same columns, drawn in pieces.
            v(30.0, 560.0, 650.0),
            v(30.0, 650.0, 760.0),
            v(105.0, 560.0, 760.0),
            v(169.0, 560.0, 760.0),
            v(296.0, 560.0, 760.0),
            h(560.0, 30.0, 296.0),
            h(760.0, 30.0, 296.0),
            // A mark that is not a table.
            h(300.0, 242.0, 244.0),
        ];
        let regs = regions(&rules);
        assert_eq!(regs.len(), 2);
        let xs: Vec<(f32, f32)> = regs[0].columns.iter().map(|c| (c.x0, c.x1)).collect();
        assert_eq!(xs, vec![(30.0, 105.0), (105.0, 169.0), (169.0, 296.0)]);
        assert!(same_columns(&regs[0].columns, &regs[1].columns));
    }

    #[test]
    fn a_rule_beside_few_rows_is_no_column_boundary() {
        let rules = vec![
            v(0.0, 0.0, 100.0),
            v(50.0, 0.0, 20.0),
            v(100.0, 0.0, 100.0),
            h(0.0, 0.0, 100.0),
            h(100.0, 0.0, 100.0),
        ];
        let regs = regions(&rules);
        assert_eq!(regs.len(), 1);
        assert_eq!(regs[0].columns.len(), 1);
    }
}
