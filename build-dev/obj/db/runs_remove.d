build-dev/obj/db/runs_remove.o: db/runs_remove.c core/common.h db/lab.h \
 db/runs.h core/real.h db/tokenizers.h embed/text/tokenizer.h
core/common.h:
db/lab.h:
db/runs.h:
core/real.h:
db/tokenizers.h:
embed/text/tokenizer.h:
