"""The example queries of section 八、知识产权交流合作 (data/queries/24-… to 28-…) answer with the report's
own names and numbers (data/source/…txt, lines 174–186).

Each test runs one query file through the `store` fixture (tests/conftest.py). The queries keep to the
things whose evidence lies in section 八, so data added for other sections does not change the answers.
"""
from __future__ import annotations

from pathlib import Path

from gallery import ID, parts, run, text, value


def test_who_signed_each_agreement_with_whom(store):
    rows = run(store, "24-agreements-and-signatories.rq")
    signed: dict[str, set] = {}
    for r in rows:
        signed.setdefault(text(r, "agreementLabel"), set())
        if text(r, "signatoryLabel"):
            signed[text(r, "agreementLabel")].add((text(r, "signatoryLabel"), value(r, "signatoryIsPlace")))
    assert signed == {
        # 发起穗莞深三市共同签署: the cities stand as parties, the municipal IP office initiated it
        "广深科技创新走廊知识产权保护合作备忘录": {("广州市", True), ("东莞", True), ("深圳", True)},
        "中新国际知识产权创新合作项目合作备忘录": {
            ("黄埔区、广州开发区", False), ("新加坡知识产权局智权增值所", False),
            ("中新广州知识城投资开发有限公司", False)},
        "知识产权战略合作协议": {("广州知识产权交易中心", False), ("香港知识产权交易所", False)},
        "黄埔海关与日本名古屋海关互助合作备忘录": {("黄埔海关", False), ("日本名古屋海关", False)},
        # the report names no signatory of the customs cooperation plan
        "中荷海关2018-2022年合作计划": set(),
    }
    by_agreement = {text(r, "agreementLabel"): r for r in rows}
    # titles exactly as in 《》; the Nagoya memorandum has none
    assert {k: text(r, "title") for k, r in by_agreement.items()} == {
        "广深科技创新走廊知识产权保护合作备忘录": "广深科技创新走廊知识产权保护合作备忘录",
        "中新国际知识产权创新合作项目合作备忘录": "中新国际知识产权创新合作项目合作备忘录",
        "知识产权战略合作协议": "知识产权战略合作协议",
        "黄埔海关与日本名古屋海关互助合作备忘录": None,
        "中荷海关2018-2022年合作计划": "中荷海关2018-2022年合作计划",
    }
    assert {k: text(r, "kindLabel") for k, r in by_agreement.items()} == {
        "广深科技创新走廊知识产权保护合作备忘录": "备忘录",
        "中新国际知识产权创新合作项目合作备忘录": "备忘录",
        "知识产权战略合作协议": "协议",
        "黄埔海关与日本名古屋海关互助合作备忘录": "备忘录",
        "中荷海关2018-2022年合作计划": "规划",
    }
    assert text(by_agreement["中荷海关2018-2022年合作计划"], "periodLabel") == "2018-2022年"
    initiators = {text(r, "agreementLabel"): text(r, "initiatorLabel") for r in rows if text(r, "initiatorLabel")}
    assert initiators == {"广深科技创新走廊知识产权保护合作备忘录": "广州市知识产权局"}
    brokers = {text(r, "agreementLabel"): text(r, "brokerLabel") for r in rows if text(r, "brokerLabel")}
    assert brokers == {"知识产权战略合作协议": "黄埔区、广州开发区"}  # 促成, not a signatory


def test_events_abroad_and_with_foreign_bodies(store):
    rows = run(store, "25-events-abroad-and-with-foreign-bodies.rq")
    got = {(text(r, "eventLabel"), text(r, "roleLabel"), text(r, "partyLabel")) for r in rows}
    assert got == {
        ("第八届亚洲知识产权营商论坛", "举办地", "香港"),
        ("第八届亚洲知识产权营商论坛“粤港澳大湾区知识产权合作及机遇”分论坛", "主办方", "香港贸易发展局"),
        ("韩国国际私法学会石光現会长率韩国代表团到访广州知识产权仲裁院", "参与方", "韩国国际私法学会"),
        ("2018韩国品牌知识产权培训会", "主办方", "大韩民国驻广州总领事馆"),
        ("广州海关与韩国首尔民生司法警察团一行交流经验", "参与方", "韩国首尔民生司法警察团"),
        ("中欧海关知识产权工作组第八次会议", "主办方", "中欧海关知识产权工作组"),
        ("驻华海关专员俱乐部“海关调查”专题研讨会", "依托机构", "加拿大驻华使馆"),
        ("黄埔海关接访日本辩理士会京畿支部", "参与方", "日本辩理士会京畿支部"),
        ("黄埔海关率代表团访问日本名古屋海关", "主办方", "日本名古屋海关"),
        ("黄埔海关率代表团访问日本名古屋海关", "举办地", "名古屋"),
        ("广东分署牵头的粤港海关知识产权保护交流活动", "参与方", "香港海关"),
        ("黄埔海关访问香港海关版权及商标调查科", "主办方", "香港海关版权及商标调查科"),
        ("黄埔海关访问香港海关版权及商标调查科", "举办地", "香港"),
        ("中欧知识产权工作组第二十一次会议广州分场活动", "主办方", "中欧知识产权工作组"),
        ("中欧知识产权工作组第二十一次会议广州分场活动", "参与方", "欧盟委员会贸易总司"),
        ("中欧知识产权工作组第二十一次会议广州分场活动", "参与方", "欧盟驻华代表团"),
        ("黄埔区、广州开发区与日本经济产业省和国际知识产权保护论坛官民代表团研讨交流", "参与方", "日本经济产业省"),
    }
    assert len(rows) == len(got)


def test_every_foreign_body_and_place_and_what_happened_with_it(store):
    rows = run(store, "26-foreign-bodies-and-places.rq")
    happened: dict[tuple[str, bool], set] = {}
    for r in rows:
        key = (text(r, "entityLabel"), value(r, "isPlace"))
        happened.setdefault(key, set())
        if text(r, "thingLabel"):
            happened[key].add((text(r, "roleLabel"), text(r, "thingLabel")))
    named_after = "以该地名称开头的机构"
    assert happened == {
        # places
        ("香港", True): {
            ("所在地", "第八届亚洲知识产权营商论坛"),
            ("所在地", "黄埔海关访问香港海关版权及商标调查科"),
            (named_after, "香港海关"), (named_after, "香港海关版权及商标调查科"),
            (named_after, "香港知识产权交易所"), (named_after, "香港贸易发展局")},
        ("名古屋", True): {("所在地", "黄埔海关率代表团访问日本名古屋海关")},
        ("首尔", True): set(),
        ("韩国", True): {(named_after, "大韩民国驻广州总领事馆"), (named_after, "韩国国际私法学会"),
                         (named_after, "韩国首尔民生司法警察团")},
        ("日本", True): {(named_after, "日本名古屋海关"), (named_after, "日本经济产业省"),
                         (named_after, "日本辩理士会"), (named_after, "日本辩理士会京畿支部")},
        ("荷兰", True): {(named_after, "荷兰海关")},
        ("新加坡", True): {(named_after, "新加坡知识产权局"), (named_after, "新加坡知识产权局智权增值所")},
        ("加拿大", True): {(named_after, "加拿大驻华使馆")},
        # bodies
        ("韩国国际私法学会", False): {("参与方", "韩国国际私法学会石光現会长率韩国代表团到访广州知识产权仲裁院")},
        ("大韩民国驻广州总领事馆", False): {("主办方", "2018韩国品牌知识产权培训会")},
        ("韩国首尔民生司法警察团", False): {("参与方", "广州海关与韩国首尔民生司法警察团一行交流经验")},
        ("荷兰海关", False): {("合作方", "广州海关与荷兰海关关际合作框架")},
        ("香港海关", False): {
            ("参与方", "广东分署牵头的粤港海关知识产权保护交流活动"),
            ("实施机构", "广州海关强化粤港海关在知识产权联合执法、情报信息交换、互派交流培训等方面的合作")},
        ("香港海关版权及商标调查科", False): {("主办方", "黄埔海关访问香港海关版权及商标调查科")},
        ("加拿大驻华使馆", False): {("依托机构", "驻华海关专员俱乐部“海关调查”专题研讨会")},
        ("日本辩理士会", False): set(),
        ("日本辩理士会京畿支部", False): {("参与方", "黄埔海关接访日本辩理士会京畿支部")},
        ("日本名古屋海关", False): {("主办方", "黄埔海关率代表团访问日本名古屋海关"),
                                    ("签署方", "黄埔海关与日本名古屋海关互助合作备忘录")},
        ("日本经济产业省", False): {
            ("参与方", "黄埔区、广州开发区与日本经济产业省和国际知识产权保护论坛官民代表团研讨交流")},
        ("新加坡知识产权局", False): set(),
        ("新加坡知识产权局智权增值所", False): {("签署方", "中新国际知识产权创新合作项目合作备忘录"),
                                                 ("合作方", "国际知识产权创新服务中心")},
        ("香港贸易发展局", False): {("主办方", "第八届亚洲知识产权营商论坛“粤港澳大湾区知识产权合作及机遇”分论坛")},
        ("香港知识产权交易所", False): {("签署方", "知识产权战略合作协议")},
        ("欧盟委员会", False): set(),
        ("欧盟委员会贸易总司", False): {("参与方", "中欧知识产权工作组第二十一次会议广州分场活动")},
        ("欧盟驻华代表团", False): {("参与方", "中欧知识产权工作组第二十一次会议广州分场活动")},
        ("中欧知识产权工作组", False): {("主办方", "中欧知识产权工作组第二十一次会议广州分场活动")},
        ("中欧海关知识产权工作组", False): {("主办方", "中欧海关知识产权工作组第八次会议")},
    }


def test_what_huangpu_and_the_development_district_did(store):
    rows = run(store, "27-huangpu-exchange-and-cooperation.rq")
    got = {(text(r, "thingLabel"), text(r, "kindLabel"), text(r, "roleLabel")): parts(r, "others", "、")
           for r in rows}
    assert got == {
        ("中新国际知识产权创新合作项目合作备忘录", "协议", "签署方"):
            {"新加坡知识产权局智权增值所", "中新广州知识城投资开发有限公司"},
        ("国际知识产权创新服务中心", "中心", "共建（设立）方"):
            {"新加坡知识产权局智权增值所", "中新广州知识城投资开发有限公司"},
        ("中欧知识产权工作组第二十一次会议广州分场活动", "活动", "主办/承办方"):
            {"中欧知识产权工作组", "欧盟委员会贸易总司", "欧盟驻华代表团"},
        ("黄埔区、广州开发区与日本经济产业省和国际知识产权保护论坛官民代表团研讨交流", "活动", "主办/承办方"):
            {"日本经济产业省", "国际知识产权保护论坛"},
        ("粤港澳大湾区知识产权合作暨知识产权运用和保护综合改革试验推进工作会", "活动", "主办/承办方"): set(),
        ("2018年粤港澳大湾区知识产权金融高峰论坛", "论坛", "主办/承办方"): set(),
        ("第八届亚洲知识产权营商论坛“粤港澳大湾区知识产权合作及机遇”分论坛", "论坛", "主办/承办方"):
            {"香港贸易发展局"},
        ("黄埔区、广州开发区促成广州知识产权交易中心与香港知识产权交易所签订《知识产权战略合作协议》",
         "行动", "促成方"): {"广州知识产权交易中心", "香港知识产权交易所"},
    }
    report = (Path(__file__).resolve().parent.parent / "data" / "source"
              / "guangzhou-ip-report-2018.zh.txt").read_text(encoding="utf-8")
    assert all(text(r, "quote") in report for r in rows)


def test_the_ip_courts_circuit_tribunals_and_offices(store):
    rows = run(store, "28-ip-court-circuit-tribunals-and-offices.rq")
    got = {text(r, "itemLabel"): (text(r, "kindLabel"), parts(r, "partners", "、"), parts(r, "places", "、"),
                                  parts(r, "figures", "；")) for r in rows}
    assert got == {
        "仲恺巡回审判法庭": ("法院", {"惠州市"}, set(), set()),
        "与佛山、东莞两市共同建设两地巡回审判法庭": (
            "项目", {"佛山市", "东莞"}, {"佛山市", "东莞"},
            {"合作城市数=2（两市）", "拟共同建设的巡回审判法庭数=2（两地）"}),
        "中山、汕头、江门等地的诉讼服务处建设": ("项目", set(), {"中山", "汕头", "江门"}, set()),
        "知识产权纠纷多元化解机制": ("项目", set(), set(), set()),
        "移送、委托调解试点工作": ("项目", {"广东知识产权纠纷人民调解委员会"}, set(), set()),
    }


def test_the_delegation_of_eight_and_the_chinese_numeral_counts(store):
    """The one Arabic number of section 八 (8人) and the counts it writes in Chinese numerals
    (三市, 两市, 两地) are observations with their words kept in ipg:statedAs."""
    rows = store.select("""
        PREFIX ipg: <https://ipgraph.example.org/def/>
        PREFIX section: <https://ipgraph.example.org/id/section/>
        PREFIX dcterms: <http://purl.org/dc/terms/>
        PREFIX qb: <http://purl.org/linked-data/cube#>
        PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
        PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
        PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
        SELECT DISTINCT ?obs ?value ?unitLabel ?statedAs WHERE {
          ?obs a qb:Observation ; ipg:evidence/dcterms:isPartOf section:8 ;
               sdmx-measure:obsValue ?value ; sdmx-attribute:unitMeasure/skos:prefLabel ?unitLabel .
          FILTER(lang(?unitLabel) = "zh")
          OPTIONAL { ?obs ipg:statedAs ?statedAs }
        }""")
    got = {text(r, "obs").removeprefix(ID + "observation/"): (value(r, "value"), text(r, "unitLabel"),
                                                              text(r, "statedAs")) for r in rows}
    assert got == {
        "korea-delegation-visit-arbitration-court-2018-delegation-members": (8, "人", None),
        "gz-sz-corridor-ip-protection-memorandum-2018-signatory-cities": (3, "个", "三市"),
        "foshan-dongguan-circuit-tribunals-2018-partner-cities": (2, "个", "两市"),
        "foshan-dongguan-circuit-tribunals-2018-circuit-tribunals-planned": (2, "个", "两地"),
    }
