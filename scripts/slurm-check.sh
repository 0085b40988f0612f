#!/bin/sh
# make slurm-check: the README's Slurm recipe, run under a real Slurm. Brings
# up a one-node cluster on this machine from Debian's slurm-wlm and munge
# (controller and node daemon on localhost, their own config, key and state in
# a scratch folder, nothing in /etc), submits the three jobs of
# experiments/recipes/slurm/ with sbatch for a small grid exactly as a user would
# (shared embeddings, a job array of shards with a dependency on them, the
# merge), waits for them, and checks that the merged notebook holds the same
# results and conclusions as the same grid run unsharded.
# Needs root (to start slurmd and munged) or a running Slurm of your own
# (SLURM_CONF set: then no daemons are started).
. "$(dirname "$0")/../tests/lib.sh"
cd "$(dirname "$0")/.."
scripts/deps.sh slurm-wlm munge >&2 || exit 1
ROOT=$(pwd)
W=$T/slurm
mkdir -p "$W/state" "$W/spool" "$W/work"
node=embedlab-node
cpus=$(nproc)
ports=$((20000 + $$ % 20000))

stop_daemons() {
    for p in slurmd slurmctld munged; do
        [ -f "$W/$p.pid" ] && kill "$(cat "$W/$p.pid")" 2>/dev/null
    done
    sleep 1
    rm -rf "$T"
}
if [ -z "${SLURM_CONF:-}" ]; then
    trap stop_daemons EXIT
    mungekey -c -k "$W/munge.key" || exit 1
    chmod 700 "$W"
    munged -f --key-file="$W/munge.key" --socket="$W/munge.sock" --pid-file="$W/munged.pid" \
        --log-file="$W/munged.log" --seed-file="$W/munged.seed" || { cat "$W/munged.log"; exit 1; }
    cat >"$W/slurm.conf" <<CONF
ClusterName=embedlab
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$ports
SlurmdPort=$((ports + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$W/munge.sock
CredType=cred/munge
StateSaveLocation=$W/state
SlurmdSpoolDir=$W/spool
SlurmctldPidFile=$W/slurmctld.pid
SlurmdPidFile=$W/slurmd.pid
SlurmctldLogFile=$W/slurmctld.log
SlurmdLogFile=$W/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
ReturnToService=2
MinJobAge=3600
NodeName=$node NodeHostname=$(hostname) NodeAddr=127.0.0.1 CPUs=$cpus State=UNKNOWN
PartitionName=main Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF="$W/slurm.conf"
    slurmctld || { cat "$W/slurmctld.log"; exit 1; }
    slurmd -N "$node" || { cat "$W/slurmd.log"; exit 1; }
    up=0
    for _ in $(seq 60); do
        sinfo -h -o '%t' 2>/dev/null | grep -q idle && { up=1; break; }
        sleep 1
    done
    if [ $up = 1 ]; then ok "a one-node Slurm is up ($(sinfo -h -o '%D node, %c CPUs, %t'))"; else
        notok "Slurm did not come up"
        tail -20 "$W/slurmctld.log" "$W/slurmd.log" | sed 's/^/#   /'
        exit 1
    fi
fi

# A small labelled review set, made here: one word carries the label, and
# lies one time in four, so that the models differ.
awk 'BEGIN { srand(11); split("we saw this picture with its cast and music on a long night", w, " ");
  for (i = 0; i < 800; i++) { y = i % 2; s = "";
    for (k = 0; k < 9; k++) s = s w[1 + int(rand() * 13)] " ";
    print y "\t" s ((y == (rand() < 0.75)) ? "wonderful" : "dreadful") } }' >"$W/all.tsv"
head -560 "$W/all.tsv" >"$W/work/train.tsv"
tail -240 "$W/all.tsv" >"$W/work/test.tsv"
GRID="--data train.tsv --test-data test.tsv --dims 4,8 --cells rnn,gru --inputs onehot,random,word2vec --seeds 1,2
      --vocab 30 --maxlen 12 --epochs 2 --patience 0 --opt adam --lr 0.01 --embeddings toy{dim}"
EMBED="--data train.tsv --min-count 1 --epochs 2"
export EMBEDLAB="$E"

# The recipe, as the README gives it: three submissions, chained.
cd "$W/work"
mkdir -p shards # where the jobs write their logs: Slurm opens them before a job starts
emb=$(sbatch --parsable --cpus-per-task=1 "$ROOT/experiments/recipes/slurm/embeddings.sbatch" 4,8 'toy{dim}' $EMBED)
arr=$(sbatch --parsable --cpus-per-task=1 --array=0-2 --dependency=afterok:$emb \
    "$ROOT/experiments/recipes/slurm/sweep.sbatch" $GRID)
mrg=$(sbatch --parsable --dependency=afterok:$arr "$ROOT/experiments/recipes/slurm/merge.sbatch" lab.db)
[ -n "$emb" ] && [ -n "$arr" ] && [ -n "$mrg" ] && ok "sbatch took the three jobs ($emb, array $arr, $mrg)" ||
    notok "sbatch refused a job"
state() { scontrol show job "$1" 2>/dev/null | sed -n 's/.*JobState=\([A-Z_]*\).*/\1/p' | sort -u | tr '\n' ' '; }
for _ in $(seq 600); do
    case "$(state "$mrg")" in *PENDING* | *RUNNING* | *CONFIGURING* | *COMPLETING* | "") sleep 1 ;; *) break ;; esac
    # A failed job leaves the ones after it waiting forever.
    scontrol show job "$mrg" | grep -q DependencyNeverSatisfied && break
done
same "the embeddings job completed" "$(state "$emb")" "COMPLETED "
same "every task of the array completed" "$(state "$arr")" "COMPLETED "
same "the merge job completed" "$(state "$mrg")" "COMPLETED "
for f in shards/*.out; do [ -s "$f" ] && sed 's/^/#   /' "$f" | tail -3; done
same "three shards" "$(ls shards/lab-*.db 2>/dev/null | wc -l)" 3

# The same grid unsharded, from the same embeddings.
$E merge whole.db shards/embeddings.db >/dev/null
run "the same grid unsharded" 0 $E sweep $GRID --db whole.db --threads 2
results() { sqlite3 "$1" "SELECT sweep_key, printf('%.6f', test_acc) FROM runs JOIN results ON run_id = id ORDER BY sweep_key"; }
# 2 dims x 2 cells x 2 seeds x random and word2vec, and one-hot once across dims: 20 runs.
same "20 finished runs in the merged notebook" "$(results lab.db | wc -l)" 20
same "the merged results equal the unsharded ones" "$(results lab.db | md5sum)" "$(results whole.db | md5sum)"
same "each shard used the shared vectors" \
    "$(sqlite3 lab.db "SELECT count(*) FROM embeddings")" 2
conclusions() { grep -E 'beats|trails|matches' "$1"; }
$E report --db whole.db >whole.md
if [ -s lab.md ] && [ "$(conclusions lab.md)" = "$(conclusions whole.md)" ]; then
    ok "the merged report concludes as the unsharded one"
    conclusions lab.md | sed 's/^/#   /'
else
    notok "the merged report differs"
    diff lab.md whole.md | sed 's/^/#   /' | head -20
fi
exit $bad
