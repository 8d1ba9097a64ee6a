//! Where the round's work stands: per member with assigned fields, per field and per unit, the leaves decided this round, still to do, the requests sent and the explanations received.

use crate::model::{Council, Rule};
use crate::session::State;
use crate::work;
use std::collections::BTreeMap;

/// Counts for one line of the progress.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Count {
    /// Leaves that can be decided (survey leaves are not).
    pub leaves: usize,
    /// Of those, decided in the current round.
    pub decided: usize,
    /// Explanations asked in the current round.
    pub requests: usize,
    /// Explanations the units sent for the round before.
    pub explained: usize,
}

impl Count {
    pub fn to_do(&self) -> usize {
        self.leaves - self.decided
    }

    fn add(&mut self, decided: bool, requests: usize, explained: bool) {
        self.leaves += 1;
        self.decided += usize::from(decided);
        self.requests += requests;
        self.explained += usize::from(explained);
    }
}

/// The progress of the current round.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Progress {
    pub round: i64,
    /// Members with assigned fields, in council.toml order: (id, their leaves across every unit).
    pub members: Vec<(String, Count)>,
    /// Per framework and field code, in framework order.
    pub fields: Vec<(String, String, Count)>,
    /// Per unit, in roster order.
    pub units: Vec<(String, Count)>,
}

/// Counts the current round's work on a council.
pub fn of(council: &Council, state: &State) -> Progress {
    let round = state.round();
    let mut units = Vec::with_capacity(council.units.len());
    let mut fields: BTreeMap<(usize, usize), Count> = BTreeMap::new();
    let assigned: Vec<&crate::model::Member> = council
        .members
        .iter()
        .filter(|m| m.fields.is_some() && !m.leads())
        .collect();
    let mut members = vec![Count::default(); assigned.len()];
    for (u, unit) in council.units.iter().enumerate() {
        let fw_index = council.groups[unit.group].framework;
        let fw = &council.frameworks[fw_index];
        let mut count = Count::default();
        for (l, leaf) in fw.leaves.iter().enumerate() {
            if leaf.rule == Rule::Survey {
                continue;
            }
            let decided = work::decided_this_round(state, u, l);
            let requests = state
                .asks
                .get(&(u, l))
                .map_or(0, |a| a.iter().filter(|r| r.round == round).count());
            let explained = council.explained(u, leaf.code.as_str(), round - 1);
            count.add(decided, requests, explained);
            fields
                .entry((fw_index, leaf.field))
                .or_default()
                .add(decided, requests, explained);
            for (m, c) in assigned.iter().zip(members.iter_mut()) {
                if work::is_theirs(council, m, u, l) {
                    c.add(decided, requests, explained);
                }
            }
        }
        units.push((unit.id.clone(), count));
    }
    Progress {
        round,
        members: assigned.iter().map(|m| m.id.clone()).zip(members).collect(),
        fields: fields
            .into_iter()
            .map(|((f, field), c)| {
                let fw = &council.frameworks[f];
                (fw.id.clone(), fw.fields[field].code.clone(), c)
            })
            .collect(),
        units,
    }
}

/// The words of the progress table.
pub struct Labels<'a> {
    pub title: &'a str,
    pub member: &'a str,
    pub field: &'a str,
    pub unit: &'a str,
    pub leaves: &'a str,
    pub decided: &'a str,
    pub to_do: &'a str,
    pub requests: &'a str,
    pub explained: &'a str,
}

impl Labels<'static> {
    /// The words of a language; `short` titles where room is short (the screen).
    pub fn of(w: &'static crate::i18n::Words, short: bool) -> Labels<'static> {
        let pick = |full: &'static str, brief: &'static str| if short { brief } else { full };
        Labels {
            title: w.pg_title,
            member: w.pg_member,
            field: w.pg_field,
            unit: w.pg_unit,
            leaves: pick(w.pg_leaves, w.pg_leaves_short),
            decided: pick(w.pg_decided, w.pg_decided_short),
            to_do: pick(w.pg_to_do, w.pg_to_do_short),
            requests: pick(w.pg_requests, w.pg_requests_short),
            explained: pick(w.pg_explained, w.pg_explained_short),
        }
    }
}

/// The progress as aligned tables for the terminal.
pub fn table(p: &Progress, l: &Labels) -> String {
    let mut s = format!("{}\n", crate::i18n::fill(l.title, &[&p.round]));
    let mut section = |first: &str, rows: Vec<(String, &Count)>| {
        if rows.is_empty() {
            return;
        }
        let header = [first, l.leaves, l.decided, l.to_do, l.requests, l.explained];
        let cells: Vec<[String; 6]> = rows
            .iter()
            .map(|(name, c)| {
                [
                    name.clone(),
                    c.leaves.to_string(),
                    c.decided.to_string(),
                    c.to_do().to_string(),
                    c.requests.to_string(),
                    c.explained.to_string(),
                ]
            })
            .collect();
        s.push('\n');
        s += &crate::report::aligned(&header, &cells, &[false, true, true, true, true, true]);
    };
    section(
        l.member,
        p.members.iter().map(|(m, c)| (m.clone(), c)).collect(),
    );
    let several = p
        .fields
        .iter()
        .any(|(fw, _, _)| p.fields.first().is_some_and(|(f0, _, _)| f0 != fw));
    section(
        l.field,
        p.fields
            .iter()
            .map(|(fw, code, c)| {
                let name = if several {
                    format!("{fw} {code}")
                } else {
                    code.clone()
                };
                (name, c)
            })
            .collect(),
    );
    section(
        l.unit,
        p.units.iter().map(|(u, c)| (u.clone(), c)).collect(),
    );
    s
}
