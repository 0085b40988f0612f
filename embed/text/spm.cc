// embed/text/spm.cc: SentencePiece behind the C functions of embed/text/spm.h. Kept
// small: what to train on and how texts are normalised is decided in C
// (embed/text/tok_spm.c).
#include "embed/text/spm.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include <sentencepiece_processor.h>
#include <sentencepiece_trainer.h>

struct SpmModel {
    sentencepiece::SentencePieceProcessor proc;
};

namespace {

void set_error(char *err, size_t errlen, const std::string &msg) {
    if (errlen == 0)
        return;
    size_t n = msg.size() < errlen - 1 ? msg.size() : errlen - 1;
    std::memcpy(err, msg.data(), n);
    err[n] = 0;
}

// SentencePiece pulls sentences from an iterator; this one pulls them from
// the C callback.
class Sentences : public sentencepiece::SentenceIterator {
  public:
    Sentences(int (*next)(void *, const char **, size_t *), void *ctx) : next_(next), ctx_(ctx) { Next(); }
    bool done() const override { return done_; }
    void Next() override {
        const char *s;
        size_t n;
        if (next_(ctx_, &s, &n))
            value_.assign(s, n);
        else
            done_ = true;
    }
    const std::string &value() const override { return value_; }
    sentencepiece::util::Status status() const override { return sentencepiece::util::Status(); }

  private:
    int (*next_)(void *, const char **, size_t *);
    void *ctx_;
    std::string value_;
    bool done_ = false;
};

} // namespace

extern "C" int spm_train(int (*next)(void *, const char **, size_t *), void *ctx, const char *type, int vocab,
                         int threads, char **model, size_t *len, char *err, size_t errlen) {
    try {
        // Why each setting: ARCHITECTURE.md "Tokenizers" and embed/text/tok_spm.c.
        std::unordered_map<std::string, std::string> args = {
            {"model_type", type},
            {"vocab_size", std::to_string(vocab)},
            {"hard_vocab_limit", "false"},           // a small corpus gives fewer pieces, not an error
            {"character_coverage", "0.9995"},        // CJK: rare characters become <unk>, not pieces
            {"normalization_rule_name", "identity"}, // the texts come normalised (embed/text/tok_norm.h)
            {"input_sentence_size", "0"},            // every sentence: no sampling
            {"shuffle_input_sentence", "false"},
            {"max_sentence_length", std::to_string(SPM_MAX_TEXT)}, // long reviews train too (bytes)
            {"num_threads", std::to_string(threads < 1     ? 1
                                           : threads > 128 ? 128
                                                           : threads)},
            {"minloglevel", "2"}, // no progress chatter on stderr
        };
        sentencepiece::SetRandomGeneratorSeed(1);
        Sentences sentences(next, ctx);
        std::string bytes;
        auto status = sentencepiece::SentencePieceTrainer::Train(args, &sentences, &bytes);
        if (!status.ok()) {
            set_error(err, errlen, status.ToString());
            return -1;
        }
        char *out = static_cast<char *>(std::malloc(bytes.size() + 1));
        if (!out) {
            set_error(err, errlen, "out of memory");
            return -1;
        }
        std::memcpy(out, bytes.data(), bytes.size());
        *model = out;
        *len = bytes.size();
        return 0;
    } catch (const std::exception &e) {
        set_error(err, errlen, e.what());
        return -1;
    } catch (...) {
        set_error(err, errlen, "an exception inside SentencePiece");
        return -1;
    }
}

extern "C" SpmModel *spm_load(const void *model, size_t len, char *err, size_t errlen) {
    try {
        // Owned until the load succeeds: SentencePiece may throw halfway
        // (a piece that is one NUL byte makes its trie builder throw).
        std::unique_ptr<SpmModel> m(new SpmModel);
        auto status = m->proc.LoadFromSerializedProto(absl::string_view(static_cast<const char *>(model), len));
        if (!status.ok()) {
            set_error(err, errlen, status.ToString());
            return nullptr;
        }
        return m.release();
    } catch (const std::exception &e) {
        set_error(err, errlen, e.what());
        return nullptr;
    } catch (...) {
        set_error(err, errlen, "an exception inside SentencePiece");
        return nullptr;
    }
}

extern "C" void spm_free(SpmModel *m) { delete m; }

extern "C" int spm_encode(const SpmModel *m, const char *s, size_t n, void (*emit)(void *, const char *, size_t),
                          void *ctx, char *err, size_t errlen) {
    try {
        std::vector<std::string> pieces;
        auto status = m->proc.Encode(absl::string_view(s, n), &pieces);
        if (!status.ok()) {
            set_error(err, errlen, status.ToString());
            return -1;
        }
        for (const std::string &p : pieces)
            emit(ctx, p.data(), p.size());
        return 0;
    } catch (const std::exception &e) {
        set_error(err, errlen, e.what());
        return -1;
    } catch (...) {
        set_error(err, errlen, "an exception inside SentencePiece");
        return -1;
    }
}
