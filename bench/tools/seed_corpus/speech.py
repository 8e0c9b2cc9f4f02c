"""How callers open and close a call, by who is speaking, and how numbers and persons are said."""

from __future__ import annotations

import random

DIGITS = "零一二三四五六七八九"
SPOKEN_DIGITS = {"0": ("零", "洞"), "1": ("幺", "一", "幺"), "2": ("二", "两"), "3": ("三",), "4": ("四",),
                 "5": ("五",), "6": ("六",), "7": ("七",), "8": ("八",), "9": ("九",)}

# Openers by persona. `{place}` is where the frame names the caller's place, if any.
OPENERS: dict[str, tuple[str, ...]] = {
    "plain": ("喂你好", "喂 你好 是幺二三四五吗", "你好 我想反映个情况", "喂 喂 能听见吗", "你好啊", "喂",
              "那个 你好", "你好 我说个事", "喂 是热线吧", "哎你好"),
    "elderly": ("喂 闺女啊 我跟你说", "同志你好 我岁数大了说不清楚 你多担待", "小伙子啊 你听我说",
                "喂 是政府吗 我是个老头子了", "我今年七十多了 耳朵也不好使", "喂 我一个老太太 也不会弄手机"),
    "angry": ("我都打了三回了", "你们到底管不管", "我跟你说这事太气人了", "喂 我再打一次 上回说的到现在没动静",
              "我实在是受不了了", "你们这个热线到底有没有用"),
    "polite": ("您好 麻烦您一下", "不好意思打扰了", "您好 我想咨询个事", "你好 辛苦了 我想问一下",
               "您好 耽误您几分钟"),
    "proxy": ("我替我妈打的电话", "我是帮我邻居问的", "我是替我们家老爷子打的", "我帮我们楼里的老人反映一下",
              "我是他闺女 我替他说", "我替我对象打的"),
    "urgent": ("喂 喂", "快 快", "喂 是幺二三四五吗 快", "喂 你们快点", "喂 你好 出事了", "喂 喂 听得见吗 快点"),
}
PLACE_OPENERS = {
    "compound": ("我是{place}的", "我住{place}", "我们是{place}的住户"),
    "village": ("我是{place}的", "俺是{place}的", "我家在{place}"),
    "other": ("我在{place}这边", "我这是{place}", "{place}这儿"),
}
PLACE_CLOSERS = ("地址是{place}", "就在{place}这块", "在{place}这边", "位置是{place}", "你们到{place}来看看")

CLOSERS: dict[str, tuple[str, ...]] = {
    "咨询": ("想问问这个怎么办", "该找哪个部门啊", "你给我说说", "有没有什么说法", "我就想问问", "这个归谁管",
           "能不能给个准话", "需要带啥材料"),
    "求助": ("麻烦你们帮帮忙", "能不能派人来看看", "帮我想想办法吧", "你们给协调一下", "求求你们了",
           "给我们解决一下吧"),
    "投诉": ("我要投诉", "你们管不管", "必须给个说法", "打了好几次了没人管", "你们给处理一下", "太不像话了",
           "赶紧给解决"),
    "举报": ("我要举报", "你们去查查", "我不留名字啊", "你们赶紧来查", "别说是我打的电话"),
    "建议": ("建议你们考虑一下", "我就提个建议", "能不能改改", "希望你们研究研究", "也是为大家好"),
    "表扬": ("一定要表扬一下", "太感谢了", "替我谢谢他们", "真是好样的", "我就是打电话说声谢谢"),
    "urgent": ("快派人来", "你们快来啊", "我该怎么办啊", "求你们快点", "快点啊 快点", "赶紧来人"),
}
EXTRAS: dict[str, tuple[str, ...]] = {
    "time": ("都三天了", "一个多礼拜了", "好几个月了", "都大半年了", "不是一天两天了", "好长时间了",
             "说了多少回了"),
    "phone": ("我电话是{phone}", "你们回个电话 {phone}", "我手机号{phone}", "有事打我电话{phone}"),
}
PERSONS = ("我爸", "我妈", "我老伴", "我们家老爷子", "我奶奶", "我爷爷", "邻居大爷", "一个老太太", "我对象",
           "我婆婆", "我姥姥", "对门的大姐", "我哥", "一个大哥")
CHILDREN = ("我儿子", "孩子", "我闺女", "小孙子", "我家孩子", "邻居家小孩", "一个小孩", "我外甥")
FILLERS = ("喂", "那个", "就是", "嗯", "啊", "这个", "然后", "呃", "对", "就是说", "那个那个")
PERSONAS_BY_KIND = {
    "咨询": ("plain", "plain", "elderly", "polite", "proxy"),
    "求助": ("plain", "elderly", "angry", "polite", "proxy"),
    "投诉": ("plain", "angry", "angry", "elderly", "proxy", "polite"),
    "举报": ("plain", "angry", "polite"),
    "建议": ("plain", "polite", "elderly"),
    "表扬": ("plain", "polite", "elderly", "proxy"),
}


def number_words(value: int) -> str:
    """1 → 一, 12 → 十二, 23 → 二十三 (as addresses are said)."""
    if value < 10:
        return DIGITS[value]
    tens, ones = divmod(value, 10)
    return ("" if tens == 1 else DIGITS[tens]) + "十" + (DIGITS[ones] if ones else "")


def building(rng: random.Random) -> list[str]:
    """「三 号楼」「十二 号 楼 二 单元」「五号楼 三单元 六零二」 as tokens."""
    tokens = _say(number_words(rng.randint(1, 32)), "号楼", rng)
    if rng.random() < 0.6:
        tokens += _say(number_words(rng.randint(1, 6)), "单元", rng)
    if rng.random() < 0.35:
        tokens += room(rng)
    return tokens


def room(rng: random.Random) -> list[str]:
    """A room number read digit by digit: 「五 零 二」 or 「五零二」, sometimes with 室."""
    digits = f"{rng.randint(1, 18)}0{rng.randint(1, 4)}"
    spoken = [rng.choice(SPOKEN_DIGITS[d]) if d != "1" else "幺" for d in digits]
    tokens = ["".join(spoken)] if rng.random() < 0.5 else spoken
    return tokens + (["室"] if rng.random() < 0.2 else [])


def phone(rng: random.Random) -> list[str]:
    """A mobile number read out in groups (幺三八 六三五二 七九零幺) or digit by digit."""
    digits = "1" + rng.choice("3578") + "".join(str(rng.randint(0, 9)) for _ in range(9))
    spoken = [rng.choice(SPOKEN_DIGITS[d]) for d in digits]
    if rng.random() < 0.4:
        return spoken
    return ["".join(spoken[0:3]), "".join(spoken[3:7]), "".join(spoken[7:])]


def _say(number: str, unit: str, rng: random.Random) -> list[str]:
    roll = rng.random()
    if roll < 0.4:
        return [number, unit]
    if roll < 0.7:
        return [number + unit]
    return [number, *unit]


def persona(kind: str, emergency: bool, rng: random.Random) -> str:
    """Who is speaking: a panicked caller for emergencies, otherwise one that fits the request kind."""
    if emergency:
        return rng.choice(("urgent", "urgent", "urgent", "plain", "proxy", "elderly"))
    return rng.choice(PERSONAS_BY_KIND[kind])
