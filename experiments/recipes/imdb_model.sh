# experiments/recipes/imdb_model.sh: the IMDB recipe's classifier and its
# training, sourced by imdb.sh (its members) and imdb_inputs.sh (the one-hot
# comparison at the same architecture), so the two cannot drift apart.
#   IMDB_MODEL  30,000 words, each review's last 400 tokens, a bidirectional
#               cell of 64 units with max pooling over time, dropout 0.3 on
#               its input, masked padding
#   IMDB_FIT    Adam at 1e-3, batches of 64 (each script adds its epochs and
#               patience after these, in the order its lab.db has recorded)
IMDB_MODEL="--vocab 30000 --maxlen 400 --units 64 --bidirectional --pool max --dropout 0.3 --mask"
IMDB_FIT="--opt adam --lr 1e-3 --batch 64"
