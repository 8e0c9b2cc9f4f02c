"""Chinese names for every vocabulary a person reads: one copy, served to the consoles by the API."""

from __future__ import annotations

from enum import StrEnum

from hotline.core.enums import (
    AssignmentRole,
    AssignmentStatus,
    AttemptMode,
    CallbackKind,
    Channel,
    CloseReason,
    DeadlineKind,
    Disposition,
    Light,
    RecordingStatus,
    Role,
    State,
    SupervisionKind,
    Tier,
    Verdict,
)


class AgentStatus(StrEnum):
    """Where an operator stands at the queue, as the desk shows it."""

    OFFLINE = "offline"
    IDLE = "idle"
    RINGING = "ringing"
    TALKING = "talking"
    HELD = "held"  # the citizen on hold (保持), the operator still on the call
    WRAPUP = "wrapup"
    PAUSED = "paused"


STATES = {State.RECEIVED: "待受理", State.ACCEPTED: "已受理", State.DISPATCHED: "已派单", State.SIGNED: "已签收",
          State.REPLIED: "已反馈", State.COMPLETED: "已办结", State.CALLBACK_PENDING: "待回访",
          State.RETURNED: "被回退", State.CLOSED: "已关闭"}
TIERS = {Tier.EMERGENCY: "紧急", Tier.LIVELIHOOD: "民生（水电气暖）", Tier.GENERAL: "一般", Tier.COMPLEX: "复杂"}
LIGHTS = {Light.GREEN: "绿灯", Light.YELLOW: "黄灯", Light.RED: "红灯"}
CHANNELS = {Channel.PHONE: "电话", Channel.WECHAT: "微信", Channel.APP: "App", Channel.WEB: "网站",
            Channel.PROVINCE: "省转件", Channel.LIAISON: "联络员代办"}
ROLES = {Role.OPERATOR: "话务员", Role.DEPARTMENT_STAFF: "承办单位工作人员", Role.DEPARTMENT_ADMIN: "承办单位管理员",
         Role.CALLBACK_STAFF: "回访员", Role.SUPERVISOR: "督查人员", Role.HOTLINE_ADMIN: "热线管理员",
         Role.LIAISON: "民情联络员", Role.CITIZEN: "市民", Role.SYSTEM: "系统"}
ACTIONS = {"create": "登记", "accept": "受理", "answer_directly": "直接答复", "dispatch": "派单", "sign": "签收",
           "reply": "反馈", "complete": "办结", "return": "回退", "request_extension": "申请延期",
           "decide_extension": "延期审批", "start_callback": "进入回访", "close_satisfied": "回访满意结案",
           "close_unreachable": "回访未接通结案", "redo": "重办", "mark_invalid": "无效件",
           "merge_duplicate": "合并为重复件", "attach_incident": "并案", "transcribe": "录音转写",
           "callback_attempt": "回访未接通", "incident_caller": "并案来电",
           "urge": "催办", "resolve_supervision": "督办办结", "supervise": "督办",
           "close_supervision": "督办自动办结", "forward": "下派"}
DEADLINE_KINDS = {DeadlineKind.ACCEPT: "受理时限", DeadlineKind.SIGN: "签收时限",
                  DeadlineKind.REPLY: "反馈时限", DeadlineKind.COMPLETE: "办结时限", DeadlineKind.SUB: "下派时限"}
CLOSE_REASONS = {CloseReason.SATISFIED: "回访满意", CloseReason.UNREACHABLE: "回访未接通",
                 CloseReason.INVALID: "无效件", CloseReason.DUPLICATE: "重复件", CloseReason.INCIDENT: "并案"}
VERDICTS = {Verdict.SATISFIED: "满意", Verdict.BASICALLY_SATISFIED: "基本满意", Verdict.UNSATISFIED: "不满意",
            Verdict.UNREACHABLE: "未接通"}
SUPERVISION_KINDS = {SupervisionKind.OVERDUE: "超期", SupervisionKind.ARBITRATION: "退单仲裁",
                     SupervisionKind.REDO: "重办不满意", SupervisionKind.EMERGENCY: "紧急跟踪",
                     SupervisionKind.REPEAT: "重复诉求", SupervisionKind.ATTITUDE: "服务态度"}
ASSIGNMENT_ROLES = {AssignmentRole.LEAD: "主办", AssignmentRole.CO: "协办", AssignmentRole.SUB: "下派"}
ASSIGNMENT_STATUSES = {AssignmentStatus.DISPATCHED: "待签收", AssignmentStatus.SIGNED: "办理中",
                       AssignmentStatus.REPLIED: "已反馈", AssignmentStatus.COMPLETED: "已办结",
                       AssignmentStatus.RETURNED: "已回退", AssignmentStatus.WITHDRAWN: "已撤回"}
CALLBACK_KINDS = {CallbackKind.FULL: "回访", CallbackKind.LIGHT: "直办回访"}
ATTEMPT_MODES = {AttemptMode.STAFF: "人工", AttemptMode.AUTO: "自动语音"}
DISPOSITIONS = {Disposition.ANSWERED: "接通", Disposition.ABANDONED: "放弃", Disposition.MESSAGE_LEFT: "留言",
                Disposition.IVR_ONLY: "仅自助语音"}
RECORDING_STATUSES = {RecordingStatus.PENDING: "待转写", RecordingStatus.TRANSCRIBED: "已转写",
                      RecordingStatus.FAILED: "转写失败", RecordingStatus.NO_MODEL: "等待语音模型"}
AGENT_STATUSES = {AgentStatus.OFFLINE: "未签入", AgentStatus.IDLE: "空闲", AgentStatus.RINGING: "振铃",
                  AgentStatus.TALKING: "通话中", AgentStatus.HELD: "保持中",
                  AgentStatus.WRAPUP: "话后处理", AgentStatus.PAUSED: "示忙"}

RATES = {"acceptance_rate": "受理率", "sign_on_time_rate": "按时签收率",
         "reply_on_time_rate": "按时回复率", "completion_rate": "办结率",
         "complete_on_time_rate": "按时办结率", "satisfaction_rate": "满意率",
         "process_satisfaction_rate": "过程满意率",
         "redo_rate": "重办率", "return_rate": "回退率", "avg_handling_hours": "平均办理时长（小时）"}
COUNTS = {"received": "来件", "accepted": "受理", "dispatched": "派单", "completed": "办结",
          "answered_directly": "直办", "satisfied": "满意", "unsatisfied": "不满意", "returned": "回退",
          "redone": "重办"}
INBOX_VIEWS = {"open": "全部在办", "to_sign": "待签收", "in_progress": "办理中", "due_soon": "即将超期",
               "overdue": "已超期", "extension": "延期审批中", "done": "已办结", "supervised": "被督办"}
EXTENSION_STATUSES = {"pending": "审批中", "approved": "已批准", "refused": "未批准"}
# 明细 of a rate: the orders counted above the line, under it, or under it but not above (late, unsatisfied …).
STAT_PARTS = {"numerator": "分子", "denominator": "分母", "rest": "分母减分子"}

VOCABULARIES: dict[str, dict] = {
    "states": STATES, "tiers": TIERS, "lights": LIGHTS, "channels": CHANNELS, "roles": ROLES, "actions": ACTIONS,
    "deadline_kinds": DEADLINE_KINDS, "close_reasons": CLOSE_REASONS, "verdicts": VERDICTS,
    "supervision_kinds": SUPERVISION_KINDS, "assignment_roles": ASSIGNMENT_ROLES,
    "assignment_statuses": ASSIGNMENT_STATUSES, "callback_kinds": CALLBACK_KINDS, "attempt_modes": ATTEMPT_MODES,
    "dispositions": DISPOSITIONS, "recording_statuses": RECORDING_STATUSES, "agent_statuses": AGENT_STATUSES,
    "rates": RATES, "counts": COUNTS, "inbox_views": INBOX_VIEWS, "extension_statuses": EXTENSION_STATUSES,
    "stat_parts": STAT_PARTS,
}


def all_labels() -> dict[str, dict[str, str]]:
    """Every vocabulary as {value: 中文}, in declaration order."""
    return {name: {str(k): v for k, v in table.items()} for name, table in VOCABULARIES.items()}
