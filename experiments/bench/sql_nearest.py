"""Nearest-word search in SQLite: embedlab's nearest() against sqlite-vec.

Usage: sql_nearest.py LAB_DB EMBEDDING EMBEDLAB_EXT [VEC0_EXT]
Prints one JSON line with milliseconds per top-10 query (mean over queries
after one warm-up query), for:
  embedlab       SELECT ... FROM nearest(NAME, WORD, 10)
  vec0_knn       sqlite-vec's vec0 virtual table, KNN with cosine distance
  vec_scan       a plain-table scan ORDER BY vec_distance_cosine(...) LIMIT 10
"""
import json
import sqlite3
import sys
import time

db, name, ours = sys.argv[1], sys.argv[2], sys.argv[3]
vec0 = sys.argv[4] if len(sys.argv) > 4 else None
QUERIES = 30


def timed(conn, sql, params_list):
    conn.execute(sql, params_list[0]).fetchall()  # warm-up: loads caches
    t0 = time.perf_counter()
    for p in params_list[1:]:
        rows = conn.execute(sql, p).fetchall()
        assert len(rows) >= 10, rows
    return (time.perf_counter() - t0) * 1e3 / (len(params_list) - 1)


out = {}
conn = sqlite3.connect(db)
conn.enable_load_extension(True)
conn.load_extension(ours)
eid, dim = conn.execute("SELECT id, dim FROM embeddings WHERE name = ?", (name,)).fetchone()
words = [r[0] for r in conn.execute(
    "SELECT word FROM vectors WHERE embedding_id = ? ORDER BY rank LIMIT ?", (eid, QUERIES + 1))]
out["words"] = conn.execute("SELECT count(*) FROM vectors WHERE embedding_id = ?", (eid,)).fetchone()[0]
out["dim"] = dim
out["embedlab_ms"] = timed(conn, "SELECT word, similarity FROM nearest(?, ?, 10)", [(name, w) for w in words])
conn.close()

if vec0:
    conn = sqlite3.connect(":memory:")
    conn.enable_load_extension(True)
    conn.load_extension(vec0)
    conn.execute("ATTACH ? AS lab", (db,))
    conn.execute(f"CREATE VIRTUAL TABLE knn USING vec0(embedding float[{dim}] distance_metric=cosine)")
    conn.execute("CREATE TABLE plain(word TEXT, vec BLOB)")
    conn.execute("INSERT INTO knn(rowid, embedding) SELECT rank, vec FROM lab.vectors WHERE embedding_id = ?", (eid,))
    conn.execute("INSERT INTO plain SELECT word, vec FROM lab.vectors WHERE embedding_id = ?", (eid,))
    qv = [conn.execute("SELECT vec FROM lab.vectors WHERE embedding_id = ? AND word = ?", (eid, w)).fetchone()
          for w in words]
    out["vec0_knn_ms"] = timed(conn, "SELECT rowid, distance FROM knn WHERE embedding MATCH ? AND k = 11", qv)
    out["vec_scan_ms"] = timed(
        conn, "SELECT word, vec_distance_cosine(vec, ?1) AS d FROM plain ORDER BY d LIMIT 11", qv)
    out["sqlite_vec"] = conn.execute("SELECT vec_version()").fetchone()[0]
print(json.dumps(out))
