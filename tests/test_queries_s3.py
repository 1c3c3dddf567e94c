"""The example queries of section 三、知识产权运用 (data/queries/19-…23-) answer with the report's words.

Each test runs one query file through the `store` fixture (tests/conftest.py). The expected values
are copied from the report, section 三 (data/source/guangzhou-ip-report-2018.zh.txt, lines 59–74).
The queries keep to section 三 themselves (through the passages their figures cite, or through the
section's own nodes), so the answers are exact.
"""
from __future__ import annotations

from decimal import Decimal

from gallery import ID, parts, run, text, value


def test_funds_their_sizes_and_who_set_them_up(store):
    rows = run(store, "19-funds-and-their-sizes.rq")
    got = [(text(r, "fundLabel"), value(r, "size"), text(r, "unitLabel"), value(r, "yuan")) for r in rows]
    # largest first, whatever the unit the report wrote
    assert got == [
        ("广州市重点产业知识产权运营基金", 6, "亿元", 600_000_000),
        ("广州人工智能知识产权投资基金", 2, "亿元", 200_000_000),
        ("广州开发区知识产权运营发展基金", 6500, "万元", 65_000_000),
    ]
    by_fund = {text(r, "fundLabel"): r for r in rows}
    city = by_fund["广州市重点产业知识产权运营基金"]
    assert parts(city, "setUpBy") == {"广州市知识产权局"}
    # 黄埔区、广州开发区 put 2,000万元 into the same fund, which the report also calls 广州市知识产权重点产业运营基金
    assert parts(city, "partners") == {"黄埔区、广州开发区"}
    assert parts(city, "contributions") == {"黄埔区、广州开发区 2000万元"}
    assert parts(by_fund["广州人工智能知识产权投资基金"], "setUpBy") == {
        "广州开发区产业基金投资集团有限公司", "北京知识产权运营管理有限公司"}
    assert parts(by_fund["广州开发区知识产权运营发展基金"], "setUpBy") == {"黄埔区、广州开发区"}
    assert not parts(by_fund["广州开发区知识产权运营发展基金"], "contributions")


def test_financial_products_who_launched_them_and_with_whom(store):
    rows = run(store, "20-financial-products-and-partners.rq")
    got = {text(r, "productLabel"): (text(r, "productLabelEn"), text(r, "launchedByLabel"),
                                     text(r, "launcherParentLabel"), frozenset(parts(r, "partners")),
                                     value(r, "loans"), text(r, "loansUnitLabel")) for r in rows}
    assert got == {
        "知信保": ("Zhixinbao", "中国建设银行广东省分行", "中国建设银行",
                  frozenset({"广州知识产权交易中心", "汇桔网"}), None, None),
        "知商快贷": ("Zhishang Kuaidai", "中国建设银行广东省分行", "中国建设银行",
                   frozenset({"广州知识产权交易中心", "汇桔网"}), None, None),
        "知识产权融资租赁服务": ("Intellectual property financial leasing service",
                        "中都国脉（北京）资产评估有限公司广东分公司", "中都国脉（北京）资产评估有限公司",
                        frozenset({"广发融资租赁（广东）有限公司"}), 5, "亿元"),
    }
    assert len(rows) == 3


def test_technology_innovation_alliances_and_their_results(store):
    rows = run(store, "21-technology-innovation-alliance-results.rq")
    got = {text(r, "indicator").removeprefix(ID + "indicator/"):
           (text(r, "subjectLabel"), value(r, "value"), text(r, "unitLabel"), text(r, "periodLabel"),
            text(r, "valueType").removeprefix(ID + "concept/"), text(r, "statedAs"))
           for r in rows if "cumulative" not in text(r, "obs")}
    assert got == {
        "alliances-formed": ("广州市", 26, "家", "2018年", "level", None),
        "alliance-members": ("产学研技术创新联盟", 2100, "家", "2018年12月31日", "level", None),
        "major-technology-research-projects": ("产学研技术创新联盟", 500, "项", "2018年", "level", "超过500项"),
        "results-commercialised": ("产学研技术创新联盟", 400, "项", "2018年", "level", "400多项"),
        "sales-revenue": ("产学研技术创新联盟", 300, "亿元", "2018年", "level", "近300亿元"),
        "science-technology-plan-projects": ("产学研技术创新联盟", 191, "项", "2018年", "level", None),
        "science-technology-awards": ("产学研技术创新联盟", 114, "项", "2018年", "level", None),
        "innovation-platforms": ("产学研技术创新联盟", 217, "个", "2018年", "level", None),
    }
    # the 166 alliances formed by the end of 2018 are a cumulative total, not a figure of the year
    cumulative = [r for r in rows if "cumulative" in text(r, "obs")]
    assert [(value(r, "value"), text(r, "periodLabel"), text(r, "valueType").removeprefix(ID + "concept/"))
            for r in cumulative] == [(166, "2018年12月31日", "cumulative")]
    assert len(rows) == 9


def test_rank_statements_of_section_3(store):
    rows = run(store, "22-rank-statements-of-ip-utilisation.rq")
    got = [(text(r, "subjectLabel"), text(r, "indicatorLabel"), text(r, "categoryLabel"), value(r, "value"),
            text(r, "unitLabel"), text(r, "periodLabel"), text(r, "scopeLabel"), text(r, "qualifierLabel"),
            value(r, "position"), text(r, "statedAs")) for r in rows]
    assert got == [
        ("广州市", "高新技术企业数", "国家高新技术企业", 11794, "家", "2018年12月31日", "中国", "第N名", 3,
         "居全国第三名"),
    ]


def test_patent_pledge_financing_with_its_change(store):
    rows = run(store, "23-patent-pledge-financing-with-change.rq")
    got = [(text(r, "subjectLabel"), text(r, "periodLabel"), value(r, "amount"), text(r, "unitLabel"),
            value(r, "yuan"), value(r, "growthPercent"), value(r, "impliedPreviousYear")) for r in rows]
    assert got == [
        ("广州市", "2018年", Decimal("25.8"), "亿元", Decimal("2580000000"), Decimal("183.9"), Decimal("9.09")),
    ]
    assert text(rows[0], "quote") == "2018年全市专利质押金额25.8亿元，同比增长183.9%"
