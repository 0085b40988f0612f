#!/bin/sh
# The SQL extension in the stock sqlite3 shell: two nearest() in one query
# each return their own embedding's words, vec_f32 parses strictly and within
# its limits, and sizes read from the database are checked. A bad argument or
# a bad database is an SQL error (sqlite3 exits 1), never a crash.
. "$(dirname "$0")/lib.sh"
EXT=${EMBEDLAB_EXT:-build/embedlab_sqlite}
DB=$T/lab.db

# sql SQL...: run statements in sqlite3 with the extension (out, err, status in $T).
sql() { sqlite3 "$DB" -cmd ".load $EXT" "$@" >"$T/out" 2>"$T/err"; echo $? >"$T/rc"; }
# sql_is WHAT WANT SQL: the query succeeds and prints exactly WANT.
sql_is() {
    sql "$3"
    if [ "$(cat "$T/rc")" -eq 0 ] && [ "$(cat "$T/out")" = "$2" ]; then ok "$1"; else
        notok "$1 (exit $(cat "$T/rc"))"
        echo "# wanted: $2" | tr '\n' ' '
        echo
        sed 's/^/#   got: /' "$T/out" "$T/err" | head -12
    fi
}
# sql_error WHAT PATTERN [-cmd DOT_COMMAND] SQL: the query is an SQL error (exit 1) whose message matches PATTERN.
sql_error() {
    what=$1 pattern=$2
    shift 2
    sql "$@"
    if [ "$(cat "$T/rc")" -eq 1 ] && grep -q -- "$pattern" "$T/err"; then ok "$what"; else
        notok "$what (exit $(cat "$T/rc"), wanted 1 and '$pattern')"
        sed 's/^/#   /' "$T/err" | cut -c1-200 | head -8
    fi
}

# Two embeddings of different sizes and dimensions, with distinct words, at
# angles that grow ever faster, so that no two neighbours tie:
# big:   a0..a299, dim 2, word i at i/2 + i*i/1000 degrees (neighbours of a299: a298, a297, a296)
# small: b0..b7,   dim 3, word i at 3*i*i degrees
awk 'BEGIN { for (i = 0; i < 300; i++) { a = (i / 2 + i * i / 1000) * 3.14159265 / 180; printf "a%d %.7f %.7f\n", i, cos(a), sin(a) } }' |
    { echo 300 2; cat; } >"$T/big.txt"
awk 'BEGIN { print 8, 3; for (i = 0; i < 8; i++) printf "b%d %.7f %.7f 0.5\n", i, cos(3 * i * i * 3.14159265 / 180), sin(3 * i * i * 3.14159265 / 180) }' >"$T/small.txt"
run "import big" 0 $E embed import --db "$DB" --name big --format text "$T/big.txt"
run "import small" 0 $E embed import --db "$DB" --name small --format text "$T/small.txt"

sql_is "nearest() over big" "a298 a297 a296" "SELECT group_concat(word, ' ') FROM nearest('big', 'a299', 3);"
sql_is "nearest() over small" "b1 b2 b3" "SELECT group_concat(word, ' ') FROM nearest('small', 'b0', 3);"
want_join="a298 b1
a298 b2
a298 b3
a297 b1
a297 b2
a297 b3
a296 b1
a296 b2
a296 b3"
sql_is "JOIN of nearest() over two embeddings: each side its own words" "$want_join" \
    "SELECT a.word || ' ' || b.word FROM nearest('big', 'a299', 3) a JOIN nearest('small', 'b0', 3) b;"
sql_is "the same JOIN, sides swapped" "$want_join" \
    "SELECT a.word || ' ' || b.word FROM nearest('small', 'b0', 3) b JOIN nearest('big', 'a299', 3) a
     ORDER BY a.similarity DESC, b.similarity DESC;"
sql_is "JOIN with similarities from each side" "a298|0.99982|b1|0.99890" \
    "SELECT a.word, printf('%.5f', a.similarity), b.word, printf('%.5f', b.similarity)
     FROM nearest('small', 'b0', 1) b, nearest('big', 'a299', 1) a;"
# Old code: the inner query replaced the cache the outer cursor read its words from.
sql_is "correlated subquery: the inner nearest() runs once per outer row" "a298|b0 b2 b3
a297|b1 b0 b3
a296|b2 b4 b1" \
    "SELECT a.word, (SELECT group_concat(word, ' ') FROM nearest('small', 'b' || (299 - CAST(substr(a.word, 2) AS INT)), 3))
     FROM nearest('big', 'a299', 3) a;"
sql_is "correlated subquery, small outside and big inside" "b1|a298 a297
b2|a298 a297
b3|a298 a297" \
    "SELECT b.word, (SELECT group_concat(word, ' ') FROM nearest('big', 'a299', 2)) FROM nearest('small', 'b0', 3) b;"
sql_is "nearest() of nearest() over one embedding" "a298 a297
a298 a299
a297 a296
a297 a298" \
    "SELECT a.word || ' ' || b.word FROM nearest('big', 'a299', 2) a JOIN nearest('big', a.word, 2) b;"
sql_is "a query word's neighbours after an insert (the cache notices the write)" "b1 b2 b3
|bnew b1 b2" \
    "SELECT group_concat(word, ' ') FROM nearest('small', 'b0', 3);
     INSERT INTO vectors(embedding_id, word, rank, vec)
       SELECT embedding_id, 'bnew', 9, vec_f32('[1, 0.03, 0.5]') FROM vectors WHERE word = 'b0';
     SELECT '|' || group_concat(word, ' ') FROM nearest('small', 'b0', 3);"

# vec_f32: strict JSON numbers, finite as float32, and at most 2^24 values.
sql_is "vec_f32 accepts space, tab, CR and LF around numbers" "[1,-2.5,150,0]" \
    "SELECT vec_json(vec_f32(' ' || char(13, 10, 9) || '[' || char(13) || '1,' || char(9, 10) || '-2.5' || char(13, 10) ||
     ', 1.5e2 , 0' || char(13) || ']' || char(13, 10)));"
sql_is "vec_f32 keeps float32 values exactly" "1" \
    "SELECT vec_f32(vec_json(x'0000803fffff7f7f01000000cdcccc3d')) = x'0000803fffff7f7f01000000cdcccc3d';"
sql_error "vec_f32: 1e300 overflows float32" "vec_f32: .*not finite" "SELECT vec_f32('[1e300]');"
sql_error "vec_f32: -1e39 overflows float32" "vec_f32: .*not finite" "SELECT vec_f32('[1, -1e39]');"
sql_error "vec_f32: 1e400 overflows double" "vec_f32: .*not finite" "SELECT vec_f32('[1e400]');"
sql_error "vec_f32: hex is not a number" "vec_f32: expected a number" "SELECT vec_f32('[0x10]');"
sql_error "vec_f32: hex float is not a number" "vec_f32: expected a number" "SELECT vec_f32('[1, 0x1p3]');"
sql_error "vec_f32: nan is not a number" "vec_f32: expected a number" "SELECT vec_f32('[nan]');"
sql_error "vec_f32: inf is not a number" "vec_f32: expected a number" "SELECT vec_f32('[-inf]');"
sql_error "vec_f32: infinity is not a number" "vec_f32: expected a number" "SELECT vec_f32('[Infinity]');"
sql_error "vec_f32: trailing junk after the array" "vec_f32: .*after the array" "SELECT vec_f32('[1, 2] x');"
sql_error "vec_f32: trailing junk after a number" "vec_f32: expected ',' or ']'" "SELECT vec_f32('[1abc]');"
sql_error "vec_f32: a number needs digits" "vec_f32: expected a number" "SELECT vec_f32('[-]');"
sql_error "vec_f32: no digits after the point" "vec_f32: expected a number" "SELECT vec_f32('[1.]');"
sql_error "vec_f32: no exponent digits" "vec_f32: expected a number" "SELECT vec_f32('[1e]');"
sql_error "vec_f32: a form feed is not whitespace" "vec_f32: expected a number" "SELECT vec_f32('[' || char(12) || '1]');"
sql_error "vec_f32: unclosed array" "vec_f32: expected ',' or ']'" "SELECT vec_f32('[1, 2');"
sql_error "vec_f32: a trailing comma" "vec_f32: expected a number" "SELECT vec_f32('[1, 2, ]');"
sql_is "vec_f32: exactly 2^24 values" "67108864" \
    "SELECT length(vec_f32('[' || replace(hex(zeroblob(16777215)), '00', '1,') || '1]'));"
sql_error "vec_f32: 2^24 + 1 values is over the limit" "vec_f32: .*more than 16777216 values" \
    "SELECT length(vec_f32('[' || replace(hex(zeroblob(16777216)), '00', '1,') || '1]'));"
sql_error "vec_f32: a blob over the connection's length limit" "vec_f32: .*bytes.*limit" -cmd ".limit length 1000" \
    "SELECT length(vec_f32('[' || replace(hex(zeroblob(299)), '00', '1,') || '1]'));"
sql_error "vec_json: over the length limit is an error" "vec_json: .*length limit" -cmd ".limit length 1000" \
    "SELECT vec_json(vec_f32('[' || replace(hex(zeroblob(99)), '00', '1.1,') || '1.1]'));"
sql_error "vec_norm: a blob of more than 2^24 values" "vec_norm: .*more than 16777216 values" \
    "SELECT vec_norm(zeroblob(67108868));"

# Sizes read from the database are checked before they are multiplied.
# restore: back to the database as it was here (WAL: no -wal or -shm file may outlive it).
sqlite3 "$DB" ".backup '$T/good.db'"
restore() { rm -f "$DB-wal" "$DB-shm" && cp "$T/good.db" "$DB"; }
sql_error "embeddings.dim = 2^30" "nearest: embedding 'small' has dim 1073741824" \
    "UPDATE embeddings SET dim = 1073741824 WHERE name = 'small'; SELECT * FROM nearest('small', 'b0', 3);"
sql_error "embeddings.dim = 2^30 with no vectors, empty query blob" "nearest: embedding 'small' has dim 1073741824" \
    "DELETE FROM vectors WHERE embedding_id = (SELECT id FROM embeddings WHERE name = 'small');
     SELECT * FROM nearest('small', x'', 3);"
sql_error "embeddings.dim = 2^30 + 1, a 4-byte query blob" "nearest: embedding 'small' has dim 1073741825" \
    "UPDATE embeddings SET dim = 1073741825 WHERE name = 'small'; SELECT * FROM nearest('small', x'0000803f', 3);"
sql_error "embeddings.dim that is not a number" "nearest: embedding 'small' has dim 'three'" \
    "UPDATE embeddings SET dim = 'three' WHERE name = 'small'; SELECT * FROM nearest('small', 'b0', 3);"
restore
sql_error "a vector blob shorter than dim" "nearest: the vector of 'b3' in 'small' has 8 bytes, expected 12" \
    "UPDATE vectors SET vec = x'0000803f0000803f' WHERE word = 'b3'; SELECT * FROM nearest('small', 'b0', 3);"
restore
sql_error "a vector that is not a blob" "nearest: the vector of 'b3' in 'small' is not a blob" \
    "UPDATE vectors SET vec = 'hello' WHERE word = 'b3'; SELECT * FROM nearest('small', 'b0', 3);"
restore
# In one connection (the shell reads stdin on after an error): a load that
# failed leaves no half-filled cache behind.
printf '%s\n' ".load $EXT" "SELECT * FROM nearest('small', 'b0', 3) WHERE 0;" \
    "UPDATE vectors SET vec = x'00' WHERE word = 'b5';" \
    "SELECT * FROM nearest('small', 'b0', 3);" \
    "UPDATE vectors SET vec = vec_f32('[-1, 0, 0.5]') WHERE word = 'b5';" \
    "SELECT group_concat(word, ' ') FROM nearest('small', 'b0', 3);" | sqlite3 "$DB" >"$T/out" 2>"$T/err"
same "after a failed load the next query loads afresh" "$(cat "$T/out")" "bnew b1 b2"
has err "nearest: the vector of 'b5' in 'small' has 1 bytes"

# Names and words are all their bytes, a NUL included (found by fuzz_sql:
# a name cut at its NUL searched another embedding).
restore
sql_error "an embedding name is not cut at a NUL" "nearest: no embedding named 'small" \
    "SELECT * FROM nearest('small' || char(0) || 'x', 'b0', 3);"
sql_error "a query word is not cut at a NUL, nor shown cut" "nearest: 'b0[\\]x00x' is not in embedding 'small'" \
    "SELECT * FROM nearest('small', 'b0' || char(0) || 'x', 3);"
# A word in a message is shown as the CLI shows it: control bytes as \xHH
# (no line of its own), a long one cut (it was printed whole, 10 MB of it).
sql_error "a control byte in a query word is shown as \\xHH" "nearest: 'a[\\]x0Ab' is not in embedding 'small'" \
    "SELECT * FROM nearest('small', 'a' || char(10) || 'b', 3);"
sql_error "a long query word is cut in the message" "nearest: 'xxxxxxxxxx*[.][.][.]' is not in embedding 'small'" \
    "SELECT * FROM nearest('small', printf('%.*c', 4096, 'x'), 3);"
same "the message stays short" "$(wc -c <"$T/err" | awk '{ print ($1 < 300) }')" 1
sql_is "a word with a NUL comes back whole, and can be the query" "6230007A|b0" \
    "INSERT INTO vectors(embedding_id, word, rank, vec)
       SELECT embedding_id, 'b0' || char(0) || 'z', 10, vec_f32('[1, 0.001, 0.5]') FROM vectors WHERE word = 'b0';
     SELECT (SELECT hex(word) FROM nearest('small', 'b0', 1)) || '|' || (SELECT word FROM nearest('small', 'b0' || char(0) || 'z', 1));"

# Issue 18: a hostile query or database. The extension reads only main's
# tables, so a TEMP view cannot stand in for them (a view whose rows called
# nearest() again crashed the shell: the inner call cleared the cache the
# outer one was filling); a view in the database named like a table is not
# read; a nested nearest() is refused (tests/test_sql_ext.c).
DB=$T/hostile.db
printf '3 2\na 1 0\nb 0 1\nc 1 1\n' >"$T/abc.txt"
run "import e1" 0 $E embed import --db "$DB" --name e1 --format text "$T/abc.txt"
run "import e2" 0 $E embed import --db "$DB" --name e2 --format text "$T/small.txt"
sql_is "a TEMP VIEW named vectors that calls nearest() is not read" "c" \
    "CREATE TEMP VIEW vectors AS SELECT * FROM main.vectors WHERE (SELECT count(*) FROM nearest('e1', 'a', 1)) >= 0;
     SELECT word FROM nearest('e1', 'a', 1);"
sql_is "the same, the view searching another embedding" "c" \
    "CREATE TEMP VIEW vectors AS SELECT * FROM main.vectors WHERE (SELECT count(*) FROM nearest('e2', 'b0', 1)) >= 0;
     SELECT word FROM nearest('e1', 'a', 1);"
sql_is "a TEMP VIEW named embeddings is not read" "c" \
    "CREATE TEMP VIEW embeddings AS SELECT id, name, 1 AS dim, tokenizer, params FROM main.embeddings;
     SELECT word FROM nearest('e1', 'a', 1);"
sql_is "nearest() per row of another nearest() still works" "c|a
b|c" "SELECT a.word, (SELECT group_concat(word) FROM nearest('e1', a.word, 1)) FROM nearest('e1', 'a', 2) a;"
cp "$DB" "$T/view.db"
sqlite3 "$T/view.db" "ALTER TABLE vectors RENAME TO real_vectors; CREATE VIEW vectors AS SELECT * FROM real_vectors;"
DB=$T/view.db
sql_error "a view in the database named vectors is not read" "nearest: this database has no embeddings and vectors tables" \
    "SELECT * FROM nearest('e1', 'a', 1);"
sqlite3 "$T/view.db" "DROP VIEW vectors; CREATE VIRTUAL TABLE vectors USING fts5(embedding_id, word, rank, vec);
  INSERT INTO vectors SELECT embedding_id, word, rank, vec FROM real_vectors;"
sql_error "nor a virtual table named vectors" "nearest: this database has no embeddings and vectors tables" \
    "SELECT * FROM nearest('e1', 'a', 1);"
DB=$T/hostile.db

# The CLI opens a lab in defensive mode: a trigger of a hostile lab that
# writes to a virtual table's shadow tables (corrupting its file) fails the
# command, which leaves the lab as it was.
cp "$T/hostile.db" "$T/shadow.db"
sqlite3 "$T/shadow.db" "CREATE VIRTUAL TABLE f USING fts5(x); INSERT INTO f VALUES ('hello');
  CREATE TRIGGER evil AFTER INSERT ON embeddings BEGIN DELETE FROM f_data; END;"
run "a trigger writing a shadow table fails the import" 1 $E embed import --db "$T/shadow.db" --name e9 --format text "$T/abc.txt"
has err "embedlab: error: .*table f_data may not be modified"
same "the lab is as it was" "$(sqlite3 "$T/shadow.db" "SELECT count(*) FROM embeddings WHERE name = 'e9';
  SELECT count(*) FROM f WHERE f MATCH 'hello'" | tr '\n' ' ')" "0 1 "

# Vectors whose norm is beyond float32 (5.2e38) keep their direction: they
# became zero vectors (similarity 0, or "zero vector").
printf '4 3\nalpha 3e38 3e38 3e38\nbeta 1 0 0\ngamma 0 1 1\ndelta 2 2 2\n' >"$T/huge.txt"
run "import vectors of norm past float32" 0 $E embed import --db "$DB" --name w3 --format text "$T/huge.txt"
sql_is "SQL: a row of norm past float32 at its true similarity" "alpha 1.0000,beta 0.5774,delta 1.0000,gamma 0.8165" \
    "SELECT group_concat(word || ' ' || printf('%.4f', similarity)) FROM
       (SELECT * FROM nearest('w3', vec_f32('[3e38, 3e38, 3e38]'), 4) ORDER BY word);"
sql_is "SQL: nearest of a word whose vector's norm is past float32" "delta 1.0000" \
    "SELECT word || ' ' || printf('%.4f', similarity) FROM nearest('w3', 'alpha', 1);"
run "CLI: nearest of alpha's direction is alpha" 0 $E nearest --db "$DB" --embedding w3 delta -k 2
same "CLI: alpha at 1.0000, then gamma" "$(awk '{ print $1, $2 }' "$T/out" | tr '\n' ' ')" "alpha 1.0000 gamma 0.8165 "
run "CLI: alpha is no zero vector" 0 $E nearest --db "$DB" --embedding w3 alpha -k 1
has out "delta .*1.0000"

# A query word is at most 4096 bytes (TOK_MAX_QUERY_BYTES): normalising a
# long run of combining marks was quadratic (160 KB: 11 s inside nearest()).
marks=$(awk 'BEGIN { s = "e"; for (i = 0; i < 5000; i++) s = s "\xcc\x81\xcc\xa7"; print s }')
sql_error "SQL: a query word of 20,001 bytes is refused" "nearest: the query word has 20001 bytes; at most 4096" \
    "SELECT * FROM nearest('e1', '$marks', 1);"
sql_error "SQL: 4097 bytes is refused" "nearest: the query word has 4097 bytes; at most 4096" \
    "SELECT * FROM nearest('e1', printf('%.*c', 4097, 'x'), 1);"
run "CLI: nearest of a word past 4096 bytes is refused" 2 $E nearest --db "$DB" --embedding e1 "$marks"
has err "embedlab: error: a query word has 20001 bytes; at most 4096"
run "CLI: analogy too" 2 $E analogy --db "$DB" --embedding e1 a b "$(printf '%4097s' x)"
has err "embedlab: error: a query word has 4097 bytes; at most 4096"
exit $bad
