"""The example queries of section 一、知识产权管理 (data/queries/14-…18-) answer with the report's words.

Each test runs one query file through the `store` fixture (tests/conftest.py). The expected values
are copied from the report, section 一 (data/source/guangzhou-ip-report-2018.zh.txt, lines 8–32).
The queries keep to section 一 themselves (through the passages their nodes cite), so the answers
are exact.
"""
from __future__ import annotations

from collections import defaultdict

from gallery import parts, run, text, value

# --- 14: who issued which document, and what it sets out -----------------------------------------

def test_documents_their_issuers_and_what_they_set_out(store):
    rows = run(store, "14-documents-issuers-and-what-they-set-out.rq")
    issued = {(text(r, "issuerLabel"), text(r, "title"), text(r, "setsOutLabel"))
              for r in rows if text(r, "issuerLabel")}
    assert issued == {
        ("广州市知识产权局", "广州市创建国家知识产权强市行动计划（2017-2020年）", "创建国家知识产权强市"),
        ("广州市知识产权局", "2018年工作要点", None),
        ("市政府办公厅", "广州市开展知识产权运营服务体系建设实施方案（2018—2020年）", "实施最严格的知识产权保护工程"),
        ("市政府办公厅", "广州市开展知识产权运营服务体系建设实施方案（2018—2020年）", "知识产权创造质量提升工程"),
        ("市政府办公厅", "广州市开展知识产权运营服务体系建设实施方案（2018—2020年）", "知识产权运营服务生态优化工程"),
        ("市工信委", "广州市加快IAB产业发展五年行动计划（2018-2022年）", "健全和完善知识产权保护机制"),
        ("市工信委", "广州市加快IAB产业发展五年行动计划（2018-2022年）", "IAB产业领域的专利合作授权机制"),
        ("市工信委", "广州市加快IAB产业发展五年行动计划（2018-2022年）", "IAB产业领域的风险防控机制"),
        ("广州知识产权法院",
         "关于依法推动创新驱动发展战略实施、为我省科技创新强省建设提供有力司法保障的实施意见",
         "为科技创新提供司法保障的任务要求和具体措施"),
        ("广州市人大常委会", "关于促进广州仲裁事业发展的决定", None),
        ("黄埔海关", "黄埔海关知识产权保护工作规程", "明确办案权限职责"),
        ("黄埔海关", "黄埔海关知识产权保护工作规程", "规范证据收集程序"),
        ("越秀区", "关于加快知识产权发展促进科技创新的若干措施",
         "将知识产权服务业企业纳入到区总量控制类入户指标引进人才的申报企业范围"),
        ("黄埔区、广州开发区", "重大经济和科技活动知识产权评议办法", None),
        ("海珠区", "海珠区支持创新平台建设实施细则", "对企业职务发明项目的支持"),
        ("海珠区", "海珠区支持创新平台建设实施细则", "对高校专利技术成果转移转化项目的支持"),
        ("海珠区", "海珠区支持创新平台建设实施细则", "对琶洲互联网创新集聚区专利技术产业化项目的支持"),
    }
    by_title = {text(r, "title"): r for r in rows}
    # the implementer is never the issuer: the sentence names who implements, not who issued
    assert text(by_title["关于实施商标品牌战略“十三·五”发展规划的意见"], "issuerLabel") is None
    assert parts(by_title["关于实施商标品牌战略“十三·五”发展规划的意见"], "actedOnBy") == {"广州市工商局"}
    for title in ("广州市促进科技成果转移转化行动方案（2018-2020年）", "广州市科技成果交易补助实施办法（试行）",
                  "关于印发高校、科研院所科技成果使用、处置和收益权改革实施办法的通知"):
        assert text(by_title[title], "issuerLabel") is None
        assert parts(by_title[title], "actedOnBy") == {"市科技创新委"}
    # a reviser is not the issuer either
    assert text(by_title["广州市市长质量奖评审管理办法"], "issuerLabel") is None
    assert parts(by_title["广州市市长质量奖评审管理办法"], "actedOnBy") == {"市质监局"}
    assert parts(by_title["广州市黄埔区 广州开发区知识产权专项资金管理办法"], "actedOnBy") == {"黄埔区、广州开发区"}
    assert text(by_title["广州市黄埔区 广州开发区知识产权专项资金管理办法"], "setsOutLabel") == \
        "广州市黄埔区 广州开发区知识产权专项资金"
    # the decision: adopted by the congress, pushed through by the arbitration court
    assert parts(by_title["关于促进广州仲裁事业发展的决定"], "actedOnBy") == {"广州市人大常委会", "广州知识产权仲裁院"}
    # the periods the titles state
    assert text(by_title["广州市创建国家知识产权强市行动计划（2017-2020年）"], "periodLabel") == "2017-2020年"
    assert text(by_title["广州市加快IAB产业发展五年行动计划（2018-2022年）"], "periodLabel") == "2018-2022年"
    assert text(by_title["2018-2020年度广州市市属国有企业专利工作统计评价实施方案"], "periodLabel") == "2018-2020年"
    assert text(by_title["2018年工作要点"], "kindLabel") == "工作要点"
    assert len(by_title) == 21  # 20 titled policy documents and the untitled 2018 work priorities


# --- 15: agreements and their signatories ---------------------------------------------------------

def test_agreements_and_every_signatory(store):
    rows = run(store, "15-administration-agreements-and-signatories.rq")
    signatories = defaultdict(set)
    for r in rows:
        signatories[text(r, "title")].add((text(r, "signatoryLabel"), text(r, "signatoryKind")))
    assert dict(signatories) == {
        "广州市黄埔区 广州开发区知识产权纠纷调解对接合作协议": {
            ("广东知识产权纠纷人民调解委员会", "调解委员会"),
            ("国家知识产权局专利局专利审查协作广东中心", "公共服务机构"),
            ("广州知识产权法院", "法院"),
            ("黄埔区法院", "法院"),
            ("黄埔区司法局", "政府机构"),
            ("黄埔区市场和质量监管局", "政府机构"),
            ("广州开发区知识产权局", "政府机构"),
        },
        "加强知识产权保护工作协作协议": {
            ("广州知识产权法院", "法院"),
            ("省科技厅", "政府机构"),
        },
    }
    counts = {text(r, "title"): value(r, "parties") for r in rows}
    assert counts == {"广州市黄埔区 广州开发区知识产权纠纷调解对接合作协议": 7, "加强知识产权保护工作协作协议": 2}
    mediation = next(r for r in rows if value(r, "parties") == 7)
    assert parts(mediation, "setsOut") == {
        "司法案件诉前、诉中调解合作机制", "知识产权纠纷调解的司法确认制度", "知识产权纠纷调解的技术专家咨询制度"}
    assert text(mediation, "note") is None
    cooperation = next(r for r in rows if value(r, "parties") == 2)
    assert "与省科技厅等共同签署" in text(cooperation, "note")  # the report's 等: further parties unnamed
    # the agreements come first by the number of their parties
    assert [value(r, "parties") for r in rows] == [7] * 7 + [2] * 2


# --- 16: documents per issuer ---------------------------------------------------------------------

def test_documents_per_issuer(store):
    rows = run(store, "16-administration-documents-per-issuer.rq")
    got = {text(r, "issuerLabel"): (value(r, "documents"), value(r, "actedOnByAnotherBody")) for r in rows}
    assert got == {
        "（未载明印发机构）": (11, 7),
        "广州市知识产权局": (2, 0),
        "市政府办公厅": (1, 0),
        "市工信委": (1, 0),
        "广州知识产权法院": (1, 0),
        "广州市人大常委会": (1, 1),
        "黄埔海关": (1, 0),
        "越秀区": (1, 0),
        "黄埔区、广州开发区": (1, 0),
        "海珠区": (1, 0),
    }
    assert [value(r, "documents") for r in rows][:2] == [11, 2]
    by_issuer = {text(r, "issuerLabel"): r for r in rows}
    assert parts(by_issuer["广州市知识产权局"], "titles") == {
        "广州市创建国家知识产权强市行动计划（2017-2020年）", "2018年工作要点"}
    assert parts(by_issuer["（未载明印发机构）"], "titles") == {
        "关于推动我市PCT专利申请高质量发展的意见",
        "2018-2020年度广州市市属国有企业专利工作统计评价实施方案",
        "企业知识产权管理规范",
        "关于实施商标品牌战略“十三·五”发展规划的意见",
        "关于深入推进商标品牌培育指导站建设工作意见",
        "广州市市长质量奖评审管理办法",
        "广州市促进科技成果转移转化行动方案（2018-2020年）",
        "广州市科技成果交易补助实施办法（试行）",
        "关于印发高校、科研院所科技成果使用、处置和收益权改革实施办法的通知",
        "广州市黄埔区 广州开发区知识产权专项资金管理办法",
        "广州南沙新区（自贸片区）促进科技创新产业发展扶持办法",
    }
    assert text(by_issuer["（未载明印发机构）"], "issuer") is None


# --- 17: the brand guidance stations --------------------------------------------------------------

def test_brand_guidance_stations_and_their_hosts(store):
    rows = run(store, "17-brand-guidance-stations-and-hosts.rq")
    got = {(text(r, "stationLabel"), text(r, "hostLabel"), text(r, "hostKind"), text(r, "hostIs")) for r in rows}
    assert got == {
        ("荔湾区南方茶叶商会品牌指导站", "荔湾区南方茶叶商会", "协会", "机构"),
        ("番禺巨大产业园品牌指导站", "番禺巨大产业园", "功能区", "地点"),
        ("越秀白马市场品牌指导站", "越秀白马市场", "市场", "机构"),
        ("黄埔工程机械行业协会品牌指导站", "广州黄埔工程机械行业协会", "协会", "机构"),
    }
    # 新建…等4个品牌指导站。截至2018年底，全市共设立了6个品牌指导站。
    assert {(value(r, "newIn2018"), value(r, "allByEnd2018")) for r in rows} == {(4, 6)}
    # 市工商局 set up all four (一); section 五 says the development district set up the one at the
    # construction-machinery association too (在广州黄埔工程机械行业协会设立商标品牌指导站)
    assert sorted((text(r, "hostLabel"), text(r, "setUpByLabel")) for r in rows) == [
        ("广州黄埔工程机械行业协会", "广州市工商局"), ("广州黄埔工程机械行业协会", "黄埔区、广州开发区"),
        ("番禺巨大产业园", "广州市工商局"), ("荔湾区南方茶叶商会", "广州市工商局"), ("越秀白马市场", "广州市工商局")]


# --- 18: everything credited to 黄埔区、广州开发区 -------------------------------------------------

def test_what_huangpu_and_gdd_did_in_ip_administration(store):
    rows = run(store, "18-huangpu-gdd-in-ip-administration.rq")
    got = [(text(r, "bodyLabel"), text(r, "role"), text(r, "thingLabel")) for r in rows]
    assert sorted(got) == sorted([
        ("黄埔区、广州开发区", "开展行动", "黄埔区、广州开发区深化知识产权运用和保护综合改革试验"),
        ("黄埔区、广州开发区", "开展行动", "在全国开发区率先实现专利、商标、版权统一行政管理体制"),
        ("黄埔区、广州开发区", "开展行动", "黄埔区、广州开发区修订知识产权专项资金管理办法"),
        ("黄埔区、广州开发区", "印发文件", "重大经济和科技活动知识产权评议办法"),
        ("广州开发区知识产权局", "签署协议", "广州市黄埔区 广州开发区知识产权纠纷调解对接合作协议"),
        ("广州开发区知识产权局", "获得称号", "全国知识产权战略实施工作先进集体"),
        ("黄埔区司法局", "签署协议", "广州市黄埔区 广州开发区知识产权纠纷调解对接合作协议"),
        ("黄埔区市场和质量监管局", "签署协议", "广州市黄埔区 广州开发区知识产权纠纷调解对接合作协议"),
    ])
    assert len(got) == len(set(got))
    # every row carries the report's words
    award = next(r for r in rows if text(r, "role") == "获得称号")
    assert parts(award, "quotes") == {
        "区知识产权局被国务院知识产权战略实施工作部际联席会议办公室评为“全国知识产权战略实施工作先进集体”"}
    for r in rows:
        if text(r, "role") == "签署协议":
            assert any(text(r, "bodyLabel") in q for q in parts(r, "quotes"))
