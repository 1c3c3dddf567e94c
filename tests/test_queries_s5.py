"""The example queries of section 五、知识产权服务 (data/queries/45-… to 49-…) answer with the report's
own names and numbers (data/source/…txt, lines 107–125).

Each test runs one query file through the `store` fixture (tests/conftest.py). The queries keep to the
things whose evidence lies in section 五, so data added for other sections does not change the answers.
"""
from __future__ import annotations

from decimal import Decimal

from gallery import ID, parts, run, text, value

HUANGPU_GDD = "黄埔区、广州开发区"
PATENT_CENTRE = "国家知识产权局专利局专利审查协作广东中心"


def test_every_service_body_station_platform_and_service_point_with_who_set_it_up(store):
    rows = run(store, "45-service-bodies-stations-and-who-set-them-up.rq")
    got = {(text(r, "thingLabel"), text(r, "kind"), text(r, "relationLabel"), text(r, "partyLabel")) for r in rows}
    assert len(rows) == len(got)
    assert got == {
        # stations, service posts and service points
        ("知识产权服务驿站", "工作站", "设立机构", "海珠区"),
        ("知识产权服务驿站", "工作站", "所在地", "广州创投小镇"),
        ("知识产权服务站点", "工作站", "设立机构", "海珠区"),
        ("知识产权服务站点", "工作站", "所在地", "广州创投小镇"),
        ("园区商标品牌指导站", "工作站", "运营机构", "海珠区"),
        ("园区商标品牌指导站", "工作站", "所在地", "海珠区"),
        ("茶叶市场商标品牌培育指导站", "工作站", "设立机构", "荔湾区"),
        ("茶叶市场商标品牌培育指导站", "工作站", "所在地", "荔湾区"),
        ("广州知识产权法院律师调解工作室", "工作站", "设立机构", "市司法局"),
        ("广州知识产权法院律师调解工作室", "工作站", "合作方", "广州知识产权法院"),
        ("广州知识产权法院律师调解工作室", "工作站", "依托机构", "广州知识产权法院"),
        ("广州视源电子科技股份有限公司知识产权服务工作站", "工作站", "设立机构", HUANGPU_GDD),
        ("广州视源电子科技股份有限公司知识产权服务工作站", "工作站", "合作方", PATENT_CENTRE),
        ("广州视源电子科技股份有限公司知识产权服务工作站", "工作站", "依托机构", "广州视源电子科技股份有限公司"),
        # the station of section 一, which section 五 says the Development District set up as well
        ("黄埔工程机械行业协会品牌指导站", "工作站", "设立机构", "广州市工商局"),
        ("黄埔工程机械行业协会品牌指导站", "工作站", "设立机构", HUANGPU_GDD),
        ("黄埔工程机械行业协会品牌指导站", "工作站", "依托机构", "广州黄埔工程机械行业协会"),
        ("首批知识产权服务工作站", "项目", "设立机构", HUANGPU_GDD),
        ("首批知识产权服务工作站", "项目", "合作方", PATENT_CENTRE),
        ("技术合同服务点", "项目", "设立机构", "市科技创新委"),
        # centres, platforms, pilots
        ("从化区民营企业投诉中心", "中心", "所在地", "从化区"),
        ("广东省机器人协会维权中心", "中心", "依托机构", "广东省机器人协会"),
        ("“龙腾”行动关企合作微信群", "平台", "运营机构", "黄埔海关"),
        ("市工商联反映问题“直通车”渠道", "平台", "运营机构", "市工商联"),
        ("知识产权分类分级挖掘系统", "平台", "设立机构", "广州交易所集团"),
        ("产业导航试点", "试点", "运营机构", "广州市知识产权局"),
        # service bodies founded, and the market and zone that received a title
        ("广东知识产权纠纷人民调解委员会", "调解委员会", "设立机构", "黄埔区司法局"),
        ("广东知识产权纠纷人民调解委员会", "调解委员会", "合作方", "广东省知识产权研究与发展中心"),
        ("知识产权服务业联合会", "协会", "设立机构", HUANGPU_GDD),
        ("中港皮具城", "市场", "所获称号", "第五批知识产权保护规范化培育市场"),
        ("广州开发区", "功能区", "所获称号", "国家知识产权服务业集聚发展试验区"),
        # other service programmes
        ("专家库", "项目", "设立机构", "广东省知识产权研究与发展中心"),
        ("专家库", "项目", "合作方", "广东知识产权纠纷人民调解委员会"),
        ("专家咨询程序", "项目", "运营机构", "广东知识产权纠纷人民调解委员会"),
        ("卫星通信（北斗）产业专利导航", "项目", "运营机构", "广州市知识产权局"),
        ("智能装备产业专利导航", "项目", "运营机构", "广州市知识产权局"),
        ("生物医药产业专利导航", "项目", "运营机构", "广州市知识产权局"),
        ("体外诊断产业专利导航", "项目", "运营机构", "广州市知识产权局"),
        ("科技服务业发展专题", "项目", "设立机构", "市科技创新委"),
        ("科技创新券", "项目", "运营机构", "市科技创新委"),
        ("广州交易所集团知识产权交易和技术合同认定服务", "项目", "运营机构", "广州交易所集团"),
        ("易受侵害企业特殊保护机制", "项目", "设立机构", "市检察院"),
        ("黄埔区检察院与广州宝洁有限公司协作联络机制", "项目", "设立机构", "黄埔区人民检察院"),
        ("黄埔区检察院与广州宝洁有限公司协作联络机制", "项目", "合作方", "广州宝洁有限公司"),
        ("第二届广州市中小企业法律服务专家团", "项目", "设立机构", "市工商联"),
        ("广州海关知识产权案件调解制度", "项目", "设立机构", "广州海关"),
        ("侵权风险联合研判、跨区域跨部门执法联动、便利企业维权等十三项措施", "项目", "设立机构", "广州海关"),
        ("侵权风险联合研判、跨区域跨部门执法联动、便利企业维权等十三项措施", "项目", "运营机构", "广州海关"),
        ("重点企业知识产权联络员制度", "项目", "设立机构", "黄埔海关"),
        ("海珠区企业健康管家", "项目", "运营机构", "海珠区"),
        ("知识产权出版社合作项目", "项目", "设立机构", HUANGPU_GDD),
        ("知识产权出版社合作项目", "项目", "合作方", "知识产权出版社"),
        ("中国船舶工业综合技术经济研究院知识产权军民融合合作项目", "项目", "设立机构", HUANGPU_GDD),
        ("中国船舶工业综合技术经济研究院知识产权军民融合合作项目", "项目", "合作方", "中国船舶工业综合技术经济研究院"),
        ("高新技术企业高价值专利培育工程", "项目", "运营机构", HUANGPU_GDD),
        ("集体贯标模式", "项目", "运营机构", HUANGPU_GDD),
    }
    # the title goes to the zone itself (a place), the work to the government that governs it
    zone = next(r for r in rows if text(r, "thingLabel") == "广州开发区")
    assert text(zone, "thing") == ID + "place/guangzhou-development-district"


def test_documents_who_drafted_issued_or_signed_them_and_what_they_set_out(store):
    rows = run(store, "46-service-documents-issuers-drafters-and-signatories.rq")
    got = {text(r, "documentLabel"): (text(r, "classLabel"), text(r, "kindLabel"), text(r, "title"),
                                      text(r, "periodLabel"), text(r, "drafterLabel"), text(r, "issuerLabel"),
                                      parts(r, "signatories"), parts(r, "setsOut"), parts(r, "usedBy"))
           for r in rows}
    assert len(rows) == len(got)
    nothing = frozenset()
    assert got == {
        # 市发改委牵头制订并以市政府办公厅名义印发: the drafter is never the issuer
        "关于加快发展高端专业服务业的意见": (
            "政策文件", "意见", "关于加快发展高端专业服务业的意见", None, "市发改委", "市政府办公厅",
            nothing, frozenset({"对符合条件的知识产权企业和行业协会给予资金支持"}), nothing),
        "广州市以知识产权为核心的产业发展与资源配置导向目录": (
            "政策文件", "目录", "广州市以知识产权为核心的产业发展与资源配置导向目录", None, None, "广州市知识产权局",
            nothing, nothing, nothing),
        # 市商务委编印: the commission publishes the compilation
        "广州企业应对国际贸易救济典型案例汇编": (
            "出版物", "案例汇编", "广州企业应对国际贸易救济典型案例汇编", None, None, "市商务委",
            nothing, nothing, nothing),
        # no 《》 title: a descriptive label and no dcterms:title
        "黄埔区检察院与广州宝洁有限公司知识产权刑事保护合作备忘录": (
            "协议", "备忘录", None, None, None, None,
            frozenset({"黄埔区人民检察院", "广州宝洁有限公司"}),
            frozenset({"黄埔区检察院与广州宝洁有限公司协作联络机制"}), nothing),
        # the sentence leaves its subject out: no issuer is read into it
        "自主品牌重点培育名录": (
            "政策文件", "名录", "自主品牌重点培育名录", None, None, None, nothing, nothing, frozenset({"荔湾区"})),
        # one list named twice, both customs offices recommend enterprises for it
        "“龙腾”行动（2018）重点企业目录": (
            "政策文件", "名录", None, "2018年", None, None, nothing, nothing, frozenset({"广州海关", "黄埔海关"})),
    }
    opinion = next(r for r in rows if text(r, "documentLabel") == "关于加快发展高端专业服务业的意见")
    assert text(opinion, "document") == ID + "document/high-end-professional-services-opinion"


def test_mediation_caseloads_success_rate_and_experts(store):
    rows = run(store, "47-mediation-caseloads-and-success-rates.rq")
    got = {(text(r, "subjectLabel"), text(r, "subjectKind"), text(r, "indicatorLabel"), text(r, "categoryLabel"),
            text(r, "valueTypeLabel"), value(r, "value"), text(r, "unitLabel"), text(r, "statedAs"),
            text(r, "approximationLabel"), value(r, "wholeValue"), text(r, "actionBodyLabel"),
            text(r, "actionPartnerLabel")) for r in rows}
    assert len(rows) == len(got)
    committee, online = "广东知识产权纠纷人民调解委员会", "网络侵权纠纷"
    studio = "广州知识产权法院律师调解工作室"
    assert got == {
        # 已调处由区法院移交的网络侵权系列纠纷案件168宗，成功调解166宗，成功率达98.8%
        (committee, "调解委员会", "调解处理的纠纷案件数", online, "水平值", 168, "宗", None, None, None,
         committee, "黄埔区法院"),
        (committee, "调解委员会", "成功调解的纠纷案件数", online, "水平值", 166, "宗", None, None, None,
         committee, "黄埔区法院"),
        (committee, "调解委员会", "成功调解的纠纷案件数", online, "占比", Decimal("98.8"), "%", "成功率达98.8%",
         None, 168, committee, "黄埔区法院"),
        # 委托律师调解工作室进行调解案件800余件，已成功调解撤诉65宗: each keeps its own unit
        (studio, "工作站", "调解处理的纠纷案件数", None, "水平值", 800, "件", "800余件", "余", None,
         "广州知识产权法院", None),
        (studio, "工作站", "成功调解的纠纷案件数", None, "水平值", 65, "宗", None, None, None,
         "广州知识产权法院", None),
        # 遴选了200多名专家组建了“专家库”
        ("专家库", "项目", "专家人数", None, "水平值", 200, "名", "200多名", "余", None, "市司法局", None),
    }


def test_technology_contracts_and_vouchers_city_beside_exchange_group(store):
    rows = run(store, "48-technology-contracts-and-vouchers.rq")
    got = {(text(r, "indicatorLabel"), text(r, "subjectLabel"), text(r, "categoryLabel"), value(r, "value"),
            text(r, "unitLabel"), text(r, "approximationLabel"), text(r, "statedAs")) for r in rows}
    assert len(rows) == len(got)
    assert got == {
        # 2018年全市技术合同认定登记金额达到719亿元、登记数12,138项、免税约8亿元
        ("技术合同认定登记金额", "广州市", None, 719, "亿元", None, None),
        ("技术合同认定登记数", "广州市", None, 12138, "项", None, None),
        ("技术合同免税额", "广州市", None, 8, "亿元", "约", "约8亿元"),
        # 广州交易所集团: 登记技术合同135份，合同登记金额达13.82亿元，技术交易金额达13.64亿元
        ("技术合同认定登记数", "广州交易所集团", None, 135, "份", None, None),
        ("技术合同认定登记金额", "广州交易所集团", None, Decimal("13.82"), "亿元", None, None),
        ("技术交易金额", "广州交易所集团", None, Decimal("13.64"), "亿元", None, None),
        # 发放创新券1.17亿元，撬动企业开展科技创新投入3.91亿元以上；审核通过超算服务券19项，兑现近400万元
        ("发放券额", "广州市", "科技创新券", Decimal("1.17"), "亿元", None, None),
        ("撬动企业科技创新投入", "广州市", "科技创新券", Decimal("3.91"), "亿元", "超过", "3.91亿元以上"),
        ("审核通过的券数", "广州市", "超算服务券", 19, "项", None, None),
        ("兑现券额", "广州市", "超算服务券", 400, "万元", "近", "近400万元"),
    }
    assert {text(r, "periodLabel") for r in rows} == {"2018年"}


def test_titles_conferred_and_enterprises_put_on_lists(store):
    rows = run(store, "49-titles-conferred-and-enterprises-put-on-lists.rq")
    got = {(text(r, "how"), text(r, "titleLabel"), text(r, "recipientLabel"), text(r, "personName"),
            text(r, "byLabel"), value(r, "count"), text(r, "unitLabel")) for r in rows}
    assert len(rows) == len(got)
    assert got == {
        ("称号", "第五批知识产权保护规范化培育市场", "中港皮具城", None, None, None, None),
        # the seven agencies are not named: the title and their number only
        ("称号", "全国知识产权品牌服务机构", None, None, None, 7, "家"),
        ("称号", "国家知识产权服务业集聚发展试验区", "广州开发区", None, None, None, None),
        # a private person is a literal on the case, never a node
        ("称号", "2017年广东知识产权保护十大经典案例", "沈某假冒注册商标案", "沈某", None, None, None),
        ("称号", "纳入《自主品牌重点培育名录》", "立白", None, "荔湾区", None, None),
        ("称号", "纳入《自主品牌重点培育名录》", "广药集团", None, "荔湾区", None, None),
        ("名录", "自主品牌重点培育名录", None, None, "荔湾区", 10, "家"),
        ("名录", "“龙腾”行动（2018）重点企业目录", None, None, "广州海关", 17, "家"),
        ("名录", "“龙腾”行动（2018）重点企业目录", None, None, "黄埔海关", 7, "家"),
    }
