"""The example queries of section 四（一）行政执法保护 (data/queries/30-… to 34-…) answer with the report's
own names and numbers (data/source/…txt, lines 76–85: section 四's opening paragraph and 四（一）).

Each test runs one query file through the `store` fixture (tests/conftest.py). The queries keep to the
things whose evidence lies in section 四（一）, so data added for other sections does not change the
answers (query 31 alone looks across the whole report for campaigns of the same name).
"""
from __future__ import annotations

from gallery import parts, run, text, value


def local(iri: str | None) -> str | None:
    return None if iri is None else iri.rsplit("/", 1)[-1]


IP_OFFICE_RESULTS = {("出动执法人员", None, 1837, "人次"), ("检查场所和单位数", "店铺", 1523, "家"),
                     ("检查商品数", None, 28755, "件")}


def test_which_body_ran_which_campaign_with_what_results(store):
    rows = run(store, "30-campaigns-bodies-and-results.rq")
    results: dict[tuple[str, str], set] = {}
    for r in rows:
        key = (text(r, "bodyLabel"), local(text(r, "campaign")))
        results.setdefault(key, set())
        if text(r, "indicatorLabel"):
            results[key].add((text(r, "indicatorLabel"), text(r, "categoryLabel"), value(r, "value"),
                              text(r, "unitLabel")))
    assert results == {
        # 市知识产权局: the sentence gives officers, shops and goods for its four campaigns together
        ("广州市知识产权局", "guangzhou-ip-office-chunlei-campaign"): IP_OFFICE_RESULTS,
        ("广州市知识产权局", "guangzhou-ip-office-shandian-campaign"): IP_OFFICE_RESULTS,
        ("广州市知识产权局", "guangzhou-ip-office-qiufeng-campaign"): IP_OFFICE_RESULTS,
        ("广州市知识产权局", "guangzhou-ip-office-shuangxue-campaign"): IP_OFFICE_RESULTS,
        # 市工商局: the online figures of 网剑行动; the other three campaigns have none
        ("广州市工商局", "guangzhou-aic-wangjian-campaign"): {
            ("网上检查网站（网店）数", None, 14453, "个次"),
            ("实地检查网站（网店）经营者数", None, 4304, "个次"),
            ("督促删除违法商品信息数", None, 1555, "条"),
            ("责令整改网站（网店）数", None, 1228, "个次"),
            ("行政执法查处、处理案件数", "涉网违法", 53, "宗"),
        },
        ("广州市工商局", "guangzhou-aic-shanzhai-hotels-campaign"): set(),
        ("广州市工商局", "guangzhou-aic-suyuan-campaign"): set(),
        ("广州市工商局", "guangzhou-aic-jinghua-campaign"): set(),
        # 海珠区's own “秋风”: 立案办结假冒专利案件65宗，商标侵权案件立案70宗
        ("海珠区", "haizhu-qiufeng-campaign"): {
            ("行政执法立案数", "假冒专利", 65, "宗"),
            ("行政执法立案数", "商标侵权", 70, "宗"),
        },
        ("南沙区", "nansha-jinghua-campaign"): set(),
        ("南沙区", "nansha-suyuan-campaign"): set(),
    }
    assert len(rows) == 24
    assert not any(text(r, "statedAs") for r in rows)


def test_campaigns_of_the_same_name_are_listed_apart(store):
    rows = run(store, "31-campaigns-by-name-and-body.rq")
    got = {(text(r, "name"), text(r, "bodyLabel"), local(text(r, "campaign"))): parts(r, "sameNameAlsoRunBy", " / ")
           for r in rows}
    assert got == {
        ("春雷", "广州市知识产权局", "guangzhou-ip-office-chunlei-campaign"): frozenset(),
        ("闪电", "广州市知识产权局", "guangzhou-ip-office-shandian-campaign"): frozenset(),
        ("霜雪", "广州市知识产权局", "guangzhou-ip-office-shuangxue-campaign"): frozenset(),
        ("秋风", "广州市知识产权局", "guangzhou-ip-office-qiufeng-campaign"): frozenset({"海珠区"}),
        ("秋风", "海珠区", "haizhu-qiufeng-campaign"): frozenset({"广州市知识产权局"}),
        ("山寨", "广州市工商局", "guangzhou-aic-shanzhai-hotels-campaign"): frozenset(),
        ("溯源", "广州市工商局", "guangzhou-aic-suyuan-campaign"): frozenset({"南沙区"}),
        ("溯源", "南沙区", "nansha-suyuan-campaign"): frozenset({"广州市工商局"}),
        ("净化", "广州市工商局", "guangzhou-aic-jinghua-campaign"): frozenset({"南沙区"}),
        ("净化", "南沙区", "nansha-jinghua-campaign"): frozenset({"广州市工商局"}),
        # 市工商局's 2018网络市场监管专项行动（网剑行动） and 广州海关's 网络市场监管专项行动 (四（三）): two nodes
        ("网剑行动", "广州市工商局", "guangzhou-aic-wangjian-campaign"): frozenset({"广州海关"}),
    }
    labels = {local(text(r, "campaign")): (text(r, "campaignLabel"), text(r, "campaignLabelEn")) for r in rows}
    assert labels["haizhu-qiufeng-campaign"] == ("海珠区“秋风”打假专项行动",
                                                 "Haizhu District “Autumn Wind” (Qiufeng) anti-counterfeiting campaign")
    assert labels["guangzhou-aic-wangjian-campaign"][0] == "市工商局2018网络市场监管专项行动（网剑行动）"


def test_cases_the_districts_took_up_one_unit_at_a_time(store):
    rows = run(store, "32-district-cases-by-unit.rq")
    got = {text(r, "unitLabel"): (value(r, "cases"), value(r, "opened"), value(r, "handled"), value(r, "figures"),
                                  parts(r, "districts", " / ")) for r in rows}
    assert got == {
        # 宗: 海珠 65 + 70, 天河 3, 南沙 20 opened; 白云 15 + 136 + 405 handled
        "宗": (714, 158, 556, 7, frozenset({"海珠区", "天河区", "南沙区", "白云区"})),
        # 件: 天河 114, 花都 60, 南沙 167 opened
        "件": (341, 341, 0, 3, frozenset({"天河区", "花都区", "南沙区"})),
    }
    assert [text(r, "unitLabel") for r in rows] == ["宗", "件"]


def test_brands_the_actions_protect(store):
    rows = run(store, "33-brands-protected-by-enforcement.rq")
    got = {(text(r, "brandLabel"), text(r, "brandLabelEn"), text(r, "kindLabel"), text(r, "bodyLabel"),
            text(r, "goods")) for r in rows}
    assert got == {
        ("七天", "7 Days", "专项行动", "广州市工商局", None),
        ("汉庭", "Hanting", "专项行动", "广州市工商局", None),
        ("如家", "Home Inn", "专项行动", "广州市工商局", None),
        ("阿迪达斯", "Adidas", "案件", "广州市知识产权局", "2018俄罗斯世界杯用球"),
    }
    assert len(rows) == 4
    by_brand = {text(r, "brandLabel"): text(r, "actionLabel") for r in rows}
    assert by_brand["阿迪达斯"] == "“阿迪达斯2018俄罗斯世界杯用球”等系列侵权案件"
    assert "“山寨”" in by_brand["如家"]


def test_district_enforcement_figures_side_by_side(store):
    rows = run(store, "34-district-enforcement-side-by-side.rq")
    districts = ("haizhu", "baiyun", "tianhe", "huangpu", "huadu", "nansha")
    got = {local(text(r, "indicator")): tuple(parts(r, d, "；") for d in districts) for r in rows}
    none = frozenset()
    assert got == {
        "enforcement-officers-deployed": (none, {"405人次"}, {"128人次"}, none, {"400多人次"}, none),
        "premises-inspected": (none, {"410家（商业场所）"},
                               {"115家（单位）", "72家次（书店和书报刊亭）", "58家次（印刷复制企业）"},
                               {"21家（知识产权服务机构）"}, {"110多家（生产经营场所）"}, none),
        "goods-inspected": (none, none, none, none, {"1500余件"}, none),
        "joint-enforcement-inspections": (none, {"80次"}, none, none, none, none),
        "administrative-cases-filed": ({"65宗（假冒专利）", "70宗（商标侵权）"}, none,
                                       {"114件（专利案件）", "3宗（盗版）"}, none, {"60件（专利案件）"},
                                       {"167件（假冒专利）", "20宗（商标案件）"}),
        "administrative-cases-handled": (none, {"15宗（专利侵权纠纷）", "136宗（假冒专利）", "405宗（商标侵权）"},
                                         none, none, none, none),
        "complaint-leads-received": (none, {"902条（商标案件）"}, none, none, none, none),
        "case-leads-found": (none, none, none, {"34条（知识产权机构涉嫌非法执业）"}, none, none),
        "institutions-investigated": (none, none, none, {"1家（无资质专利代理）"}, none, none),
        "rectification-notices-issued": (none, none, {"10份"}, none, none, none),
        "illegal-publications-seized": (none, none, {"6万多册"}, none, none, none),
        "cases-transferred-to-public-security": (none, none, none, none, none, {"2宗（商标案件）"}),
    }
