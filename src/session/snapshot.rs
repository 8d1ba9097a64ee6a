//! The state kept beside the log at a checked event, so that opening a session reads only what came after it.
//!
//! Kept in `meta` under `snapshot` as `<event id> <event hash> <council key>
//! <state>`: the state the log added up to at that event (postcard, then
//! base64), on the council whose key it names. It is used only when that
//! event is still in the log with that hash and the council's key is the
//! same (the same roster, leaves, rules, claims, members and meeting
//! settings); else the log is read from its first event. A writing open then
//! checks the chain from that event on; `log --verify`, every reading command
//! and a sign-off still check it from the first.

use anyhow::{Context, Result};
use base64::Engine;
use base64::engine::general_purpose::STANDARD as BASE64;
use sha2::{Digest, Sha256};

use super::store::Log;
use super::{State, chain};
use crate::model::Council;

const KEY: &str = "snapshot";

/// Events replayed past the snapshot before a newer one is kept.
pub(crate) const EVERY: usize = 1000;

/// What a state depends on besides the log, as one hash: the members and
/// meeting settings, each framework's leaves and rules once, and each unit's
/// framework and claims. Every field is written length-prefixed in a fixed
/// order (maps sorted), so the same council always gives the same key.
/// Changed whenever `State` or what it holds changes shape.
const STATE_SHAPE: &str = "state 6";

pub(crate) fn council_key(c: &Council) -> String {
    let mut k = Canonical(Sha256::new());
    // The kept state's shape: a state kept by a program whose `State` differed
    // is set aside and the log replayed instead.
    k.text(STATE_SHAPE);
    k.num(i64::from(c.confirm));
    k.num(c.approval);
    k.num(c.members.len() as i64);
    for m in &c.members {
        k.text(&m.id);
        k.text(&m.name);
        k.text(&m.role);
        k.num(i64::from(m.chair) | i64::from(m.secretary) << 1 | i64::from(m.voting) << 2);
        match &m.pubkey {
            None => k.num(-1),
            Some(key) => k.text(key),
        }
        k.texts(&m.conflicts);
        match &m.fields {
            None => k.num(-1),
            Some(a) => {
                k.texts(&a.everywhere);
                let mut by: Vec<_> = a.by_framework.iter().collect();
                by.sort();
                k.num(by.len() as i64);
                for (fw, codes) in by {
                    k.text(fw);
                    k.texts(codes);
                }
            }
        }
    }
    k.num(c.frameworks.len() as i64);
    for fw in &c.frameworks {
        k.text(&fw.id);
        k.num(fw.leaves.len() as i64);
        for leaf in &fw.leaves {
            k.text(&leaf.code);
            k.rule(&leaf.rule);
        }
    }
    k.num(c.units.len() as i64);
    for (u, unit) in c.units.iter().enumerate() {
        k.text(&unit.id);
        k.num(c.groups[unit.group].framework as i64);
        let claims = &c.assessments[u].claims;
        k.num(claims.len() as i64);
        for claim in claims {
            k.num(claim.points.0 << 1 | i64::from(claim.na));
        }
    }
    crate::text::hex(&k.0.finalize())
}

/// A hasher fed length-prefixed fields, so that no two councils share an input.
struct Canonical(Sha256);

impl Canonical {
    fn num(&mut self, n: i64) {
        self.0.update(n.to_le_bytes());
    }

    fn text(&mut self, s: &str) {
        self.num(s.len() as i64);
        self.0.update(s.as_bytes());
    }

    fn texts(&mut self, all: &[String]) {
        self.num(all.len() as i64);
        for s in all {
            self.text(s);
        }
    }

    fn rule(&mut self, rule: &crate::model::Rule) {
        use crate::model::Rule;
        self.text(rule.kind());
        match rule {
            Rule::Levels(levels) => {
                self.num(levels.len() as i64);
                for l in levels {
                    self.num(l.points.0);
                    self.text(&l.label);
                }
            }
            Rule::Ratio(bands) => {
                self.num(bands.len() as i64);
                for b in bands {
                    self.num(b.min.0);
                    self.num(b.points.0);
                }
            }
            Rule::Deduction { min } => self.num(min.0),
            Rule::Range | Rule::Survey | Rule::Bonus => {}
        }
    }
}

/// A kept snapshot as stored, read once: the event it stands at (still in
/// the log with that hash), the council's key and the encoded state.
struct Stored {
    at: chain::Head,
    key: String,
    body: String,
}

/// Beside the snapshot, its event and council's key alone (a few dozen
/// bytes), so that the chain's check and a changed council do not read the
/// whole state.
const AT: &str = "snapshot_at";

/// The snapshot's row, or only its event and key (`body` empty) when those
/// are kept apart.
fn stored(log: &dyn Log, body: bool) -> Result<Option<Stored>> {
    let text = match log.meta(AT)? {
        Some(at) if !body => at,
        _ => match log.meta(KEY)? {
            Some(text) => text,
            None => return Ok(None),
        },
    };
    let mut parts = text.splitn(4, ' ');
    let (Some(id), Some(hash), Some(key)) = (
        parts.next().and_then(|i| i.parse::<i64>().ok()),
        parts.next(),
        parts.next(),
    ) else {
        return Ok(None);
    };
    let kept = parts.next().unwrap_or_default();
    if body && kept.is_empty() {
        return Ok(None);
    }
    let held = log.raw(id - 1, 1)?;
    Ok(held
        .first()
        .filter(|e| e.id == id && e.hash == hash)
        .map(|e| Stored {
            at: chain::Head {
                id: e.id,
                hash: e.hash.clone(),
            },
            key: key.to_string(),
            body: kept.to_string(),
        }))
}

/// The event a kept snapshot stands at, if it is still in the log as it was.
pub(crate) fn head(log: &dyn Log) -> Result<Option<chain::Head>> {
    Ok(stored(log, false)?.map(|s| s.at))
}

/// The kept state, when it was made on this council and its event is still as it was.
pub(crate) fn load(log: &dyn Log, key: &str) -> Result<Option<State>> {
    // The chain was checked from the event the short row names: the state
    // is used only when it stands at that same event.
    let Some(at) = stored(log, false)?.filter(|s| s.key == key) else {
        return Ok(None);
    };
    let Some(kept) = stored(log, true)?.filter(|s| s.key == key && s.at == at.at) else {
        return Ok(None);
    };
    let Ok(bytes) = BASE64.decode(&kept.body) else {
        return Ok(None);
    };
    Ok(postcard::from_bytes::<State>(&bytes)
        .ok()
        .filter(|s| s.last_event == kept.at.id))
}

/// Where `state` may be kept: at the log's head, checked in the chain, when
/// the state stands at it and the chain is not broken.
pub(crate) fn checked_at<'h>(
    head: Option<&'h chain::Head>,
    broken: bool,
    state: &State,
) -> Option<&'h chain::Head> {
    head.filter(|h| h.id == state.last_event && !broken)
}

/// Keeps `state` (which the log up to `at` adds up to, checked) for this council.
pub(crate) fn keep(log: &dyn Log, key: &str, at: &chain::Head, state: &State) -> Result<()> {
    let bytes = postcard::to_allocvec(state).context("the state as bytes")?;
    let body = BASE64.encode(&bytes);
    log.set_meta(AT, &format!("{} {} {key}", at.id, at.hash))?;
    log.set_meta(KEY, &format!("{} {} {key} {body}", at.id, at.hash))
}
