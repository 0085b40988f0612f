/* tests/test_tokenizer.c: every tokenizer kind (embed/text/tokenizer.h) on fixed
 * Korean, mixed-script, compatibility-form and malformed inputs, with the
 * exact tokens expected; the words kind against text_tokens(); the spm kind
 * trained, saved, loaded and trained again. */
#include "tests/fixtures.h"
#include "tests/spm_craft.h"

#include "core/common.h"
#include "core/rng.h"
#include "embed/text/spm.h"
#include "embed/text/text.h"
#include "embed/text/tok_kind.h"
#include "embed/text/tok_norm.h"
#include "embed/text/tokenizer.h"

/* The tokens of in[0..n) by the tokenizer of spec; *invalid gets the count.
 * The result is valid until the next call. */
static const char *tok_n(const char *spec, const char *in, size_t n, size_t *invalid) {
    static TokenBuf b;
    static char out[4096];
    Tokenizer *t;
    assert_int_equal(tokenizer_new(spec, &t), 0);
    assert_int_equal(tokenizer_tokens(t, in, n, &b), 0);
    assert_int_equal(b.len, strlen(b.text));
    assert_true(b.len < sizeof out);
    /* ntokens counts the space-separated tokens, none empty. */
    size_t count = b.len > 0;
    for (size_t i = 0; i < b.len; i++) {
        count += b.text[i] == ' ';
        if (b.text[i] == ' ')
            assert_true(i > 0 && i + 1 < b.len && b.text[i + 1] != ' ');
    }
    assert_int_equal(b.ntokens, count);
    memcpy(out, b.text, b.len + 1);
    if (invalid)
        *invalid = b.invalid;
    tokenizer_free(t);
    tokbuf_free(&b);
    return out;
}

static const char *tok(const char *spec, const char *in) {
    size_t invalid;
    const char *out = tok_n(spec, in, strlen(in), &invalid);
    assert_int_equal(invalid, 0);
    return out;
}

static const char korean[] = "영화가 정말 최고다!!!! ㅋㅋㅋㅋㅋ 10점 만점에 10점";
static const char mixed[] = "Netflix에서 본 movie 😀👍 I<br />LOVED it";

static void specs(void **state) {
    (void)state;
    static const char *const cases[][2] = {
        {"words", "words"},
        {"unicode", "unicode"},
        {"chars", "chars"},
        {"spm", "spm:unigram:8000"},
        {"spm:bpe", "spm:bpe:8000"},
        {"spm:unigram:500", "spm:unigram:500"},
        {"spm:bpe:16000", "spm:bpe:16000"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        Tokenizer *t;
        assert_int_equal(tokenizer_new(cases[i][0], &t), 0);
        assert_string_equal(tokenizer_spec(t), cases[i][1]);
        assert_int_equal(tokenizer_learned(t), strncmp(cases[i][1], "spm", 3) == 0);
        assert_int_equal(tokenizer_ready(t), !tokenizer_learned(t));
        tokenizer_free(t);
    }
    static const char *const bad[] = {
        "",         "word",      "wordsx",          "words:x",     "unicode:nfc", "chars:", "spm:wordpiece",
        "spm:bpe:", "spm:bpe:7", "spm:bpe:1000001", "spm:bpe:12x", "spm:bpe:-5",  "SPM"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        Tokenizer *t = (Tokenizer *)1;
        assert_int_equal(tokenizer_new(bad[i], &t), -1);
        assert_null(t);
        assert_true(strlen(el_error()) > 0);
    }
    Tokenizer *t;
    assert_int_equal(tokenizer_new("nope", &t), -1);
    assert_non_null(strstr(el_error(), "words, unicode, chars, spm"));
}

/* The words kind is text_tokens(), byte for byte. */
static void words_is_the_text_spec(void **state) {
    (void)state;
    static const char *const inputs[] = {"I<br />didn't LIKE it... 10/10 '재밌다'",
                                         "''quoted'' rock'n'roll",
                                         "",
                                         "  \t ",
                                         korean,
                                         mixed,
                                         "Top-10 of 2009, 3.5/5"};
    for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
        char old[512];
        text_tokens(inputs[i], strlen(inputs[i]), old);
        assert_string_equal(tok("words", inputs[i]), old);
    }
    assert_string_equal(tok("words", korean), "영화가 정말 최고다 ㅋㅋㅋㅋㅋ 10점 만점에 10점");
    assert_string_equal(tok("words", mixed), "netflix에서 본 movie 😀👍 i loved it");
    assert_string_equal(tok("words", "ＡＢＣ１２３"), "ＡＢＣ１２３");
}

static void unicode_korean_and_mixed(void **state) {
    (void)state;
    assert_string_equal(tok("unicode", korean), "영화가 정말 최고다 !!! ㅋㅋㅋ 10점 만점에 10점");
    assert_string_equal(tok("unicode", mixed), "netflix에서 본 movie 😀 👍 i loved it");
    /* Compatibility jamo stay jamo: NFKC would make ㅋㅠ the syllable 큐. */
    assert_string_equal(tok("unicode", "ㅋㅠㅠ ㅎㅎ ㅡㅡ;;"), "ㅋㅠㅠ ㅎㅎ ㅡㅡ ;;");
    /* Conjoining jamo compose (NFKC), syllables stay whole. */
    assert_string_equal(tok("unicode", "\xe1\x84\x80\xe1\x85\xa1 한국어"), "가 한국어");
    /* A run of jamo is a word of its own. */
    assert_string_equal(tok("unicode", "재밌다ㅋㅋㅋㅋ^^ ㅋㅋㅋ지금은 긴장감ㄷㄷ"),
                        "재밌다 ㅋㅋㅋ ^^ ㅋㅋㅋ 지금은 긴장감 ㄷㄷ");
}

static void unicode_rules(void **state) {
    (void)state;
    /* NFKC and case folding. */
    assert_string_equal(tok("unicode", "ＡＢＣ１２３"), "abc123");
    assert_string_equal(tok("unicode", "ÉCOLE Straße ﬁn ① Cafe\xcc\x81"), "école strasse fin 1 café");
    /* Apostrophes inside words, punctuation and symbols as tokens. */
    assert_string_equal(tok("unicode", "didn't l’amour 'tis dogs' z'ㅋ"), "didn't l'amour ' tis dogs ' z ' ㅋ");
    assert_string_equal(tok("unicode", "Wow?! ...... 10/10 $5 a_b"), "wow ? ! ... 10 / 10 $ 5 a _ b");
    /* Runs cut at three, digits excepted. */
    assert_string_equal(tok("unicode", "sooooo goood!!!!!!! 1000000"), "sooo goood !!! 1000000");
    /* Emoji: one token each, a run of one emoji one token, skin tones and
     * flags kept whole. */
    assert_string_equal(tok("unicode", "😀😀😀😀😀 👍🏽👍🏽 🇰🇷🇯🇵 ❤️"),
                        "😀😀😀 👍🏽👍🏽 🇰🇷 🇯🇵 ❤");
    /* Line breaks as the words spec; zero-width and soft hyphen removed. */
    assert_string_equal(tok("unicode", "a<br/>b<BR>c<br  />d"), "a b c < br / > d");
    assert_string_equal(tok("unicode", "zero\xe2\x80\x8bwidth soft\xc2\xadhyphen"), "zerowidth softhyphen");
    /* Other scripts: marks stay in their word. */
    assert_string_equal(tok("unicode", "नमस्ते दुनिया, Привет МИР! 日本語のテキスト。"),
                        "नमस्ते दुनिया , привет мир ! 日本語のテキスト 。");
    assert_string_equal(tok("unicode", ""), "");
    assert_string_equal(tok("unicode", " \t\n\r "), "");
}

static void chars_kind(void **state) {
    (void)state;
    assert_string_equal(tok("chars", korean), "영 화 가 정 말 최 고 다 ! ! ! ㅋ ㅋ ㅋ 1 0 점 만 점 에 1 0 점");
    assert_string_equal(tok("chars", mixed), "n e t f l i x 에 서 본 m o v i e 😀 👍 i l o v e d i t");
    assert_string_equal(tok("chars", "ＡＢＣ１２３"), "a b c 1 2 3");
    assert_string_equal(tok("chars", "👍🏽🇰🇷 नमस्ते"), "👍🏽 🇰🇷 न म स् ते");
    assert_string_equal(tok("chars", "  "), "");
}

/* Malformed UTF-8: each maximal ill-formed subpart is one U+FFFD, counted;
 * U+FFFD separates tokens and is never one. */
static void malformed(void **state) {
    (void)state;
    static const struct {
        const char *in, *unicode, *chars;
        size_t invalid;
    } cases[] = {
        {"ab\x80\x80"
         "cd",
         "ab cd", "a b c d", 2}, /* lone continuation bytes */
        {"ab\xe6\x97"
         "cd",
         "ab cd", "a b c d", 1},                              /* a truncated 3-byte sequence */
        {"ab\xf0\x9f\x98", "ab", "a b", 1},                   /* truncated at the end */
        {"\xc0\xaf \xe0\x80\xaf x", "x", "x", 5},             /* overlong '/': C0 AF, E0 80 AF */
        {"\xed\xa0\x80\xed\xbf\xbf", "", "", 6},              /* UTF-16 surrogates D800, DFFF */
        {"\xf4\x90\x80\x80 \xf8\x88\x80\x80\x80", "", "", 9}, /* above U+10FFFF, 5-byte forms */
        {"\xff\xfe\xfd 좋아", "좋아", "좋 아", 3},
        {"\xea\xb0", "", "", 1}, /* half a Hangul syllable */
        {"a\xc3(b", "a ( b", "a ( b", 1},
        {"\xef\xbf\xbd ok", "ok", "o k", 0}, /* a real U+FFFD is not invalid */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        size_t n = strlen(cases[i].in), invalid;
        assert_string_equal(tok_n("unicode", cases[i].in, n, &invalid), cases[i].unicode);
        assert_int_equal(invalid, cases[i].invalid);
        assert_string_equal(tok_n("chars", cases[i].in, n, &invalid), cases[i].chars);
        assert_int_equal(invalid, cases[i].invalid);
        /* words keeps the bytes, as its spec says, and counts them alike. */
        tok_n("words", cases[i].in, n, &invalid);
        assert_int_equal(invalid, cases[i].invalid);
    }
    /* NUL bytes separate tokens. */
    size_t invalid;
    assert_string_equal(tok_n("unicode", "a\0b", 3, &invalid), "a b");
}

/* utf8_next against the Unicode Standard's table 3-7, on every code point
 * and on every lead byte followed by every second byte. */
static void utf8_decoder(void **state) {
    (void)state;
    for (int32_t c = 0; c < 0x110000; c++) {
        unsigned char buf[4];
        size_t n;
        if (c < 0x80)
            buf[0] = (unsigned char)c, n = 1;
        else if (c < 0x800)
            buf[0] = (unsigned char)(0xc0 | c >> 6), buf[1] = (unsigned char)(0x80 | (c & 0x3f)), n = 2;
        else if (c < 0x10000)
            buf[0] = (unsigned char)(0xe0 | c >> 12), buf[1] = (unsigned char)(0x80 | (c >> 6 & 0x3f)),
            buf[2] = (unsigned char)(0x80 | (c & 0x3f)), n = 3;
        else
            buf[0] = (unsigned char)(0xf0 | c >> 18), buf[1] = (unsigned char)(0x80 | (c >> 12 & 0x3f)),
            buf[2] = (unsigned char)(0x80 | (c >> 6 & 0x3f)), buf[3] = (unsigned char)(0x80 | (c & 0x3f)), n = 4;
        int32_t cp;
        size_t len = utf8_next(buf, n, &cp);
        if (c >= 0xd800 && c <= 0xdfff) {
            assert_int_equal(cp, -1);
            assert_int_equal(len, 1);
        } else {
            assert_int_equal(cp, c);
            assert_int_equal(len, n);
        }
    }
    for (unsigned a = 0; a < 256; a++)
        for (unsigned b = 0; b < 256; b++) {
            unsigned char buf[2] = {(unsigned char)a, (unsigned char)b};
            int32_t cp;
            size_t len = utf8_next(buf, 2, &cp);
            int lead2 = a >= 0xc2 && a <= 0xdf, lead3 = a >= 0xe0 && a <= 0xef, lead4 = a >= 0xf0 && a <= 0xf4;
            unsigned lo = a == 0xe0 ? 0xa0 : a == 0xf0 ? 0x90 : 0x80, hi = a == 0xed ? 0x9f : a == 0xf4 ? 0x8f : 0xbf;
            if (a < 0x80)
                assert_true(len == 1 && cp == (int32_t)a);
            else if (!(lead2 || lead3 || lead4) || b < lo || b > hi)
                assert_true(len == 1 && cp == -1);
            else if (lead2)
                assert_true(len == 2 && cp >= 0x80);
            else
                assert_true(len == 2 && cp == -1); /* a good start, cut short */
        }
}

/* Random bytes through every fixed kind: no crash, tokens well-formed UTF-8
 * without spaces, and (unicode, chars) tokenizing the output again gives it
 * back with nothing invalid. */
static void random_bytes(void **state) {
    (void)state;
    Rng r;
    rng_seed(&r, 11);
    static const char *const kinds[] = {"words", "unicode", "chars"};
    static const char *const pieces[] = {"a",
                                         "Z",
                                         "9",
                                         "'",
                                         " ",
                                         "<br />",
                                         "!",
                                         "ㅋ",
                                         "가",
                                         "\xe1\x84\x80",
                                         "\xcc\x81",
                                         "😀",
                                         "\xf0\x9f\x8f\xbd",
                                         "\xf0\x9f\x87\xb0",
                                         "\x80",
                                         "\xc3",
                                         "\xed\xa0",
                                         "\xff",
                                         "ﬁ",
                                         "Ａ",
                                         "\xe2\x80\x8b",
                                         "\0"};
    TokenBuf b, again;
    tokbuf_init(&b);
    tokbuf_init(&again);
    Tokenizer *t[3];
    for (int k = 0; k < 3; k++)
        assert_int_equal(tokenizer_new(kinds[k], &t[k]), 0);
    char in[600];
    for (int iter = 0; iter < 3000; iter++) {
        size_t n = 0, want = rng_below(&r, 100);
        while (n < want) {
            const char *p = pieces[rng_below(&r, sizeof pieces / sizeof *pieces)];
            size_t len = *p ? strlen(p) : 1;
            memcpy(in + n, p, len);
            n += len;
        }
        for (int k = 0; k < 3; k++) {
            assert_int_equal(tokenizer_tokens(t[k], in, n, &b), 0);
            assert_int_equal(strlen(b.text), b.len);
            if (k == 0)
                continue;
            assert_int_equal(utf8_invalid(b.text, b.len), 0);
            assert_int_equal(tokenizer_tokens(t[k], b.text, b.len, &again), 0);
            assert_int_equal(again.invalid, 0);
            assert_string_equal(again.text, b.text);
        }
    }
    for (int k = 0; k < 3; k++)
        tokenizer_free(t[k]);
    tokbuf_free(&b);
    tokbuf_free(&again);
}

/* ---- spm ---- */

typedef struct {
    char **texts;
    size_t n, i;
} Texts;

static int next_text(void *ctx, const char **text, size_t *n) {
    Texts *t = ctx;
    if (t->i == t->n)
        return 0;
    *text = t->texts[t->i];
    *n = strlen(t->texts[t->i++]);
    return 1;
}

/* A small Korean-ish corpus: nouns with particles, adjectives, laughter and
 * scores, drawn from a fixed seed. */
static Texts corpus(size_t n) {
    static const char *const nouns[] = {"영화", "배우", "연기", "스토리", "감독", "음악", "결말", "장면"};
    static const char *const particles[] = {"가", "는", "를", "도", "에서", "의", "이", "은"};
    static const char *const adjectives[] = {"최고다", "별로다", "재밌다", "지루하다", "좋았다", "슬펐다"};
    static const char *const extras[] = {"ㅋㅋㅋ", "ㅠㅠ", "!!", "10점", "진짜", "너무", "정말"};
    Rng r;
    rng_seed(&r, 3);
    Texts t = {.texts = malloc(n * sizeof(char *)), .n = n};
    for (size_t i = 0; i < n; i++) {
        char s[256] = "";
        int words = 2 + (int)rng_below(&r, 4);
        for (int w = 0; w < words; w++) {
            strcat(s, nouns[rng_below(&r, 8)]);
            strcat(s, particles[rng_below(&r, 8)]);
            strcat(s, " ");
            if (rng_below(&r, 2))
                strcat(s, extras[rng_below(&r, 7)]), strcat(s, " ");
        }
        strcat(s, adjectives[rng_below(&r, 6)]);
        t.texts[i] = strdup(s);
    }
    return t;
}

static void texts_free(Texts *t) {
    for (size_t i = 0; i < t->n; i++)
        free(t->texts[i]);
    free(t->texts);
}

static Tokenizer *trained(const char *spec, Texts *texts) {
    Tokenizer *t;
    assert_int_equal(tokenizer_new(spec, &t), 0);
    texts->i = 0;
    TextIter it = {next_text, texts};
    if (tokenizer_train(t, &it) != 0)
        fail_msg("%s", el_error());
    assert_true(tokenizer_ready(t));
    return t;
}

static char *model_bytes(const Tokenizer *t, size_t *n) {
    char *bytes;
    assert_int_equal(tokenizer_save(t, &bytes, n), 0);
    return bytes;
}

static const char *pieces(const Tokenizer *t, const char *in) {
    static TokenBuf b;
    static char out[1024];
    assert_int_equal(tokenizer_tokens(t, in, strlen(in), &b), 0);
    assert_true(b.len < sizeof out);
    memcpy(out, b.text, b.len + 1);
    tokbuf_free(&b);
    return out;
}

/* Exact pieces of models trained on corpus(400), by SentencePiece 0.1.97
 * (Debian bookworm's libsentencepiece-dev): another version may cut
 * otherwise, and this test says so first. Words come from the unicode kind,
 * so a piece never crosses a word or a punctuation mark; U+2581 starts a
 * word; characters the model has never seen come back whole ("netflix"). */
static void spm_korean(void **state) {
    (void)state;
    Texts texts = corpus(400);
    Tokenizer *uni = trained("spm:unigram:100", &texts), *bpe = trained("spm:bpe:100", &texts);
    assert_string_equal(pieces(uni, korean),
                        "▁영화 가 ▁ 정 말 ▁ 최 고 다 ▁ ! ! ! ▁ ㅋㅋ ㅋ ▁ 1 0 점 ▁ 만 점 에 ▁ 1 0 점");
    assert_string_equal(pieces(uni, "배우의 연기는 너무 지루하다 ㅠㅠ"),
                        "▁배우 의 ▁연기 는 ▁ 너 무 ▁ 지 루 하 다 ▁ ㅠ ㅠ");
    assert_string_equal(pieces(bpe, korean), "▁영화 가 ▁정말 ▁최고다 ▁!! ! ▁ㅋㅋㅋ ▁10 점 ▁ 만 점 에 ▁10 점");
    assert_string_equal(pieces(bpe, "배우의 연기는 너무 지루하다 ㅠㅠ"), "▁배우 의 ▁연기 는 ▁너무 ▁지 루하다 ▁ㅠㅠ");
    assert_string_equal(pieces(bpe, mixed), "▁ netflix 에서 ▁ 본 ▁ movie ▁ 😀 ▁ 👍 ▁ i ▁ loved ▁ it");
    /* Normalised as the unicode kind, invalid UTF-8 counted. */
    assert_string_equal(pieces(bpe, "ＡＢＣ"), pieces(bpe, "abc"));
    TokenBuf b;
    tokbuf_init(&b);
    assert_int_equal(tokenizer_tokens(bpe, "\xff\xfe너무", 8, &b), 0);
    assert_string_equal(b.text, "▁너무");
    assert_int_equal(b.invalid, 2);
    assert_int_equal(tokenizer_tokens(bpe, "", 0, &b), 0);
    assert_string_equal(b.text, "");
    assert_int_equal(b.ntokens, 0);
    tokbuf_free(&b);
    tokenizer_free(uni);
    tokenizer_free(bpe);
    texts_free(&texts);
}

/* save -> load gives the same pieces and the same bytes; training again,
 * with one thread or two, gives the same bytes. */
static void spm_round_trip(void **state) {
    (void)state;
    Texts texts = corpus(400);
    static const char *const specs[] = {"spm:unigram:100", "spm:bpe:100"};
    static const char *const inputs[] = {korean, mixed, "배우의 연기는 너무 지루하다 ㅠㅠ", "감독을 진짜"};
    for (int k = 0; k < 2; k++) {
        el_set_threads(2);
        Tokenizer *t = trained(specs[k], &texts);
        size_t n;
        char *bytes = model_bytes(t, &n);
        assert_true(n > 100);
        Tokenizer *u;
        assert_int_equal(tokenizer_new(tokenizer_spec(t), &u), 0);
        assert_int_equal(tokenizer_load(u, bytes, n), 0);
        assert_true(tokenizer_ready(u));
        for (size_t i = 0; i < sizeof inputs / sizeof *inputs; i++) {
            char want[1024];
            strcpy(want, pieces(t, inputs[i]));
            assert_string_equal(pieces(u, inputs[i]), want);
        }
        size_t n2;
        char *again = model_bytes(u, &n2);
        assert_int_equal(n2, n);
        assert_memory_equal(again, bytes, n);
        free(again);
        for (int threads = 1; threads <= 2; threads++) {
            el_set_threads(threads);
            Tokenizer *v = trained(specs[k], &texts);
            again = model_bytes(v, &n2);
            assert_int_equal(n2, n);
            assert_memory_equal(again, bytes, n);
            free(again);
            tokenizer_free(v);
        }
        free(bytes);
        tokenizer_free(t);
        tokenizer_free(u);
    }
    el_set_threads(0);
    texts_free(&texts);
}

/* A text longer than SentencePiece's limit (a corpus file of one line) is
 * trained on in parts cut between words: SentencePiece left it out, and
 * with nothing else to train on failed ("Internal: ... [!sentences_.empty()]").
 * A single word over the limit is left out. */
static void spm_long_text(void **state) {
    (void)state;
    Texts base = corpus(400);
    char *one = malloc(SPM_MAX_TEXT + 1024), *end = one;
    for (size_t i = 0; end - one < SPM_MAX_TEXT + 100; i++)
        end += sprintf(end, "%s%s", i ? " " : "", base.texts[i % base.n]);
    Texts whole = {.texts = &one, .n = 1};
    Tokenizer *t = trained("spm:bpe:100", &whole);
    assert_string_equal(pieces(t, "배우의 연기는 너무 지루하다 ㅠㅠ"), "▁배우 의 ▁연기 는 ▁너무 ▁지 루하다 ▁ㅠㅠ");
    tokenizer_free(t);
    /* One word over the limit with a short one, then a short text: the
     * model of the two short ones. */
    for (size_t i = 0; i <= SPM_MAX_TEXT; i++)
        one[i] = "xy"[i % 2]; /* not one letter: the unicode kind cuts its runs to three */
    strcpy(one + SPM_MAX_TEXT + 1, " 감독");
    char *two[] = {one, base.texts[0]}, *short_ones[] = {"감독", base.texts[0]};
    Texts with_long = {.texts = two, .n = 2}, without = {.texts = short_ones, .n = 2};
    t = trained("spm:bpe:100", &with_long);
    Tokenizer *u = trained("spm:bpe:100", &without);
    size_t nt, nu;
    char *bt = model_bytes(t, &nt), *bu = model_bytes(u, &nu);
    assert_int_equal(nt, nu);
    assert_memory_equal(bt, bu, nt);
    free(bt);
    free(bu);
    tokenizer_free(t);
    tokenizer_free(u);
    free(one);
    texts_free(&base);
}

static void spm_errors(void **state) {
    (void)state;
    Tokenizer *t;
    TokenBuf b;
    tokbuf_init(&b);
    char *bytes;
    size_t n;
    /* Not trained: nothing to tokenize with or to save. */
    assert_int_equal(tokenizer_new("spm:bpe:100", &t), 0);
    assert_int_equal(tokenizer_tokens(t, "abc", 3, &b), -1);
    assert_non_null(strstr(el_error(), "not trained"));
    assert_int_equal(tokenizer_save(t, &bytes, &n), -1);
    /* No texts, or only empty ones. */
    Texts none = {.texts = NULL, .n = 0};
    TextIter it = {next_text, &none};
    assert_int_equal(tokenizer_train(t, &it), -1);
    assert_non_null(strstr(el_error(), "no text with a token to train on"));
    char *blank[] = {"", " ", "\xff\t"};
    Texts empty = {.texts = blank, .n = 3};
    it.ctx = &empty;
    assert_int_equal(tokenizer_train(t, &it), -1);
    assert_false(tokenizer_ready(t));
    /* Bytes that are not a model: refused, the model kept. */
    Texts texts = corpus(200);
    tokenizer_free(t);
    t = trained("spm:bpe:100", &texts);
    char want[1024];
    strcpy(want, pieces(t, korean));
    static const char garbage[] = "not a model at all \x08\x96\x01";
    assert_int_equal(tokenizer_load(t, garbage, sizeof garbage), -1);
    assert_non_null(strstr(el_error(), "not a SentencePiece model"));
    assert_int_equal(tokenizer_load(t, garbage, 0), -1);
    assert_true(tokenizer_ready(t));
    assert_string_equal(pieces(t, korean), want);
    /* A model whose piece is one NUL byte: refused before SentencePiece
     * sees it (embed/text/spm_model.h). SentencePiece itself throws (darts:
     * "zero-length key") inside the load; spm_load refuses it, and nothing
     * leaks (the processor made before the throw was once lost: make
     * sanitize caught it). */
    static const char nul_piece[] = "\x0a\x09\x0a\x05<unk>\x18\x02\x0a\x08\x0a\x01"
                                    "a\x15\x00\x00\x00\xc0"
                                    "\x0a\x08\x0a\x01\x00\x15\x00\x00\x80\xbf";
    assert_int_equal(tokenizer_load(t, nul_piece, sizeof nul_piece - 1), -1);
    assert_non_null(strstr(el_error(), "piece 2 holds a space or a control character"));
    assert_string_equal(pieces(t, korean), want);
    char err[512];
    assert_null(spm_load(nul_piece, sizeof nul_piece - 1, err, sizeof err));
    assert_non_null(strstr(err, "zero-length key"));
    /* Truncated models: refused or loaded, never a crash. */
    bytes = model_bytes(t, &n);
    for (size_t cut = 0; cut < n; cut += 7)
        if (tokenizer_load(t, bytes, cut) == 0)
            pieces(t, korean);
    free(bytes);
    tokenizer_free(t);
    texts_free(&texts);
    /* Fixed kinds: no training, no model. */
    assert_int_equal(tokenizer_new("unicode", &t), 0);
    assert_int_equal(tokenizer_train(t, &it), -1);
    assert_int_equal(tokenizer_save(t, &bytes, &n), 0);
    assert_int_equal(n, 0);
    free(bytes);
    assert_int_equal(tokenizer_load(t, "", 0), 0);
    assert_int_equal(tokenizer_load(t, "x", 1), -1);
    tokenizer_free(t);
    tokbuf_free(&b);
}

/* One ready tokenizer shared by threads, each with its own TokenBuf, gives
 * what one thread gives (the seam's promise: embed/text/tokenizer.h). */
static void shared_by_threads(void **state) {
    (void)state;
    Texts texts = corpus(300);
    Tokenizer *kinds[3];
    assert_int_equal(tokenizer_new("unicode", &kinds[0]), 0);
    assert_int_equal(tokenizer_new("chars", &kinds[1]), 0);
    kinds[2] = trained("spm:unigram:100", &texts);
    for (int k = 0; k < 3; k++) {
        char **want = calloc(texts.n, sizeof *want);
        TokenBuf b;
        tokbuf_init(&b);
        for (size_t i = 0; i < texts.n; i++) {
            assert_int_equal(tokenizer_tokens(kinds[k], texts.texts[i], strlen(texts.texts[i]), &b), 0);
            want[i] = strdup(b.text);
        }
        tokbuf_free(&b);
        int bad = 0;
#pragma omp parallel num_threads(4) reduction(+ : bad)
        {
            TokenBuf mine;
            tokbuf_init(&mine);
#pragma omp for schedule(dynamic, 1)
            for (size_t i = 0; i < texts.n; i++)
                bad += tokenizer_tokens(kinds[k], texts.texts[i], strlen(texts.texts[i]), &mine) != 0 ||
                       strcmp(mine.text, want[i]) != 0;
            tokbuf_free(&mine);
        }
        assert_int_equal(bad, 0);
        for (size_t i = 0; i < texts.n; i++)
            free(want[i]);
        free(want);
        tokenizer_free(kinds[k]);
    }
    texts_free(&texts);
}

/* Terminal columns, for lining up words (cli/embed/word_query.c): Hangul and
 * other wide characters take two, combining marks none, bad bytes one. */
/* Every kind declares its query form in its registry entry (what an
 * embedding records in embeddings.query_form, for the SQL extension), and
 * each form round-trips through the name it is recorded under. */
static void every_kind_declares_its_query_form(void **state) {
    (void)state;
    static const TokQueryForm want[] = {TOK_QUERY_WORDS, TOK_QUERY_UNICODE, TOK_QUERY_UNICODE, TOK_QUERY_UNICODE};
    size_t i = 0;
    for (; tokenizer_kind_name(i); i++) {
        Tokenizer *t;
        assert_int_equal(tokenizer_new(tokenizer_kind_name(i), &t), 0);
        assert_true(i < sizeof want / sizeof *want);
        assert_int_equal(tokenizer_query_form(t), want[i]);
        tokenizer_free(t);
    }
    assert_int_equal(i, 4);
    assert_string_equal(tokenizer_names(), "words, unicode, chars, spm");
    for (int f = 0; f < TOK_QUERY_FORMS; f++) {
        const char *name = tok_query_form_name((TokQueryForm)f);
        TokQueryForm back = TOK_QUERY_FORMS;
        assert_non_null(name);
        assert_int_equal(tok_query_form_parse(name, strlen(name), &back), 0);
        assert_int_equal(back, f);
    }
    TokQueryForm back;
    assert_null(tok_query_form_name(TOK_QUERY_FORMS));
    assert_int_equal(tok_query_form_parse("word", 4, &back), -1);
    assert_int_equal(tok_query_form_parse("words\0", 6, &back), -1);
    assert_int_equal(tok_query_form_parse(NULL, 0, &back), -1);
}

/* tokenizer_register refuses what no spec or lab.db could name. */
static void register_refuses_bad_kinds(void **state) {
    (void)state;
    TokenizerKind k = tok_words;
    assert_int_equal(tokenizer_register(&k), -1); /* "words" is taken */
    k.name = "a:b";
    assert_int_equal(tokenizer_register(&k), -1);
    k.name = "";
    assert_int_equal(tokenizer_register(&k), -1);
    k.name = "fresh";
    k.query_form = TOK_QUERY_FORMS;
    assert_int_equal(tokenizer_register(&k), -1);
    assert_null(tokenizer_kind_name(4));
}

static void columns(void **state) {
    (void)state;
    assert_int_equal(utf8_columns("good"), 4);
    assert_int_equal(utf8_columns("최고다"), 6);
    assert_int_equal(utf8_columns("ㅋㅋ"), 4);
    assert_int_equal(utf8_columns("cafe\xcc\x81"), 4); /* e + combining acute */
    assert_int_equal(utf8_columns("a\xff\xfe"
                                  "b"),
                     4);
    assert_int_equal(utf8_columns(""), 0);
}

/* A model embedlab did not train with its own settings is refused before
 * SentencePiece parses it (issue 18 item 2): a crafted normalizer rule
 * crashed libsentencepiece (SIGSEGV in its normalizer) on the first text. */
typedef struct {
    const char *what, *reason;
    uint32_t drop; /* the real model's field replaced (0: none) */
    Craft extra;
} Hostile;

static Craft normalizer(const char *name, const Craft *charsmap, int flag, uint64_t value) {
    Craft c = {0};
    if (name)
        craft_len(&c, 1, name, strlen(name));
    if (charsmap)
        craft_len(&c, 2, charsmap->p, charsmap->n);
    if (flag == 6) /* normalization_rule_tsv, a string */
        craft_len(&c, 6, "41\t42", 5);
    else if (flag)
        craft_uint(&c, (uint32_t)flag, value);
    return c;
}

static Craft wrapped(uint32_t field, Craft inner) {
    Craft c = {0};
    craft_len(&c, field, inner.p, inner.n);
    free(inner.p);
    return c;
}

static Craft piece(const char *text, int type) {
    Craft p = {0};
    craft_len(&p, 1, text, strlen(text));
    if (type)
        craft_uint(&p, 3, (uint64_t)type);
    return wrapped(1, p);
}

static void spm_foreign_models_refused(void **state) {
    (void)state;
    Texts texts = corpus(200);
    Tokenizer *t = trained("spm:bpe:100", &texts);
    size_t n;
    char *bytes = model_bytes(t, &n), want[1024];
    strcpy(want, pieces(t, korean));
    Craft evil = craft_evil_charsmap(), byte_fallback = {0}, self_test = {0}, sample = {0};
    craft_uint(&byte_fallback, 35, 1);
    craft_len(&sample, 1, "a", 1);
    craft_len(&self_test, 1, sample.p, sample.n);
    Hostile cases[] = {
        {"a crafted charsmap", "precompiled_charsmap", 3, wrapped(3, normalizer("identity", &evil, 0, 0))},
        {"nmt_nfkc's rules", "is 'nmt_nfkc', not embedlab's identity", 3,
         wrapped(3, normalizer("nmt_nfkc", &evil, 0, 0))},
        {"a rule table", "normalization_rule_tsv", 3, wrapped(3, normalizer("identity", NULL, 6, 0))},
        {"no dummy prefix", "turns add_dummy_prefix off", 3, wrapped(3, normalizer("identity", NULL, 3, 0))},
        {"extra whitespace kept", "turns remove_extra_whitespaces off", 3,
         wrapped(3, normalizer("identity", NULL, 4, 0))},
        {"whitespace not escaped", "turns escape_whitespaces off", 3, wrapped(3, normalizer("identity", NULL, 5, 0))},
        {"a denormalizer's charsmap", "denormalizer_spec carries normalization rules", 0,
         wrapped(5, normalizer(NULL, &evil, 0, 0))},
        {"a piece with a space", "piece 100 holds a space", 0, piece("a b", 0)},
        {"a piece with a tab", "holds a space or a control character", 0, piece("a\tb", 0)},
        {"a user-defined piece", "is of type 4", 0, piece("zz", 4)},
        {"a byte piece", "is of type 6", 0, piece("<0x41>", 6)},
        {"byte fallback", "byte_fallback", 0, wrapped(2, byte_fallback)},
        {"self-test samples", "self-test samples", 0, wrapped(4, self_test)},
        {"an unknown field", "field 9 embedlab never writes", 0, wrapped(9, (Craft){0})},
        {"another model type", "model type is 1, not bpe's", 2, wrapped(2, (Craft){0})},
    };
    /* Loaded under a spec of more pieces, so that one more piece is allowed. */
    Tokenizer *big;
    assert_int_equal(tokenizer_new("spm:bpe:1000", &big), 0);
    assert_int_equal(tokenizer_load(big, bytes, n), 0);
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        Craft m = craft_model(bytes, n, cases[i].drop, &cases[i].extra);
        if (tokenizer_load(big, m.p, m.n) == 0) /* the old code: loaded, and the first text may crash */
            fail_msg("%s: loaded (%s)", cases[i].what, pieces(big, korean));
        if (!strstr(el_error(), cases[i].reason))
            fail_msg("%s: '%s' does not say '%s'", cases[i].what, el_error(), cases[i].reason);
        assert_non_null(strstr(el_error(), "not a SentencePiece model embedlab trained"));
        assert_string_equal(pieces(big, korean), want); /* the model it had is kept */
        free(m.p);
        free(cases[i].extra.p);
    }
    tokenizer_free(big);
    /* More pieces than the spec allows; a cut model. */
    Tokenizer *small;
    assert_int_equal(tokenizer_new("spm:bpe:8", &small), 0);
    assert_int_equal(tokenizer_load(small, bytes, n), -1);
    assert_non_null(strstr(el_error(), "more than 8 pieces"));
    tokenizer_free(small);
    assert_int_equal(tokenizer_load(t, bytes, n - 1), -1);
    assert_non_null(strstr(el_error(), "not a protobuf message"));
    /* The real model itself still loads, and a unigram one too. */
    assert_int_equal(tokenizer_load(t, bytes, n), 0);
    assert_string_equal(pieces(t, korean), want);
    free(bytes);
    free(evil.p);
    free(sample.p);
    tokenizer_free(t);
    t = trained("spm:unigram:100", &texts);
    bytes = model_bytes(t, &n);
    assert_int_equal(tokenizer_load(t, bytes, n), 0);
    free(bytes);
    tokenizer_free(t);
    texts_free(&texts);
}

/* Issue 18 item 11: SentencePiece's own advice ("Increase vocab_size or
 * decrease character_coverage with --character_coverage option") named
 * options embedlab lacks; the error now says what to change in embedlab's
 * words. */
static void spm_advice_in_our_words(void **state) {
    (void)state;
    Texts texts = corpus(50);
    Tokenizer *t;
    assert_int_equal(tokenizer_new("spm:bpe:8", &t), 0);
    TextIter it = {next_text, &texts};
    assert_int_equal(tokenizer_train(t, &it), -1);
    if (strstr(el_error(), "--") || strstr(el_error(), "character_coverage") || strstr(el_error(), "vocab_size"))
        fail_msg("SentencePiece's advice reached the user: %s", el_error());
    assert_non_null(strstr(el_error(), "tokenizer spm:bpe:8: training failed: the texts use "));
    assert_non_null(strstr(el_error(), "more than the 8 allowed; use spm:bpe:"));
    tokenizer_free(t);
    texts_free(&texts);
}

int main(void) {
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(specs),
        cmocka_unit_test(spm_foreign_models_refused),
        cmocka_unit_test(spm_advice_in_our_words),
        cmocka_unit_test(words_is_the_text_spec),
        cmocka_unit_test(unicode_korean_and_mixed),
        cmocka_unit_test(unicode_rules),
        cmocka_unit_test(chars_kind),
        cmocka_unit_test(malformed),
        cmocka_unit_test(utf8_decoder),
        cmocka_unit_test(random_bytes),
        cmocka_unit_test(spm_korean),
        cmocka_unit_test(spm_round_trip),
        cmocka_unit_test(spm_long_text),
        cmocka_unit_test(spm_errors),
        cmocka_unit_test(shared_by_threads),
        cmocka_unit_test(every_kind_declares_its_query_form),
        cmocka_unit_test(register_refuses_bad_kinds),
        cmocka_unit_test(columns),
    };
    return cmocka_run_group_tests_name("tokenizer", tests, NULL, NULL);
}
