"""Recognition slips of danger words, put right by sound before the danger patterns read the text.

The recogniser writes a word it did not expect with other characters of the same sound: 着活 for
着火, 掉和里 for 掉河里, 翘锁 for 撬锁, 五着胸口 for 捂着胸口. A word of the list below is put back where
the text has a run of characters that sounds like it (toneless pinyin, each character by its two commonest
readings) and already shares at least one character with it: a slip usually changes one character of
a word, and asking for one kept character stops unrelated words (找货, zhao huo) turning into danger.
The repair keeps every character's position, so the words quoted to the operator are still the
words heard.
"""

from __future__ import annotations

from collections import defaultdict
from functools import lru_cache

from hotline.text.pinyin_cache import heteronyms, meant

# What the danger patterns key on, in the characters they expect; two characters or more each.
DANGER_WORDS = (
    "起火", "火苗", "浓烟", "煤气", "漏气", "天然气", "液化气", "河里", "湖里", "井里", "塘里",
    "沟里", "捂着", "绞进", "卷进", "卷帘门", "救命", "触电", "电梯", "晕倒", "昏迷", "抽搐", "喘不上气",
    "救护车", "被困", "困住", "倒塌", "爆炸", "车祸", "打架", "抢劫", "跳楼", "自杀", "中毒", "流血",
    "骨折", "摔倒", "胸口", "心口", "口吐白沫", "翻白眼", "不省人事", "栏杆", "护栏", "楼顶", "天台",
    "高压线", "电线", "变压器", "管道", "阀门", "消防栓", "追尾", "侧翻", "窗台",
)
# Left out because on the development data their sound-alikes were ordinary words far more often than
# slips (熄火再→火灾, 堆着货/干着活→着火, 淤泥水→溺水, 搭了→塌了, 看人→砍人, 帽烟→冒烟,
# 敲门→撬门): the patterns
# carry those slips in their character classes instead (着[火伙活]了, [撬翘]…锁).
# Words so common that a danger word sounding like them is far likelier a coincidence (全是火药 is not 失火).
_NEVER_REPLACED = frozenset("是的了在有就也都还又很太说去来个一不没这那我你他她它们")


@lru_cache(maxsize=8192)
def _heard_as(char: str) -> tuple[str, ...]:
    """A character's two commonest readings: 着 is zhe or zhao; rarer ones (校 as qiao) make false words."""
    if not ("\u3400" <= char <= "\u9fff"):
        return (char,)
    return heteronyms(char)[:2]


class SlipRepair:
    def __init__(self, words: tuple[str, ...] = DANGER_WORDS):
        self._by_first: dict[str, list[tuple[str, list[str]]]] = defaultdict(list)
        for word in words:
            said = list(meant(word))
            self._by_first[said[0]].append((word, said))

    def repair(self, text: str) -> str:
        """`text` with danger words heard by sound written as meant; same length, same positions."""
        chars = list(text)
        heard = [_heard_as(c) for c in text]
        for i, readings in enumerate(heard):
            for reading in readings:
                for word, said in self._by_first.get(reading, ()):
                    span = text[i:i + len(word)]
                    if len(span) == len(word) and span != word and chars[i:i + len(word)] == list(span) and \
                            self._slip(span, word, heard[i:], said):
                        chars[i:i + len(word)] = word  # the commoner reading first: 和里 is 河里, not 湖里
        return "".join(chars)

    @staticmethod
    def _slip(span: str, word: str, heard: list[tuple[str, ...]], meant: list[str]) -> bool:
        """Same sound throughout, one character kept at least, no common word overwritten."""
        changed = [a for a, b in zip(span, word, strict=True) if a != b]
        return len(changed) < len(word) and not _NEVER_REPLACED.intersection(changed) and \
            all(meant[k] in heard[k] for k in range(len(word)))
