//! Key bindings as data: the default map (embedded TOML) merged with the user's file; help and hints come from it.

use std::collections::BTreeMap;
use std::path::Path;

use anyhow::{Context, Result, bail};
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use crate::i18n::Lang;

const DEFAULT: &str = include_str!("keys.toml");

/// Where a key is read: the main screen or one of the layers above it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Mode {
    Main,
    Dialog,
    List,
    Help,
    Confirm,
}

impl Mode {
    const ALL: [(Mode, &'static str); 5] = [
        (Mode::Main, "main"),
        (Mode::Dialog, "dialog"),
        (Mode::List, "list"),
        (Mode::Help, "help"),
        (Mode::Confirm, "confirm"),
    ];

    pub fn name(self) -> &'static str {
        Mode::ALL
            .iter()
            .find(|(m, _)| *m == self)
            .map_or("main", |(_, n)| n)
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

/// Where an action stands in its section of the default map's text.
fn default_position(section: &str, action: &str) -> usize {
    let mut in_section = false;
    let mut n = 0;
    for line in DEFAULT.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_section = line == format!("[{section}]");
            continue;
        }
        if in_section && let Some((name, _)) = line.split_once('=') {
            if name.trim() == action {
                return n;
            }
            n += 1;
        }
    }
    usize::MAX
}

/// Action names per mode, each with its keys, in the order of the default map.
#[derive(Clone, Debug)]
pub struct KeyMap {
    pub modes: BTreeMap<Mode, Vec<(String, Vec<Key>)>>,
}

impl KeyMap {
    /// The default map.
    pub fn default_map() -> KeyMap {
        Self::parse(DEFAULT, "the built-in key map").unwrap_or_else(|e| {
            panic!("the built-in key map is valid TOML checked by tests: {e:#}")
        })
    }

    fn parse(text: &str, origin: &str) -> Result<KeyMap> {
        let table: toml::Table =
            toml::from_str(text).with_context(|| format!("reading {origin}"))?;
        let mut modes = BTreeMap::new();
        for (mode, name) in Mode::ALL {
            let mut list = Vec::new();
            if let Some(section) = table.get(name).and_then(|v| v.as_table()) {
                for (action, keys) in section {
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
                    list.push((action.clone(), keys));
                }
            }
            // TOML tables do not keep their order; the help lists actions in the
            // order of the default map's text.
            list.sort_by_key(|(action, _)| default_position(name, action));
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
        let text =
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
        let theirs = Self::parse(&text, &path.display().to_string())?;
        for (mode, actions) in theirs.modes {
            let ours = map.modes.entry(mode).or_default();
            for (action, keys) in actions {
                match ours.iter_mut().find(|(a, _)| *a == action) {
                    Some((_, k)) => *k = keys,
                    None => bail!(
                        "{}: [{}] has no action `{action}`",
                        path.display(),
                        mode.name()
                    ),
                }
            }
        }
        Ok(map)
    }

    /// The action a key triggers in a mode.
    pub fn action(&self, mode: Mode, key: Key) -> Option<&str> {
        self.modes
            .get(&mode)?
            .iter()
            .find(|(_, keys)| keys.contains(&key))
            .map(|(a, _)| a.as_str())
    }

    /// The first key of an action, as a label.
    pub fn key_of(&self, mode: Mode, action: &str) -> String {
        self.modes
            .get(&mode)
            .and_then(|l| l.iter().find(|(a, _)| a == action))
            .and_then(|(_, k)| k.first())
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
                            describe(mode, a, lang).to_string(),
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// What an action does, in words.
pub fn describe(mode: Mode, action: &str, lang: Lang) -> &'static str {
    let (vi, en) = match (mode, action) {
        (_, "quit") => (
            "thoát (mọi quyết định đã được lưu)",
            "quit (every decision is already saved)",
        ),
        (_, "help") => ("trợ giúp: các phím", "help: the keys"),
        (_, "up") => ("lên", "up"),
        (_, "down") => ("xuống", "down"),
        (_, "page_up") => ("lên một trang", "page up"),
        (_, "page_down") => ("xuống một trang", "page down"),
        (_, "top") => ("đầu danh sách", "first row"),
        (_, "bottom") => ("cuối danh sách", "last row"),
        (_, "focus_next") => ("sang khung bên phải", "next pane"),
        (_, "focus_prev") => ("sang khung bên trái", "previous pane"),
        (_, "open") => (
            "chọn đơn vị / chấm tiêu chí / mở-gập lĩnh vực",
            "choose unit / decide leaf / fold field",
        ),
        (_, "fold") => ("mở hoặc gập lĩnh vực", "fold or unfold the field"),
        (_, "next_look") => ("tiêu chí kế tiếp cần xem", "next leaf that needs a look"),
        (_, "prev_look") => ("tiêu chí trước cần xem", "previous leaf that needs a look"),
        (_, "accept") => ("chấp nhận điểm tự chấm", "accept the self points"),
        (Mode::Main, "step_up") | (Mode::Dialog, "step_up") => {
            ("tăng điểm một bước", "step the points up")
        }
        (Mode::Main, "step_down") | (Mode::Dialog, "step_down") => {
            ("giảm điểm một bước", "step the points down")
        }
        (_, "type_points") => ("nhập điểm thẩm định", "type the appraised points"),
        (_, "pick_level") => ("chọn mức điểm", "pick a level"),
        (_, "toggle_na") => (
            "không áp dụng / áp dụng lại",
            "not applicable / applicable again",
        ),
        (_, "comment") => ("viết nhận xét", "write a comment"),
        (_, "undo") => ("hoàn tác quyết định của mình", "undo my last decision"),
        (_, "redo") => ("làm lại", "redo"),
        (_, "member") => (
            "chọn thành viên ghi quyết định",
            "choose the recording member",
        ),
        (_, "next_group") => ("nhóm kế tiếp", "next group"),
        (_, "prev_group") => ("nhóm trước", "previous group"),
        (_, "open_evidence") => ("mở tệp tài liệu kiểm chứng", "open the evidence file"),
        (_, "presenter") => ("chế độ trình chiếu", "presenter mode"),
        (_, "search") => (
            "tìm đơn vị, tiêu chí (có hoặc không dấu)",
            "search units and criteria (with or without diacritics)",
        ),
        (_, "across") => (
            "một tiêu chí của mọi đơn vị trong nhóm",
            "one leaf across every unit of the group",
        ),
        (_, "overview") => (
            "tổng quan: chỉ số thành phần theo lĩnh vực",
            "overview: component indexes by field",
        ),
        (_, "language") => ("đổi ngôn ngữ", "switch language"),
        (_, "sign_off") => ("ký duyệt kết quả", "sign off the result"),
        (_, "export") => (
            "xuất kết quả hiện tại (xlsx, biên bản, csv)",
            "export the current result (xlsx, minutes, csv)",
        ),
        (_, "save") => ("lưu quyết định", "save the decision"),
        (_, "cancel") => ("huỷ", "cancel"),
        (_, "next_field") => (
            "chuyển giữa điểm và nhận xét",
            "switch between points and comment",
        ),
        (_, "choose") => ("chọn", "choose"),
        (_, "close") => ("đóng", "close"),
        (_, "yes") => ("đồng ý", "yes"),
        (_, "no") => ("không", "no"),
        _ => ("", ""),
    };
    match lang {
        Lang::Vi => vi,
        Lang::En => en,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_map_parses_and_every_action_is_described() {
        let m = KeyMap::default_map();
        for (mode, actions) in &m.modes {
            for (a, keys) in actions {
                assert!(!keys.is_empty(), "{a}");
                assert!(
                    !describe(*mode, a, Lang::Vi).is_empty(),
                    "{a} has no description"
                );
                assert!(
                    !describe(*mode, a, Lang::En).is_empty(),
                    "{a} has no description"
                );
            }
        }
        assert_eq!(m.action(Mode::Main, Key::parse("q").unwrap()), Some("quit"));
        let order: Vec<&str> = m.modes[&Mode::Main]
            .iter()
            .take(3)
            .map(|(a, _)| a.as_str())
            .collect();
        assert_eq!(
            order,
            ["quit", "help", "up"],
            "the order of the default map's text"
        );
        assert_eq!(
            m.action(Mode::Dialog, Key::parse("ctrl-s").unwrap()),
            Some("save")
        );
    }

    #[test]
    fn a_user_file_replaces_keys_and_refuses_unknown_actions() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("keys.toml");
        std::fs::write(&p, "[main]\nquit = [\"ctrl-q\"]\n").unwrap();
        let m = KeyMap::load(Some(&p)).unwrap();
        assert_eq!(
            m.action(Mode::Main, Key::parse("ctrl-q").unwrap()),
            Some("quit")
        );
        assert_eq!(m.action(Mode::Main, Key::parse("q").unwrap()), None);
        std::fs::write(&p, "[main]\nfly = [\"f\"]\n").unwrap();
        assert!(format!("{:#}", KeyMap::load(Some(&p)).unwrap_err()).contains("no action `fly`"));
    }
}
