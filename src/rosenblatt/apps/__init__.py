"""Applications built on the public API: the command line, the demos, plots."""
