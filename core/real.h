/* core/real.h: the number type of the neural-network code.
 *
 * float for training; the gradient-check test compiles the same rnn/ sources
 * with -DEL_DOUBLE so finite differences run in double precision. <tgmath.h>
 * picks expf or exp, tanhf or tanh, by the argument's type. */
#ifndef EL_REAL_H
#define EL_REAL_H

#include <tgmath.h>

#ifdef EL_DOUBLE
typedef double real;
#else
typedef float real;
#endif

#endif
