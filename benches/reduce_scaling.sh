#!/usr/bin/env bash
# The reduce step's scaling (issue 11): time and peak RSS of `tkg build ANNOTATIONS` (one
# thread, the annotation lines of `tkg extract`) at 1x, 2x, 4x and 8x a corpus.
#
#   benches/reduce_scaling.sh [--base-repeats N]      (default 20: 1x = 1,200 articles)
#
# 1x is ../shared/gold/meantime_full.dev.jsonl repeated N times with fresh ids (the 60
# MEANTIME dev articles; examples/articles/news.jsonl when absent); it is extracted once, and
# kx is the annotation file repeated k times with fresh ids. Every copy gets a distinct last
# line, since tkg skips a text it has already seen: the graph grows as with fresh news. Files go to $BENCH_DIR
# (default /tmp/tkg-bench), never into the repository. Prints a Markdown table.
set -euo pipefail
cd "$(dirname "$0")/.."
REPEATS=20
while [ $# -gt 0 ]; do
  case "$1" in
    --base-repeats) REPEATS="$2"; shift 2 ;;
    *) echo "reduce_scaling.sh: unknown option $1" >&2; exit 2 ;;
  esac
done
BENCH_DIR="${BENCH_DIR:-/tmp/tkg-bench}"
mkdir -p "$BENCH_DIR"
SOURCE=../shared/gold/meantime_full.dev.jsonl
[ -f "$SOURCE" ] || SOURCE=examples/articles/news.jsonl
cargo build --release --quiet
TKG=target/release/tkg

python3 - "$SOURCE" "$BENCH_DIR/reduce-base.jsonl" "$REPEATS" <<'PY'
import json, sys
src, dst, n = sys.argv[1], sys.argv[2], int(sys.argv[3])
docs = [json.loads(l) for l in open(src, encoding="utf-8") if l.strip()]
with open(dst, "w", encoding="utf-8") as out:
    for r in range(n):
        for d in docs:
            text = d["text"] if r == 0 else d["text"] + f"\n(Ref. {r}.)"
            out.write(json.dumps({"id": f"{d['id']}#{r}", "dct": d.get("dct") or d.get("date"), "text": text}, ensure_ascii=False) + "\n")
PY
RAYON_NUM_THREADS=1 "$TKG" extract "$BENCH_DIR/reduce-base.jsonl" -o "$BENCH_DIR/reduce-1x.ann.jsonl"

echo "| corpus | articles | corpus MB | annotations MB | reduce time s (wall) | reduce CPU s | peak RSS MB | graph MB |"
echo "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"
for k in 1 2 4 8; do
  ann="$BENCH_DIR/reduce-${k}x.ann.jsonl"
  if [ "$k" != 1 ]; then
    python3 - "$BENCH_DIR/reduce-1x.ann.jsonl" "$ann" "$k" <<'PY'
import json, sys
src, dst, k = sys.argv[1], sys.argv[2], int(sys.argv[3])
lines = [l for l in open(src, encoding="utf-8") if l.strip()]
with open(dst, "w", encoding="utf-8") as out:
    for r in range(k):
        for l in lines:
            d = json.loads(l)
            d["id"] = f"{d['id']}/{r}"
            if r:  # a distinct text (tkg skips texts it has seen); offsets stay valid
                d["text"] += f"\n(Copy {r}.)"
            out.write(json.dumps(d, ensure_ascii=False) + "\n")
PY
  fi
  rm -f "$BENCH_DIR/reduce-${k}x.graph.json"  # replacing the last run's graph is not the build's cost
  RAYON_NUM_THREADS=1 /usr/bin/time -v "$TKG" build "$ann" -o "$BENCH_DIR/reduce-${k}x.graph.json" \
    2>"$BENCH_DIR/reduce-${k}x.time" >/dev/null
  python3 - "$k" "$REPEATS" "$BENCH_DIR/reduce-base.jsonl" "$ann" "$BENCH_DIR/reduce-${k}x.time" \
    "$BENCH_DIR/reduce-${k}x.graph.json" <<'PY'
import os, re, sys
k, rep, base, ann, tlog, graph = int(sys.argv[1]), int(sys.argv[2]), *sys.argv[3:]
t = open(tlog).read()
f = lambda name: re.search(re.escape(name) + r":\s*(\S+)", t).group(1)
secs = 0.0
for part in f("Elapsed (wall clock) time (h:mm:ss or m:ss)").split(":"):
    secs = secs * 60 + float(part)
cpu = float(f("User time (seconds)")) + float(f("System time (seconds)"))
articles = sum(1 for _ in open(ann, encoding="utf-8"))
mb = lambda p: os.path.getsize(p) / 1e6
print(f"| {k}x | {articles:,} | {mb(base) * k:.1f} | {mb(ann):.1f} | {secs:.2f} | {cpu:.2f} | "
      f"{int(f('Maximum resident set size (kbytes)')) / 1024:.0f} | {mb(graph):.1f} |")
PY
done
