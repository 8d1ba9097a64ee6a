//! The minutes of the council's meeting (biên bản) as one self-contained HTML page that prints on A4, with the published annex.

use std::fmt::Write as _;

use super::{Snapshot, member_name};
use crate::appraisal::self_value;

/// Text for HTML: `&`, `<`, `>`, quotes escaped.
pub(super) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A multi-line text with its line breaks kept.
pub(super) fn esc_lines(s: &str) -> String {
    esc(s).replace('\n', "<br>")
}

const STYLE: &str = r#"
@page { size: A4 portrait; margin: 20mm 15mm 20mm 25mm; }
@page annex { size: A4 landscape; margin: 15mm 15mm 15mm 20mm; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { font-family: "Times New Roman", "Liberation Serif", "DejaVu Serif", "Noto Serif", serif;
       font-size: 13pt; line-height: 1.35; color: #000; margin: 0; }
@media screen { body { max-width: 180mm; margin: 10mm auto; } }
.head { width: 100%; border: none; margin-bottom: 8pt; }
.head td { border: none; text-align: center; vertical-align: top; width: 42%; padding: 0; }
.head td + td { width: 58%; }
.head .upper { font-weight: bold; font-size: 12pt; white-space: nowrap; }
.head .date { font-style: italic; padding-top: 6pt; }
h1 { font-size: 14pt; text-align: center; margin: 14pt 0 2pt; }
.sub { text-align: center; font-weight: bold; margin: 0 0 12pt; }
h2 { font-size: 13pt; margin: 12pt 0 4pt; break-after: avoid; page-break-after: avoid; }
h3 { font-size: 13pt; font-style: italic; font-weight: normal; margin: 8pt 0 3pt; break-after: avoid; page-break-after: avoid; }
p { margin: 3pt 0; text-align: justify; }
table.t { border-collapse: collapse; width: 100%; font-size: 11pt; margin: 3pt 0 8pt; }
table.t th, table.t td { border: 0.6pt solid #000; padding: 1.5pt 3pt; vertical-align: top; overflow-wrap: break-word; }
table.t th { background: #e8eef7; font-weight: bold; text-align: center; }
thead { display: table-header-group; }
tr, .chart, .sign { break-inside: avoid; page-break-inside: avoid; }
td.n { text-align: right; white-space: nowrap; }
th.n { text-align: right; }
table.t th { hyphens: none; }
table.d col.code { width: 12%; } table.d col.name { width: 27%; } table.d col.pts { width: 8%; }
table.d col.why { width: 31%; } table.d col.by { width: 14%; }
td.c, th.c, td.k { text-align: center; white-space: nowrap; }
td.k { text-align: left; }
table.annex { font-size: 10pt; }
table.annex td.u { min-width: 48mm; }
.box { display: inline-block; width: 10pt; height: 10pt; border: 0.6pt solid #000; }
section { break-before: page; page-break-before: always; }
section.first { break-before: auto; page-break-before: auto; }
section.annex { page: annex; }
.sign { width: 100%; border: none; margin-top: 18pt; }
.sign td { border: none; width: 50%; text-align: center; vertical-align: top; height: 34mm; }
.sign .role { font-weight: bold; }
.sign .name { padding-top: 22mm; font-weight: bold; }
.note { font-style: italic; font-size: 11pt; }
svg { display: block; margin: 4pt 0 10pt; }
"#;

/// The minutes of a snapshot, with the annex on its own landscape pages.
pub fn minutes(snap: &Snapshot) -> String {
    let c = snap.council;
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"vi\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"generator\" content=\"thamdinh\">\n\
         <title>Biên bản họp {}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n",
        esc(&c.name)
    );
    h.push_str("<section class=\"first\">\n");
    heading(&mut h, snap);
    meeting(&mut h, snap);
    members(&mut h, snap);
    decisions(&mut h, snap);
    h.push_str("</section>\n<section>\n");
    ranking(&mut h, snap);
    conclusion(&mut h, snap);
    h.push_str("</section>\n<section class=\"annex\">\n");
    annex(&mut h, snap);
    h.push_str("</section>\n</body>\n</html>\n");
    h
}

/// `ngày 23 tháng 11 năm 2026`, or dotted for the hand when the session has no time.
fn date_words(snap: &Snapshot) -> String {
    match snap.local_time() {
        Some((y, m, d, ..)) => format!("ngày {d:02} tháng {m:02} năm {y}"),
        None => "ngày …… tháng …… năm ……".into(),
    }
}

/// `08 giờ 15, ngày 24/11/2026`: the session's time in Vietnam.
fn clock(snap: &Snapshot) -> Option<String> {
    snap.local_time()
        .map(|(y, m, d, hh, mm, _)| format!("{hh:02} giờ {mm:02}, ngày {d:02}/{m:02}/{y}"))
}

fn heading(h: &mut String, snap: &Snapshot) {
    let c = snap.council;
    let _ = writeln!(
        h,
        "<table class=\"head\"><tr><td><div class=\"upper\">{}</div><div class=\"upper\">HỘI ĐỒNG THẨM ĐỊNH</div></td>\
         <td><div class=\"upper\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div><div class=\"upper\">Độc lập - Tự do - Hạnh phúc</div>\
         <div class=\"date\">……………, {}</div></td></tr></table>",
        esc(&c.authority.to_uppercase()),
        date_words(snap)
    );
    let _ = write!(
        h,
        "<h1>BIÊN BẢN</h1>\n<p class=\"sub\">Họp {}<br>thẩm định kết quả Chỉ số cải cách hành chính năm {}</p>\n",
        esc(&c.name),
        c.year
    );
}

fn meeting(h: &mut String, snap: &Snapshot) {
    h.push_str("<h2>I. THỜI GIAN, ĐỊA ĐIỂM</h2>\n");
    match clock(snap) {
        Some(when) => {
            let _ = writeln!(
                h,
                "<p>Thời gian: {when} (giờ Việt Nam; thời điểm {} của phiên thẩm định).</p>",
                if snap.signed.is_some() {
                    "ký duyệt"
                } else {
                    "quyết định sau cùng"
                }
            );
        }
        None => h.push_str("<p>Thời gian: …… giờ ……, ngày …… tháng …… năm ……</p>\n"),
    }
    h.push_str("<p>Địa điểm: ……………………………………………………………………</p>\n");
}

fn members(h: &mut String, snap: &Snapshot) {
    let c = snap.council;
    h.push_str("<h2>II. THÀNH PHẦN</h2>\n");
    let chair = c.members.iter().find(|m| m.chair);
    let secretary = c.members.iter().find(|m| m.secretary);
    let _ = writeln!(
        h,
        "<p>Chủ trì: {}. Thư ký: {}.</p>",
        chair.map_or("……………………".into(), |m| esc(&m.name)),
        secretary.map_or("……………………".into(), |m| esc(&m.name))
    );
    let recorded = !snap.attendance.is_empty();
    // The council's members (the chair and the secretary included); the
    // assisting team, who do not vote, apart.
    let (council, team): (Vec<&crate::model::Member>, Vec<&crate::model::Member>) = c
        .members
        .iter()
        .partition(|m| m.voting || m.chair || m.secretary);
    let _ = writeln!(
        h,
        "<p>Thành viên Hội đồng ({} người){}:</p>",
        council.len(),
        if recorded {
            ""
        } else {
            "; đánh dấu có mặt hoặc vắng mặt khi lập biên bản"
        }
    );
    let present = attendance_table(h, snap, &council);
    if !team.is_empty() {
        let _ = writeln!(h, "<p>Tổ giúp việc ({} người):</p>", team.len());
        attendance_table(h, snap, &team);
    }
    if recorded {
        let _ = writeln!(
            h,
            "<p>Số thành viên có mặt: {present}/{}.</p>",
            council.len()
        );
    } else {
        let _ = writeln!(h, "<p>Số thành viên có mặt: ……/{}.</p>", council.len());
    }
}

/// One table of members with their attendance as recorded (boxes to tick
/// by hand where none was); how many were present.
fn attendance_table(h: &mut String, snap: &Snapshot, members: &[&crate::model::Member]) -> usize {
    use crate::session::meeting::Attendance;
    h.push_str(
        "<table class=\"t\"><thead><tr><th class=\"c\">STT</th><th>Họ và tên</th><th>Chức vụ</th><th>Có mặt</th><th>Vắng mặt</th></tr></thead>\n<tbody>\n",
    );
    let mut present = 0;
    for (i, m) in members.iter().enumerate() {
        let recorded = snap.attendance.get(&m.id);
        // Attendance recorded at the meeting by the chair or the secretary says so.
        let by = esc(&super::at_meeting(
            snap.council,
            recorded.and_then(|a| a.recorder.as_deref()),
        ));
        let (here, away) = match recorded.map(|a| &a.how) {
            Some(Attendance::Present) => {
                present += 1;
                (format!("✓{by}"), String::new())
            }
            Some(Attendance::Absent) => (String::new(), format!("✓{by}")),
            Some(Attendance::Written(r)) => (
                String::new(),
                format!("✓ (ý kiến bằng văn bản: {})", esc(r)),
            ),
            None => (
                "<span class=\"box\"></span>".into(),
                "<span class=\"box\"></span>".into(),
            ),
        };
        let _ = writeln!(
            h,
            "<tr><td class=\"c\">{}</td><td>{}</td><td>{}</td><td class=\"c\">{here}</td><td class=\"c\">{away}</td></tr>",
            i + 1,
            esc(&m.name),
            esc(&m.role)
        );
    }
    h.push_str("</tbody></table>\n");
    present
}

fn decisions(h: &mut String, snap: &Snapshot) {
    let c = snap.council;
    h.push_str("<h2>III. NỘI DUNG</h2>\n<h3>1. Kết quả thẩm định từng đơn vị</h3>\n");
    let mut unchanged = Vec::new();
    let mut changed = 0;
    let mut leaves = 0;
    let mut body = String::new();
    for g in 0..c.groups.len() {
        for &u in snap.ranked(g) {
            let changes = snap.changes(u);
            if changes.is_empty() {
                unchanged.push(u);
                continue;
            }
            changed += 1;
            leaves += changes.len();
            let st = &snap.standings.units[u];
            let fw = c.framework_of(u);
            let _ = writeln!(
                body,
                "<p><b>{}</b> ({}): tự chấm {} điểm, thẩm định {} điểm; chỉ số {}% ({}).</p>",
                esc(&c.units[u].name),
                esc(&c.units[u].id),
                st.self_score.total,
                st.score.total,
                st.score.index_text(),
                esc(&fw.bands[st.band].name)
            );
            body.push_str(
                "<table class=\"t d\"><colgroup><col class=\"code\"><col class=\"name\"><col class=\"pts\"><col class=\"pts\"><col class=\"why\"><col class=\"by\"></colgroup>\
                 <thead><tr><th>Mã</th><th>Tiêu chí</th><th class=\"n\">Tự chấm</th>\
                 <th class=\"n\">Thẩm định</th><th>Lý do</th><th>Người quyết định</th></tr></thead>\n<tbody>\n",
            );
            for (l, d) in changes {
                let leaf = &fw.leaves[l];
                let own = self_value(c, u, l);
                let value = snap.appraisal.value(c, u, l);
                let _ = writeln!(
                    body,
                    "<tr><td class=\"k\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td>{}</td><td>{}</td></tr>",
                    esc(&leaf.code),
                    esc(&leaf.name),
                    if crate::appraisal::self_assessed(c, u, l) {
                        super::points_or_kad(own)
                    } else {
                        super::NOT_SELF_ASSESSED.to_string()
                    },
                    super::points_or_kad(value),
                    esc_lines(&d.comment),
                    esc(member_name(c, &d.member))
                );
            }
            body.push_str("</tbody></table>\n");
        }
    }
    let _ = writeln!(
        h,
        "<p>Hội đồng đã thẩm định {} đơn vị; {changed} đơn vị có điểm thẩm định khác điểm tự đánh giá, ở {leaves} tiêu chí, \
         với lý do như sau (KAD: không áp dụng).</p>",
        c.units.len()
    );
    h.push_str(&body);
    if !unchanged.is_empty() {
        let names: Vec<String> = unchanged
            .iter()
            .map(|&u| {
                let mut n = esc(&c.units[u].name);
                if !c.submitted(u) {
                    n.push_str(" (chưa nộp tự đánh giá)");
                }
                n
            })
            .collect();
        let _ = writeln!(
            h,
            "<p>Giữ nguyên điểm tự đánh giá ({} đơn vị): {}.</p>",
            unchanged.len(),
            names.join("; ")
        );
    }
}

fn ranking(h: &mut String, snap: &Snapshot) {
    let c = snap.council;
    h.push_str("<h3>2. Kết quả xếp hạng và xếp loại</h3>\n");
    for (g, group) in c.groups.iter().enumerate() {
        let fw = snap.framework(g);
        let _ = writeln!(h, "<h3>{}</h3>", esc(&group.name));
        h.push_str(
            "<table class=\"t\"><thead><tr><th class=\"c\">Hạng</th><th>Đơn vị</th><th class=\"n\">Tự chấm</th>\
             <th class=\"n\">Thẩm định</th><th class=\"n\">Tối đa</th><th class=\"n\">Chỉ số (%)</th><th>Xếp loại</th></tr></thead>\n<tbody>\n",
        );
        for &u in snap.ranked(g) {
            let st = &snap.standings.units[u];
            let _ = writeln!(
                h,
                "<tr><td class=\"c\">{}</td><td>{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"c\">{}</td></tr>",
                st.rank,
                esc(&c.units[u].name),
                st.self_score.total,
                st.score.total,
                st.score.max,
                st.score.index_text(),
                esc(&fw.bands[st.band].name)
            );
        }
        h.push_str("</tbody></table>\n");
        let counts: Vec<String> = fw
            .bands
            .iter()
            .enumerate()
            .map(|(b, band)| {
                let n = snap
                    .ranked(g)
                    .iter()
                    .filter(|&&u| snap.standings.units[u].band == b)
                    .count();
                format!("{}: {n}", esc(&band.name))
            })
            .collect();
        let _ = writeln!(h, "<p>Xếp loại: {}.</p>", counts.join("; "));
        chart(h, snap, g);
    }
}

/// Units per chart, so that one chart fits a page.
const CHART_ROWS: usize = 30;

/// The group's indexes as horizontal bars on a 0–100 axis (inline SVG), in
/// pieces of at most `CHART_ROWS` units so that none is cut at a page edge.
fn chart(h: &mut String, snap: &Snapshot, g: usize) {
    let c = snap.council;
    const W: f64 = 640.0;
    const LABEL: f64 = 230.0;
    const BAR: f64 = 350.0;
    const ROW: f64 = 17.0;
    const TOP: f64 = 22.0;
    let units = snap.ranked(g);
    for chunk in units.chunks(CHART_ROWS) {
        let height = TOP + ROW * chunk.len() as f64 + 8.0;
        let _ = writeln!(
            h,
            "<div class=\"chart\"><p class=\"note\">Chỉ số (%) — {}</p><svg xmlns=\"http://www.w3.org/2000/svg\" width=\"100%\" viewBox=\"0 0 {W} {height}\" \
             font-family=\"Times New Roman, Liberation Serif, DejaVu Serif, serif\" font-size=\"11\" role=\"img\" \
             aria-label=\"Chỉ số CCHC — {}\">",
            esc(&c.groups[g].name),
            esc(&c.groups[g].name)
        );
        for tick in (0..=100).step_by(20) {
            let x = LABEL + BAR * f64::from(tick) / 100.0;
            let _ = writeln!(
                h,
                "<line x1=\"{x:.1}\" y1=\"{:.1}\" x2=\"{x:.1}\" y2=\"{:.1}\" stroke=\"#bbb\" stroke-width=\"0.5\"/>\
                 <text x=\"{x:.1}\" y=\"12\" text-anchor=\"middle\" fill=\"#444\">{tick}</text>",
                TOP - 4.0,
                height - 6.0
            );
        }
        for (i, &u) in chunk.iter().enumerate() {
            let st = &snap.standings.units[u];
            let y = TOP + ROW * i as f64;
            let index = st.score.index();
            let frac = (index.hundredths().clamp(0, 10_000) as f64) / 10_000.0;
            let name: String = {
                let n = &c.units[u].name;
                if n.chars().count() > 40 {
                    n.chars().take(39).collect::<String>() + "…"
                } else {
                    n.clone()
                }
            };
            let shade = ["#1f4e79", "#2e75b6", "#9dc3e6", "#c9c9c9"][st.band.min(3)];
            let _ = writeln!(
                h,
                "<text x=\"{:.1}\" y=\"{:.1}\" text-anchor=\"end\">{}. {}</text>\
                 <rect x=\"{LABEL}\" y=\"{:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{shade}\"/>\
                 <text x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                LABEL - 6.0,
                y + 12.0,
                st.rank,
                esc(&name),
                y + 3.0,
                BAR * frac,
                ROW - 5.0,
                LABEL + BAR * frac + 4.0,
                y + 12.0,
                st.score.index_text()
            );
        }
        h.push_str("</svg></div>\n");
    }
}

fn conclusion(h: &mut String, snap: &Snapshot) {
    let c = snap.council;
    let out = snap.standing_out_words();
    if !out.is_empty() {
        let _ = writeln!(
            h,
            "<p>{}: {}.</p>",
            super::papers::STANDING_OUT,
            esc(&out.join("; "))
        );
    }
    h.push_str("<h2>IV. KẾT LUẬN</h2>\n");
    let undecided_flags: usize = (0..c.units.len())
        .map(|u| {
            c.assessments[u]
                .claims
                .iter()
                .enumerate()
                .filter(|(l, cl)| {
                    cl.flags.any() && !snap.appraisal.decisions.contains_key(&(u, *l))
                })
                .count()
        })
        .sum();
    vote(h, snap);
    if undecided_flags > 0 {
        let _ = writeln!(
            h,
            "<p>Còn {undecided_flags} tiêu chí được đánh dấu cần xem (không có tài liệu kiểm chứng, chưa tự chấm hoặc chưa có kết quả khảo sát) mà Hội đồng chưa quyết định.</p>"
        );
    }
    match &snap.signed {
        Some((who, at)) => {
            let when = clock(snap).unwrap_or_else(|| at.clone());
            let _ = writeln!(
                h,
                "<p>Kết quả đã được ký duyệt bằng chữ ký số của {} lúc {when} (giờ Việt Nam); tệp kết quả kèm theo có thể kiểm tra bằng <code>thamdinh verify</code>.</p>",
                esc(member_name(c, who))
            );
        }
        None => h.push_str(
            "<p class=\"note\">Bản này lập từ kết quả hiện tại của phiên thẩm định, chưa được ký duyệt.</p>\n",
        ),
    }
    h.push_str(
        "<p>Biên bản được lập thành …… bản, thông qua tại cuộc họp và có giá trị từ ngày ký.</p>\n",
    );
    let chair = c.members.iter().find(|m| m.chair);
    let secretary = c.members.iter().find(|m| m.secretary);
    let _ = writeln!(
        h,
        "<table class=\"sign\"><tr><td><div class=\"role\">THƯ KÝ</div><div class=\"note\">(Ký, ghi rõ họ tên)</div>\
         <div class=\"name\">{}</div></td><td><div class=\"role\">CHỦ TỊCH HỘI ĐỒNG</div><div class=\"note\">(Ký, ghi rõ họ tên)</div>\
         <div class=\"name\">{}</div></td></tr></table>",
        secretary.map_or(String::new(), |m| esc(&m.name)),
        chair.map_or(String::new(), |m| esc(&m.name))
    );
}

/// The vote on the result: as recorded, or dotted for the hand when no vote was.
fn vote(h: &mut String, snap: &Snapshot) {
    let a = &snap.approval;
    let voting = a.members.len();
    if a.members.iter().all(|s| s.vote.is_none()) {
        let _ = writeln!(
            h,
            "<p>Hội đồng biểu quyết thông qua kết quả thẩm định và xếp hạng nêu trên: tán thành ……/{voting} thành viên biểu quyết; \
             không tán thành ……; ý kiến khác: ……………………………………</p>"
        );
        return;
    }
    let _ = writeln!(
        h,
        "<p>Hội đồng biểu quyết kết quả thẩm định và xếp hạng nêu trên: tán thành {}/{voting} thành viên biểu quyết \
         (kể cả ý kiến bằng văn bản), không tán thành {}{}. Kết quả {} (cần trên {} tổng số thành viên biểu quyết, tức {} phiếu).</p>",
        a.approve,
        a.object,
        if a.stale > 0 {
            format!(
                ", {} phiếu trước một quyết định sau đó không được tính",
                a.stale
            )
        } else {
            String::new()
        },
        if a.approved {
            "được thông qua"
        } else {
            "chưa được thông qua"
        },
        a.share,
        a.needed
    );
    h.push_str(
        "<table class=\"t\"><thead><tr><th>Thành viên</th><th>Biểu quyết</th><th>Ý kiến</th></tr></thead>\n<tbody>\n",
    );
    for s in &a.members {
        let (how, note) = match &s.vote {
            Some(v) if s.stale => ("không còn được tính".to_string(), esc(&v.comment)),
            Some(v) => (
                if v.approve {
                    "tán thành"
                } else {
                    "không tán thành"
                }
                .to_string(),
                esc(&v.comment),
            ),
            None => ("chưa biểu quyết".to_string(), String::new()),
        };
        // A vote recorded on the member's behalf at the meeting says by whom.
        let how = how
            + &esc(&super::at_meeting(
                snap.council,
                s.vote.as_ref().and_then(|v| v.recorder.as_deref()),
            ));
        let _ = writeln!(
            h,
            "<tr><td>{}</td><td>{how}</td><td>{note}</td></tr>",
            esc(&s.name)
        );
    }
    h.push_str("</tbody></table>\n");
}

fn annex(h: &mut String, snap: &Snapshot) {
    let c = snap.council;
    let _ = writeln!(
        h,
        "<h1>PHỤ LỤC</h1>\n<p class=\"sub\">KẾT QUẢ CHỈ SỐ CẢI CÁCH HÀNH CHÍNH NĂM {}<br>\
         <span class=\"note\">(Kèm theo Quyết định số ……/QĐ-…… ngày …… của {})</span></p>",
        c.year,
        esc(&c.authority)
    );
    for (g, group) in c.groups.iter().enumerate() {
        let fw = snap.framework(g);
        let _ = writeln!(h, "<h3>{}</h3>", esc(&group.name));
        h.push_str("<table class=\"t annex\"><thead><tr><th class=\"c\">Hạng</th><th>Đơn vị</th>");
        for f in &fw.fields {
            let max = fw.field_max_label(f);
            let _ = write!(
                h,
                "<th class=\"n\" title=\"{}\">LV {}<br>({})</th>",
                esc(&f.name),
                esc(&f.code),
                max
            );
        }
        let _ = writeln!(
            h,
            "<th class=\"n\">Tổng điểm<br>({})</th><th class=\"n\">Chỉ số<br>(%)</th><th>Xếp loại</th></tr></thead>\n<tbody>",
            fw.full_max()
        );
        for &u in snap.ranked(g) {
            let st = &snap.standings.units[u];
            let _ = write!(
                h,
                "<tr><td class=\"c\">{}</td><td class=\"u\">{}</td>",
                st.rank,
                esc(&c.units[u].name)
            );
            for f in snap.field_scores(u) {
                let _ = write!(h, "<td class=\"n\">{}</td>", f.total);
            }
            let _ = writeln!(
                h,
                "<td class=\"n\">{}</td><td class=\"n\">{}</td><td class=\"k\">{}</td></tr>",
                st.score.total,
                st.score.index_text(),
                esc(&fw.bands[st.band].name)
            );
        }
        h.push_str("</tbody></table>\n");
        let legend: Vec<String> = fw
            .fields
            .iter()
            .map(|f| format!("LV {}: {}", esc(&f.code), esc(&f.name)))
            .collect();
        let _ = writeln!(h, "<p class=\"note\">{}.</p>", legend.join("; "));
    }
}
