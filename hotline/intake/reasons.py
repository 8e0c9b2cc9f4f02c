"""Why intake suggested what it did, as sentences an operator reads at a glance (「听到“没水”，归类为 停水」).

Every reason intake gives is built here, so that the wording stays one voice: what was heard
(in quotes), then what follows from it. No rule names or internal codes.
"""

from __future__ import annotations

TIER_NAMES = {"emergency": "紧急", "livelihood": "民生", "general": "一般", "complex": "复杂"}


def quoted(words: list[str] | tuple[str, ...], limit: int = 4) -> str:
    """「“没水”、“停水”」: the words heard, each in quotes, at most `limit`."""
    unique = list(dict.fromkeys(w for w in words if w))
    return "、".join(f"“{w}”" for w in unique[:limit])


def heard_as(said: str, meant: str | None) -> str:
    """A word heard exactly, or by sound: “听水”（音同“停水”）."""
    return f"“{said}”" if not meant or meant == said else f"“{said}”（音同“{meant}”）"


def category(heard: list[str], name: str) -> str:
    return f"听到{'、'.join(heard)}，归类为 {name}"


def no_category() -> str:
    return "没有听出是哪类诉求，请话务员选择类别"


def filed_by_kind(kind: str, heard: str, name: str) -> str:
    return f"听到{heard}，是{kind}，按{kind}归入 {name}"


def tier_emergency(name: str) -> str:
    return f"时限为紧急：{name}危及生命或财产安全"


def tier_hazard() -> str:
    return "时限为一般：这是隐患报告，事情还没有发生"


def tier_complex(heard: list[str]) -> str:
    return f"听到{'、'.join(heard)}，按复杂事项办理"


def tier_default(tier: str, name: str) -> str:
    return f"时限按 {name} 的默认：{TIER_NAMES.get(tier, tier)}"


def tier_nothing_urgent() -> str:
    return "时限为一般：没有听到紧急或民生的情形"


def emergency_department(name: str, department: str) -> str:
    return f"紧急险情 {name} 由 {department} 处置"


def kind(kind: str, heard: str) -> str:
    return f"听到{heard}，诉求类型为 {kind}"


def no_text() -> str:
    return "没有内容：请话务员根据来电填写工单"


def no_chinese() -> str:
    return "没有中文内容可以识别：请话务员根据来电填写工单"


def phone(number: str) -> str:
    return f"听到电话号码 {number}"


def ticket(number: str) -> str:
    return f"听到工单号 {number}" if "-" in number or len(number) >= 12 else f"听到工单号的一部分 {number}"


def house(number: str) -> str:
    return f"听到门牌 {number}"


def id_number(masked: str) -> str:
    return f"听到身份证号 {masked}（中间几位已隐去）"


def repeat(count: int, category_name: str, place: str | None, days: int, tickets: list[str]) -> str:
    where = f"“{place}”的" if place else ""
    return (f"重复来电：这个号码{days}天内已就{where}{category_name}反映过{count}次"
            f"（{'、'.join(tickets[:3])}）")


# -- the learned model ---------------------------------------------------------------------


def model_why(words: list[str], name: str, version: str, confidence: float) -> str:
    if words:
        return (f"听到{quoted(words)}等词，与本中心以往「{name}」工单最相近"
                f"（模型 {version}，把握 {confidence:.0%}）")
    return f"模型 {version} 建议归入 {name}（把握 {confidence:.0%}）"


def similar_orders(tickets: list[str]) -> str:
    return f"；相似的以往工单：{'、'.join(tickets)}"


def must_choose(confidence: float, threshold: float, offered: list[tuple[str, float]]) -> str:
    names = "、".join(f"{name}（{conf:.0%}）" for name, conf in offered)
    return f"把握不足（{confidence:.1%}，低于 {threshold:.0%}），请话务员在 {names} 中选择"


def explicit_over_model(heard: list[str], name: str, model_name: str) -> str:
    return f"模型把握不足；听到{'、'.join(heard)}，明确归类为 {name}，不按模型建议的 {model_name}"


def emergency_refined(name: str, detected: str) -> str:
    return f"按本中心以往同类险情，细分为 {name}（险情识别初判为 {detected}）"


def answered_here(centre: str) -> str:
    return f"此类诉求由{centre}直接答复，不派单"


def learned_department(orders: int, department: str, share: float) -> str:
    return f"本中心以往 {orders} 张此类工单最终由 {department} 主办（占 {share:.0%}）"


def learned_emergency(words: list[str], probability: float, version: str) -> str:
    """Why the danger model raised an emergency the patterns did not: the words heard that weighed most."""
    heard = f"听到{quoted(words, 3)}等，" if words else ""
    return f"{heard}与以往紧急来电相似（险情模型 {version}，把握 {probability:.0%}）"


def learned_leaf(detected: str, version: str) -> str:
    """The danger model filed a pattern's emergency under another leaf: said after the hand-over."""
    return f"（险情模型 {version} 按以往同类来电改判，险情规则初判为 {detected}）"
