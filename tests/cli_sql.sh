#!/bin/sh
# The SQL extension in the stock sqlite3 shell: vec_f32 parses strictly and
# within its limits. A bad argument is an SQL error (sqlite3 exits 1), never
# a crash.
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

exit $bad
