//! The screen without a terminal: sessions played as lists of actions, and what
//! they draw into a `TestBackend` (snapshots, and styles where colour means something).

mod common;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui::style::Color;
use thamdinh::Points;
use thamdinh::i18n::Lang;
use thamdinh::load::load;
use thamdinh::tui::app::{Action, App, Focus, Overlay, Request, Row, Status};
use thamdinh::tui::keymap::KeyMap;
use thamdinh::tui::theme::Theme;
use thamdinh::tui::view;

fn app_on(dir: &std::path::Path, lang: Lang) -> App {
    let c = load(dir).unwrap_or_else(|d| panic!("{d}"));
    let mut app = App::new(
        c,
        dir,
        &dir.join(".thamdinh/session.db"),
        None,
        lang,
        KeyMap::default_map(),
    )
    .unwrap();
    app.theme = Theme { color: true };
    app
}

fn type_text(app: &mut App, text: &str) {
    for c in text.chars() {
        app.update(Action::Input(KeyEvent::new(
            KeyCode::Char(c),
            KeyModifiers::NONE,
        )));
    }
}

fn select_leaf(app: &mut App, unit: &str, code: &str) {
    app.unit = app.council.unit_index(unit).unwrap();
    app.focus = Focus::Tree;
    let (l, _) = app.council.framework_of(app.unit).leaf(code).unwrap();
    app.row = Row::Leaf(l);
}

fn draw(app: &App, w: u16, h: u16) -> Terminal<TestBackend> {
    let mut t = Terminal::new(TestBackend::new(w, h)).unwrap();
    t.draw(|f| view::draw(f, app)).unwrap();
    t
}

fn screen_text(t: &Terminal<TestBackend>) -> String {
    let buf = t.backend().buffer();
    let mut out = String::new();
    for y in 0..buf.area.height {
        for x in 0..buf.area.width {
            out.push_str(buf[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

#[test]
fn lowering_points_with_a_comment_reranks_on_the_same_update() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::Vi);
    let a = app.council.unit_index("xa-a").unwrap();
    assert_eq!(app.standings.units[a].rank, 1);
    select_leaf(&mut app, "xa-a", "1.1.2");
    // 1.5 → 1.25 → 1.0 → … → 0 by stepping down in the box.
    app.update(Action::StepDown);
    assert!(matches!(&app.overlay, Some(Overlay::Decide(_))));
    for _ in 0..5 {
        app.update(Action::StepDown);
    }
    // Saving without a comment is refused inside the box; nothing is recorded.
    app.update(Action::Save);
    match &app.overlay {
        Some(Overlay::Decide(d)) => assert!(
            d.error
                .as_deref()
                .unwrap_or("")
                .contains("cần ghi nhận xét"),
            "{:?}",
            d.error
        ),
        _ => panic!("the box stays open on a refusal"),
    }
    assert!(app.state.appraisal.decisions.is_empty());
    app.update(Action::NextField);
    type_text(&mut app, "Sáng kiến chưa được công nhận");
    app.update(Action::Save);
    assert!(app.overlay.is_none(), "saved");
    assert!(
        matches!(&app.status, Some(Status::Info(s)) if s.contains("#1")),
        "{:?}",
        app.status
    );
    // 5.05 − 1.5 = 3.55 of 6 = 59.17: xa-b (72.50) now ranks first, on this very update.
    assert_eq!(app.standings.units[a].score.total, Points(355));
    assert_eq!(app.standings.units[a].rank, 2);
    assert_eq!(app.moves[a], -1);
    assert_eq!(app.moves[app.council.unit_index("xa-b").unwrap()], 1);
    let d = &app.state.appraisal.decisions[&(a, 1)];
    assert_eq!(d.comment, "Sáng kiến chưa được công nhận");
    assert_eq!(d.member, "an", "the chair records by default");
    // Undo restores the unit's points and rank.
    app.update(Action::Undo);
    assert_eq!(app.standings.units[a].rank, 1);
    assert!(app.state.appraisal.decisions.is_empty());
}

#[test]
fn typed_values_levels_and_not_applicable() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    select_leaf(&mut app, "xa-a", "1.1.1");
    app.update(Action::PickLevel);
    let Some(Overlay::Levels { choices, .. }) = &app.overlay else {
        panic!("a level list")
    };
    assert_eq!(
        choices.iter().map(|(p, _)| p.short()).collect::<Vec<_>>(),
        ["1", "0.5", "0"]
    );
    app.update(Action::Down);
    app.update(Action::Choose);
    app.update(Action::NextField);
    type_text(&mut app, "Ban hành chậm");
    app.update(Action::Save);
    let a = app.council.unit_index("xa-a").unwrap();
    assert_eq!(app.value(a, 0).points, Points(50));
    // A typed value outside the rule is refused with the rule's words.
    select_leaf(&mut app, "xa-a", "1.1.2");
    app.update(Action::TypePoints);
    type_text(&mut app, "2.5");
    app.update(Action::NextField);
    type_text(&mut app, "x");
    app.update(Action::Save);
    match &app.overlay {
        Some(Overlay::Decide(d)) => assert!(
            d.error
                .as_deref()
                .unwrap_or("")
                .contains("2.5 lies outside 0 to 2"),
            "{:?}",
            d.error
        ),
        _ => panic!("refused in the box"),
    }
    app.update(Action::Cancel);
    // Not applicable where allowed; the max drops.
    app.update(Action::ToggleNa);
    type_text(&mut app, "Không phát sinh");
    app.update(Action::Save);
    assert!(app.value(a, 1).na);
    assert_eq!(app.standings.units[a].score.max, Points(400));
    // A survey leaf cannot be decided.
    select_leaf(&mut app, "xa-a", "2.1");
    app.update(Action::StepUp);
    assert!(app.overlay.is_none());
    assert!(matches!(&app.status, Some(Status::Error(s)) if s.contains("survey")));
}

#[test]
fn a_conflicted_member_is_refused_and_another_can_be_chosen() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    app.update(Action::Member);
    app.update(Action::Down);
    app.update(Action::Choose);
    assert_eq!(app.member, "binh");
    select_leaf(&mut app, "xa-b", "1.1.1");
    app.update(Action::Accept);
    assert!(
        matches!(&app.status, Some(Status::Error(s)) if s.contains("conflicts")),
        "{:?}",
        app.status
    );
    let t = draw(&app, 250, 70);
    assert!(
        screen_text(&t).contains("⚠ Trần Thị Bình may not decide on this unit (conflict)"),
        "{}",
        screen_text(&t)
    );
    app.update(Action::Member);
    app.update(Action::Up);
    app.update(Action::Choose);
    app.update(Action::Accept);
    assert!(
        matches!(&app.status, Some(Status::Info(_))),
        "{:?}",
        app.status
    );
}

#[test]
fn next_look_walks_undecided_leaves_and_skips_surveys() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    app.focus = Focus::Ranking;
    app.unit = app.council.unit_index("xa-a").unwrap();
    app.row = Row::Field(0);
    let mut seen = Vec::new();
    for _ in 0..4 {
        app.update(Action::NextLook);
        let Row::Leaf(l) = app.row else { panic!() };
        seen.push((
            app.council.units[app.unit].id.clone(),
            app.council.framework_of(app.unit).leaves[l].code.clone(),
        ));
        app.update(Action::Accept);
    }
    let codes: Vec<&str> = seen.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(codes, ["1.1.1", "1.1.2", "1.2", "1.3"]);
    app.update(Action::NextLook);
    assert_eq!(
        app.council.units[app.unit].id, "xa-b",
        "continues into the next unit; 2.1 is a survey leaf"
    );
}

#[test]
fn sign_off_asks_first_and_lists_what_is_flagged() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    app.update(Action::SignOff);
    let Some(Overlay::ConfirmSignoff { flagged }) = &app.overlay else {
        panic!("a confirmation")
    };
    assert_eq!(flagged[0], "not submitted: Xã C", "{flagged:?}");
    assert!(
        flagged
            .iter()
            .any(|f| f.contains("Xã B: 1 leaves without evidence")),
        "{flagged:?}"
    );
    app.update(Action::No);
    assert!(app.request.is_none() && app.overlay.is_none());
    app.update(Action::SignOff);
    app.update(Action::Yes);
    assert_eq!(app.request, Some(Request::SignOff));
}

#[test]
fn the_screen_at_80x24_and_160x45() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::Vi);
    select_leaf(&mut app, "xa-a", "1.2");
    insta::assert_snapshot!("main_80x24", screen_text(&draw(&app, 80, 24)));
    insta::assert_snapshot!("main_160x45", screen_text(&draw(&app, 160, 45)));
}

#[test]
fn the_help_overlay_lists_the_key_map() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    app.update(Action::Help);
    let text = screen_text(&draw(&app, 100, 45));
    insta::assert_snapshot!("help_100x45", text);
    // Generated from the map: a rebound key shows up in the help.
    let p = dir.path().join("keys.toml");
    std::fs::write(&p, "[main]\nundo = [\"z\"]\n").unwrap();
    app.keymap = KeyMap::load(Some(&p)).unwrap();
    let text = screen_text(&draw(&app, 100, 45));
    assert!(
        text.lines()
            .any(|l| l.contains("z ") && l.contains("undo my last decision")),
        "{text}"
    );
}

#[test]
fn a_refusal_is_shown_in_the_decision_box() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::Vi);
    select_leaf(&mut app, "xa-a", "1.1.1");
    app.update(Action::StepDown);
    app.update(Action::Save);
    insta::assert_snapshot!("refusal_100x30", screen_text(&draw(&app, 100, 30)));
}

#[test]
fn lowered_points_are_red_and_marked_with_a_symbol() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    select_leaf(&mut app, "xa-a", "1.1.2");
    app.update(Action::StepDown);
    app.update(Action::NextField);
    type_text(&mut app, "lower");
    app.update(Action::Save);
    app.update(Action::Down); // move the selection away so that the row is not reversed
    for color in [true, false] {
        app.theme = Theme { color };
        let t = draw(&app, 160, 45);
        let buf = t.backend().buffer();
        let text = screen_text(&t);
        let (y, line) = text
            .lines()
            .enumerate()
            .find(|(_, l)| l.contains("1.1.2 Sáng kiến"))
            .expect("the leaf row");
        // The appraised figure 1.25 sits after the self figure 1.5 on that row.
        let self_at = line.find(" 1.5 ").expect("self points") + 4;
        let col = line[self_at..]
            .find("1.25")
            .map(|i| line[..self_at + i].chars().count())
            .expect("appraised points");
        let cell = &buf[(col as u16, y as u16)];
        if color {
            assert_eq!(cell.fg, Color::Red, "lowered points are red");
        } else {
            assert_eq!(cell.fg, Color::Reset, "NO_COLOR: no colour");
        }
        assert!(
            line.contains('≠') && line.contains('✓'),
            "symbols say it without colour: {line}"
        );
    }
}

#[test]
fn every_size_from_tiny_to_huge_draws_without_panicking() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::Vi);
    select_leaf(&mut app, "xa-a", "1.1.1");
    for (w, h) in [(1, 1), (10, 5), (40, 12), (80, 24), (133, 41), (250, 70)] {
        draw(&app, w, h);
        app.update(Action::Help);
        draw(&app, w, h);
        app.update(Action::Close);
        app.update(Action::StepDown);
        draw(&app, w, h);
        app.update(Action::Cancel);
    }
}

#[test]
fn after_sign_off_the_header_says_locked_and_who_signed_and_decisions_are_refused() {
    let dir = common::mini_copy();
    let council = dir.path().join("council.toml");
    let keys = tempfile::tempdir().unwrap();
    let pk = thamdinh::keys::generate("an", &keys.path().join("an.key"), None).unwrap();
    let text = std::fs::read_to_string(&council).unwrap().replacen(
        "id = \"an\"\n",
        &format!("id = \"an\"\npubkey = \"{pk}\"\n"),
        1,
    );
    std::fs::write(&council, text).unwrap();
    let mut app = app_on(dir.path(), Lang::Vi);
    let sk = thamdinh::keys::open_secret(&keys.path().join("an.key"), None).unwrap();
    app.sign_off(&sk);
    assert!(
        matches!(&app.status, Some(Status::Info(s)) if s.contains("đã ký duyệt")),
        "{:?}",
        app.status
    );
    let text = screen_text(&draw(&app, 120, 30));
    assert!(
        text.lines().next().unwrap().contains("ĐÃ KÝ DUYỆT (an)"),
        "{text}"
    );
    select_leaf(&mut app, "xa-a", "1.1.1");
    app.update(Action::StepDown);
    assert!(app.overlay.is_none());
    assert!(
        matches!(&app.status, Some(Status::Error(s)) if s.contains("khoá")),
        "{:?}",
        app.status
    );
    app.update(Action::SignOff);
    assert!(app.overlay.is_none(), "no second sign-off from the screen");
}

/// The README's key table is the default key map, in English.
fn key_table() -> String {
    use thamdinh::tui::keymap::Mode;
    let map = KeyMap::default_map();
    let mut out = String::new();
    for (mode, title) in [
        (Mode::Main, "Main screen"),
        (Mode::Dialog, "Decision box"),
        (Mode::List, "Pick lists"),
        (Mode::Confirm, "Confirmation"),
    ] {
        out += &format!("\n**{title}**\n\n| keys | action |\n|---|---|\n");
        for (keys, what) in map.describe(mode, Lang::En) {
            out += &format!("| `{}` | {what} |\n", keys.replace('|', "\\|"));
        }
    }
    out
}

#[test]
fn the_readme_lists_the_default_keys() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let table = key_table();
    assert!(
        readme.contains(&table),
        "README.md should contain this key table (from the key map):\n{table}"
    );
}

#[test]
fn search_finds_units_and_criteria_with_or_without_diacritics() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    use thamdinh::tui::app::Hit;
    let b = app.council.unit_index("xa-b").unwrap();
    assert_eq!(app.search_hits("xa b"), vec![Hit::Unit(b)]);
    assert_eq!(app.search_hits("Xã B"), vec![Hit::Unit(b)]);
    assert_eq!(app.search_hits("1.1"), vec![Hit::Leaf(0), Hit::Leaf(1)]);
    assert_eq!(
        app.search_hits("sang kien"),
        vec![Hit::Leaf(1)],
        "Sáng kiến without diacritics"
    );
    assert!(app.search_hits("không có").is_empty());
    // Typed into the box, Enter goes there.
    app.update(Action::Search);
    for c in "xa b".chars() {
        app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    app.key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert!(app.overlay.is_none());
    assert_eq!(app.unit, b);
}

#[test]
fn across_units_one_leaf_is_decided_down_the_column() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    select_leaf(&mut app, "xa-a", "1.1.1");
    app.update(Action::Across);
    let text = screen_text(&draw(&app, 160, 45));
    assert!(
        text.contains("1.1.1 Ban hành kế hoạch — every unit"),
        "{text}"
    );
    app.update(Action::Accept);
    app.update(Action::Down);
    assert_eq!(
        app.council.units[app.unit].id, "xa-b",
        "down the column, same leaf"
    );
    assert_eq!(app.row, Row::Leaf(0));
    app.update(Action::Accept);
    let (a, b) = (
        app.council.unit_index("xa-a").unwrap(),
        app.council.unit_index("xa-b").unwrap(),
    );
    assert!(
        app.state.appraisal.decisions.contains_key(&(a, 0))
            && app.state.appraisal.decisions.contains_key(&(b, 0))
    );
    app.update(Action::Overview);
    let text = screen_text(&draw(&app, 120, 40));
    assert!(
        text.contains("Component index by field") && text.contains("LV1") && text.contains("LV2"),
        "{text}"
    );
    assert!(text.contains("axis from"), "{text}");
}

#[test]
fn a_group_without_units_is_shown_without_trouble() {
    let dir = common::mini_copy();
    let council = dir.path().join("council.toml");
    let text = std::fs::read_to_string(&council).unwrap();
    let text = text.replace(
        "[[unit]]",
        "[[group]]\nid = \"phuong\"\nname = \"Phường\"\nframework = \"fw\"\n\n[[unit]]",
    );
    let text = text.replacen(
        "[[group]]\nid = \"phuong\"\nname = \"Phường\"\nframework = \"fw\"\n\n",
        "",
        2,
    );
    std::fs::write(&council, text).unwrap();
    let mut app = app_on(dir.path(), Lang::Vi);
    assert_eq!(app.council.groups.len(), 2, "one group has no units");
    app.update(Action::NextGroup);
    for a in [
        Action::NextLook,
        Action::PrevLook,
        Action::Down,
        Action::Up,
        Action::Across,
        Action::Overview,
        Action::FocusNext,
        Action::Down,
    ] {
        app.update(a);
        draw(&app, 100, 30);
    }
    app.update(Action::NextGroup);
    assert_eq!(app.group, 0);
}

#[test]
fn corrected_figures_of_a_ratio_leaf_are_typed_as_a_fraction() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    select_leaf(&mut app, "xa-a", "1.2");
    app.update(Action::TypePoints);
    type_text(&mut app, "85/100");
    app.update(Action::NextField);
    type_text(&mut app, "Hệ thống ghi 85 hồ sơ đúng hạn");
    app.update(Action::Save);
    assert!(app.overlay.is_none(), "saved");
    let a = app.council.unit_index("xa-a").unwrap();
    assert_eq!(
        app.value(a, 2).points,
        Points(100),
        "85% reaches the 80% band: 1 point"
    );
    assert_eq!(
        app.state.appraisal.decisions[&(a, 2)].value,
        thamdinh::appraisal::Decided::Ratio(85, 100)
    );
    // Nonsense figures are refused in the box.
    app.update(Action::TypePoints);
    type_text(&mut app, "85/");
    app.update(Action::NextField);
    assert!(
        matches!(&app.overlay, Some(Overlay::Decide(d)) if d.error.as_deref().is_some_and(|e| e.contains("two whole numbers")))
    );
}

#[test]
fn random_key_sequences_never_panic() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::Vi);
    let mut seed: u64 = 0x5eed_1234_abcd_0001;
    let mut next = |n: usize| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        (seed % n as u64) as usize
    };
    let mut keys: Vec<KeyEvent> = "qjkpnax+-elcumgGvO/?LPS yÝđ0.5/"
        .chars()
        .filter(|&c| c != 'q')
        .map(|c| KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE))
        .collect();
    for code in [
        KeyCode::Enter,
        KeyCode::Esc,
        KeyCode::Tab,
        KeyCode::BackTab,
        KeyCode::Up,
        KeyCode::Down,
        KeyCode::PageUp,
        KeyCode::PageDown,
        KeyCode::Home,
        KeyCode::End,
        KeyCode::Backspace,
    ] {
        keys.push(KeyEvent::new(code, KeyModifiers::NONE));
    }
    keys.push(KeyEvent::new(KeyCode::Char('s'), KeyModifiers::CONTROL));
    keys.push(KeyEvent::new(KeyCode::Char('n'), KeyModifiers::CONTROL));
    keys.push(KeyEvent::new(KeyCode::Char('r'), KeyModifiers::CONTROL));
    let sizes = [(80, 24), (20, 8), (160, 45), (250, 70), (3, 2)];
    for i in 0..3000 {
        let k = keys[next(keys.len())];
        app.key(k);
        if app.quit {
            app.quit = false;
        }
        // Requests (sign-off, opening a file) are the loop's; drop them here.
        app.request = None;
        if i % 7 == 0 {
            let (w, h) = sizes[next(sizes.len())];
            draw(&app, w, h);
        }
    }
    // Whatever was decided on the way is in the session and adds up.
    let events = app.events.len();
    assert_eq!(app.state.appraisal.standings(&app.council).units.len(), 3);
    eprintln!("{events} events recorded by random keys");
}
