//! The jurisdiction registry: prefectures, municipalities, Tokyo's special
//! wards, the administrative wards of designated cities (from
//! `jurisdictions.tsv`) and bodies without a code such as public foundations
//! (from `organisations.json`).

use crate::fold::fold_label;
use serde::Deserialize;
use std::cmp::Reverse;
use std::collections::{HashMap, HashSet};
use std::sync::OnceLock;

const JURISDICTIONS_TSV: &str = include_str!("../jurisdictions.tsv");
const ORGANISATIONS_JSON: &str = include_str!("../organisations.json");

/// Column names of `jurisdictions.tsv`, in order.
pub(crate) const TSV_COLUMNS: [&str; 10] = [
    "code",
    "name",
    "prefecture_code",
    "prefecture",
    "kind",
    "full_name",
    "parent_code",
    "aliases",
    "former_codes",
    "note",
];

/// A body whose budget documents the project reads.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Jurisdiction {
    /// 6-digit 全国地方公共団体コード; `None` for bodies without one (foundations).
    pub code: Option<String>,
    /// The usual name: 横浜市, 神奈川県, 世田谷区, 横浜市鶴見区 (administrative wards
    /// keep their city), 公益財団法人神奈川産業振興センター.
    pub name: String,
    /// Prefecture and name for municipalities (神奈川県横浜市); the name itself
    /// for prefectures and organisations.
    pub full_name: String,
    /// `prefecture`, `designated_city`, `city`, `ward` (Tokyo's 特別区),
    /// `administrative_ward` (行政区 of a designated city), `town`, `village`,
    /// `foundation`.
    pub kind: String,
    /// Code of the prefecture the body belongs to (its own code for a prefecture).
    pub prefecture_code: Option<String>,
    /// Name of that prefecture.
    pub prefecture: Option<String>,
    /// Other names that identify the body: district-qualified names
    /// (島尻郡伊是名村), former names, short names, English names.
    pub aliases: Vec<String>,
    /// For an administrative ward, the code of its designated city.
    pub parent_code: Option<String>,
    /// Codes abolished since 2015 whose whole area this body took over;
    /// [`Registry::by_code`] resolves them to this body.
    pub former_codes: Vec<String>,
    /// Remarks (changes after the 2015 source table, 北方領土 villages).
    pub note: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Organisation {
    name: String,
    #[serde(default)]
    aliases: Vec<String>,
    kind: String,
    prefecture_code: Option<String>,
}

/// The check digit of a 全国地方公共団体コード from its first five digits:
/// with digits d1..d5, s = 6·d1 + 5·d2 + 4·d3 + 3·d4 + 2·d5 and the check
/// digit is (11 − s mod 11) mod 10. `None` unless `first5` is five ASCII digits.
pub fn check_digit(first5: &str) -> Option<char> {
    if first5.len() != 5 || !first5.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let s: u32 = first5
        .bytes()
        .zip([6u32, 5, 4, 3, 2])
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    char::from_digit((11 - s % 11) % 10, 10)
}

/// Whether `code` is six ASCII digits whose last digit is the check digit.
pub fn is_valid_code(code: &str) -> bool {
    code.len() == 6
        && code.is_char_boundary(5)
        && check_digit(&code[..5]).is_some_and(|d| code.ends_with(d))
}

/// How strongly a mention in running text names a body.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    /// A short, former or foreign name (KIP, 神奈川産業振興センター, 篠山市).
    Alias,
    /// The body's name, possibly with its district (横浜市, 島尻郡伊是名村).
    Name,
    /// The name with its prefecture (神奈川県横浜市).
    Qualified,
}

/// Look-ups over every known body.
#[derive(Debug)]
pub struct Registry {
    entries: Vec<Jurisdiction>,
    by_code: HashMap<String, usize>,
    by_former_code: HashMap<String, usize>,
    by_key: HashMap<String, Vec<usize>>,
    /// Patterns for [`Registry::find_in_text`]: key → (entry, strength).
    patterns: HashMap<String, Vec<(usize, Strength)>>,
    /// Pattern lengths in characters by first character, longest first.
    lengths_by_first: HashMap<char, Vec<usize>>,
}

/// The registry, parsed once from the embedded files.
pub fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let mut entries = parse_tsv(JURISDICTIONS_TSV);
        let organisations: Vec<Organisation> = serde_json::from_str(ORGANISATIONS_JSON)
            .expect("schemas/organisations.json is valid (checked by tests)");
        for o in organisations {
            let prefecture = o.prefecture_code.as_ref().and_then(|pc| {
                entries
                    .iter()
                    .find(|j| j.kind == "prefecture" && j.code.as_ref() == Some(pc))
                    .map(|j| j.name.clone())
            });
            entries.push(Jurisdiction {
                code: None,
                full_name: o.name.clone(),
                name: o.name,
                kind: o.kind,
                prefecture_code: o.prefecture_code,
                prefecture,
                aliases: o.aliases,
                parent_code: None,
                former_codes: Vec::new(),
                note: None,
            });
        }
        Registry::new(entries)
    })
}

fn parse_tsv(text: &str) -> Vec<Jurisdiction> {
    let mut lines = text.lines();
    let header = lines.next().unwrap_or_default();
    assert_eq!(
        header.split('\t').collect::<Vec<_>>(),
        TSV_COLUMNS,
        "schemas/jurisdictions.tsv has the expected header (checked by tests)"
    );
    let opt = |s: &str| (!s.is_empty()).then(|| s.to_string());
    let list = |s: &str| {
        s.split('|')
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect::<Vec<_>>()
    };
    lines
        .filter(|l| !l.trim().is_empty())
        .map(|line| {
            let f: Vec<&str> = line.split('\t').collect();
            assert_eq!(
                f.len(),
                TSV_COLUMNS.len(),
                "schemas/jurisdictions.tsv row has {} fields (checked by tests): {line}",
                TSV_COLUMNS.len()
            );
            Jurisdiction {
                code: opt(f[0]),
                name: f[1].to_string(),
                prefecture_code: opt(f[2]),
                prefecture: opt(f[3]),
                kind: f[4].to_string(),
                full_name: f[5].to_string(),
                parent_code: opt(f[6]),
                aliases: list(f[7]),
                former_codes: list(f[8]),
                note: opt(f[9]),
            }
        })
        .collect()
}

/// Normal form of a name for matching: [`fold_label`], ASCII lower case, and
/// ヶ read as ケ (龍ヶ崎市 = 龍ケ崎市).
fn key(text: &str) -> String {
    fold_label(text)
        .chars()
        .map(|c| match c {
            'ヶ' => 'ケ',
            c => c.to_ascii_lowercase(),
        })
        .collect()
}

/// The two-digit prefecture prefix of a code written with 2, 5 or 6 digits.
fn code_prefix(folded: &str) -> Option<&str> {
    let digits = !folded.is_empty() && folded.bytes().all(|b| b.is_ascii_digit());
    (digits && matches!(folded.len(), 2 | 5 | 6)).then(|| &folded[..2])
}

impl Registry {
    fn new(entries: Vec<Jurisdiction>) -> Registry {
        let mut by_code = HashMap::new();
        let mut by_former_code = HashMap::new();
        let mut by_key: HashMap<String, Vec<usize>> = HashMap::new();
        let mut patterns: HashMap<String, Vec<(usize, Strength)>> = HashMap::new();
        for (i, j) in entries.iter().enumerate() {
            if let Some(code) = &j.code {
                by_code.insert(code.clone(), i);
            }
            for former in &j.former_codes {
                by_former_code.insert(former.clone(), i);
            }
            let pref_key = j.prefecture.as_deref().map(key);
            let names = [&j.name, &j.full_name].into_iter().chain(&j.aliases);
            for (n, name) in names.enumerate() {
                let k = key(name);
                if k.is_empty() {
                    continue;
                }
                let ids = by_key.entry(k.clone()).or_default();
                if !ids.contains(&i) {
                    ids.push(i);
                }
                // Short prefecture names (神奈川, 京都) are too common inside other
                // words to be looked for in running text.
                let is_alias = n >= 2;
                if k.chars().count() < 2 || (j.kind == "prefecture" && is_alias) {
                    continue;
                }
                let qualified = j.kind != "prefecture"
                    && pref_key
                        .as_deref()
                        .is_some_and(|p| k.starts_with(p) && k.len() > p.len());
                let strength = if qualified {
                    Strength::Qualified
                } else if !is_alias || k.ends_with(&key(&j.name)) {
                    // the name, or the name with its district or island (島尻郡伊是名村)
                    Strength::Name
                } else {
                    Strength::Alias
                };
                let list = patterns.entry(k).or_default();
                match list.iter_mut().find(|(e, _)| *e == i) {
                    Some(found) => found.1 = found.1.max(strength),
                    None => list.push((i, strength)),
                }
            }
        }
        let mut lengths_by_first: HashMap<char, Vec<usize>> = HashMap::new();
        for k in patterns.keys() {
            if let Some(first) = k.chars().next() {
                lengths_by_first
                    .entry(first)
                    .or_default()
                    .push(k.chars().count());
            }
        }
        for lengths in lengths_by_first.values_mut() {
            lengths.sort_unstable_by(|a, b| b.cmp(a));
            lengths.dedup();
        }
        Registry {
            entries,
            by_code,
            by_former_code,
            by_key,
            patterns,
            lengths_by_first,
        }
    }

    /// Every body: the rows of `jurisdictions.tsv` in code order, then the
    /// organisations.
    pub fn entries(&self) -> &[Jurisdiction] {
        &self.entries
    }

    /// Number of bodies.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// Whether the registry is empty (it never is).
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The body with this code: six digits (`141003`), or five digits without
    /// the check digit (`14100`); full-width digits and spaces are accepted.
    /// A code abolished since 2015 gives the body that took over its whole
    /// area (see [`Jurisdiction::former_codes`]). A wrong check digit gives `None`.
    pub fn by_code(&self, code: &str) -> Option<&Jurisdiction> {
        let folded = fold_label(code);
        if folded.is_empty() || !folded.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let full = match folded.len() {
            6 => folded,
            5 => {
                let d = check_digit(&folded)?;
                format!("{folded}{d}")
            }
            _ => return None,
        };
        self.by_code
            .get(&full)
            .or_else(|| self.by_former_code.get(&full))
            .map(|&i| &self.entries[i])
    }

    /// Every body a declared value may mean: a code (see [`Registry::by_code`]),
    /// a name (横浜市), a full name (神奈川県横浜市) or an alias (KIP,
    /// 島尻郡伊是名村). Whitespace and full-width ASCII are folded, ASCII case is
    /// ignored, ヶ and ケ are the same. Several results mean the name is ambiguous.
    pub fn candidates(&self, text: &str) -> Vec<&Jurisdiction> {
        let k = key(text);
        if k.is_empty() {
            return Vec::new();
        }
        if k.bytes().all(|b| b.is_ascii_digit()) {
            return self.by_code(&k).into_iter().collect();
        }
        self.by_key
            .get(&k)
            .map(|ids| ids.iter().map(|&i| &self.entries[i]).collect())
            .unwrap_or_default()
    }

    /// The body a declared value means, when it means exactly one (see
    /// [`Registry::candidates`] for what is accepted).
    ///
    /// Ambiguous plain names give `None`: 府中市 is a city of Tokyo and of
    /// Hiroshima, 伊達市 of Hokkaido and of Fukushima, 北区 a ward of Tokyo and of
    /// several designated cities (written 札幌市北区 here). Qualify such a name
    /// with its prefecture (東京都府中市) or use [`Registry::resolve_in`].
    pub fn resolve(&self, text: &str) -> Option<&Jurisdiction> {
        match self.candidates(text).as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    /// Like [`Registry::resolve`], restricted to one prefecture, given as a
    /// code (`130001`, `13000`, `13`) or a name (`東京都`, `東京`):
    /// `resolve_in("府中市", "130001")` is 東京都府中市.
    pub fn resolve_in(&self, text: &str, prefecture: &str) -> Option<&Jurisdiction> {
        let prefix = self.prefecture_prefix(prefecture)?;
        let inside: Vec<&Jurisdiction> = self
            .candidates(text)
            .into_iter()
            .filter(|j| {
                j.code
                    .as_deref()
                    .or(j.prefecture_code.as_deref())
                    .is_some_and(|c| c.starts_with(prefix.as_str()))
            })
            .collect();
        match inside.as_slice() {
            [one] => Some(one),
            _ => None,
        }
    }

    fn prefecture_prefix(&self, prefecture: &str) -> Option<String> {
        let folded = fold_label(prefecture);
        if let Some(p) = code_prefix(&folded) {
            return Some(p.to_string());
        }
        let j = self
            .resolve(prefecture)
            .filter(|j| j.kind == "prefecture")?;
        j.code.as_deref().map(|c| c[..2].to_string())
    }

    /// Bodies named in a title or cover text, best first.
    ///
    /// The text is folded like a declared value, then read left to right
    /// taking the longest known name at each position, so 神奈川県横浜市 is one
    /// mention of 横浜市 (not also of 神奈川県) and 東村山市 is not 東村.
    /// Order: bodies named with their prefecture (神奈川県横浜市, 東京都府中市)
    /// first, then bodies named by their name (横浜市, 公益財団法人神奈川産業振興センター)
    /// before bodies named only by an alias (KIP, 神奈川産業振興センター, a
    /// former name); within each group, the body named first comes first (on
    /// a cover, the publisher is usually named before anyone else).
    ///
    /// A plain name shared by several bodies (府中市) counts only when the text
    /// names the prefecture of exactly one of them; otherwise it is left out
    /// (see [`Registry::candidates`]). Short prefecture names (神奈川) are not
    /// looked for; ASCII aliases (KIP) must stand as whole words.
    pub fn find_in_text(&self, text: &str) -> Vec<&Jurisdiction> {
        struct Hit<'a> {
            pos: usize,
            candidates: &'a [(usize, Strength)],
        }
        let chars: Vec<char> = key(text).chars().collect();
        let mut hits = Vec::new();
        let mut i = 0;
        while i < chars.len() {
            let lengths = self
                .lengths_by_first
                .get(&chars[i])
                .map_or(&[][..], Vec::as_slice);
            let found = lengths.iter().find_map(|&len| {
                if i + len > chars.len() {
                    return None;
                }
                let s: String = chars[i..i + len].iter().collect();
                self.patterns
                    .get(&s)
                    .filter(|_| ascii_word_boundaries(&chars, i, len))
                    .map(|c| (len, c))
            });
            match found {
                Some((len, candidates)) => {
                    hits.push(Hit { pos: i, candidates });
                    i += len;
                }
                None => i += 1,
            }
        }

        // Prefectures the text names, directly or in a qualified name.
        let prefix_of = |idx: usize| -> Option<&str> {
            let j = &self.entries[idx];
            j.code
                .as_deref()
                .or(j.prefecture_code.as_deref())
                .map(|c| &c[..2])
        };
        let mut named_prefectures: HashSet<&str> = HashSet::new();
        for hit in &hits {
            if let [(idx, strength)] = hit.candidates {
                if *strength == Strength::Qualified || self.entries[*idx].kind == "prefecture" {
                    named_prefectures.extend(prefix_of(*idx));
                }
            }
        }

        // Per body: strongest mention, first position.
        let mut found: Vec<(usize, Strength, usize)> = Vec::new();
        for hit in &hits {
            let chosen = match hit.candidates {
                [one] => Some(*one),
                many => {
                    let inside: Vec<&(usize, Strength)> = many
                        .iter()
                        .filter(|(idx, _)| {
                            prefix_of(*idx).is_some_and(|p| named_prefectures.contains(p))
                        })
                        .collect();
                    match inside.as_slice() {
                        [one] => Some(**one),
                        _ => None,
                    }
                }
            };
            if let Some((idx, strength)) = chosen {
                match found.iter_mut().find(|f| f.0 == idx) {
                    Some(f) => f.1 = f.1.max(strength),
                    None => found.push((idx, strength, hit.pos)),
                }
            }
        }
        found.sort_by_key(|&(_, strength, pos)| (Reverse(strength), pos));
        found
            .into_iter()
            .map(|(idx, ..)| &self.entries[idx])
            .collect()
    }

    /// The value of the `jurisdiction` Hive partition: `141003-横浜市`, the name
    /// alone for a body without a code, `unknown` for `None`. Characters that
    /// cannot appear in a path segment (`/`, `\`, control characters) become `_`.
    pub fn partition_key(j: Option<&Jurisdiction>) -> String {
        let raw = match j {
            None => return "unknown".to_string(),
            Some(j) => match &j.code {
                Some(code) => format!("{code}-{}", j.name),
                None => j.name.clone(),
            },
        };
        let clean: String = raw
            .chars()
            .map(|c| {
                if c == '/' || c == '\\' || c.is_control() {
                    '_'
                } else {
                    c
                }
            })
            .collect();
        if clean.trim().is_empty() {
            "unknown".to_string()
        } else {
            clean
        }
    }
}

/// A match that begins or ends with an ASCII letter or digit must not continue
/// an ASCII word (KIP inside SKIP is no match).
fn ascii_word_boundaries(chars: &[char], pos: usize, len: usize) -> bool {
    let word = |c: &char| c.is_ascii_alphanumeric();
    let starts_word = chars.get(pos).is_some_and(word);
    let ends_word = chars.get(pos + len - 1).is_some_and(word);
    let before = pos.checked_sub(1).and_then(|p| chars.get(p));
    let after = chars.get(pos + len);
    let continues_before = starts_word && before.is_some_and(word);
    let continues_after = ends_word && after.is_some_and(word);
    !continues_before && !continues_after
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_digit_examples() {
        assert_eq!(check_digit("14100"), Some('3'));
        assert_eq!(check_digit("14000"), Some('7'));
        assert_eq!(check_digit("1410"), None);
        assert_eq!(check_digit("1410a"), None);
        assert!(is_valid_code("131121"));
        assert!(!is_valid_code("131122"));
        assert!(!is_valid_code("13112１"));
    }

    #[test]
    fn ascii_boundaries() {
        let c: Vec<char> = "skip kip".chars().collect();
        assert!(!ascii_word_boundaries(&c, 1, 3));
        assert!(ascii_word_boundaries(&c, 5, 3));
        let c: Vec<char> = "財団kip事業".chars().collect();
        assert!(ascii_word_boundaries(&c, 2, 3));
    }

    #[test]
    fn partition_key_cleans_path_characters() {
        let j = Jurisdiction {
            code: None,
            name: "A/B財団".to_string(),
            full_name: String::new(),
            kind: "foundation".to_string(),
            prefecture_code: None,
            prefecture: None,
            aliases: Vec::new(),
            parent_code: None,
            former_codes: Vec::new(),
            note: None,
        };
        assert_eq!(Registry::partition_key(Some(&j)), "A_B財団");
        assert_eq!(Registry::partition_key(None), "unknown");
    }
}
