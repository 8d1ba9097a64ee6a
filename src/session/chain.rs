//! The log's hash chain: every event carries the SHA-256 of the previous event's hash and its own canonical content.
//!
//! The canonical content of an event is its row of `log.csv` without the hash:
//! `id,at,member,kind,unit,code,before,after,comment,target,round`, each field
//! quoted as RFC 4180 needs it, an absent value empty. Its hash is the
//! SHA-256, in lower-case hex, of the previous event's hash (nothing before
//! the first event), the row and a line feed; so one link can be recomputed
//! with standard tools: `printf '%s%s\n' "$previous_hash" "$row" | sha256sum`.
//!
//! An edit, a deletion or an insertion made behind the program's back breaks
//! the chain at the first event that no longer fits. Whoever rewrites the
//! whole chain from the edit onwards is caught by the heads that signed
//! folders keep: each signed `log.csv` ends with its sign-off event, whose
//! hash the session and every later signed folder must still hold.

use sha2::{Digest, Sha256};

use super::Event;
use crate::text::csv_field;

/// The header of `log.csv`.
pub const HEADER: &str =
    "id,at,member,kind,unit,code,before,after,comment,target,round,hash,recorder,signature";

/// The header of a `log.csv` signed before events were signed.
pub const HEADER_UNSIGNED: &str =
    "id,at,member,kind,unit,code,before,after,comment,target,round,hash";

/// The header of a `log.csv` signed before the log was chained (and before rounds).
pub const HEADER_UNCHAINED: &str = "id,at,member,kind,unit,code,before,after,comment,target";

/// An event's canonical content: its `log.csv` row without the hash.
pub fn record(e: &Event) -> String {
    let o = |v: &Option<String>| v.clone().unwrap_or_default();
    [
        e.id.to_string(),
        e.at.clone(),
        e.member.clone(),
        e.kind.clone(),
        o(&e.unit),
        o(&e.code),
        o(&e.before),
        o(&e.after),
        e.comment.clone(),
        e.target.map(|t| t.to_string()).unwrap_or_default(),
        e.round.to_string(),
    ]
    .iter()
    .map(|f| csv_field(f))
    .collect::<Vec<_>>()
    .join(",")
}

/// The hash that follows `previous` (empty before the first event) for an event's record.
pub fn link(previous: &str, record: &str) -> String {
    let mut h = Sha256::new();
    h.update(previous.as_bytes());
    h.update(record.as_bytes());
    h.update(b"\n");
    crate::text::hex(&h.finalize())
}

/// The last event of a chain that was checked: the point later events must follow.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Head {
    pub id: i64,
    pub hash: String,
}

/// Where the log stops being what the program wrote.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Break {
    /// The first event that does not fit (or that a signed folder holds and the log lost).
    pub event: i64,
    /// The event as stored, in a few words (kind, unit and leaf, member, time); empty when it is gone.
    pub about: String,
    pub why: Why,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Why {
    /// Its hash does not follow from the one before and its content: it was
    /// edited, or inserted.
    DoesNotFit,
    /// Events `from..=to` before it are gone.
    Deleted { from: i64, to: i64 },
    /// A signed folder holds this event with another content.
    NotAsSigned { folder: String },
    /// A signed folder holds this event; the log does not any more.
    GoneSinceSigned { folder: String },
    /// This event and those after it up to `to`, recorded by the program (the
    /// head kept apart says so), are gone from the end of the log.
    TailGone { to: i64 },
    /// Added after `head`, the last event the program recorded.
    Appended { head: i64 },
    /// The head kept apart names this event with another hash.
    HeadDiffers,
    /// Not signed where the rules of who acts say it must be.
    Unsigned,
    /// Its signature is not the signer's key's.
    BadSignature { signer: String },
    /// Signed by someone council.toml lists no key for.
    NoKey { signer: String },
    /// Recorded on another's behalf where the rules do not allow it.
    NotOnBehalf { recorder: String },
}

/// The last event a signed folder holds, and the first event's time, which
/// tells which session's log it is.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Anchor {
    /// `signed/<name>`.
    pub folder: String,
    pub first_at: String,
    pub head: Head,
}

impl Break {
    /// The break in words, naming the session file and the event.
    pub fn said(&self, session: &std::path::Path) -> String {
        crate::i18n::say(|w| {
            let (event, why) = self.words(w);
            crate::i18n::fill(w.chain_broken, &[&session.display(), &event, &why])
        })
    }

    /// The event (number, and what it is) and why it does not fit, in one language.
    pub fn words(&self, w: &crate::i18n::Words) -> (String, String) {
        use crate::i18n::fill;
        let event = if self.about.is_empty() {
            self.event.to_string()
        } else {
            format!("{} ({})", self.event, self.about)
        };
        let why = match &self.why {
            Why::DoesNotFit => w.chain_does_not_fit.to_string(),
            Why::Deleted { from, to } if from == to => fill(w.chain_deleted_one, &[from]),
            Why::Deleted { from, to } => fill(w.chain_deleted, &[from, to]),
            Why::NotAsSigned { folder } => fill(w.chain_not_as_signed, &[folder]),
            Why::GoneSinceSigned { folder } => fill(w.chain_gone_since_signed, &[folder]),
            Why::TailGone { to } => fill(w.chain_tail_gone, &[to]),
            Why::Appended { head } => fill(w.chain_appended, &[head]),
            Why::HeadDiffers => w.chain_head_differs.to_string(),
            Why::Unsigned => w.chain_unsigned.to_string(),
            Why::BadSignature { signer } => fill(w.chain_bad_signature, &[signer]),
            Why::NoKey { signer } => fill(w.chain_no_key, &[signer]),
            Why::NotOnBehalf { recorder } => fill(w.chain_not_on_behalf, &[recorder]),
        };
        (event, why)
    }
}

/// A few words on an event as stored, for naming it in a break.
pub fn about(e: &Event) -> String {
    let mut parts = vec![crate::text::line(&e.kind)];
    if let (Some(u), Some(c)) = (&e.unit, &e.code) {
        parts.push(crate::text::line(&format!("{u} {c}")));
    }
    if !e.member.is_empty() {
        parts.push(crate::text::line(&e.member));
    }
    parts.push(crate::text::line(&e.at));
    parts.join(", ")
}

/// Checks events (in id order) against the chain they continue: `from` is the
/// event before the first of them (`None`: they start the log). Returns the
/// new head, or the first event that does not fit.
pub fn check(from: Option<&Head>, events: &[Event]) -> Result<Option<Head>, Break> {
    let mut head = from.cloned();
    for e in events {
        let (previous_id, previous) = head.as_ref().map_or((0, ""), |h| (h.id, h.hash.as_str()));
        if link(previous, &record(e)) != e.hash {
            let why = if e.id > previous_id + 1 {
                Why::Deleted {
                    from: previous_id + 1,
                    to: e.id - 1,
                }
            } else {
                Why::DoesNotFit
            };
            return Err(Break {
                event: e.id,
                about: about(e),
                why,
            });
        }
        head = Some(Head {
            id: e.id,
            hash: e.hash.clone(),
        });
    }
    Ok(head)
}

/// Compares the head a chain was checked to (`last`: the log's last event)
/// with the head kept apart, which every append updates in the same
/// transaction: a tail deleted, events added behind the program's back, or
/// the last event rewritten are named. A log without a head kept (written
/// before it was kept) passes until its next write keeps one.
pub fn against_kept(last: Option<&Head>, kept: Option<&Head>) -> Result<(), Break> {
    let Some(kept) = kept else {
        return Ok(());
    };
    let last_id = last.map_or(0, |h| h.id);
    let break_at = |event: i64, why: Why| {
        Err(Break {
            event,
            about: String::new(),
            why,
        })
    };
    if kept.id > last_id {
        return break_at(last_id + 1, Why::TailGone { to: kept.id });
    }
    if kept.id < last_id {
        return break_at(kept.id + 1, Why::Appended { head: kept.id });
    }
    match last {
        Some(l) if l.hash != kept.hash => break_at(l.id, Why::HeadDiffers),
        _ => Ok(()),
    }
}

/// Ids follow each other from `from` on (the first id the program gave after
/// it began keeping them so: a log from before may have gaps a deletion
/// left): a gap is named as the events deleted, even where the hashes were
/// re-linked over it. `before` is the event before `events`, if any.
pub fn ids_follow(from: i64, before: Option<i64>, events: &[Event]) -> Result<(), Break> {
    let mut previous = before;
    for e in events {
        let expected = previous.map_or(1, |p| p + 1);
        if e.id >= from && e.id != expected && e.id > expected {
            return Err(Break {
                event: e.id,
                about: about(e),
                why: Why::Deleted {
                    from: expected,
                    to: e.id - 1,
                },
            });
        }
        previous = Some(e.id);
    }
    Ok(())
}

/// A head as kept beside the log: `id hash`.
pub fn head_text(h: &Head) -> String {
    format!("{} {}", h.id, h.hash)
}

/// A head read back from its text; `None` for anything else.
pub fn head_of(text: &str) -> Option<Head> {
    let (id, hash) = text.split_once(' ')?;
    Some(Head {
        id: id.parse().ok()?,
        hash: hash.to_string(),
    })
}

/// Fills in the hashes of events that have none yet (a log written before it
/// was chained), in id order, following `from`.
pub fn seal(from: Option<&Head>, events: &mut [Event]) {
    let mut previous = from.map(|h| h.hash.clone()).unwrap_or_default();
    for e in events {
        e.hash = link(&previous, &record(e));
        previous = e.hash.clone();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn event(id: i64, after: &str) -> Event {
        Event {
            id,
            at: format!("2026-11-0{id}T08:00:00.000Z"),
            member: "an".into(),
            kind: crate::session::Kind::Decide.as_str().into(),
            unit: Some("xa-a".into()),
            code: Some("1.1.1".into()),
            before: None,
            after: Some(after.into()),
            comment: "Kế hoạch, ban hành \"chậm\"\nhai dòng".into(),
            target: None,
            round: 1,
            hash: String::new(),
            recorder: None,
            sig: None,
        }
    }

    fn sealed() -> Vec<Event> {
        let mut es: Vec<Event> = (1..=4).map(|i| event(i, "1.00")).collect();
        seal(None, &mut es);
        es
    }

    #[test]
    fn a_sealed_log_checks_and_its_head_is_the_last_event() {
        let es = sealed();
        let head = check(None, &es).unwrap().unwrap();
        assert_eq!(head.id, 4);
        assert_eq!(head.hash, es[3].hash);
        // Checking the tail from the head before it gives the same head.
        let from = Head {
            id: 2,
            hash: es[1].hash.clone(),
        };
        assert_eq!(check(Some(&from), &es[2..]).unwrap().unwrap(), head);
    }

    #[test]
    fn the_record_is_the_csv_row_and_a_link_is_what_sha256sum_gives() {
        let e = &sealed()[0];
        assert_eq!(
            record(e),
            "1,2026-11-01T08:00:00.000Z,an,decide,xa-a,1.1.1,,1.00,\"Kế hoạch, ban hành \"\"chậm\"\"\nhai dòng\",,1"
        );
        // printf '%s\n' 'abc' | sha256sum
        assert_eq!(
            link("", "abc"),
            "edeaaff3f1774ad2888673770c6d64097e391bc362d7d6fb34982ddf0efd18cb"
        );
        assert_eq!(link("a", "bc"), link("", "abc"));
    }

    #[test]
    fn an_edit_a_deletion_and_an_insertion_are_each_named() {
        let mut edited = sealed();
        edited[1].after = Some("0.50".into());
        let b = check(None, &edited).unwrap_err();
        assert_eq!((b.event, b.why), (2, Why::DoesNotFit));

        let mut member = sealed();
        member[2].member = "binh".into();
        assert_eq!(check(None, &member).unwrap_err().event, 3);

        let mut deleted = sealed();
        deleted.remove(1);
        let b = check(None, &deleted).unwrap_err();
        assert_eq!((b.event, b.why), (3, Why::Deleted { from: 2, to: 2 }));

        let mut inserted = sealed();
        let mut late = event(5, "0.00");
        late.hash = inserted[3].hash.clone();
        inserted.push(late);
        assert_eq!(check(None, &inserted).unwrap_err().event, 5);

        let mut first_gone = sealed();
        first_gone.remove(0);
        let b = check(None, &first_gone).unwrap_err();
        assert_eq!((b.event, b.why), (2, Why::Deleted { from: 1, to: 1 }));
    }
}
