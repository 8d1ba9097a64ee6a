//! `session copy`: a whole session from one store to another, checked before it is said done.
//!
//! The events go over exactly as stored (ids and hashes included), with the
//! inputs the session last saw, in one write on the destination, which must
//! hold no events. The copy is then read back through a new connection and
//! compared event by event, and its chain checked to the same head.

use std::path::Path;

use anyhow::{Result, bail};

use super::{Session, chain};
use crate::i18n::{fill, say};

/// What a finished copy holds.
#[derive(Debug)]
pub struct Copied {
    pub events: usize,
    pub head: Option<chain::Head>,
}

/// Copies the session at `from` to `to` (a file or a server's URL each).
pub fn copy(from: &Path, to: &Path) -> Result<Copied> {
    let source = Session::open_reading(from)?;
    if let Some(broken) = source.chain_broken() {
        bail!("{}", say(|w| fill(w.er_copy_broken, &[&broken])));
    }
    let log = source.store.log();
    let events = log.raw(0, i64::MAX)?;
    let head = match source.verify_chain() {
        Some(Ok(head)) => head,
        _ => bail!(
            "{}",
            say(|w| fill(w.er_copy_unchained, &[&source.path().display()]))
        ),
    };
    let mut inputs: Vec<(String, String)> = log.inputs()?.into_iter().collect();
    inputs.sort();
    let seen = log.inputs_seen()?;
    let mut dest = Session::open(to, true)?;
    let shown = dest.path().display().to_string();
    {
        let tx = dest.store.write()?;
        let there = tx.log().raw(0, 1)?;
        if !there.is_empty() {
            let n = tx.log().raw(0, i64::MAX)?.len();
            bail!("{}", say(|w| fill(w.er_copy_not_empty, &[&shown, &n])));
        }
        for e in &events {
            tx.log().put(e)?;
        }
        if let Some(fingerprint) = &seen {
            tx.log().see_inputs(&inputs, fingerprint)?;
        }
        // The council it belongs to, and where its ids follow each other
        // from (a log that did not say: from its next event on).
        for key in [super::owner::COUNCIL, super::owner::ROSTER] {
            if let Some(v) = log.meta(key)? {
                tx.log().set_meta(key, &v)?;
            }
        }
        let next = events.last().map_or(1, |e| e.id + 1);
        let from = log
            .meta(super::store::IDS_FROM)?
            .unwrap_or_else(|| next.to_string());
        tx.log().set_meta(super::store::IDS_FROM, &from)?;
        tx.commit()?;
    }
    drop(dest);
    // Read back afresh: what the destination holds now, not what was sent.
    let check = Session::open_reading(to)?;
    let copied = check.store.log().raw(0, i64::MAX)?;
    if let Some(i) = (0..events.len().max(copied.len())).find(|&i| events.get(i) != copied.get(i)) {
        let id = events.get(i).or(copied.get(i)).map_or(0, |e| e.id);
        bail!("{}", say(|w| fill(w.er_copy_differs, &[&shown, &id])));
    }
    match check.verify_chain() {
        Some(Ok(h)) if h == head => {}
        _ => bail!("{}", say(|w| fill(w.er_copy_differs, &[&shown, &"head"]))),
    }
    Ok(Copied {
        events: copied.len(),
        head,
    })
}
