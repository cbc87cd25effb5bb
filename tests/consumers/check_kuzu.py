#!/usr/bin/env python3
"""Loads the `neo4j` CSV folder into Kùzu (embedded) and checks what it holds.

  python check_kuzu.py GRAPH.json FOLDER

Tables are made from the CSV headers in neo4j-admin syntax: `name:ID(space)` is the
primary key, `:LABEL`/`:TYPE` name the table, `:int`, `:date`, `string[]`, `int[]` give
the column types (lists split at the U+001F array delimiter), `:START_ID`/`:END_ID` are the
ends. Each file is loaded with COPY ... FROM (LOAD FROM file ...). Checks: row counts per
table equal the JSON graph's, names/aliases/titles come back (control characters as
spaces), evidence offsets and dates match, and the dated events' agents come back in date
order.
"""
import csv
import glob
import os
import re
import sys
import tempfile

import kuzu

from expect import KIND_LABEL, REL_TYPE, Graph, check, clean, short

DELIM = "\x1f"
TYPES = {"": "STRING", "string": "STRING", "int": "INT64", "long": "INT64", "date": "DATE",
         "string[]": "STRING[]", "int[]": "INT64[]", "long[]": "INT64[]"}


def header(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return next(csv.reader(fh))


def columns(head):
    """(position, name, kuzu type, role) for each header field."""
    out = []
    for i, h in enumerate(head):
        name, _, ty = h.partition(":")
        if ty.startswith("ID("):
            out.append((i, name, "STRING", "id"))
        elif ty.startswith("START_ID"):
            out.append((i, "_from", "STRING", "from"))
        elif ty.startswith("END_ID"):
            out.append((i, "_to", "STRING", "to"))
        elif name == "" and ty in ("LABEL", "TYPE"):
            out.append((i, ty, None, "skip"))
        else:
            check(ty in TYPES, f"unknown header type {h!r}")
            out.append((i, name, TYPES[ty], "prop"))
    return out


def projection(cols):
    parts = []
    for i, name, ty, role in cols:
        c = f"column{i}"
        if role == "skip":
            continue
        if ty == "STRING[]":
            parts.append(f"string_split({c}, '{DELIM}')")
        elif ty == "INT64[]":
            parts.append(f"CAST(string_split({c}, '{DELIM}') AS INT64[])")
        elif ty in ("INT64", "DATE"):
            parts.append(f"CAST({c} AS {ty})")
        else:
            parts.append(c)
    return ", ".join(parts)


def load(conn, table, path, cols):
    q = (f"COPY {table} FROM (LOAD FROM '{path}' (header=false, skip=1, parallel=false) "
         f"RETURN {projection(cols)})")
    conn.execute(q)


def rows(conn, q, params=None):
    r = conn.execute(q, params or {})
    out = []
    while r.has_next():
        out.append(r.get_next())
    return out


def main():
    graph_path, folder = sys.argv[1], sys.argv[2]
    exp = Graph(graph_path)
    with tempfile.TemporaryDirectory() as tmp:
        conn = kuzu.Connection(kuzu.Database(os.path.join(tmp, "db")))
        # The files import.sh hands neo4j-admin, which must be every CSV of the folder.
        script = open(os.path.join(folder, "import.sh"), encoding="utf-8").read()
        node_files = [os.path.join(folder, f) for f in re.findall(r"--nodes=(\S+)", script)]
        rel_files = [os.path.join(folder, f) for f in re.findall(r"--relationships=(\S+)", script)]
        on_disk = sorted(glob.glob(os.path.join(folder, "*.csv")))
        check(sorted(node_files + rel_files) == on_disk, f"import.sh lists {node_files + rel_files}, folder has {on_disk}")
        check(all(os.path.basename(f).startswith(("nodes_", "documents")) for f in node_files), "import.sh: --nodes")
        check(all(os.path.basename(f).startswith("rels_") for f in rel_files), "import.sh: --relationships")
        for path in node_files:
            cols = columns(header(path))
            table = "Document" if path.endswith("documents.csv") else \
                KIND_LABEL[os.path.basename(path)[len("nodes_"):-len(".csv")]]
            defs = ", ".join(f"{n} {t}" for _, n, t, role in cols if role in ("id", "prop"))
            key = next(n for _, n, _, role in cols if role == "id")
            conn.execute(f"CREATE NODE TABLE {table}({defs}, PRIMARY KEY({key}))")
            load(conn, table, path, cols)
        pairs = {}
        for path in rel_files:
            rel, src, dst = os.path.basename(path)[len("rels_"):-len(".csv")].rsplit("_", 2)
            pairs.setdefault(REL_TYPE[rel], []).append((KIND_LABEL[src], KIND_LABEL[dst], path))
        for rtype, ps in sorted(pairs.items()):
            cols = columns(header(ps[0][2]))
            props = ", ".join(f"{n} {t}" for _, n, t, role in cols if role == "prop")
            ends = ", ".join(f"FROM {a} TO {b}" for a, b, _ in ps)
            conn.execute(f"CREATE REL TABLE {rtype}({ends}, {props})")
            for a, b, path in ps:
                cols = columns(header(path))
                conn.execute(
                    f"COPY {rtype} FROM (LOAD FROM '{path}' (header=false, skip=1, parallel=false) "
                    f"RETURN {projection(cols)}) (from='{a}', to='{b}')")
        # Counts.
        for kind, label in KIND_LABEL.items():
            n = rows(conn, f"MATCH (n:{label}) RETURN count(n)")[0][0]
            check(n == exp.kind_counts()[kind], f"{label}: {n} != {exp.kind_counts()[kind]}")
        n = rows(conn, "MATCH (d:Document) RETURN count(d)")[0][0]
        check(n == len(exp.documents), f"documents: {n}")
        total_rels = 0
        for rel, rtype in REL_TYPE.items():
            want = exp.relation_counts().get(rel, 0)
            n = rows(conn, f"MATCH ()-[r:{rtype}]->() RETURN count(r)")[0][0] if rtype in pairs else 0
            check(n == want, f"{rtype}: {n} != {want}")
            total_rels += n
        # Values.
        got = {}
        for label in KIND_LABEL.values():
            for nid, name, aliases, starts in rows(
                    conn, f"MATCH (n:{label}) RETURN n.id, n.name, n.aliases, n.evidence_starts"):
                got[nid] = (name, aliases or [], starts or [])
        for node in exp.nodes:
            nid = clean(node["id"])
            check(nid in got, f"node {short(nid)} missing")
            name, aliases, starts = got[nid]
            check(name == clean(node["label"]), f"name of {short(nid)}: {short(name)}")
            check(aliases == [clean(a) for a in node["aliases"]], f"aliases of {short(nid)}: {aliases}")
            check(starts == [m["start"] for m in node["mentions"]], f"evidence of {short(nid)}")
        titles = sorted((r[0] or "") for r in rows(conn, "MATCH ()-[r:ROLE]->() RETURN r.title")) \
            if "ROLE" in pairs else []
        want_titles = sorted(clean(e["title"]) or "" for e in exp.edges if e["relation"] == "role")
        check(titles == want_titles, f"titles {titles} != {want_titles}")
        agents = [tuple(r) for r in rows(
            conn, "MATCH (a)-[:AGENT]->(e:Event) WHERE e.date_start IS NOT NULL "
                  "RETURN e.id, CAST(e.date_start AS STRING), a.name ORDER BY e.date_start, e.id, a.name")] \
            if "AGENT" in pairs else []
        check(agents == exp.dated_agents(), f"dated agents {short(agents)} != {short(exp.dated_agents())}")
        print(f"kuzu: {len(exp.nodes)} nodes + {len(exp.documents)} documents, {total_rels} relationships "
              f"from {len(node_files) + len(rel_files)} CSV files, {len(agents)} dated agent rows in order")


if __name__ == "__main__":
    main()
