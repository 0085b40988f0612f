build-dev/obj/experiments/run/saved_run.o: experiments/run/saved_run.c \
 experiments/run/saved_run.h embed/data/dataset.h embed/data/vocab.h \
 embed/data/corpus.h embed/data/dict.h embed/text/tokenizer.h \
 experiments/run/subword_run.h embed/vectors.h core/vecmath.h \
 embed/subword.h experiments/run/subword_input.h rnn/model.h core/real.h \
 rnn/cell.h rnn/train.h rnn/optim.h core/common.h db/embeddings.h \
 db/lab.h db/tokenizers.h embed/data/sequence.h embed/data/source.h \
 embed/text/text.h experiments/run/run_record.h db/runs.h
experiments/run/saved_run.h:
embed/data/dataset.h:
embed/data/vocab.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
experiments/run/subword_run.h:
embed/vectors.h:
core/vecmath.h:
embed/subword.h:
experiments/run/subword_input.h:
rnn/model.h:
core/real.h:
rnn/cell.h:
rnn/train.h:
rnn/optim.h:
core/common.h:
db/embeddings.h:
db/lab.h:
db/tokenizers.h:
embed/data/sequence.h:
embed/data/source.h:
embed/text/text.h:
experiments/run/run_record.h:
db/runs.h:
