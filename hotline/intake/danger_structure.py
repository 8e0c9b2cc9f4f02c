"""Danger told by its structure: who, in what state, from what — added to each leaf's signals.

`danger_signals` lists how dangers are usually said. These patterns read the shape of the telling
instead, so a caller's own words still fit: a person (or a child, a worker) + a fall from somewhere
high + what the body shows; an animal or a machine + what it did to someone; someone shut, pinned or
stuck + where; a flame, smoke or coloured cloud + where it goes; a lock or a bag + a stranger's hand;
a person out of reach + how long or how far. Weights as in `danger_signals` (STRONG alone, WEAK with a
second sign or the caller's urgency).
"""

# ruff: noqa: E501 — an alternation of phrases reads best on one line

from __future__ import annotations

from hotline.intake.danger_signals import STRONG, WEAK

_WHO = (r"(?:人|他|她|孩子|小孩|娃|老人|老头|老太太|老太|老婆婆|婆婆|大爷|大妈|大娘|爸|妈|爷|奶|老伴|老公|媳妇|丈夫|妻子|"
        r"儿子|闺女|女儿|师傅|工人|女工|同事|邻居|学生|司机|男的|女的|男孩|女孩|小伙|姑娘|兄弟|弟弟|妹妹|姐|哥)")
_HIGH = r"(?:窗户|窗台|窗口|楼上|楼梯|阳台|梯子|树上|房顶|屋顶|楼顶|台阶|架子|高处|墙头|床上|[二三四五六七八九十几高]楼)"
_BODY = r"(?:头|脑袋|脸|胳膊|腿|手|脚|手指|指头|肚子|胸口|背|脖子|眼睛|头皮|腰|后脑勺)"
_ANIMAL = r"(?:牛|狗|马|猪|羊|驴|蛇|马蜂|蜂子|野猪|狼)"
_MACHINE = r"(?:电锯|机器|机子|切割机|冲床|电刨|搅拌机|铡刀|传送带|皮带机|绞龙|粉碎机|收割机)"
_SHUT = r"(?:卡|夹|关|锁|困|压|埋|挤|堵)"

STRUCTURE: dict[str, list[tuple[str, int]]] = {
    "utility.power.wire_down": [
        (r"(?:配电|变电|电箱|电表|电柜|变压器|电闸|开关柜).{0,8}(?:冒|打|闪|窜)(?:蓝|火|光|烟)|冒蓝火|蓝光", STRONG),
    ],
    "safety.rescue.traffic": [
        (r"(?:几|好几|两|三|多)辆车.{0,4}撞|撞(?:在|到)(?:一块|一堆|一起)|(?:人|司机)?(?:卡|困|夹)在车里", STRONG),
    ],
    "safety.rescue.drowning": [
        (r"漂着.{0,10}(?:像|好像)?是?(?:个|一个)?人|(?:尸体|死人).{0,4}漂", STRONG),
    ],
    "safety.fire.fire": [
        # something that burns + 着了; smoke going somewhere it should not
        (r"(?:罐|瓶|灶|炉子|气罐|煤气|液化气|电动车|电瓶车|电瓶|充电器|插座|插排|纸箱|垃圾|家具|被褥|床铺|轮胎|车库|配电)[^喝吃睡]{0,3}(?<![不没打])着(?:了|起来)", STRONG),
        (r"烟.{0,8}(?:冒出来|往外冒|往外钻|钻出来|飘出来|冒进来|往屋里|往楼道)", STRONG),
        (r"锅.{0,3}烧干|干烧", WEAK),
    ],
    "safety.fire.hazmat": [
        (r"(?:黄|绿|红|紫|橙|棕)色?的?(?:气|雾)", STRONG),
        (r"(?:罐|桶|槽车|罐车|管子|管道).{0,4}(?:漏|破|裂).{0,12}(?:气|味|烟).{0,6}(?:飘|散|往|刺)", STRONG),
    ],
    "safety.rescue.poisoning": [
        # something not for drinking, drunk by mistake
        (r"误(?:喝|吃|服|食|饮)|(?:喝|吃|吞)了.{0,4}(?:洗衣液|洗衣粉|洁厕|漂白|消毒液|杀虫|除草剂|防冻液|工业酒精|灭鼠)", STRONG),
        (r"(?:蘑菇|河豚|野菜|草药|发芽的?土豆).{0,14}(?:疼|吐|晕|花|麻|拉肚子|抽)", STRONG),
        (r"热水器.{0,24}(?:晕|倒|没反[应映]|叫不醒)", STRONG),
    ],
    "safety.rescue.elevator": [
        (r"(?:电梯|垫梯|电题|轿厢)(?:里|内|中)?.{0,12}出不(?:来|去)|(?:电梯|垫梯|电题|轿厢).{0,16}" + _SHUT + r"在(?:中间|里面|里头|门)", STRONG),
    ],
    "safety.structure.collapse": [
        (r"(?:大棚|棚子|房子|屋|墙|厂房|车棚).{0,3}(?:让|被|叫)(?:大)?(?:雪|风|水|雨).{0,3}(?:压|冲|刮)(?:塌|倒|垮|了|他|她|它)", STRONG),
    ],
    "safety.structure.flood": [
        (r"(?:让|被|叫)(?:大)?(?:水|洪水)(?:给)?围|淹了.{0,8}出不(?:去|来)", STRONG),
    ],
    "safety.rescue.work_accident": [
        (r"(?:让|被|叫).{0,3}" + _MACHINE + r"(?:给)?.{0,2}(?:锯|切|轧|绞|卷|夹|压|割|砸|铰)", STRONG),
        (_MACHINE + r".{0,6}锯(?:了|掉|断|伤)|头皮.{0,4}(?:扯|撕|揭|拽)", STRONG),
    ],
    "safety.rescue.suicide": [
        (r"(?:翻|爬|跨|站|坐)(?:到|过|出|在)?.{0,2}(?:栏杆|护栏|围栏|窗户|窗台)(?:的)?外", STRONG),
        (r"(?:楼顶|天台|房顶|屋顶|窗台|桥栏|楼边)(?:上|边)?.{0,3}(?:坐着|站着|蹲着)", STRONG),
        (r"(?:腿|脚).{0,4}(?:在)?外(?:边|面|头).{0,3}(?:当啷|耷拉|搭拉|悬|晃)", STRONG),
        (r"(?:栏杆|护栏|围栏|窗台)(?:的)?外(?:边|面|头)?.{0,2}(?:站着|坐着|蹲着|挂着|趴着)", STRONG),
    ],
    "safety.violence.domestic": [
        (r"(?:拿|用|抡)(?:着)?.{0,3}(?:皮带|鞭子|衣架|扫帚|擀面杖|板子|棒子|凳子|笤帚).{0,6}(?:抽|打|砸|揍)", STRONG),
        (r"(?:孩子|小孩|娃).{0,8}(?:哭|嚎|惨叫).{0,12}(?:打|抽|揍)", STRONG),
    ],
    "safety.violence.crime": [
        (r"[撬翘].{0,8}(?:锁|门|窗)", STRONG),
        (r"(?:手|爪子)?伸(?:到|进).{0,4}(?:别人|人家|他|她|我)?(?:的)?(?:包|口袋|兜)", STRONG),
        (r"(?:家|屋|店)里?.{0,2}进(?:了)?(?:人|贼|小偷)了?", STRONG),
        (r"不敢(?:出声|吭声|出去|开门|动)|翻东西|有动静", WEAK),
    ],
    "safety.rescue.trapped": [
        (r"(?:把|将)(?:一个|个|俩|两个|几个)?" + _WHO + r"(?:给)?" + _SHUT + r"(?:在|住|进|到)", STRONG),
        (r"里(?:边|面|头)还有人|(?:底下|下面|下边)(?:还)?(?:压着|埋着)人", STRONG),
        (r"(?:爬|困|挂|卡)(?:到|在|上).{0,10}下不(?:来|去)", STRONG),
        (r"锁(?:在|进)?.{0,2}车里|(?:孩子|小孩|娃|老人).{0,4}(?:关|锁)(?:在)?车里", STRONG),
        (r"(?:井|坑|洞|窟窿|沟|窖)里.{0,3}掉(?:下去|进去)|掉(?:下去|进去)(?:了)?(?:一)?个(?:人|孩子|小孩)", STRONG),
        (r"出不去", WEAK),
    ],
    "safety.rescue.injury": [
        # a body that does not move or obey, a stroke, a burn, a bite that poisons, a throat blocked
        (r"一动(?:也)?不动|动也不动|舌头.{0,3}(?:发直|僵|硬|打结)|(?:半边|一边|半拉).{0,4}(?:手|脚|腿|身子|脸).{0,4}(?:抬不起来|动不了|没劲|麻|不听使唤)|口齿不清", STRONG),
        (r"(?:开水|热水|热油|滚油|蒸汽|火).{0,3}烫(?:了|伤|着|到)|烫(?:了|得|伤).{0,8}(?:皮|起泡|大片|脱皮)|皮(?:都)?(?:掉|脱)了", STRONG),
        (r"(?:蛇|毒蛇|马蜂|蝎子|蜈蚣|毒虫).{0,3}(?:咬|蛰|蜇)", STRONG),
        (r"(?:咽|吞|卡)(?:下去|在|到|住).{0,6}(?:喉咙|嗓子|气管)|喘不(?:过|上)来|(?:喉咙|嗓子|气管).{0,3}卡", STRONG),
        (r"肿得(?:老|好|很|特别)?(?:粗|大|高|厉害)", WEAK),
        (r"从.{0,8}" + _HIGH + r".{0,6}(?:掉|摔|跌|栽|滚|翻)(?:了)?下(?:来|去)", STRONG),
        (r"(?:滚|栽|跌|摔|掉)下(?:来|去)了?.{0,8}(?:变形|骨头|不动|不哭|流血|起不来|疼得)", STRONG),
        (r"骨头.{0,4}(?:露|戳|支|扎)(?:出来|在外)|(?:腿|胳膊|手腕|脚脖子|脖子).{0,3}(?:都|已经)?(?:变形|折了|拐了)", STRONG),
        (_BODY + r"上.{0,4}(?:一个|一道|好大|老大|一条)?.{0,2}(?:大)?口子", STRONG),
        (r"哭都不哭|不哭了|哭不出来", STRONG),
        (r"(?:捂|按|抓)着.{0,2}(?:胸口|心口|肚子|脑袋)|胸口.{0,3}(?:疼|痛|闷|憋)|心口.{0,2}(?:疼|痛|闷)", STRONG),
        (r"(?:晕|昏|倒|躺|瘫)(?:在|到)(?:了)?.{0,4}(?:浴室|厕所|卫生间|屋里|床上|床边|家里|地上|门口|路上|楼道|车里|里面|里头)", STRONG),
        (r"(?:发烧|高烧|烧到.{0,3}度).{0,10}(?:抽|翻白眼|叫不醒|没反[应映])|(?:叫|喊|拍|推|摇)(?:他|她|人|了|也|都|半天)*.{0,3}没反映", STRONG),
        (r"头.{0,2}疼得.{0,4}(?:炸|裂|受不了|撞墙)", STRONG),
        (r"满头大汗|大汗淋漓|哼哼|呻吟|[咣哐扑咕]的?(?:当|通|咚)的?一声|看东西.{0,3}(?:花|模糊|重影|不清)", WEAK),
        (_WHO + r".{0,3}(?:坐|瘫|趴)(?:在)?地上", WEAK),
        # bitten or gored: a question about the jab after a dog bite is not an emergency, a wound with it is
        (r"(?:让|被|叫)(?:那个)?.{0,3}" + _ANIMAL + r"(?:给)?.{0,2}(?:顶|咬|踢|撞|蛰|蜇|拱|抓)", WEAK),
    ],
    "safety.rescue.missing": [
        (r"天.{0,2}(?:都)?黑了.{0,8}(?:还)?没(?:回|到|见)|跑(?:得)?没影|不见人影|人没影", STRONG),
        (r"没回去|没到家|没回家|智力.{0,4}问题|智障|痴呆", WEAK),
    ],
    "utility.gas.leak": [
        (r"(?:坏|臭)鸡蛋", STRONG),
        (r"(?:(?<![暖热])气管子|燃气管|煤气管|(?<![暖热])气管道|天然气管|[燃然][气起汽]管).{0,8}(?:破|漏|断|挖|裂|喷)", STRONG),
        (r"(?:往外|呼呼|哧哧|呲呲).{0,3}(?:喷|冒|跑)气|喷气", STRONG),
    ],
    "utility.water.burst": [
        (r"(?:往上|往外|往天上).{0,2}喷水|喷(?:了)?(?:好几|几|一|十几)?米高", STRONG),
        (r"(?:马路|路上|路面|街上|大街).{0,4}(?:都)?成(?:了)?河", WEAK),
    ],
}
