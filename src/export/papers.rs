//! The papers an office signs, as Word documents per Nghị định 30: the minutes (`bien-ban.docx`), the draft decision publishing the result with its landscape annex (`du-thao-quyet-dinh.docx`), and a closed round's notice to a unit (`thong-bao/<unit>.docx`).

use anyhow::Result;

use super::docx::{Align, Cell, Docx, LANDSCAPE_WIDTH, PORTRAIT_WIDTH, Para, Table};
use super::{NOT_SELF_ASSESSED, Snapshot, at_meeting, member_name, points_or_kad};
use crate::appraisal::self_value;
use crate::model::Council;
use crate::session::meeting::Attendance;

/// The place line's date: the sign-off's local date when the paper is made
/// from a signed result, else dotted for the hand.
fn date_line(signed_on: Option<(i64, u32, u32)>) -> String {
    match signed_on {
        Some((y, m, d)) => format!("……, ngày {d:02} tháng {m:02} năm {y}"),
        None => "……, ngày …… tháng …… năm ……".into(),
    }
}

/// The sign-off's date in Vietnam, when the result is signed.
fn signed_on(snap: &Snapshot) -> Option<(i64, u32, u32)> {
    let (_, at) = snap.signed.as_ref()?;
    crate::session::time::vietnam(at).map(|(y, m, d, ..)| (y, m, d))
}

/// The heading block of a council's paper: the issuing body (the authority,
/// then the council) with the paper's number on the left, the national name,
/// the motto and the place and date on the right.
fn heading(d: &mut Docx, c: &Council, number: &str, date: &str) {
    let issuer = vec![
        Para::text(c.authority.to_uppercase())
            .center()
            .size(26)
            .space(0, 0),
        Para::new()
            .bold("HỘI ĐỒNG THẨM ĐỊNH")
            .center()
            .size(26)
            .space(0, 120),
        Para::text(format!("Số: ……/{number}"))
            .center()
            .size(26)
            .space(0, 0),
    ];
    heading_block(d, issuer, date);
}

/// A heading block as Nghị định 30 lays it out: a borderless two-column
/// table, the issuer's lines on the left; on the right the national name (on
/// one line), the motto underlined and the place and date in italics.
fn heading_block(d: &mut Docx, issuer: Vec<Para>, date: &str) {
    let left = PORTRAIT_WIDTH * 2 / 5;
    let mut t = Table::plain(vec![left, PORTRAIT_WIDTH - left]);
    t.row(vec![
        Cell::of(issuer),
        Cell::of(vec![
            Para::new()
                .bold("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM")
                .center()
                .size(24)
                .space(0, 0),
            Para::new()
                .bold_underlined("Độc lập - Tự do - Hạnh phúc")
                .center()
                .size(26)
                .space(0, 120),
            Para::new().italic(date).center().space(0, 0),
        ]),
    ]);
    d.table(&t);
}

/// The paper's name in bold capitals, centred, its summary under it.
fn title(d: &mut Docx, name: &str, summary: &str) {
    d.para(Para::new().bold(name).center().space(360, 0).keep_next());
    d.para(Para::new().bold(summary).center().space(0, 240).keep_next());
}

/// A heading in the body, kept with what follows.
fn section(d: &mut Docx, text: &str) {
    d.para(Para::new().bold(text).space(120, 60).keep_next());
}

/// Signature blocks side by side (title, a note, room to sign, the name),
/// kept on the page of the paragraph before them.
fn signatures(d: &mut Docx, blocks: &[(&str, &str)]) {
    let n = blocks.len().max(1) as u32;
    let mut t = Table::plain(vec![PORTRAIT_WIDTH / n; blocks.len().max(1)]).keep_together();
    t.row(
        blocks
            .iter()
            .map(|(role, name)| {
                Cell::of(vec![
                    Para::new().bold(*role).center().space(240, 0),
                    Para::new()
                        .italic("(Ký, ghi rõ họ tên)")
                        .center()
                        .size(26)
                        .space(0, 1300),
                    Para::new().bold(*name).center().space(0, 0),
                ])
            })
            .collect(),
    );
    d.table(&t);
}

fn name_of(c: &Council, chair: bool) -> &str {
    c.members
        .iter()
        .find(|m| if chair { m.chair } else { m.secretary })
        .map_or("", |m| m.name.as_str())
}

/// The minutes of the meeting (biên bản), the annex on landscape pages.
pub fn minutes(snap: &Snapshot) -> Result<Vec<u8>> {
    let c = snap.council;
    let mut d = Docx::new();
    heading(&mut d, c, "BB-HĐTĐ", &date_line(signed_on(snap)));
    title(
        &mut d,
        "BIÊN BẢN",
        &format!(
            "Họp {}\nthẩm định kết quả Chỉ số cải cách hành chính năm {}",
            c.name, c.year
        ),
    );
    section(&mut d, "I. THỜI GIAN, ĐỊA ĐIỂM");
    d.para(Para::text(match snap.local_time() {
        Some((y, m, dd, hh, mm, _)) => format!(
            "Thời gian: {hh:02} giờ {mm:02}, ngày {dd:02}/{m:02}/{y} (giờ Việt Nam; thời điểm {} của phiên thẩm định).",
            if snap.signed.is_some() {
                "ký duyệt"
            } else {
                "quyết định sau cùng"
            }
        ),
        None => "Thời gian: …… giờ ……, ngày …… tháng …… năm ……".into(),
    }).indent());
    d.para(Para::text("Địa điểm: ……………………………………………………………………").indent());
    members(&mut d, snap);
    decisions(&mut d, snap);
    ranking(&mut d, snap);
    conclusion(&mut d, snap);
    d.end_section(false);
    annex(&mut d, snap, None);
    d.finish(true)
}

fn members(d: &mut Docx, snap: &Snapshot) {
    let c = snap.council;
    section(d, "II. THÀNH PHẦN");
    d.para(
        Para::text(format!(
            "Chủ trì: {}. Thư ký: {}.",
            or_dots(name_of(c, true)),
            or_dots(name_of(c, false))
        ))
        .indent(),
    );
    let (council, team): (Vec<_>, Vec<_>) = c
        .members
        .iter()
        .partition(|m| m.voting || m.chair || m.secretary);
    d.para(Para::text(format!("Thành viên Hội đồng ({} người):", council.len())).keep_next());
    let present = attendance(d, snap, &council);
    if !team.is_empty() {
        d.para(Para::text(format!("Tổ giúp việc ({} người):", team.len())).keep_next());
        attendance(d, snap, &team);
    }
    d.para(Para::text(if snap.attendance.is_empty() {
        format!("Số thành viên có mặt: ……/{}.", council.len())
    } else {
        format!("Số thành viên có mặt: {present}/{}.", council.len())
    }));
}

fn or_dots(s: &str) -> &str {
    if s.is_empty() {
        "……………………"
    } else {
        s
    }
}

/// A table of members with their attendance (present, absent, written
/// approval; empty for the hand where none was recorded); how many present.
fn attendance(d: &mut Docx, snap: &Snapshot, members: &[&crate::model::Member]) -> usize {
    let w = PORTRAIT_WIDTH;
    let mut t = Table::headed(
        w,
        &[
            (8, "STT"),
            (32, "Họ và tên"),
            (30, "Chức vụ"),
            (12, "Có mặt"),
            (18, "Vắng mặt"),
        ],
    );
    let mut present = 0;
    for (i, m) in members.iter().enumerate() {
        let recorded = snap.attendance.get(&m.id);
        let by = at_meeting(snap.council, recorded.and_then(|a| a.recorder.as_deref()));
        let (here, away) = match recorded.map(|a| &a.how) {
            Some(Attendance::Present) => {
                present += 1;
                (format!("x{by}"), String::new())
            }
            Some(Attendance::Absent) => (String::new(), format!("x{by}")),
            Some(Attendance::Written(r)) => {
                (String::new(), format!("x (ý kiến bằng văn bản: {r})"))
            }
            None => (String::new(), String::new()),
        };
        t.row(vec![
            Cell::text((i + 1).to_string(), Align::Center),
            Cell::text(&m.name, Align::Left),
            Cell::text(&m.role, Align::Left),
            Cell::text(here, Align::Center),
            Cell::text(away, Align::Center),
        ]);
    }
    d.table(&t);
    present
}

fn decisions(d: &mut Docx, snap: &Snapshot) {
    let c = snap.council;
    section(d, "III. NỘI DUNG");
    section(d, "1. Kết quả thẩm định từng đơn vị");
    let mut unchanged = Vec::new();
    let mut changed = Vec::new();
    for g in 0..c.groups.len() {
        for &u in snap.ranked(g) {
            let changes = snap.changes(u);
            if changes.is_empty() {
                unchanged.push(u);
            } else {
                changed.push((u, changes));
            }
        }
    }
    let leaves: usize = changed.iter().map(|(_, ch)| ch.len()).sum();
    d.para(Para::text(format!(
        "Hội đồng đã thẩm định {} đơn vị; {} đơn vị có điểm thẩm định khác điểm tự đánh giá, ở {leaves} tiêu chí, với lý do như sau (KAD: không áp dụng).",
        c.units.len(),
        changed.len()
    )).indent());
    let w = PORTRAIT_WIDTH;
    for (u, changes) in changed {
        let st = &snap.standings.units[u];
        let fw = c.framework_of(u);
        d.para(
            Para::new()
                .bold(format!("{} ({})", c.units[u].name, c.units[u].id))
                .plain(format!(
                    ": tự chấm {} điểm, thẩm định {} điểm; chỉ số {}% ({}).",
                    st.self_score.total,
                    st.score.total,
                    st.score.index_text(),
                    fw.bands[st.band].name
                ))
                .keep_next(),
        );
        let mut t = Table::headed(
            w,
            &[
                (9, "Mã"),
                (30, "Tiêu chí"),
                (11, "Tự chấm"),
                (11, "Thẩm định"),
                (25, "Lý do"),
                (14, "Người quyết định"),
            ],
        );
        for (l, dec) in changes {
            let leaf = &fw.leaves[l];
            let own = if crate::appraisal::self_assessed(c, u, l) {
                points_or_kad(self_value(c, u, l))
            } else {
                NOT_SELF_ASSESSED.to_string()
            };
            t.row(vec![
                Cell::text(&leaf.code, Align::Left),
                Cell::text(&leaf.name, Align::Left),
                Cell::text(own, Align::Right),
                Cell::text(points_or_kad(snap.appraisal.value(c, u, l)), Align::Right),
                Cell::text(&dec.comment, Align::Left),
                Cell::text(member_name(c, &dec.member), Align::Left),
            ]);
        }
        d.table(&t);
    }
    if !unchanged.is_empty() {
        let names: Vec<String> = unchanged
            .iter()
            .map(|&u| {
                let mut n = c.units[u].name.clone();
                if !c.submitted(u) {
                    n.push_str(" (chưa nộp tự đánh giá)");
                }
                n
            })
            .collect();
        d.para(
            Para::text(format!(
                "Giữ nguyên điểm tự đánh giá ({} đơn vị): {}.",
                unchanged.len(),
                names.join("; ")
            ))
            .indent(),
        );
    }
}

fn ranking(d: &mut Docx, snap: &Snapshot) {
    let c = snap.council;
    section(d, "2. Kết quả xếp hạng và xếp loại");
    let w = PORTRAIT_WIDTH;
    for (g, group) in c.groups.iter().enumerate() {
        let fw = snap.framework(g);
        d.para(Para::new().bold(&group.name).keep_next());
        let mut t = Table::headed(
            w,
            &[
                (8, "Hạng"),
                (34, "Đơn vị"),
                (11, "Tự chấm"),
                (11, "Thẩm định"),
                (10, "Tối đa"),
                (11, "Chỉ số (%)"),
                (15, "Xếp loại"),
            ],
        );
        for &u in snap.ranked(g) {
            let st = &snap.standings.units[u];
            t.row(vec![
                Cell::text(st.rank.to_string(), Align::Center),
                Cell::text(&c.units[u].name, Align::Left),
                Cell::text(st.self_score.total.to_string(), Align::Right),
                Cell::text(st.score.total.to_string(), Align::Right),
                Cell::text(st.score.max.to_string(), Align::Right),
                Cell::text(st.score.index_text(), Align::Right),
                Cell::text(&fw.bands[st.band].name, Align::Center),
            ]);
        }
        d.table(&t);
    }
}

/// The units whose self-assessment stood out above the council's result.
pub(super) const STANDING_OUT: &str = "Đơn vị tự chấm cao hơn kết quả thẩm định đáng kể (chênh trên 10 điểm chỉ số, hoặc trong 1/10 chênh lớn nhất của nhóm)";

fn conclusion(d: &mut Docx, snap: &Snapshot) {
    let c = snap.council;
    let out = snap.standing_out_words();
    if !out.is_empty() {
        d.para(Para::text(format!("{STANDING_OUT}: {}.", out.join("; "))).indent());
    }
    section(d, "IV. KẾT LUẬN");
    let a = &snap.approval;
    let voting = a.members.len();
    if a.members.iter().all(|s| s.vote.is_none()) {
        d.para(Para::text(format!(
            "Hội đồng biểu quyết thông qua kết quả thẩm định và xếp hạng nêu trên: tán thành ……/{voting} thành viên biểu quyết; không tán thành ……; ý kiến khác: ……………………………………"
        )).indent());
    } else {
        d.para(Para::text(format!(
            "Hội đồng biểu quyết kết quả thẩm định và xếp hạng nêu trên: tán thành {}/{voting} thành viên biểu quyết (kể cả ý kiến bằng văn bản), không tán thành {}. Kết quả {} (cần trên {} tổng số thành viên biểu quyết, tức {} phiếu).",
            a.approve,
            a.object,
            if a.approved { "được thông qua" } else { "chưa được thông qua" },
            a.share,
            a.needed
        )).indent().keep_next());
        let w = PORTRAIT_WIDTH;
        let mut t = Table::headed(w, &[(35, "Thành viên"), (35, "Biểu quyết"), (30, "Ý kiến")]);
        for s in &a.members {
            let (how, note) = match &s.vote {
                Some(v) if s.stale => ("không còn được tính".to_string(), v.comment.clone()),
                Some(v) => {
                    let mut how = if v.approve {
                        "tán thành"
                    } else {
                        "không tán thành"
                    }
                    .to_string();
                    how += &at_meeting(c, v.recorder.as_deref());
                    (how, v.comment.clone())
                }
                None => ("chưa biểu quyết".to_string(), String::new()),
            };
            t.row(vec![
                Cell::text(&s.name, Align::Left),
                Cell::text(how, Align::Left),
                Cell::text(note, Align::Left),
            ]);
        }
        d.table(&t);
    }
    if let Some((who, _)) = &snap.signed {
        d.para(Para::text(format!(
            "Kết quả đã được ký duyệt bằng chữ ký số của {}; tệp kết quả kèm theo có thể kiểm tra bằng thamdinh verify.",
            member_name(c, who)
        )).indent());
    } else {
        d.para(
            Para::new()
                .italic("Bản này lập từ kết quả hiện tại của phiên thẩm định, chưa được ký duyệt.")
                .indent(),
        );
    }
    d.para(
        Para::text(
            "Biên bản được lập thành …… bản, thông qua tại cuộc họp và có giá trị từ ngày ký.",
        )
        .indent()
        .keep_next(),
    );
    signatures(
        d,
        &[
            ("THƯ KÝ", name_of(c, false)),
            ("CHỦ TỊCH HỘI ĐỒNG", name_of(c, true)),
        ],
    );
}

/// The annex: per group, rank, unit, each field's points, the total, the
/// index and the band; on landscape pages.
fn annex(d: &mut Docx, snap: &Snapshot, decision: Option<&str>) {
    let c = snap.council;
    d.para(Para::new().bold("PHỤ LỤC").center().space(0, 0).keep_next());
    d.para(
        Para::new()
            .bold(format!("KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {}", c.year))
            .center()
            .space(0, 0)
            .keep_next(),
    );
    d.para(
        Para::new()
            .italic(format!(
                "(Kèm theo {} của {})",
                decision.unwrap_or("Quyết định số ……/QĐ-…… ngày …… tháng …… năm ……"),
                c.authority
            ))
            .center()
            .space(0, 240)
            .keep_next(),
    );
    for (g, group) in c.groups.iter().enumerate() {
        let fw = snap.framework(g);
        d.para(Para::new().bold(&group.name).keep_next());
        // Rank, unit, then the fields sharing what the total, the index
        // and the band leave.
        let part = |pct: u32| LANDSCAPE_WIDTH * pct / 100;
        let (rank, unit, total, index, band) = (part(5), part(21), part(8), part(8), part(9));
        // With last year's verified result: its index and the change beside this year's.
        let last = snap.previous;
        let (before, change) = if last.is_some() {
            (part(7), part(7))
        } else {
            (0, 0)
        };
        let per = (LANDSCAPE_WIDTH - rank - unit - total - index - band - before - change)
            / fw.fields.len().max(1) as u32;
        let mut widths = vec![rank, unit];
        widths.extend(std::iter::repeat_n(per, fw.fields.len()));
        widths.extend([total, index, band]);
        if last.is_some() {
            widths.extend([before, change]);
        }
        let mut t = Table::new(widths).header(1).size(20);
        let mut head = vec![Cell::head("Hạng"), Cell::head("Đơn vị")];
        for f in &fw.fields {
            head.push(Cell::head(format!(
                "LV {}\n({})",
                f.code,
                fw.field_max_label(f)
            )));
        }
        head.push(Cell::head(format!("Tổng điểm\n({})", fw.full_max())));
        head.push(Cell::head("Chỉ số (%)"));
        head.push(Cell::head("Xếp loại"));
        if last.is_some() {
            head.push(Cell::head("Năm trước (%)"));
            head.push(Cell::head("Thay đổi"));
        }
        t.row(head);
        for &u in snap.ranked(g) {
            let st = &snap.standings.units[u];
            let mut row = vec![
                Cell::text(st.rank.to_string(), Align::Center),
                Cell::text(&c.units[u].name, Align::Left),
            ];
            for f in snap.field_scores(u) {
                row.push(Cell::text(f.total.to_string(), Align::Right));
            }
            row.push(Cell::text(st.score.total.to_string(), Align::Right));
            row.push(Cell::text(st.score.index_text(), Align::Right));
            row.push(Cell::text(&fw.bands[st.band].name, Align::Center));
            if let Some(p) = last {
                let b = crate::compare::before(c, u, &st.score, p);
                row.push(Cell::text(
                    b.as_ref()
                        .map(|b| crate::points::Points(b.index).to_string())
                        .unwrap_or_default(),
                    Align::Right,
                ));
                row.push(Cell::text(
                    b.map(|b| {
                        let sign = if b.change > 0 { "+" } else { "" };
                        format!("{sign}{}", crate::points::Points(b.change))
                    })
                    .unwrap_or_default(),
                    Align::Right,
                ));
            }
            t.row(row);
        }
        d.table(&t);
        let legend: Vec<String> = fw
            .fields
            .iter()
            .map(|f| format!("LV {}: {}", f.code, f.name))
            .collect();
        d.para(
            Para::new()
                .italic(format!("{}.", legend.join("; ")))
                .size(22),
        );
    }
}

/// The draft decision of the people's committee publishing the result: its
/// articles with blanks for the number and the date, and the annex.
pub fn decision(snap: &Snapshot) -> Result<Vec<u8>> {
    let c = snap.council;
    let mut d = Docx::new();
    // The people's committee issues it: its name, and the decision's number.
    let issuer = vec![
        Para::new()
            .bold(c.authority.to_uppercase())
            .center()
            .size(26)
            .space(0, 120),
        Para::text("Số: ……/QĐ-……").center().size(26).space(0, 0),
    ];
    heading_block(&mut d, issuer, &date_line(None));
    d.para(
        Para::new()
            .bold("DỰ THẢO")
            .align(Align::Right)
            .size(24)
            .space(120, 0),
    );
    title(
        &mut d,
        "QUYẾT ĐỊNH",
        &format!("Về việc công bố Chỉ số cải cách hành chính năm {}", c.year),
    );
    d.para(
        Para::new()
            .bold(c.authority.to_uppercase())
            .center()
            .space(120, 240)
            .keep_next(),
    );
    for basis in [
        "Căn cứ Luật Tổ chức chính quyền địa phương;".to_string(),
        "Căn cứ Nghị định số 30/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ về công tác văn thư;".to_string(),
        format!(
            "Căn cứ kết quả thẩm định của {} và Biên bản họp Hội đồng số ……/BB-HĐTĐ ngày ……;",
            c.name
        ),
        "Theo đề nghị của ……………………………………".to_string(),
    ] {
        d.para(Para::new().italic(basis).indent());
    }
    d.para(
        Para::new()
            .bold("QUYẾT ĐỊNH:")
            .center()
            .space(240, 240)
            .keep_next(),
    );
    let groups: Vec<String> = c.groups.iter().map(|g| g.name.clone()).collect();
    d.para(
        Para::new()
            .bold("Điều 1. ")
            .plain(format!(
                "Công bố Chỉ số cải cách hành chính năm {} của {} đơn vị ({}), chi tiết tại Phụ lục kèm theo Quyết định này.",
                c.year,
                c.units.len(),
                groups.join("; ")
            ))
            .indent(),
    );
    d.para(
        Para::new()
            .bold("Điều 2. ")
            .plain("Các đơn vị căn cứ kết quả Chỉ số cải cách hành chính được công bố, rà soát, khắc phục những tồn tại, hạn chế; xây dựng kế hoạch nâng cao hiệu quả công tác cải cách hành chính trong năm tiếp theo.")
            .indent(),
    );
    d.para(
        Para::new()
            .bold("Điều 3. ")
            .plain("Quyết định này có hiệu lực kể từ ngày ký. Thủ trưởng các cơ quan, đơn vị có tên tại Phụ lục chịu trách nhiệm thi hành Quyết định này./.")
            .indent()
            .keep_next(),
    );
    let w = PORTRAIT_WIDTH;
    let mut t = Table::plain(vec![w / 2, w / 2]).keep_together();
    t.row(vec![
        Cell::of(vec![
            Para::new().bold("Nơi nhận:").size(24).space(240, 0),
            Para::text("- Như Điều 3;").size(22).space(0, 0),
            Para::text(format!("- {};", c.name)).size(22).space(0, 0),
            Para::text("- Lưu: VT.").size(22).space(0, 0),
        ]),
        Cell::of(vec![
            Para::new()
                .bold("TM. ỦY BAN NHÂN DÂN")
                .center()
                .space(240, 0),
            Para::new().bold("CHỦ TỊCH").center().space(0, 0),
            Para::new()
                .italic("(Ký, ghi rõ họ tên)")
                .center()
                .size(26)
                .space(0, 1300),
            Para::text("……………………").center().space(0, 0),
        ]),
    ]);
    d.table(&t);
    d.end_section(false);
    annex(
        &mut d,
        snap,
        Some("Quyết định số ……/QĐ-…… ngày …… tháng …… năm ……"),
    );
    d.finish(true)
}

/// A notice line's reason (and who decided) and the explanation asked.
fn why(l: &super::notice::Line) -> String {
    let mut out = Vec::new();
    if !l.reason.is_empty() {
        out.push(format!("{} ({})", l.reason, l.by));
    }
    if !l.request.is_empty() {
        out.push(format!("Đề nghị giải trình: {}", l.request));
    }
    out.join("\n")
}

/// A closed round's notice to one unit: its differing leaves, its requests,
/// the deadline for its explanation and how to reply; the chair signs.
pub fn notice(
    council: &Council,
    u: usize,
    round: i64,
    lines: &[super::notice::Line],
    deadline: Option<&str>,
) -> Result<Vec<u8>> {
    let c = council;
    let mut d = Docx::new();
    heading(&mut d, c, "TB-HĐTĐ", &date_line(None));
    title(
        &mut d,
        "THÔNG BÁO",
        &format!(
            "Kết quả thẩm định vòng {round} và đề nghị giải trình\nChỉ số cải cách hành chính năm {}",
            c.year
        ),
    );
    d.para(
        Para::new()
            .plain("Kính gửi: ")
            .bold(&c.units[u].name)
            .center()
            .space(0, 240),
    );
    d.para(Para::text(format!(
        "{} đã thẩm định vòng {round} kết quả tự đánh giá Chỉ số cải cách hành chính năm {} của {}. Các tiêu chí dưới đây có điểm thẩm định khác điểm tự đánh giá hoặc được đề nghị giải trình (KAD: không áp dụng):",
        c.name, c.year, c.units[u].name
    )).indent().keep_next());
    let w = PORTRAIT_WIDTH;
    let mut t = Table::headed(
        w,
        &[
            (9, "Mã"),
            (33, "Tiêu chí"),
            (11, "Tự chấm"),
            (11, "Thẩm định"),
            (36, "Lý do, đề nghị giải trình"),
        ],
    );
    for l in lines {
        t.row(vec![
            Cell::text(&l.code, Align::Left),
            Cell::text(&l.name, Align::Left),
            Cell::text(&l.self_value, Align::Right),
            Cell::text(&l.appraised, Align::Right),
            Cell::text(why(l), Align::Left),
        ]);
    }
    d.table(&t);
    let by = match deadline {
        Some(day) => format!("trước ngày {day}"),
        None => "trong thời hạn Hội đồng đề nghị".into(),
    };
    d.para(
        Para::new()
            .plain("Đề nghị đơn vị gửi văn bản giải trình kèm tài liệu kiểm chứng ")
            .bold(by)
            .plain(format!(
                ", theo mẫu giải trình kèm theo (tệp {}-vong-{round}.xlsx, trang Giải trình). Quá thời hạn trên, Hội đồng giữ nguyên kết quả thẩm định.",
                c.units[u].id
            ))
            .indent()
            .keep_next(),
    );
    signatures(&mut d, &[("TM. HỘI ĐỒNG\nCHỦ TỊCH", name_of(c, true))]);
    d.finish(false)
}
