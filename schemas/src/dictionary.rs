//! The human data dictionary, rendered from `columns.json` and `measures.json`.

use crate::{dataset, measures, Column, Table};
use std::fmt::Write;

/// Markdown describing every table, column, enumerated value, the Hive
/// layout and the measure vocabulary. `schemas/README.md` holds exactly this
/// text between its `BEGIN GENERATED` / `END GENERATED` markers.
pub fn data_dictionary_markdown() -> String {
    let ds = dataset();
    let mut out = String::new();
    out.push_str("## Tables\n\n");
    let _ = writeln!(
        out,
        "The dataset is a directory of Parquet files ({} compression): `budget_lines` is \
         Hive-partitioned, the other tables are single files (contract version {}). Columns are listed in the order the pipeline writes them; \
         *null* says whether a value may be missing.\n",
        ds.compression, ds.version
    );
    for t in &ds.tables {
        render_table(&mut out, t);
    }
    out.push_str("## Measures\n\n");
    out.push_str(
        "`budget_lines.measure` takes one of these values. Percentages, rates and counts are not \
         measures: they are never written as budget lines.\n\n",
    );
    out.push_str("| measure | meaning | typical printed labels |\n|---|---|---|\n");
    for m in measures() {
        let labels: Vec<String> = m.labels.iter().map(|l| format!("`{l}`")).collect();
        let _ = writeln!(
            out,
            "| `{}` | {} | {} |",
            m.id,
            cell(&m.description),
            cell(&labels.join(", "))
        );
    }
    out
}

fn render_table(out: &mut String, t: &Table) {
    let _ = writeln!(out, "### `{}`\n", t.name);
    let _ = writeln!(out, "{}\n", t.description);
    let _ = writeln!(out, "Files: `{}`\n", t.path);
    if !t.partition_columns.is_empty() {
        out.push_str("Partition keys (Hive layout, in path order):\n\n");
        out.push_str("| key | type | meaning |\n|---|---|---|\n");
        for p in &t.partition_columns {
            let _ = writeln!(
                out,
                "| `{}` | `{}` | {} |",
                p.name,
                p.dtype,
                cell(&p.description)
            );
        }
        out.push('\n');
    }
    out.push_str("| # | column | type | null | meaning | values |\n|---|---|---|---|---|---|\n");
    for (i, c) in t.columns.iter().enumerate() {
        let _ = writeln!(
            out,
            "| {} | `{}` | `{}` | {} | {} | {} |",
            i + 1,
            c.name,
            c.dtype,
            if c.nullable { "yes" } else { "no" },
            cell(&c.description),
            cell(&values_cell(c))
        );
    }
    out.push('\n');
    for c in t
        .columns
        .iter()
        .filter(|c| !c.value_descriptions.is_empty())
    {
        let _ = writeln!(out, "Values of `{}.{}`:\n", t.name, c.name);
        for v in c.values.iter().flatten() {
            match c.value_descriptions.get(v) {
                Some(d) => {
                    let _ = writeln!(out, "- `{v}`: {d}");
                }
                None => {
                    let _ = writeln!(out, "- `{v}`");
                }
            }
        }
        out.push('\n');
    }
}

fn values_cell(c: &Column) -> String {
    match &c.values {
        None => String::new(),
        Some(v) if c.name == "measure" => format!("{} measures (see Measures)", v.len()),
        Some(v) => v
            .iter()
            .map(|x| format!("`{x}`"))
            .collect::<Vec<_>>()
            .join(", "),
    }
}

/// Makes text safe inside a Markdown table cell.
fn cell(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
