"""TACT, the Transformative Activity Cluster Toolbox."""

import os

__version__ = "0.1.0"

# Concurrency comes from the server's workers and threads. Multi-threaded BLAS on a query of a few
# tokens gains nothing and, on a busy machine, made search p95 five times worse (benchmarks/
# catalogue.py). Set before numpy is first imported; an operator's own setting wins.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")
