//! The council a session belongs to: its identity recorded at creation (name, year,
//! authority, and the roster's ids then), and any other council refused before anything
//! is written.

use anyhow::Result;

use super::store::Log;
use crate::i18n::fill;
use crate::model::Council;

/// The meta keys: the council's identity, and its roster's unit ids at creation.
pub(super) const COUNCIL: &str = "council";
pub(super) const ROSTER: &str = "roster";

/// A council's identity as kept: name, year and authority, one a line.
fn identity(c: &Council) -> String {
    format!("{}\n{}\n{}", c.name, c.year, c.authority)
}

/// The identity in words: `name (year, authority)`.
fn shown(identity: &str) -> String {
    let mut parts = identity.splitn(3, '\n');
    let name = parts.next().unwrap_or_default();
    let year = parts.next().unwrap_or_default();
    let authority = parts.next().unwrap_or_default();
    crate::text::line(&format!("«{name}» ({year}, {authority})"))
}

/// Records the council as the session's own when none is recorded yet (a
/// session made before identities were kept takes the first council that
/// writes to it).
pub(super) fn claim(log: &dyn Log, council: &Council) -> Result<()> {
    if log.meta(COUNCIL)?.is_none() {
        log.set_meta(COUNCIL, &identity(council))?;
        let ids: Vec<&str> = council.units.iter().map(|u| u.id.as_str()).collect();
        log.set_meta(ROSTER, &ids.join(","))?;
    }
    Ok(())
}

/// Refuses a council that is not the one the session was made for: another
/// name, year or authority, or a roster that shares no unit with the roster the
/// session began with. Units, members or frameworks added or removed in the
/// council's own folder are input changes, not another council.
/// Whether the session's council is recorded (else the next write records it).
pub(super) fn refuse_other(log: &dyn Log, council: &Council, place: &str) -> Result<bool> {
    let Some(own) = log.meta(COUNCIL)? else {
        return Ok(false);
    };
    let this = identity(council);
    let roster = log.meta(ROSTER)?.unwrap_or_default();
    let then: Vec<&str> = roster.split(',').filter(|s| !s.is_empty()).collect();
    let shares = then.is_empty() || council.units.iter().any(|u| then.contains(&u.id.as_str()));
    if own != this || !shares {
        anyhow::bail!(
            "{}",
            crate::i18n::say(|w| fill(
                w.er_other_council,
                &[&crate::text::line(place), &shown(&own), &shown(&this)]
            ))
        );
    }
    Ok(true)
}
