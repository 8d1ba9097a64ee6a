//! The screen without a terminal: sessions played as lists of actions, and what
//! they draw into a `TestBackend` (snapshots, and styles where colour means something).

use crate::common;

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
    common::approve(dir.path());
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
    let key = common::give_key(dir.path(), "an", None);
    let mut app = app_on(dir.path(), Lang::Vi);
    let c = thamdinh::load::load(dir.path()).unwrap();
    app.main
        .link
        .set_recorder(common::recorder(&c, dir.path(), "an"));
    common::approve(dir.path());
    let sk = thamdinh::keys::open_secret(&key, None).unwrap();
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
        (Mode::Prompt, "Prompts: password, request, written approval"),
        (Mode::Help, "Help"),
        (Mode::Confirm, "Confirmation"),
        (Mode::Meeting, "Attendance and vote"),
        (Mode::Agenda, "Agenda"),
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
    let events = app.main.link.state().last_event() as usize;
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

/// A council whose unit names share long beginnings ("UBND thị trấn Thanh …"),
/// every unit with the same self-assessment, so that all tie: their rows can be
/// told apart by their names alone. One unit has a roster `short` name.
fn prefix_council() -> tempfile::TempDir {
    let dir = common::mini_copy();
    let names = [
        "UBND thị trấn Thanh Hà",
        "UBND thị trấn Thanh Bình",
        "UBND thị trấn Thanh Sơn",
        "UBND xã Vĩnh Quỳnh",
        "UBND xã Vĩnh Ninh",
        "UBND xã Vĩnh An",
        "UBND xã Tả Thanh Oai",
        "UBND xã Hữu Hoà",
        "UBND phường Nguyễn Trãi",
        "UBND phường Nguyễn Du",
        "UBND phường Quang Trung",
        "UBND xã An Bình",
        "UBND phường An Bình",
        "Ủy ban nhân dân xã Đại Áng của huyện Thanh Trì",
    ];
    let mut council = std::fs::read_to_string(dir.path().join("council.toml")).unwrap();
    council.truncate(council.find("[[unit]]").unwrap());
    council = council.replace("conflicts = [\"xa-b\"]\n", "");
    let own = std::fs::read_to_string(dir.path().join("assessments/a.toml")).unwrap();
    std::fs::remove_file(dir.path().join("assessments/b.toml")).unwrap();
    std::fs::remove_file(dir.path().join("surveys/s.toml")).unwrap();
    for (i, name) in names.iter().enumerate() {
        let id = format!("u{i:02}");
        council += &format!("[[unit]]\nid = \"{id}\"\nname = \"{name}\"\ngroup = \"xa\"\n");
        if name.starts_with("Ủy ban") {
            council += "short = \"Đại Áng\"\n";
        }
        council += "\n";
        std::fs::write(
            dir.path().join(format!("assessments/{id}.toml")),
            own.replace("unit = \"xa-a\"", &format!("unit = \"{id}\"")),
        )
        .unwrap();
    }
    std::fs::remove_file(dir.path().join("assessments/a.toml")).unwrap();
    std::fs::write(dir.path().join("council.toml"), council).unwrap();
    dir
}

/// The text rows of a pane's table: inside its border, below its header row,
/// down to its bottom border, blank rows left out.
fn pane_rows(t: &Terminal<TestBackend>, pane: ratatui::layout::Rect) -> Vec<String> {
    let buf = t.backend().buffer();
    let mut rows = Vec::new();
    for y in pane.y + 2..pane.bottom().saturating_sub(1) {
        let row: String = (pane.x + 1..pane.right().saturating_sub(1))
            .map(|x| buf[(x, y)].symbol())
            .collect();
        if row.starts_with('─') || row.starts_with('┌') {
            break;
        }
        if !row.trim().is_empty() {
            rows.push(row.trim_end().to_string());
        }
    }
    rows
}

#[test]
fn units_that_share_long_name_beginnings_are_told_apart_at_every_size() {
    let dir = prefix_council();
    let mut app = app_on(dir.path(), Lang::Vi);
    let short = &app.main.short;
    assert_eq!(
        short[0], "Thanh Hà",
        "the group's common beginning is dropped"
    );
    assert_eq!(short[3], "Vĩnh Quỳnh");
    assert_eq!(short[13], "Đại Áng", "the roster's short name");
    assert_ne!(
        short[11], short[12],
        "xã An Bình and phường An Bình stay apart"
    );
    let units = app.main.council.units.len();
    let sizes = [(80, 24), (120, 40), (160, 45), (250, 70)];
    // The unit view, then the overview, then the across view.
    for view in [Action::Overview, Action::Across, Action::Across] {
        for (w, h) in sizes {
            let t = draw(&app, w, h);
            let panes = view::panes(ratatui::layout::Rect::new(0, 0, w, h), &app);
            let name = format!(
                "{}_{w}x{h}",
                match app.main.view {
                    thamdinh::tui::app::View::Unit => "names_unit",
                    thamdinh::tui::app::View::Across => "names_across",
                    thamdinh::tui::app::View::Overview => "names_overview",
                    thamdinh::tui::app::View::Queue => "names_queue",
                    thamdinh::tui::app::View::Progress => "names_progress",
                    thamdinh::tui::app::View::Pending => "names_pending",
                }
            );
            insta::assert_snapshot!(name.clone(), screen_text(&t));
            let mut tables = vec![("ranking", pane_rows(&t, panes.ranking))];
            if app.main.view != thamdinh::tui::app::View::Unit {
                tables.push(("middle", pane_rows(&t, panes.middle)));
            }
            for (pane, rows) in tables {
                assert!(
                    rows.len() >= units.min(8),
                    "{name} {pane}: {} rows\n{}",
                    rows.len(),
                    screen_text(&t)
                );
                let distinct: std::collections::HashSet<&String> = rows.iter().collect();
                assert_eq!(
                    distinct.len(),
                    rows.len(),
                    "{name} {pane}: two units look alike:\n{}",
                    rows.join("\n")
                );
            }
        }
        app.update(view);
    }
}

/// Types text through the key map, as a keyboard would.
fn keys(app: &mut App, text: &str) {
    for c in text.chars() {
        let _ = app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
    }
}

fn ctrl(app: &mut App, c: char) {
    let _ = app.key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL));
}

fn decision(app: &App, unit: &str, code: &str) -> Option<(thamdinh::appraisal::Decided, String)> {
    let u = app.main.council.unit_index(unit).unwrap();
    let (l, _) = app.main.council.framework_of(u).leaf(code).unwrap();
    app.main
        .link
        .appraisal()
        .decisions
        .get(&(u, l))
        .map(|d| (d.value.clone(), d.comment.clone()))
}

#[test]
fn typing_a_reason_with_digits_never_changes_the_points() {
    use thamdinh::appraisal::Decided;
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::Vi);
    // `-` sets the value; what is typed next is the reason, figures included.
    select_leaf(&mut app, "xa-a", "1.1.2");
    keys(&mut app, "-");
    let reason = "trừ 0,25 điểm vì 2 văn bản chưa ban hành";
    keys(&mut app, reason);
    ctrl(&mut app, 's');
    assert!(app.layers.is_empty(), "{:?}", app.main.status);
    assert_eq!(
        decision(&app, "xa-a", "1.1.2"),
        Some((Decided::Points(Points(125)), reason.to_string()))
    );
    // On the points field a letter starts the reason: the figures after it stay words.
    select_leaf(&mut app, "xa-a", "1.1.1");
    keys(&mut app, "e");
    keys(&mut app, "chậm 0,5 ngày so với kế hoạch");
    ctrl(&mut app, 's');
    assert_eq!(
        decision(&app, "xa-a", "1.1.1"),
        Some((
            Decided::Points(Points(100)),
            "chậm 0,5 ngày so với kế hoạch".to_string()
        )),
        "the points stay the unit's own 1"
    );
    // A minus sign is typed where points go.
    select_leaf(&mut app, "xa-a", "1.3");
    keys(&mut app, "e");
    keys(&mut app, "-0,5");
    let _ = app.key(KeyEvent::new(KeyCode::Tab, KeyModifiers::NONE));
    keys(&mut app, "Hai vi phạm");
    ctrl(&mut app, 's');
    assert_eq!(
        decision(&app, "xa-a", "1.3"),
        Some((Decided::Points(Points(-50)), "Hai vi phạm".to_string()))
    );
}

#[test]
fn a_new_decision_starts_with_an_empty_reason_and_shows_the_earlier_ones() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::Vi);
    select_leaf(&mut app, "xa-a", "1.1.2");
    keys(&mut app, "-");
    keys(&mut app, "Lý do cũ của chủ tịch");
    ctrl(&mut app, 's');
    // Another member opens the same leaf: nothing is pre-filled.
    app.update(Action::Member);
    app.update(Action::Down);
    app.update(Action::Choose);
    keys(&mut app, "-");
    let d = decision_box(&app).expect("a box");
    assert_eq!(d.reason_text(), "", "the reason starts empty");
    let text = screen_text(&draw(&app, 120, 40));
    assert!(text.contains("Lý do trước đây"), "{text}");
    assert!(
        text.contains("Nguyễn Văn An: Lý do cũ của chủ tịch"),
        "the earlier reason is shown to read: {text}"
    );
    // Saving at once is refused: a change needs its own reason.
    ctrl(&mut app, 's');
    assert!(
        box_error(&app).contains("cần ghi lý do"),
        "{}",
        box_error(&app)
    );
    // `c` (a reason for the same points) starts empty too.
    let _ = app.key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
    keys(&mut app, "c");
    assert_eq!(decision_box(&app).expect("a box").reason_text(), "");
}

#[test]
fn an_action_bound_to_be_refused_opens_no_box() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::Vi);
    // N/A where the framework does not allow it.
    select_leaf(&mut app, "xa-a", "1.1.1");
    keys(&mut app, "x");
    assert!(app.layers.is_empty());
    assert!(
        matches!(&app.main.status, Some(Status::Error(s)) if s.contains("không được phép đánh giá là không áp dụng")),
        "{:?}",
        app.main.status
    );
    // A member in conflict with the unit: no key opens a box.
    app.main.member = "binh".into();
    select_leaf(&mut app, "xa-b", "1.1.1");
    for k in ["-", "+", "e", "l", "x", "c", "a"] {
        keys(&mut app, k);
        assert!(app.layers.is_empty(), "`{k}` opened a box");
        assert!(
            matches!(&app.main.status, Some(Status::Error(s)) if s.contains("xung đột lợi ích")),
            "`{k}`: {:?}",
            app.main.status
        );
    }
    let _ = app.key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
    assert!(app.layers.is_empty(), "Enter opened a box");
    assert!(app.main.link.appraisal().decisions.is_empty());
}

#[test]
fn accepting_what_is_proven_records_exactly_what_the_confirmation_listed() {
    use thamdinh::appraisal::self_value;
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::Vi);
    select_leaf(&mut app, "xa-a", "1.1.1");
    keys(&mut app, "A");
    let text = screen_text(&draw(&app, 120, 40));
    // The listed leaves, as the council reads them.
    let listed: Vec<String> = text
        .lines()
        .filter_map(|l| l.split("• ").nth(1))
        .filter(|rest| rest.contains(" = "))
        .map(|rest| rest.split_whitespace().next().unwrap().to_string())
        .collect();
    assert!(!listed.is_empty(), "{text}");
    assert!(
        !listed.contains(&"1.3".to_string()),
        "1.3 cites no evidence: {listed:?}"
    );
    keys(&mut app, "y");
    assert!(app.layers.is_empty());
    let a = app.main.council.unit_index("xa-a").unwrap();
    let fw = app.main.council.framework_of(a);
    let mut decided: Vec<String> = app
        .main
        .link
        .appraisal()
        .decisions
        .iter()
        .map(|(&(u, l), d)| {
            assert_eq!(u, a, "only the unit's leaves");
            assert_eq!(
                d.value.value(&fw.leaves[l]),
                self_value(&app.main.council, a, l),
                "kept as claimed"
            );
            fw.leaves[l].code.clone()
        })
        .collect();
    decided.sort();
    assert_eq!(decided, listed, "exactly what was listed");
    assert_eq!(
        app.main.link.state().last_event() as usize,
        listed.len(),
        "one event each"
    );
    // Nothing is left to accept: no second confirmation.
    keys(&mut app, "A");
    assert!(app.layers.is_empty());
    assert!(matches!(&app.main.status, Some(Status::Info(_))));
    // And `n` (no) records nothing.
    select_leaf(&mut app, "xa-b", "1.1.1");
    app.main.member = "an".into();
    keys(&mut app, "A");
    keys(&mut app, "n");
    assert_eq!(app.main.link.state().last_event() as usize, listed.len());
}

/// Every screen and layer the Vietnamese council can see, drawn at two sizes.
fn every_screen(app: &mut App) -> Vec<String> {
    let mut out = Vec::new();
    let mut shoot = |app: &App| {
        for (w, h) in [(80, 24), (200, 55)] {
            out.push(screen_text(&draw(app, w, h)));
        }
    };
    select_leaf(app, "xa-a", "1.2");
    shoot(app);
    for open in [
        Action::Help,
        Action::StepDown,
        Action::TypePoints,
        Action::PickLevel,
        Action::Member,
        Action::Search,
        Action::SignOff,
        Action::AcceptProven,
    ] {
        app.update(open);
        if let Some(Layer::Search(_)) = app.top() {
            keys(app, "xa");
        }
        shoot(app);
        while !app.layers.is_empty() {
            let close = match app.top() {
                Some(Layer::Help(_)) => Action::Close,
                Some(Layer::Confirm(_)) => Action::No,
                _ => Action::Cancel,
            };
            app.update(close);
        }
    }
    app.update(Action::StepDown);
    keys(app, "đủ lý do");
    app.update(Action::Save);
    shoot(app);
    app.update(Action::Undo);
    shoot(app);
    select_leaf(app, "xa-a", "1.1.2");
    shoot(app);
    app.update(Action::Across);
    shoot(app);
    app.update(Action::Overview);
    shoot(app);
    out
}

#[test]
fn no_word_of_the_other_language_on_any_screen() {
    for (lang, other) in [(Lang::Vi, Lang::En), (Lang::En, Lang::Vi)] {
        let dir = common::mini_copy();
        let data = common::council_text(dir.path());
        let foreign = common::words_only_in(other, lang, &data);
        assert!(foreign.len() > 50, "{foreign:?}");
        common::approve(dir.path());
        let mut app = app_on(dir.path(), lang);
        for screen in every_screen(&mut app) {
            let leaked = common::leaked(&foreign, &screen);
            assert!(
                leaked.is_empty(),
                "{lang:?} screen shows {leaked:?}:\n{screen}"
            );
        }
    }
}

#[test]
fn a_session_edited_by_hand_with_any_text_in_its_times_is_shown_without_panicking() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::Vi);
    select_leaf(&mut app, "xa-a", "1.1.2");
    keys(&mut app, "-");
    keys(&mut app, "Lý do");
    ctrl(&mut app, 's');
    assert!(app.layers.is_empty());
    let db = rusqlite::Connection::open(dir.path().join(".thamdinh/session.db")).unwrap();
    for at in [
        "2026-11-2ễT09:00:00Z",
        "ễễễễễễễễễễễễễễễễễễễ",
        "",
        "2026-11-23T09:55",
    ] {
        db.execute("UPDATE event SET at = ?1", [at]).unwrap();
        let mut app = app_on(dir.path(), Lang::Vi);
        select_leaf(&mut app, "xa-a", "1.1.2");
        draw(&app, 80, 24);
        let text = screen_text(&draw(&app, 160, 45));
        assert!(text.contains("Lý do"), "{text}");
        keys(&mut app, "c");
        draw(&app, 120, 40);
    }
    // A stored UTC time is shown in local time (TZ unset: Hà Nội, UTC+7).
    db.execute("UPDATE event SET at = '2026-11-23T20:30:00.000Z'", [])
        .unwrap();
    let mut app = app_on(dir.path(), Lang::Vi);
    app.main.zone = jiff::tz::TimeZone::fixed(jiff::tz::offset(7));
    select_leaf(&mut app, "xa-a", "1.1.2");
    let text = screen_text(&draw(&app, 160, 45));
    assert!(text.contains("2026-11-24 03:30"), "{text}");
}

#[test]
fn a_long_detail_scrolls_to_the_history() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::Vi);
    select_leaf(&mut app, "xa-a", "1.1.2");
    let long: String = (1..=40).map(|i| format!("Dòng lý do {i}\n")).collect();
    keys(&mut app, "-");
    app.update(Action::Paste(long));
    app.update(Action::Save);
    assert!(app.layers.is_empty(), "{:?}", app.main.status);
    let text = screen_text(&draw(&app, 120, 40));
    assert!(
        !text.contains("Lịch sử:"),
        "the history is below the fold: {text}"
    );
    assert!(
        text.contains("còn nữa"),
        "the pane says there is more: {text}"
    );
    for _ in 0..40 {
        keys(&mut app, "]");
    }
    let text = screen_text(&draw(&app, 120, 40));
    assert!(text.contains("Lịch sử:"), "scrolled to the history: {text}");
    keys(&mut app, "[");
    assert!(app.main.detail_scroll > 0);
}

#[test]
fn a_long_list_to_accept_is_read_to_its_end_on_a_small_screen_and_recorded_as_read() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let _ = std::fs::remove_dir_all(dir.path().join(".thamdinh"));
    let mut app = app_on(dir.path(), Lang::Vi);
    select_leaf(&mut app, "so-y-te", "1.1.1");
    keys(&mut app, "A");
    let mut listed = std::collections::BTreeSet::new();
    for _ in 0..80 {
        let text = screen_text(&draw(&app, 80, 24));
        for rest in text.lines().filter_map(|l| l.split("• ").nth(1)) {
            if rest.contains(" = ") {
                listed.insert(rest.split_whitespace().next().unwrap().to_string());
            }
        }
        keys(&mut app, "j");
    }
    assert!(listed.len() > 30, "{listed:?}");
    keys(&mut app, "y");
    let u = app.main.council.unit_index("so-y-te").unwrap();
    let fw = app.main.council.framework_of(u);
    let decided: std::collections::BTreeSet<String> = app
        .main
        .link
        .appraisal()
        .decisions
        .keys()
        .map(|&(_, l)| fw.leaves[l].code.clone())
        .collect();
    assert_eq!(
        decided, listed,
        "exactly what the list showed, scrolled to its end"
    );
}

fn status_text(app: &App) -> (bool, String) {
    match &app.main.status {
        Some(Status::Info(s)) => (true, s.clone()),
        Some(Status::Error(s)) => (false, s.clone()),
        None => (true, String::new()),
    }
}

/// The status line says `what`.
fn assert_said(app: &App, what: &str) {
    assert!(status_text(app).1.contains(what), "{:?}", app.main.status);
}

fn events_in(path: &std::path::Path) -> usize {
    thamdinh::session::Session::open(path, false)
        .unwrap()
        .events()
        .unwrap()
        .len()
}

#[test]
fn a_session_moved_under_the_screen_is_said_and_nothing_is_shown_as_saved() {
    let dir = common::mini_copy();
    let path = dir.path().join(".thamdinh/session.db");
    let mut app = app_on(dir.path(), Lang::En);
    select_leaf(&mut app, "xa-a", "1.1.1");
    app.update(Action::Accept);
    assert_said(&app, "#1 recorded");
    let away = dir.path().join("away.db");
    std::fs::rename(&path, &away).unwrap();
    app.update(Action::Tick);
    let (ok, said) = status_text(&app);
    assert!(!ok && said.contains("moved or deleted"), "{said}");
    select_leaf(&mut app, "xa-a", "1.1.2");
    app.update(Action::Accept);
    let (ok, said) = status_text(&app);
    assert!(!ok && said.contains("nothing was recorded"), "{said}");
    assert!(!said.contains("#2"), "{said}");
    assert_eq!(
        events_in(&away),
        1,
        "the moved file holds the first decision only"
    );
    // Put back: noticed, and decisions are recorded again.
    std::fs::rename(&away, &path).unwrap();
    app.update(Action::Tick);
    assert_said(&app, "is back");
    app.update(Action::Accept);
    assert_said(&app, "#2 recorded");
    drop(app);
    assert_eq!(events_in(&path), 2);
}

#[test]
fn a_session_replaced_under_the_screen_is_read_from_the_new_file() {
    let dir = common::mini_copy();
    let path = dir.path().join(".thamdinh/session.db");
    let mut app = app_on(dir.path(), Lang::En);
    select_leaf(&mut app, "xa-a", "1.1.1");
    app.update(Action::Accept);
    select_leaf(&mut app, "xa-a", "1.1.2");
    app.update(Action::Accept);
    // Another session with one decision of its own is put in its place.
    let other = common::mini_copy();
    let c = load(other.path()).unwrap();
    let mut s =
        thamdinh::session::Session::open(&other.path().join(".thamdinh/session.db"), true).unwrap();
    s.decide(
        &c,
        "an",
        "xa-b",
        "1.1.1",
        &thamdinh::appraisal::Change::Points(Points(0)),
        "tệp khác",
    )
    .unwrap();
    drop(s);
    std::fs::rename(other.path().join(".thamdinh/session.db"), &path).unwrap();
    app.update(Action::Tick);
    assert_said(&app, "replaced");
    let shown: Vec<String> = app
        .main
        .link
        .fresh()
        .iter()
        .map(|e| e.comment.clone())
        .collect();
    assert_eq!(shown, ["tệp khác"]);
    assert!(decision(&app, "xa-a", "1.1.1").is_none());
    assert_eq!(
        decision(&app, "xa-b", "1.1.1").map(|d| d.1),
        Some("tệp khác".into())
    );
    // The next decision goes into the new file, which keeps its own.
    select_leaf(&mut app, "xa-a", "1.1.1");
    app.update(Action::Accept);
    assert_said(&app, "#2 recorded");
    drop(app);
    assert_eq!(events_in(&path), 2);
}

#[test]
fn a_write_lock_held_elsewhere_is_said_and_the_screen_goes_on() {
    let dir = common::mini_copy();
    let path = dir.path().join(".thamdinh/session.db");
    let mut app = app_on(dir.path(), Lang::En);
    select_leaf(&mut app, "xa-a", "1.1.1");
    app.update(Action::Accept);
    // Another program holds the write lock (as a long import or sign-off would).
    let other = rusqlite::Connection::open(&path).unwrap();
    other.execute_batch("BEGIN IMMEDIATE").unwrap();
    select_leaf(&mut app, "xa-a", "1.1.2");
    app.update(Action::Accept);
    let (ok, said) = status_text(&app);
    assert!(!ok && said.contains("another program is writing"), "{said}");
    // The screen still answers keys, and the decision lands once the lock is gone.
    app.update(Action::Down);
    other.execute_batch("ROLLBACK").unwrap();
    select_leaf(&mut app, "xa-a", "1.1.2");
    app.update(Action::Accept);
    assert_said(&app, "#2 recorded");
}

#[test]
fn flags_and_emoji_sequences_are_drawn_in_forms_every_terminal_agrees_on() {
    use unicode_width::UnicodeWidthStr;
    let dir = common::mini_copy();
    let council = dir.path().join("council.toml");
    let text = std::fs::read_to_string(&council).unwrap().replacen(
        "name = \"Xã A\"",
        "name = \"Xã A 🇻🇳 ❤\u{FE0F} 👨\u{200D}👩\u{200D}👧 👍\u{1F3FD}\"",
        1,
    );
    std::fs::write(&council, text).unwrap();
    let mut app = app_on(dir.path(), Lang::Vi);
    select_leaf(&mut app, "xa-a", "1.1.1");
    for (w, h) in [(80, 24), (120, 30), (160, 45)] {
        let t = draw(&app, w, h);
        let shown = screen_text(&t);
        assert!(shown.contains("VN"), "{shown}");
        let buf = t.backend().buffer();
        for y in 0..h {
            let mut columns = 0;
            let mut x = 0;
            while x < w {
                let s = buf[(x, y)].symbol();
                assert!(
                    !s.chars().any(|c| matches!(c,
                        '\u{1F1E6}'..='\u{1F1FF}' | '\u{200D}' | '\u{FE0F}' | '\u{1F3FB}'..='\u{1F3FF}')),
                    "row {y}: {s:?}"
                );
                let cw = s.width().max(1) as u16;
                columns += cw;
                x += cw;
            }
            assert_eq!(columns, w, "row {y} adds up to the width");
        }
    }
}

#[test]
fn two_screens_saving_the_same_leaf_never_overwrite_each_other_silently() {
    use thamdinh::appraisal::Decided;
    let dir = common::mini_copy();
    let mut an = app_on(dir.path(), Lang::En);
    let c = load(dir.path()).unwrap();
    let mut binh = App::new(
        c,
        dir.path(),
        &dir.path().join(".thamdinh/session.db"),
        Some("binh"),
        Lang::En,
        KeyMap::default_map(),
    )
    .unwrap();
    // An opens a box on 1.1.2 and types a reason.
    select_leaf(&mut an, "xa-a", "1.1.2");
    keys(&mut an, "-");
    keys(&mut an, "thiếu minh chứng");
    // Meanwhile Bình lowers the same leaf to 0 on the other screen.
    select_leaf(&mut binh, "xa-a", "1.1.2");
    keys(&mut binh, "e");
    type_text(&mut binh, "0");
    ctrl(&mut binh, 's');
    keys(&mut binh, "không có sáng kiến");
    ctrl(&mut binh, 's');
    assert!(binh.layers.is_empty(), "{:?}", binh.main.status);
    // An's save is refused with who, what and when; the box keeps the text.
    ctrl(&mut an, 's');
    let said = box_error(&an);
    assert!(
        said.contains("Trần Thị Bình") && said.contains(" 0 ") && said.contains("1.1.2"),
        "{said}"
    );
    assert_eq!(decision_box(&an).unwrap().reason_text(), "thiếu minh chứng");
    assert_eq!(
        decision(&an, "xa-a", "1.1.2").map(|d| d.1),
        Some("không có sáng kiến".into()),
        "An's screen now shows Bình's decision"
    );
    // Saving again, knowing, replaces it.
    ctrl(&mut an, 's');
    assert!(an.layers.is_empty(), "{:?}", an.main.status);
    assert_eq!(
        decision(&an, "xa-a", "1.1.2"),
        Some((Decided::Points(Points(125)), "thiếu minh chứng".into()))
    );
    // Bình's screen hears of it, with An's name.
    binh.update(Action::Tick);
    assert_said(&binh, "Nguyễn Văn An changed");
    assert_said(&binh, "1.1.2: 0 → 1.25");
}

#[test]
fn a_log_changed_behind_the_programs_back_is_said_and_nothing_more_is_recorded() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::En);
    for code in ["1.1.2", "1.1.1"] {
        select_leaf(&mut app, "xa-a", code);
        keys(&mut app, "-");
        keys(&mut app, "Lý do");
        ctrl(&mut app, 's');
        assert!(app.layers.is_empty(), "{:?}", app.main.status);
    }
    let path = dir.path().join(".thamdinh/session.db");
    let count = || -> i64 {
        rusqlite::Connection::open(&path)
            .unwrap()
            .query_row("SELECT count(*) FROM event", [], |r| r.get(0))
            .unwrap()
    };
    // While the screen is open, the last event is deleted: the next save is refused.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("DELETE FROM event WHERE id = 2", [])
        .unwrap();
    select_leaf(&mut app, "xa-b", "1.1.2");
    keys(&mut app, "-");
    keys(&mut app, "Lý do");
    ctrl(&mut app, 's');
    assert!(
        box_error(&app).contains("changed behind the program's back"),
        "{}",
        box_error(&app)
    );
    assert_eq!(count(), 1, "nothing recorded");
    // Opened on an edited log: the header says so, and no decision is begun.
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE event SET after = '0.00' WHERE id = 1", [])
        .unwrap();
    for lang in [Lang::En, Lang::Vi] {
        let mut app = app_on(dir.path(), lang);
        let text = screen_text(&draw(&app, 120, 30));
        let badge = match lang {
            Lang::En => "LOG TAMPERED",
            Lang::Vi => "NHẬT KÝ BỊ SỬA",
        };
        assert!(text.lines().next().unwrap().contains(badge), "{text}");
        assert!(
            matches!(&app.main.status, Some(Status::Error(s)) if s.contains(" 1")),
            "{:?}",
            app.main.status
        );
        select_leaf(&mut app, "xa-a", "1.1.1");
        for action in [Action::StepDown, Action::Accept, Action::SignOff] {
            app.update(action);
            assert!(app.layers.is_empty(), "{:?}", app.main.status);
        }
        assert_eq!(count(), 1, "nothing recorded");
    }
}

#[test]
fn rounds_on_the_screen_ask_close_and_show_each_rounds_value() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::Vi);
    // Round 1: a decision, and a request typed after `y`.
    select_leaf(&mut app, "xa-a", "1.1.1");
    keys(&mut app, "-");
    keys(&mut app, "Kế hoạch ban hành chậm");
    ctrl(&mut app, 's');
    assert!(app.layers.is_empty(), "{:?}", app.main.status);
    select_leaf(&mut app, "xa-a", "1.1.2");
    keys(&mut app, "y");
    assert!(matches!(app.top(), Some(Layer::Request(_))));
    keys(&mut app, "Bổ sung minh chứng");
    app.update(Action::Choose);
    assert!(app.layers.is_empty(), "{:?}", app.main.status);
    // An explanation of round 1 while round 1 is still open answers a result
    // nobody sent: the screen refuses to open on it, naming its `round`.
    std::fs::create_dir_all(dir.path().join("explanations")).unwrap();
    let early = dir.path().join("explanations/xa-a-1.toml");
    std::fs::write(
        &early,
        "unit = \"xa-a\"\nround = 1\n[[item]]\ncode = \"1.1.1\"\ntext = \"Sớm\"\n",
    )
    .unwrap();
    let refused = App::new(
        load(dir.path()).unwrap(),
        dir.path(),
        &dir.path().join(".thamdinh/session.db"),
        None,
        Lang::En,
        KeyMap::default_map(),
    )
    .err()
    .expect("the screen opened on an explanation of an open round");
    let said = format!("{refused:#}");
    assert!(
        said.contains("xa-a-1.toml:2:9") && said.contains("round 1"),
        "{said}"
    );
    std::fs::remove_file(&early).unwrap();
    // A member who is neither chair nor secretary cannot close the round.
    app.main.member = "binh".into();
    keys(&mut app, "R");
    assert!(app.layers.is_empty());
    assert!(
        matches!(&app.main.status, Some(Status::Error(s)) if s.contains("Chủ tịch hoặc Thư ký")),
        "{:?}",
        app.main.status
    );
    // The chair closes it behind a confirmation that lists who gets a notice.
    app.main.member = "an".into();
    keys(&mut app, "R");
    match app.top() {
        Some(Layer::Confirm(c)) => match &c.what {
            Confirming::CloseRound { round, units } => {
                assert_eq!(*round, 1);
                assert_eq!(units, &["Xã A".to_string()]);
            }
            _ => panic!("not the round's confirmation"),
        },
        _ => panic!("no confirmation"),
    }
    app.update(Action::Yes);
    assert!(
        matches!(&app.main.status, Some(Status::Info(s)) if s.contains("mở vòng 2")),
        "{:?}",
        app.main.status
    );
    assert!(dir.path().join("notices/round-1/xa-a.xlsx").is_file());
    // The unit explains; round 2 changes the leaf back.
    std::fs::create_dir_all(dir.path().join("explanations")).unwrap();
    std::fs::write(
        dir.path().join("explanations/xa-a-1.toml"),
        "unit = \"xa-a\"\nround = 1\n[[item]]\ncode = \"1.1.1\"\ntext = \"Ban hành ngày 28/12\"\n",
    )
    .unwrap();
    let mut app = app_on(dir.path(), Lang::Vi);
    select_leaf(&mut app, "xa-a", "1.1.1");
    keys(&mut app, "+");
    keys(&mut app, "Đã giải trình");
    ctrl(&mut app, 's');
    assert!(app.layers.is_empty(), "{:?}", app.main.status);
    let text = screen_text(&draw(&app, 160, 45));
    assert!(text.contains("L1 GT    L2"), "{text}");
    let row = text
        .lines()
        .find(|l| l.contains("  1.1.1 Ban hành"))
        .unwrap();
    assert!(row.contains("0.5  ✎     1"), "{row}");
    let row = text
        .lines()
        .find(|l| l.contains("  1.1.2 Sáng kiến"))
        .unwrap();
    assert!(row.contains("  ?  "), "{row}");
    assert!(
        text.contains("Đơn vị giải trình (vòng 1): Ban hành ngày"),
        "{text}"
    );
    assert!(text.contains("L1: 0.5") && text.contains("L2: 1"), "{text}");
    assert!(text.lines().next().unwrap().contains("vòng 2"), "{text}");
    // Snapshots on a leaf without decisions (no times in the detail).
    select_leaf(&mut app, "xa-a", "1.2");
    insta::assert_snapshot!("rounds_80x24", screen_text(&draw(&app, 80, 24)));
    insta::assert_snapshot!("rounds_160x45", screen_text(&draw(&app, 160, 45)));
    // Across units: each unit's self, round 1 with its mark, and round 2.
    select_leaf(&mut app, "xa-a", "1.1.1");
    app.update(Action::Across);
    let text = screen_text(&draw(&app, 160, 45));
    assert!(text.contains("Tự chấm       L1 GT       L2"), "{text}");
    let row = text.lines().find(|l| l.contains("Xã A ")).unwrap();
    assert!(row.contains("1      0.5  ✎        1 ✓"), "{row}");
    select_leaf(&mut app, "xa-a", "1.1.2");
    let text = screen_text(&draw(&app, 80, 24));
    let row = text.lines().find(|l| l.contains("Xã A")).unwrap();
    assert!(row.contains("  ?  "), "{row}");
    insta::assert_snapshot!("rounds_across_80x24", text);
    insta::assert_snapshot!("rounds_across_160x45", screen_text(&draw(&app, 160, 45)));
}

#[test]
fn an_assisting_member_works_down_their_queue() {
    let dir = common::mini_copy();
    let path = dir.path().join("council.toml");
    let text = std::fs::read_to_string(&path).unwrap().replacen(
        "[[group]]",
        "[[member]]\nid = \"cuong\"\nname = \"Lê Văn Cường\"\nrole = \"Tổ giúp việc\"\nfields = [\"1\"]\nvoting = false\n\n[[group]]",
        1,
    );
    std::fs::write(&path, text).unwrap();
    let mut app = app_on(dir.path(), Lang::Vi);
    app.main.member = "cuong".into();
    keys(&mut app, "w");
    // Field 1 of three units: four leaves each, none decided yet.
    assert_eq!(app.main.queue().len(), 12);
    let first = app.main.queue()[0];
    assert_eq!(
        (app.main.unit, app.main.selected_leaf()),
        (first.0, Some(first.1))
    );
    keys(&mut app, "j");
    assert_eq!(
        (app.main.unit, app.main.selected_leaf()),
        (app.main.queue()[1].0, Some(app.main.queue()[1].1))
    );
    // Accepting the selected leaf takes it off the queue.
    keys(&mut app, "a");
    assert!(app.layers.is_empty(), "{:?}", app.main.status);
    assert_eq!(app.main.queue().len(), 11);
    let text = screen_text(&draw(&app, 160, 45));
    assert!(text.contains("còn 11 trên 12 (lĩnh vực 1)"), "{text}");
    // A member of the assisting team never sees a leaf outside their fields.
    let outside = app
        .main
        .queue()
        .iter()
        .any(|&(u, l)| app.main.council.framework_of(u).leaves[l].field != 0);
    assert!(!outside);
    select_leaf(&mut app, "xa-b", "1.2");
    app.main.view = thamdinh::tui::app::View::Queue;
    insta::assert_snapshot!("queue_80x24", screen_text(&draw(&app, 80, 24)));
    insta::assert_snapshot!("queue_160x45", screen_text(&draw(&app, 160, 45)));
    // The round's progress: cuong's line, the field's and each unit's.
    keys(&mut app, "W");
    let text = screen_text(&draw(&app, 160, 45));
    let row = |first: &str| -> Vec<String> {
        text.lines()
            .find_map(|l| {
                let cells: Vec<&str> = l.split('│').collect();
                cells
                    .iter()
                    .find(|c| c.trim_start().starts_with(first))
                    .map(|c| c.split_whitespace().map(str::to_string).collect())
            })
            .unwrap_or_default()
    };
    assert_eq!(row("cuong"), ["cuong", "12", "1", "11", "0", "0"], "{text}");
    assert_eq!(row("xa-a"), ["xa-a", "4", "1", "3", "0", "0"], "{text}");
    insta::assert_snapshot!("progress_80x24", screen_text(&draw(&app, 80, 24)));
    insta::assert_snapshot!("progress_160x45", text);
}

#[test]
fn the_agenda_is_marked_on_the_screen_and_the_header_shows_now_next_then() {
    let dir = common::mini_copy();
    let mut app = app_on(dir.path(), Lang::Vi);
    // A plain member cannot lead the agenda.
    app.main.member = "binh".into();
    keys(&mut app, "M");
    assert!(
        matches!(&app.main.status, Some(Status::Error(s)) if s.contains("chương trình họp")),
        "{:?}",
        app.main.status
    );
    app.main.member = "an".into();
    // The chair marks a leaf of xa-b from the tree, then xa-a and xa-c whole.
    select_leaf(&mut app, "xa-b", "1.1.1");
    keys(&mut app, "M");
    for unit in ["xa-a", "xa-c"] {
        select_leaf(&mut app, unit, "1.1.1");
        app.update(Action::FocusPrev);
        keys(&mut app, "M");
    }
    let m = &app.main.link.state().meeting;
    let items: Vec<String> = m.agenda.iter().map(|i| i.line()).collect();
    assert_eq!(items, ["xa-b 1.1.1", "xa-a", "xa-c"]);
    // Marked again, an item comes off; marked once more, it goes last.
    keys(&mut app, "M");
    assert_eq!(app.main.link.state().meeting.agenda.len(), 2);
    keys(&mut app, "M");
    let text = screen_text(&draw(&app, 160, 45));
    let second = text.lines().nth(1).unwrap();
    assert!(
        second.contains("▶ Đang xem 1/3: Xã B · 1.1.1 Ban hành kế hoạch")
            && second.contains("tiếp theo: Xã A")
            && second.contains("sau đó: Xã C")
            && second.contains("xung đột lợi ích: Trần Thị Bình"),
        "{second}"
    );
    // `>` moves the meeting on and goes to the item.
    keys(&mut app, ">");
    assert_eq!(app.main.link.state().meeting.now, 1);
    assert_eq!(app.main.council.units[app.main.unit].id, "xa-a");
    insta::assert_snapshot!("agenda_80x24", screen_text(&draw(&app, 80, 24)));
    insta::assert_snapshot!("agenda_160x45", screen_text(&draw(&app, 160, 45)));
    keys(&mut app, ">");
    keys(&mut app, ">");
    assert!(
        matches!(&app.main.status, Some(Status::Error(s)) if s.contains("không có mục 4")),
        "{:?}",
        app.main.status
    );
}

/// The screen's text with every shown date as `YYYY-MM-DD` and time of day
/// as `hh:mm` (a narrow pane may put them on two lines).
fn without_times(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let shapes = [("dddd-dd-dd", "YYYY-MM-DD"), ("dd:dd", "hh:mm")];
    let mut out = String::new();
    let mut i = 0;
    'next: while i < chars.len() {
        for (shape, shown) in shapes {
            let fits = i + shape.len() <= chars.len()
                && shape.chars().zip(&chars[i..]).all(|(s, c)| match s {
                    'd' => c.is_ascii_digit(),
                    s => s == *c,
                });
            if fits {
                out += shown;
                i += shape.len();
                continue 'next;
            }
        }
        out.push(chars[i]);
        i += 1;
    }
    out
}

fn enter(app: &mut App) {
    let _ = app.key(KeyEvent::new(KeyCode::Enter, KeyModifiers::NONE));
}

fn esc(app: &mut App) {
    let _ = app.key(KeyEvent::new(KeyCode::Esc, KeyModifiers::NONE));
}

fn error_has(app: &App, words: &str) -> bool {
    matches!(&app.main.status, Some(Status::Error(s)) if s.contains(words))
}

#[test]
fn attendance_and_the_vote_are_recorded_from_a_dialog_listing_every_member() {
    use thamdinh::session::meeting::{Approval, Attendance};
    let dir = common::meeting_council("");
    let mut app = app_on(dir.path(), Lang::Vi);
    app.main.member = "chi".into();
    keys(&mut app, "V");
    assert!(matches!(app.top(), Some(Layer::Votes(_))));
    let text = screen_text(&draw(&app, 160, 45));
    for name in [
        "Nguyễn Văn An",
        "Trần Thị Bình",
        "Lê Văn Chí",
        "Phạm Thị Dung",
    ] {
        assert!(text.contains(name), "{name} listed: {text}");
    }
    assert!(
        text.contains("Hoàng Văn Em") && text.contains("không biểu quyết"),
        "{text}"
    );
    assert!(
        text.contains("Chưa thông qua: 0/4 tán thành, cần 3"),
        "{text}"
    );
    // The chair present and approving; Bình absent: a vote refused, then a
    // written approval, which needs its reference.
    keys(&mut app, "py");
    keys(&mut app, "ja");
    keys(&mut app, "y");
    assert!(error_has(&app, "vắng mặt"), "{:?}", app.main.status);
    keys(&mut app, "w");
    assert!(matches!(app.top(), Some(Layer::Request(_))));
    enter(&mut app);
    assert!(
        matches!(app.top(), Some(Layer::Request(w)) if w.error.is_some()),
        "an empty reference is refused in the prompt"
    );
    keys(&mut app, "CV 12/HĐ ngày 20/11");
    enter(&mut app);
    assert!(matches!(app.top(), Some(Layer::Votes(_))));
    // Chí present approving, Dung present objecting, Em does not vote.
    keys(&mut app, "jpy");
    keys(&mut app, "jpn");
    keys(&mut app, "jy");
    assert!(error_has(&app, "em"), "{:?}", app.main.status);
    let a = Approval::of(&app.main.council, app.main.link.state());
    assert_eq!((a.approve, a.object, a.needed, a.approved), (3, 1, 3, true));
    let att = &app.main.link.state().meeting.attendance;
    assert_eq!(
        att["binh"].how,
        Attendance::Written("CV 12/HĐ ngày 20/11".into())
    );
    assert_eq!(att["dung"].how, Attendance::Present);
    let text = screen_text(&draw(&app, 160, 45));
    assert!(
        text.contains("Đã thông qua: 3/4 tán thành, cần 3 (trên 0.5 tổng số); 1 không tán thành"),
        "{text}"
    );
    assert!(text.contains("bằng văn bản: CV 12/HĐ ngày 20/11"), "{text}");
    insta::assert_snapshot!("votes_80x24", screen_text(&draw(&app, 80, 24)));
    insta::assert_snapshot!("votes_160x45", text);
    // A decision after the vote: every vote is stale, and the dialog says so.
    esc(&mut app);
    assert!(app.layers.is_empty());
    select_leaf(&mut app, "xa-a", "1.1.1");
    keys(&mut app, "-Chậm");
    ctrl(&mut app, 's');
    assert!(app.layers.is_empty(), "{:?}", app.main.status);
    assert!(
        matches!(&app.main.status, Some(Status::Info(s)) if s.contains("4 phiếu biểu quyết trước đó không còn được tính")),
        "the decision says it made the votes stale: {:?}",
        app.main.status
    );
    keys(&mut app, "V");
    let text = screen_text(&draw(&app, 160, 45));
    assert!(text.contains("tán thành (cũ)"), "{text}");
    assert!(text.contains("Chưa thông qua: 0/4"), "{text}");
    assert!(
        text.contains("4 phiếu có trước một quyết định sau đó"),
        "{text}"
    );
    // Sign-off is refused on the screen until they vote again.
    esc(&mut app);
    keys(&mut app, "S");
    assert!(
        error_has(&app, "chưa được thông qua"),
        "{:?}",
        app.main.status
    );
}

#[test]
fn decisions_wait_in_a_queue_on_the_screen_until_another_member_confirms_them() {
    let dir = common::meeting_council("confirm = true\n");
    let mut app = app_on(dir.path(), Lang::Vi);
    let xa_a = app.main.council.unit_index("xa-a").unwrap();
    let before = app.main.standings.units[xa_a].score;
    // Two decisions by the chair: recorded, pending, the index unmoved.
    select_leaf(&mut app, "xa-a", "1.1.1");
    keys(&mut app, "-Kế hoạch ban hành chậm");
    ctrl(&mut app, 's');
    assert!(
        matches!(&app.main.status, Some(Status::Info(s)) if s.contains("chờ thành viên khác xác nhận")),
        "{:?}",
        app.main.status
    );
    select_leaf(&mut app, "xa-c", "1.1.1");
    keys(&mut app, "+Có kế hoạch, đơn vị chưa tự chấm");
    ctrl(&mut app, 's');
    assert_eq!(app.main.link.state().meeting.pending.len(), 2);
    assert_eq!(app.main.standings.units[xa_a].score, before);
    assert!(decision(&app, "xa-a", "1.1.1").is_none());
    // The tree marks the leaf, the detail shows what waits.
    select_leaf(&mut app, "xa-a", "1.1.1");
    let text = without_times(&screen_text(&draw(&app, 160, 45)));
    let row = text
        .lines()
        .find(|l| l.contains("  1.1.1 Ban hành"))
        .unwrap();
    assert!(row.contains('⧗'), "{row}");
    assert!(
        text.contains("Chờ xác nhận: 0.5  (Nguyễn Văn An, YYYY-MM-DD"),
        "{text}"
    );
    // The queue, oldest first; its author cannot confirm.
    keys(&mut app, "C");
    let text = without_times(&screen_text(&draw(&app, 160, 45)));
    assert!(text.contains("Chờ xác nhận: 2 quyết định"), "{text}");
    let a = text.find("Xã A").unwrap();
    let c = text.find("Xã C").unwrap();
    assert!(a < c, "{text}");
    insta::assert_snapshot!(
        "pending_80x24",
        without_times(&screen_text(&draw(&app, 80, 24)))
    );
    insta::assert_snapshot!("pending_160x45", text);
    enter(&mut app);
    assert!(
        error_has(&app, "một thành viên khác xác nhận"),
        "{:?}",
        app.main.status
    );
    // Bình is in conflict with xa-b only: he confirms xa-a's, and the
    // queue moves on to the next.
    app.main.member = "binh".into();
    enter(&mut app);
    assert!(
        matches!(&app.main.status, Some(Status::Info(s)) if s.contains("đã xác nhận")),
        "{:?}",
        app.main.status
    );
    assert_ne!(app.main.standings.units[xa_a].score, before);
    let u = app.main.council.unit_index("xa-a").unwrap();
    let (l, _) = app.main.council.framework_of(u).leaf("1.1.1").unwrap();
    let d = &app.main.link.appraisal().decisions[&(u, l)];
    assert_eq!(
        (d.member.as_str(), d.confirmed_by.as_deref()),
        ("an", Some("binh"))
    );
    assert_eq!(app.main.council.units[app.main.unit].id, "xa-c");
    let text = screen_text(&draw(&app, 160, 45));
    assert!(text.contains("Chờ xác nhận: 1 quyết định"), "{text}");
    // The confirmed decision names both members in the detail.
    keys(&mut app, "C");
    select_leaf(&mut app, "xa-a", "1.1.1");
    let text = screen_text(&draw(&app, 160, 45));
    assert!(text.contains("Trần Thị Bình xác nhận"), "{text}");
}

#[test]
fn the_agenda_is_ordered_from_its_list_on_the_screen() {
    let dir = common::meeting_council("");
    let mut app = app_on(dir.path(), Lang::Vi);
    app.main.member = "chi".into();
    keys(&mut app, "T");
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("Chương trình họp trống"), "{text}");
    esc(&mut app);
    for unit in ["xa-a", "xa-b", "xa-c"] {
        select_leaf(&mut app, unit, "1.1.1");
        app.update(Action::FocusPrev);
        keys(&mut app, "M");
    }
    let lines = |app: &App| -> Vec<String> {
        let m = &app.main.link.state().meeting;
        m.agenda.iter().map(|i| i.line()).collect()
    };
    // Xã A down one place, then Xã C up to the top; the item discussed stays.
    keys(&mut app, "T");
    keys(&mut app, "J");
    assert_eq!(lines(&app), ["xa-b", "xa-a", "xa-c"]);
    keys(&mut app, "jjK");
    keys(&mut app, "K");
    assert_eq!(lines(&app), ["xa-c", "xa-b", "xa-a"]);
    assert_eq!(app.main.link.state().meeting.now, 2, "still Xã A");
    let text = screen_text(&draw(&app, 80, 24));
    assert!(text.contains("▶ 3. Xã A"), "{text}");
    assert!(text.contains("2. Xã B ⚠ Trần Thị Bình"), "{text}");
    insta::assert_snapshot!("agenda_list_80x24", text);
    // Taken off; Enter goes to the selected item.
    keys(&mut app, "jd");
    assert_eq!(lines(&app), ["xa-c", "xa-a"]);
    keys(&mut app, "k");
    enter(&mut app);
    assert!(app.layers.is_empty(), "{:?}", app.main.status);
    assert_eq!(app.main.link.state().meeting.now, 0);
    assert_eq!(app.main.council.units[app.main.unit].id, "xa-c");
    // A plain member may not reorder it.
    app.main.member = "dung".into();
    keys(&mut app, "TJ");
    assert!(error_has(&app, "chương trình họp"), "{:?}", app.main.status);
    assert_eq!(lines(&app), ["xa-c", "xa-a"]);
}

#[test]
fn two_units_sharing_a_word_keep_it_only_the_group_s_kind_of_unit_is_dropped() {
    let dir = common::mini_copy();
    let path = dir.path().join("council.toml");
    let text = std::fs::read_to_string(&path).unwrap();
    let text = text
        .replacen("name = \"Xã A\"", "name = \"Phòng Tài chính, Kế hoạch\"", 1)
        .replacen(
            "name = \"Xã B\"",
            "name = \"Phòng Tài nguyên và Môi trường\"",
            1,
        )
        .replacen("name = \"Xã C\"", "name = \"Phòng Nội vụ\"", 1);
    std::fs::write(&path, text).unwrap();
    let c = thamdinh::load::load(dir.path()).unwrap();
    let short = c.short_names();
    let of = |id: &str| short[c.unit_index(id).unwrap()].clone();
    assert_eq!(of("xa-a"), "Tài chính, Kế hoạch");
    assert_eq!(of("xa-b"), "Tài nguyên và Môi trường");
    assert_eq!(of("xa-c"), "Nội vụ");
}

/// The demo council's 30 units: every name whole in the ranking at 160×45
/// (the band's column gives way before a name is cut); at 80×24 every unit
/// told apart, a name cut only after a whole word.
#[test]
fn every_unit_of_the_demo_is_shown_whole_at_160_and_apart_at_80() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let _ = std::fs::remove_dir_all(dir.path().join(".thamdinh"));
    let mut app = app_on(dir.path(), Lang::Vi);
    let c = app.main.council.clone();
    for _ in 0..c.groups.len() {
        let group = app.main.group;
        let units: Vec<usize> = (0..c.units.len())
            .filter(|&u| c.units[u].group == group)
            .collect();
        let t = draw(&app, 160, 45);
        let panes = view::panes(ratatui::layout::Rect::new(0, 0, 160, 45), &app);
        let rows = pane_rows(&t, panes.ranking).join("\n");
        for &u in &units {
            assert!(
                rows.contains(&format!(" {} ", app.main.short[u]))
                    || rows.contains(&format!(" {} ", c.units[u].name)),
                "{} cut at 160×45:\n{rows}",
                c.units[u].name
            );
        }
        let t = draw(&app, 80, 24);
        let panes = view::panes(ratatui::layout::Rect::new(0, 0, 80, 24), &app);
        let rows = pane_rows(&t, panes.ranking);
        let distinct: std::collections::HashSet<&String> = rows.iter().collect();
        assert_eq!(distinct.len(), rows.len(), "{}", rows.join("\n"));
        for row in &rows {
            // A cut name ends on a whole word: "Dân tộc và Tôn…", never "Tôn g…".
            if let Some(at) = row.find('…') {
                let before = &row[..at];
                let word = before.rsplit(' ').next().unwrap_or_default();
                let whole = units.iter().any(|&u| {
                    app.main.short[u]
                        .split(' ')
                        .any(|w| w.trim_end_matches(',') == word)
                });
                assert!(whole, "cut mid-word: {row}");
            }
        }
        app.update(Action::NextGroup);
    }
}

/// The overview says the selected unit's self-assessment gap per field.
#[test]
fn the_overview_gives_the_selected_units_gap_by_field() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let _ = std::fs::remove_dir_all(dir.path().join(".thamdinh"));
    common::decide(dir.path(), "an", "so-y-te", "1.1.2", "1", "Thiếu phụ lục");
    let mut app = app_on(dir.path(), Lang::Vi);
    app.main.unit = app.main.council.unit_index("so-y-te").unwrap();
    app.update(Action::Overview);
    let text = screen_text(&draw(&app, 120, 40));
    // Field 1 has 12 points; one point less in the council's value: 100/12 = 8.33.
    assert!(
        text.contains("Y tế: chênh tự chấm theo lĩnh vực") && text.contains("1 +8.33"),
        "{text}"
    );
}

/// `s` orders the ranking by the self-assessment gap, largest first, and
/// moving down the list follows that order; `s` again, by rank.
#[test]
fn the_ranking_sorts_by_the_self_assessment_gap() {
    let dir = tempfile::tempdir().unwrap();
    common::copy(&common::root().join("data/demo"), dir.path());
    let _ = std::fs::remove_dir_all(dir.path().join(".thamdinh"));
    for (unit, points) in [("so-noi-vu", "0"), ("thanh-tra-tinh", "0.5")] {
        common::decide(dir.path(), "an", unit, "1.1.1", points, "Chưa đạt");
    }
    let mut app = app_on(dir.path(), Lang::Vi);
    let c = app.main.council.clone();
    let id = |u: usize| c.units[u].id.clone();
    keys(&mut app, "s");
    let order: Vec<String> = app.main.order().iter().map(|&u| id(u)).collect();
    assert_eq!(&order[..2], ["so-noi-vu", "thanh-tra-tinh"], "{order:?}");
    let text = screen_text(&draw(&app, 120, 40));
    assert!(text.contains("theo chênh tự chấm"), "{text}");
    // The selection moves down the list as shown.
    app.main.unit = c.unit_index("so-noi-vu").unwrap();
    keys(&mut app, "j");
    assert_eq!(id(app.main.unit), "thanh-tra-tinh");
    keys(&mut app, "s");
    assert_eq!(
        &app.main.order()[..],
        &app.main.standings.order[app.main.group][..]
    );
}
