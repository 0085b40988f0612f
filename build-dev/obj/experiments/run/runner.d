build-dev/obj/experiments/run/runner.o: experiments/run/runner.c \
 experiments/run/runner.h embed/data/vocab.h embed/data/corpus.h \
 embed/data/dict.h embed/text/tokenizer.h experiments/run/run_record.h \
 db/runs.h core/real.h experiments/run/subword_input.h \
 embed/data/dataset.h embed/vectors.h core/vecmath.h embed/subword.h \
 rnn/model.h rnn/cell.h rnn/train.h rnn/optim.h core/common.h core/hash.h \
 db/embeddings.h db/lab.h db/tokenizers.h embed/data/sequence.h \
 embed/data/source.h experiments/run/input_kind.h
experiments/run/runner.h:
embed/data/vocab.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
experiments/run/run_record.h:
db/runs.h:
core/real.h:
experiments/run/subword_input.h:
embed/data/dataset.h:
embed/vectors.h:
core/vecmath.h:
embed/subword.h:
rnn/model.h:
rnn/cell.h:
rnn/train.h:
rnn/optim.h:
core/common.h:
core/hash.h:
db/embeddings.h:
db/lab.h:
db/tokenizers.h:
embed/data/sequence.h:
embed/data/source.h:
experiments/run/input_kind.h:
