"""Chinese messages for every error_id: what the person at a console reads.

The English message stays the developer's (logs, API clients that ask for English); a client that
prefers Chinese (the consoles send `Accept-Language: zh-CN`) gets these. One catalogue, one place:
tests/unit/test_messages.py holds it to every error_id raised anywhere in the code.
"""

from __future__ import annotations

from typing import Any

MESSAGES: dict[str, str] = {
    "article_code_taken": "该知识编号已被使用，请换一个编号",
    "article_not_citable": "该知识条目当前不可引用（未发布或不在有效期内）",
    "article_not_found": "没有找到该知识条目",
    "article_not_published": "该知识条目尚未发布",
    "article_version_not_found": "没有找到该知识版本",
    "article_wrong_status": "该知识条目当前状态下不能进行此操作",
    "editor_only": "只有热线知识库编辑可以进行此操作",
    "file_too_large": "文件太大，请拆分后再上传",
    "import_invalid": "导入文件有错误，未导入任何内容，请按行号修改后重试",
    "not_utf8": "文件不是 UTF-8 编码的文本，请转换编码后重试",
    "not_your_article": "这条知识不属于您的单位，不能修改",
    "order_not_answered": "该工单尚未答复，不能生成知识条目",
    "queue_not_allowed": "您的岗位不能签入这个队列",
    "speech_synthesis_failed": "语音提示生成失败，请检查 espeak-ng 和 sox 后重试",
    "speech_tools_missing": "缺少生成语音提示的工具（espeak-ng、sox），请先安装",
    "already_rated": "这件工单已经评价过了，感谢您的反馈",
    "rating_not_open": "工单办结后才能评价；正在重新办理的工单，待再次办结后再评价",
    "no_citizen": "这件工单没有登记市民的联系方式，无法发送通知",
    "no_push_source": "该服务商不会推送这类消息",
    "push_too_large": "推送的内容过大，已拒绝",
    "rating_link_expired": "评价链接已过期，如需评价请拨打 12345",
    "rating_link_unknown": "没有这个评价链接，请核对短信中的链接",
    "audiosocket_protocol": "实时音频流格式错误，本路转写已停止（通话不受影响）",
    "stream_ticket_invalid": "实时推送凭证无效、已过期或已使用，请刷新页面重新连接",
    "stream_id_invalid": "实时音频流的标识无效或签名不符，已拒绝",
    # general
    "bad_request": "请求有误，请检查后重试",
    "invalid_input": "填写的内容不符合要求",
    "body_too_large": "提交的内容太大，请压缩或拆分后再试",
    "database_unavailable": "系统暂时无法访问数据库，请稍后再试",
    "internal_error": "系统出现内部错误，已记录，请稍后再试",
    "http_413": "提交的内容太大，超过了允许的大小",
    "not_found": "没有找到要查看的内容",
    "permission_denied": "您没有进行此操作的权限",
    "conflict": "工单刚被其他人修改过，请刷新后重试",
    "illegal_transition": "工单当前状态下不能进行此操作，请刷新后查看",
    "config_invalid": "系统配置有误，请联系系统管理员",
    "not_authenticated": "请先登录",
    "token_expired": "登录已过期，请重新登录",
    "refresh_token_reused": "登录凭据被重复使用，为安全起见本次登录的所有会话已失效，请重新登录",
    "login_failed": "用户名或密码错误",
    "rate_limited": "操作过于频繁，请稍后再试",
    "role_not_allowed": "您的岗位不能进行此操作",
    "invalid_api_key": "接口密钥无效",
    "open311_key_required": "本中心未公开诉求信息，查询需提供接口密钥（api_key）",
    # accounts
    "invalid_username": "用户名须为 3–64 位字母、数字、下划线、点或短横线",
    "password_too_short": "密码至少 10 位",
    "invalid_role": "岗位不正确",
    "department_required": "承办单位账号必须指定所属单位",
    "username_taken": "用户名已被占用",
    "client_name_taken": "已有同名的接入系统",
    "extension_invalid": "分机格式不正确，例如 PJSIP/1001",
    "no_extension": "您的账号还没有绑定分机，请先设置分机",
    # work orders
    "order_not_found": "在您的权限范围内没有这张工单",
    "unknown_category": "没有这个诉求分类",
    "unknown_kind": "诉求类型须为 咨询、求助、投诉、举报、建议、表扬 之一",
    "text_required": "请填写必填的文字内容",
    "text_too_long": "内容太长，无法智能识别，请精简后再试",
    "places_csv_empty": "地名文件是空的",
    "places_csv_header": "地名文件第一行须是列名：name, kind, department, aliases, ambiguous",
    "no_route": "派单规则无法确定承办单位，请手动选择",
    "reason_required": "所选承办单位与系统建议不同，请填写改派理由",
    "department_repeated": "同一单位不能既是主办又是协办",
    "department_not_found": "没有这个承办单位",
    "unit_not_found": "在您的权限范围内没有这个下级单位",
    "supervision_not_found": "在您的权限范围内没有这条督办",
    "supervision_already_resolved": "这条督办已经办结",
    "unknown_rate": "没有这项考核指标",
    "interview_source_required": "请说明约谈的来由：某条督办，或某月的考核排名（二者选一）",
    "interview_department_required": "请选择要约谈的单位",
    "interview_department_not_found": "在您的权限范围内没有这个单位",
    "interview_already_open": "该单位已在约谈名单中，尚未办结",
    "interview_not_found": "在您的权限范围内没有这条约谈",
    "interview_already_resolved": "这条约谈已经办结",
    "nothing_to_urge": "该工单目前不在任何承办单位手中，无需催办",
    "return_reason_unknown": "请从列表中选择回退原因",
    "note_empty": "请填写沟通内容",
    "sub_unit_cannot_forward": "下派单位不能再次下派，请办理后向上级单位反馈",
    "sign_before_forward": "请先签收工单，再下派给下级单位",
    "not_a_sub_unit": "只能下派给本单位的下级单位",
    "sub_unit_already_holds": "该下级单位已在办理这个工单",
    "sub_deadline_past": "下派时限必须晚于现在",
    "sub_deadline_after_parent": "下派时限不能晚于本工单的办结时限",
    "sub_unit_replies_up": "下派单位只需签收并反馈，由上级单位办结",
    "sub_units_pending": "还有下级单位未反馈，收到反馈后才能办结",
    "export_too_large": "这个视图的工单太多，一次最多导出 10000 条，请缩小筛选范围（如受理日期）后再导出",
    "note_too_long": "沟通内容太长，最多 2000 字",
    "evidence_required": "这类诉求办结时必须上传现场照片或 PDF 佐证材料",
    "department_retired": "该承办单位已撤销，不能派单",
    "awaits_arbitration": "该工单已两次被回退，须由督查人员裁定承办单位",
    "not_your_department": "该工单不在本单位办理",
    "lead_department_only": "只有主办单位可以进行此操作",
    "co_handlers_pending": "还有协办单位未办结，主办单位暂不能办结",
    "return_window_closed": "已超过可回退的期限",
    "duplicate_parent_not_found": "没有找到要合并到的工单",
    "duplicate_parent_is_duplicate": "所选工单本身是重复件，请合并到它的原工单",
    "incident_master_not_open": "所选工单已不在办理中，不能并案",
    "incident_master_invalid": "所选工单不能作为并案主单",
    "action_not_offered": "请选择受理方式：派单、直接答复、重复件、并案或无效",
    "evidence_type": "佐证材料只接受 JPEG、PNG 图片和 PDF 文件",
    "evidence_empty": "上传的文件是空的",
    "evidence_too_large": "文件太大，单个文件不能超过 10 MB",
    "evidence_too_many": "佐证材料文件太多，每次最多 9 个",
    "evidence_content_mismatch": "文件内容与类型不符",
    "extension_not_found": "没有找到这条延期申请",
    "extension_pending": "已有一条延期申请在审批中",
    "extension_already_decided": "这条延期申请已经审批过了",
    "extension_beyond_limit": "延期后将超过办理总时限",
    "extension_days_invalid": "延期天数不正确",
    "no_deadline_to_extend": "该工单没有可以延期的办结时限",
    "datetime_out_of_range": "日期超出可计算的范围",
    "naive_datetime": "时间须带时区",
    # callbacks
    "invalid_verdict": "满意度选项不正确",
    "not_awaiting_callback": "该工单当前不在待回访状态",
    "callback_not_found": "没有找到这条回访",
    "no_callback": "该工单还没有回访记录",
    "callback_finished": "这条回访已经完成",
    "callback_taken": "同事正在回访这张工单",
    "attempt_in_progress": "自动语音回访正在进行，请稍候",
    "attempt_recorded": "这一次回访已经记录过了，请刷新",
    "attempt_out_of_order": "回访次数不连续，请刷新后重试",
    "attempt_not_due": "下一次回访安排在其他日期",
    "attempt_not_open": "这次自动回访已结束",
    "callback_not_configured": "回调未配置校验令牌",
    "callback_rejected": "回调校验未通过",
    # telephony
    "not_at_queue": "您尚未在该分机签入队列",
    "pbx_unavailable": "电话系统暂时无法连接，请稍后再试",
    "pbx_refused": "电话系统拒绝了该操作",
    "recording_not_found": "没有找到这段录音",
    "hold_no_call": "您当前没有接通的来电，无法保持或取回",
    "hold_not_your_call": "这通电话不是您正在接听的电话，不能保持或取回",
    "hold_already": "市民已在保持中",
    "hold_not_held": "市民当前不在保持中，无需取回",
    "hold_call_gone": "操作失败：这通电话已不存在（市民可能已挂断）",
    "hold_refused": "电话系统拒绝了保持或取回操作，请稍后重试",
    "handover_call_gone": "转接失败：这通电话已不存在（市民可能已挂断），未做任何转接",
    "handover_not_permitted": "转接失败：电话系统不允许转接这通电话，未做任何转接",
    "handover_not_bridged": "转接失败：这通电话当前不在通话中，无法转接",
    "handover_no_feature_code": "三方通话无法发起：电话系统未设置咨询转接功能键（atxfer），请改用直接转接",
    "handover_refused": "转接失败：电话系统拒绝了转接，请改用其他方式联系对方",
    "handover_no_call": "您当前没有接通的来电，无法转接",
    "handover_target_unknown": "没有这个转接对象",
    "handover_no_number": "该转接对象尚未配置号码，请联系管理员在配置中填写",
    "handover_not_found": "没有找到您发起的这次转接",
    "handover_not_open": "这次转接已经结束，不能再操作",
    "emergency_no_words": "这通电话还没有识别或记录到任何内容，请先在诉求内容中写明情况",
    "recording_file_missing": "录音文件不存在或尚未生成",
    "recording_deleted": "这段录音已超过保存期限，已按规定删除",
    "recording_department_denied": "承办单位无权收听录音（本中心未开放收听权限）",
    "range_not_satisfiable": "请求的录音片段超出了录音范围",
    "no_phone": "该工单没有市民电话，无法外呼",
    "call_not_found": "没有找到您接听或拨出的这通电话",
    "call_recording_incomplete": "通话录音不完整，无法转写",
    "call_recording_open": "通话录音尚未写完",
    # statistics and citizens
    "invalid_period": "统计时间段不正确",
    "board_centre_only": "坐席监控只对热线中心的监督人员开放",
    "trend_too_long": "走势图的时间段太长：按日最多 92 天，按周最多 106 周",
    "no_department": "请指定单位",
    "department_out_of_scope": "该单位不在您的查看范围内",
    "case_not_found": "工单号或提取码不正确",
    "idempotency_key_reused": "该 Idempotency-Key 已用于内容不同的另一次提交，请为新的提交使用新的键",
}

HTTP_MESSAGES = {404: "没有这个页面或接口", 405: "不支持这种请求方式", 413: "上传的内容太大", 415: "不支持的内容格式"}

# Request fields a person filled in, named as the console labels them.
FIELDS = {"text": "内容", "reason": "理由", "title": "标题", "content": "诉求内容", "place": "地点",
          "citizen_phone": "来电号码", "phone": "电话", "lead": "承办单位", "tier": "紧急程度",
          "category_code": "诉求分类", "interface": "分机", "extension": "分机", "days": "延期天数",
          "verdict": "满意度", "comment": "市民意见", "attempt": "回访次数", "username": "用户名",
          "password": "密码", "parent_ticket": "原工单号", "master_ticket": "并案主单号", "answer": "答复内容",
          "ticket": "工单号", "code": "提取码", "q": "搜索内容", "limit": "每页条数", "offset": "页码",
          "received_from": "受理时间（起）", "received_to": "受理时间（止）", "received_on": "受理日期",
          "since": "起始时间", "start_date": "开始时间", "end_date": "结束时间", "at": "时间", "month": "月份",
          "from": "开始日期", "to": "结束日期", "as_of": "日期"}

PROBLEMS = {"missing": "必须填写", "string_too_short": "不能为空或太短", "string_too_long": "太长",
            "string_pattern_mismatch": "格式不正确", "greater_than_equal": "太小", "less_than_equal": "太大",
            "greater_than": "太小", "less_than": "太大", "int_parsing": "须为整数", "enum": "不是可选的值",
            "literal_error": "不是可选的值", "json_invalid": "不是有效的 JSON",
            "datetime_parsing": "日期时间格式不正确",
            "date_from_datetime_parsing": "日期格式不正确", "bool_parsing": "须为是或否", "value_error": "不正确",
            "list_too_long": "项目太多", "timezone_aware": "须带时区，例如 2026-11-21T09:00:00+08:00",
            "datetime_out_of_range": "须在 2000 年至 2099 年之间", "extra_forbidden": "是多余的字段"}


def chinese(error_id: str, status_code: int | None = None) -> str:
    """The Chinese message for an error_id (HTTP-level ids by their status)."""
    if error_id in MESSAGES:
        return MESSAGES[error_id]
    if error_id.startswith("http_") and status_code is not None:
        return HTTP_MESSAGES.get(status_code, f"请求失败（{status_code}）")
    return "操作失败，请稍后再试"


def chinese_validation(errors: list[dict[str, Any]]) -> str:
    """「分机：格式不正确；理由：必须填写」 from pydantic's error list."""
    parts = []
    for error in errors:
        loc = [str(p) for p in error.get("loc", ()) if p not in ("body", "query", "path", "header")]
        name = next((FIELDS[p] for p in reversed(loc) if p in FIELDS), loc[-1] if loc else "")
        problem = PROBLEMS.get(str(error.get("type", "")), "不正确")
        parts.append(f"{name}：{problem}" if name else problem)
    return MESSAGES["invalid_input"] + ("：" + "；".join(dict.fromkeys(parts)) if parts else "")


def prefers_chinese(accept_language: str | None) -> bool:
    """True when the client's most wanted language is Chinese (Accept-Language: zh-CN,zh;q=0.9 …)."""
    best, best_q = "", -1.0
    for part in (accept_language or "").split(","):
        lang, _, params = part.strip().partition(";")
        q = 1.0
        if params.strip().startswith("q="):
            try:
                q = float(params.strip()[2:])
            except ValueError:
                q = 0.0
        if lang and q > best_q:
            best, best_q = lang.lower(), q
    return best.startswith("zh")
