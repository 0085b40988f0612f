#!/bin/sh
# What embedlab writes: failed writes are errors that leave no truncated file,
# names and paths never run commands through gnuplot, the HTML report escapes
# what it shows, and names outside the alphabet (README.md, "Names") are
# refused where they enter.
. "$(dirname "$0")/lib.sh"
DB=$T/lab.db
export EMBEDLAB_DB="$DB"
dump() { sqlite3 "$1" .dump | md5sum; }
sq() { printf "%s" "$1" | sed "s/'/''/g"; } # a string as the inside of an SQL literal
leftovers() { find "$T" -name '*.tmp.*' | head -5; }

awk 'BEGIN { srand(4); for (s = 0; s < 600; s++) { g = int(rand() * 4); line = "";
      for (i = 0; i < 10; i++) line = line sprintf("g%dw%d ", g, int(rand() * 6)); print line } }' >"$T/corpus.txt"
awk 'BEGIN { srand(5); split("the a film movie plot actor it was and of scene story", f, " ");
  for (i = 0; i < 300; i++) { y = int(rand() * 2); line = "";
    for (k = 0; k < 10; k++) line = line f[1 + int(rand() * 12)] " ";
    line = line (y ? "great" : "awful"); print y "\t" line } }' >"$T/all.tsv"
head -200 "$T/all.tsv" >"$T/train.tsv"
tail -100 "$T/all.tsv" >"$T/test.tsv"
export EMBEDLAB_DATA="$T/train.tsv"
run "an embedding" 0 $E embed train --corpus "$T/corpus.txt" --name planted --dim 8 --min-count 1 --epochs 1 --threads 1
run "a sweep of two runs" 0 $E sweep --test-data "$T/test.tsv" --dims 4 --cells rnn --inputs onehot,random --seeds 1 \
    --vocab 30 --maxlen 14 --epochs 1 --patience 0 --threads 1

# Standard output that cannot be written is an error, for every command that prints.
full() { "$@" >/dev/full; }
for c in "report" "runs" "embed list" "nearest --embedding planted g1w1" "analogy --embedding planted g1w1 g1w2 g2w1" \
    "data tokenize some words" "data dump" "data stats"; do
    run "$c > /dev/full" 1 full $E $c
    has err "^embedlab: error: writing standard output: No space left on device$"
done
run "data dump past a file-size limit" 1 sh -c "ulimit -f 1; \"$E\" data dump >\"$T/dump.tsv\""
has err "^embedlab: error: writing standard output: File too large$"

# Files: written whole or not at all, an old file kept when a new one fails.
# A link to a device is written through, not replaced (through a link of our
# own: a binary that renames onto its output must not replace /dev/full itself).
ln -s /dev/full "$T/full-link"
run "export through a link to /dev/full" 1 $E embed export --embedding planted "$T/full-link"
has err "^embedlab: error: writing $T/full-link: No space left on device$"
[ -L "$T/full-link" ] && ok "the link is still a link" || notok "the link was replaced"
run "export into a missing folder" 1 $E embed export --embedding planted "$T/nowhere/v.bin"
has err "embedlab: error: writing $T/nowhere/v.bin: No such file or directory"
# A full disk and a read-only one: small tmpfs mounts, where this machine
# allows them (root, CAP_SYS_ADMIN). The lab database stays outside them.
mkdir "$T/full" "$T/ro"
trap 'umount "$T/full" "$T/ro" 2>/dev/null; rm -rf "$T"' EXIT
if mount -t tmpfs -o size=12k tmpfs "$T/full" 2>/dev/null && mount -t tmpfs -o ro,size=12k tmpfs "$T/ro" 2>/dev/null; then
    mounted=1
else
    mounted=0
    echo "# skipped: cannot mount a tmpfs here, so the full and read-only disk checks did not run"
fi

if command -v gnuplot >/dev/null 2>&1; then
    cd "$T"
    words="g1w1 g2w1 g3w1 g0w2"
    run "plot into a missing folder" 1 $E plot words --embedding planted $words --out "$T/nowhere/w.png"
    has err "writing $T/nowhere/w.dat: No such file or directory"
    if [ $mounted = 1 ]; then
        run "plot words onto a read-only disk" 1 $E plot words --embedding planted $words --out ro/w.png
        has err "writing ro/w.dat: Read-only file system"
        run "plot words onto a full disk" 1 $E plot words --embedding planted $words --out full/w.png
        has err "writing full/w.png: gnuplot's image is incomplete"
        same "the script and data are whole, the image absent" "$(ls -A full | tr '\n' ' ')" "w.dat w.gp "
        grep -q "^plot './w.dat'" full/w.gp && ok "w.gp is whole" || notok "w.gp is cut short"
        run "report --html onto a full disk" 1 $E report --html full/r.html
        has err "writing full/r.html: No space left on device"
        dd if=/dev/zero of=full/fill bs=1k count=64 2>/dev/null
        run "export onto a full disk" 1 $E embed export --embedding planted --format text full/v.txt
        has err "writing full/v.txt: No space left on device"
        # (the report's plot data, r-sweep.dat, fitted and is whole; its script did not)
        same "nothing else left on the full disk" "$(ls -A full | tr '\n' ' ')" "fill r-sweep.dat w.dat w.gp "
    fi
    # A file-size limit (no lab database needed: SQLite's own files would hit it).
    mkdir lim lim0
    run "a length histogram" 0 $E plot lengths --out lim/len.png
    before=$(md5sum <lim/len.png)
    run "the same past a file-size limit" 1 sh -c "ulimit -f 4; \"$E\" plot lengths --out lim/len.png"
    has err "writing lim/len.png: gnuplot's image is incomplete"
    same "the old image is kept whole" "$(md5sum <lim/len.png)" "$before"
    [ -z "$(leftovers)" ] && ok "no temp files left" || notok "left: $(leftovers)"
    ln -s len.png lim/link.png
    : >lim/len.png
    run "a plot through a link" 0 $E plot lengths --out lim/link.png
    [ -L lim/link.png ] && [ "$(md5sum <lim/len.png)" = "$before" ] && ok "the link stays, its target is drawn" ||
        notok "the link was replaced"
    # (the message goes through a pipe: a limit of 0 would stop it on the way to a file too)
    ( (ulimit -f 0; exec "$E" data stats --plot lim0/len.png) 2>&1 >/dev/null; echo "exit $?") | cat >"$T/err"
    has err "^exit 1$"
    has err "writing lim0/len.dat: File too large"
    same "nothing left of it" "$(ls -A lim0)" ""

    # Names and paths that are gnuplot code. A lab database made elsewhere (or
    # before names were checked) may hold any name: put them there with sqlite3.
    evil_embedding() {
        sqlite3 "$DB" "INSERT INTO embeddings(name, dim) SELECT '$(sq "$1")', dim FROM embeddings WHERE name = 'planted';
            INSERT INTO vectors SELECT (SELECT max(id) FROM embeddings), word, rank, count, vec FROM vectors
            WHERE embedding_id = (SELECT id FROM embeddings WHERE name = 'planted')"
    }
    i=0
    for name in "x'; system(\"touch pwned\"); print '" 'z`touch pwned`z' "$(printf 'y\nsystem("touch pwned")\nx')" \
        "a\\' . system(\"touch pwned\") . '"; do
        i=$((i + 1))
        evil_embedding "$name"
        run "plot words, hostile name $i" 0 $E plot words --embedding "$name" $words --out "w$i.svg"
        [ ! -e pwned ] && ok "name $i ran no command" || { notok "name $i ran a command"; rm -f pwned; }
        grep -q 'touch pwned' "w$i.svg" && ok "the title shows name $i" || notok "name $i is not in the title"
    done
    run "plot words, hostile name, default path" 0 $E plot words --embedding "x'; system(\"touch pwned\"); print '" $words
    [ ! -e pwned ] && [ -s "plots/words-x___system__touch_pwned____print__.png" ] && ok "a safe default file name" ||
        notok "default path: $(ls plots)"
    sqlite3 "$DB" "UPDATE runs SET config = json_set(config, '$.embedding', '$(sq "x'; system(\"touch pwned\"); print '")')
        WHERE id = 2"
    run "plot curves, hostile embedding in a run" 0 $E plot curves 1 2 --out curves.svg
    [ ! -e pwned ] && grep -q 'touch pwned' curves.svg && ok "curves: no command, name in the key" || notok "curves"
    sqlite3 "$DB" "UPDATE runs SET sweep_key = sweep_key || ' units=$(sq "x'; system(\"touch pwned\"); print '")'
        WHERE id = 2"
    run "plot sweep, hostile setting" 0 $E plot sweep --out sweep.svg
    [ ! -e pwned ] && grep -q 'touch pwned' sweep.svg && ok "sweep: no command, setting in the key" || notok "sweep"
    i=0
    for out in "q'; system(\"touch pwned\"); print '.svg" '<touch pwned;.svg' '|touch pwned;.svg' '-e.svg' \
        ' |touch pwned;.svg'; do
        i=$((i + 1))
        run "plot words --out hostile path $i" 0 $E plot words --embedding planted $words --out "$out"
        [ ! -e pwned ] && [ -s "$out" ] && ok "path $i is a plain file name" || { notok "path $i"; rm -f pwned; }
    done
    run "a path with a newline" 1 $E plot words --embedding planted $words --out "$(printf 'a\nb.png')"
    has err "plot file name has a control character"
    cd - >/dev/null
else
    echo "# skipped: gnuplot is not installed, so the plot checks did not run"
fi

# Listings show no control characters from the database (a terminal would obey them).
sqlite3 "$DB" "INSERT INTO embeddings(name, dim, source) VALUES ('e' || char(27) || '[2J', 4, 'x' || char(10) || 'y');
    UPDATE runs SET config = json_set(config, '$.embedding', 'r' || char(27) || ']0;title' || char(7)) WHERE id = 2"
esc=$(printf '\033')
run "embed list" 0 $E embed list
has out "^e?\[2J .* x?y$"
grep -q "$esc" "$T/out" && notok "embed list printed an escape" || ok "embed list printed no escape"
run "runs" 0 $E runs
has out " r?\]0;title? "
grep -q "$esc" "$T/out" && notok "runs printed an escape" || ok "runs printed no escape"

# The HTML report escapes what it shows (a spec and a setting as another
# database may hold them).
sqlite3 "$DB" "UPDATE sweeps SET config = json_set(config, '$.spec', 'embeddings=<img src=x onerror=alert(2)>{dim}');
    UPDATE runs SET sweep_key = sweep_key || ' units=<img src=x onerror=alert(3)>' WHERE id = 1"
run "report --html" 0 $E report --html "$T/r.html"
grep -q '<img src=x' "$T/r.html" && notok "raw tag in the HTML report" || ok "no raw tag in the HTML report"
has out "&lt;img src=x onerror=alert(2)&gt;{dim}"
grep -q '&lt;img src=x onerror=alert(2)&gt;{dim}' "$T/r.html" && ok "the spec is escaped" || notok "spec not escaped"
grep -q '<td>units=&lt;img src=x onerror=alert(3)&gt;</td>' "$T/r.html" && ok "the setting is escaped" ||
    notok "setting not escaped"
grep -q '<img src=x' "$T/out" && notok "raw tag in the Markdown report" || ok "no raw tag in the Markdown report"

# Names outside the alphabet are refused where they enter, before anything is written.
run "embed train --name with a space" 2 $E embed train --db "$T/new.db" --corpus "$T/corpus.txt" --name "a b"
has err "embedding name 'a b' is not allowed: a name is 1 to 64 characters of letters, digits and . _ + -"
[ ! -e "$T/new.db" ] && ok "no lab database made" || notok "made $T/new.db"
cp "$T/corpus.txt" "$T/my corpus.txt"
run "a default name from an odd file name" 0 $E embed train --db "$T/new.db" --corpus "$T/my corpus.txt" \
    --dim 4 --min-count 1 --epochs 1 --threads 1
same "is made a name" "$(sqlite3 "$T/new.db" "SELECT name FROM embeddings")" "my_corpus.txt-sg-ns-d4-s1"
$E embed export --db "$T/new.db" --embedding my_corpus.txt-sg-ns-d4-s1 "$T/v.bin" >/dev/null
before=$(dump "$T/new.db")
for name in "x'y" "<img src=x onerror=alert(2)>" "-rf" "$(printf 'a\nb')" ""; do
    run "embed import --name '$(printf %s "$name" | tr '\n' '?')'" 2 $E embed import --db "$T/new.db" --name "$name" "$T/v.bin"
    has err "embedding name '.*' is not allowed"
done
same "the lab database is unchanged" "$(dump "$T/new.db")" "$before"
run "sweep --embeddings outside the alphabet" 2 $E sweep --db "$T/sw.db" --embeddings '<img src=x onerror=alert(2)>{dim}' --dry-run
has err "embedlab: error: --embeddings: embedding name '<img src=x onerror=alert(2)>16' is not allowed"
run "sweep --embeddings too long with {dim}" 2 $E sweep --db "$T/sw.db" --dims 16 \
    --embeddings "$(printf 'a%.0s' $(seq 1 63)){dim}" --dry-run
run "sweep --name outside the alphabet" 2 $E sweep --db "$T/sw.db" --name "my sweep" --dry-run
has err "sweep name 'my sweep' is not allowed"
[ ! -e "$T/sw.db" ] && ok "no lab database made" || notok "made $T/sw.db"
run "sweep --embeddings in the alphabet" 0 $E sweep --db "$T/sw.db" --embeddings 'imdb-sg{dim}' --name nightly.1 --dry-run
has out "embedding imdb-sg16 (dim 16)"
sqlite3 "$T/new.db" "VACUUM INTO '$T/foreign.db'"
sqlite3 "$T/foreign.db" "UPDATE embeddings SET name = 'x''; system(\"touch pwned\"); print '''"
run "merge of a foreign name" 1 $E merge "$T/merged.db" "$T/foreign.db"
has err "merging $T/foreign.db: embedding name 'x'; system(\"touch pwned\"); print '' is not allowed"
[ ! -e "$T/merged.db" ] && ok "and OUT is not made" || notok "merge made OUT"
before=$(dump "$T/new.db")
run "merge of a foreign name into a lab database" 1 $E merge "$T/new.db" "$T/foreign.db"
same "leaves it unchanged" "$(dump "$T/new.db")" "$before"
sqlite3 "$T/new.db" "VACUUM INTO '$T/foreign2.db'"
sqlite3 "$T/foreign2.db" "INSERT INTO sweeps(name, config) VALUES ('a b', '{}')"
run "merge of a foreign sweep name" 1 $E merge "$T/merged.db" "$T/foreign2.db"
has err "sweep name 'a b' is not allowed"
exit $bad
