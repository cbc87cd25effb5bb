#!/usr/bin/env python3
"""Loads a timeline-kg JSON graph with networkx and checks it against expected counts.

  python check_networkx.py GRAPH.json NODES EDGES
"""
import json
import sys

import networkx as nx

path, nodes, edges = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
with open(path, encoding="utf-8") as fh:
    data = json.load(fh)
g = nx.node_link_graph(data, edges="edges")
assert g.is_directed() and g.is_multigraph(), "expected a directed multigraph"
assert g.number_of_nodes() == nodes, (g.number_of_nodes(), nodes)
assert g.number_of_edges() == edges, (g.number_of_edges(), edges)
for _, attrs in g.nodes(data=True):
    assert attrs["kind"] in {"person", "organization", "location", "event"}, attrs
    assert isinstance(attrs["mentions"], list) and attrs["mentions"], attrs
for _, _, attrs in g.edges(data=True):
    assert attrs["relation"], attrs
print("networkx: %d nodes, %d edges" % (nodes, edges))
