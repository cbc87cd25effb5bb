#!/usr/bin/env python3
"""Runs `tkg extract` on the development gold files, scores it with the shared scorer and
fails when a figure falls under its floor in .ci/floors.json.

  python3 scripts/check_quality.py --tkg target/release/tkg --gold ../shared/gold --floors .ci/floors.json
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile


def score(gold_dir, gold, system, extra):
    cmd = [sys.executable, os.path.join(gold_dir, "score.py"), os.path.join(gold_dir, gold), system, "--json-only", *extra]
    out = subprocess.run(cmd, capture_output=True, text=True, check=True).stdout.strip().splitlines()
    return json.loads(out[-1])["metrics"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--tkg", required=True)
    ap.add_argument("--gold", required=True)
    ap.add_argument("--floors", required=True)
    args = ap.parse_args()
    floors = json.load(open(args.floors))
    failed = []
    with tempfile.TemporaryDirectory() as tmp:
        for run in floors["runs"]:
            sys_path = os.path.join(tmp, run["gold"] + ".sys.jsonl")
            subprocess.run([args.tkg, "extract", os.path.join(args.gold, run["gold"]), "-o", sys_path], check=True)
            metrics = score(args.gold, run["gold"], sys_path, run.get("args", []))
            for name, floor in sorted(run["floors"].items()):
                got = 100 * metrics[name]["f1"]
                ok = got >= floor
                print("%-22s %-32s F1 %6.2f  floor %6.2f  %s" % (run["gold"], name + " " + " ".join(run.get("args", [])), got, floor, "ok" if ok else "BELOW FLOOR"))
                if not ok:
                    failed.append((run["gold"], name, got, floor))
    if failed:
        print("%d figure(s) below their floor" % len(failed), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
