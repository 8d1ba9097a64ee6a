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
use ct_codecs::{Base64, Decoder, Encoder};
use sha2::{Digest, Sha256};

use super::store::Log;
use super::{State, chain};
use crate::model::Council;

const KEY: &str = "snapshot";

/// Events replayed past the snapshot before a newer one is kept.
pub(crate) const EVERY: usize = 1000;

/// What a state depends on besides the log, as one hash.
pub(crate) fn council_key(c: &Council) -> String {
    let mut h = Sha256::new();
    h.update(format!("{}|{}|{:?}\n", c.confirm, c.approval, c.members));
    for (u, unit) in c.units.iter().enumerate() {
        h.update(format!("unit {}\n", unit.id));
        let fw = c.framework_of(u);
        for (leaf, claim) in fw.leaves.iter().zip(&c.assessments[u].claims) {
            h.update(format!(
                "{}|{:?}|{}|{}\n",
                leaf.code, leaf.rule, claim.points.0, claim.na
            ));
        }
    }
    h.finalize().iter().map(|b| format!("{b:02x}")).collect()
}

/// A kept snapshot as stored, read once: the event it stands at (still in
/// the log with that hash), the council's key and the encoded state.
struct Stored {
    at: chain::Head,
    key: String,
    body: String,
}

fn stored(log: &dyn Log) -> Result<Option<Stored>> {
    let Some(text) = log.meta(KEY)? else {
        return Ok(None);
    };
    let mut parts = text.splitn(4, ' ');
    let (Some(id), Some(hash), Some(key), Some(body)) = (
        parts.next().and_then(|i| i.parse::<i64>().ok()),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return Ok(None);
    };
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
            body: body.to_string(),
        }))
}

/// The event a kept snapshot stands at, if it is still in the log as it was.
pub(crate) fn head(log: &dyn Log) -> Result<Option<chain::Head>> {
    Ok(stored(log)?.map(|s| s.at))
}

/// The kept state, when it was made on this council and its event is still as it was.
pub(crate) fn load(log: &dyn Log, key: &str) -> Result<Option<State>> {
    let Some(kept) = stored(log)?.filter(|s| s.key == key) else {
        return Ok(None);
    };
    let Ok(bytes) = Base64::decode_to_vec(&kept.body, None) else {
        return Ok(None);
    };
    Ok(postcard::from_bytes::<State>(&bytes)
        .ok()
        .filter(|s| s.last_event == kept.at.id))
}

/// Keeps `state` (which the log up to `at` adds up to, checked) for this council.
pub(crate) fn keep(log: &dyn Log, key: &str, at: &chain::Head, state: &State) -> Result<()> {
    let bytes = postcard::to_allocvec(state).context("the state as bytes")?;
    let body = Base64::encode_to_string(&bytes).context("the state as text")?;
    log.set_meta(KEY, &format!("{} {} {key} {body}", at.id, at.hash))
}
