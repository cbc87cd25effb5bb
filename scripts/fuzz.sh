#!/usr/bin/env bash
# Runs every fuzz target of fuzz/ (cargo-fuzz, nightly toolchain) for SECONDS each (default
# 300), one target at a time in a single process, so it takes one core. Never called by CI:
# the same oracles run briefly in `cargo test` (tests/test_hostile.rs).
#
#   scripts/fuzz.sh [SECONDS]            # all targets
#   TARGETS="time graph" scripts/fuzz.sh 600
#
# Seeds are made fresh in fuzz/corpus/ from examples/articles/ (texts, `tkg extract` lines,
# a built graph); crashes land in fuzz/artifacts/TARGET/ and the run goes on (fork mode with
# -ignore_crashes). A summary line per target is printed at the end and kept in
# fuzz/corpus/summary.txt. Minimize a crash with `cargo +nightly fuzz tmin TARGET FILE -s none`
# and keep it under fuzz/regressions/TARGET/ (see fuzz/README.md).
set -euo pipefail

secs=${1:-300}
targets=${TARGETS:-"input text time pipeline annotation_line graph"}
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install cargo-fuzz
fi
if ! rustup run nightly rustc --version >/dev/null 2>&1; then
    rustup toolchain install nightly --profile minimal
fi

# Seeds from the bundled example articles.
cargo build --release --bin tkg </dev/null
tkg=target/release/tkg
corpus=fuzz/corpus
mkdir -p "$corpus"
seedtmp=$(mktemp -d)
trap 'rm -rf "$seedtmp"' EXIT
for t in $targets; do mkdir -p "$corpus/$t"; done
python3 - "$corpus" examples/articles/news.jsonl <<'PY'
import json, os, sys
corpus, articles = sys.argv[1], sys.argv[2]
docs = [json.loads(l) for l in open(articles, encoding="utf-8") if l.strip()]
def put(target, name, data):
    d = os.path.join(corpus, target)
    if os.path.isdir(d):
        open(os.path.join(d, name), "wb").write(data)
for i, doc in enumerate(docs):
    text = doc["text"].encode("utf-8")
    for para, chunk in enumerate(text.split(b"\n")):
        if chunk.strip():
            put("text", f"seed-{i}-{para}", chunk)
            # time and pipeline take a DCT from their first three bytes (odd first byte).
            put("time", f"seed-{i}-{para}", b"\xfd\x48\x04" + chunk)
            put("pipeline", f"seed-{i}-{para}", b"\xfd\x48\x04" + chunk[:1500])
    line = json.dumps(doc, ensure_ascii=False).encode("utf-8")
    put("input", f"seed-{i}", b"\x01\xff" + line + b"\n")
    put("input", f"seed-txt-{i}", b"\x00\xff" + text)
put("input", "seed-mixed", b"\x03\x40" + "\n".join([
    '{"id":"a","text":"Hamas met Israel on Monday.","date":"2025-03-05"}',
    '{broken', '', '{"id":"b"}', '{"id":7,"text":"Two.","dct":"2025-02-30"}',
    '{"text":"Four.","date":5}', '[{"id":"x","text":"A."}]']).encode("utf-8"))
PY
"$tkg" extract examples/articles/news.jsonl -o "$seedtmp/ann.jsonl" 2>/dev/null || true
if [ -d "$corpus/annotation_line" ]; then
    split -l 1 -a 3 "$seedtmp/ann.jsonl" "$corpus/annotation_line/seed-"
fi
if [ -d "$corpus/graph" ]; then
    head -n 1 examples/articles/news.jsonl > "$seedtmp/one.jsonl"
    "$tkg" build "$seedtmp/one.jsonl" -o "$corpus/graph/seed-one" 2>/dev/null || true
fi
# The time lexicon as a dictionary, so the fuzzer spends its time on dates.
awk -F' = ' '!/^#/ && !/^\[/ && NF == 2 { gsub(/"/, "", $1); print "\"" $1 "\"" }' \
    data/time/lexicon.txt | sort -u > "$corpus/time.dict"

summary="$corpus/summary.txt"
: > "$summary"
for t in $targets; do
    case $t in
        time | pipeline) dict=$corpus/time.dict ;;
        input | annotation_line | graph) dict=fuzz/dicts/json.dict ;;
        *) dict= ;;
    esac
    mkdir -p "fuzz/artifacts/$t"
    log=$corpus/$t.log
    echo "== $t: ${secs}s" >&2
    (cd fuzz && cargo +nightly fuzz run "$t" -s none -a -- \
        -fork=1 -ignore_crashes=1 -ignore_timeouts=1 -ignore_ooms=1 \
        -max_total_time="$secs" -timeout=20 -rss_limit_mb=2048 -max_len=4096 \
        ${dict:+-dict="$root/$dict"}) </dev/null >"$log" 2>&1 || true
    last=$(grep -E '^#[0-9]+: cov:' "$log" | tail -n 1 || true)
    crashes=$(find "fuzz/artifacts/$t" -type f | wc -l)
    echo "$t ${secs}s $last; artifacts: $crashes" | tee -a "$summary"
done
