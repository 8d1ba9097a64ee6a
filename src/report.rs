//! The ranking as text: the CSV of the spec and an aligned table for the terminal.

pub use crate::i18n::TableLabels;
pub use crate::text::csv_field;
use std::fmt::Write as _;

use unicode_width::UnicodeWidthStr;

use crate::model::Council;
use crate::score::Standings;

/// One line of the ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    pub group: String,
    pub rank: u32,
    pub unit: String,
    pub name: String,
    pub self_points: String,
    pub points: String,
    pub max_points: String,
    pub self_index: String,
    pub index: String,
    pub band: String,
    pub submitted: bool,
}

/// Every roster unit: groups in council.toml order, then by rank, then by unit id.
pub fn rows(council: &Council, standings: &Standings) -> Vec<Row> {
    let mut out = Vec::with_capacity(council.units.len());
    for (g, group) in council.groups.iter().enumerate() {
        let fw = &council.frameworks[group.framework];
        for &u in &standings.order[g] {
            let st = &standings.units[u];
            out.push(Row {
                group: group.id.clone(),
                rank: st.rank,
                unit: council.units[u].id.clone(),
                name: council.units[u].name.clone(),
                self_points: st.self_score.total.to_string(),
                points: st.score.total.to_string(),
                max_points: st.score.max.to_string(),
                self_index: st.self_score.index_text(),
                index: st.score.index_text(),
                band: fw.bands[st.band].name.clone(),
                submitted: council.submitted(u),
            });
        }
    }
    out
}

/// The ranking CSV exactly as the spec gives it (LF line ends, RFC 4180 quoting).
pub fn csv(rows: &[Row]) -> String {
    let mut s = String::from("group,rank,unit,name,self_points,points,max_points,index,band\n");
    for r in rows {
        let fields = [
            r.group.as_str(),
            &r.rank.to_string(),
            &r.unit,
            &r.name,
            &r.self_points,
            &r.points,
            &r.max_points,
            &r.index,
            &r.band,
        ]
        .map(csv_field);
        s.push_str(&fields.join(","));
        s.push('\n');
    }
    s
}

/// The ranking as an aligned table, one block per group (widths in terminal columns).
pub fn table(council: &Council, rows: &[Row], l: &TableLabels) -> String {
    let mut s = String::new();
    for group in &council.groups {
        let rows: Vec<&Row> = rows.iter().filter(|r| r.group == group.id).collect();
        let _ = writeln!(s, "{} ({})", group.name, group.id);
        let header = [
            l.rank,
            l.unit,
            l.name,
            l.points,
            l.max,
            l.index,
            l.self_index,
            l.band,
        ];
        let cells: Vec<[String; 8]> = rows
            .iter()
            .map(|r| {
                let name = if r.submitted {
                    r.name.clone()
                } else {
                    format!("{} ({})", r.name, l.not_submitted)
                };
                [
                    r.rank.to_string(),
                    r.unit.clone(),
                    name,
                    r.points.clone(),
                    r.max_points.clone(),
                    r.index.clone(),
                    r.self_index.clone(),
                    r.band.clone(),
                ]
            })
            .collect();
        // The self index stands beside the index it compares with, never
        // beside the appraised points.
        let numeric = [true, false, false, true, true, true, true, false];
        s += &aligned(&header, &cells, &numeric);
        s.push('\n');
    }
    s
}

/// Rows under a header, each column as wide as its widest cell in terminal
/// columns; `numeric` columns right-aligned, two spaces between columns.
pub fn aligned<R: AsRef<[String]>>(header: &[&str], rows: &[R], numeric: &[bool]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.width()).collect();
    for r in rows {
        for (w, cell) in widths.iter_mut().zip(r.as_ref()) {
            *w = (*w).max(cell.width());
        }
    }
    let line = |cells: &[&str]| {
        let mut out = String::new();
        for (i, cell) in cells.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(cell.width()));
            if i > 0 {
                out.push_str("  ");
            }
            if numeric.get(i).copied().unwrap_or(false) {
                out.push_str(&pad);
                out.push_str(cell);
            } else {
                out.push_str(cell);
                if i + 1 < cells.len() {
                    out.push_str(&pad);
                }
            }
        }
        out.trim_end().to_string()
    };
    let mut s = format!("{}\n", line(header));
    for r in rows {
        let refs: Vec<&str> = r.as_ref().iter().map(String::as_str).collect();
        s += &line(&refs);
        s.push('\n');
    }
    s
}

/// The audit log as CSV (RFC 4180, LF line ends).
pub fn log_csv(events: &[crate::session::Event]) -> String {
    use crate::session::chain;
    let mut out = format!("{}\n", chain::HEADER);
    for e in events {
        out += &chain::record(e);
        out.push(',');
        out += &csv_field(&e.hash);
        out.push(',');
        out += &csv_field(e.recorder.as_deref().unwrap_or_default());
        out.push(',');
        out += &csv_field(e.sig.as_deref().unwrap_or_default());
        out.push('\n');
    }
    out
}
