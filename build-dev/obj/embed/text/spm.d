build-dev/obj/embed/text/spm.o: embed/text/spm.cc embed/text/spm.h
embed/text/spm.h:
