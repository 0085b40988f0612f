"""Nearest words at scale: embedlab's SQL nearest() (exact and indexed)
against sqlite-vec's vec0 and FAISS, on one embedding, one thread each.

Usage: ann_peers.py LAB_DB NAME EMBEDLAB_EXT W2V_BIN ROWS_JSONL [options]
  --vec0 PATH        sqlite-vec's vec0.so (its rows are skipped without it)
  --label TEXT       the data set's name in the table
  --index-build S    embedlab's index build time (from `embed index`)
  --index-bytes B    embedlab's index image + unit vectors, bytes
  --threads N        threads for FAISS' builds (default 1); every query runs on one thread
  --queries Q        query words (default 200), spread evenly over the ranks
  --slow-queries S   of those, how many sqlite-vec answers (default 20, spread
                     over the Q): its scans take seconds a query at 3M
  --faiss-lists K    also FAISS IVF with K lists (embedlab's count)
  --budget S         seconds of warm queries per system at most (default 20):
                     a slow one answers fewer queries (the count is printed)
  --scratch DIR      where sqlite-vec's databases and FAISS' files go
Appends one JSON line per system to ROWS_JSONL. `ann_peers.py --table
ROWS_JSONL` prints them as one table.

Every system answers the same top-10 queries: the vectors of Q words of the
embedding, the word itself excluded (as nearest(WORD) does). Truth is
embedlab's exact search; recall@10 is the share of its 10 words found.
ms/query is the mean over warm queries on one connection (or index); "first"
is a fresh connection's (or a read index's) first query: the load.
"""
import json
import math
import os
import sqlite3
import struct
import sys
import time

args = sys.argv[1:]


def opt(name, default=None):
    if name in args:
        i = args.index(name)
        v = args[i + 1]
        del args[i:i + 2]
        return v
    return default


if args and args[0] == "--table":
    rows = [json.loads(l) for l in open(args[1])]
    head = ("data", "system", "setting", "recall@10", "ms/query", "first query s", "build s", "MB", "queries")
    fmt = "%-22s %-22s %-34s %9s %9s %13s %8s %8s %7s"
    print(fmt % head)
    for r in rows:
        def num(k, f):
            return f % r[k] if r.get(k) is not None else "-"
        print(fmt % (r["data"], r["system"], r["setting"], num("recall", "%.4f"), num("ms", "%.3f"),
                     num("first_s", "%.3f"), num("build_s", "%.1f"), num("mb", "%.0f"), r.get("queries", "-")))
    sys.exit(0)

vec0 = opt("--vec0")
label = opt("--label", "data")
index_build = opt("--index-build")
index_bytes = opt("--index-bytes")
threads = int(opt("--threads", "1"))
nq = int(opt("--queries", "200"))
slow_nq = int(opt("--slow-queries", "20"))
faiss_lists = opt("--faiss-lists")
budget = float(opt("--budget", "20"))
scratch = opt("--scratch", ".")
lab, name, ext, w2v, out_path = args[:5]
K = 10
out = open(out_path, "a")


def emit(system, setting, **kw):
    row = {"data": label, "system": system, "setting": setting}
    row.update(kw)
    out.write(json.dumps(row) + "\n")
    out.flush()
    print("  %-22s %-34s %s" % (system, setting, {k: v for k, v in kw.items()}), file=sys.stderr)


def connect(path, *exts):
    c = sqlite3.connect(path)
    c.enable_load_extension(True)
    for e in exts:
        c.load_extension(e)
    return c


# The query words and embedlab's exact answers (the truth).
conn = connect(lab, ext)
eid, dim = conn.execute("SELECT id, dim FROM embeddings WHERE name = ?", (name,)).fetchone()
n = conn.execute("SELECT max(rank) FROM vectors WHERE embedding_id = ?", (eid,)).fetchone()[0]
step = max(1, n // nq)
qrank = [1 + i * step for i in range(min(nq, n))]
qword = [conn.execute("SELECT word FROM vectors WHERE embedding_id = ? AND rank = ?", (eid, r)).fetchone()[0]
         for r in qrank]
conn.close()


def timed_queries(run, which):
    """run(i) answers query i, for i in which; returns (answers, ms/query) over warm queries within the
    budget: answers[j] is query which[j]'s."""
    answers, t0 = [], time.perf_counter()
    for j, i in enumerate(which):
        answers.append(run(i))
        if time.perf_counter() - t0 > budget and j >= 4:
            break
    return answers, (time.perf_counter() - t0) * 1e3 / len(answers)


def recall(answers, truth, which=None):
    """Share of the true top-10 found; answers[j] answers query which[j] (default: j)."""
    which = which if which is not None else range(len(answers))
    pairs = list(zip(answers, (truth[i] for i in which)))
    return sum(len(set(a[:K]) & set(t[:K])) for a, t in pairs) / sum(len(t[:K]) for _, t in pairs)


def spread(m, share):
    """`share` of the queries 0..m-1 (all when fewer), evenly spread over them."""
    return [round(j * m / min(share, m)) for j in range(min(share, m))]


def query_sets(m):
    """Every system's queries (the first m words) and sqlite-vec's share of them."""
    return range(m), spread(m, slow_nq)


ALL, SLOW = query_sets(len(qword))


def embedlab(mode):
    c = connect(lab, ext)
    sql = "SELECT word FROM nearest(?, ?, 10, '%s')" % mode
    t0 = time.perf_counter()
    first = [r[0] for r in c.execute(sql, (name, qword[0]))]
    first_s = time.perf_counter() - t0
    answers, ms = timed_queries(lambda i: [r[0] for r in c.execute(sql, (name, qword[i]))], ALL)
    c.close()
    return first_s, answers, ms


first_s, truth, ms = embedlab("exact")
emit("embedlab SQL nearest()", "exact ('exact', fp32 scan)", recall=1.0, ms=ms, first_s=first_s, build_s=0,
     mb=n * dim * 4 / 1e6, queries=len(truth))
# The truth is what exact search answered within its budget (at 3M not all
# the words): every system answers those queries.
ALL, SLOW = query_sets(len(truth))
if index_bytes:
    first_s, answers, ms = embedlab("auto")
    emit("embedlab SQL nearest()", "IVF int8 + fp32 rerank (measured)", recall=recall(answers, truth), ms=ms,
         first_s=first_s, build_s=float(index_build) if index_build else None, mb=int(index_bytes) / 1e6,
         queries=len(answers))

# The vectors, unit length, from the word2vec binary file (as imported).
import numpy as np  # noqa: E402  (only the peers need it)

with open(w2v, "rb") as f:
    rows, d = map(int, f.readline().split())
    words, mat = {}, np.empty((rows, d), dtype=np.float32)
    for i in range(rows):
        w = bytearray()
        while True:
            ch = f.read(1)
            if ch == b" ":
                break
            if ch != b"\n":
                w += ch
        words[bytes(w).decode("utf-8", "replace")] = i
        mat[i] = np.frombuffer(f.read(4 * d), dtype="<f4")
mat /= np.maximum(np.linalg.norm(mat, axis=1, keepdims=True), 1e-30)
rank_word = [None] * rows
for w, i in words.items():
    rank_word[i] = w
qid = [words[w] for w in qword]
qvec = mat[qid]


def without_self(ids, i, k=K):
    return [rank_word[j] for j in ids if j >= 0 and j != qid[i]][:k]


if vec0:
    # A bit column takes a multiple of 8 dimensions: the coarse vectors are
    # zero-padded to dpad (zeros change no distance).
    dpad = (d + 7) // 8 * 8
    variants = [
        ("float[%d] cosine, brute force" % d, "embedding float[%d] distance_metric=cosine" % d, None),
        ("int8 coarse x8 + float rescore", "embedding float[%d] distance_metric=cosine, coarse int8[%d]" % (d, dpad),
         "vec_quantize_int8(vec_f32(?2), 'unit')"),
        ("bit coarse x8 + float rescore", "embedding float[%d] distance_metric=cosine, coarse bit[%d]" % (d, dpad),
         "vec_quantize_binary(vec_f32(?2))"),
    ]
    pad = np.zeros(dpad - d, dtype=np.float32)

    def coarse(v):
        return np.concatenate([v, pad]).tobytes()

    for setting, cols, quant in variants:
        path = os.path.join(scratch, "vec0-%s.db" % ("float" if quant is None else setting.split()[0]))
        for p in (path, path + "-wal", path + "-journal"):
            if os.path.exists(p):
                os.remove(p)
        c = connect(path, vec0)
        c.execute("CREATE VIRTUAL TABLE v USING vec0(%s)" % cols)
        t0 = time.perf_counter()
        ins = ("INSERT INTO v(rowid, embedding) VALUES (?3, ?1)" if quant is None else
               "INSERT INTO v(rowid, embedding, coarse) VALUES (?3, ?1, %s)" % quant)
        batch = 10000
        for s in range(0, rows, batch):
            c.executemany(ins, [(mat[i].tobytes(), coarse(mat[i]) if quant else None, i + 1)
                                for i in range(s, min(rows, s + batch))])
        c.commit()
        build_s = time.perf_counter() - t0
        c.close()
        if quant is None:
            sql = "SELECT rowid FROM v WHERE embedding MATCH ?1 AND k = 11"
        else:
            # The docs' re-scoring: the coarse KNN oversampled 8x, then exact float distances.
            sql = ("WITH coarse AS (SELECT rowid, embedding FROM v WHERE coarse MATCH %s AND k = 88) "
                   "SELECT rowid FROM coarse ORDER BY vec_distance_cosine(embedding, ?1) LIMIT 11" % quant)
        c = connect(path, vec0)
        t0 = time.perf_counter()
        def params(i):
            return (qvec[i].tobytes(),) if quant is None else (qvec[i].tobytes(), coarse(qvec[i]))

        c.execute(sql, params(0)).fetchall()
        first_s = time.perf_counter() - t0
        answers, ms = timed_queries(lambda i: without_self([r[0] - 1 for r in c.execute(sql, params(i))], i), SLOW)
        version = c.execute("SELECT vec_version()").fetchone()[0]
        c.close()
        emit("sqlite-vec %s vec0" % version, setting,
             recall=recall(answers, truth, SLOW), ms=ms, first_s=first_s, build_s=build_s,
             mb=os.path.getsize(path) / 1e6, queries=len(answers))

import faiss  # noqa: E402

faiss.omp_set_num_threads(threads)


def faiss_row(index, setting, build_s, prep=None):
    """Writes the index to a file, reads it back (the load), and times one query at a time."""
    path = os.path.join(scratch, "faiss.index")
    faiss.write_index(index, path)
    mb = os.path.getsize(path) / 1e6
    del index
    t0 = time.perf_counter()
    index = faiss.read_index(path)
    if prep:
        prep(index)
    faiss.omp_set_num_threads(1)  # queries on one thread, as SQLite's
    index.search(qvec[:1], K + 1)
    first_s = time.perf_counter() - t0
    answers, ms = timed_queries(lambda i: without_self(index.search(qvec[i:i + 1], K + 1)[1][0], i), ALL)
    os.remove(path)
    faiss.omp_set_num_threads(threads)
    emit("FAISS %s" % faiss.__version__, setting, recall=recall(answers, truth), ms=ms, first_s=first_s,
         build_s=build_s, mb=mb, queries=len(answers))
    return answers


t0 = time.perf_counter()
flat = faiss.IndexFlatIP(d)
flat.add(mat)
faiss_row(flat, "IndexFlatIP (exact)", time.perf_counter() - t0)
del flat

# IVF: the fewest probes (doubling, measured on 50 of the queries) whose
# recall@10 reaches 0.99; the lists trained on 16 rows each with 8 k-means
# passes (as embedlab's). With the usual 4 sqrt(n) lists, and with
# embedlab's count when given (--faiss-lists): FAISS at the same structure.
TUNE = spread(len(ALL), 50)


def faiss_ivf(nlist):
    t0 = time.perf_counter()
    quant = faiss.IndexFlatIP(d)
    ivf = faiss.IndexIVFFlat(quant, d, nlist, faiss.METRIC_INNER_PRODUCT)
    ivf.cp.niter = 8
    ivf.cp.min_points_per_centroid = 1
    sample = mat[np.random.default_rng(1).choice(rows, size=min(rows, 16 * nlist), replace=False)]
    ivf.train(sample)
    ivf.add(mat)
    build_s = time.perf_counter() - t0
    faiss.omp_set_num_threads(1)
    nprobe = 1
    while True:
        ivf.nprobe = nprobe
        got = [without_self(ivf.search(qvec[i:i + 1], K + 1)[1][0], i) for i in TUNE]
        if recall(got, truth, TUNE) >= 0.99 or nprobe >= nlist:
            break
        nprobe = min(nlist, nprobe * 2)
    faiss.omp_set_num_threads(threads)
    faiss_row(ivf, "IndexIVFFlat %d lists, nprobe %d" % (nlist, nprobe), build_s,
              prep=lambda ix: setattr(faiss.extract_index_ivf(ix), "nprobe", nprobe))


usual = max(1, round(4 * math.sqrt(rows)))
faiss_ivf(usual)
if faiss_lists and int(faiss_lists) != usual:
    faiss_ivf(min(rows, int(faiss_lists)))
