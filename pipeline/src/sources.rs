//! The sources manifest: what a user declares about their files.
//!
//! ```json
//! {"sources": [
//!   {"path": "seeds/000_*.txt", "jurisdiction": "横浜市", "fiscal_year": "令和3年度"},
//!   {"path": "setagaya/*.csv", "jurisdiction": "131121", "unit": "千円", "direction": "expenditure"}
//! ]}
//! ```
//! `path` is a glob relative to the manifest's folder; every other field is optional and, when
//! absent, is detected from the document. The first entry whose glob matches a file applies.

use crate::model::{Direction, Phase};
use serde::Deserialize;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use thiserror::Error;
use yosan_normalize::amount::Unit;
use yosan_normalize::era::parse_fiscal_year;

/// Why a manifest could not be used.
#[derive(Debug, Error)]
pub enum SourcesError {
    #[error("cannot read the sources manifest {path}: {source}")]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("the sources manifest {path} is not valid JSON of the documented form: {source}")]
    Parse {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("source #{index} ({pattern}): {message}")]
    Field {
        index: usize,
        pattern: String,
        message: String,
    },
}

#[derive(Debug, Deserialize)]
struct RawManifest {
    sources: Vec<RawSource>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct RawSource {
    path: String,
    jurisdiction: Option<String>,
    fiscal_year: Option<serde_json::Value>,
    family: Option<String>,
    account: Option<String>,
    phase: Option<String>,
    unit: Option<String>,
    direction: Option<String>,
}

/// One declared source with its fields checked.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Declared {
    pub pattern: String,
    pub jurisdiction: Option<crate::context::JurisdictionRef>,
    pub fiscal_year: Option<i64>,
    pub family: Option<String>,
    pub account: Option<String>,
    pub phase: Option<Phase>,
    pub unit: Option<Unit>,
    pub direction: Option<Direction>,
}

/// A loaded manifest: declared fields by canonical file path.
#[derive(Debug, Default)]
pub struct Sources {
    pub root: PathBuf,
    pub entries: Vec<Declared>,
    matches: BTreeMap<PathBuf, usize>,
}

impl Sources {
    /// Reads and checks a manifest, expanding each glob against the manifest's folder.
    pub fn load(path: &Path) -> Result<Sources, SourcesError> {
        let text = std::fs::read_to_string(path).map_err(|source| SourcesError::Read {
            path: path.to_path_buf(),
            source,
        })?;
        let raw: RawManifest =
            serde_json::from_str(&text).map_err(|source| SourcesError::Parse {
                path: path.to_path_buf(),
                source,
            })?;
        let root = path
            .parent()
            .filter(|p| !p.as_os_str().is_empty())
            .unwrap_or(Path::new("."))
            .to_path_buf();
        let mut entries = Vec::new();
        let mut matches = BTreeMap::new();
        for (index, s) in raw.sources.into_iter().enumerate() {
            let field = |message: String| SourcesError::Field {
                index,
                pattern: s.path.clone(),
                message,
            };
            let declared = Declared {
                pattern: s.path.clone(),
                jurisdiction: match &s.jurisdiction {
                    None => None,
                    Some(j) => Some(resolve_jurisdiction(j).ok_or_else(|| {
                        field(format!("jurisdiction {j:?} is not a known name, alias or valid 6-digit code (ambiguous names need the prefecture: 東京都府中市)"))
                    })?),
                },
                fiscal_year: match &s.fiscal_year {
                    None => None,
                    Some(serde_json::Value::Number(n)) => Some(
                        n.as_i64()
                            .filter(|y| (1868..=2200).contains(y))
                            .ok_or_else(|| field(format!("fiscal_year {n} is not a year")))?,
                    ),
                    Some(serde_json::Value::String(t)) => Some(
                        t.trim()
                            .parse::<i64>()
                            .ok()
                            .or_else(|| parse_fiscal_year(t, None).map(i64::from))
                            .ok_or_else(|| field(format!("fiscal_year {t:?} is not a fiscal year")))?,
                    ),
                    Some(other) => return Err(field(format!("fiscal_year {other} is not a year"))),
                },
                family: match &s.family {
                    Some(f) if crate::families::by_id(f).is_none() => {
                        return Err(field(format!(
                            "family {f:?} is unknown (known: {})",
                            crate::families::FAMILIES
                                .iter()
                                .map(|f| f.id())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )))
                    }
                    other => other.clone(),
                },
                account: s.account.clone(),
                phase: match &s.phase {
                    None => None,
                    Some(p) => Some(Phase::parse(p).ok_or_else(|| {
                        field(format!("phase {p:?} is not one of initial, supplementary, revised, settled, forecast, requested"))
                    })?),
                },
                unit: match &s.unit {
                    None => None,
                    Some(u) => Some(Unit::from_caption(&format!("単位：{u}")).ok_or_else(|| {
                        field(format!("unit {u:?} is not one of 円, 千円, 万円, 百万円, 億円, 兆円"))
                    })?),
                },
                direction: match s.direction.as_deref() {
                    None => None,
                    Some("expenditure") | Some("歳出") => Some(Direction::Expenditure),
                    Some("revenue") | Some("歳入") => Some(Direction::Revenue),
                    Some(d) => return Err(field(format!("direction {d:?} is not expenditure or revenue"))),
                },
            };
            let pattern = root.join(&s.path);
            let pattern_text = pattern.to_string_lossy().into_owned();
            let paths = glob::glob(&pattern_text).map_err(|e| field(format!("bad glob: {e}")))?;
            for p in paths.flatten() {
                if let Ok(canon) = p.canonicalize() {
                    matches.entry(canon).or_insert(index);
                }
            }
            entries.push(declared);
        }
        Ok(Sources {
            root,
            entries,
            matches,
        })
    }

    /// The declared fields for a file, if an entry's glob matched it.
    pub fn for_file(&self, path: &Path) -> Option<&Declared> {
        let canon = path.canonicalize().ok()?;
        self.matches.get(&canon).map(|&i| &self.entries[i])
    }

    /// Every file some entry matched, sorted.
    pub fn files(&self) -> Vec<PathBuf> {
        self.matches.keys().cloned().collect()
    }
}

/// A declared jurisdiction: a 6-digit code, a name or an alias from the registry.
pub fn resolve_jurisdiction(text: &str) -> Option<crate::context::JurisdictionRef> {
    let j = yosan_schemas::registry().resolve(text)?;
    Some(crate::context::JurisdictionRef {
        code: j.code.clone(),
        name: j.name.clone(),
    })
}
