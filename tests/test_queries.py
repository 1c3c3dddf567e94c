"""The example queries of data/queries/ answer with the report's own numbers.

Each test runs one named query file through the `store` fixture (tests/conftest.py), whose
`select(query_text)` returns a list of dicts from variable name to an rdflib term. The expected
values are copied from the report, section 二、知识产权创造 (data/source/…txt, lines 34–57).
Queries that range over the whole graph are checked for the rows of section 二 only, so that
data added for other sections does not break them.
"""
from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from gallery import ID, QUERIES, run, text, value

QUERY_FILES = sorted(QUERIES.glob("*.rq"))
HEADER = ("# title@zh: ", "# title@en: ", "# description@zh: ", "# description@en: ")


# --- every query file ------------------------------------------------------------------------

def test_there_are_at_least_ten_queries():
    assert len(QUERY_FILES) >= 10


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_query_file_starts_with_its_four_header_lines(path: Path):
    lines = path.read_text(encoding="utf-8").splitlines()
    assert len(lines) > 4
    for line, start in zip(lines[:4], HEADER, strict=True):
        assert line.startswith(start), f"{path.name}: expected {start!r}, got {line!r}"
        assert line[len(start):].strip(), f"{path.name}: empty {start.strip()}"


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_query_file_is_named_nn_slug(path: Path):
    number, _, slug = path.stem.partition("-")
    assert number.isdigit() and len(number) == 2
    assert slug and slug == slug.lower() and " " not in slug


@pytest.mark.parametrize("path", QUERY_FILES, ids=lambda p: p.name)
def test_query_runs_and_answers(store, path: Path):
    rows = store.select(path.read_text(encoding="utf-8"))
    assert rows, f"{path.name} returned no rows"


# --- the answers -----------------------------------------------------------------------------

def test_patents_with_growth(store):
    rows = run(store, "01-patents-with-growth.rq")
    got = [(text(r, "indicator").removeprefix(ID + "indicator/"), value(r, "value"), value(r, "growthPercent"))
           for r in rows]
    assert got == [
        ("patent-applications", 173124, Decimal("46.3")),
        ("invention-patent-applications", 50169, Decimal("35.8")),
        ("patent-grants", 89826, Decimal("49.2")),
        ("invention-patent-grants", 10797, Decimal("15.5")),
        ("valid-invention-patents", 48354, Decimal("22.5")),
    ]
    assert {text(r, "unitLabel") for r in rows} == {"件"}
    # the stock is dated at the end of 2018, the flows to the year
    assert [text(r, "periodLabel") for r in rows] == ["2018年"] * 4 + ["2018年12月31日"]


def test_patent_awards_by_award_and_grade(store):
    rows = run(store, "02-patent-awards-by-grade.rq")
    got = {(text(r, "awardLabel"), value(r, "editionNumber"), text(r, "gradeLabel")): value(r, "won") for r in rows}
    assert got == {
        ("中国专利奖", 20, "金奖"): 1,
        ("中国专利奖", 20, "银奖"): 6,
        ("中国专利奖", 20, "优秀奖"): 40,
        ("广东省专利奖", 5, "金奖"): 4,
        ("广东省专利奖", 5, "优秀奖"): 14,
        ("广东省专利奖", 5, "发明人奖"): 5,
    }


def test_the_eleven_gi_products(store):
    rows = run(store, "03-gi-products.rq")
    names = {text(r, "nameZh") for r in rows}
    assert names == {"增城迟菜心", "增城丝苗米", "派潭凉粉草", "增城挂绿", "增城荔枝", "钱岗糯米糍",
                     "从化荔枝蜜", "新垦莲藕", "庙南粉葛", "萝岗糯米糍", "萝岗甜橙"}
    assert len(rows) == 11
    assert {value(r, "reportedCount") for r in rows} == {11}
    assert all(text(r, "nameEn") for r in rows)


def test_standardisation_pilots_by_level(store):
    rows = run(store, "04-standardisation-pilots-by-level.rq")
    got = {text(r, "level").removeprefix(ID + "concept/"): value(r, "pilots") for r in rows}
    assert got == {"national": 58, "provincial": 61}
    assert {str(value(r, "date")) for r in rows} == {"2018-12-31"}


def test_figures_ranked_among_the_top_in_the_province(store):
    rows = run(store, "05-ranked-among-top-in-province.rq")
    got = {(text(r, "indicatorLabel"), text(r, "categoryLabel"), value(r, "value"), text(r, "statedAs"))
           for r in rows if text(r, "subjectLabel") == "广州市"}
    assert {
        ("省名牌产品数量", "广东省名牌产品", 643, "居全省前列"),
        ("省名牌产品数量", "广东省名牌产品（农业类）", 163, "居全省前列"),
        ("国家地理标志保护产品数量", "国家地理标志保护产品", 11, "位居全省前列"),
    } <= got
    assert {text(r, "scopeLabel") for r in rows} == {"广东省"}


def test_copyright_registrations_by_kind(store):
    rows = run(store, "06-copyright-registrations-by-kind.rq")
    got = {text(r, "kindZh"): value(r, "registrations") for r in rows}
    assert got == {"著作权登记量": 98605, "作品著作权登记量": 23786, "计算机软件著作权登记量": 74819}
    assert [value(r, "isTotal") for r in rows] == [True, False, False]


def test_trademark_holdings(store):
    rows = run(store, "07-trademark-stocks.rq")
    got = {text(r, "indicator").removeprefix(ID + "indicator/"):
           (value(r, "value"), text(r, "unitLabel"), value(r, "items"), text(r, "periodLabel")) for r in rows}
    assert got == {
        "valid-registered-trademarks": (95, "万件", 950000, "2018年12月31日"),
        "well-known-trademarks": (139, "件", 139, "2018年12月31日"),
        "gi-trademarks": (8, "件", 8, "2018年"),
        "collective-trademarks": (25, "件", 25, "2018年"),
    }
    assert text(rows[0], "statedAs") == "95万件"


def test_approximated_figures_keep_their_words(store):
    rows = run(store, "08-approximated-figures.rq")
    got = {(value(r, "value"), text(r, "unitLabel"), text(r, "approximationLabel"), text(r, "statedAs")) for r in rows}
    assert got == {(2, "亿元", "nearly", "近2亿元"), (1700, "项", "over", "超过1,700项")}


def test_what_the_trademark_examination_centre_achieved(store):
    rows = run(store, "09-trademark-centre-achievements.rq")
    assert {text(r, "centreLabel") for r in rows} == {"国家工商总局商标审查协作广州中心"}
    assert {text(r, "parentLabel") for r in rows} == {"国家工商总局"}
    got = {(text(r, "indicatorLabel"), text(r, "valueTypeLabel")): (text(r, "value"), text(r, "unitLabel"),
                                                                     text(r, "statedAs")) for r in rows}
    assert got == {
        ("为企业节约商标注册成本", "cumulative total"): ("2", "亿元", "近2亿元"),
        ("完成商标审查量", "cumulative total"): ("370", "万件", "370万件"),
        ("完成商标审查量", "share"): ("1/3", "分数", "三分之一"),
    }
    assert all(text(r, "quote") in {"国家工商总局商标审查协作广州中心设立以来为企业节约商标注册成本近2亿元",
                                    "完成商标审查370万件，占全国的三分之一"} for r in rows)


# Every level figure of section 二, as (indicator slug, category slug or None) -> value. Cumulative totals
# since an unstated start are not levels of 2018 and are not here.
SECTION_2_LEVELS = {
    ("patent-applications", None): 173124,
    ("invention-patent-applications", None): 50169,
    ("patent-grants", None): 89826,
    ("invention-patent-grants", None): 10797,
    ("valid-invention-patents", None): 48354,
    ("invention-patents-per-10k-people", None): Decimal("33.4"),
    ("patent-awards-won", "china-patent-award-20-gold"): 1,
    ("patent-awards-won", "china-patent-award-20-silver"): 6,
    ("patent-awards-won", "china-patent-award-20-excellence"): 40,
    ("patent-awards-won", "guangdong-patent-award-5-gold"): 4,
    ("patent-awards-won", "guangdong-patent-award-5-excellence"): 14,
    ("patent-awards-won", "guangdong-patent-award-5-inventor"): 5,
    ("valid-registered-trademarks", None): 95,
    ("well-known-trademarks", "china-well-known-trademark"): 139,
    ("gi-trademarks", None): 8,
    ("collective-trademarks", None): 25,
    ("copyright-registrations", None): 98605,
    ("work-copyright-registrations", None): 23786,
    ("software-copyright-registrations", None): 74819,
    ("provincial-famous-brand-initial-review-passes", "guangdong-famous-brand-product-agriculture"): 25,
    ("provincial-famous-brand-re-review-passes", "guangdong-famous-brand-product-agriculture"): 38,
    ("provincial-famous-brand-products", "guangdong-famous-brand-product-agriculture"): 163,
    ("provincial-famous-brand-products", "guangdong-famous-brand-product"): 643,
    ("green-food-label-enterprises", "green-food-label"): 24,
    ("green-food-label-products", "green-food-label"): 43,
    ("gi-protected-products", "national-gi-protected-product"): 11,
    ("ip-items-in-registered-technology-results", None): 2799,
    ("ip-items-in-registered-technology-results-enterprise-owned", None): 1794,
    ("standardisation-technical-bodies", "standardisation-technical-body"): 107,
    ("standardisation-pilots", "national-standardisation-pilot-programme"): 58,
    ("standardisation-pilots", "provincial-standardisation-pilot-programme"): 61,
    ("international-standards-participated", None): 58,
}


def test_every_indicator_of_section_2_with_unit_and_value(store):
    rows = run(store, "10-indicators-2018.rq")

    def category(row):
        cat = text(row, "category")
        return None if cat is None else cat.rsplit("/", 1)[-1]

    # the query returns category labels, not IRIs: map them back through the English labels
    labels = {
        "20th China Patent Award: Gold Award": "china-patent-award-20-gold",
        "20th China Patent Award: Silver Award": "china-patent-award-20-silver",
        "20th China Patent Award: Award of Excellence": "china-patent-award-20-excellence",
        "5th Guangdong Patent Award: Gold Award": "guangdong-patent-award-5-gold",
        "5th Guangdong Patent Award: Award of Excellence": "guangdong-patent-award-5-excellence",
        "5th Guangdong Patent Award: Inventor Award": "guangdong-patent-award-5-inventor",
        "Guangdong Famous Brand Product (agriculture)": "guangdong-famous-brand-product-agriculture",
        "Guangdong Famous Brand Product": "guangdong-famous-brand-product",
        "National standardisation pilot programme": "national-standardisation-pilot-programme",
        "Provincial standardisation pilot programme": "provincial-standardisation-pilot-programme",
        "China Well-known Trademark": "china-well-known-trademark",
        "Green Food label": "green-food-label",
        "National Geographical Indication Protected Product": "national-gi-protected-product",
        "standardisation technical body": "standardisation-technical-body",
    }
    got = {(text(r, "indicator").removeprefix(ID + "indicator/"), labels.get(text(r, "categoryLabel"))):
           value(r, "value") for r in rows}
    assert got == SECTION_2_LEVELS
    assert len(rows) == len(SECTION_2_LEVELS)
    units = {text(r, "indicator").rsplit("/", 1)[-1]: text(r, "unitLabel") for r in rows}
    assert units["invention-patents-per-10k-people"] == "件/万人"
    assert units["valid-registered-trademarks"] == "万件"
    assert units["provincial-famous-brand-products"] == "个"
    assert units["green-food-label-enterprises"] == "家"
    indicator_order = [text(r, "indicatorLabel") for r in rows]
    assert indicator_order == sorted(indicator_order)


def test_share_with_its_part_and_whole(store):
    rows = run(store, "11-shares-with-part-and-whole.rq")
    got = {(text(r, "partLabel"), value(r, "part"), str(value(r, "share")), text(r, "shareUnitLabel"),
            value(r, "whole"), text(r, "wholeSubjectLabel")) for r in rows}
    assert {
        ("登记科技成果中企业拥有的知识产权数", 1794, "64", "%", 2799, None),
        ("完成商标审查量", 370, "1/3", "分数", None, "中国"),
    } <= got


def test_a_question_about_2018_does_not_count_totals_since_an_earlier_start(store):
    """Regression: the centre's 370万 examinations since it was set up were dated like a year-end
    stock, so "trademark examinations in 2018" returned them. Cumulative totals have a value type
    of their own, and the two questions have different answers."""
    query = """PREFIX ipg: <https://ipgraph.example.org/def/>
        PREFIX ind: <https://ipgraph.example.org/id/indicator/>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        SELECT ?value WHERE { ?obs ipg:indicator ind:trademark-examinations-completed ;
            ipg:valueType <https://ipgraph.example.org/id/concept/%s> ; sdmx-measure:obsValue ?value }"""
    assert store.select(query % "level") == []
    assert [value(r, "value") for r in store.select(query % "cumulative")] == [370]


def test_guangdong_famous_brand_products(store):
    rows = run(store, "12-famous-brand-products.rq")
    got = {(text(r, "designationLabel"), text(r, "indicatorLabel")): (value(r, "value"), text(r, "rankStatedAs"))
           for r in rows}
    assert got == {
        ("广东省名牌产品", "省名牌产品数量"): (643, "居全省前列"),
        ("广东省名牌产品（农业类）", "省名牌产品数量"): (163, "居全省前列"),
        ("广东省名牌产品（农业类）", "通过省名牌产品初评的产品数"): (25, None),
        ("广东省名牌产品（农业类）", "通过省名牌产品复审的产品数"): (38, None),
    }


def test_patent_figures_with_their_source_sentences(store):
    rows = run(store, "13-patent-figures-with-sources.rq")
    report = (Path(__file__).resolve().parent.parent / "data" / "source"
              / "guangzhou-ip-report-2018.zh.txt").read_text(encoding="utf-8")
    assert len(rows) == 17  # 5 levels + 5 changes + per-10k + 3 + 3 awards
    for r in rows:
        quote = text(r, "quote")
        assert quote in report
        number = text(r, "value")
        # the quote states the number, with or without the report's thousands separator
        assert any(form in quote for form in {number, f"{int(number):,}" if number.isdigit() else number})
    quotes = {text(r, "obs").rsplit("/", 1)[-1]: text(r, "quote") for r in rows}
    assert quotes["guangzhou-2018-patent-applications"] == "全市专利申请量173,124件，同比增长46.3%"


def test_everything_credited_to_huangpu_and_the_development_district(store):
    rows = run(store, "29-everything-credited-to-huangpu-and-the-development-district.rq")
    got = {(text(r, "relation").rsplit("/", 1)[-1].rsplit("#", 1)[-1], text(r, "thingLabel")) for r in rows}
    assert {
        ("issuedBy", "重大经济和科技活动知识产权评议办法"),
        ("establishedBy", "广州开发区知识产权运营发展基金"),
        ("partner", "广州市重点产业知识产权运营基金"),
        ("signatory", "中新国际知识产权创新合作项目合作备忘录"),
        ("establishedBy", "国际知识产权创新服务中心"),
        ("organizer", "2018年粤港澳大湾区知识产权金融高峰论坛"),
        ("subOrganizationOf", "广州开发区知识产权局"),
    } <= got
    # one government, credited in sections 一, 三 and 八 alike
    assert {"一", "三", "八"} <= {s for r in rows for s in (text(r, "sections") or "").split()}
