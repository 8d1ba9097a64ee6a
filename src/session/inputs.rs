//! The inputs as the session last saw them, and what changed since (reconciliation).

use std::collections::HashMap;

use anyhow::{Context, Result};

use super::owner;
use super::write::insert;
use super::{Kind, Session};
use crate::i18n::fill;
use crate::model::Council;

impl Session {
    /// What changed in the inputs since the session last saw them, without
    /// recording it (for reading commands); empty when nothing did.
    pub fn inputs_changed(&self, council: &Council) -> Result<Vec<String>> {
        let now = snapshot(council);
        if self.inputs_fingerprint()?.as_deref() == Some(fingerprint(&now).as_str()) {
            return Ok(Vec::new());
        }
        let old = self.store.log().inputs()?;
        Ok(if old.is_empty() {
            Vec::new()
        } else {
            diff(&old, &now)
        })
    }

    /// The fingerprint of the inputs the session last saw.
    pub(super) fn inputs_fingerprint(&self) -> Result<Option<String>> {
        self.store.log().inputs_seen()
    }

    /// Compares the inputs with those the session last saw; records and returns
    /// what changed (empty when nothing did). The first call only takes a snapshot.
    pub fn reconcile(&mut self, council: &Council) -> Result<Vec<String>> {
        let recorded_owner = self.refuse_other_council(council)?;
        let now = snapshot(council);
        let fingerprint = fingerprint(&now);
        if self.inputs_fingerprint()?.as_deref() == Some(fingerprint.as_str()) {
            return Ok(Vec::new());
        }
        let tx = self.write_tx()?;
        if !recorded_owner {
            owner::claim(tx.log(), council)?;
        }
        // Read under the lock: another writer may have recorded them meanwhile.
        let old = tx.log().inputs()?;
        let changes = if old.is_empty() {
            Vec::new()
        } else {
            diff(&old, &now)
        };
        tx.log().see_inputs(&now, &fingerprint)?;
        let mut recorded = None;
        if !changes.is_empty() {
            recorded = Some(insert(
                tx.log(),
                "",
                Kind::Inputs,
                None,
                None,
                None,
                None,
                &changes.join("\n"),
                None,
            )?);
        }
        tx.commit().with_context(|| {
            crate::i18n::say(|w| fill(w.er_recording_inputs, &[&self.path.display()]))
        })?;
        self.wrote(recorded.as_ref());
        if !recorded_owner {
            self.owner_checked = Some((council.stamp, true));
        }
        Ok(changes)
    }
}

/// Per unit (in roster order), its leaves' own values as `code=value` lines.
pub(super) fn snapshot(council: &Council) -> Vec<(String, String)> {
    council
        .units
        .iter()
        .enumerate()
        .map(|(u, unit)| {
            let fw = council.framework_of(u);
            let mut text = String::new();
            for (leaf, c) in fw.leaves.iter().zip(&council.assessments[u].claims) {
                text.push_str(&leaf.code);
                text.push('=');
                if c.na {
                    text.push_str("na");
                } else {
                    text.push_str(&c.points.to_string());
                }
                text.push('\n');
            }
            (unit.id.clone(), text)
        })
        .collect()
}

/// FNV-1a (64 bits) of a snapshot: a cheap, stable fingerprint of the inputs.
pub(super) fn fingerprint(snapshot: &[(String, String)]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for (u, leaves) in snapshot {
        for b in u.bytes().chain([0]).chain(leaves.bytes()).chain([0]) {
            h ^= u64::from(b);
            h = h.wrapping_mul(0x0000_0100_0000_01b3);
        }
    }
    format!("{h:016x}")
}

/// What changed between two snapshots, as sentences.
pub(super) fn diff(old: &HashMap<String, String>, now: &[(String, String)]) -> Vec<String> {
    let mut out = Vec::new();
    let now_units: HashMap<&str, &str> =
        now.iter().map(|(u, l)| (u.as_str(), l.as_str())).collect();
    for (u, leaves) in now {
        match old.get(u) {
            None => out.push(format!("unit {u} was added")),
            Some(before) if before != leaves => {
                let parse = |t: &str| -> Vec<(String, String)> {
                    t.lines()
                        .filter_map(|l| l.split_once('='))
                        .map(|(c, v)| (c.to_string(), v.to_string()))
                        .collect()
                };
                let (a, b) = (parse(before), parse(leaves));
                let a_map: HashMap<&str, &str> =
                    a.iter().map(|(c, v)| (c.as_str(), v.as_str())).collect();
                let b_map: HashMap<&str, &str> =
                    b.iter().map(|(c, v)| (c.as_str(), v.as_str())).collect();
                for (c, v) in &b {
                    match a_map.get(c.as_str()) {
                        None => out.push(format!("{u}: leaf {c} was added")),
                        Some(old_v) if old_v != v => out.push(format!(
                            "{u}: self points of {c} changed from {old_v} to {v}"
                        )),
                        _ => {}
                    }
                }
                for (c, _) in &a {
                    if !b_map.contains_key(c.as_str()) {
                        out.push(format!("{u}: leaf {c} was removed"));
                    }
                }
            }
            _ => {}
        }
    }
    let mut removed: Vec<&String> = old
        .keys()
        .filter(|u| !now_units.contains_key(u.as_str()))
        .collect();
    removed.sort();
    out.extend(removed.into_iter().map(|u| format!("unit {u} was removed")));
    out
}
