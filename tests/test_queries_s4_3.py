"""The example queries of section 四（三）边境知识产权保护 and 四（四）知识产权仲裁 (data/queries/40-… to 44-…)
answer with the report's own names and numbers (data/source/…txt, lines 94–104).

Each test runs one query file through the `store` fixture (tests/conftest.py). The queries keep to the
things whose evidence lies in 四（三） or 四（四）, so data added for other sections does not change the answers.
"""
from __future__ import annotations

from decimal import Decimal

from gallery import ID, parts, run, text, value


def test_guangzhou_customs_detained_more_goods_than_huangpu_customs(store):
    rows = run(store, "40-customs-offices-goods-detained.rq")
    got = [(text(r, "officeLabel"), value(r, "value"), text(r, "unitLabel"), value(r, "items")) for r in rows]
    # 258.98万件 and 68.4万件, compared as items through the unit's multiplier
    assert got == [
        ("广州海关", Decimal("258.98"), "万件", 2_589_800),
        ("黄埔海关", Decimal("68.4"), "万件", 684_000),
    ]
    assert text(rows[0], "office") == ID + "body/guangzhou-customs"
    assert "258.98万件" in text(rows[0], "quote") and "68.4万件" in text(rows[1], "quote")


def test_which_case_won_what_from_whom(store):
    rows = run(store, "41-customs-case-honours.rq")
    got = {text(r, "caseLabel"): (text(r, "handledByLabel"), text(r, "brandLabel"), text(r, "goods"),
                                  text(r, "honourLabel"), text(r, "honourKind"), text(r, "awardLabel"),
                                  text(r, "conferrerLabel"), parts(r, "otherRecipients")) for r in rows}
    assert got == {
        # the sentence names no conferrer
        "查办出口假冒“雷达”杀虫剂案": (
            "黄埔海关", "雷达", "杀虫剂", "2017年度中国海关保护知识产权十大典型案例", "称号", None, None,
            frozenset()),
        "查办出口假冒“维多利亚的秘密”商标专用权香水案": (
            "黄埔海关", "维多利亚的秘密", "香水", "2017-2018年度‘两法’衔接典型案例", "称号", None,
            "中国外商投资协会优质品牌保护委员会", frozenset()),
        # a prize for units of merit (有功单位): the case won it, and so did Huangpu Customs, the unit
        "查办出口侵犯广东梦想日用化工有限公司“EASY ON”著作权烫衣剂案": (
            "黄埔海关", "EASY ON", "烫衣剂", "2017年度查处侵权盗版重大案件有功单位三等奖", "奖项等级",
            "查处侵权盗版重大案件有功单位奖", "国家版权局", frozenset({"黄埔海关"})),
    }
    assert len(rows) == 3


def test_each_operation_who_ran_it_and_its_results(store):
    rows = run(store, "42-customs-operations-and-results.rq")
    both, deployers = frozenset({"广州海关", "黄埔海关"}), frozenset({"海关总署", "广东分署"})
    gz = frozenset({"广州海关"})
    got = {(text(r, "operationLabel"), value(r, "isCampaign"), parts(r, "ranBy"), parts(r, "deployedBy"),
            parts(r, "partners"), parts(r, "generated"), text(r, "indicatorLabel"), value(r, "value"),
            text(r, "unitLabel"), value(r, "yoyPercent")) for r in rows}
    none = frozenset()
    assert got == {
        ("2018年元旦春节期间知识产权保护专项整治", True, both, deployers, none, none, None, None, None, None),
        ("中俄海关2018知识产权联合执法行动", True, both, deployers, none, none, None, None, None, None),
        # 粤港、粤澳…: two operations, each with its own partner customs (Macao's is not a named body)
        ("粤港海关保护知识产权联合执法行动", True, both, deployers, frozenset({"香港海关"}), none,
         None, None, None, None),
        ("粤澳海关保护知识产权联合执法行动", True, both, deployers, none, none, None, None, None, None),
        # 龙腾: 20批次 (+80%) and 6.63万件
        ("出口知识产权优势企业知识产权保护专项行动", True, both, deployers, none, none,
         "海关采取知识产权保护措施数", 20, "批次", 80),
        ("出口知识产权优势企业知识产权保护专项行动", True, both, deployers, none, none,
         "海关查扣涉嫌侵权货物数量", Decimal("6.63"), "万件", None),
        ("广州海关网络市场监管专项行动", True, gz, none, none, none, "海关采取知识产权保护措施数", 55, "批次", None),
        ("广州海关网络市场监管专项行动", True, gz, none, none, none, "海关查扣涉嫌侵权货物数量", 5322, "件", None),
        ("广州海关通过跨关区执法联动查获涉嫌侵犯自主品牌干电池", False, gz, none, none, none,
         "海关查扣涉嫌侵权货物数量", Decimal("423.4"), "万个", None),
        ("广州海关加强与地方司法、行政执法部门在证据调取、信息通报、价格认定等方面的协作", False, gz, none, none,
         none, None, None, None, None),
        ("广州海关推动南沙海关与南沙自贸区法院签订知识产权保护合作备忘录", False, gz, none, none,
         frozenset({"南沙海关与南沙自贸区法院知识产权保护合作备忘录"}), None, None, None, None),
        ("广州海关联合公安机关、阿里打假特战队针对铝型材侵权情势进行分析联控，挖掘刑事线索", False, gz, none,
         frozenset({"阿里打假特战队"}), none, None, None, None, None),
    }
    assert len(rows) == 12


def test_the_arbitration_courts_caseload(store):
    rows = run(store, "43-arbitration-caseload.rq")
    kinds = frozenset({"著作权转让合同纠纷", "商标合同纠纷", "计算机软件开发合同纠纷"})
    got = [(text(r, "institutionLabel"), text(r, "indicatorLabel"), value(r, "value"), text(r, "unitLabel"),
            value(r, "baseValue"), text(r, "categoryLabel"), parts(r, "disputeKinds")) for r in rows]
    assert got == [
        ("广州知识产权仲裁院", "仲裁机构受理纠纷数", 2533, "件", 2533, "知识产权类纠纷", kinds),
        ("广州知识产权仲裁院", "仲裁纠纷涉及标的额", Decimal("9.51"), "亿元", 951_000_000, "知识产权类纠纷", kinds),
    ]


def test_every_customs_figure_by_channel(store):
    rows = run(store, "44-customs-figures-by-channel.rq")
    got = [(text(r, "officeLabel"), text(r, "indicatorLabel"), text(r, "channelLabel"), value(r, "value"),
            text(r, "unitLabel"), value(r, "allChannelsValue"), text(r, "allChannelsUnitLabel")) for r in rows]
    assert sorted(got, key=str) == sorted([
        ("广州海关", "海关查获涉嫌侵权案件数", "合计", 593, "宗", None, None),
        ("广州海关", "海关查扣涉嫌侵权货物数量", "合计", Decimal("258.98"), "万件", None, None),
        ("黄埔海关", "海关采取知识产权保护措施数", "合计", 75, "次", None, None),
        ("黄埔海关", "海关查扣涉嫌侵权货物数量", "合计", Decimal("68.4"), "万件", None, None),
        # the cross-border e-commerce channel: 916批次 parcels, and 30.4万件 of the 68.4万件 all-channel total
        ("黄埔海关", "海关截获涉嫌侵权包裹数", "跨境电商渠道", 916, "批次", None, None),
        ("黄埔海关", "海关查扣涉嫌侵权货物数量", "跨境电商渠道", Decimal("30.4"), "万件", Decimal("68.4"), "万件"),
    ], key=str)
