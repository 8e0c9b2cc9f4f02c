"""Danger told by its shape (who, what state, from what), recognition slips by sound, habits scoped to their signs."""

from __future__ import annotations

import pytest

from hotline.intake.danger import DangerDetector
from hotline.intake.danger_slips import SlipRepair


@pytest.fixture(scope="module")
def detector(config):
    return DangerDetector(config.catalogue)


@pytest.mark.parametrize("text,service", [
    # a fall from somewhere high, and what the body shows
    ("隔壁 家 的 小 孙子 从 阳台 上 栽 下来 了", "120"),
    ("工友 从 三楼 摔 下去 了 躺 着 一 声 不 吭", "120"),
    ("我 媳妇 下 楼 踩 空 滚 下来 了 腿 都 变形 了", "120"),
    ("俺 爹 割 麦子 割 到 腿 了 骨头 都 露 出来 了", "120"),
    ("小 闺女 在 院 里 玩 让 大 鹅 啄 了 不要紧 让 邻居 家 的 狗 咬 了 脸 上 一 道 大 口子", "120"),
    ("孩子 摔 了 一跤 哭 都 不 哭 了 就 瞪 着 眼", "120"),
    ("俺 大爷 在 公交 站 捂 着 心口 直 往 下 出溜", "120"),
    ("我 爷 在 澡堂 晕 在 里头 了", "120"),
    ("孩子 高烧 三天 了 刚才 手脚 一直 抽", "120"),
    ("我 姐 说 头 疼得 要 裂开 一样 一直 吐", "120"),
    # poisoning by what was eaten, or by a water heater
    ("一家 人 吃 了 山 上 挖 的 野菜 嘴 都 麻 了 还 想 吐", "120"),
    ("我 哥 用 燃气 热水器 洗澡 好 半天 没 出来 在 里面 晕 了", "120"),
    # someone shut, pinned or stuck somewhere
    ("大门 倒 下来 把 一 个 老人 压 在 底下 了", "119"),
    ("俺 侄子 爬 到 房顶 上 去 了 现在 下 不 来 了", "119"),
    ("我 把 娃 忘 在 车里 锁 上 了 车里 热 得 很", "119"),
    ("工地 的 坑 里 掉 下去 一 个 小孩 哭 着 喊 人", "119"),
    ("货梯 停 在 两 层 中间 我们 三 个 人 出 不 去", "119"),
    ("风 把 彩钢 棚 子 刮 塌 了 底下 压 着 人", "119"),
    ("村 里 让 大水 给 围 了 老人 孩子 都 在 屋 里", "119"),
    # what burns, where smoke goes, a coloured cloud
    ("楼道 里 的 电瓶车 着 起来 了", "119"),
    ("烟 从 隔壁 窗户 缝 往 外 钻 家 里 没 人", "119"),
    ("化工 厂 那边 飘 过来 一 股 黄 色 的 雾 眼睛 辣", "119"),
    # gas, water, machines
    ("挖掘机 把 路 边 的 燃气管 刨 破 了 呲呲 往 外 喷 气", "gas"),
    ("单元 门口 一 股 臭 鸡蛋 的 味儿", "gas"),
    ("路 中间 的 井盖 那 往 上 喷水 有 一 人 多 高", "water"),
    ("俺 们 厂 的 工人 手 被 冲床 给 压 了", "120"),
    ("车间 里 一 个 小伙 的 头皮 让 机器 给 扯 了", "120"),
    # people in danger from others, or from themselves, or out of reach
    ("有 个 人 在 撬 隔壁 的 卷帘门", "110"),
    ("地铁 上 有 个 男 的 把 手 伸 进 一 个 姑娘 的 口袋", "110"),
    ("我 一 个 人 在 家 听 见 院 里 有 动静 不 敢 出声", "110"),
    ("对门 那 家 大人 拿 衣架 抽 孩子 孩子 嗷嗷 叫", "110"),
    ("商场 顶楼 的 护栏 外 站 着 一 个 小伙子", "110"),
    ("我 闺女 放学 到 现在 天 都 黑 了 还 没 到 家", "110"),
    ("我 叔 脑子 不 太 好 使 在 集 上 跑 没 影 了", "110"),
    # the body that does not move or obey, burns, venom, a blocked throat, a body in the water
    ("有 个 老头 在 路 边 趴 着 一 动 也 不 动", "120"),
    ("我 爸 说 话 舌头 发 直 半 边 手 抬 不 起来", "120"),
    ("我 婆婆 让 开水 烫 了 一 大片 皮 都 掉 了", "120"),
    ("俺 爹 被 蛇 咬 了 腿 肿 得 老 粗", "120"),
    ("孩子 把 硬币 咽 下去 了 卡 在 喉咙 上 喘 不 过 来", "120"),
    ("孩子 误 喝 了 洗衣 液 一直 咳", "120"),
    ("河 里 漂 着 一 个 东西 像 是 个 人", "119"),
    ("高速 上 好几 辆 车 撞 在 一 块 有 人 卡 在 车 里", "120"),
    ("楼 后 头 的 配电室 冒 蓝 火 还 有 糊 味", "power"),
    ("孩子 在 游泳池 里 沉 底 了 救生员 刚 捞 上来", "119"),
    ("我 老婆 被 她 前夫 堵 在 家 里 拿 菜刀 吓唬", "110"),
    ("俺 邻居 家 的 孩子 三 岁 自己 跑 出去 半 天 了 没 找着", "110"),
    ("超市 门口 有 个 男 的 抱 着 一 个 孩子 孩子 一直 哭 喊 不 认识 他", "110"),
    ("隔壁 的 老 奶奶 三 天 没 开门 了 门口 的 报纸 都 没 拿", "120"),
    ("楼顶 的 广告 牌 让 风 刮 得 快 掉 下来 了 底下 都 是 人", "119"),
    ("我 妈 糖尿病 现在 浑身 出 虚汗 一直 哆嗦", "120"),
    ("俺 家 后 边 的 草垛 子 呼呼 地 烧 着 呢", "119"),
    ("一 股 烧 塑料 的 味 从 隔壁 屋 里 出来 门 烫 手", "119"),
    ("我 弟 在 村 口 让 拖拉机 碾 了 腿 血 直 往 外 冒", "120"),
    ("俺 孙子 让 热 粥 泼 到 胸口 上 起 了 一 片 水泡", "120"),
    ("我 家 门口 有 人 躺 着 浑身 是 酒 叫 不 动", "120"),
    ("那边 有 个 小 孩 爬 到 井 沿 上 了 马上 要 掉 下去", "119"),
    ("沟 里 翻 了 一辆 三轮 底下 压 着 个 老 太太", "119"),
    ("村里 来 了 一伙 人 拿 着 钢管 把 人家 门 给 砸 了", "110"),
    ("我 在 高速 上 车 坏 了 后面 的 车 一直 往 这边 冲", "120"),
    ("我 在 地下 通道 里 有 两 个 人 一直 跟 着 我 我 害怕", "110"),
    ("我 家 楼 上 的 阳台 往 下 掉 火 星子 好像 着 了", "119"),
    ("孩子 把 手 伸 进 绞肉机 里 了", "120"),
    ("我 闺女 被 人 拉 上 一 辆 面包车 拉 走 了", "110"),
    ("街 上 两 伙 人 在 砍 架 满地 是 血", "110"),
    ("我 爸 在 院 里 劈 柴 斧头 砍 到 脚 上 了 骨头 都 看 见 了", "120"),
    ("俺 村 有 家 的 沼气 池 爆 了 把 人 崩 出去 老 远", "119"),
    ("他 喝 了 酒 开车 把 路 边 的 人 撞 飞 了 然后 跑 了", "120"),
    ("我 在 车 里 被 人 跟 了 一 路 他 现在 就 停 在 我 后面", "110"),
    ("有 人 把 汽油 泼 在 门 上 要 点 火", "110"),
    ("我 爸 被 卡 在 翻 了 的 拖拉机 底下", "119"),
    ("商场 里 突然 停电 了 人 都 往 外 挤 有 人 被 踩 了", "110"),
    ("麻烦 给 派 辆 救护车 我 对象 头 疼 得 要 炸 了 一直 吐", "120"),  # 要炸了 is pain, not a threat
    ("学校 实验室 有 个 瓶子 打 翻 了 冒 出 来 的 气 熏 得 学生 都 咳嗽", "119"),
    ("楼上 有 人 往 下 扔 花盆 砸 到 一 个 过路 的 头 上", "120"),
    ("邻居 家 的 狗 把 孩子 扑 倒 了 在 咬", "120"),
    ("有 个 老 人 走 在 路 上 突然 一头 扎 在 地上", "120"),
    ("我 们 楼 的 楼梯 间 里 有 人 在 吸毒 还 拿 着 针管 吓唬 人", "110"),
    ("我 妈 说 胸 闷 左边 胳膊 疼 出 了 一身 汗", "120"),
    ("那边 有 个 醉汉 躺 在 铁轨 上", "110"),
    ("家里 暖气 片 爆 了 热水 喷 了 一 屋 我 妈 被 烫 了", "120"),
    ("我 在 出租车 上 司机 不 让 下车 一直 往 郊区 开", "110"),
    ("恁 快 来 吧 俺 老 头 子 现在 浑身 哆嗦 说 不 出 话", "120"),
    ("我 奶奶 在 家 烤 炭 火 现在 头 晕 想 吐 站 不 起来", "120"),
    ("我 被 人 关 在 一 个 屋 里 不 知道 在 哪", "110"),
    ("他 们 在 我 店 里 闹事 把 东西 都 砸 了 还 要 打 我", "110"),
    ("我 叔 干活 的 时候 从 三轮车 上 摔 下来 头 磕 在 石头 上 一直 不 说话", "120"),
    ("有 个 小 孩 从 滑梯 上 摔 下来 胳膊 不 能 动 了", "120"),
    ("我 儿子 在 网吧 跟 人 起 了 冲突 现在 被 好几 个 人 堵 在 里 面", "110"),
    ("有 个 人 爬 上 了 高压 线 塔", "120"),
    ("水库 的 闸门 开 了 下游 的 人 还 在 河 滩 上 干活", "119"),
    ("我 看 到 有 人 在 往 河 里 扔 一 个 麻袋 在 动", "110"),
    ("俩 孩子 在 冰 面 上 滑冰 掉 下去 一 个", "119"),
    ("邻居 家 冒 出 一股 一股 的 烟 还 有 噼里啪啦 的 声音", "119"),
    ("我 跟 我 朋友 爬 山 他 掉 到 悬崖 下面 去 了", "119"),
    ("超市 冷库 里 关 着 一 个 人 门 打 不 开", "119"),
    ("俺 们 厂 的 锅炉 压力 表 一直 往 上 窜 快 顶 到 头 了 在 冒 气", "119"),
    ("养老院 里 一 个 老 人 被 护工 打 了 脸 上 都 是 血", "120"),
    ("俺 家 厨房 着 火 了 咋办 啊", "119"),  # 咋办啊 is panic, not a what-if
    ("俺 家 小 孙女 把 花生 米 塞 到 鼻子 里 了 出 不 来 一直 哭", "120"),
    ("有 个 小伙子 在 路 边 抽 羊角风 嘴 里 冒 白 沫", "120"),
    ("我 闻 到 楼道 里 有 一股 汽油 味 门口 还 有 一 滩", "119"),
    ("有 个 小 学生 被 几 个 社会 上 的 人 围 着 要 钱 还 打 他", "110"),
    ("俺 村 的 老 光棍 好几 天 没 见 了 屋 里 有 臭味", "120"),
    ("我 在 KTV 里 有 人 给 我 朋友 酒 里 下 了 药 她 现在 站 都 站 不 稳", "120"),
    ("医院 门口 有 个 男 的 拿 着 汽油 桶 说 要 点 了 自己", "110"),
    ("有 个 孩子 爬 进 了 废 冰箱 里 门 关 上 了 打 不 开", "119"),
    ("有 个 男 的 一直 在 我 家 窗户 外面 往 里 看 已经 半 个 小时 了", "110"),
    ("我 妈 说 眼前 发黑 手 脚 冰凉 一直 出 汗", "120"),
    ("电 题 卡 在 半 中 腰 里 面 有 三 个 人", "119"),  # 电题: a slip of 电梯
    ("我 们 这 栋 楼 的 外墙 保温 层 着 了 往 上 窜", "119"),
    ("路 上 一 个 井盖 没 了 一 个 骑 电动车 的 栽 进去 了", "119"),
    ("楼 上 有 人 打 孩子 孩子 哭 得 嗓子 都 哑 了 一直 在 求饶", "110"),
    ("我 外婆 走 路 不 稳 说 话 含糊 一边 嘴角 往 下 耷拉", "120"),
    # a habit does not hide what is happening now
    ("厨房 那 根 管子 老是 嘶嘶 响 今天 整 个 屋 里 都 是 臭 鸡蛋 味", "gas"),
    # someone gone in a moment, or who cannot answer to their name
    ("在 超市 门口 俺 孙女 一 眨眼 就 不见了 三 岁 穿 红 棉袄", "110"),
    ("俺 弟弟 有 自闭症 早上 跑出去 就 没回来 叫 他 名字 他 不会 应", "110"),
    # violence told by what is done to whom
    ("地铁 口 一 帮 小年轻 围着 一个 外卖员 踹", "110"),
    ("俺 姐夫 拿 烟头 烫 俺 姐 胳膊 俺 姐 跪着 求 他", "110"),
    ("有个 男 的 在 取款机 上 装 东西 装完 就 在 边上 蹲着", "110"),
    # the body, the machine, the lift, the car, told without the word
    ("俺 爷爷 吃 着 饭 一头 歪 过去 半边 身子 动不了 了", "120"),
    ("俺 爹 在 棚里 打 药 打完 浑身 哆嗦 一直 流口水", "120"),
    ("俺们 单位 的 直梯 停 在 半截 里面 关着 三个 人", "119"),
    ("前头 两 辆 大车 追伟 了 小车 压扁 了 驾驶室 里 有人 在 喊", "120"),
    ("屋里 的 蚊帐 呼 一下 就 着了 俺 奶奶 还 在 床上", "119"),
    ("那 根 老 烟囱 嘎吱嘎吱 响 眼看 要 倒 底下 是 操场", "119"),
    ("化工 的 罐车 管子 开了 冒 白雾 路上 的 人 都 捂着 鼻子 跑", "119"),
    ("动物园 的 一头 狼 从 笼子 里 跑出来 了 往 游客 那边 去 了", "110"),
    ("河滩 窝棚 里 住 着 个 老汉 水 漫上来 了 他 瘸 着 腿 走不了", "119"),
])
def test_danger_told_by_its_shape_is_an_emergency_with_its_service(detector, text, service):
    got = detector.detect(text)
    assert got is not None and got.level == "emergency", (text, got)
    assert got.service == service, got.reason
    assert all(word in text.replace(" ", "") for word in got.evidence)


@pytest.mark.parametrize("text", [
    "孩子 让 猫 抓 了 一下 要 不 要 打 疫苗 去 哪 打",  # a question about the jab
    "俺 闺女 有点 发烧 俺 摸 她 额头 挺 烫 社区 医院 晚上 开门 不",  # a mother's hand on a forehead
    "俺们 小区 的 工程 停 在 半截 了 一 年 没 人 管",  # a project, not a lift, stopped half-way
    "俺家 煤气罐 没气儿了 送 气 的 电话 是 多少",  # an empty cylinder
    "打扰 了 真 对不起 你们 俺 就 问 一下 社保 咋 交",  # an apology, not a farewell
    "小区 门口 车 停 得 乱 进 不 去 也 出 不 来",  # traffic, not anyone trapped
    "俺 家 灶 打 不 着 了 是 不 是 没 气 了",  # a stove that will not light
    "学校 门口 早上 接 孩子 的 车 太 多",  # 校门 is not 撬门
    "敲门 敲 了 半天 快递 员 也 没 给 开",  # 敲门 is not 撬门
    "包工头 欠 钱 不 给 工人 说 再 不 给 就 上 楼顶 坐 着",  # a threat in a wage dispute
    "我 在 干 着 活 呢 手机 没 电 了",  # 着活 without 了 is work
    "我 发烧 烧 到 三十八 度 想 问 问 发热 门诊 几点 开",  # 发烧 is not a fire
    "暖气 管道 漏 了 屋 里 一地 水",  # heating, not gas
    "厂 里 的 烟囱 一直 冒 黄 烟 味 大 得 很",  # a chimney's smoke is pollution
    "小区 里 的 消防 通道 被 车 堵 死 了 万一 着火 消防车 进 不 来",
    "村 里 那 座 桥 桥面 裂 了 好几 道 缝 怕 哪天 塌 了",
    "俺 想 问 一下 孩子 被 狗 咬 了 狂犬 疫苗 报销 不",
    "楼道 里 堆 满 了 纸箱子 一 点 就 着 谁 来 管 管",
    "去年 发 大水 冲 了 俺 家 的 房子 补偿 款 到 现在 还 没 发",
    "前 两 天 有 人 在 楼道 里 吸烟 把 垃圾 桶 点 着 了 幸好 发现 得 早",  # over, caught in time
    "阳台 外 晾 的 床单 让 风 吹 得 挂 在 上面 了",  # a thing hanging, not a person
    "电卡 插 进去 没 反应 卡 在 表 里 了",  # a card stuck in a meter
    "工地 半夜 还 在 打桩 咚咚 的 吵 得 睡 不 着",  # building work, not a fight
    "这 几天 灶 上 火苗 小 得 很 饭 都 做 不 熟",  # a gas-supply complaint
    "路 中间 塌 了 个 小 坑 开车 得 绕 着 走",  # a pothole
    "昨 晚 大风 把 路 边 一 棵 树 刮 倒 了 挡 着 路",  # a tree down on a road, nobody hit
    "楼 上 装修 的 脚手架 上 往 下 掉 砖头 底下 是 过道",  # a hazard until it hits someone
    "孩子 的 学生证 丢 了 找 不 着 了 去 哪 补",  # an object lost, not a child
    "小区 的 消防 栓 漏 了 水 哗哗 地 流 了 一 早上",  # a leak, not a burst
    "每年 冬天 都 有 人 烧 炭 中毒 能 不能 多 宣传",  # a yearly habit
    "俺 家 没 气 了 燃气 表 里 的 钱 用 完 了",  # gas supply, not breathing
    "我 想 表扬 消防 队 昨天 把 俺 家 老 人 从 电梯 里 救 出来",  # over, and thanks
    "那天 有 人 打 架 我 报 了 警 警察 半 个 小时 才 来",  # a complaint about an old call
    "中介 骗 我 去 厂 里 干活 工资 不 对 还 不 让 走",  # a labour dispute, told as such
    "小区 垃圾桶 里 有 人 扔 了 好多 用 过 的 针管",  # a sanitation report
    "我 妈 腰 疼 好 几 年 了 想 问 问 医保 能 报 多少",  # a person in pain, long known, asking
    "孩子 从 自行车 上 摔 下来 过 现在 好 了 想 问 问 学校 保险",  # over
    "楼道 里 堆 满 了 纸箱 真 着 了 火 咋办",  # 咋办 after a danger asks about what might happen
    "我 在 厂 里 干活 手 让 机器 压 了 老板 就 给 了 一千 块",  # compensation for what is over
    "好 几天 没 见 着 收 垃圾 的 车 了 门口 堆 成 山",  # a service not seen, not a person
    "那 根 电线 老是 打火花 好几 个 月 了 没人 修",  # a habit, told as such
    "楼 下 电箱 上 个 礼拜 打 火 了 电工 来 修好 了 现在 电费 不 对",  # over and mended
])
def test_what_only_sounds_alarming_is_no_emergency(detector, text):
    got = detector.detect(text)
    assert got is None or got.level != "emergency", (text, got)


@pytest.mark.parametrize("heard,meant", [
    ("屋里着活了", "屋里着活了"),  # 着火 is not repaired by sound (干着活): the fire pattern carries 着活了
    ("孩子掉和里了", "孩子掉河里了"),  # 和 read he first: 河, not 湖
    ("他五着胸口", "他捂着胸口"),
    ("袖子脚进去了", "袖子绞进去了"),
    ("全是火药", "全是火药"),  # 是 is never overwritten (失火)
    ("学校门口", "学校门口"),  # 校 is read xiao or jiao, not qiao
    ("两辆车追伟了", "两辆车追尾了"),
    ("站在床台上", "站在窗台上"),
])
def test_slips_of_danger_words_are_put_right_by_sound_keeping_positions(heard, meant):
    repaired = SlipRepair().repair(heard)
    assert repaired == meant and len(repaired) == len(heard)


def test_a_repaired_slip_is_quoted_as_heard(detector):
    got = detector.detect("有 人 掉 和 里 了 在 水 里 扑腾")
    assert got is not None and got.level == "emergency" and got.service == "119"
    assert all(word in "有人掉和里了在水里扑腾" for word in got.evidence)


def test_a_worry_filed_under_a_leaf_of_its_own_takes_that_leafs_tier(config):
    """Operators set the leaf's tier: a worry about a lift filed as 电梯故障 is 民生 (livelihood), a worry
    filed as a hazard stays general, and no emergency is ever made of a worry."""
    from hotline.core.enums import Tier
    from hotline.intake.analyzer import Analyzer

    analyzer = Analyzer(config)
    worry = analyzer._danger.detect("电梯 老 往下 一 沉 担心 哪天 掉 下去")
    assert worry is not None and worry.level == "hazard"
    assert analyzer._tier("", "housing.property.elevator", worry, []) == Tier.LIVELIHOOD
    assert analyzer._tier("", "safety.hazard.other", worry, []) == Tier.GENERAL
    assert analyzer._tier("", None, worry, []) == Tier.GENERAL


def test_an_id_or_phone_number_given_does_not_decide_the_matter(config):
    """「身份证号是…」 identifies the caller; the words that file the call are the matter's (养老金), and the
    draft still shows the whole text."""
    from hotline.intake.analyzer import Analyzer, _without_identifiers

    assert _without_identifiers("俺娘的养老金没到账她身份证号是37150219480709222X") == "俺娘的养老金没到账"
    assert _without_identifiers("我电话是13905351234有事打") == "我 有事打"
    said = "俺 娘 的 养老金 这 俩 月 没 到 账 她 身份证 号 是 三 七 幺 五 零 二 幺 九 四 八 零 七 零 九 二 二 二 叉"
    got = Analyzer(config).analyze(said)
    assert got.category is None or not got.category["code"].startswith("police.household")
    assert "371502194807092" in got.text.replace(" ", "")
