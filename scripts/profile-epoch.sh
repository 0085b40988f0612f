#!/bin/sh
# Where a classifier's training goes, stage by stage (rnn/model.c's stages,
# rnn/train.c's batch steps, rnn/optim.c), from Debian's linux-perf.
#
# Usage: scripts/profile-epoch.sh TRAIN-OPTIONS...
#   e.g. scripts/profile-epoch.sh --db lab.db --cell lstm --dim 16 --units 8 --epochs 2
# It builds embedlab in build-prof/ with the project's flags plus frame
# pointers, and with the stages kept as functions of their own (a stage is
# called once, so the compiler would fold it into model_chunk), runs
# `embedlab train OPTIONS` under `perf record` (1,000 samples a second of
# each thread's CPU time), and prints for each stage its CPU seconds per
# epoch, summed over the threads, and its share of the whole run's CPU time
# (loading, setup and saving included: the rest). Times are inclusive:
# recurrent_forward holds the cell's forward and its per-step products; the
# optimiser's row updates run in threads of their own (update_rows). BLAS's
# kernels keep no frame pointer, so its products are not under their stage:
# their total is a line of its own, as is the total of core/blas.c's own
# kernel (also inside its stages). Take it on an idle machine: perf's clock
# counts a thread's time on the CPU.
set -eu
cd "$(dirname "$0")/.."
[ $# -gt 0 ] || { echo "usage: scripts/profile-epoch.sh TRAIN-OPTIONS..." >&2; exit 2; }
command -v perf >/dev/null 2>&1 || { echo "embedlab: error: perf is not installed (Debian's linux-perf)" >&2; exit 1; }
flags="-O3 -march=native -g -fno-omit-frame-pointer -fno-inline-functions-called-once -fno-inline-small-functions \
-fno-inline-functions -fno-optimize-sibling-calls"
# make does not see a change of flags: build afresh when they differ.
[ "$(cat build-prof/flags 2>/dev/null)" = "$flags" ] || { rm -rf build-prof && mkdir -p build-prof && echo "$flags" >build-prof/flags; }
make -s BUILD=build-prof CFLAGS="$flags" build-prof/embedlab
out=build-prof/profile
mkdir -p "$out"
perf record -q -F 1000 --call-graph fp -o "$out/perf.data" build-prof/embedlab train "$@" >"$out/train.out" \
    2>"$out/train.err" || { cat "$out/train.err" >&2; exit 1; }
tail -n 1 "$out/train.out"
epochs=$(sed -n 's/.* of \([0-9]*\), validation accuracy.*/\1/p' "$out/train.out" | tail -n 1)
total=$(perf report -q -i "$out/perf.data" -n --no-children --sort comm -g none 2>/dev/null | awk 'NR == 1 { print $2 }')
perf report -q -i "$out/perf.data" --children --sort symbol -g none 2>/dev/null |
    awk -v epochs="${epochs:-1}" -v total="${total:-0}" '
    BEGIN {
        n = split("model_chunk chunk_setup distinct_inputs masked_input_forward onehot_forward input_forward input_forward_summed " \
                  "recurrent_forward dropout_forward concat_forward pool_forward head_forward head_backward " \
                  "pool_backward recurrent_backward bias_backward input_backward input_backward_summed onehot_backward dropout_backward " \
                  "token_grads concat_backward model_add_row_grads_part model_row_list model_clear_row_grads " \
                  "optim_step optim_step_rows update_span update_rows grad_norm sort_by_steps bucket_order " \
                  "run_forward", name, " ")
        for (i = 1; i <= n; i++) want[name[i]] = i
    }
    $3 == "[.]" { sym = $4; sub(/\._omp_fn\.[0-9]+$/, "", sym); gsub(/\.(part|isra|constprop)\.[0-9]+/, "", sym)
      p = $1; sub(/%$/, "", p)
      if (sym in want) share[sym] += p
      self = $2; sub(/%$/, "", self)
      if (sym ~ /^[sd]gemm_|^blas_memory/) blas += self
      if (sym ~ /^mm_avx512/) own += self }
    END {
        printf "%d CPU samples (%.1f CPU s), %d epochs\n", total, total / 1000, epochs
        printf "%-26s %12s %8s\n", "stage", "CPU s/epoch", "share"
        for (i = 1; i <= n; i++) {
            s = name[i]
            if (s in share)
                printf "%-26s %12.3f %7.1f%%\n", s, share[s] / 100 * total / 1000 / epochs, share[s]
        }
        printf "%-26s %12.3f %7.1f%%\n", "(BLAS products, all)", blas / 100 * total / 1000 / epochs, blas
        printf "%-26s %12.3f %7.1f%%\n", "(own kernel products, all)", own / 100 * total / 1000 / epochs, own
    }'
