"""The example queries of section 七 社会宣传, lines 160–162 (广州海关, 黄埔海关 and the districts;
data/queries/58-… to 61-…), answer with the report's own names and numbers (data/source/…txt).

Each test runs one query file through the `store` fixture (tests/conftest.py). The queries keep to the
things whose evidence lies in 七 社会宣传 and that a customs office or a district government made, held,
pushed for or supported (the rest of 社会宣传, lines 142–158, is the city bodies'), so data added for
other sections and bodies does not change the answers.
"""
from __future__ import annotations

from gallery import ID, parts, run, text, value

# 借助 “黄埔海关12360” “青青埔关”等微信公众号进行推送: the report names no operator for 青青埔关
HUANGPU_WECHAT = frozenset({"“黄埔海关12360”微信公众号（黄埔海关）", "“青青埔关”微信公众号"})
HUANGPU_GDD = "黄埔区、广州开发区"
NONE = frozenset()


def test_publications_by_kind_with_maker_issuer_and_accounts(store):
    rows = run(store, "58-customs-and-district-publications-by-kind.rq")
    got = {text(r, "publicationLabel"): (text(r, "title"), text(r, "kindLabel"), text(r, "issuerLabel"),
                                         text(r, "creatorLabel"), text(r, "producedByLabel"), parts(r, "accounts"),
                                         text(r, "indicatorLabel"), value(r, "value"), text(r, "unitLabel"))
           for r in rows}
    assert got == {
        # 黄埔海关 创作 four micro-videos and a WeChat article, pushed through two WeChat accounts
        "2018年俄罗斯世界杯海关执法手册": ("2018年俄罗斯世界杯海关执法手册", "视频", None, "黄埔海关", None,
                                   HUANGPU_WECHAT, None, None, None),
        "知识产权海关保护正在进行时": ("知识产权海关保护正在进行时", "视频", None, "黄埔海关", None,
                              HUANGPU_WECHAT, None, None, None),
        "山寨品OUT 黄埔海关带您走进打假现场": ("山寨品OUT 黄埔海关带您走进打假现场", "视频", None, "黄埔海关", None,
                                    HUANGPU_WECHAT, None, None, None),
        "4.26知识产权保护，海关在行动": ("4.26知识产权保护，海关在行动", "视频", None, "黄埔海关", None,
                                HUANGPU_WECHAT, None, None, None),
        # the space after 4.26 is the report's own
        "4.26 知识产权保护，海关话你知": ("4.26 知识产权保护，海关话你知", "文章", None, "黄埔海关", None,
                                 HUANGPU_WECHAT, None, None, None),
        # the open day's live video, pushed by two microblogs: 突破20万次 clicks
        "“黄埔海关邀您走进打假现场”开放日直播视频": (
            None, "视频", None, None, None,
            frozenset({"海关总署“海关发布”微博（海关总署）", "“黄埔海关12360”微博（黄埔海关）"}),
            "网络点击量", 20, "万次"),
        # recorded by key right holders (not named), organised by 广州海关
        "真假商品识别培训微视频": (None, "视频", None, None, "广州海关", NONE, None, None, None),
        # 黄埔区、广州开发区: 印制 the poster (issuer), 编制 the white paper and 拍摄 the video (maker)
        "黄埔区广州开发区知识产权最强保护区最佳运用区": (
            "黄埔区广州开发区知识产权最强保护区最佳运用区", "海报", HUANGPU_GDD, None, None, NONE, None, None, None),
        "知识产权白皮书": (None, "白皮书", None, HUANGPU_GDD, HUANGPU_GDD, NONE, None, None, None),
        "无形知路": ("无形知路", "视频", None, HUANGPU_GDD, None, NONE, None, None, None),
        # 花都区印制发放《快速维权中心宣传画册》3,000本
        "快速维权中心宣传画册": ("快速维权中心宣传画册", "画册", "花都区", None, None, NONE,
                       "派发宣传资料份数", 3000, "本"),
    }
    assert len(rows) == 11


def test_district_events_with_their_organisers_and_figures(store):
    rows = run(store, "59-district-events-organisers-and-figures.rq")
    got = {(text(r, "eventLabel"), text(r, "kindLabel"), value(r, "edition"), text(r, "districtLabel"), text(r, "role"),
            parts(r, "organizers"), text(r, "indicatorLabel"), value(r, "value"), text(r, "unitLabel"),
            text(r, "statedAs")) for r in rows}
    yuexiu = frozenset({"越秀区"})
    huangpu = frozenset({HUANGPU_GDD})
    wtoip = frozenset({"汇桔网"})
    assert got == {
        ("2018粤港澳大湾区版权产业创新创业（越秀）峰会", "论坛", None, "越秀区", "主办或承办", yuexiu,
         None, None, None, None),
        # 推动首场文化版权拍卖会，成交额逾600万元: pushed for, not held, so no organiser
        ("首场文化版权拍卖会", "活动", 1, "越秀区", "推动", NONE, "拍卖成交额", 600, "万元", "逾600万元"),
        ("2018中国品牌国际化广东峰会", "论坛", None, "越秀区", "主办或承办", yuexiu, None, None, None, None),
        ("第一届“中国有IP”华南区珠宝设计人才创作大赛", "竞赛", 1, "越秀区", "主办或承办", yuexiu,
         None, None, None, None),
        # 交流会暨上线仪式: the meeting, and the ceremony that is part of it
        ("岭南画派交流会暨岭南画派IP库上线仪式", "论坛", None, "越秀区", "主办或承办", yuexiu, None, None, None, None),
        ("岭南画派IP库上线仪式", "仪式", None, "越秀区", "主办或承办", yuexiu, None, None, None, None),
        # 承办 the expo, 主办 the forum
        ("2018广东知识产权交易博览会", "展会", None, HUANGPU_GDD, "主办或承办", huangpu, None, None, None, None),
        ("知识产权运用和保护综合改革试验高峰论坛", "论坛", None, HUANGPU_GDD, "主办或承办", huangpu,
         None, None, None, None),
        # 支持汇桔网举办…: held by Wtoip, supported by the district
        ("“双12”知商节", "活动", None, HUANGPU_GDD, "支持", wtoip, None, None, None, None),
        ("南粤知识产权创新创业大赛", "竞赛", None, HUANGPU_GDD, "支持", wtoip, None, None, None, None),
    }
    assert len(rows) == 10


def test_customs_publicity_events(store):
    rows = run(store, "60-customs-publicity-events.rq")
    time_nodes = frozenset({ID + "event/national-ip-publicity-week-2018",
                            ID + "event/guangzhou-property-rights-protection-publicity-week-2018",
                            ID + "event/double-eleven-2018"})
    dialogue_topics = frozenset({"侵权趋势变化", "研判侵权态势", "分享先进经验"})
    got = {(text(r, "eventLabel"), text(r, "kindLabel"), text(r, "organizerLabel"), parts(r, "participants"),
            parts(r, "partOf", " "), parts(r, "topics"), text(r, "indicatorLabel"), value(r, "value"),
            text(r, "unitLabel"), text(r, "statedAs")) for r in rows}
    assert got == {
        # at the “4·26” IP week, 广州市“产权保护宣传周” and “双11”: 近70家 right holders
        ("广州海关组织国内外权利人到重点口岸查验现场开展知识产权培训交流", "培训", "广州海关", NONE, time_nodes, NONE,
         "参加单位数", 70, "家", "近70家"),
        ("邮递渠道权利人对话会", "论坛", "广州海关", NONE, NONE, dialogue_topics, None, None, None, None),
        ("奢侈品牌企业对话会", "论坛", "广州海关", NONE, NONE, dialogue_topics, None, None, None, None),
        # the open day: 南方+ hosts took part; its live video had over 200,000 clicks
        ("“黄埔海关邀您走进打假现场”开放日视频微直播活动", "活动", "黄埔海关", frozenset({"南方+"}), NONE,
         frozenset({"历年知识产权保护工作的成效"}), "网络点击量", 20, "万次", "突破20万次"),
    }
    assert len(rows) == 4


def test_customs_cases_honours_and_media_coverage(store):
    rows = run(store, "61-customs-cases-honours-and-coverage.rq")
    media = frozenset({"中央电视台新闻频道", "中央电视台财经频道", "南方日报", "中国海关门户网站"})
    got = {text(r, "caseLabel"): (parts(r, "bodies"), parts(r, "honours"), parts(r, "reportedBy"),
                                  text(r, "operationLabel"), text(r, "goods"), parts(r, "figures")) for r in rows}
    assert got == {
        "广州海关选送案例": (frozenset({"广州海关"}), frozenset({"2017年中国海关保护知识产权典型案例"}), NONE,
                     None, None, NONE),
        # entered jointly (联合参选) with the municipal public security bureau
        "中美破获特大跨国售假案": (frozenset({"广州海关", "广州市公安局"}),
                        frozenset({"2018年广州市法治化营商环境建设十大案（事）例优秀奖"}), NONE, None, None, NONE),
        # section 四（三）'s case and honour, reported by the media
        "查办出口假冒“雷达”杀虫剂案": (frozenset({"黄埔海关"}), frozenset({"2017年度中国海关保护知识产权十大典型案例"}),
                            media, None, "杀虫剂", NONE),
        "中俄知识产权保护联合执法中查获侵权球服案": (
            frozenset({"黄埔海关"}), NONE, media, "中俄海关2018知识产权联合执法行动", "侵权球服",
            frozenset({"4500套"})),
        # section 四（三）'s watches case (its 8,220块 is a figure of 四（三）, not of 七)
        "黄埔海关查获假冒奢侈品牌手表案": (frozenset({"黄埔海关"}), NONE, media, None, "假冒奢侈品牌手表", NONE),
    }
    by_case = {text(r, "caseLabel"): text(r, "case") for r in rows}
    assert by_case["查办出口假冒“雷达”杀虫剂案"] == ID + "case/leida-insecticide-export-case"
    assert by_case["黄埔海关查获假冒奢侈品牌手表案"] == ID + "case/huangpu-customs-counterfeit-luxury-watches"
    assert len(rows) == 5

