//! Key bindings as data: the default map (embedded TOML) merged with the user's file; help and hints come from it.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use serde::Deserialize;

use crate::i18n::{Lang, fill};
use crate::tui::action::Action;

const DEFAULT: &str = include_str!("keys.toml");

/// Where a key is read: the main screen or one of the layers above it.
/// In the text modes (points, reason, search, prompt) a key that is not bound
/// there is typed as text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Main,
    /// The points field of the decision box.
    Points,
    /// The reason editor of the decision box.
    Reason,
    List,
    Search,
    /// A one-line prompt (the signing key's password).
    Prompt,
    Help,
    Confirm,
    /// The attendance and vote dialog.
    Meeting,
    /// The agenda's list of items.
    Agenda,
}

impl Mode {
    pub const ALL: [(Mode, &'static str); 10] = [
        (Mode::Main, "main"),
        (Mode::Points, "points"),
        (Mode::Reason, "reason"),
        (Mode::List, "list"),
        (Mode::Search, "search"),
        (Mode::Prompt, "prompt"),
        (Mode::Help, "help"),
        (Mode::Confirm, "confirm"),
        (Mode::Meeting, "meeting"),
        (Mode::Agenda, "agenda"),
    ];

    pub fn name(self) -> &'static str {
        Mode::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map_or("main", |(_, n)| n)
    }

    /// Whether keys that are not bound here are typed as text.
    pub fn takes_text(self) -> bool {
        matches!(
            self,
            Mode::Points | Mode::Reason | Mode::Search | Mode::Prompt
        )
    }
}

/// One key as written in the map: a code and its modifiers.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

impl Key {
    pub fn parse(s: &str) -> Option<Key> {
        let mut mods = KeyModifiers::NONE;
        let mut rest = s;
        loop {
            if let Some(r) = rest.strip_prefix("ctrl-") {
                mods |= KeyModifiers::CONTROL;
                rest = r;
            } else if let Some(r) = rest.strip_prefix("alt-") {
                mods |= KeyModifiers::ALT;
                rest = r;
            } else {
                break;
            }
        }
        let code = match rest {
            "up" => KeyCode::Up,
            "down" => KeyCode::Down,
            "left" => KeyCode::Left,
            "right" => KeyCode::Right,
            "pageup" => KeyCode::PageUp,
            "pagedown" => KeyCode::PageDown,
            "home" => KeyCode::Home,
            "end" => KeyCode::End,
            "enter" => KeyCode::Enter,
            "esc" => KeyCode::Esc,
            "tab" => KeyCode::Tab,
            "backtab" => KeyCode::BackTab,
            "space" => KeyCode::Char(' '),
            "backspace" => KeyCode::Backspace,
            "delete" => KeyCode::Delete,
            f if f.starts_with('f')
                && f.len() > 1
                && f[1..].chars().all(|c| c.is_ascii_digit()) =>
            {
                KeyCode::F(f[1..].parse().ok()?)
            }
            c if c.chars().count() == 1 => KeyCode::Char(c.chars().next()?),
            _ => return None,
        };
        Some(Key { code, mods })
    }

    /// The key of a terminal event, normalised (shift is part of the character).
    pub fn of(ev: &KeyEvent) -> Key {
        let mut mods = ev.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT);
        let code = match ev.code {
            KeyCode::Char(c) if mods.contains(KeyModifiers::CONTROL) => {
                KeyCode::Char(c.to_ascii_lowercase())
            }
            c => c,
        };
        if code == KeyCode::BackTab {
            mods = KeyModifiers::NONE;
        }
        Key { code, mods }
    }

    /// As shown in the help and hints.
    pub fn label(&self) -> String {
        let base = match self.code {
            KeyCode::Up => "↑".into(),
            KeyCode::Down => "↓".into(),
            KeyCode::Left => "←".into(),
            KeyCode::Right => "→".into(),
            KeyCode::PageUp => "PgUp".into(),
            KeyCode::PageDown => "PgDn".into(),
            KeyCode::Home => "Home".into(),
            KeyCode::End => "End".into(),
            KeyCode::Enter => "Enter".into(),
            KeyCode::Esc => "Esc".into(),
            KeyCode::Tab => "Tab".into(),
            KeyCode::BackTab => "S-Tab".into(),
            KeyCode::Backspace => "Bksp".into(),
            KeyCode::Delete => "Del".into(),
            KeyCode::Char(' ') => "Space".into(),
            KeyCode::F(n) => format!("F{n}"),
            KeyCode::Char(c) => c.to_string(),
            _ => "?".into(),
        };
        let mut s = String::new();
        if self.mods.contains(KeyModifiers::CONTROL) {
            s += "C-";
        }
        if self.mods.contains(KeyModifiers::ALT) {
            s += "M-";
        }
        s + &base
    }
}

/// Per mode, each action with its keys, in the order of the map's text.
#[derive(Clone, Debug)]
pub struct KeyMap {
    pub modes: BTreeMap<Mode, Vec<(Action, Vec<Key>)>>,
}

/// The actions a mode must keep a key for, or the user would be trapped in it.
const ESSENTIAL: &[(Mode, Action)] = &[
    (Mode::Main, Action::Quit),
    (Mode::Points, Action::Cancel),
    (Mode::Points, Action::Save),
    (Mode::Reason, Action::Cancel),
    (Mode::Reason, Action::Save),
    (Mode::List, Action::Cancel),
    (Mode::Search, Action::Cancel),
    (Mode::Prompt, Action::Cancel),
    (Mode::Help, Action::Close),
    (Mode::Confirm, Action::No),
    (Mode::Meeting, Action::Close),
    (Mode::Agenda, Action::Close),
];

impl KeyMap {
    /// The default map.
    pub fn default_map() -> KeyMap {
        Self::parse(DEFAULT, "the built-in key map").unwrap_or_else(|e| {
            panic!("the built-in key map is valid TOML checked by tests: {e:#}")
        })
    }

    fn parse(text: &str, origin: &str) -> Result<KeyMap> {
        let table: toml::Table = toml::from_str(text)
            .with_context(|| crate::i18n::say(|w| fill(w.er_reading, &[&origin])))?;
        if let Some(unknown) = table
            .keys()
            .find(|k| !Mode::ALL.iter().any(|(_, n)| n == k))
        {
            let names: Vec<&str> = Mode::ALL.iter().map(|(_, n)| *n).collect();
            bail!(
                "{}",
                crate::i18n::say(|w| fill(
                    w.er_there_section_sections_are,
                    &[&origin, &unknown, &(names.join(", "))]
                ))
            );
        }
        let mut modes = BTreeMap::new();
        for (mode, name) in Mode::ALL {
            let mut list = Vec::new();
            if let Some(section) = table.get(name) {
                let section = section.as_table().with_context(|| {
                    crate::i18n::say(|w| fill(w.er_must_table_actions, &[&origin, &name]))
                })?;
                for (action, keys) in section {
                    let parsed = Action::deserialize(toml::Value::String(action.clone()))
                        .ok()
                        .filter(|a| allowed(mode, a))
                        .with_context(|| {
                            crate::i18n::say(|w| fill(w.er_no_action, &[&origin, &name, action]))
                        })?;
                    let keys = keys
                        .as_array()
                        .with_context(|| {
                            format!("{origin}: [{name}] {action} must be a list of keys")
                        })?
                        .iter()
                        .map(|k| {
                            let s = k.as_str().unwrap_or("");
                            Key::parse(s).with_context(|| {
                                format!("{origin}: [{name}] {action}: `{s}` is not a key")
                            })
                        })
                        .collect::<Result<Vec<_>>>()?;
                    list.push((parsed, keys));
                }
            }
            modes.insert(mode, list);
        }
        Ok(KeyMap { modes })
    }

    /// The default map with the user's file laid over it (when the file exists).
    pub fn load(user: Option<&Path>) -> Result<KeyMap> {
        let mut map = Self::default_map();
        let Some(path) = user.filter(|p| p.exists()) else {
            return Ok(map);
        };
        let text = std::fs::read_to_string(path)
            .with_context(|| crate::i18n::say(|w| fill(w.er_reading, &[&path.display()])))?;
        let origin = path.display().to_string();
        let theirs = Self::parse(&text, &origin)?;
        for (mode, actions) in theirs.modes {
            let ours = map.modes.entry(mode).or_default();
            for (action, keys) in actions {
                match ours.iter_mut().find(|(a, _)| *a == action) {
                    Some((_, k)) => *k = keys,
                    None => ours.push((action, keys)),
                }
            }
        }
        map.check_twice(&origin)?;
        for (mode, action) in ESSENTIAL {
            if map.first_key(*mode, action).is_none() {
                bail!(
                    "{}",
                    crate::i18n::say(|w| fill(
                        w.er_key_left_keep_at,
                        &[&origin, &mode.name(), &toml_name(action)]
                    ))
                );
            }
        }
        Ok(map)
    }

    /// Refuses a map that binds one key to two actions of a mode (only the first would ever run).
    fn check_twice(&self, origin: &str) -> Result<()> {
        for (mode, actions) in &self.modes {
            let mut seen: Vec<(Key, &Action)> = Vec::new();
            for (action, keys) in actions {
                for key in keys {
                    if let Some((_, first)) = seen.iter().find(|(k, _)| k == key) {
                        bail!(
                            "{}",
                            crate::i18n::say(|w| fill(
                                w.er_key_twice,
                                &[
                                    &origin,
                                    &mode.name(),
                                    &key.label(),
                                    &toml_name(first),
                                    &toml_name(action)
                                ]
                            ))
                        );
                    }
                    seen.push((*key, action));
                }
            }
        }
        Ok(())
    }

    /// The action a key triggers in a mode.
    pub fn action(&self, mode: Mode, key: Key) -> Option<&Action> {
        self.modes
            .get(&mode)?
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(a, _)| a)
    }

    /// The first key of an action in a mode, if it has one.
    fn first_key(&self, mode: Mode, action: &Action) -> Option<&Key> {
        self.modes
            .get(&mode)
            .and_then(|l| l.iter().find(|(a, _)| a == action))
            .and_then(|(_, k)| k.first())
    }

    /// The first key of an action, as a label (`—` when it has none).
    pub fn key_of(&self, mode: Mode, action: &Action) -> String {
        self.first_key(mode, action)
            .map_or_else(|| "—".into(), Key::label)
    }

    /// Every binding of a mode: (keys, description).
    pub fn describe(&self, mode: Mode, lang: Lang) -> Vec<(String, String)> {
        self.modes
            .get(&mode)
            .map(|l| {
                l.iter()
                    .map(|(a, keys)| {
                        (
                            keys.iter().map(Key::label).collect::<Vec<_>>().join(" "),
                            describe(a, lang).to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The name of an action in the key map's TOML.
pub fn toml_name(action: &Action) -> String {
    let debug = format!("{action:?}");
    let mut out = String::new();
    for (i, c) in debug
        .chars()
        .take_while(|c| c.is_alphanumeric())
        .enumerate()
    {
        if c.is_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(c.to_ascii_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// Which actions mean something in a mode.
fn allowed(mode: Mode, a: &Action) -> bool {
    use Action::*;
    match mode {
        Mode::Main => !matches!(
            a,
            Save | Cancel
                | NextField
                | Choose
                | Close
                | Yes
                | No
                | Present
                | Absent
                | Written
                | Approve
                | Object
                | MoveUp
                | MoveDown
                | Remove
        ),
        Mode::Points => matches!(a, Save | Cancel | NextField | StepUp | StepDown | ToggleNa),
        Mode::Reason => matches!(a, Save | Cancel | NextField | ToggleNa),
        Mode::List => matches!(a, Up | Down | Choose | Cancel),
        Mode::Search => matches!(a, Up | Down | Choose | Cancel),
        Mode::Prompt => matches!(a, Choose | Cancel),
        Mode::Help => matches!(a, Close | Up | Down | PageUp | PageDown),
        Mode::Confirm => matches!(a, Yes | No | Up | Down | PageUp | PageDown),
        Mode::Meeting => matches!(
            a,
            Up | Down | Present | Absent | Written | Approve | Object | Close
        ),
        Mode::Agenda => matches!(a, Up | Down | MoveUp | MoveDown | Remove | Choose | Close),
    }
}

/// What an action does, in words.
pub fn describe(action: &Action, lang: Lang) -> &'static str {
    let w = lang.words();
    use Action::*;
    match action {
        Quit => w.key_quit,
        Help => w.key_help,
        Up => w.key_up,
        Down => w.key_down,
        PageUp => w.key_page_up,
        PageDown => w.key_page_down,
        Top => w.key_top,
        Bottom => w.key_bottom,
        FocusNext => w.key_focus_next,
        FocusPrev => w.key_focus_prev,
        Open => w.key_open,
        Fold => w.key_fold,
        NextLook => w.key_next_look,
        PrevLook => w.key_prev_look,
        Accept => w.key_accept,
        AcceptProven => w.key_accept_proven,
        StepUp => w.key_step_up,
        StepDown => w.key_step_down,
        TypePoints => w.key_type_points,
        PickLevel => w.key_pick_level,
        ToggleNa => w.key_toggle_na,
        Comment => w.key_comment,
        Undo => w.key_undo,
        Redo => w.key_redo,
        Member => w.key_member,
        NextGroup => w.key_next_group,
        PrevGroup => w.key_prev_group,
        OpenEvidence => w.key_open_evidence,
        Presenter => w.key_presenter,
        Search => w.key_search,
        Across => w.key_across,
        Overview => w.key_overview,
        SortGap => w.key_sort_gap,
        Language => w.key_language,
        SignOff => w.key_sign_off,
        Export => w.key_export,
        Ask => w.key_ask,
        CloseRound => w.key_close_round,
        Queue => w.key_queue,
        Progress => w.key_progress,
        AgendaNext => w.key_agenda_next,
        AgendaMark => w.key_agenda_mark,
        Votes => w.key_votes,
        Pending => w.key_pending,
        Agenda => w.key_agenda,
        Present => w.key_present,
        Absent => w.key_absent,
        Written => w.key_written,
        Approve => w.key_approve,
        Object => w.key_object,
        MoveUp => w.key_move_up,
        MoveDown => w.key_move_down,
        Remove => w.key_remove,
        DetailUp => w.key_detail_up,
        DetailDown => w.key_detail_down,
        Save => w.key_save,
        Cancel => w.key_cancel,
        NextField => w.key_next_field,
        Choose => w.key_choose,
        Close => w.key_close,
        Yes => w.key_yes,
        No => w.key_no,
        Input(_) | Paste(_) | Tick | Resize(..) | Opened(_) => "",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_map_parses_and_every_action_is_described() {
        let m = KeyMap::default_map();
        for actions in m.modes.values() {
            for (a, keys) in actions {
                assert!(!keys.is_empty(), "{a:?}");
                assert!(
                    !describe(a, Lang::Vi).is_empty(),
                    "{a:?} has no description"
                );
                assert!(
                    !describe(a, Lang::En).is_empty(),
                    "{a:?} has no description"
                );
            }
        }
        assert_eq!(
            m.action(Mode::Main, Key::parse("q").unwrap()),
            Some(&Action::Quit)
        );
        let order: Vec<&Action> = m.modes[&Mode::Main]
            .iter()
            .take(3)
            .map(|(a, _)| a)
            .collect();
        assert_eq!(
            order,
            [&Action::Quit, &Action::Help, &Action::Up],
            "the order of the default map's text"
        );
        assert_eq!(
            m.action(Mode::Reason, Key::parse("ctrl-s").unwrap()),
            Some(&Action::Save)
        );
        assert_eq!(toml_name(&Action::AcceptProven), "accept_proven");
        m.check_twice("the built-in key map")
            .expect("no key is bound twice in a mode");
    }

    #[test]
    fn a_user_file_replaces_keys_and_refuses_unknown_actions_and_traps() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("keys.toml");
        std::fs::write(&p, "[main]\nquit = [\"ctrl-q\"]\n").unwrap();
        let m = KeyMap::load(Some(&p)).unwrap();
        assert_eq!(
            m.action(Mode::Main, Key::parse("ctrl-q").unwrap()),
            Some(&Action::Quit)
        );
        assert_eq!(m.action(Mode::Main, Key::parse("q").unwrap()), None);
        std::fs::write(&p, "[main]\nfly = [\"f\"]\n").unwrap();
        assert!(format!("{:#}", KeyMap::load(Some(&p)).unwrap_err()).contains("no action `fly`"));
        std::fs::write(&p, "[reason]\nup = [\"up\"]\n").unwrap();
        assert!(
            format!("{:#}", KeyMap::load(Some(&p)).unwrap_err())
                .contains("[reason] has no action `up`")
        );
        std::fs::write(&p, "[main]\nquit = []\n").unwrap();
        let e = format!("{:#}", KeyMap::load(Some(&p)).unwrap_err());
        assert!(e.contains("[main] quit has no key left"), "{e}");
        std::fs::write(&p, "[main]\nundo = [\"r\"]\n").unwrap();
        let e = format!("{:#}", KeyMap::load(Some(&p)).unwrap_err());
        assert!(
            e.contains("[main] `r` is bound to both `undo` and `redo`"),
            "{e}"
        );
        std::fs::write(&p, "[reasons]\nsave = [\"f2\"]\n").unwrap();
        let e = format!("{:#}", KeyMap::load(Some(&p)).unwrap_err());
        assert!(e.contains("no section [reasons]"), "{e}");
    }
}
