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
use thamdinh::tui::app::{Action, App, Confirming, DecisionBox, Focus, Layer, Row, Status};
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
    app.main.theme = Theme { color: true };
    app
}

/// The decision box, when it is the top layer.
fn decision_box(app: &App) -> Option<&DecisionBox> {
    match app.top() {
        Some(Layer::Decide(d)) => Some(d),
        _ => None,
    }
}

/// The error shown in the decision box.
fn box_error(app: &App) -> String {
    decision_box(app)
        .and_then(|d| d.error.clone())
        .unwrap_or_else(|| panic!("a decision box with an error"))
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
    app.main.unit = app.main.council.unit_index(unit).unwrap();
    app.main.focus = Focus::Tree;
    let (l, _) = app
        .main
        .council
        .framework_of(app.main.unit)
        .leaf(code)
        .unwrap();
    app.main.row = Row::Leaf(l);
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
    let a = app.main.council.unit_index("xa-a").unwrap();
    assert_eq!(app.main.standings.units[a].rank, 1);
    select_leaf(&mut app, "xa-a", "1.1.2");
    // 1.5 → 1.25 → 1.0 → … → 0 by stepping down in the box.
    app.update(Action::StepDown);
    assert!(decision_box(&app).is_some());
    for _ in 0..5 {
        app.update(Action::StepDown);
    }
    // Saving without a reason is refused inside the box; nothing is recorded.
    app.update(Action::Save);
    assert!(
        box_error(&app).contains("cần ghi lý do"),
        "{}",
        box_error(&app)
    );
    assert!(app.main.link.appraisal().decisions.is_empty());
    // The reason editor has the keys already.
    type_text(&mut app, "Sáng kiến chưa được công nhận");
    app.update(Action::Save);
    assert!(app.layers.is_empty(), "saved");
    assert!(
        matches!(&app.main.status, Some(Status::Info(s)) if s.contains("#1")),
        "{:?}",
        app.main.status
    );
    // 5.05 − 1.5 = 3.55 of 6 = 59.17: xa-b (72.50) now ranks first, on this very update.
    assert_eq!(app.main.standings.units[a].score.total, Points(355));
    assert_eq!(app.main.standings.units[a].rank, 2);
    assert_eq!(app.main.moves[a], -1);
    assert_eq!(
        app.main.moves[app.main.council.unit_index("xa-b").unwrap()],
        1
    );
    let d = &app.main.link.appraisal().decisions[&(a, 1)];
    assert_eq!(d.comment, "Sáng kiến chưa được công nhận");
    assert_eq!(d.member, "an", "the chair records by default");
    // Undo restores the unit's points and rank.
    app.update(Action::Undo);
    assert_eq!(app.main.standings.units[a].rank, 1);
    assert!(app.main.link.appraisal().decisions.is_empty());
}

#[test]
fn typed_values_levels_and_not_applicable() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    select_leaf(&mut app, "xa-a", "1.1.1");
    app.update(Action::PickLevel);
    let Some(Layer::Levels(levels)) = app.top() else {
        panic!("a level list")
    };
    assert_eq!(
        levels
            .choices
            .iter()
            .map(|(p, _)| p.short())
            .collect::<Vec<_>>(),
        ["1", "0.5", "0"]
    );
    app.update(Action::Down);
    app.update(Action::Choose);
    type_text(&mut app, "Ban hành chậm");
    app.update(Action::Save);
    let a = app.main.council.unit_index("xa-a").unwrap();
    assert_eq!(app.main.value(a, 0).points, Points(50));
    // A typed value outside the rule is refused with the rule's words.
    select_leaf(&mut app, "xa-a", "1.1.2");
    app.update(Action::TypePoints);
    type_text(&mut app, "2.5");
    app.update(Action::NextField);
    type_text(&mut app, "x");
    app.update(Action::Save);
    assert!(
        box_error(&app).contains("2.5 lies outside 0 to 2"),
        "{}",
        box_error(&app)
    );
    app.update(Action::Cancel);
    // Not applicable where allowed; the max drops.
    app.update(Action::ToggleNa);
    type_text(&mut app, "Không phát sinh");
    app.update(Action::Save);
    assert!(app.main.value(a, 1).na);
    assert_eq!(app.main.standings.units[a].score.max, Points(400));
    // A survey leaf cannot be decided.
    select_leaf(&mut app, "xa-a", "2.1");
    app.update(Action::StepUp);
    assert!(
        app.layers.is_empty(),
        "no box for a decision bound to be refused"
    );
    assert!(matches!(&app.main.status, Some(Status::Error(s)) if s.contains("survey")));
}

#[test]
fn a_conflicted_member_is_refused_and_another_can_be_chosen() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    app.update(Action::Member);
    app.update(Action::Down);
    app.update(Action::Choose);
    assert_eq!(app.main.member, "binh");
    select_leaf(&mut app, "xa-b", "1.1.1");
    app.update(Action::Accept);
    assert!(
        matches!(&app.main.status, Some(Status::Error(s)) if s.contains("conflicts")),
        "{:?}",
        app.main.status
    );
    let t = draw(&app, 250, 70);
    assert!(
        screen_text(&t)
            .contains("⚠ Trần Thị Bình may not decide on this unit (conflict of interest)"),
        "{}",
        screen_text(&t)
    );
    app.update(Action::Member);
    app.update(Action::Up);
    app.update(Action::Choose);
    app.update(Action::Accept);
    assert!(
        matches!(&app.main.status, Some(Status::Info(_))),
        "{:?}",
        app.main.status
    );
}

#[test]
fn next_look_walks_undecided_leaves_and_skips_surveys() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    app.main.focus = Focus::Ranking;
    app.main.unit = app.main.council.unit_index("xa-a").unwrap();
    app.main.row = Row::Field(0);
    let mut seen = Vec::new();
    // `n` finds the first leaf; `a` accepts it and moves on by itself.
    app.update(Action::NextLook);
    for _ in 0..4 {
        let Row::Leaf(l) = app.main.row else { panic!() };
        seen.push((
            app.main.council.units[app.main.unit].id.clone(),
            app.main.council.framework_of(app.main.unit).leaves[l]
                .code
                .clone(),
        ));
        app.update(Action::Accept);
    }
    let codes: Vec<&str> = seen.iter().map(|(_, c)| c.as_str()).collect();
    assert_eq!(codes, ["1.1.1", "1.1.2", "1.2", "1.3"]);
    assert!(
        matches!(&app.main.status, Some(Status::Info(s)) if s.contains("#4 recorded")),
        "{:?}",
        app.main.status
    );
    assert_eq!(
        app.main.council.units[app.main.unit].id, "xa-b",
        "continues into the next unit; 2.1 is a survey leaf"
    );
}

#[test]
fn sign_off_asks_first_and_lists_what_is_flagged() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    app.update(Action::SignOff);
    let Some(Layer::Confirm(c)) = app.top() else {
        panic!("a confirmation")
    };
    let Confirming::SignOff { flagged } = &c.what else {
        panic!("the sign-off's")
    };
    assert_eq!(flagged[0], "not submitted: Xã C", "{flagged:?}");
    assert!(
        flagged
            .iter()
            .any(|f| f.contains("Xã B: 2 flagged leaves not yet decided")),
        "{flagged:?}"
    );
    app.update(Action::No);
    assert!(app.layers.is_empty());
    assert!(matches!(&app.main.status, Some(Status::Info(s)) if s == "not signed off"));
    // Yes goes on to the key: here a missing one, said in the status line.
    let missing = dir.path().join("nobody.key");
    app.main.key = Some(missing.clone());
    app.update(Action::SignOff);
    app.update(Action::Yes);
    assert!(app.layers.is_empty());
    assert!(
        matches!(&app.main.status, Some(Status::Error(s)) if s.contains("nobody.key")),
        "{:?}",
        app.main.status
    );
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
    type_text(&mut app, "lower");
    app.update(Action::Save);
    app.update(Action::Down); // move the selection away so that the row is not reversed
    for color in [true, false] {
        app.main.theme = Theme { color };
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
    app.main.sign_off(&sk);
    assert!(
        matches!(&app.main.status, Some(Status::Info(s)) if s.contains("đã ký duyệt")),
        "{:?}",
        app.main.status
    );
    let text = screen_text(&draw(&app, 120, 30));
    assert!(
        text.lines()
            .next()
            .unwrap()
            .contains("ĐÃ KÝ DUYỆT (Nguyễn Văn An)"),
        "{text}"
    );
    select_leaf(&mut app, "xa-a", "1.1.1");
    app.update(Action::StepDown);
    assert!(app.layers.is_empty());
    assert!(
        matches!(&app.main.status, Some(Status::Error(s)) if s.contains("khoá")),
        "{:?}",
        app.main.status
    );
    app.update(Action::SignOff);
    assert!(app.layers.is_empty(), "no second sign-off from the screen");
}

/// The README's key table is the default key map, in English.
fn key_table() -> String {
    use thamdinh::tui::keymap::Mode;
    let map = KeyMap::default_map();
    let mut out = String::new();
    for (mode, title) in [
        (Mode::Main, "Main screen"),
        (Mode::Points, "Decision box: the points"),
        (
            Mode::Reason,
            "Decision box: the reason (every other key is text)",
        ),
        (Mode::List, "Pick lists"),
        (Mode::Search, "Search"),
        (Mode::Prompt, "Password prompt"),
        (Mode::Help, "Help"),
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
    let b = app.main.council.unit_index("xa-b").unwrap();
    assert_eq!(app.main.search_hits("xa b"), vec![Hit::Unit(b)]);
    assert_eq!(app.main.search_hits("Xã B"), vec![Hit::Unit(b)]);
    assert_eq!(
        app.main.search_hits("1.1"),
        vec![Hit::Leaf(0), Hit::Leaf(1)]
    );
    assert_eq!(
        app.main.search_hits("sang kien"),
        vec![Hit::Leaf(1)],
        "Sáng kiến without diacritics"
    );
    assert!(app.main.search_hits("không có").is_empty());
    // Typed into the box, Enter goes there.
    app.update(Action::Search);
    for c in "xa b".chars() {
        app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
    app.key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert!(app.layers.is_empty());
    assert_eq!(app.main.unit, b);
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
    // Accepting moves down the column, to the same leaf of the next unit.
    app.update(Action::Accept);
    assert_eq!(
        app.main.council.units[app.main.unit].id, "xa-b",
        "down the column, same leaf"
    );
    assert_eq!(app.main.row, Row::Leaf(0));
    app.update(Action::Accept);
    let (a, b) = (
        app.main.council.unit_index("xa-a").unwrap(),
        app.main.council.unit_index("xa-b").unwrap(),
    );
    assert!(
        app.main.link.appraisal().decisions.contains_key(&(a, 0))
            && app.main.link.appraisal().decisions.contains_key(&(b, 0))
    );
    app.update(Action::Overview);
    let text = screen_text(&draw(&app, 120, 40));
    assert!(
        text.contains("Component index by field")
            && text.contains("1 Chỉ đạo, điều hành")
            && text.contains("2 Hài lòng"),
        "the fields are named: {text}"
    );
    assert!(text.contains("Xã A") && text.contains("Xã B"), "{text}");
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
    assert_eq!(app.main.council.groups.len(), 2, "one group has no units");
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
    assert_eq!(app.main.group, 0);
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
    assert!(app.layers.is_empty(), "saved");
    let a = app.main.council.unit_index("xa-a").unwrap();
    assert_eq!(
        app.main.value(a, 2).points,
        Points(100),
        "85% reaches the 80% band: 1 point"
    );
    assert_eq!(
        app.main.link.appraisal().decisions[&(a, 2)].value,
        thamdinh::appraisal::Decided::Ratio(85, 100)
    );
    // Nonsense figures are refused in the box.
    app.update(Action::TypePoints);
    type_text(&mut app, "85/");
    app.update(Action::NextField);
    assert!(
        box_error(&app).contains("two whole numbers"),
        "{}",
        box_error(&app)
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
        // Effects (quit, opening a file) are the loop's; a test drops them.
        let _ = app.key(k);
        if i % 7 == 0 {
            let (w, h) = sizes[next(sizes.len())];
            draw(&app, w, h);
        }
    }
    // Whatever was decided on the way is in the session and adds up.
    let events = app.main.link.events().len();
    assert_eq!(
        app.main
            .link
            .appraisal()
            .standings(&app.main.council)
            .units
            .len(),
        3
    );
    eprintln!("{events} events recorded by random keys");
}
