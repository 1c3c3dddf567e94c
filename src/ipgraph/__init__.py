"""ipgraph: Guangzhou's 2018 intellectual-property report as a linked-data knowledge graph."""

__version__ = "0.1.0"
