//! Who acts: the recorder's key and an event's signature, what may be recorded on
//! another member's behalf, and every event checked against council.toml's keys.
//!
//! The recorder is the member whose secret key the command or the screen
//! holds. Each event it records carries the Ed25519 signature (minisign's,
//! its BLAKE2b-512 prehash) of the event's chain hash, and names the
//! recorder when it is not the member the event is for. council.toml is the
//! anchor: a member with a `pubkey` is acted for only with that key, or on
//! behalf by the chair or the secretary for decisions, requests, attendance
//! and votes; votes, written approvals, confirmations, reopenings and
//! sign-offs are always signed. A council that lists no key at all records
//! unsigned events (nothing could check a signature), and says so.

use std::collections::BTreeSet;

use base64::Engine;
use minisign::{PublicKey, SecretKey, SignatureBones};

use super::chain::{Break, Why, about};
use super::store::{Log, Write};
use super::{Event, Kind};
use crate::appraisal::{Act, Refusal};
use crate::model::{Council, Member};

/// The member whose key records events, and the key, unlocked for this run.
#[derive(Clone)]
pub struct Recorder {
    member: String,
    key: SecretKey,
    signer: std::sync::Arc<Signer>,
}

/// The key as Ed25519 signs with it, and its id as minisign names it.
struct Signer {
    pair: ring::signature::Ed25519KeyPair,
    keynum: [u8; 8],
}

impl Signer {
    /// From an unlocked minisign key, laid out as minisign keeps it: the
    /// algorithms, salt and limits (54 bytes), the key's id (8), the seed
    /// and the public key (32 and 32). `None` where they do not agree.
    fn of(key: &SecretKey) -> Option<Signer> {
        let bytes = key.to_bytes();
        let keynum = bytes.get(54..62)?.try_into().ok()?;
        let (seed, public) = (bytes.get(62..94)?, bytes.get(94..126)?);
        let pair = ring::signature::Ed25519KeyPair::from_seed_and_public_key(seed, public).ok()?;
        Some(Signer { pair, keynum })
    }

    /// minisign's prehashed signature of `hash` as minisign stores it (`ED`,
    /// the key's id, the Ed25519 signature of the hash's BLAKE2b-512), made
    /// by `ring` in a fraction of the time minisign's own code takes (which
    /// also signs a trusted comment an event has no use for).
    fn sign(&self, hash: &str) -> Vec<u8> {
        use blake2::Digest;
        let prehash = blake2::Blake2b512::digest(hash.as_bytes());
        let sig = self.pair.sign(&prehash);
        [&b"ED"[..], &self.keynum, sig.as_ref()].concat()
    }
}

impl std::fmt::Debug for Recorder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Recorder")
            .field("member", &self.member)
            .finish_non_exhaustive()
    }
}

impl Recorder {
    /// The recorder `member` with its secret key: refused when the member is
    /// unknown, has no `pubkey` in council.toml, or the key is not that one.
    pub fn new(council: &Council, member: &str, key: SecretKey) -> Result<Recorder, Refusal> {
        let m = council
            .member(member)
            .ok_or_else(|| Refusal::UnknownMember(member.into()))?;
        let public =
            PublicKey::from_secret_key(&key).map_err(|_| Refusal::KeyNotMembers(member.into()))?;
        let Some(listed) = &m.pubkey else {
            return Err(Refusal::NoPubkey {
                member: member.into(),
                pubkey: public.to_base64(),
            });
        };
        if crate::keys::parse_public(listed)
            .ok()
            .is_none_or(|p| p.to_base64() != public.to_base64())
        {
            return Err(Refusal::KeyNotMembers(member.into()));
        }
        let signer = Signer::of(&key).ok_or_else(|| Refusal::KeyNotMembers(member.into()))?;
        Ok(Recorder {
            member: member.into(),
            key,
            signer: std::sync::Arc::new(signer),
        })
    }

    /// The member who records.
    pub fn member(&self) -> &str {
        &self.member
    }

    /// The recorder's secret key (a sign-off from the screen signs with it).
    pub fn key(&self) -> &SecretKey {
        &self.key
    }

    /// Signs an event whose hash is set, naming the recorder when the event is
    /// for another member (or for no member: the inputs seen to change).
    pub(super) fn seal(&self, e: &mut Event) -> anyhow::Result<()> {
        if e.member != self.member {
            e.recorder = Some(self.member.clone());
        }
        let sig = self.signer.sign(&e.hash);
        e.sig = Some(base64::engine::general_purpose::STANDARD.encode(sig));
        Ok(())
    }
}

/// Whether `sig` (as stored with an event) is `pubkey`'s signature of `hash`:
/// minisign's rules (a prehashed signature, the key's id, a public key that
/// is not the identity), the Ed25519 equation checked by `ring`, which does
/// it in a third of the time minisign's own code takes (a log's every
/// signature is checked by `verify`, `log --verify` and each sign-off).
pub fn verifies(pubkey: &str, hash: &str, sig: &str) -> bool {
    use blake2::Digest;
    let Ok(pk) = crate::keys::parse_public(pubkey) else {
        return false;
    };
    let Ok(bytes) = base64::engine::general_purpose::STANDARD.decode(sig.trim()) else {
        return false;
    };
    let Ok(bones) = SignatureBones::from_bytes(&bytes) else {
        return false;
    };
    if !bones.is_prehashed() {
        return false;
    }
    // Both as minisign lays them out: the algorithm (2 bytes), the key's id
    // (8), then the key (32) or the signature (64).
    let (pk, sig) = (pk.to_bytes(), bones.to_bytes());
    let (Some(key), Some(signature)) = (pk.get(10..42), sig.get(10..74)) else {
        return false;
    };
    if pk[2..10] != sig[2..10] || is_identity(key) {
        return false;
    }
    let prehash = blake2::Blake2b512::digest(hash.as_bytes());
    ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, key)
        .verify(&prehash, signature)
        .is_ok()
}

/// The neutral point (or an all-zero key), which minisign refuses as a key:
/// any signature would check against it.
fn is_identity(key: &[u8]) -> bool {
    key.iter().all(|b| *b == 0)
        || (key[0] == 1 && key[1..31].iter().all(|b| *b == 0) && key[31] & 0x7f == 0)
}

/// Whether the council lists any key: until it does, nothing is signed.
pub fn uses_keys(council: &Council) -> bool {
    council.members.iter().any(|m| m.pubkey.is_some())
}

/// What may be recorded on another member's behalf (what the meeting does aloud).
pub fn on_behalf(act: Act) -> bool {
    matches!(act, Act::Decide | Act::Ask | Act::Attend | Act::Vote)
}

/// What is always signed (by the member, or on behalf where allowed).
pub fn always_signed(act: Act) -> bool {
    matches!(
        act,
        Act::Vote | Act::Written | Act::Confirm | Act::Reopen | Act::Signoff
    )
}

/// What an event records, as an act.
pub fn act_of(e: &Event) -> Option<Act> {
    Some(match e.kind() {
        Kind::Decide | Kind::Undo | Kind::Redo => Act::Decide,
        Kind::Ask => Act::Ask,
        Kind::Round => Act::Round,
        Kind::Agenda | Kind::AgendaAt => Act::Agenda,
        Kind::Attend if e.after.as_deref() == Some("written") => Act::Written,
        Kind::Attend => Act::Attend,
        Kind::Vote => Act::Vote,
        Kind::Confirm => Act::Confirm,
        Kind::Reopen => Act::Reopen,
        Kind::Signoff => Act::Signoff,
        Kind::Inputs | Kind::Unknown => return None,
    })
}

/// Whether `recorder` (holding a key, or none) may record `act` for `member`.
pub fn may_act(
    council: &Council,
    recorder: Option<&Recorder>,
    member: &str,
    act: Act,
) -> Result<(), Refusal> {
    let m = council
        .member(member)
        .ok_or_else(|| Refusal::UnknownMember(member.into()))?;
    if !uses_keys(council) {
        return Ok(());
    }
    match recorder {
        Some(r) if r.member == member => Ok(()),
        Some(r) => {
            if !council.member(&r.member).is_some_and(Member::leads) {
                return Err(Refusal::NotOnBehalf {
                    recorder: r.member.clone(),
                    member: member.into(),
                });
            }
            if !on_behalf(act) {
                return Err(Refusal::NeverOnBehalf {
                    member: member.into(),
                    act,
                });
            }
            Ok(())
        }
        None if m.pubkey.is_some() => Err(Refusal::KeyNeeded(member.into())),
        None if always_signed(act) => Err(Refusal::SignedOnly {
            member: member.into(),
            act,
        }),
        None => Ok(()),
    }
}

/// Checks each event from `from` on (the first event recorded under these
/// rules) against council.toml's keys: a signature that is not its signer's,
/// an on-behalf record the rules do not allow, an unsigned event that must be
/// signed. `signed`: the members who signed an event of their own before
/// these (once a member has signed, every later event of theirs is signed;
/// a key added during the year leaves their earlier events as they were).
pub fn check(
    council: &Council,
    signed: &mut BTreeSet<String>,
    from: i64,
    events: &[Event],
) -> Result<(), Break> {
    check_with(council, signed, from, events, true)
}

/// [`check`] without checking the signatures themselves (who signed what,
/// what is unsigned): what a reading command checks on a whole log cheaply,
/// `log --verify` and every write checking the signatures too.
pub fn check_rules(council: &Council, from: i64, events: &[Event]) -> Result<(), Break> {
    check_with(council, &mut BTreeSet::new(), from, events, false)
}

fn check_with(
    council: &Council,
    signed: &mut BTreeSet<String>,
    from: i64,
    events: &[Event],
    signatures: bool,
) -> Result<(), Break> {
    if !uses_keys(council) {
        return Ok(());
    }
    for e in events.iter().filter(|e| e.id >= from) {
        if let Some(why) = unfit(council, signed, e, signatures) {
            return Err(Break {
                event: e.id,
                about: about(e),
                why,
            });
        }
        if signs_own(e) {
            signed.insert(e.member.clone());
        }
    }
    Ok(())
}

/// Whether a member signed this event of their own (once one has, every
/// later event of theirs is signed).
pub fn signs_own(e: &Event) -> bool {
    e.sig.is_some() && e.recorder.is_none() && !e.member.is_empty()
}

/// Why one event does not stand under the rules, if it does not.
fn unfit(council: &Council, signed: &BTreeSet<String>, e: &Event, signatures: bool) -> Option<Why> {
    let signer = e.recorder.as_deref().unwrap_or(&e.member);
    let act = act_of(e);
    match &e.sig {
        Some(sig) => {
            let Some(pubkey) = council.member(signer).and_then(|m| m.pubkey.as_deref()) else {
                return Some(Why::NoKey {
                    signer: signer.into(),
                });
            };
            if signatures && !verifies(pubkey, &e.hash, sig) {
                return Some(Why::BadSignature {
                    signer: signer.into(),
                });
            }
            if let Some(r) = &e.recorder
                && !e.member.is_empty()
            {
                let leads = council.member(r).is_some_and(Member::leads);
                if !leads || act.is_none_or(|a| !on_behalf(a)) {
                    return Some(Why::NotOnBehalf {
                        recorder: r.clone(),
                    });
                }
            }
            None
        }
        None => {
            let keyed = council
                .member(&e.member)
                .is_some_and(|m| m.pubkey.is_some());
            let must = e.recorder.is_some()
                || act.is_some_and(always_signed)
                || (keyed && signed.contains(&e.member));
            must.then_some(Why::Unsigned)
        }
    }
}

/// Checks the events that carry a signature (or name a recorder) against
/// council.toml's keys and the rules of on-behalf records: how a signed
/// folder's log is checked, where what had to be signed is the session's
/// to say.
pub fn check_signed(council: &Council, events: &[Event]) -> Result<(), Break> {
    for e in events
        .iter()
        .filter(|e| e.sig.is_some() || e.recorder.is_some())
    {
        if let Some(why) = unfit(council, &BTreeSet::new(), e, true) {
            return Err(Break {
                event: e.id,
                about: about(e),
                why,
            });
        }
    }
    Ok(())
}

/// The first event from which every event is signed (`None`: the last is
/// not, or there is none).
pub fn signed_since(events: &[Event]) -> Option<i64> {
    let mut since = None;
    for e in events {
        match (&e.sig, since) {
            (Some(_), None) => since = Some(e.id),
            (None, _) => since = None,
            _ => {}
        }
    }
    since
}

/// A write whose appended events the recorder signs.
pub(super) struct Signing<'a> {
    pub(super) tx: Box<dyn Write + 'a>,
    pub(super) recorder: std::sync::Arc<Recorder>,
}

impl Write for Signing<'_> {
    fn log(&self) -> &dyn Log {
        self
    }

    fn commit(self: Box<Self>) -> anyhow::Result<()> {
        self.tx.commit()
    }
}

impl Log for Signing<'_> {
    fn raw(&self, after: i64, limit: i64) -> anyhow::Result<Vec<Event>> {
        self.tx.log().raw(after, limit)
    }
    fn head_before(&self, id: i64) -> anyhow::Result<Option<super::chain::Head>> {
        self.tx.log().head_before(id)
    }
    fn event(&self, id: i64) -> anyhow::Result<Event> {
        self.tx.log().event(id)
    }
    fn current_of(&self, unit: &str, code: &str) -> anyhow::Result<Option<Event>> {
        self.tx.log().current_of(unit, code)
    }
    fn leaf(&self, unit: &str, code: &str) -> anyhow::Result<Vec<Event>> {
        self.tx.log().leaf(unit, code)
    }
    fn comment_before(&self, target: &Event) -> anyhow::Result<String> {
        self.tx.log().comment_before(target)
    }
    fn round(&self) -> anyhow::Result<i64> {
        self.tx.log().round()
    }
    fn append(
        &self,
        e: &mut Event,
        _seal: &dyn Fn(&mut Event) -> anyhow::Result<()>,
    ) -> anyhow::Result<()> {
        self.tx.log().append(e, &|e| self.recorder.seal(e))
    }
    fn put(&self, e: &Event) -> anyhow::Result<()> {
        self.tx.log().put(e)
    }
    fn inputs(&self) -> anyhow::Result<std::collections::HashMap<String, String>> {
        self.tx.log().inputs()
    }
    fn meta(&self, key: &str) -> anyhow::Result<Option<String>> {
        self.tx.log().meta(key)
    }
    fn set_meta(&self, key: &str, value: &str) -> anyhow::Result<()> {
        self.tx.log().set_meta(key, value)
    }
    fn see_inputs(&self, now: &[(String, String)], fingerprint: &str) -> anyhow::Result<()> {
        self.tx.log().see_inputs(now, fingerprint)
    }
    fn bind_roles(&self, council: &Council) -> anyhow::Result<()> {
        self.tx.log().bind_roles(council)
    }
}

#[cfg(test)]
mod tests {
    use base64::Engine;
    use base64::engine::general_purpose::STANDARD;
    use minisign::{KeyPair, SignatureBones, SignatureBox};

    use super::{Signer, verifies};

    fn sign(kp: &KeyPair, hash: &str) -> Vec<u8> {
        let data = std::io::Cursor::new(hash.as_bytes().to_vec());
        let signed = minisign::sign(None, &kp.sk, data, Some(""), None).unwrap();
        SignatureBones::from(signed).to_bytes()
    }

    /// What minisign itself says of a stored signature.
    fn minisign_says(pk: &minisign::PublicKey, hash: &str, sig: &[u8]) -> bool {
        let Ok(bones) = SignatureBones::from_bytes(sig) else {
            return false;
        };
        let sigbox: SignatureBox = bones.into();
        let data = std::io::Cursor::new(hash.as_bytes());
        minisign::verify(pk, &sigbox, data, true, false, false).is_ok()
    }

    #[test]
    fn a_signature_verifies_exactly_where_minisign_says_it_does() {
        let kp = KeyPair::generate_unencrypted_keypair().unwrap();
        let other = KeyPair::generate_unencrypted_keypair().unwrap();
        let pk = kp.pk.to_base64();
        let hash = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        let sig = sign(&kp, hash);
        let b64 = |s: &[u8]| STANDARD.encode(s);
        assert!(verifies(&pk, hash, &b64(&sig)));
        assert!(verifies(&pk, hash, &format!(" {}\n", b64(&sig))));
        assert!(!verifies(&pk, &hash.replace('9', "8"), &b64(&sig)));
        assert!(!verifies(&other.pk.to_base64(), hash, &b64(&sig)));
        assert!(!verifies(&pk, hash, &b64(&sign(&other, hash))));
        // Marked as a legacy signature (of the hash itself, not its
        // prehash): refused.
        let mut legacy = sig.clone();
        legacy[..2].copy_from_slice(b"Ed");
        assert!(!verifies(&pk, hash, &b64(&legacy)));
        assert!(!verifies(&pk, hash, "not base64"));
        assert!(!verifies("not a key", hash, &b64(&sig)));
        // Every single flipped bit of the stored signature: the same answer
        // as minisign's own check (which is `false`, bar none).
        for i in 0..sig.len() * 8 {
            let mut s = sig.clone();
            s[i / 8] ^= 1 << (i % 8);
            assert_eq!(
                verifies(&pk, hash, &b64(&s)),
                minisign_says(&kp.pk, hash, &s),
                "bit {i}"
            );
        }
        for s in [&sig[..73], &[&sig[..], &[0]].concat()[..]] {
            assert_eq!(verifies(&pk, hash, &b64(s)), minisign_says(&kp.pk, hash, s));
        }
    }

    #[test]
    fn an_events_signature_is_minisigns_own() {
        let kp = KeyPair::generate_unencrypted_keypair().unwrap();
        let signer = Signer::of(&kp.sk).unwrap();
        let hash = "2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae";
        let sig = signer.sign(hash);
        assert!(minisign_says(&kp.pk, hash, &sig));
        assert!(verifies(&kp.pk.to_base64(), hash, &STANDARD.encode(&sig)));
        assert!(!minisign_says(&kp.pk, "another hash", &sig));
        // A key whose public half is not its seed's is no signer.
        let mut bytes = kp.sk.to_bytes();
        bytes[100] ^= 1;
        let odd = minisign::SecretKey::from_bytes(&bytes).unwrap();
        assert!(Signer::of(&odd).is_none());
    }

    #[test]
    fn the_neutral_point_is_no_key() {
        // Against the neutral point, s = 1 and R = the base point satisfy
        // the equation for any message: the key is refused as minisign does.
        let keynum = [7u8; 8];
        let mut key = [0u8; 32];
        key[0] = 1;
        let pk = STANDARD.encode([&b"Ed"[..], &keynum, &key].concat());
        let mut base = [0x66u8; 32];
        base[0] = 0x58;
        let mut s = [0u8; 32];
        s[0] = 1;
        let sig = STANDARD.encode([&b"ED"[..], &keynum, &base, &s].concat());
        assert!(!verifies(&pk, "any hash", &sig));
        let zero = STANDARD.encode([&b"Ed"[..], &keynum, &[0u8; 32]].concat());
        assert!(!verifies(&zero, "any hash", &sig));
    }
}
