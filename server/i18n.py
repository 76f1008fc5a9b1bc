"""The languages people read Fieldline in, and the text the server writes for them.

Every text the server writes for a person — notification titles and bodies,
digest emails, generated feed lines — is a key of `MESSAGES` with its wording
in each language of `LANGUAGES` (tests/server/test_i18n_catalogue.py checks
both are there with the same placeholders). Code names a text with
`Text(key, **params)` and renders it for one reader with `render(text,
language, timezone)`:

- a `datetime` parameter is shown in the reader's time zone, a `date` as a
  calendar day, both in the reader's language;
- a `Text` parameter is rendered in the same language (labels such as an
  activity kind or an opportunity stage);
- a list parameter is rendered item by item and joined the language's way.

A `Text` turns into JSON (`to_json`/`from_json`) so that a record seen by many
people (a feed item) can keep it and be rendered per reader when read
(docs/languages.md).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LANGUAGES = ("zh-CN", "en")
DEFAULT_LANGUAGE = "zh-CN"

MESSAGES: dict[str, dict[str, str]] = {
    # Notifications: mentions and comments
    "mention.post": {"zh-CN": "{author} 在工作圈提到了你", "en": "{author} mentioned you"},
    "mention.comment": {"zh-CN": "{author} 在评论中提到了你", "en": "{author} mentioned you in a comment"},
    "mention.chat": {"zh-CN": "{author} 在聊天中提到了你", "en": "{author} mentioned you"},
    "mention.chat_in": {"zh-CN": "{author} 在「{conversation}」中提到了你",
                        "en": "{author} mentioned you in {conversation}"},
    "comment.new": {"zh-CN": "{author} 发表了评论", "en": "{author} commented"},
    # Notifications: tasks
    "task.assigned": {"zh-CN": "新任务：{title}", "en": "New task: {title}"},
    "task.assigned.body": {"zh-CN": "{author} 给你分配了一项任务，请接受或拒绝。",
                           "en": "{author} gave you a task; accept or reject it."},
    "task.accepted": {"zh-CN": "{actor} 接受了：{title}", "en": "{actor} accepted: {title}"},
    "task.rejected": {"zh-CN": "{actor} 拒绝了：{title}", "en": "{actor} rejected: {title}"},
    "task.done": {"zh-CN": "已完成：{title}", "en": "Done: {title}"},
    "task.done.body": {"zh-CN": "{actor} 完成了这项任务。", "en": "{actor} completed it."},
    "task.cancelled": {"zh-CN": "已取消：{title}", "en": "Cancelled: {title}"},
    "task.cancelled.body": {"zh-CN": "{actor} 取消了这项任务。", "en": "{actor} cancelled it."},
    "task.again": {"zh-CN": "任务重新打开：{title}", "en": "Task again: {title}"},
    "task.again.body": {"zh-CN": "请接受或拒绝。", "en": "Accept or reject it."},
    "task.overdue": {"zh-CN": "已逾期：{title}", "en": "Overdue: {title}"},
    "task.overdue.body": {"zh-CN": "你团队的一项任务已逾期（截止于 {due}）。",
                          "en": "A task in your team is overdue (it was due {due})."},
    # Notifications: reminders (the title is the reminder's own)
    "reminder.task.body": {"zh-CN": "任务即将到期（{due}）。", "en": "A task is coming due ({due})."},
    "reminder.follow_up.body": {"zh-CN": "该跟进客户了（{due}）。", "en": "Time to follow up ({due})."},
    "reminder.daily_report.body": {"zh-CN": "日报请在 {due} 前提交。", "en": "Your daily report is due at {due}."},
    "reminder.daily_report": {"zh-CN": "{day}的日报", "en": "Daily report for {day}"},
    # Notifications: customers (system)
    "customer.transferred": {"zh-CN": "客户转给你: {customer}", "en": "Customer transferred to you: {customer}"},
    "customer.shared": {"zh-CN": "客户共享给你: {customer}", "en": "Customer shared with you: {customer}"},
    # Notifications: approvals (审批) and 回款
    "approval.waiting": {"zh-CN": "待审批：{title}", "en": "Waiting for your approval: {title}"},
    "approval.waiting.body": {"zh-CN": "{submitter} 提交的{kind}，第 {step} 步", "en": "{kind} from {submitter}, step {step}"},
    "approval.forwarded": {"zh-CN": "转交给你审批：{title}", "en": "Forwarded for your approval: {title}"},
    "approval.cc": {"zh-CN": "抄送：{title}", "en": "Copied to you: {title}"},
    "approval.cc.body": {"zh-CN": "{submitter} 提交的{kind}", "en": "{kind} from {submitter}"},
    "approval.step_passed": {"zh-CN": "第 {step} 步已通过：{title}", "en": "Step {step} approved: {title}"},
    "approval.approved": {"zh-CN": "已通过：{title}", "en": "Approved: {title}"},
    "approval.rejected": {"zh-CN": "已驳回：{title}", "en": "Rejected: {title}"},
    "approval.returned": {"zh-CN": "已退回修改：{title}", "en": "Returned for changes: {title}"},
    "approval.withdrawn": {"zh-CN": "已撤回：{title}", "en": "Withdrawn: {title}"},
    "approval.comment": {"zh-CN": "审批评论：{title}", "en": "Comment on: {title}"},
    "approval.remark": {"zh-CN": "{actor}：{text}", "en": "{actor}: {text}"},
    "approval_kind.contract": {"zh-CN": "合同审批", "en": "contract"},
    "approval_kind.discount": {"zh-CN": "折扣审批", "en": "discount request"},
    "approval_kind.expense": {"zh-CN": "费用报销", "en": "expense claim"},
    "approval_kind.leave": {"zh-CN": "请假申请", "en": "leave request"},
    "approval_kind.custom": {"zh-CN": "审批", "en": "request"},
    "payment.recorded": {"zh-CN": "回款已登记：{contract}", "en": "Payment recorded: {contract}"},
    "payment.recorded.body": {"zh-CN": "{actor} 登记了 {amount} {currency}", "en": "{actor} recorded {amount} {currency}"},
    "payment.overdue": {"zh-CN": "回款逾期：{contract}", "en": "Payment overdue: {contract}"},
    "payment.overdue.body": {"zh-CN": "计划于 {day} 回款的 {amount} {currency} 尚未到账",
                             "en": "{amount} {currency} planned for {day} has not arrived"},
    # Notifications: leads (线索)
    "lead.new": {"zh-CN": "新线索：{company}", "en": "New lead: {company}"},
    "lead.new.body": {"zh-CN": "来自 {source}，请在 {due} 前跟进。", "en": "From {source}; follow it up by {due}."},
    "lead.overdue": {"zh-CN": "线索未及时跟进：{company}", "en": "Lead not followed up: {company}"},
    "lead.overdue.body": {"zh-CN": "这条线索已超过 24 小时未跟进。", "en": "This lead has waited more than 24 hours."},
    "lead.overdue.manager": {"zh-CN": "你团队的一条线索仍未跟进。", "en": "A lead in your team is still not followed up."},
    # Notifications: daily quotas (慧聪 资源规则)
    "quota.below": {"zh-CN": "今日指标未完成", "en": "Today's targets are not met yet"},
    "quota.below.body": {
        "zh-CN": "有效联系 {contacts}/{contacts_target}，新增重点客户 {key_customers}/{key_customers_target}。",
        "en": "Effective contacts {contacts}/{contacts_target}, new key customers {key_customers}/{key_customers_target}.",
    },
    "quota.team": {"zh-CN": "团队今日指标：{count} 人未完成", "en": "Team targets today: {count} below"},
    "quota.team.body": {"zh-CN": "未完成：{people}", "en": "Below target: {people}"},
    # Feed lines the server writes
    "feed.checkin": {"zh-CN": "在 {customer} 签到", "en": "Checked in at {customer}"},
    "feed.checkin.note": {"zh-CN": "在 {customer} 签到：{note}", "en": "Checked in at {customer}: {note}"},
    "feed.activity": {"zh-CN": "{kind} · {customer}：{content}", "en": "{kind} · {customer}: {content}"},
    "feed.daily_report": {"zh-CN": "{day} 日报：{summary}", "en": "Daily report {day}: {summary}"},
    "feed.lead.created": {"zh-CN": "新线索「{company}」（{source}）", "en": "New lead “{company}” ({source})"},
    "feed.lead.assigned": {"zh-CN": "线索「{company}」交给 {owner}", "en": "Lead “{company}” assigned to {owner}"},
    "feed.lead.converted": {"zh-CN": "线索「{company}」已转为客户", "en": "Lead “{company}” became a customer"},
    "feed.opportunity": {"zh-CN": "商机「{name}」{changes}", "en": "Opportunity “{name}”: {changes}"},
    "opportunity.stage": {"zh-CN": "阶段 {old} → {new}", "en": "stage {old} → {new}"},
    "opportunity.lost": {"zh-CN": "{status}: {reason}", "en": "{status}: {reason}"},
    # Labels
    "activity.call": {"zh-CN": "电话", "en": "Call"},
    "activity.visit": {"zh-CN": "拜访", "en": "Visit"},
    "activity.email": {"zh-CN": "邮件", "en": "Email"},
    "activity.meeting": {"zh-CN": "会议", "en": "Meeting"},
    "activity.note": {"zh-CN": "备注", "en": "Note"},
    "stage.lead": {"zh-CN": "线索", "en": "lead"},
    "stage.qualified": {"zh-CN": "已确认", "en": "qualified"},
    "stage.proposal": {"zh-CN": "方案报价", "en": "proposal"},
    "stage.negotiation": {"zh-CN": "谈判", "en": "negotiation"},
    "status.open": {"zh-CN": "重新打开", "en": "reopened"},
    "status.won": {"zh-CN": "赢单", "en": "won"},
    "status.lost": {"zh-CN": "输单", "en": "lost"},
    "kind.mention": {"zh-CN": "提到你", "en": "Mentioned"},
    "kind.reminder": {"zh-CN": "提醒", "en": "Reminder"},
    "kind.task": {"zh-CN": "任务", "en": "Task"},
    # Digest emails
    "email.subject.more": {"zh-CN": "{first}（另有 {count} 条）", "en": "{first} (+{count} more)"},
    "email.hello": {"zh-CN": "{name}，你好：", "en": "Hello {name},"},
    "email.while_away": {"zh-CN": "你离开期间：", "en": "While you were away:"},
    "email.item": {"zh-CN": "[{kind}] {title}（{at}）", "en": "[{kind}] {title} ({at})"},
    "email.settings": {"zh-CN": "邮件设置", "en": "Email settings"},
}

# How each language writes a moment, a day, and a list.
MOMENT_FORMATS = {"zh-CN": "{y}年{m}月{d}日 {hh:02d}:{mm:02d}", "en": "{mon} {d}, {y} {hh:02d}:{mm:02d}"}
DAY_FORMATS = {"zh-CN": "{y}年{m}月{d}日", "en": "{mon} {d}, {y}"}
LIST_SEPARATORS = {"zh-CN": "，", "en": "; "}
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class Text:
    """A message of the catalogue with its parameters, not yet in any language."""

    key: str
    params: dict[str, Any] = field(default_factory=dict)

    def __init__(self, key: str, **params: Any) -> None:
        if key not in MESSAGES:
            raise KeyError(f"no message {key!r} in server.i18n.MESSAGES")
        object.__setattr__(self, "key", key)
        object.__setattr__(self, "params", params)

    def to_json(self) -> dict[str, Any]:
        return {"key": self.key, "params": {name: _param_json(v) for name, v in self.params.items()}}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Text:
        return cls(data["key"], **{name: _param_value(v) for name, v in (data.get("params") or {}).items()})


def _param_json(value: Any) -> Any:
    if isinstance(value, Text):
        return value.to_json()
    if isinstance(value, dt.datetime):
        return {"at": value.isoformat()}
    if isinstance(value, dt.date):
        return {"day": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_param_json(v) for v in value]
    return value


def _param_value(value: Any) -> Any:
    if isinstance(value, dict):
        if "at" in value:
            return dt.datetime.fromisoformat(value["at"])
        if "day" in value:
            return dt.date.fromisoformat(value["day"])
        return Text.from_json(value)
    if isinstance(value, list):
        return [_param_value(v) for v in value]
    return value


def language_of(language: str | None) -> str:
    return language if language in LANGUAGES else DEFAULT_LANGUAGE


def _zone(timezone: str | None) -> dt.tzinfo:
    try:
        return ZoneInfo(timezone or "Asia/Shanghai")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("Asia/Shanghai")


def moment(value: dt.datetime, language: str, timezone: str | None) -> str:
    """A moment on the reader's clock, the reader's way."""
    local = (value if value.tzinfo else value.replace(tzinfo=dt.timezone.utc)).astimezone(_zone(timezone))
    return MOMENT_FORMATS[language_of(language)].format(
        y=local.year, m=local.month, d=local.day, mon=MONTHS[local.month - 1], hh=local.hour, mm=local.minute)


def day(value: dt.date, language: str) -> str:
    return DAY_FORMATS[language_of(language)].format(
        y=value.year, m=value.month, d=value.day, mon=MONTHS[value.month - 1])


def _show(value: Any, language: str, timezone: str | None) -> str:
    if isinstance(value, Text):
        return render(value, language, timezone)
    if isinstance(value, dt.datetime):
        return moment(value, language, timezone)
    if isinstance(value, dt.date):
        return day(value, language)
    if isinstance(value, (list, tuple)):
        return LIST_SEPARATORS[language_of(language)].join(_show(v, language, timezone) for v in value)
    return str(value)


def render(text: Text | str, language: str | None, timezone: str | None = None) -> str:
    """The text in the reader's language, its times on the reader's clock.
    A plain `str` (what a person wrote) comes back as it is."""
    if isinstance(text, str):
        return text
    language = language_of(language)
    shown = {name: _show(value, language, timezone) for name, value in text.params.items()}
    return MESSAGES[text.key][language].format_map(shown)
