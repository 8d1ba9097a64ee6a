//! The council meeting: the approval's arithmetic, votes made stale, sign-off
//! refused without approval, the agenda, and two-person confirmation.

use crate::common;

use std::path::Path;

use thamdinh::appraisal::{Change, Refusal};
use thamdinh::load::load;
use thamdinh::model::Council;
use thamdinh::session::meeting::{Approval, Item};
use thamdinh::session::{DecideError, Session, State};
use thamdinh::{Points, signoff};

/// The mini council with five members (`common::meeting_council`).
fn council(top: &str) -> tempfile::TempDir {
    common::meeting_council(top)
}

fn session(dir: &Path) -> Session {
    Session::open(&dir.join(".thamdinh/session.db"), true).unwrap()
}

fn state(c: &Council, dir: &Path) -> State {
    session(dir).replay(c).unwrap()
}

fn approval(c: &Council, dir: &Path) -> Approval {
    Approval::of(c, &state(c, dir))
}

fn refusal(r: Result<thamdinh::session::Event, DecideError>) -> Refusal {
    match r {
        Err(DecideError::Refused(r)) => r,
        other => panic!("not refused: {other:?}"),
    }
}

fn decide(c: &Council, dir: &Path, member: &str, unit: &str, code: &str, points: &str) {
    let mut s = session(dir);
    common::act_as(&mut s, dir, member);
    s.decide(
        c,
        member,
        unit,
        code,
        &Change::Points(Points::parse(points).unwrap()),
        "Hội đồng thống nhất",
    )
    .unwrap();
}

#[test]
fn more_than_half_of_all_voting_members_approve_and_a_later_decision_makes_votes_stale() {
    let dir = council("");
    let c = load(dir.path()).unwrap();
    let mut s = session(dir.path());
    // Four voting members: exactly half is not enough.
    s.vote(&c, "an", true, "").unwrap();
    s.vote(&c, "binh", true, "").unwrap();
    let a = approval(&c, dir.path());
    assert_eq!((a.members.len(), a.approve, a.needed), (4, 2, 3));
    assert!(!a.approved);
    // An objection does not count for; a written approval of an absent member does.
    s.vote(&c, "dung", false, "Chưa đồng ý 1.1.1").unwrap();
    assert!(!approval(&c, dir.path()).approved);
    s.attend(&c, "chi", false, Some("Công văn số 7/CV"))
        .unwrap();
    let a = approval(&c, dir.path());
    assert_eq!((a.approve, a.object), (3, 1));
    assert!(a.approved);
    // The assisting team does not vote; an absent member cannot vote.
    assert!(matches!(
        refusal(s.vote(&c, "em", true, "")),
        Refusal::NotVoting(m) if m == "em"
    ));
    assert!(matches!(
        refusal(s.attend(&c, "em", false, Some("Văn bản"))),
        Refusal::NotVoting(_)
    ));
    s.attend(&c, "dung", false, None).unwrap();
    assert!(matches!(
        refusal(s.vote(&c, "dung", true, "")),
        Refusal::VoterAbsent(_)
    ));
    assert!(matches!(
        refusal(s.attend(&c, "chi", false, Some("  "))),
        Refusal::WrittenNeedsReference
    ));
    // A decision after the vote makes every earlier vote stale, the written one too.
    decide(&c, dir.path(), "an", "xa-a", "1.1.1", "0.5");
    let a = approval(&c, dir.path());
    assert_eq!((a.approve, a.stale), (0, 4));
    assert!(!a.approved);
    assert!(a.members.iter().all(|m| m.stale));
    // Voting again approves the result as it now stands.
    for m in ["an", "binh", "chi"] {
        s.vote(&c, m, true, "").unwrap();
    }
    let a = approval(&c, dir.path());
    assert_eq!((a.approve, a.stale), (3, 1));
    assert!(a.approved);
}

#[test]
fn the_threshold_comes_from_council_toml_and_a_bad_one_is_refused_at_its_place() {
    let dir = council("approval = 0.75\n");
    let c = load(dir.path()).unwrap();
    let mut s = session(dir.path());
    for m in ["an", "binh", "chi"] {
        s.vote(&c, m, true, "").unwrap();
    }
    let a = approval(&c, dir.path());
    assert_eq!((a.approve, a.needed, a.share.as_str()), (3, 4, "0.75"));
    assert!(!a.approved, "3 of 4 is not more than three quarters");
    s.vote(&c, "dung", true, "").unwrap();
    assert!(approval(&c, dir.path()).approved);
    for bad in ["1.5", "0", "1", "0.1234567"] {
        let dir = council(&format!("approval = {bad}\n"));
        let d = load(dir.path()).expect_err("a bad threshold loads");
        let said = d.to_string();
        assert!(
            said.contains("council.toml:4:12") && said.contains("strictly between 0 and 1"),
            "{bad}: {said}"
        );
    }
}

#[test]
fn sign_off_needs_an_approved_result_unchanged_since() {
    let f = common::signing::Fixture::new();
    let c = load(f.path()).unwrap();
    let sign = |f: &common::signing::Fixture| match f.signoff_as_it_stands("an") {
        Err(DecideError::Refused(r)) => r,
        other => panic!("signed: {other:?}"),
    };
    assert!(matches!(sign(&f), Refusal::NotApproved { approve: 0, .. }));
    let mut s = f.session();
    s.vote(&c, "an", true, "").unwrap();
    common::act_as(&mut s, f.path(), "binh");
    s.vote(&c, "binh", true, "").unwrap();
    decide(&c, f.path(), "binh", "xa-a", "1.1.1", "0.5");
    assert!(matches!(
        sign(&f),
        Refusal::NotApproved {
            approve: 0,
            voting: 2,
            needed: 2,
            ..
        }
    ));
    assert!(!f.path().join("signed").exists());
    common::act_as(&mut s, f.path(), "an");
    s.vote(&c, "an", true, "").unwrap();
    common::act_as(&mut s, f.path(), "binh");
    s.vote(&c, "binh", true, "Đồng ý").unwrap();
    let signed = f.signoff_as_it_stands("an").unwrap();
    let csv = std::fs::read_to_string(signed.join("approval.csv")).unwrap();
    assert!(
        csv.contains("binh,Trần Thị Bình,,,approve,Đồng ý,"),
        "{csv}"
    );
    assert!(csv.ends_with("approved\n"), "{csv}");
    // approval.csv is re-derived from the log by verify: an edit is caught.
    let v = signoff::verify(&signed, &[], Some(f.path())).unwrap();
    assert!(v.problems.is_empty(), "{:?}", v.problems);
    std::fs::write(
        signed.join("approval.csv"),
        csv.replace("approve,Đồng ý", "object,Đồng ý"),
    )
    .unwrap();
    common::signing::rewrite_manifest(&signed);
    let sk = thamdinh::keys::load_secret(&f.key("an")).unwrap();
    let manifest = std::fs::read(signed.join("MANIFEST")).unwrap();
    std::fs::write(
        signed.join("MANIFEST.an.minisig"),
        common::signing::minisign_with(&sk, &manifest, "council: x | member: an"),
    )
    .unwrap();
    let v = signoff::verify(&signed, &[], Some(f.path())).unwrap();
    assert!(
        v.problems
            .iter()
            .any(|p| p.en.contains("approval.csv") && p.en.contains("not what")),
        "{:?}",
        v.problems
    );
}

#[test]
fn the_agenda_is_led_by_the_chair_or_the_secretary_and_moves_on() {
    let dir = council("");
    let c = load(dir.path()).unwrap();
    let mut s = session(dir.path());
    let text = "# thứ tự thảo luận\nxa-b\nxa-a 1.1.1\n\nxa-c # cuối\n";
    let items = thamdinh::session::meeting::read_agenda(&c, text).unwrap();
    assert_eq!(
        items,
        vec![
            Item {
                unit: "xa-b".into(),
                code: None
            },
            Item {
                unit: "xa-a".into(),
                code: Some("1.1.1".into())
            },
            Item {
                unit: "xa-c".into(),
                code: None
            },
        ]
    );
    let bad = thamdinh::session::meeting::read_agenda(&c, "xa-a\nxa-z\nxa-a 9.9\n").unwrap_err();
    assert_eq!(bad.iter().map(|(n, _)| *n).collect::<Vec<_>>(), [2, 3]);
    assert!(matches!(
        refusal(s.set_agenda(&c, "binh", &items)),
        Refusal::AgendaNotAllowed(_)
    ));
    s.set_agenda(&c, "chi", &items).unwrap();
    let m = state(&c, dir.path()).meeting;
    assert_eq!(m.now, 0);
    s.agenda_next(&c, "an").unwrap();
    s.agenda_next(&c, "chi").unwrap();
    assert_eq!(state(&c, dir.path()).meeting.now, 2);
    assert!(matches!(
        refusal(s.agenda_next(&c, "an")),
        Refusal::NoAgendaItem(4, 3)
    ));
    assert!(matches!(
        refusal(s.agenda_next(&c, "dung")),
        Refusal::AgendaNotAllowed(_)
    ));
    // A new order keeps the item under discussion current.
    let reordered = vec![items[2].clone(), items[0].clone()];
    s.set_agenda(&c, "an", &reordered).unwrap();
    let m = state(&c, dir.path()).meeting;
    assert_eq!((m.now, m.agenda.len()), (0, 2));
    assert_eq!(m.agenda[m.now].unit, "xa-c");
    // Back to any item, the first included; the log names the item by its number.
    s.agenda_at(&c, "chi", 1).unwrap();
    let e = s.agenda_at(&c, "chi", 0).unwrap();
    assert_eq!((e.after.as_deref(), e.target), (Some("1"), None));
    assert_eq!(state(&c, dir.path()).meeting.now, 0);
}

#[test]
fn assigned_fields_restrict_before_the_meeting_only() {
    let dir = common::mini_copy();
    let path = dir.path().join("council.toml");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "conflicts = [\"xa-b\"]\n",
        "conflicts = [\"xa-b\"]\nfields = [\"2\"]\n",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let c = load(dir.path()).unwrap();
    let mut s = session(dir.path());
    let change = Change::Points(Points::parse("0.5").unwrap());
    let r = s.decide(&c, "binh", "xa-a", "1.1.1", &change, "Chậm");
    assert!(matches!(refusal(r), Refusal::OutsideFields { .. }));
    // The meeting opens with the attendance: the whole council decides any leaf.
    s.attend(&c, "an", true, None).unwrap();
    s.decide(&c, "binh", "xa-a", "1.1.1", &change, "Chậm")
        .unwrap();
    // A conflict still holds.
    let r = s.decide(&c, "binh", "xa-b", "1.1.1", &change, "Chậm");
    assert!(matches!(refusal(r), Refusal::Conflict { .. }));
}

#[test]
fn with_confirmation_a_decision_counts_once_another_member_confirms_it() {
    let dir = council("confirm = true\n");
    let c = load(dir.path()).unwrap();
    let mut s = session(dir.path());
    let before = state(&c, dir.path()).appraisal.standings(&c);
    let index = |st: &State| {
        st.appraisal.standings(&c).units[c.unit_index("xa-a").unwrap()]
            .score
            .index_text()
    };
    let before_index = before.units[c.unit_index("xa-a").unwrap()]
        .score
        .index_text();
    decide(&c, dir.path(), "an", "xa-a", "1.1.1", "0.5");
    let st = state(&c, dir.path());
    assert_eq!(st.meeting.pending.len(), 1);
    assert_eq!(index(&st), before_index, "a pending value moves nothing");
    assert!(st.appraisal.decisions.is_empty());
    // Its author cannot confirm it; a member in conflict with the unit neither.
    assert!(matches!(
        refusal(s.confirm(&c, "an", "xa-a", "1.1.1")),
        Refusal::SelfConfirm(_)
    ));
    decide(&c, dir.path(), "an", "xa-b", "1.1.1", "0.5");
    assert!(matches!(
        refusal(s.confirm(&c, "binh", "xa-b", "1.1.1")),
        Refusal::Conflict { .. }
    ));
    assert!(matches!(
        refusal(s.confirm(&c, "binh", "xa-a", "1.2")),
        Refusal::NothingPending { .. }
    ));
    // Sign-off waits for them.
    for m in ["an", "binh", "chi", "dung"] {
        s.vote(&c, m, true, "").unwrap();
    }
    let st = state(&c, dir.path());
    assert!(matches!(
        thamdinh::session::may_sign(&c, &st),
        Err(Refusal::PendingLeft(2))
    ));
    // Confirmed by another member, it counts and records both names.
    let e = s.confirm(&c, "binh", "xa-a", "1.1.1").unwrap();
    assert_eq!(e.kind, "confirm");
    let st = state(&c, dir.path());
    assert_ne!(index(&st), before_index);
    let d = &st.appraisal.decisions[&(c.unit_index("xa-a").unwrap(), 0)];
    assert_eq!(
        (d.member.as_str(), d.confirmed_by.as_deref()),
        ("an", Some("binh"))
    );
    // The confirmation changed the result: the votes are stale.
    assert!(!Approval::of(&c, &st).approved);
    // The author withdraws the other one with undo; nothing is pending.
    s.undo(&c, "an").unwrap();
    let st = state(&c, dir.path());
    assert!(st.meeting.pending.is_empty(), "{:?}", st.meeting.pending);
    assert!(thamdinh::session::may_sign(&c, &st).is_err(), "still stale");
    for m in ["an", "binh", "chi"] {
        s.vote(&c, m, true, "").unwrap();
    }
    assert!(thamdinh::session::may_sign(&c, &state(&c, dir.path())).is_ok());
}

#[test]
fn taking_the_current_item_off_moves_the_meeting_on_never_back() {
    let dir = council("");
    let c = load(dir.path()).unwrap();
    let mut s = session(dir.path());
    let items = thamdinh::session::meeting::read_agenda(&c, "xa-a\nxa-b\nxa-c\n").unwrap();
    s.set_agenda(&c, "an", &items).unwrap();
    s.agenda_at(&c, "an", 1).unwrap();
    // The item discussed (xa-b) taken off: the next one (xa-c) is current.
    s.set_agenda(&c, "an", &[items[0].clone(), items[2].clone()])
        .unwrap();
    let m = state(&c, dir.path()).meeting;
    assert_eq!(m.agenda[m.now].unit, "xa-c");
    // The last item taken off while discussed: the agenda is finished, and
    // `>` does not send the meeting back.
    s.set_agenda(&c, "an", &[items[0].clone()]).unwrap();
    let m = state(&c, dir.path()).meeting;
    assert!(m.finished(), "{m:?}");
    assert!(matches!(
        refusal(s.agenda_next(&c, "an")),
        Refusal::NoAgendaItem(2, 1)
    ));
    assert!(state(&c, dir.path()).meeting.finished());
}
