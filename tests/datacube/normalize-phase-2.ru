# Section 10.1 Normalization algorithm, Phase 2: Push down attachment levels
# Copied verbatim from "The RDF Data Cube Vocabulary", W3C Recommendation 16 January 2014,
# http://www.w3.org/TR/2014/REC-vocab-data-cube-20140116/#normalize-algorithm
# Copyright (c) 2012-2014 W3C (R) (MIT, ERCIM, Keio, Beihang), All Rights Reserved.
# W3C liability, trademark and document use rules apply:
# http://www.w3.org/Consortium/Legal/copyright-documents

PREFIX qb:             <http://purl.org/linked-data/cube#>

# Dataset attachments
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp ;
             qb:componentAttachment qb:DataSet .
    ?dataset qb:structure [qb:component ?spec];
             ?comp ?value .
    ?obs     qb:dataSet ?dataset.
};

# Slice attachments
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp;
             qb:componentAttachment qb:Slice .
    ?dataset qb:structure [qb:component ?spec];
             qb:slice ?slice .
    ?slice ?comp ?value;
           qb:observation ?obs .
};

# Dimension values on slices
INSERT {
    ?obs  ?comp ?value
} WHERE {
    ?spec    qb:componentProperty ?comp .
    ?comp a  qb:DimensionProperty .
    ?dataset qb:structure [qb:component ?spec];
             qb:slice ?slice .
    ?slice ?comp ?value;
           qb:observation ?obs .
}
