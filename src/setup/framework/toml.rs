//! A framework as the TOML file the loader reads.

use crate::forms::toml_str;
use crate::model::{Framework, Leaf, Rule};

/// A framework as the TOML file the loader reads (`data-format.md`).
pub fn framework_toml(fw: &Framework) -> String {
    use std::fmt::Write as _;
    let mut s = String::new();
    let _ = writeln!(s, "id = {}", toml_str(&fw.id));
    let _ = writeln!(s, "name = {}", toml_str(&fw.name));
    let _ = writeln!(s, "year = {}", fw.year);
    let _ = writeln!(s, "step = {}", fw.step.short());
    if let Some(cap) = fw.max_index {
        let _ = writeln!(s, "max_index = {}", cap.short());
    }
    for b in &fw.bands {
        let _ = write!(
            s,
            "\n[[band]]\nname = {}\nmin = {}\n",
            toml_str(&b.name),
            b.min.short()
        );
    }
    for f in &fw.fields {
        let _ = write!(
            s,
            "\n[[field]]\ncode = {}\nname = {}\nmax = {}\n",
            toml_str(&f.code),
            toml_str(&f.name),
            fw.max_of(&f.leaves).short()
        );
        for c in &f.criteria {
            let _ = write!(
                s,
                "\n  [[field.criterion]]\n  code = {}\n  name = {}\n",
                toml_str(&c.code),
                toml_str(&c.name)
            );
            if c.scored_itself(&fw.leaves) {
                leaf_toml(&mut s, &fw.leaves[c.leaves.start], "  ");
                continue;
            }
            for l in &fw.leaves[c.leaves.clone()] {
                let _ = write!(
                    s,
                    "\n    [[field.criterion.sub]]\n    code = {}\n    name = {}\n",
                    toml_str(&l.code),
                    toml_str(&l.name)
                );
                leaf_toml(&mut s, l, "    ");
            }
        }
    }
    s
}

fn leaf_toml(s: &mut String, l: &Leaf, ind: &str) {
    use std::fmt::Write as _;
    if !matches!(l.rule, Rule::Deduction { .. }) {
        let _ = writeln!(s, "{ind}max = {}", l.max.short());
    }
    let _ = writeln!(s, "{ind}kind = {}", toml_str(l.rule.kind()));
    match &l.rule {
        Rule::Levels(levels) => {
            let _ = writeln!(s, "{ind}levels = [");
            for lv in levels {
                let _ = writeln!(
                    s,
                    "{ind}  {{ points = {}, label = {} }},",
                    lv.points.short(),
                    toml_str(&lv.label)
                );
            }
            let _ = writeln!(s, "{ind}]");
        }
        Rule::Ratio(bands) => {
            let parts: Vec<String> = bands
                .iter()
                .map(|b| {
                    format!(
                        "{{ min = {}, points = {} }}",
                        b.min.short(),
                        b.points.short()
                    )
                })
                .collect();
            let _ = writeln!(s, "{ind}bands = [{}]", parts.join(", "));
        }
        Rule::Deduction { min } => {
            let _ = writeln!(s, "{ind}min = {}", min.short());
        }
        Rule::Range | Rule::Bonus | Rule::Survey => {}
    }
    if l.na {
        let _ = writeln!(s, "{ind}na = true");
    }
    if let Some(g) = &l.guide {
        let _ = writeln!(s, "{ind}guide = {}", toml_str(g));
    }
    if let Some(e) = &l.evidence {
        let _ = writeln!(s, "{ind}evidence = {}", toml_str(e));
    }
}
