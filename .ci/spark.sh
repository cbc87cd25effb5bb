#!/usr/bin/env bash
# CI for the Spark map/reduce path (issue 11): installs pyspark in the venv, makes sure Java is
# there, runs scripts/spark_build.py with local[2] on the MEANTIME dev articles plus a file
# holding malformed lines, and compares the graph with `tkg build` on one machine: byte for
# byte, in JSON and in DOT, with two partition counts. Exits non-zero on any mismatch.
# Run from the repository root with ../shared beside it (as .ci/run does); ~30-60 s.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV="${TKG_VENV:-$PWD/.venv}"
[ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
PY="$VENV/bin/python"
"$PY" -c "import pyspark" 2>/dev/null \
  || "$VENV/bin/pip" install -q --disable-pip-version-check pyspark
if ! command -v java >/dev/null 2>&1 && [ -z "${JAVA_HOME:-}" ]; then
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq openjdk-17-jre-headless >/dev/null) \
    || { echo "spark.sh: java is missing and could not be installed" >&2; exit 1; }
fi
[ -x target/release/tkg ] || cargo build --release --quiet
TKG=target/release/tkg

GOLD=../shared/gold/meantime_full.dev.jsonl
[ -f "$GOLD" ] || { echo "spark.sh: $GOLD not found" >&2; exit 1; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
BAD="$WORK/with-bad-lines.jsonl"
{
  printf '%s\n' '{"id": "ok-1", "date": "2025-03-05", "text": "Hamas rejected the proposal on Monday, officials in Cairo said."}'
  printf '%s\n' '{"id": "broken", "text": "no closing brace"'
  printf '%s\n' '{"id": "not-text", "text": 42}'
  printf '\n'
  printf '%s\n' '{"text": "The European Commission fined Google on Tuesday.", "date": "2025-03-05"}'
} > "$BAD"

# The single-machine reference: exit 1 (two bad lines skipped), the rest in the graph.
set +e
"$TKG" build "$GOLD" "$BAD" -o "$WORK/direct.json" 2>"$WORK/direct.err"; direct_rc=$?
"$TKG" build -f dot "$GOLD" "$BAD" -o "$WORK/direct.dot" 2>/dev/null
set -e
[ "$direct_rc" = 1 ] || { echo "spark.sh: tkg build exited $direct_rc, expected 1" >&2; cat "$WORK/direct.err" >&2; exit 1; }

same() { # direct spark -> 0 when the files are byte-identical (origins included: the
  # driver adds tkg_origin to every line and tkg extract keeps it)
  cmp -s "$1" "$2"
}

start=$(date +%s)
for run in "json 2" "dot 7"; do
  set -- $run
  fmt=$1 parts=$2
  out="$WORK/spark.$fmt"
  set +e
  "$PY" scripts/spark_build.py --master 'local[2]' --partitions "$parts" -f "$fmt" \
    "$GOLD" "$BAD" -o "$out" 2>"$WORK/spark.err"; rc=$?
  set -e
  cat "$WORK/spark.err"
  [ "$rc" = 1 ] || { echo "spark.sh: spark_build.py exited $rc, expected 1 (two bad lines)" >&2; exit 1; }
  for line in 2 3; do
    grep -q "with-bad-lines.jsonl:$line:" "$WORK/spark.err" \
      || { echo "spark.sh: the bad line $line was not reported with file and line" >&2; exit 1; }
  done
  if same "$WORK/direct.$fmt" "$out"; then
    echo "spark.sh: $fmt, $parts partitions: the Spark graph equals the single-machine graph"
  else
    echo "spark.sh: $fmt, $parts partitions: the Spark graph DIFFERS from tkg build" >&2
    diff <(head -c 2000 "$WORK/direct.$fmt") <(head -c 2000 "$out") >&2 || true
    exit 1
  fi
done

# Clear failures: missing binary, missing input.
if "$PY" scripts/spark_build.py --tkg "$WORK/no-such-tkg" "$GOLD" -o "$WORK/x.json" 2>"$WORK/e1"; then
  echo "spark.sh: a missing tkg binary did not fail" >&2; exit 1
fi
grep -q "tkg binary not found" "$WORK/e1" || { cat "$WORK/e1" >&2; exit 1; }
if "$PY" scripts/spark_build.py "$WORK/missing.jsonl" -o "$WORK/x.json" 2>"$WORK/e2"; then
  echo "spark.sh: a missing input did not fail" >&2; exit 1
fi
grep -q "no such file" "$WORK/e2" || { cat "$WORK/e2" >&2; exit 1; }
echo "spark.sh: passed in $(( $(date +%s) - start )) s"
