"""Plain-text tables for `hotline stats report` (Chinese labels are two columns wide)."""

from __future__ import annotations

import unicodedata

from hotline.stats.formulas import RATES

SHOWN = ("reply_on_time_rate", "complete_on_time_rate", "satisfaction_rate", "redo_rate", "return_rate")


def width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def pad(text: str, size: int, right: bool = False) -> str:
    gap = " " * max(0, size - width(text))
    return gap + text if right else text + gap


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def table(header: list[str], rows: list[list[str]], right: range) -> str:
    sizes = [max(width(r[i]) for r in [header, *rows]) for i in range(len(header))]
    lines = []
    for row in [header, *rows]:
        lines.append("  ".join(pad(cell, sizes[i], i in right) for i, cell in enumerate(row)).rstrip())
        if row is header:
            lines.append("  ".join("-" * s for s in sizes))
    return "\n".join(lines)


def report_text(rates: dict, ranking: dict) -> str:
    period = f"{rates['period']['from']} … {rates['period']['to']}"
    scope = rates["department"]["name"] if rates["department"] else "全市"
    counts = rates["counts"]
    rate_rows = [[r.label, percent(rates["rates"][r.name]), r.formula()] for r in RATES]
    avg = rates["rates"]["avg_handling_hours"]
    rate_rows.append(["平均办理时长", "—" if avg is None else f"{avg} h", "handling_seconds ÷ completed"])
    head = (f"{scope}  {period}\n来件 {counts['received']}  受理 {counts['accepted']}  交办 {counts['dispatched']}  "
            f"办结 {counts['completed']}  直办 {counts['answered_directly']}  回访接通 {counts['callbacks_reached']}\n")
    labels = {r.name: r.label for r in RATES}
    rank_rows = [[str(row["rank"] or "—"), row["department"]["name"],
                  "—" if row["score"] is None else f"{row['score']:.2f}", str(row["volume"]),
                  *(percent(row["rates"][name]) for name in SHOWN)] for row in ranking["rows"]]
    unranked = "、".join(f"{row['department']['name']}（{row['volume']}）" for row in ranking.get("unranked", []))
    ranking_head = (f"\n\n排名（交办量不少于 {ranking['min_volume']} 件参与排名；"
                    f"权重 {', '.join(f'{labels[k]} {v:g}' for k, v in ranking['weights'].items())}）\n")
    return (head + table(["指标", "数值", "公式"], rate_rows, right=range(1, 2)) + ranking_head
            + table(["名次", "单位", "得分", "交办"] + [labels[n] for n in SHOWN], rank_rows, right=range(2, 99))
            + (f"\n\n样本不足，不排名（交办量）：{unranked}" if unranked else ""))
