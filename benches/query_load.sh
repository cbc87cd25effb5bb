#!/usr/bin/env bash
# Load-time benchmark of `tkg query`: generates a large graph JSON (default 1,000,000 nodes:
# 30% people, organizations and places, 70% events with an agent, a patient and a mention
# sentence each) and times `tkg query GRAPH stats` and `central` with /usr/bin/time -v
# (wall time and peak RSS).
#
#   benches/query_load.sh [NODES] [WORKDIR]
#
# The generated file is deterministic (fixed seed) and left in WORKDIR (default: a
# temporary folder, removed at the end unless KEEP=1).
set -euo pipefail
nodes=${1:-1000000}
work=${2:-$(mktemp -d)}
root=$(cd "$(dirname "$0")/.." && pwd)
mkdir -p "$work"
graph="$work/large-graph.json"

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
tkg="$root/target/release/tkg"

python3 - "$nodes" "$graph" <<'EOF'
import json, random, sys
n, path = int(sys.argv[1]), sys.argv[2]
rng = random.Random(7)
entities = max(3, n * 3 // 10)
events = n - entities
kinds = ["person", "organization", "location"]
docs = [{"id": f"doc-{d}", "title": None, "date": f"2025-{1 + d % 12:02d}-{1 + d % 28:02d}",
         "origin": "generated", "content_hash": f"{d:016x}"} for d in range(max(1, events // 20))]
def evidence(doc, start, words):
    return {"doc": doc, "start": start, "end": start + 9, "sentence": words}
with open(path, "w") as f:
    f.write('{"schema":"timeline-kg/graph","version":1,"directed":true,"multigraph":true,')
    f.write('"graph":' + json.dumps({"documents": docs}) + ',"nodes":[')
    first = True
    for i in range(entities):
        kind = kinds[i % 3]
        node = {"id": f"{kind}:e{i}", "kind": kind, "label": f"Entity {i}", "aliases": [f"E{i}"],
                "mentions": [evidence(f"doc-{i % len(docs)}", i % 500,
                                      f"Entity {i} was mentioned in a sentence of ordinary length here.")]}
        f.write(("" if first else ",") + json.dumps(node)); first = False
    for j in range(events):
        doc = f"doc-{j % len(docs)}"
        day = 1 + j % 28
        node = {"id": f"event:{doc}:{j}", "kind": "event", "label": f"2025-03-{day:02d} met",
                "aliases": [], "mentions": [evidence(doc, j % 900, f"Entity {j % entities} met Entity {(j * 7) % entities} on March {day}, officials said.")],
                "trigger": "met", "lemma": "meet", "event_type": "consult",
                "date": f"2025-03-{day:02d}", "date_text": f"March {day}",
                "date_start": f"2025-03-{day:02d}", "date_end": f"2025-03-{day + 1:02d}"}
        f.write("," + json.dumps(node))
    f.write('],"edges":[')
    first = True
    for j in range(events):
        doc = f"doc-{j % len(docs)}"
        ev = f"event:{doc}:{j}"
        a = rng.randrange(entities); b = rng.randrange(entities)
        sent = f"Entity {a} met Entity {b}, officials said."
        for s, t, rel in ((f"{kinds[a % 3]}:e{a}", ev, "agent"), (ev, f"{kinds[b % 3]}:e{b}", "patient")):
            edge = {"source": s, "target": t, "key": 0, "relation": rel,
                    "evidence": [evidence(doc, j % 900, sent)]}
            f.write(("" if first else ",") + json.dumps(edge)); first = False
    f.write("]}\n")
EOF

ls -l "$graph"
for question in stats "central --top 5"; do
    echo "== tkg query GRAPH $question"
    # shellcheck disable=SC2086
    /usr/bin/time -v "$tkg" query "$graph" $question 2> "$work/time.txt" | tail -n 8
    grep -E "Elapsed \(wall clock\)|User time|System time|Percent of CPU|Maximum resident set size" "$work/time.txt"
done
[ "${KEEP:-0}" = 1 ] || rm -rf "$work"
