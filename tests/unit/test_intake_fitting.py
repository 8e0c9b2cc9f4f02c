"""Training the learned router at scale: chunked SGD learns what it is shown, reads back from its file the
same, never turns more than a chunk of orders into numbers at a time, and a damaged file is refused."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from hotline.intake import fitting
from hotline.intake.learning import Trainer
from hotline.intake.model import ModelError, load_model, model_paths, write_model
from hotline.intake.training import Example, fit

LINES = {
    "utility.water.outage": ["我们 小区 从 早上 就 停水 了", "家里 水龙头 一滴 水 都 没有", "楼里 没 水 好几 个 小时 了",
                             "自来水 停 了 也 没 通知", "一 整天 没 来 水 做饭 都 不行"],
    "utility.power.outage": ["整栋 楼 突然 停电 了", "家里 没 电 冰箱 都 停 了", "小区 又 断电 了 电梯 也 停 了",
                             "晚上 一直 停电 孩子 没法 写 作业", "电 断 了 一 下午 还 没 来"],
    "urban.order.vending": ["烧烤 摊 天天 占 着 人行道", "路边 小贩 把 路 都 堵 了", "夜市 摊 占道 经营 到 半夜",
                            "门口 卖 水果 的 三轮车 占 着 盲道", "早点 摊 把 人行道 全 占 了"],
    "police.security.theft": ["我 的 电动车 昨晚 被 偷 了", "家里 进 了 小偷 丢 了 钱", "停 在 楼下 的 自行车 被 人 偷 走 了",
                              "车 里 的 包 被 人 砸 窗 拿 走 了", "手机 在 公交 上 被 偷 了"],
}


def corpus(copies: int = 1) -> list[Example]:
    return [Example(text, leaf, ticket=f"T{leaf[:3]}{i}{k}", source="history")
            for k in range(copies) for leaf, texts in LINES.items() for i, text in enumerate(texts)]


@pytest.fixture(scope="module")
def whole(config):
    rows = corpus()
    return rows, fit(rows, [1.0] * len(rows), config.intake_model)


def test_a_small_corpus_teaches_its_own_distinct_lines(whole):
    rows, fitted = whole
    assert sorted(fitted.model.classes) == sorted(LINES)
    wrong = [e.text for e in rows if fitted.model.suggest(e.text, 1).choices[0].code != e.leaf]
    assert wrong == []


def test_the_exported_file_scores_as_the_model_in_memory(whole, tmp_path):
    rows, fitted = whole
    write_model(tmp_path, "v0001", fitted.arrays, fitted.meta)
    read = load_model(tmp_path, "v0001")
    assert read.classes == fitted.model.classes and read.meta["features"] == fitted.meta["features"] > 0
    for e in rows:
        assert np.allclose(read.scores(read.vector(e.text)), fitted.model.scores(fitted.model.vector(e.text)))


def test_chunks_never_hold_more_rows_than_asked_and_learn_the_same(whole, config, monkeypatch):
    rows, one_chunk = whole
    many = corpus(copies=4)
    seen: list[int] = []
    matrix = fitting.Features.matrix

    def spy(self, texts):
        seen.append(len(texts))
        return matrix(self, texts)

    monkeypatch.setattr(fitting.Features, "matrix", spy)
    monkeypatch.setattr(fitting, "VISITS", 1)  # a single pass: chunks are made, used and dropped
    chunked = fit(many, [1.0] * len(many), config.intake_model, chunk_rows=7)
    example_rows = len(chunked.arrays["ex_tickets"])
    assert max(seen[:-1]) <= 7 and sum(seen[:-1]) == len(many)  # the last call is the similar orders' rows
    assert seen[-1] == example_rows > 0
    assert chunked.model.classes == one_chunk.model.classes
    agree = sum(chunked.model.suggest(e.text, 1).choices[0].code == e.leaf for e in rows)
    assert agree >= 0.9 * len(rows)


def test_several_passes_turn_each_chunk_into_numbers_once(config, monkeypatch):
    rows = corpus(copies=2)
    seen: list[int] = []
    matrix = fitting.Features.matrix
    monkeypatch.setattr(fitting.Features, "matrix", lambda self, texts: seen.append(len(texts)) or matrix(self, texts))
    fit(rows, [1.0] * len(rows), config.intake_model, chunk_rows=9)
    assert fitting.epochs_for(len(rows)) == fitting.MAX_EPOCHS > 1
    assert sum(seen[:-1]) == len(rows)


def test_the_vocabulary_sample_keeps_every_seed_and_phrase_line_and_caps_orders():
    sources = ["seed"] * 5 + ["catalogue"] * 3 + ["history"] * 50 + ["imported"] * 50
    picked = fitting.vocabulary_sample(sources, limit=20)
    assert set(range(8)) <= set(picked)
    assert len(picked) == 8 + 20 and picked == sorted(set(picked))
    assert fitting.vocabulary_sample(sources, limit=1000) == list(range(len(sources)))


def test_more_orders_mean_fewer_passes_and_weaker_regularisation():
    assert fitting.epochs_for(1_000) == fitting.MAX_EPOCHS
    assert fitting.epochs_for(10_000) > fitting.epochs_for(100_000) > fitting.epochs_for(1_000_000) == 1
    assert fitting.alpha_for(1_000_000) <= fitting.alpha_for(100_000) < fitting.alpha_for(10_000)


def test_a_truncated_model_file_is_refused(whole, tmp_path):
    _, fitted = whole
    write_model(tmp_path, "v0001", fitted.arrays, fitted.meta)
    npz, _ = model_paths(tmp_path, "v0001")
    npz.write_bytes(npz.read_bytes()[: npz.stat().st_size // 2])
    with pytest.raises(ModelError, match="damaged"):
        load_model(tmp_path, "v0001")


def test_the_newest_orders_judge_a_model_but_no_more_than_the_cap(config, tmp_path):
    trainer = Trainer(None, config, None, tmp_path, dt.datetime(2026, 11, 30))  # type: ignore[arg-type]
    trainer.settings = config.intake_model.model_copy(update={"holdout_fraction": 0.1, "holdout_max": 100})
    history = [Example(f"第 {i} 张", "utility.water.outage", ticket=f"T{i}") for i in range(5000)]
    seed = [Example("停水 了", "utility.water.outage", source="seed")] * 20
    train, held = trainer._split(history, seed)
    assert held == history[:100] and train == history[100:] + seed
