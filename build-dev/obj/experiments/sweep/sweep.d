build-dev/obj/experiments/sweep/sweep.o: experiments/sweep/sweep.c \
 experiments/sweep/sweep.h experiments/sweep/grid.h \
 experiments/run/input_kind.h rnn/train.h embed/data/dataset.h \
 embed/data/vocab.h embed/data/corpus.h embed/data/dict.h \
 embed/text/tokenizer.h rnn/model.h core/real.h rnn/cell.h rnn/optim.h \
 core/common.h core/progress.h db/embeddings.h embed/vectors.h \
 core/vecmath.h embed/subword.h db/lab.h db/runs.h embed/data/source.h \
 experiments/run/embed_job.h embed/trainer.h core/options.h \
 experiments/run/runner.h experiments/run/run_record.h \
 experiments/run/subword_input.h
experiments/sweep/sweep.h:
experiments/sweep/grid.h:
experiments/run/input_kind.h:
rnn/train.h:
embed/data/dataset.h:
embed/data/vocab.h:
embed/data/corpus.h:
embed/data/dict.h:
embed/text/tokenizer.h:
rnn/model.h:
core/real.h:
rnn/cell.h:
rnn/optim.h:
core/common.h:
core/progress.h:
db/embeddings.h:
embed/vectors.h:
core/vecmath.h:
embed/subword.h:
db/lab.h:
db/runs.h:
embed/data/source.h:
experiments/run/embed_job.h:
embed/trainer.h:
core/options.h:
experiments/run/runner.h:
experiments/run/run_record.h:
experiments/run/subword_input.h:
