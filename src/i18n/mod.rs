//! Every word the user reads, in one place per language: `vi` (the default) and
//! `en`, chosen with `--lang` or `LANG`. Messages with blanks are templates
//! filled in order by [`fill`].

use clap::ValueEnum;

use crate::appraisal::Refusal;
use crate::model::Rule;
use crate::points::Points;
use crate::report::TableLabels;

mod en;
mod vi;

/// Declares the table of words; `all` lists them (for the tests that no word
/// of one language appears in the other's screens).
macro_rules! words {
    ($($name:ident),* $(,)?) => {
        /// The words of one language.
        pub struct Words {
            $(pub $name: &'static str,)*
        }

        impl Words {
            pub fn all(&self) -> Vec<&'static str> {
                self.named().into_iter().map(|(_, text)| text).collect()
            }

            /// Each word's name beside its text, in the table's order.
            pub fn named(&self) -> Vec<(&'static str, &'static str)> {
                vec![$((stringify!($name), self.$name)),*]
            }
        }
    };
}

words! {
    pg_cause_no_answer,
    pg_cause_timeout,
    pg_cause_server,
    er_pg_sslmode,
    er_pg_no_user,
    er_copy_broken,
    er_copy_unchained,
    er_copy_not_empty,
    er_copy_differs,
    cli_copied,
    state_server_down,
    server_back,
    er_pg_url,
    er_pg_tls,
    er_pg_unreachable,
    er_pg_lost,
    er_pg_lost_in_write,
    er_pg_closed,
    er_pg_foreign_schema,
    er_pg_foreign_database,
    votes_now_stale,
    mark_pending,
    col_by_short,
    col_proposed_short,
    recorded_pending,
    votes_written,
    col_role,
    votes_stale_short,
    key_votes,
    key_pending,
    key_agenda,
    key_present,
    key_absent,
    key_written,
    key_approve,
    key_object,
    key_move_up,
    key_move_down,
    key_remove,
    help_meeting,
    help_agenda,
    votes_title,
    votes_approved,
    votes_not_approved,
    votes_stale,
    votes_not_voting,
    votes_recorded,
    written_title,
    written_for,
    written_hint,
    nothing_written,
    pending_title,
    pending_empty,
    pending_off,
    pending_hint,
    pending_confirmed,
    pending_label,
    confirmed_by_label,
    agenda_title,
    agenda_empty,
    agenda_reordered,
    key_agenda_next,
    key_agenda_mark,
    agenda_moved,
    agenda_marked,
    agenda_unmarked,
    state_follow,
    agenda_now,
    agenda_next,
    agenda_then,
    agenda_conflicts,
    kind_confirm,
    cli_event_attend,
    cli_event_vote,
    cli_event_agenda,
    cli_event_agenda_at,
    cli_cannot_read_agenda,
    cli_agenda_say_what,
    cli_agenda_empty,
    cli_agenda_head,
    cli_agenda_conflicts,
    cli_confirmed,
    cli_nothing_pending,
    ap_present,
    ap_absent,
    ap_written,
    ap_approve,
    ap_object,
    ap_stale,
    ap_col_member,
    ap_col_name,
    ap_col_attendance,
    ap_col_vote,
    ap_not_voting,
    ap_approved,
    ap_not_approved,
    ap_col_unit,
    ap_col_code,
    ap_col_proposed,
    ap_col_counted,
    ap_col_at,
    ap_col_comment,
    ld_approval_threshold,
    pg_leaves_short,
    pg_decided_short,
    pg_to_do_short,
    pg_requests_short,
    pg_explained_short,
    key_progress,
    key_queue,
    queue_title,
    queue_all_fields,
    queue_empty,
    queue_hint,
    state_round,
    key_ask,
    key_close_round,
    nothing_asked,
    request_title,
    request_for,
    request_hint,
    asked_recorded,
    round_not_closed,
    close_round_title,
    close_round_intro,
    close_round_notices,
    close_round_word,
    round_closed,
    rounds_label,
    asked_label,
    explained_label,
    col_round,
    col_explained,
    fm_explanation_round,
    fm_explanation_empty,
    fm_explanation_made_from_this,
    fm_explanation_exists,
    cli_notices_written,
    pg_title,
    pg_member,
    pg_field,
    pg_unit,
    pg_leaves,
    pg_decided,
    pg_to_do,
    pg_requests,
    pg_explained,
    ld_what_explanation,
    ld_explanation_unit_unknown,
    ld_explanation_round,
    ld_explanation_code_twice,
    ld_explanation_text_empty,
    ld_explanation_twice,
    ld_explanation_round_open,
    cli_event_ask,
    cli_event_round,
    cli_round_mark,
    cli_round_closed,
    cli_batch_recorded,
    cli_batch_nothing,
    fm_batch_columns,
    fm_batch_code_empty,
    fm_batch_both_figures,
    fm_batch_says_nothing,
    ld_fields_shape,
    ld_fields_unknown_code,
    ld_fields_unknown_code_in,
    ld_fields_unknown_framework,
    vf_log_unchained,
    log_broken_refused,
    state_log_broken,
    vf_session_holds,
    vf_session_differs,
    cli_chain_no_session,
    cli_chain_unchained,
    cli_chain_whole,
    vf_log_unreadable,
    vf_log_header,
    vf_log_line,
    vf_log_empty,
    vf_chain_broken,
    vf_chain_whole,
    vf_not_rederived,
    vf_does_not_continue,
    vf_not_continued,
    vf_others_continue,
    vf_inputs_do_not_load,
    vf_not_derived,
    vf_derived_missing,
    vf_not_derived_extra,
    vf_rederived,
    chain_broken,
    chain_does_not_fit,
    chain_deleted_one,
    chain_deleted,
    chain_not_as_signed,
    chain_gone_since_signed,
    er_upgrading_session,
    er_signoff_inputs_changed,
    er_signoff_inputs_broken,
    inputs_changed_on_disk,
    stale_box,
    changed_elsewhere,
    changed_elsewhere_more,
    vf_superseded,
    er_signoff_recorded_not_placed,
    signoff_finished,
    signoff_interrupted_reason,
    vf_no_anchor,
    vf_trusted_line,
    vf_not_anchored_member,
    ld_text_too_long,
    cli_three_to_stdout,
    er_session_fs_refused,
    er_session_moved,
    er_session_unreadable_wal,
    session_busy,
    session_gone,
    session_back,
    session_replaced,
    vf_not_regular,
    ld_name_not_utf8,
    ld_name_not_toml,
    ld_link_outside,
    ld_not_regular,
    ld_too_big,
    ld_note_too_long,
    er_key_twice,
    ld_unit_id_case,
    cli_no_such_session,
    cli_lone_wal,
    ld_more_in_file,
    er_no_session_at,
    er_password_for,
    er_wrong_password,
    er_corrupted_key,
    cli_h_values,
    cli_h_usage,
    cli_h_commands,
    cli_h_arguments,
    cli_h_options,
    cli_e_unknown_argument,
    cli_e_unknown_command,
    cli_e_invalid_value,
    cli_e_missing,
    cli_e_conflict,
    cli_e_other,
    cli_e_more,
    er_no_action,
    er_deriving_public_key,
    er_minisign_public_key,
    er_reading_secret_key,
    er_writing,
    er_creating,
    er_encoding_public_key,
    er_encoding_secret_key,
    er_generating_key_pair,
    er_already_exists_key_never,
    er_reading_password_from_terminal,
    er_reading_password_from_standard,
    er_neither_xdg_config_home,
    er_member_pubkey_council_toml,
    er_member_council_toml,
    er_reading,
    er_signed_folder_lies_council,
    er_finding,
    er_already_exists_member_signed,
    er_this_secret_key_one,
    er_does_verify_so_signed,
    er_moving_signed_folder_into,
    er_signed_folder_parent,
    er_signed_folder_was_made,
    er_this_secret_key_one_2,
    er_pubkey_council_toml,
    er_member_pubkey_council_toml_2,
    er_writing_session,
    er_recording_inputs,
    er_decision_was_recorded,
    er_reading_events,
    er_creating_session,
    er_damaged_was_left_untouched,
    er_was_written_by_newer,
    er_sqlite_database_another_program,
    er_readable_sqlite_database_was,
    er_setting_up,
    er_setting_busy_timeout,
    er_opening_session,
    er_empty_file_thamdinh_session,
    er_network_file_system_sqlite,
    er_creating_session_folder,
    er_syncing_folder,
    er_syncing,
    er_writing_xlsx,
    er_laying_out_unit_sheet,
    er_laying_out_annex,
    er_laying_out_ranking_sheet,
    er_empty_give_new_empty,
    er_exists_folder,
    er_assessment_file_name,
    er_laying_out_form,
    er_key_left_keep_at,
    er_must_table_actions,
    er_there_section_sections_are,
    er_screen_needs_terminal,
    er_session_did_open,
    vf_not_a_line,
    vf_not_inside,
    vf_changed,
    vf_missing,
    vf_added,
    vf_not_signed,
    vf_no_key,
    vf_sig_changed,
    vf_not_a_signature,
    vf_bad_signature,
    fm_evidence_line,
    fm_leaf_give_points_not_figures,
    fm_shows_error,
    fm_holds_no_sheet,
    fm_too_large,
    fm_date_write_day_form,
    fm_whole_number_write_count,
    fm_whole_number_write_count_2,
    fm_whole_number_more_numerator,
    fm_holds_date_time_number,
    fm_holds_true_false_number,
    fm_number_write_points_such,
    fm_finite_number,
    fm_cannot_read_as_spreadsheet,
    fm_sheet_cannot_read,
    fm_sheet_named_sheets_form,
    fm_cannot_read_as_spreadsheet_2,
    fm_mb_larger_than_any,
    fm_regular_file_give_spreadsheet,
    fm_cannot_read_file,
    fm_points_give_points_claimed,
    fm_leaf_give_i_m,
    fm_m_u_would_make,
    fm_t_above_m_u,
    fm_t_m_u_are,
    fm_ratio_leaf_needs_both,
    fm_ratio_leaf_points_follow,
    fm_declared_applicable_x_kh,
    fm_declared_applicable_x_kh_2,
    fm_may_declared_applicable_framework,
    fm_survey_leaf_points_come,
    fm_evidence_line_file_give,
    fm_evidence_line_reference_before,
    fm_ratio_leaf_points_follow_2,
    fm_kh_ng_p_d,
    fm_appears_twice_first_row,
    fm_framework_leaf_form_codes,
    fm_heading_field_criterion_sub,
    fm_column_title_where_form,
    fm_this_form_was_made,
    fm_this_form_framework_unit,
    fm_unit_roster_council_toml,
    fm_header_block_row_label,
    fm_table_header_row_titles,
    fm_sheet_empty_fill_form,
    fm_unit_id_empty_written,
    fm_date_form_sent_empty,
    fm_this_row_code_column,
    fm_another_group_framework,
    fm_framework_this_council_does,
    fm_valid_csv,
    fm_utf_save_as_csv,
    fm_regular_file_reasonable_size,
    fm_exists_give_replace_replace,
    fm_holds_results_under_header,
    fm_unit_given_twice_first,
    fm_points_are_empty,
    fm_survey_leaf_framework_unit,
    fm_unit_roster_council_toml_2,
    fm_unit_id_empty,
    fm_header_row_needs_columns,
    fm_holds_rows_give_header,
    fm_name_empty_give_survey,
    fm_exists_unit_assessment_rename,
    fm_unit_already_self_assessment,
    fm_unit_already_comes_this,
    fm_assessment_made_from_this,
    fm_parts_separated_by_write,
    ld_kinds,
    ld_p_expected_nothing,
    ld_criterion_not_leaf,
    ld_field_not_leaf,
    ld_no_such_leaf,
    ld_claim_survey,
    ld_claim_na_not_allowed,
    ld_claim_na_with_points,
    ld_claim_na_with_figures,
    ld_claim_points_on_ratio,
    ld_claim_missing_figures,
    ld_claim_negative_figure,
    ld_claim_numerator_zero,
    ld_claim_numerator_above,
    ld_claim_zero_denominator,
    ld_claim_figures_on_non_ratio,
    ld_claim_no_points,
    ld_framework_declared_twice,
    ld_not_a_level,
    ld_not_a_band,
    ld_outside,
    ld_survey_only,
    ld_survey_outside,
    ld_path_empty,
    ld_path_absolute,
    ld_path_leaves,
    ld_path_itself,
    ld_path_control,
    ld_unreadable_hint,
    ld_no_such_folder,
    ld_what_assessment,
    ld_what_framework,
    ld_what_council,
    ld_what_survey,
    ld_second_assessment,
    ld_cannot_read_folder,
    ld_file_missing,
    ld_cannot_read_file,
    ld_not_utf8,
    ld_duplicate_key,
    ld_not_toml,
    ld_missing_key,
    ld_unknown_key,
    ld_expected_one_of,
    ld_expected,
    ld_p_invalid_type,
    ld_p_invalid_value,
    ld_p_unknown_variant,
    ld_p_duplicate_field,
    ld_p_invalid_length,
    ld_p_a_number,
    ld_p_a_whole_number,
    ld_p_a_string,
    ld_p_a_boolean,
    ld_p_a_sequence,
    ld_p_floating_point,
    ld_p_integer,
    ld_p_string,
    ld_p_boolean,
    ld_p_sequence,
    ld_p_expected_word,
    ld_id_rule,
    ld_in_all,
    ld_none,
    ld_what_points,
    ld_what_step,
    ld_what_field_max,
    ld_what_band_min,
    ld_what_max,
    ld_what_level_points,
    ld_what_band_points,
    ld_what_min,
    ld_pe_not_finite,
    ld_pe_too_precise,
    ld_pe_too_large,
    ld_pe_not_a_number,
    ld_member_lists_conflict_which,
    ld_unit_roster_lists_every,
    ld_unit_empty_short_name,
    ld_unit_group_which_declared,
    ld_unit_id_used_twice,
    ld_unit_id_valid,
    ld_group_units_are_ranked,
    ld_group_uses_framework_which,
    ld_group_id_used_twice,
    ld_group_id_valid,
    ld_member_second_chair_exactly,
    ld_member_second_secretary_at,
    ld_member_chair_true_exactly,
    ld_member_list_council_s,
    ld_pubkey_minisign_public_key,
    ld_member_id_used_twice,
    ld_member_id_valid,
    ld_council_s_name_empty,
    ld_kind_known_use,
    ld_min_must_negative_largest,
    ld_deduction_leaf_but_min,
    ld_deduction_leaf_max_max,
    ld_band_points_lie_outside,
    ld_band_min_follows_min,
    ld_band_min_percentage_give,
    ld_bands_empty_list_ratio,
    ld_ratio_leaf_but_bands,
    ld_two_levels_give_points,
    ld_level_points_lie_outside,
    ld_levels_empty_list_allowed,
    ld_levels_leaf_but_levels,
    ld_belongs_leaf_but_this,
    ld_max_negative_leaf_s,
    ld_max_every_leaf_gives,
    ld_neither_sub_criteria_nor,
    ld_last_band_min_must,
    ld_band_min_but_band,
    ld_band_min_percentage_give_2,
    ld_band_list_classification_bands,
    ld_code_used_twice_first,
    ld_code_empty_give_code,
    ld_framework_s_leaves_add,
    ld_field_declares_max_but,
    ld_sub_criterion_own_sub,
    ld_criterion_empty_sub_give,
    ld_criterion_sub_criteria_so,
    ld_criterion_sub_criteria_so_2,
    ld_field_field_criterion,
    ld_field_framework_at_least,
    ld_step_must_above_e,
    ld_framework_id_valid,
    ld_evidence_file_give_path,
    ld_evidence_ref_empty_cite,
    ld_unit_applicable_points_left,
    ld_scored_twice_first_line,
    ld_submitted_must_date_such,
    ld_unit_group_whose_framework,
    ld_unit_roster_council_toml,
    ld_unit_already_result_another,
    ld_second_result_unit_first,
    ld_framework_leaf_survey_leaves,
    ld_survey_leaf_framework_survey,
    ld_survey_result_unit_which,
    ld_file_empty_should_hold,
    cli_recorded,
    cli_say_what,
    cli_key_password,
    cli_key_again,
    cli_key_differ,
    cli_key_empty,
    cli_key_made,
    cli_signed_with,
    cli_signed_off,
    cli_signed_by,
    cli_good_signature,
    cli_verify_ok,
    cli_does_not_verify,
    cli_refused,
    cli_store_failed,
    cli_reopened,
    cli_nothing_yet,
    cli_undo_word,
    cli_redo_word,
    cli_flag_no_evidence,
    cli_flag_not_submitted,
    cli_inputs_changed,
    cli_orphan,
    cli_orphan_unit,
    cli_orphan_leaf,
    cli_orphan_value,
    cli_event_leaf,
    cli_event_other,
    cli_kind_signoff,
    cli_kind_reopen,
    cli_kind_inputs,
    cli_no_decisions,
    cli_no_folder,
    cli_problem_one,
    cli_problems,
    cli_nothing_loaded,
    cli_nothing_written_roster,
    cli_check_head,
    cli_check_framework,
    cli_check_group,
    cli_check_flags,
    cli_check_ok,
    cli_init,
    cli_init_next,
    cli_forms_blank,
    cli_not_in_roster,
    cli_form_exists,
    cli_wrote_form,
    cli_form_blank,
    cli_form_prefilled,
    cli_form_what,
    cli_imported,
    cli_imported_survey,
    cli_old_kept,
    cli_form_refused,
    cli_file_refused,
    cli_wrote,
    cli_xlsx_terminal,
    cli_stdout_failed,
    cli_output_is_dir,
    ranking_title,
    col_rank,
    col_unit,
    col_index,
    col_diff,
    col_band,
    col_code,
    col_criterion,
    col_max,
    col_self,
    col_council,
    col_max_short,
    col_self_short,
    col_council_short,
    col_comment,
    self_word,
    rank_word,
    not_submitted_mark,
    unit_total,
    every_unit,
    overview_title,
    bars_title,
    member_label,
    group_label,
    state_open,
    state_signed,
    detail_title,
    detail_more,
    conflict_here,
    field_counts,
    rule_label,
    max_word,
    may_be_na,
    guide_label,
    expected_evidence,
    self_points_label,
    na_short,
    not_self_assessed,
    no_survey_result,
    note_label,
    no_evidence_warning,
    evidence_label,
    file_missing,
    council_label,
    comment_label,
    not_reviewed,
    history_label,
    kind_decide,
    kind_undo,
    kind_redo,
    box_title,
    appraised_label,
    not_applicable,
    differs_needs_reason,
    points_field_hint,
    reason_title,
    reason_placeholder,
    earlier_reasons,
    bad_points,
    bad_figures,
    below_every_band,
    pick_level_title,
    members_title,
    member_conflict,
    search_title,
    search_hint,
    nothing_found,
    signoff_title,
    signoff_intro,
    nothing_flagged,
    still_flagged,
    sign_word,
    accept_title,
    accept_intro,
    accept_word,
    no_word,
    password_title,
    password_label,
    password_hint,
    no_member,
    orphans,
    already_signed,
    no_levels,
    column_reviewed,
    all_reviewed,
    no_evidence_file,
    exported,
    export_failed,
    flag_not_submitted,
    flag_open,
    signed_off,
    not_signed,
    not_recorded,
    recorded,
    undone,
    redone,
    nothing_proven,
    nothing_accepted,
    accepted_many,
    recording_for,
    help_title,
    help_main,
    help_points,
    help_reason,
    help_lists,
    help_search,
    help_confirm,
    marks_title,
    mark_decided,
    mark_differs,
    mark_na,
    mark_no_evidence,
    mark_unassessed,
    mark_survey,
    mark_not_submitted,
    mark_moved,
    key_quit,
    key_help,
    key_up,
    key_down,
    key_page_up,
    key_page_down,
    key_top,
    key_bottom,
    key_focus_next,
    key_focus_prev,
    key_open,
    key_fold,
    key_next_look,
    key_prev_look,
    key_accept,
    key_accept_proven,
    key_step_up,
    key_step_down,
    key_type_points,
    key_pick_level,
    key_toggle_na,
    key_comment,
    key_undo,
    key_redo,
    key_member,
    key_next_group,
    key_prev_group,
    key_open_evidence,
    key_presenter,
    key_search,
    key_across,
    key_overview,
    key_language,
    key_sign_off,
    key_export,
    key_detail_up,
    key_detail_down,
    key_save,
    key_cancel,
    key_next_field,
    key_choose,
    key_close,
    key_yes,
    key_no,
}

/// The language of labels; Vietnamese by default.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    #[default]
    Vi,
    En,
}

impl Lang {
    /// The language of `LANG` (or `LC_ALL`/`LC_MESSAGES`): English for `en…`, else Vietnamese.
    pub fn from_env() -> Lang {
        let v = ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|k| std::env::var(k).ok())
            .find(|v| !v.is_empty())
            .unwrap_or_default();
        if v.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::Vi
        }
    }

    /// The command line's help texts.
    pub fn help(self) -> &'static [(&'static str, &'static str)] {
        match self {
            Lang::Vi => vi::VI_HELP,
            Lang::En => en::EN_HELP,
        }
    }

    pub fn words(self) -> &'static Words {
        match self {
            Lang::Vi => &vi::VI,
            Lang::En => &en::EN,
        }
    }

    pub fn table(self) -> TableLabels {
        match self {
            Lang::Vi => TableLabels {
                rank: "Hạng",
                unit: "Mã",
                name: "Đơn vị",
                self_index: "Tự chấm",
                points: "Điểm",
                max: "Tối đa",
                index: "Chỉ số",
                band: "Xếp loại",
                not_submitted: "chưa nộp",
            },
            Lang::En => TableLabels {
                rank: "Rank",
                unit: "Id",
                name: "Unit",
                self_index: "Self",
                points: "Points",
                max: "Max",
                index: "Index",
                band: "Band",
                not_submitted: "not submitted",
            },
        }
    }
}

/// The language of this process's messages that are made where no language is
/// at hand (errors of the library's operations). The command line sets it to
/// the run's language and the screen's loop keeps it to the screen's; a
/// library caller that sets nothing reads English.
static VIETNAMESE: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Sets the language of [`say`].
pub fn set_current(lang: Lang) {
    VIETNAMESE.store(lang == Lang::Vi, std::sync::atomic::Ordering::Relaxed);
}

/// The language [`say`] uses.
pub fn current() -> Lang {
    if VIETNAMESE.load(std::sync::atomic::Ordering::Relaxed) {
        Lang::Vi
    } else {
        Lang::En
    }
}

/// A message in the current language.
pub fn say(f: impl Fn(&'static Words) -> String) -> String {
    f(current().words())
}

/// Fills the `{}` blanks of a template, in order.
pub fn fill(template: &str, args: &[&dyn std::fmt::Display]) -> String {
    let mut out = String::with_capacity(template.len() + 16 * args.len());
    let mut args = args.iter();
    let mut rest = template;
    while let Some(i) = rest.find("{}") {
        out.push_str(&rest[..i]);
        if let Some(a) = args.next() {
            out.push_str(&a.to_string());
        }
        rest = &rest[i + 2..];
    }
    out.push_str(rest);
    out
}

/// The kind of a scoring rule, in words.
pub fn rule_kind(lang: Lang, rule: &Rule) -> &'static str {
    match (lang, rule) {
        (Lang::Vi, Rule::Levels(_)) => "theo mức",
        (Lang::Vi, Rule::Range) => "theo khoảng",
        (Lang::Vi, Rule::Ratio(_)) => "theo tỷ lệ",
        (Lang::Vi, Rule::Deduction { .. }) => "điểm trừ",
        (Lang::Vi, Rule::Survey) => "khảo sát",
        (Lang::En, r) => r.kind(),
    }
}

/// A scoring rule in words, one line per level or band.
pub fn rule_text(lang: Lang, rule: &Rule, max: Points) -> Vec<String> {
    let vi = lang == Lang::Vi;
    match rule {
        Rule::Levels(levels) => levels
            .iter()
            .map(|l| format!("  {} = {}", l.points.short(), l.label))
            .collect(),
        Rule::Range => vec![if vi {
            format!("  từ 0 đến {}", max.short())
        } else {
            format!("  from 0 to {}", max.short())
        }],
        Rule::Ratio(bands) => {
            let mut v: Vec<String> = bands
                .iter()
                .map(|b| format!("  ≥ {}% → {}", b.min.short(), b.points.short()))
                .collect();
            v.push(format!("  {} → 0", lang.words().below_every_band));
            v
        }
        Rule::Deduction { min } => vec![if vi {
            format!("  điểm trừ từ {} đến 0", min.short())
        } else {
            format!("  a deduction from {} to 0", min.short())
        }],
        Rule::Survey => vec![if vi {
            "  lấy từ kết quả khảo sát; Hội đồng không chấm".into()
        } else {
            "  from the survey; read-only".into()
        }],
    }
}

/// Why a decision was refused, in the user's language. `rule` is the leaf's
/// rule when known, to say what would be right.
pub fn refusal(lang: Lang, r: &Refusal) -> String {
    refusal_on(lang, r, None)
}

/// [`refusal`] with the leaf's rule and max, which a refused value is measured against.
pub fn refusal_on(lang: Lang, r: &Refusal, rule: Option<(&Rule, Points)>) -> String {
    if lang == Lang::En {
        return r.to_string();
    }
    match r {
        Refusal::UnknownMember(m) => format!("không có thành viên `{m}` trong council.toml"),
        Refusal::UnknownUnit(u) => format!("không có đơn vị `{u}` trong danh sách"),
        Refusal::UnknownLeaf {
            unit,
            code,
            framework,
        } => {
            format!("đơn vị `{unit}` không có tiêu chí {code} trong bộ tiêu chí `{framework}`")
        }
        Refusal::Survey(code) => format!(
            "{code} là tiêu chí khảo sát: điểm lấy từ kết quả điều tra, Hội đồng không chấm"
        ),
        Refusal::OutsideFields {
            member,
            code,
            field,
            fields,
        } => format!(
            "thành viên `{member}` thẩm định các lĩnh vực {fields} trước phiên họp; {code} thuộc lĩnh vực {field} (Chủ tịch hoặc Thư ký Hội đồng có thể quyết định)"
        ),
        Refusal::NotVoting(m) => format!(
            "`{m}` không phải thành viên biểu quyết của Hội đồng (voting = false trong council.toml)"
        ),
        Refusal::VoterAbsent(m) => format!(
            "`{m}` được ghi là vắng mặt; ghi có mặt hoặc ghi ý kiến bằng văn bản của họ (thamdinh attend)"
        ),
        Refusal::WrittenNeedsReference => {
            "ý kiến bằng văn bản cần số, ký hiệu văn bản (--written \"Văn bản số …\")".into()
        }
        Refusal::AgendaNotAllowed(m) => format!(
            "chỉ Chủ tịch hoặc Thư ký Hội đồng được điều hành chương trình họp; `{m}` không được"
        ),
        Refusal::NoAgendaItem(n, len) => {
            format!("chương trình họp có {len} mục; không có mục {n}")
        }
        Refusal::NotApproved {
            approve,
            voting,
            needed,
            share,
        } => format!(
            "kết quả chưa được thông qua: {approve}/{voting} thành viên biểu quyết tán thành kết quả hiện tại, cần trên {share} tổng số thành viên biểu quyết, tức {needed} phiếu; ghi biểu quyết bằng thamdinh vote (phiếu trước một quyết định mới không còn được tính)"
        ),
        Refusal::NothingPending { unit, code } => {
            format!("{code} của `{unit}` không có quyết định nào chờ xác nhận")
        }
        Refusal::SelfConfirm(m) => {
            format!("`{m}` đã ra quyết định này; một thành viên khác xác nhận")
        }
        Refusal::PendingLeft(n) => format!(
            "còn {n} quyết định chờ xác nhận (thamdinh pending); xác nhận, hoặc người ra quyết định rút lại bằng hoàn tác, trước khi ký"
        ),
        Refusal::RoundNotAllowed(m) => {
            format!(
                "chỉ Chủ tịch hoặc Thư ký Hội đồng được kết thúc vòng thẩm định; `{m}` không được"
            )
        }
        Refusal::RequestNeeded(code) => {
            format!("{code}: yêu cầu giải trình cần có nội dung (đơn vị cần giải trình điều gì)")
        }
        Refusal::Conflict { member, unit } => format!(
            "thành viên `{member}` không được quyết định đối với `{unit}` (xung đột lợi ích); nhấn m để chọn thành viên khác"
        ),
        Refusal::Rule { code, .. } => match rule {
            Some((rule, max)) => format!(
                "{code}: giá trị không hợp lệ; cách chấm: {}",
                rule_text(lang, rule, max)
                    .iter()
                    .map(|l| l.trim())
                    .collect::<Vec<_>>()
                    .join("; ")
            ),
            None => format!("{code}: giá trị không hợp lệ với cách chấm của tiêu chí"),
        },
        Refusal::NaNotAllowed(code) => {
            format!("{code} không được phép đánh giá là không áp dụng (bộ tiêu chí không cho phép)")
        }
        Refusal::CommentNeeded(code) => {
            format!("{code}: điểm khác điểm tự chấm, cần ghi lý do")
        }
        Refusal::NothingLeft(code) => format!(
            "đánh giá {code} không áp dụng thì đơn vị không còn điểm nào được tính (tối đa 0)"
        ),
        Refusal::Locked => "kết quả đã ký duyệt và bị khoá; cần `thamdinh reopen` trước".into(),
        Refusal::AlreadySigned { by, at } => format!(
            "đã ký duyệt bởi `{by}` lúc {at}; thành viên khác ký thêm bằng `thamdinh sign`, còn muốn sửa quyết định thì cần `thamdinh reopen`"
        ),
        Refusal::NotLocked => "kết quả chưa ký duyệt nên không có gì để mở lại".into(),
        Refusal::ReopenNotAllowed { member, signer } => format!(
            "chỉ Chủ tịch Hội đồng hoặc `{signer}`, người đã ký duyệt, được mở lại kết quả; `{member}` không được"
        ),
        Refusal::ReasonNeeded => "mở lại cần ghi lý do (--reason \"…\")".into(),
        Refusal::ReasonTooLong(n, max) => format!(
            "lý do dài {n} ký tự; lý do tối đa {max} ký tự (tài liệu dài hãy trích dẫn làm tài liệu kiểm chứng)"
        ),
        Refusal::NothingToUndo(m) => format!("không còn gì để hoàn tác cho thành viên `{m}`"),
        Refusal::NothingToRedo(m) => format!("không còn gì để làm lại cho thành viên `{m}`"),
        Refusal::Stale(c) => format!(
            "{} của `{}` đã được `{}` đổi thành {} lúc {}, sau khi bắt đầu quyết định; hãy xem lại và quyết định lại",
            c.code, c.unit, c.by, c.value, c.at
        ),
        Refusal::ChangedSince { unit, code, by } => format!(
            "{code} của `{unit}` đã được `{by}` thay đổi sau đó; hãy quyết định lại thay vì hoàn tác"
        ),
    }
}

/// Why a number's text is not points, in a language's words.
pub fn points_error(w: &Words, e: &crate::points::PointsError) -> &'static str {
    use crate::points::PointsError;
    match e {
        PointsError::NotFinite => w.ld_pe_not_finite,
        PointsError::TooPrecise => w.ld_pe_too_precise,
        PointsError::TooLarge => w.ld_pe_too_large,
        PointsError::NotANumber => w.ld_pe_not_a_number,
    }
}

/// Why points are not allowed on a leaf, in a language's words.
pub fn not_allowed(w: &Words, e: &crate::score::NotAllowed) -> String {
    use crate::score::{NotAllowed, shorts};
    match e {
        NotAllowed::NotALevel(p, allowed) => {
            fill(w.ld_not_a_level, &[&p.short(), &shorts(allowed)])
        }
        NotAllowed::NotABand(p, allowed) => fill(w.ld_not_a_band, &[&p.short(), &shorts(allowed)]),
        NotAllowed::Outside(p, lo, hi) => {
            fill(w.ld_outside, &[&p.short(), &lo.short(), &hi.short()])
        }
        NotAllowed::Survey => w.ld_survey_only.into(),
        NotAllowed::SurveyOutside(p, max) => fill(w.ld_survey_outside, &[&p.short(), &max.short()]),
    }
}

/// Why a path does not stay inside the council folder, in a language's words.
pub fn outside(w: &Words, why: crate::load::Outside) -> &'static str {
    use crate::load::Outside;
    match why {
        Outside::Empty => w.ld_path_empty,
        Outside::Absolute => w.ld_path_absolute,
        Outside::Leaves => w.ld_path_leaves,
        Outside::Itself => w.ld_path_itself,
        Outside::Control => w.ld_path_control,
    }
}

/// The kind of a scoring rule in a language's words (as [`rule_kind`]).
pub fn rule_kind_in(w: &Words, rule: &Rule) -> &'static str {
    rule_kind(lang_of(w), rule)
}

/// The language whose table `w` is.
pub fn lang_of(w: &Words) -> Lang {
    if std::ptr::eq(w, Lang::En.words()) {
        Lang::En
    } else {
        Lang::Vi
    }
}

#[cfg(test)]
mod blanks {
    /// A template is filled in order: both languages must leave the same
    /// number of blanks, or a value would be lost or shown in the wrong place.
    #[test]
    fn every_word_has_as_many_blanks_in_both_languages() {
        let differ: Vec<String> = super::vi::VI
            .named()
            .into_iter()
            .zip(super::en::EN.named())
            .filter(|((_, vi), (_, en))| vi.matches("{}").count() != en.matches("{}").count())
            .map(|((name, vi), (_, en))| format!("{name}: {vi:?} / {en:?}"))
            .collect();
        assert!(differ.is_empty(), "blanks differ:\n{}", differ.join("\n"));
    }
}
