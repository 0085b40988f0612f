build-dev/obj/experiments/run/run_record.o: experiments/run/run_record.c \
 experiments/run/run_record.h db/runs.h core/real.h \
 experiments/run/subword_input.h embed/data/corpus.h embed/data/dict.h \
 embed/text/tokenizer.h embed/data/dataset.h embed/data/vocab.h \
 embed/vectors.h core/vecmath.h embed/subword.h rnn/model.h rnn/cell.h \
 rnn/train.h rnn/optim.h core/common.h db/embeddings.h \
 experiments/run/subword_run.h rnn/config.h core/options.h \
 embed/data/sequence.h
experiments/run/run_record.h:
db/runs.h:
core/real.h:
experiments/run/subword_input.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
embed/data/dataset.h:
embed/data/vocab.h:
embed/vectors.h:
core/vecmath.h:
embed/subword.h:
rnn/model.h:
rnn/cell.h:
rnn/train.h:
rnn/optim.h:
core/common.h:
db/embeddings.h:
experiments/run/subword_run.h:
rnn/config.h:
core/options.h:
embed/data/sequence.h:
