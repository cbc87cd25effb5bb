#!/usr/bin/env python3
"""Build the timeline graph on Apache Spark: `tkg extract -` as the map step, `tkg build` as the reduce.

    python3 scripts/spark_build.py [--master URL] [--tkg PATH] [--partitions N] [--date D]
                                   [-f FORMAT] INPUT... -o GRAPH
    spark-submit --master yarn --files target/release/tkg scripts/spark_build.py --tkg ./tkg \\
                 hdfs:///news/2025/*.jsonl -o graph.json

INPUT: JSON Lines document files ({"id", "text", "date"|"dct", "title"}), or folders of
`.jsonl` files (taken recursively, in sorted order), or any URL Spark reads (hdfs://, s3a://).

Map: every input line becomes a record keyed by (input number, line number). The driver-side
code validates each line the way `tkg extract` does (JSON object, "text" a string, "id" a string
or number, "title" and "date" strings); a bad line becomes an error record, reported at the end
with its file and line, and never reaches the pipe. Good lines get two fields injected
textually (the rest of the line is passed through byte for byte): "id" when the document has
none (`<file stem>:<line>`, what `tkg build` would give it) and "tkg_origin" (`<file>:<line>`, so
the graph names the original file and line, as a single-machine build does). Each partition is
piped through `tkg extract -` with `RDD.pipe`; a non-zero exit of 1 (some documents rejected)
does not fail the task, only 2 (fatal) does. Outputs are matched back to their inputs by
document id within the partition (tkg writes one line per accepted document, in input order),
so a document that tkg itself rejects becomes an error record too, instead of shifting the
others.

Reduce: the annotation lines come back to the driver sorted by (input, line), are written to a
temporary file and `tkg build TMP -f FORMAT -o GRAPH` makes the graph: the same bytes as
`tkg build INPUT...` on one machine, whatever the number of partitions.

Exit status: 0 clean, 1 some documents failed (the graph holds the rest), 2 fatal (missing
binary, Java, pyspark or input; Spark failure; no document at all).
"""

import argparse
import json
import os
import shlex
import shutil
import subprocess
import sys
import tempfile

EXTS = (".jsonl", ".json", ".ndjson")


def die(message, code=2):
    print(f"spark_build: {message}", file=sys.stderr)
    sys.exit(code)


def parse_args(argv):
    p = argparse.ArgumentParser(
        prog="spark_build.py",
        description="Build a timeline-kg graph on Apache Spark (map: tkg extract -, reduce: tkg build).",
    )
    p.add_argument("inputs", nargs="+", metavar="INPUT", help="JSON Lines files, folders or Spark URLs")
    p.add_argument("-o", "--output", required=True, metavar="GRAPH", help="graph file to write")
    p.add_argument("-f", "--format", default="json", help="export format, as in `tkg build -f` (default json)")
    p.add_argument("--master", help="Spark master URL (default: spark-submit's, else local[*])")
    p.add_argument("--tkg", default="target/release/tkg", help="tkg binary (default target/release/tkg)")
    p.add_argument("--partitions", type=int, help="number of partitions for the map step")
    p.add_argument("--date", help="publication date (YYYY-MM-DD) for documents that carry none")
    return p.parse_args(argv)


def is_url(path):
    return "://" in path and not path.startswith("file://")


def expand_inputs(inputs):
    """(display path, read path, id stem) for every input file, in the order tkg reads them."""
    out = []
    for given in inputs:
        if is_url(given):
            stem = os.path.splitext(os.path.basename(given.rstrip("/")))[0]
            out.append((given, given, stem))
            continue
        local = given[len("file://"):] if given.startswith("file://") else given
        if os.path.isdir(local):
            files = []
            for root, _dirs, names in os.walk(local):
                for name in names:
                    if name.endswith(EXTS):
                        files.append(os.path.join(root, name))
            files.sort()
            if not files:
                die(f"{given}: folder holds no JSON Lines file ({', '.join(EXTS)})")
            for f in files:
                rel = os.path.splitext(os.path.relpath(f, local))[0].replace("\\", "/")
                out.append((f, "file://" + os.path.abspath(f), rel))
        elif os.path.isfile(local):
            stem = os.path.splitext(os.path.basename(local))[0] or local
            out.append((local, "file://" + os.path.abspath(local), stem))
        else:
            die(f"{given}: no such file or folder")
    return out


def missing_tkg(path):
    die(f"tkg binary not found at {path!r}: build it with `cargo build --release` or pass --tkg PATH")


def resolve_tkg(path):
    """Absolute path of the tkg binary on the driver; None when only Spark may have it
    (`spark-submit --files target/release/tkg ... --tkg ./tkg` from another folder)."""
    cand = path if os.sep in path else (shutil.which(path) or path)
    if not os.path.isfile(cand):
        return None
    if not os.access(cand, os.X_OK):
        die(f"tkg binary {path!r} is not executable")
    return os.path.abspath(cand)


def check_java():
    java_home = os.environ.get("JAVA_HOME")
    if java_home and os.access(os.path.join(java_home, "bin", "java"), os.X_OK):
        return
    if shutil.which("java"):
        return
    die(
        "java not found (Spark needs Java 17+): install it (Debian: "
        "apt-get install -y openjdk-17-jre-headless) or set JAVA_HOME"
    )


def validate(line):
    """None when `tkg extract` should accept the line, else why it would not."""
    try:
        doc = json.loads(line)
    except ValueError as e:
        return f"malformed JSON: {e}"
    if not isinstance(doc, dict):
        return "a document must be a JSON object"
    if "tkg_annotations" in doc:
        return "already an annotation line (give tkg build the annotation files directly)"
    text = doc.get("text")
    if text is None:
        return 'missing "text" field'
    if not isinstance(text, str):
        return '"text" must be a string'
    i = doc.get("id")
    if i == "" or (i is not None and (isinstance(i, bool) or not isinstance(i, (str, int, float)))):
        return '"id" must be a string or number'
    for field in ("title", "date", "dct"):
        v = doc.get(field)
        if v is not None and not isinstance(v, str):
            return f'"{field}" must be a string'
    return None


def prepare(record, display, stem):
    """Validates one (line, index) pair: ("ok", key, id, line to pipe) or ("error", key, why)."""
    line, index = record
    number = index + 1
    if not line.strip():
        return None
    why = validate(line)
    if why:
        return ("error", number, why)
    doc = json.loads(line)
    inject = {"tkg_origin": f"{display}:{number}"}
    doc_id = doc.get("id")
    if doc_id is None:
        doc_id = f"{stem}:{number}"
        inject["id"] = doc_id
    elif isinstance(doc_id, int):
        doc_id = str(doc_id)
    elif not isinstance(doc_id, str):
        doc_id = None  # a float: matched by position only, see match_partition
    body = line.lstrip()[1:]  # after the opening brace
    fields = ",".join(f"{json.dumps(k)}:{json.dumps(v, ensure_ascii=False)}" for k, v in inject.items())
    sep = "" if body.lstrip().startswith("}") else ","
    # A field of the same name already in the document would clash with ours (serde rejects
    # duplicate fields): rename it.
    if "tkg_origin" in doc:
        body = body.replace('"tkg_origin"', '"tkg_origin_user"')
    return ("ok", number, doc_id, "{" + fields + sep + body)


def match_partition(pairs):
    """Pairs the documents of one partition with the annotation lines tkg wrote for them."""
    pairs = list(pairs)
    if not pairs:
        return []
    docs, outs = pairs[0]
    result = []
    k = 0
    for key, doc_id, _line in docs:
        got = None
        if k < len(outs):
            try:
                out_id = json.loads(outs[k]).get("id")
            except ValueError:
                out_id = object()
            if doc_id is None or out_id == doc_id:
                got = outs[k]
        if got is not None:
            result.append((key, "ok", got))
            k += 1
        else:
            result.append((key, "error", "rejected by tkg extract (its message is in the executor's stderr log)"))
    return result


def main(argv):
    args = parse_args(argv)
    tkg = resolve_tkg(args.tkg)
    under_submit = "SPARK_ENV_LOADED" in os.environ or "PYSPARK_GATEWAY_PORT" in os.environ
    if tkg is None and not under_submit:
        missing_tkg(args.tkg)
    files = expand_inputs(args.inputs)
    if not under_submit:
        check_java()
    try:
        from pyspark import SparkConf, SparkContext
    except ImportError:
        die("pyspark is not importable: pip install pyspark (in a venv), or run under spark-submit")

    conf = SparkConf().setAppName("tkg-build")
    if args.master:
        conf.setMaster(args.master)
    elif not under_submit:
        conf.setMaster("local[*]")  # under spark-submit, its --master applies
    conf.set("spark.ui.showConsoleProgress", "false")
    try:
        sc = SparkContext(conf=conf)
    except Exception as e:  # noqa: BLE001 - Java gateway failures come in many types
        die(f"could not start Spark ({type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''})")
    sc.setLogLevel("ERROR")
    code = 2
    try:
        if tkg is None:
            from pyspark import SparkFiles

            shipped = SparkFiles.get(os.path.basename(args.tkg))
            if not os.path.isfile(shipped):
                missing_tkg(args.tkg)
            os.chmod(shipped, 0o755)
            tkg = shipped
        code = run(sc, args, tkg, files)
    finally:
        sc.stop()
    return code


def run(sc, args, tkg, files):
    name = os.path.basename(tkg)
    if not sc.master.startswith("local"):
        try:
            sc.addFile(tkg)  # executors find it in their working directory
        except Exception:  # noqa: BLE001 - already shipped with --files
            pass
    extract = f'"$T" extract -'
    if args.date:
        extract += " --date " + shlex.quote(args.date)
    # tkg exits 1 when it skipped some documents (matched as errors below) and 2 on a fatal
    # problem; only the latter fails the task.
    script = (
        f"if [ -x ./{shlex.quote(name)} ]; then T=./{shlex.quote(name)}; else T={shlex.quote(tkg)}; fi; "
        f'{extract}; rc=$?; if [ $rc -gt 1 ]; then exit $rc; fi; exit 0'
    )
    command = "sh -c " + shlex.quote(script)
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin"), "RAYON_NUM_THREADS": "1"}

    per_file = []
    for n, (display, read, stem) in enumerate(files):
        try:
            lines = sc.textFile(read, minPartitions=args.partitions) if args.partitions else sc.textFile(read)
        except Exception as e:  # noqa: BLE001
            die(f"{display}: cannot read ({e})")
        recs = lines.zipWithIndex().map(lambda r, d=display, s=stem: prepare(r, d, s)).filter(lambda x: x is not None)
        per_file.append(recs.map(lambda r, n=n: (n, r)))
    records = sc.union(per_file) if len(per_file) > 1 else per_file[0]
    if args.partitions:
        records = records.coalesce(args.partitions) if records.getNumPartitions() > args.partitions else records
    records = records.cache()

    errors_rdd = records.filter(lambda r: r[1][0] == "error").map(lambda r: ((r[0], r[1][1]), r[1][2]))
    good = records.filter(lambda r: r[1][0] == "ok").map(lambda r: ((r[0], r[1][1]), r[1][2], r[1][3])).cache()
    piped = good.map(lambda r: r[2]).pipe(command, env=env, checkCode=True)
    matched = good.glom().zip(piped.glom()).mapPartitions(match_partition)

    try:
        results = matched.collect()
        errors = errors_rdd.collect()
    except Exception as e:  # noqa: BLE001
        msg = str(e)
        hint = ""
        if "exit status" in msg or "returned non-zero" in msg.lower():
            hint = f" (`{tkg} extract -` failed on an executor)"
        first = next((l for l in msg.splitlines() if l.strip()), type(e).__name__)
        die(f"the Spark job failed{hint}: {first[:500]}")

    errors += [(key, why) for key, status, why in results if status == "error"]
    annotations = sorted((key, line) for key, status, line in results if status == "ok")
    for (n, line), why in sorted(errors):
        print(f"spark_build: {files[n][0]}:{line}: {why}", file=sys.stderr)
    if not annotations:
        die("no document could be read")

    out_dir = os.path.dirname(os.path.abspath(args.output))
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".jsonl", dir=out_dir, delete=False) as tmp:
        for _key, line in annotations:
            tmp.write(line)
            tmp.write("\n")
    try:
        build = subprocess.run([tkg, "build", tmp.name, "-f", args.format, "-o", args.output])
    finally:
        os.unlink(tmp.name)
    if build.returncode not in (0, 1):
        die(f"`tkg build` failed with exit status {build.returncode}")
    failed = len(errors)
    print(
        f"spark_build: {len(annotations)} documents in the graph, {failed} failed; "
        f"{sc.master}, {records.getNumPartitions()} partitions -> {args.output}",
        file=sys.stderr,
    )
    return 1 if failed or build.returncode else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
