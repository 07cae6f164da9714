"""The vocabulary of truce and the rules on it: pure Python, no I/O."""
