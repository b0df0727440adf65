//! What each normaliser fuzz target runs on one input. Shared, through `#[path]`, by the targets
//! in `fuzz_targets/` and by `pipeline/normalize/tests/fuzz_regressions.rs`, which replays every
//! file of `fuzz/regressions/<target>/` under an ordinary `cargo test`.

#![allow(dead_code)]

use yosan_normalize::amount::{find_amounts, parse_amount, Unit};
use yosan_normalize::era::{find_fiscal_years, parse_fiscal_year, Era};

const UNITS: [Unit; 6] = [
    Unit::Yen,
    Unit::Thousand,
    Unit::TenThousand,
    Unit::Million,
    Unit::HundredMillion,
    Unit::Trillion,
];

pub fn amount(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for unit in UNITS {
        let _ = parse_amount(text, unit);
    }
    for (range, _) in find_amounts(text) {
        assert!(
            text.get(range.clone()).is_some(),
            "{range:?} is not a char range of {text:?}"
        );
    }
    let _ = Unit::from_caption(text);
    let _ = Unit::from_label(text);
}

pub fn era(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    for context in [None, Some(Era::Heisei), Some(Era::Reiwa), Some(Era::Showa)] {
        let _ = parse_fiscal_year(text, context);
        for (range, _) in find_fiscal_years(text, context) {
            assert!(
                text.get(range.clone()).is_some(),
                "{range:?} is not a char range of {text:?}"
            );
        }
    }
}
