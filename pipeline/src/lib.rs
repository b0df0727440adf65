//! yosan: Japanese public-sector budget documents to a clean, checked Parquet dataset.
//!
//! The stages, each testable alone:
//! bytes → [`yosan_extractors::Document`] (extractors crate) → [`table::HierTable`] and other
//! family-specific readings ([`families`]) → [`model::BudgetLine`]s with their checks →
//! Parquet ([`dataset`]). [`ingest`] runs them over a batch of files.

pub mod context;
pub mod dataset;
pub mod families;
pub mod ingest;
pub mod layout;
pub mod model;
pub mod reconcile;
pub mod show;
pub mod sources;
pub mod store;
pub mod table;

pub use yosan_normalize as normalize;
