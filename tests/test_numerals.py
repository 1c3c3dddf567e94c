"""Counts the report writes in Chinese numerals are observations too.

The coverage tool (``../shared/tools/report_coverage.py``) finds numbers written in digits only,
so this list holds the others: each count of the report, with the words
that state it. Ordinals in names (第34届) are edition numbers, a rank (第三名) is a rank statement,
and a name (“三合一”, 十三·五) is no count; none of those is listed here.
"""

from __future__ import annotations

import pytest
from rdflib import Literal

PREFIXES = """PREFIX ipg: <https://ipgraph.example.org/def/>
PREFIX oa: <http://www.w3.org/ns/oa#>
PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
"""

# (words of the report around the count, the numeral as the report writes it, the count)
COUNTS = [
    ("知识产权运营服务生态优化三大工程", "三", 3),          # 一: the plan's three programmes
    ("执法系统等四个知识产权风险分析应用模型", "四", 4),      # 一: the customs' risk-analysis models
    ("保护三大平台建设", "三", 3),                        # 三: the copyright base's three platforms
    ("三方联动的专利质押融资推动工作模式", "三", 3),          # 三: the three parties of Nansha's model
    ("发起穗莞深三市共同签署", "三", 3),                    # 八: the three cities that sign
    ("共同建设两地巡回审判法庭", "两", 2),                  # 八: the two circuit tribunals to be built
    ("积极与佛山、东莞两市沟通", "两", 2),                  # 八: the two cities the court works with
    ("等十大类型的服务业", "十", 10),                        # 五: the kinds of service the opinion backs
    ("等十三项措施", "十三", 13),                           # 五: the customs' measures for enterprises
    ("等五大服务", "五", 5),                               # 五: the services of Haizhu's park stations
    ("建立双方协作联络机制", "双", 2),                       # 五: the two parties of the liaison mechanism
    ("每月组织一次高层学习讲坛", "一", 1),                    # 六: the court's lectures, once a month
    ("保护知识产权宣传“四个一”", "四", 4),                   # 七: the four items of school publicity
    ("全年推送信息近千条", "千", 1000),                      # 七: items pushed on the two accounts
    ("派发各种商标品牌宣传资料千余份", "千", 1000),            # 七: brand materials handed out
]


@pytest.mark.parametrize(("words", "numeral", "count"), COUNTS, ids=[c[0] for c in COUNTS])
def test_a_count_in_chinese_numerals_is_an_observation(store, words, numeral, count):
    rows = store.select(PREFIXES + """SELECT ?words ?obs ?value ?statedAs ?quote WHERE {
        ?obs a qb:Observation ; sdmx-measure:obsValue ?value ; ipg:statedAs ?statedAs ;
             ipg:evidence/oa:hasSelector/oa:exact ?quote .
        FILTER(CONTAINS(?quote, ?words)) }""", bindings={"words": Literal(words)})
    assert rows, f"no observation with a statedAs is evidenced by a quote containing {words!r}"
    assert {(r["value"].toPython(), numeral in str(r["statedAs"])) for r in rows} == {(count, True)}, rows
