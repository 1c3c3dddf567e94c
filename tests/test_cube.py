"""The statistics obey the RDF Data Cube integrity constraints that matter here (W3C qb §11)."""

from __future__ import annotations

PREFIXES = """PREFIX qb: <http://purl.org/linked-data/cube#>
PREFIX ipg: <https://ipgraph.example.org/def/>
PREFIX sdmx-measure: <http://purl.org/linked-data/sdmx/2009/measure#>
PREFIX sdmx-attribute: <http://purl.org/linked-data/sdmx/2009/attribute#>
PREFIX sdmx-dimension: <http://purl.org/linked-data/sdmx/2009/dimension#>
"""


def test_ic1_each_observation_has_one_data_set(store):
    rows = store.select(PREFIXES + """SELECT ?obs (COUNT(?ds) AS ?n) WHERE {
        ?obs a qb:Observation OPTIONAL { ?obs qb:dataSet ?ds } } GROUP BY ?obs HAVING (COUNT(?ds) != 1)""")
    assert rows == []


def test_ic11_every_dimension_has_a_value(store):
    rows = store.select(PREFIXES + """SELECT ?obs ?dim WHERE {
        ?obs qb:dataSet/qb:structure/qb:component/qb:dimension ?dim .
        FILTER NOT EXISTS { ?obs ?dim ?value } }""")
    assert rows == []


def test_ic12_no_two_observations_share_all_dimension_values(store):
    rows = store.select(PREFIXES + """SELECT ?a ?b WHERE {
        ?a qb:dataSet ?ds . ?b qb:dataSet ?ds . FILTER(STR(?a) < STR(?b))
        FILTER NOT EXISTS {
          ?ds qb:structure/qb:component/qb:dimension ?dim .
          ?a ?dim ?va . ?b ?dim ?vb . FILTER(?va != ?vb) } }""")
    assert rows == []


def test_ic14_every_observation_has_its_measure_and_unit(store):
    rows = store.select(PREFIXES + """SELECT ?obs WHERE { ?obs a qb:Observation .
        FILTER NOT EXISTS { ?obs sdmx-measure:obsValue ?v ; sdmx-attribute:unitMeasure ?u } }""")
    assert rows == []


def test_a_change_shares_its_levels_indicator_subject_and_period(store):
    rows = store.select(PREFIXES + """SELECT ?change WHERE {
        ?change ipg:valueType <https://ipgraph.example.org/id/concept/yoy-change> ; ipg:changeOf ?level .
        ?change ipg:indicator ?ci ; ipg:subject ?cs ; sdmx-dimension:refPeriod ?cp .
        ?level ipg:indicator ?li ; ipg:subject ?ls ; sdmx-dimension:refPeriod ?lp .
        FILTER(?ci != ?li || ?cs != ?ls || ?cp != ?lp) }""")
    assert rows == []


def test_there_are_observations(store):
    assert len(store.select(PREFIXES + "SELECT ?obs WHERE { ?obs a qb:Observation }")) > 40
