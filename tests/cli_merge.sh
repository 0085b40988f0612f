#!/bin/sh
# merge matches embeddings by content, not by name alone (issue 18, item 9):
# a shard's run trained on a 16-dimensional w16, merged into a lab whose w16
# has 4 dimensions, keeps its 16-dimensional vectors (a copy named w16.2,
# said on stderr) and predicts as it did in the shard; the same vectors under
# the same name are one embedding; merging again adds nothing. And merging a
# file into itself (by the same path, a symlink or a hard link) is refused
# with a clear error, not "database is locked" (item 11).
. "$(dirname "$0")/lib.sh"

sql() { sqlite3 -cmd ".timeout 30000" "$@"; }
reviews "$T/all.tsv"
head -600 "$T/all.tsv" >"$T/train.tsv"
tail -300 "$T/all.tsv" >"$T/test.tsv"
# vectors FILE DIM SEED: the reviews' 16 words with DIM random values each.
vectors() {
    awk -v d="$2" -v s="$3" 'BEGIN { srand(s); split("the a film movie plot actor it was and of scene story great loved awful boring", w, " ");
      print 16, d; for (i = 1; i <= 16; i++) { printf "%s", w[i]; for (k = 0; k < d; k++) printf " %.4f", rand() - 0.5; printf "\n" } }' >"$1"
}
vectors "$T/v16.txt" 16 1
vectors "$T/v4.txt" 4 2
vectors "$T/v16b.txt" 16 3
imp() { $E embed import --db "$1" --name "$2" --format text "$3" >/dev/null 2>&1 || notok "import $2 into $1"; }

imp "$T/shard.db" w16 "$T/v16.txt"
run "a run on the shard's w16" 0 $E train --db "$T/shard.db" --data "$T/train.tsv" --test-data "$T/test.tsv" \
    --embedding w16 --dim 16 --epochs 1 --patience 0 --threads 1
run "predict in the shard" 0 $E predict --db "$T/shard.db" --run 1 "a great film" "boring plot"
shard_pred=$(cat "$T/out")

imp "$T/lab.db" w16 "$T/v4.txt"
run "merge a shard whose w16 is another embedding" 0 $E merge "$T/lab.db" "$T/shard.db"
has out "Merged $T/shard.db: 1 runs, 1 embeddings added"
has err "embedlab: note: embedding 'w16' of $T/shard.db (16 dims) is not the lab's 'w16' (other vectors): copied as 'w16.2'"
same "the run keeps its 16-dimensional vectors" \
    "$(sql "$T/lab.db" "SELECT e.name || ' ' || e.dim FROM runs r JOIN embeddings e ON e.id = r.embedding_id")" "w16.2 16"
same "the lab's own w16 is untouched" "$(sql "$T/lab.db" "SELECT dim FROM embeddings WHERE name = 'w16'")" 4
same "the copy has the shard's vectors" \
    "$(sql "$T/lab.db" "SELECT group_concat(word || hex(vec)) FROM (SELECT word, vec FROM vectors v JOIN embeddings e
        ON e.id = v.embedding_id WHERE e.name = 'w16.2' ORDER BY rank)")" \
    "$(sql "$T/shard.db" "SELECT group_concat(word || hex(vec)) FROM (SELECT word, vec FROM vectors ORDER BY rank)")"
run "predict in the merged lab" 0 $E predict --db "$T/lab.db" --run 1 "a great film" "boring plot"
same "the same predictions as in the shard" "$(cat "$T/out")" "$shard_pred"
run "merge the shard again" 0 $E merge "$T/lab.db" "$T/shard.db"
has out "Merged $T/shard.db: 0 runs, 0 embeddings added"
same "no note the second time" "$(cat "$T/err")" ""

# A second shard with yet other 16-dimensional vectors named w16: w16.3.
imp "$T/shard2.db" w16 "$T/v16b.txt"
run "merge a second shard with other vectors" 0 $E merge "$T/lab.db" "$T/shard2.db"
has err "copied as 'w16.3'"
# The same vectors under the same name are one embedding.
imp "$T/same.db" w16 "$T/v4.txt"
run "merge a file with the same w16" 0 $E merge "$T/lab.db" "$T/same.db"
has out "0 embeddings added"
same "no note for the same vectors" "$(cat "$T/err")" ""
same "three embeddings in all" "$(sql "$T/lab.db" "SELECT group_concat(name || ':' || dim, ' ') FROM
    (SELECT name, dim FROM embeddings ORDER BY name)")" "w16:4 w16.2:16 w16.3:16"
# Same dimensions and words, one value changed: other content.
sed '2s/ [-0-9.]*$/ 0.1234/' "$T/v16.txt" >"$T/v16c.txt"
imp "$T/tweak.db" w16 "$T/v16c.txt"
run "merge vectors that differ in one value" 0 $E merge "$T/lab.db" "$T/tweak.db"
has err "copied as 'w16.4'"

# The same file as source and target.
cp "$T/shard.db" "$T/out.db"
run "merge out.db out.db" 1 $E merge "$T/out.db" "$T/out.db"
has err "embedlab: error: $T/out.db and $T/out.db are the same file"
ln -s "$T/out.db" "$T/link.db"
run "merge through a symlink to the same file" 1 $E merge "$T/out.db" "$T/link.db"
has err "are the same file"
ln "$T/out.db" "$T/hard.db"
run "merge through a hard link" 1 $E merge "$T/hard.db" "$T/./out.db"
has err "are the same file"
same "and out.db is unchanged" "$(sql "$T/out.db" "SELECT count(*) FROM runs")" 1
exit $bad
