//! Contract tests: the embedded files parse and agree with each other, the
//! registry holds what the project relies on, and schemas/README.md carries
//! the current data dictionary.

use std::collections::{BTreeMap, HashMap, HashSet};
use yosan_schemas::*;

/// Check digit of a 全国地方公共団体コード, written out again here so that the
/// test does not trust the crate's own implementation (field-notes §3).
fn independent_check_digit(code: &str) -> u32 {
    let d: Vec<u32> = code
        .chars()
        .take(5)
        .map(|c| c.to_digit(10).unwrap())
        .collect();
    let s = 6 * d[0] + 5 * d[1] + 4 * d[2] + 3 * d[3] + 2 * d[4];
    let r = s % 11;
    (11 - r) % 10
}

fn code_passes(code: &str) -> bool {
    code.len() == 6
        && code.chars().all(|c| c.is_ascii_digit())
        && independent_check_digit(code) == code.chars().nth(5).unwrap().to_digit(10).unwrap()
}

// ---------------------------------------------------------------- columns

#[test]
fn json_files_parse() {
    assert!(!tables().is_empty());
    assert!(!measures().is_empty());
    assert!(!headers().is_empty());
    for text in [columns_json(), measures_json(), headers_json()] {
        serde_json::from_str::<serde_json::Value>(text).unwrap();
    }
    serde_json::from_str::<serde_json::Value>(include_str!("../organisations.json")).unwrap();
    assert_eq!(dataset().compression, "zstd");
}

#[test]
fn tables_and_column_order_are_the_contract() {
    let names: Vec<&str> = tables().iter().map(|t| t.name.as_str()).collect();
    assert_eq!(
        names,
        ["budget_lines", "documents", "diagnostics", "reconciliation"]
    );
    let cols = |t: &str| -> Vec<String> {
        table(t)
            .unwrap()
            .columns
            .iter()
            .map(|c| c.name.clone())
            .collect()
    };
    assert_eq!(
        cols("budget_lines"),
        [
            "jurisdiction_code",
            "jurisdiction_name",
            "fiscal_year",
            "document_fiscal_year",
            "account",
            "direction",
            "phase",
            "family",
            "path",
            "path_codes",
            "code",
            "label_text",
            "level",
            "measure",
            "measure_label",
            "amount_yen",
            "amount_text",
            "unit",
            "is_total",
            "confidence",
            "source_file",
            "source_sha256",
            "page",
            "sheet",
            "row",
            "column",
            "bbox",
            "check",
            "check_detail",
            "note",
            "marks",
        ]
    );
    assert_eq!(
        cols("documents"),
        [
            "source_file",
            "source_sha256",
            "bytes",
            "format",
            "encoding",
            "family",
            "family_source",
            "jurisdiction_code",
            "jurisdiction_name",
            "jurisdiction_source",
            "document_fiscal_year",
            "fiscal_year_source",
            "account",
            "phase",
            "units",
            "status",
            "error",
            "lines",
            "checks_ok",
            "checks_mismatch",
            "diagnostics",
        ]
    );
    assert_eq!(
        cols("diagnostics"),
        [
            "source_file",
            "source_sha256",
            "page",
            "sheet",
            "location",
            "code",
            "severity",
            "message"
        ]
    );
    assert_eq!(
        cols("reconciliation"),
        [
            "jurisdiction_code",
            "jurisdiction_name",
            "fiscal_year",
            "path",
            "measure",
            "amount_yen_a",
            "source_a",
            "amount_yen_b",
            "source_b",
            "tolerance_yen",
            "status",
        ]
    );
    assert!(table("nope").is_none());
}

#[test]
fn column_types_and_nullability() {
    let bl = table("budget_lines").unwrap();
    let expect = [
        ("jurisdiction_code", "Utf8", true),
        ("fiscal_year", "Int32", false),
        ("path", "List<Utf8>", false),
        ("path_codes", "List<Utf8>", false),
        ("amount_yen", "Int64", true),
        ("is_total", "Boolean", false),
        ("page", "Int32", true),
        ("bbox", "List<Float32>", true),
        ("check_detail", "Utf8", true),
        ("note", "Utf8", true),
        ("marks", "List<Utf8>", false),
    ];
    for (name, dtype, nullable) in expect {
        let c = bl.column(name).unwrap();
        assert_eq!((c.dtype.as_str(), c.nullable), (dtype, nullable), "{name}");
    }
    let docs = table("documents").unwrap();
    assert_eq!(docs.column("units").unwrap().dtype, "Int32");
    assert!(docs.column("document_fiscal_year").unwrap().nullable);
}

#[test]
fn every_table_is_well_formed() {
    for t in tables() {
        let mut seen = HashSet::new();
        assert!(!t.description.is_empty(), "{}", t.name);
        assert!(t.path.starts_with(&t.name), "{}", t.path);
        assert!(t.path.ends_with(".parquet"), "{}", t.path);
        for c in &t.columns {
            assert!(
                seen.insert(c.name.as_str()),
                "{}.{} is repeated",
                t.name,
                c.name
            );
            assert!(
                DTYPES.contains(&c.dtype.as_str()),
                "{}.{}: {}",
                t.name,
                c.name,
                c.dtype
            );
            assert!(!c.description.trim().is_empty(), "{}.{}", t.name, c.name);
            if let Some(values) = &c.values {
                assert!(!values.is_empty(), "{}.{}", t.name, c.name);
                assert_eq!(c.dtype, "Utf8", "{}.{} is enumerated", t.name, c.name);
                let unique: HashSet<_> = values.iter().collect();
                assert_eq!(
                    unique.len(),
                    values.len(),
                    "{}.{} values repeat",
                    t.name,
                    c.name
                );
            }
            for v in c.value_descriptions.keys() {
                let values = c
                    .values
                    .as_ref()
                    .expect("value_descriptions without values");
                assert!(
                    values.contains(v),
                    "{}.{}: {v} is described, not allowed",
                    t.name,
                    c.name
                );
            }
            if !c.value_descriptions.is_empty() {
                for v in c.values.iter().flatten() {
                    assert!(
                        c.value_descriptions.contains_key(v),
                        "{}.{}: {v}",
                        t.name,
                        c.name
                    );
                }
            }
        }
        // Partition keys appear in the path, in order.
        let mut at = 0;
        for p in &t.partition_columns {
            let needle = format!("{}={{{}}}", p.name, p.name);
            let found = t.path[at..].find(&needle);
            assert!(
                found.is_some(),
                "{}: {needle} missing or out of order",
                t.path
            );
            at += found.unwrap() + needle.len();
            assert!(DTYPES.contains(&p.dtype.as_str()));
        }
    }
    let bl = table("budget_lines").unwrap();
    assert_eq!(
        bl.path,
        "budget_lines/jurisdiction={jurisdiction}/year={year}/part-0.parquet"
    );
    let keys: Vec<&str> = bl
        .partition_columns
        .iter()
        .map(|p| p.name.as_str())
        .collect();
    assert_eq!(keys, ["jurisdiction", "year"]);
    // Both keys live only in the path; the files carry fiscal_year as a column of their own.
    assert!(bl.column("jurisdiction").is_none());
    assert!(bl.column("year").is_none());
    assert!(bl.column("fiscal_year").is_some());
}

#[test]
fn enumerations_agree_across_tables() {
    let values = |t: &str, c: &str| -> Vec<String> {
        table(t)
            .unwrap()
            .column(c)
            .unwrap()
            .values
            .clone()
            .unwrap_or_default()
    };
    let phases = values("budget_lines", "phase");
    assert_eq!(
        phases,
        [
            "initial",
            "supplementary",
            "revised",
            "settled",
            "forecast",
            "requested"
        ]
    );
    assert_eq!(values("documents", "phase"), phases);
    assert_eq!(
        values("budget_lines", "direction"),
        ["expenditure", "revenue"]
    );
    assert_eq!(
        values("budget_lines", "check"),
        ["ok", "mismatch", "unchecked"]
    );
    assert_eq!(values("budget_lines", "confidence"), ["high", "low"]);
    assert_eq!(
        values("budget_lines", "unit"),
        ["円", "千円", "万円", "百万円", "億円", "兆円"]
    );
    assert_eq!(values("documents", "status"), ["ok", "partial", "error"]);
    assert_eq!(
        values("diagnostics", "severity"),
        ["error", "warning", "info"]
    );
    assert_eq!(values("reconciliation", "status"), ["match", "mismatch"]);
    assert_eq!(
        values("documents", "jurisdiction_source"),
        ["declared", "detected", "unknown"]
    );
    let ids: Vec<String> = measures().iter().map(|m| m.id.clone()).collect();
    assert_eq!(values("budget_lines", "measure"), ids);
    assert_eq!(values("reconciliation", "measure"), ids);
}

// ---------------------------------------------------------------- measures and headers

#[test]
fn measure_vocabulary() {
    let ids: Vec<&str> = measures().iter().map(|m| m.id.as_str()).collect();
    let unique: HashSet<_> = ids.iter().collect();
    assert_eq!(unique.len(), ids.len());
    for required in [
        "budget",
        "supplementary",
        "settled",
        "change",
        "requested",
        "funding_national",
        "funding_prefectural",
        "funding_national_prefectural",
        "funding_bonds",
        "funding_other",
        "funding_general",
        "funding_general_and_bonds",
    ] {
        assert!(measure(required).is_some(), "{required}");
    }
    assert!(
        measure("ratio_percent").is_none(),
        "percentages are not budget lines"
    );
    for m in measures() {
        assert!(
            !m.description.is_empty() && !m.labels.is_empty(),
            "{}",
            m.id
        );
    }
}

#[test]
fn header_entries_use_the_vocabulary() {
    let ids: HashSet<&str> = measures().iter().map(|m| m.id.as_str()).collect();
    let phases = table("budget_lines")
        .unwrap()
        .column("phase")
        .unwrap()
        .values
        .clone()
        .unwrap();
    let mut labels = HashSet::new();
    for h in headers() {
        assert!(
            ids.contains(h.measure.as_str()),
            "{}: measure {}",
            h.label,
            h.measure
        );
        if let Some(p) = &h.phase {
            assert!(phases.contains(p), "{}: phase {p}", h.label);
        }
        assert!((-10..=10).contains(&h.year_offset), "{}", h.label);
        assert_eq!(fold_label(&h.label), h.label, "labels are stored folded");
        assert!(labels.insert(h.label.as_str()), "{} is repeated", h.label);
    }
}

#[test]
fn measure_labels_are_in_the_header_dictionary() {
    // The typical labels of measures.json are printed headers: the dictionary
    // must map each of them to that measure.
    for m in measures() {
        for label in &m.labels {
            let h = lookup_header(label).unwrap_or_else(|| panic!("{label} not in headers.json"));
            assert_eq!(h.measure, m.id, "{label}");
        }
    }
}

#[test]
fn header_lookups() {
    let get = |s: &str| {
        let h = lookup_header(s).unwrap_or_else(|| panic!("{s}"));
        (h.measure.as_str(), h.year_offset, h.phase.as_deref())
    };
    // statutory 事項別明細書
    assert_eq!(get("本年度予算額"), ("budget", 0, None));
    assert_eq!(get("前 年 度 予 算 額"), ("budget", -1, None));
    assert_eq!(get("比　較"), ("change", 0, None));
    assert_eq!(get("国県支出金"), ("funding_national_prefectural", 0, None));
    assert_eq!(get("地方債"), ("funding_bonds", 0, None));
    assert_eq!(get("その他"), ("funding_other", 0, None));
    assert_eq!(get("一般財源"), ("funding_general", 0, None));
    assert_eq!(get("特定財源"), ("funding_other", 0, None));
    assert_eq!(get("金 額"), ("budget", 0, None));
    // Yokohama 事業計画書, with full-width ASCII
    assert_eq!(get("総額"), ("budget", 0, None));
    assert_eq!(get("一財＋市債"), ("funding_general_and_bonds", 0, None));
    assert_eq!(get("増△減"), ("change", 0, None));
    assert_eq!(get("国"), ("funding_national", 0, None));
    assert_eq!(get("県"), ("funding_prefectural", 0, None));
    assert_eq!(get("諸収入"), ("funding_other", 0, None));
    assert_eq!(get("財産収入"), ("funding_other", 0, None));
    assert_eq!(get("市債"), ("funding_bonds", 0, None));
    assert_eq!(get("事業費"), ("budget", 0, None));
    assert_eq!(
        get("市債＋一般財源"),
        ("funding_general_and_bonds", 0, None)
    );
    assert_eq!(get("差引（増減）"), ("change", 0, None));
    // KIP 予算の概要
    assert_eq!(
        get("令和4年度 10月補正予算額 A"),
        ("budget", 0, Some("revised"))
    );
    assert_eq!(
        get("令和３年度　当初予算額　Ｂ"),
        ("budget", -1, Some("initial"))
    );
    // Setagaya open data
    assert_eq!(get("前々年度決算額"), ("settled", -2, Some("settled")));
    assert_eq!(get("予算前額"), ("budget", -1, None));
    assert_eq!(get("予算要求額"), ("requested", 0, Some("requested")));
    assert_eq!(get("予算見積額"), ("budget", 0, Some("initial")));
    assert_eq!(get("現計予算額"), ("budget", 0, Some("revised")));
    assert_eq!(get("一般財源額"), ("funding_general", 0, None));
    assert_eq!(get("充当額"), ("funding_other", 0, None));
    for c in ["要求額対見積額", "前年度対要求額", "前年度対見積額"] {
        assert_eq!(get(c).0, "change", "{c}");
    }
    // 決算カード
    for s in ["決算額", "収入済額", "歳入総額", "歳出総額"] {
        assert_eq!(get(s), ("settled", 0, Some("settled")), "{s}");
    }
    // not money, not known
    assert!(lookup_header("構成比").is_none());
    assert!(lookup_header("対前年度比較A／B").is_none());
    assert!(lookup_header("").is_none());
}

// ---------------------------------------------------------------- registry

fn code_of(text: &str) -> Option<String> {
    registry().resolve(text).and_then(|j| j.code.clone())
}

#[test]
fn registry_resolves_names() {
    assert_eq!(code_of("横浜市").as_deref(), Some("141003"));
    assert_eq!(code_of("神奈川県").as_deref(), Some("140007"));
    assert_eq!(code_of("富士市").as_deref(), Some("222101"));
    assert_eq!(code_of("相模原市").as_deref(), Some("141500"));
    assert_eq!(code_of("世田谷区").as_deref(), Some("131121"));
    assert_eq!(code_of("神奈川県横浜市").as_deref(), Some("141003"));
    assert_eq!(code_of("神奈川県 横浜市").as_deref(), Some("141003"));
    assert_eq!(code_of("東京都世田谷区").as_deref(), Some("131121"));
    assert_eq!(code_of("横浜市鶴見区").as_deref(), Some("141011"));
    assert_eq!(code_of("北海道").as_deref(), Some("010006"));
    assert_eq!(code_of("東京都").as_deref(), Some("130001"));
    assert_eq!(code_of("神奈川").as_deref(), Some("140007"));
    assert_eq!(code_of("島尻郡伊是名村").as_deref(), Some("473600"));
    assert_eq!(code_of("龍ヶ崎市").as_deref(), Some("082082"));
    assert_eq!(code_of("龍ケ崎市").as_deref(), Some("082082"));
    assert_eq!(code_of("丹波篠山市").as_deref(), Some("282219"));
    assert_eq!(code_of("篠山市").as_deref(), Some("282219"));
    assert_eq!(code_of("富谷市").as_deref(), Some("042161"));
    assert!(registry().resolve("").is_none());
    assert!(registry().resolve("存在しない市").is_none());
}

#[test]
fn registry_resolves_codes() {
    let r = registry();
    assert_eq!(r.resolve("141003").unwrap().name, "横浜市");
    assert_eq!(r.resolve("14100").unwrap().name, "横浜市");
    assert_eq!(r.by_code("14100").unwrap().name, "横浜市");
    assert_eq!(r.by_code("１４１００３").unwrap().name, "横浜市");
    assert_eq!(r.by_code("140007").unwrap().kind, "prefecture");
    assert_eq!(r.by_code("222101").unwrap().name, "富士市");
    assert_eq!(r.by_code("131121").unwrap().full_name, "東京都世田谷区");
    assert!(r.by_code("141004").is_none(), "wrong check digit");
    assert!(r.by_code("1410").is_none());
    assert!(r.by_code("abcdef").is_none());
    // former codes resolve to the successor
    assert_eq!(r.by_code("044237").unwrap().name, "富谷市");
    assert_eq!(r.by_code("403059").unwrap().name, "那珂川市");
    assert_eq!(r.by_code("221317").unwrap().name, "浜松市中央区");
}

#[test]
fn ambiguous_names_need_a_prefecture() {
    let r = registry();
    assert!(r.resolve("府中市").is_none());
    assert_eq!(r.candidates("府中市").len(), 2);
    assert!(r.resolve("伊達市").is_none());
    assert_eq!(
        r.resolve_in("府中市", "130001").unwrap().code.as_deref(),
        Some("132063")
    );
    assert_eq!(
        r.resolve_in("府中市", "広島県")
            .unwrap()
            .prefecture
            .as_deref(),
        Some("広島県")
    );
    assert_eq!(
        r.resolve_in("伊達市", "01").unwrap().code.as_deref(),
        Some("012335")
    );
    assert_eq!(
        r.resolve_in("伊達市", "福島")
            .unwrap()
            .prefecture
            .as_deref(),
        Some("福島県")
    );
    assert!(r.resolve_in("府中市", "神奈川県").is_none());
    assert!(r.resolve_in("府中市", "no such prefecture").is_none());
    assert_eq!(
        r.resolve("東京都府中市").unwrap().code.as_deref(),
        Some("132063")
    );
}

#[test]
fn organisations_without_a_code() {
    let r = registry();
    let kip = r.resolve("KIP").unwrap();
    assert_eq!(kip.name, "公益財団法人神奈川産業振興センター");
    assert_eq!(kip.kind, "foundation");
    assert_eq!(kip.code, None);
    assert_eq!(kip.prefecture_code.as_deref(), Some("140007"));
    assert_eq!(kip.prefecture.as_deref(), Some("神奈川県"));
    assert_eq!(r.resolve("kip"), Some(kip));
    assert_eq!(r.resolve("神奈川産業振興センター"), Some(kip));
    assert_eq!(r.resolve("Kanagawa Industrial Promotion Center"), Some(kip));
    assert_eq!(
        Registry::partition_key(Some(kip)),
        "公益財団法人神奈川産業振興センター"
    );
}

#[test]
fn partition_keys() {
    let r = registry();
    assert_eq!(
        Registry::partition_key(r.resolve("横浜市")),
        "141003-横浜市"
    );
    assert_eq!(
        Registry::partition_key(r.resolve("神奈川県")),
        "140007-神奈川県"
    );
    assert_eq!(Registry::partition_key(None), "unknown");
}

#[test]
fn finds_names_in_titles() {
    let r = registry();
    let names = |t: &str| -> Vec<String> {
        r.find_in_text(t)
            .into_iter()
            .map(|j| j.name.clone())
            .collect()
    };
    assert_eq!(names("令和６年度 富士市一般会計予算書"), ["富士市"]);
    assert_eq!(
        names("令和4年度 事業計画書 神奈川県 横浜市 経済局"),
        ["横浜市"]
    );
    assert_eq!(
        names("神奈川県の横浜市と川崎市"),
        ["神奈川県", "横浜市", "川崎市"]
    );
    assert_eq!(
        names("横浜市 事業計画書 神奈川県内の企業 横浜市"),
        ["横浜市", "神奈川県"]
    );
    assert_eq!(names("川崎市と神奈川県横浜市"), ["横浜市", "川崎市"]);
    assert_eq!(names("東京都府中市 予算"), ["府中市"]);
    assert_eq!(
        r.find_in_text("東京都府中市")[0].code.as_deref(),
        Some("132063")
    );
    let fuchu = r.find_in_text("東京都 令和6年度 府中市予算");
    assert_eq!(fuchu.len(), 2);
    assert_eq!(fuchu[1].code.as_deref(), Some("132063"));
    assert!(
        names("府中市一般会計予算").is_empty(),
        "ambiguous without a prefecture"
    );
    assert_eq!(names("東村山市の予算"), ["東村山市"]);
    assert_eq!(
        names("令和4年度 事業計画書 公益財団法人 神奈川産業振興センター"),
        ["公益財団法人神奈川産業振興センター"]
    );
    assert_eq!(
        names("KIP 予算の概要"),
        ["公益財団法人神奈川産業振興センター"]
    );
    assert!(names("SKIPPED").is_empty());
    assert_eq!(names("世田谷区 予算事業別"), ["世田谷区"]);
    assert_eq!(names("札幌市中央区"), ["札幌市中央区"]);
    assert!(names("予算書").is_empty());
    assert!(names("").is_empty());
}

#[test]
fn registry_counts_and_codes() {
    let r = registry();
    let mut by_kind: BTreeMap<&str, usize> = BTreeMap::new();
    let mut codes = HashSet::new();
    let mut names_in_pref: HashMap<(Option<&str>, &str), usize> = HashMap::new();
    for j in r.entries() {
        *by_kind.entry(j.kind.as_str()).or_default() += 1;
        if let Some(code) = &j.code {
            assert!(code_passes(code), "{code} {} fails the check digit", j.name);
            assert!(codes.insert(code.clone()), "{code} is repeated");
            assert_eq!(
                &code[..2],
                &j.prefecture_code.as_deref().unwrap()[..2],
                "{code}"
            );
        }
        for f in &j.former_codes {
            assert!(code_passes(f), "former code {f}");
        }
        if let Some(p) = &j.parent_code {
            assert_eq!(r.by_code(p).unwrap().kind, "designated_city", "{}", j.name);
            assert!(
                j.name.starts_with(&r.by_code(p).unwrap().name),
                "{}",
                j.name
            );
        }
        if j.kind != "prefecture" && j.kind != "foundation" {
            assert_eq!(
                j.full_name,
                format!("{}{}", j.prefecture.as_deref().unwrap(), j.name)
            );
        }
        *names_in_pref
            .entry((j.prefecture_code.as_deref(), j.name.as_str()))
            .or_default() += 1;
    }
    let municipalities: usize = ["designated_city", "city", "ward", "town", "village"]
        .iter()
        .map(|k| by_kind.get(k).copied().unwrap_or(0))
        .sum();
    assert_eq!(by_kind["prefecture"], 47);
    assert!(municipalities >= 1700, "{municipalities} municipalities");
    assert_eq!(by_kind["ward"], 23, "Tokyo's special wards");
    assert_eq!(by_kind["designated_city"], 20);
    assert!(by_kind["administrative_ward"] >= 170);
    // Prefecture codes are pp000 + check digit.
    for j in r.entries().iter().filter(|j| j.kind == "prefecture") {
        let code = j.code.as_deref().unwrap();
        assert_eq!(&code[2..5], "000", "{code}");
        assert_eq!(j.prefecture_code.as_deref(), Some(code));
    }
    for (code, name) in [
        ("010006", "北海道"),
        ("130001", "東京都"),
        ("140007", "神奈川県"),
        ("470007", "沖縄県"),
    ] {
        assert_eq!(r.by_code(code).unwrap().name, name);
    }
    // Every name is unique within its prefecture, except the two 泊村 of
    // Hokkaido (古宇郡泊村 and 国後郡泊村), told apart by their district aliases.
    for ((pref, name), n) in names_in_pref {
        if n > 1 {
            assert_eq!(
                (pref, name),
                (Some("010006"), "泊村"),
                "{name} repeats in {pref:?}"
            );
        }
    }
    assert_eq!(
        r.resolve("古宇郡泊村").unwrap().code.as_deref(),
        Some("014036")
    );
}

#[test]
fn registry_tsv_is_well_formed() {
    let text = include_str!("../jurisdictions.tsv");
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "code\tname\tprefecture_code\tprefecture\tkind\tfull_name\tparent_code\taliases\tformer_codes\tnote"
    );
    let kinds = [
        "prefecture",
        "designated_city",
        "city",
        "ward",
        "administrative_ward",
        "town",
        "village",
    ];
    let mut previous = String::new();
    for line in lines {
        let f: Vec<&str> = line.split('\t').collect();
        assert_eq!(f.len(), 10, "{line}");
        assert!(kinds.contains(&f[4]), "{line}");
        assert!(f[0] > previous.as_str(), "rows are in code order: {line}");
        previous = f[0].to_string();
        assert!(!f[1].is_empty() && f[1].trim() == f[1], "{line}");
    }
    assert!(text.ends_with('\n'));
}

// ---------------------------------------------------------------- README

const BEGIN: &str = "<!-- BEGIN GENERATED: data dictionary -->";
const END: &str = "<!-- END GENERATED -->";

#[test]
fn readme_data_dictionary_is_current() {
    let path = std::path::PathBuf::from(
        std::env::var_os("CARGO_MANIFEST_DIR").unwrap_or_else(|| env!("CARGO_MANIFEST_DIR").into()),
    )
    .join("README.md");
    let readme = std::fs::read_to_string(&path).expect("schemas/README.md exists");
    let start = readme
        .find(BEGIN)
        .expect("README has the BEGIN GENERATED marker");
    let body_start = start + BEGIN.len();
    let end = body_start
        + readme[body_start..]
            .find(END)
            .expect("README has the END GENERATED marker after BEGIN");
    let expected = format!("\n{}", data_dictionary_markdown());
    if readme[body_start..end] == expected {
        return;
    }
    if std::env::var("YOSAN_BLESS").is_ok_and(|v| v == "1") {
        let updated = format!("{}{}{}", &readme[..body_start], expected, &readme[end..]);
        std::fs::write(&path, updated).expect("write schemas/README.md");
        eprintln!("blessed: rewrote the data dictionary in {}", path.display());
        return;
    }
    panic!(
        "schemas/README.md is stale: its data dictionary differs from columns.json/measures.json.\n\
         Refresh it with: YOSAN_BLESS=1 cargo test -p yosan-schemas --test contract readme_data_dictionary_is_current"
    );
}

#[test]
fn partition_keys_never_repeat_a_file_column() {
    // pyarrow and pandas type partition values themselves: a key that is also a column in the
    // files makes them refuse the dataset ("incompatible types").
    for t in tables() {
        for p in &t.partition_columns {
            assert!(
                t.column(&p.name).is_none(),
                "{}: partition key {} is also a file column",
                t.name,
                p.name
            );
        }
    }
}
