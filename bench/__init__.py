"""The benchmark suite: data sets at three sizes and measures of the application's path
against the best hand-written SQL for the same answer (``python -m bench --size bloc``)."""
